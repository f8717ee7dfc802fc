//! `permanence bench` (section « Actes »): export of each kind of draft for a ~50-page dossier
//! (facts extracted once, from fixture procedures put end to end; each export is the template
//! checked, the model built, the document filled and written whole to a file, synced).
//! Target: ≤ 100 ms per kind.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::{DraftInput, Kind, TemplateSource};
use crate::bench::BenchError;
use crate::error::Error;
use crate::facts::{Evidence, Facts};

#[derive(Debug, Serialize)]
pub struct DraftKindFigures {
    pub kind: String,
    pub p50_ms: f64,
    pub max_ms: f64,
    pub bytes: usize,
}

#[derive(Debug, Serialize)]
pub struct DraftFigures {
    pub file: String,
    pub pages: u32,
    pub pieces: usize,
    pub runs: usize,
    pub kinds: Vec<DraftKindFigures>,
    pub csv_p50_ms: f64,
}

fn failed(e: impl std::fmt::Display) -> Error {
    BenchError::Failed(e.to_string()).into()
}

/// The facts of a dossier of about `pages` pages: the procedures of the small fixtures, then of
/// the training corpus, read one by one and put end to end (pages, pieces and evidence
/// renumbered), as a dossier gathering several procedures would be.
fn dossier_facts(pages: u32) -> Result<(String, Facts), Error> {
    let mut sources: Vec<PathBuf> = Vec::new();
    for folder in ["fixtures/small", "fixtures/corpus/train"] {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        files.sort();
        sources.extend(files);
    }
    if sources.is_empty() {
        return Err(BenchError::MissingProcedure(PathBuf::from("fixtures/small")).into());
    }
    let mut merged: Option<Facts> = None;
    let mut count = 0;
    for src in &sources {
        let mut f = crate::facts::extract(src)?;
        count += 1;
        let Some(m) = merged.as_mut() else {
            merged = Some(f);
            continue;
        };
        let offset = m.source.pages;
        let shift = |ev: &mut Vec<Evidence>| ev.iter_mut().for_each(|e| e.page += offset);
        for p in &mut f.pieces {
            p.index += m.pieces.len() as u32;
            p.first_page += offset;
            p.last_page += offset;
        }
        for p in &mut f.persons {
            shift(&mut p.evidence);
        }
        for o in &mut f.offences {
            shift(&mut o.evidence);
        }
        for a in &mut f.antecedents {
            shift(&mut a.evidence);
        }
        m.pieces.extend(f.pieces);
        m.persons.extend(f.persons);
        m.offences.extend(f.offences);
        m.antecedents.extend(f.antecedents);
        m.source.pages += f.source.pages;
        if m.source.pages >= pages {
            break;
        }
    }
    let facts = merged.expect("at least one procedure");
    Ok((
        format!("{count} procédures des fixtures mises bout à bout"),
        facts,
    ))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

pub fn run(procedure: Option<&Path>, runs: usize) -> Result<DraftFigures, Error> {
    let tmp = tempfile::tempdir().map_err(failed)?;
    let (file, facts) = match procedure {
        Some(p) => (crate::pdf::display_name(p), crate::facts::extract(p)?),
        None => dossier_facts(50)?,
    };
    let proposal = crate::orient::propose(&facts, &crate::orient::default_policy());
    let input = DraftInput {
        dossier: super::Dossier {
            id: "bench".into(),
            title: "Dossier de mesure".into(),
            parquet_number: Some("26/123/45".into()),
        },
        proposal: Some(proposal),
        decision: None,
        court: Some("Melun".into()),
        magistrate: super::Magistrate {
            name: Some("Claire MARTIN".into()),
            function: Some("substitut du procureur de la République".into()),
        },
        detention: super::Detention {
            criteria: (1..=6)
                .map(|n| super::Criterion144 {
                    number: n,
                    reasoning: String::new(),
                    cotes: Vec::new(),
                })
                .collect(),
            insufficiency: None,
        },
        conclusion: super::Conclusion::FromFacts,
        now: chrono::Local::now().fixed_offset(),
        facts,
    };
    let templates = TemplateSource::shipped();
    let runs = runs.max(1);
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let out = tmp.path().join(kind.template_file());
        let mut times = Vec::with_capacity(runs);
        let mut bytes = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let doc = super::render(kind, &input, &templates)?;
            super::write_atomic(&out, &doc)?;
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            bytes = doc.len();
        }
        kinds.push(DraftKindFigures {
            kind: kind.id().to_owned(),
            p50_ms: median(times.clone()),
            max_ms: times.iter().copied().fold(0.0, f64::max),
            bytes,
        });
    }
    let mut csv_times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let csv = super::bordereau_csv(&input.facts);
        super::write_atomic(&tmp.path().join("bordereau.csv"), csv.as_bytes())?;
        csv_times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(DraftFigures {
        file,
        pages: input.facts.source.pages,
        pieces: input.facts.pieces.len(),
        runs,
        kinds,
        csv_p50_ms: median(csv_times),
    })
}

/// The figures as the Markdown table of docs/PERFORMANCE.md.
pub fn markdown(f: &DraftFigures) -> String {
    let mut out = format!(
        "### Actes : export de chaque document pour un dossier de {} pages ({} pièces, {} ; médiane de {} passages)\n\n\
         | document | médiane | max | taille |\n|---|---:|---:|---:|\n",
        f.pages, f.pieces, f.file, f.runs
    );
    for k in &f.kinds {
        out += &format!(
            "| {} | {:.1} ms | {:.1} ms | {} Kio |\n",
            k.kind,
            k.p50_ms,
            k.max_ms,
            k.bytes / 1024
        );
    }
    out += &format!(
        "| bordereau (CSV) | {:.2} ms | — | — |\n\nCible : ≤ 100 ms par document (modèle vérifié, document rempli et écrit entier).\n",
        f.csv_p50_ms
    );
    out
}
