//! `permanence bench`: the engine measured beside reference tools, in the same run.
//!
//! - Import of a ~1,000-page procedure (a child `permanence import` into a fresh data
//!   directory) beside `pdftotext` on the same file: wall time, pages per second, peak memory.
//! - Search over a generated index of 100,000 pages: p50/p99 latency of a fixed query set,
//!   snippets included, beside SQLite FTS5 (unicode61, diacritics removed) over the same pages.
//!
//! Benchmark data is synthetic and lives in a temporary folder removed at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::{Engine, Original, sha256_hex};
use crate::error::Error;
use crate::fr::quoted;
use crate::pdf::{self, Document};
use crate::store::DataDir;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Procédure d'environ 1 000 pages (défaut : fixtures/generated/big-1000.pdf).
    #[arg(long, value_name = "FICHIER")]
    pub procedure: Option<PathBuf>,
    /// Nombre de répétitions de chaque import (la médiane est retenue).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Nombre de pages générées pour l'index de recherche.
    #[arg(long, default_value_t = 100_000)]
    pub search_pages: usize,
    /// Répétitions de chaque requête.
    #[arg(long, default_value_t = 30)]
    pub repeats: usize,
    #[arg(long)]
    pub skip_import: bool,
    #[arg(long)]
    pub skip_search: bool,
    /// Ne mesure pas l'export des actes (DOCX).
    #[arg(long)]
    pub skip_drafts: bool,
    /// Procédure d'environ 50 pages pour l'export des actes (défaut : assemblée depuis les fixtures).
    #[arg(long, value_name = "FICHIER")]
    pub draft_procedure: Option<PathBuf>,
    /// Répétitions de l'export de chaque acte (la médiane est retenue).
    #[arg(long, default_value_t = 20)]
    pub draft_runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("l'outil de référence {} est introuvable : installez-le avec «\u{a0}make setup\u{a0}»", quoted(.0))]
    MissingTool(String),
    #[error("la procédure de mesure {} est introuvable : lancez «\u{a0}make fixtures-big\u{a0}»", quoted(&.0.display().to_string()))]
    MissingProcedure(PathBuf),
    #[error("la mesure a échoué : {0}")]
    Failed(String),
}

impl BenchError {
    pub fn code(&self) -> &'static str {
        match self {
            BenchError::MissingTool(_) => "bench.missing_tool",
            BenchError::MissingProcedure(_) => "bench.missing_procedure",
            BenchError::Failed(_) => "bench.failed",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ImportFigures {
    pub file: String,
    pub pages: usize,
    pub runs: usize,
    pub pdftotext_ms: f64,
    pub pdftotext_peak_mib: f64,
    pub pdfium_text_ms: f64,
    pub import_ms: f64,
    pub import_peak_mib: f64,
    pub ratio_to_pdftotext: f64,
    pub import_pages_per_second: f64,
}

#[derive(Debug, Serialize)]
pub struct SearchFigures {
    pub pages: usize,
    pub queries: usize,
    pub repeats: usize,
    pub build_index_s: f64,
    pub build_fts5_s: f64,
    /// Segments of the Permanence index when queried.
    pub segments: usize,
    pub permanence_p50_ms: f64,
    pub permanence_p99_ms: f64,
    pub fts5_p50_ms: f64,
    pub fts5_p99_ms: f64,
    /// Per query: (query, Permanence p50, Permanence max, hits found), slowest first.
    pub per_query: Vec<(String, f64, f64, usize)>,
}

#[derive(Debug, Serialize)]
pub struct Figures {
    pub import: Option<ImportFigures>,
    pub search: Option<SearchFigures>,
    pub drafts: Option<crate::draft::bench::DraftFigures>,
}

pub fn run(args: &BenchArgs) -> Result<(), Error> {
    let import = if args.skip_import {
        None
    } else {
        Some(bench_import(args)?)
    };
    let search = if args.skip_search {
        None
    } else {
        Some(bench_search(args)?)
    };
    let drafts = if args.skip_drafts {
        None
    } else {
        Some(crate::draft::bench::run(
            args.draft_procedure.as_deref(),
            args.draft_runs,
        )?)
    };
    let figures = Figures {
        import,
        search,
        drafts,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).expect("figures serialise")
        );
    } else {
        print!("{}", markdown(&figures));
    }
    Ok(())
}

/// The figures as the Markdown tables of docs/PERFORMANCE.md.
pub fn markdown(f: &Figures) -> String {
    let mut out = String::new();
    if let Some(i) = &f.import {
        out += &format!(
            "### Import d'une procédure de {} pages ({}, médiane de {} passages)\n\n\
             | mesure | temps | pages/s | mémoire max |\n|---|---:|---:|---:|\n\
             | `pdftotext` (référence) | {:.0} ms | {:.0} | {:.0} Mio |\n\
             | texte seul par pdfium (dans le processus) | {:.0} ms | {:.0} | — |\n\
             | `permanence import` (lecture, stockage, index) | {:.0} ms | {:.0} | {:.0} Mio |\n\n\
             Rapport import / pdftotext : **{:.2}×** (cible ≤ 2×) ; mémoire max : **{:.0} Mio** (cible ≤ 250 Mio).\n\n",
            i.pages,
            i.file,
            i.runs,
            i.pdftotext_ms,
            i.pages as f64 / i.pdftotext_ms * 1000.0,
            i.pdftotext_peak_mib,
            i.pdfium_text_ms,
            i.pages as f64 / i.pdfium_text_ms * 1000.0,
            i.import_ms,
            i.import_pages_per_second,
            i.import_peak_mib,
            i.ratio_to_pdftotext,
            i.import_peak_mib,
        );
    }
    if let Some(s) = &f.search {
        out += &format!(
            "### Recherche sur {} pages générées ({} requêtes × {} répétitions, 20 résultats avec extraits)\n\n\
             | moteur | p50 | p99 | construction |\n|---|---:|---:|---:|\n\
             | Permanence (Tantivy, analyse française) | {:.2} ms | {:.2} ms | {:.1} s |\n\
             | SQLite FTS5 (unicode61, sans accents) | {:.2} ms | {:.2} ms | {:.1} s |\n\n\
             p99 Permanence : **{:.2} ms** (cible ≤ 10 ms) ; rapport p99 Permanence / FTS5 : **{:.2}×** ; \
             segments de l'index : {}.\n",
            s.pages,
            s.queries,
            s.repeats,
            s.permanence_p50_ms,
            s.permanence_p99_ms,
            s.build_index_s,
            s.fts5_p50_ms,
            s.fts5_p99_ms,
            s.build_fts5_s,
            s.permanence_p99_ms,
            s.permanence_p99_ms / s.fts5_p99_ms,
            s.segments,
        );
        out += "\n| requête (les plus lentes d'abord) | p50 | max | résultats |\n|---|---:|---:|---:|\n";
        for (q, p50, max, hits) in s.per_query.iter().take(8) {
            out += &format!("| `{q}` | {p50:.2} ms | {max:.2} ms | {hits} |\n");
        }
    }
    if let Some(d) = &f.drafts {
        out += "\n";
        out += &crate::draft::bench::markdown(d);
    }
    out
}

fn failed(e: impl std::fmt::Display) -> Error {
    BenchError::Failed(e.to_string()).into()
}

/// Runs a command to success, returning its wall time and peak resident memory in MiB
/// (`ru_maxrss` of the child, read with `wait4`).
pub fn timed_child(cmd: &mut Command) -> Result<(Duration, f64), Error> {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(failed)?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 on our own child; rusage is a plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    std::mem::forget(child); // reaped by wait4
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(failed(format!("{cmd:?} a échoué")));
    }
    Ok((elapsed, usage.ru_maxrss as f64 / 1024.0))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench_import(args: &BenchArgs) -> Result<ImportFigures, Error> {
    let file = args
        .procedure
        .clone()
        .unwrap_or_else(|| PathBuf::from("fixtures/generated/big-1000.pdf"));
    if !file.is_file() {
        return Err(BenchError::MissingProcedure(file).into());
    }
    if Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(BenchError::MissingTool("pdftotext".into()).into());
    }
    let exe = std::env::current_exe().map_err(failed)?;
    let scratch = tempfile::tempdir().map_err(failed)?;
    let runs = args.runs.max(1);
    let (mut ref_ms, mut ref_mib, mut imp_ms, mut imp_mib, mut text_ms) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut pages = 0;
    for run in 0..runs {
        let (t, m) = timed_child(Command::new("pdftotext").arg(&file).arg("/dev/null"))?;
        ref_ms.push(ms(t));
        ref_mib.push(m);
        let data = scratch.path().join(format!("run-{run}"));
        let (t, m) = timed_child(
            Command::new(&exe)
                .arg("--data-dir")
                .arg(&data)
                .arg("import")
                .arg(&file),
        )?;
        imp_ms.push(ms(t));
        imp_mib.push(m);
        let start = Instant::now();
        let doc = pdf::read_file(&file, &mut |_, _| {})?;
        text_ms.push(ms(start.elapsed()));
        pages = doc.pages.len();
    }
    let import_ms = median(imp_ms);
    let pdftotext_ms = median(ref_ms);
    Ok(ImportFigures {
        file: file.display().to_string(),
        pages,
        runs,
        pdftotext_ms,
        pdftotext_peak_mib: median(ref_mib),
        pdfium_text_ms: median(text_ms),
        import_ms,
        import_peak_mib: imp_mib.into_iter().fold(0.0, f64::max),
        ratio_to_pdftotext: import_ms / pdftotext_ms,
        import_pages_per_second: pages as f64 / import_ms * 1000.0,
    })
}

/// The fixed query set: (Permanence query, the same for FTS5).
const QUERIES: &[(&str, &str)] = &[
    ("éthylomètre", "ethylometre"),
    ("ethylometre", "ethylometre"),
    ("audition", "audition"),
    ("auditions", "auditions"),
    ("garde à vue", "garde vue"),
    ("\"garde à vue\"", "\"garde à vue\""),
    ("stupéfiants dépistage", "stupefiants depistage"),
    ("refus d'obtempérer", "refus obtemperer"),
    (
        "\"procès-verbal d'audition\"",
        "\"procès verbal d audition\"",
    ),
    ("casier judiciaire récidive", "casier judiciaire recidive"),
    ("Fontainebleau", "fontainebleau"),
    ("MARTIN", "martin"),
    ("permis suspendu", "permis suspendu"),
    ("certificat médical ITT", "certificat medical itt"),
    ("substitut permanence", "substitut permanence"),
    ("alcoolémie", "alcoolemie"),
    (
        "\"sous l'empire d'un état alcoolique\"",
        "\"sous l empire d un état alcoolique\"",
    ),
    ("véhicule immatriculé", "vehicule immatricule"),
    ("blessures involontaires", "blessures involontaires"),
    ("délit de fuite", "delit fuite"),
];

const SENTENCES: &[&str] = &[
    "L'an deux mille vingt-six, le {DATE}, à {HEURE}, nous, {PRENOM} {NOM}, brigadier de police, officier de police judiciaire en résidence à {COMMUNE},",
    "Vu les articles 53 et suivants du code de procédure pénale, poursuivant l'enquête de flagrance,",
    "Constatons que le conducteur du véhicule immatriculé {PLAQUE} circule de manière dangereuse sur la route départementale {NUM}.",
    "Procédons au dépistage de l'imprégnation alcoolique au moyen d'un éthylotest, qui se révèle positif.",
    "Soumettons l'intéressé à la vérification de son état alcoolique au moyen de l'éthylomètre, qui indique {TAUX} milligramme par litre d'air expiré.",
    "Lui notifions son placement en garde à vue à compter de {HEURE} et les droits attachés à cette mesure.",
    "Avisons M. le substitut de permanence du parquet de {COMMUNE}, qui prescrit la poursuite de la garde à vue.",
    "Question : reconnaissez-vous avoir conduit sous l'empire d'un état alcoolique ? Réponse : oui, j'avais bu quelques verres.",
    "Le relevé du fichier national des permis de conduire mentionne un permis de conduire {PERMIS}.",
    "Le bulletin n° 1 du casier judiciaire de {NOM} {PRENOM} porte mention d'une condamnation pour conduite sous l'empire d'un état alcoolique.",
    "Le certificat médical établi par le docteur {NOM} fixe une incapacité totale de travail de {NUM} jours.",
    "Le dépistage de stupéfiants par prélèvement salivaire se révèle positif au cannabis.",
    "L'intéressé refuse d'obtempérer aux sommations de s'arrêter et prend la fuite en direction de {COMMUNE}.",
    "Entendons la victime, {PRENOM} {NOM}, qui déclare avoir été heurtée par un véhicule dont le conducteur a pris la fuite.",
    "Dont acte, fait et clos à {COMMUNE} le {DATE}, le présent procès-verbal est signé par l'intéressé.",
    "Le témoin {PRENOM} {NOM} indique avoir vu le véhicule franchir la ligne continue à vive allure.",
    "Nous transportons sur les lieux de l'accident où les sapeurs-pompiers prennent en charge les blessés.",
    "Mentionnons que l'intéressé ne présente aucun signe d'ivresse manifeste lors de son audition.",
    "Procès-verbal d'audition de personne gardée à vue, conformément aux articles 61-1 et 63-1 du code de procédure pénale.",
    "Le véhicule fait l'objet d'une mesure d'immobilisation et de mise en fourrière administrative.",
];
const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "BÉNARD",
    "FRANÇOIS",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
];
const PRENOMS: &[&str] = &[
    "Jean",
    "Hélène",
    "Loïc",
    "François",
    "Camille",
    "Mathéo",
    "Inès",
    "Zoé",
    "Gaëlle",
    "Jérôme",
    "Noël",
    "Anaïs",
    "Léa",
    "Théo",
    "Maëlys",
    "Cédric",
];
const COMMUNES: &[&str] = &[
    "Melun",
    "Fontainebleau",
    "Meaux",
    "Provins",
    "Évry",
    "Corbeil-Essonnes",
    "Nemours",
    "Montereau-Fault-Yonne",
    "Étampes",
    "Chelles",
    "Pontault-Combault",
    "Lagny-sur-Marne",
];
const PERMIS: &[&str] = &[
    "valide",
    "suspendu",
    "annulé",
    "invalidé pour solde de points nul",
];
const DATES: &[&str] = &[
    "vingt novembre",
    "premier décembre",
    "trois mars",
    "quatorze juillet",
    "onze septembre",
];

/// A small deterministic generator (SplitMix64): same pages on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// A page of procedure-like French text (about 1.5 KB).
fn synthetic_page(rng: &mut Rng) -> String {
    let mut page = String::with_capacity(1800);
    for _ in 0..14 {
        let mut s = rng.pick(SENTENCES).to_owned();
        for (slot, values) in [
            ("{NOM}", NOMS),
            ("{PRENOM}", PRENOMS),
            ("{COMMUNE}", COMMUNES),
            ("{PERMIS}", PERMIS),
            ("{DATE}", DATES),
        ] {
            while s.contains(slot) {
                s = s.replacen(slot, rng.pick(values), 1);
            }
        }
        let n = rng.next();
        s = s
            .replace("{HEURE}", &format!("{} heures {}", n % 24, n % 60))
            .replace("{NUM}", &format!("{}", n % 300))
            .replace("{TAUX}", &format!("0,{:02}", 20 + n % 80))
            .replace(
                "{PLAQUE}",
                &format!(
                    "{}{}-{:03}-{}{}",
                    (b'A' + (n % 26) as u8) as char,
                    (b'B' + (n % 23) as u8) as char,
                    n % 1000,
                    (b'C' + (n % 21) as u8) as char,
                    (b'D' + (n % 19) as u8) as char
                ),
            );
        page.push_str(&s);
        page.push('\n');
    }
    page
}

fn bench_search(args: &BenchArgs) -> Result<SearchFigures, Error> {
    let scratch = tempfile::tempdir().map_err(failed)?;
    let pages_per_doc = 1000;
    let docs = args.search_pages.div_ceil(pages_per_doc);
    let mut rng = Rng(0x5045_524d_414e_454e);

    // The same pages for both engines, generated once.
    let corpus: Vec<Vec<String>> = (0..docs)
        .map(|d| {
            let n = pages_per_doc.min(args.search_pages - d * pages_per_doc);
            (0..n).map(|_| synthetic_page(&mut rng)).collect()
        })
        .collect();

    let start = Instant::now();
    let mut engine = Engine::open(DataDir::at(&scratch.path().join("permanence")))?;
    for (d, texts) in corpus.iter().enumerate() {
        let document = Document::from_texts(texts.iter().cloned());
        let bytes = format!("bench document {d}").into_bytes();
        let sha = sha256_hex(&bytes);
        let name = format!("synthetique-{d}.txt");
        engine.store_read(
            &Original {
                name: &name,
                title: &name,
                sha256: &sha,
                bytes: &bytes,
            },
            &document,
            None,
        )?;
    }
    let build_index_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let fts = fts5_build(&scratch.path().join("fts5.sqlite3"), &corpus)?;
    let build_fts5_s = start.elapsed().as_secs_f64();

    let repeats = args.repeats.max(1);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut per_query = Vec::new();
    for (q, fq) in QUERIES {
        let mut this = Vec::new();
        // Warm-up, then measured repetitions.
        let hits = engine.search(q, 20)?;
        let fts_hits = fts5_search(&fts, fq)?;
        if hits.is_empty() || fts_hits == 0 {
            tracing::warn!("bench query {q:?} finds nothing in one engine");
        }
        for _ in 0..repeats {
            let t = Instant::now();
            std::hint::black_box(engine.search(q, 20)?);
            this.push(ms(t.elapsed()));
            let t = Instant::now();
            std::hint::black_box(fts5_search(&fts, fq)?);
            theirs.push(ms(t.elapsed()));
        }
        this.sort_by(f64::total_cmp);
        per_query.push((
            q.to_string(),
            percentile(&this, 50.0),
            *this.last().unwrap_or(&0.0),
            hits.len(),
        ));
        ours.extend(this);
    }
    per_query.sort_by(|a, b| b.2.total_cmp(&a.2));
    ours.sort_by(f64::total_cmp);
    theirs.sort_by(f64::total_cmp);
    Ok(SearchFigures {
        pages: args.search_pages,
        queries: QUERIES.len(),
        repeats,
        build_index_s,
        build_fts5_s,
        segments: engine.index_segments(),
        permanence_p50_ms: percentile(&ours, 50.0),
        permanence_p99_ms: percentile(&ours, 99.0),
        fts5_p50_ms: percentile(&theirs, 50.0),
        fts5_p99_ms: percentile(&theirs, 99.0),
        per_query,
    })
}

fn fts5_build(path: &Path, corpus: &[Vec<String>]) -> Result<rusqlite::Connection, Error> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE VIRTUAL TABLE pages USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO pages (text) VALUES (?1)")?;
        for text in corpus.iter().flatten() {
            insert.execute([text])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO pages (pages) VALUES ('optimize');")?;
    Ok(conn)
}

/// 20 best pages with a marked snippet, as Permanence returns them.
fn fts5_search(conn: &rusqlite::Connection, query: &str) -> Result<usize, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, snippet(pages, 0, '<mark>', '</mark>', '…', 24), bm25(pages) FROM pages
         WHERE pages MATCH ?1 ORDER BY bm25(pages) LIMIT 20",
    )?;
    let rows = stmt.query_map([query], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_medians() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn small_search_bench_runs_both_engines() {
        let args = BenchArgs {
            procedure: None,
            runs: 1,
            search_pages: 1_500,
            repeats: 2,
            skip_import: true,
            skip_search: false,
            skip_drafts: true,
            draft_procedure: None,
            draft_runs: 1,
            json: true,
        };
        let s = bench_search(&args).unwrap();
        assert_eq!(s.pages, 1_500);
        assert!(s.permanence_p99_ms > 0.0 && s.fts5_p99_ms > 0.0);
        assert!(
            markdown(&Figures {
                import: None,
                search: Some(s),
                drafts: None,
            })
            .contains("SQLite FTS5")
        );
    }

    #[test]
    fn synthetic_pages_are_deterministic() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        assert_eq!(synthetic_page(&mut a), synthetic_page(&mut b));
    }
}
