//! `permanence eval DIR`: extraction measured against the labels (`NAME.expected.json`) of a
//! fixture folder, as figures per field.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::facts::{self, Facts};
use crate::pdf::PdfError;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("le dossier {dir} est illisible : {source}")]
    Dir { dir: String, source: std::io::Error },
    #[error("l'étiquette {file} est illisible : {reason}")]
    Label { file: String, reason: String },
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// Exact-match counts of one field.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Rate {
    pub right: usize,
    pub total: usize,
}

impl Rate {
    pub fn value(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.right += ok as usize;
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub files: usize,
    pub family_tp: usize,
    pub family_fp: usize,
    pub family_fn: usize,
    pub fields: Vec<(String, Rate)>,
    pub failures: Vec<String>,
    /// Extraction time alone (pdfium's text reading excluded), in milliseconds.
    pub extract_ms_max: f64,
    pub extract_ms_total: f64,
}

impl Report {
    pub fn precision(&self) -> f64 {
        self.family_tp as f64 / (self.family_tp + self.family_fp).max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.family_tp as f64 / (self.family_tp + self.family_fn).max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    pub fn rate(&self, field: &str) -> f64 {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map_or(0.0, |(_, r)| r.value())
    }
    fn field(&mut self, name: &str, ok: bool, file: &str, got: &Value, want: &Value) {
        if !ok {
            self.failures
                .push(format!("{file}: {name}: attendu {want}, obtenu {got}"));
        }
        match self.fields.iter_mut().find(|(f, _)| f == name) {
            Some((_, r)) => r.add(ok),
            None => {
                let mut r = Rate::default();
                r.add(ok);
                self.fields.push((name.to_owned(), r));
            }
        }
    }

    /// The figures as a Markdown table.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "| mesure | valeur | détail |\n| --- | ---: | ---: |\n| familles d'infractions : précision | {:.3} | {} VP, {} FP |\n| familles d'infractions : rappel | {:.3} | {} FN |\n| familles d'infractions : F1 | {:.3} | {} fichiers |\n",
            self.precision(),
            self.family_tp,
            self.family_fp,
            self.recall(),
            self.family_fn,
            self.f1(),
            self.files
        );
        out.push_str(&format!(
            "| extraction seule (hors lecture pdfium) : moyenne / maximum | {:.1} ms | {:.1} ms |\n",
            self.extract_ms_total / self.files.max(1) as f64,
            self.extract_ms_max
        ));
        for (name, r) in &self.fields {
            out.push_str(&format!(
                "| {name} | {:.3} | {}/{} |\n",
                r.value(),
                r.right,
                r.total
            ));
        }
        out
    }
}

fn document_of(label: &Path) -> Option<PathBuf> {
    let name = label
        .file_name()?
        .to_str()?
        .strip_suffix(".expected.json")?;
    ["pdf", "txt"]
        .iter()
        .map(|ext| label.with_file_name(format!("{name}.{ext}")))
        .find(|p| p.exists())
}

/// Runs extraction on every labelled file of `dir`.
pub fn run(dir: &Path) -> Result<Report, EvalError> {
    let mut labels: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| EvalError::Dir {
            dir: dir.display().to_string(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    labels.sort();
    let mut report = Report::default();
    let mut policy = None;
    for label in labels {
        let Some(document) = document_of(&label) else {
            continue;
        };
        let want: Value = std::fs::read(&label)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
            .map_err(|reason| EvalError::Label {
                file: label.display().to_string(),
                reason,
            })?;
        let name = crate::pdf::display_name(&document);
        let bytes = crate::pdf::read_input(&document)?;
        let read = crate::pdf::read_bytes(&name, &bytes, &mut |_, _| {})?;
        if report.files == 0 {
            // Regexes compile once per process: warm them up outside the measure.
            facts::from_document(&name, "", &read);
        }
        let started = std::time::Instant::now();
        let got = facts::from_document(&name, "", &read);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        report.extract_ms_total += ms;
        report.extract_ms_max = report.extract_ms_max.max(ms);
        let file = document.display().to_string();
        compare(&mut report, &file, &got, &want);
        // The orientation the example policy gives from the extracted facts, against the one
        // fixtures/orientation.py computed from the label.
        let expected = label.with_file_name(
            label
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .replace(".expected.json", ".orientation.json"),
        );
        if let Ok(bytes) = std::fs::read(&expected) {
            let expect: Value = serde_json::from_slice(&bytes).map_err(|e| EvalError::Label {
                file: expected.display().to_string(),
                reason: e.to_string(),
            })?;
            let policy = policy.get_or_insert_with(crate::orient::default_policy);
            let proposal = crate::orient::propose(&got, policy);
            let got = Value::from(proposal.orientation.id());
            let ok = got == expect["orientation"];
            report.field(
                "orientation proposée (politique d'exemple)",
                ok,
                &file,
                &got,
                &expect["orientation"],
            );
        }
    }
    Ok(report)
}

fn compare(report: &mut Report, file: &str, got: &Facts, want: &Value) {
    report.files += 1;
    let got = serde_json::to_value(got).unwrap_or_default();
    let families = |v: &Value| -> Vec<String> {
        v["offences"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|o| o["family"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (g, w) = (families(&got), families(want));
    for f in &g {
        if w.contains(f) {
            report.family_tp += 1;
        } else {
            report.family_fp += 1;
            report.failures.push(format!("{file}: famille en trop {f}"));
        }
    }
    for f in &w {
        if !g.contains(f) {
            report.family_fn += 1;
            report
                .failures
                .push(format!("{file}: famille manquante {f}"));
        }
    }
    let natinf = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["offences"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| format!("{}:{}", o["family"], o["natinf"]))
                    .collect()
            })
            .unwrap_or_default();
        n.sort();
        n
    };
    let field = |report: &mut Report, name: &str, g: &Value, w: &Value| {
        report.field(name, g == w, file, g, w);
    };
    let (gn, wn) = (natinf(&got), natinf(want));
    report.field(
        "NATINF (toutes les infractions)",
        gn == wn,
        file,
        &gn.into(),
        &wn.into(),
    );
    let number = |v: &Value| v.as_f64().map(|x| (x * 1000.0).round() as i64);
    let alcohol = |v: &Value| {
        if v["alcohol"].is_null() {
            Value::Null
        } else {
            serde_json::json!([number(&v["alcohol"]["value"]), v["alcohol"]["unit"]])
        }
    };
    field(
        report,
        "alcool : valeur et unité",
        &alcohol(&got),
        &alcohol(want),
    );
    let after = |v: &Value| number(&v["alcohol"]["after_margin"]).into();
    field(report, "alcool : après marge", &after(&got), &after(want));
    field(report, "récidive", &got["recidive"], &want["recidive"]);
    field(
        report,
        "date des faits",
        &got["facts"]["date"],
        &want["facts"]["date"],
    );
    field(
        report,
        "heure des faits",
        &got["facts"]["time"],
        &want["facts"]["time"],
    );
    field(
        report,
        "commune des faits",
        &got["facts"]["commune"],
        &want["facts"]["commune"],
    );
    let plate = |v: &Value| v["vehicle"]["plate"].clone();
    field(report, "immatriculation", &plate(&got), &plate(want));
    let model = |v: &Value| v["vehicle"]["description"].clone();
    field(
        report,
        "véhicule : marque et modèle",
        &model(&got),
        &model(want),
    );
    field(
        report,
        "statut du permis",
        &got["licence"]["status"],
        &want["licence"]["status"],
    );
    field(
        report,
        "ITT (jours)",
        &got["injuries"]["itt_days"],
        &want["injuries"]["itt_days"],
    );
    let mec = |v: &Value| -> (Value, Value) {
        let p = v["persons"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["role"] == "mis_en_cause"))
            .cloned()
            .unwrap_or_default();
        (
            serde_json::json!([p["surname"], p["given_names"]]),
            p["birth_date"].clone(),
        )
    };
    let (gm, wm) = (mec(&got), mec(want));
    field(report, "mis en cause : nom et prénoms", &gm.0, &wm.0);
    field(report, "mis en cause : date de naissance", &gm.1, &wm.1);
    let kinds = |v: &Value| -> Value {
        v["pieces"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| serde_json::json!([p["kind"], p["first_page"], p["last_page"]]))
                    .collect()
            })
            .unwrap_or_default()
    };
    field(
        report,
        "pièces : genres et pages",
        &kinds(&got),
        &kinds(want),
    );
    let people = |v: &Value, roles: &[&str]| -> Value {
        let mut p: Vec<String> = v["persons"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|p| roles.iter().any(|r| p["role"] == *r))
                    .map(|p| {
                        format!(
                            "{} {} {} {}",
                            p["role"], p["surname"], p["given_names"], p["birth_date"]
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        p.sort();
        p.into()
    };
    let roles = ["victime", "temoin"];
    field(
        report,
        "victimes et témoins (nom, prénoms, naissance)",
        &people(&got, &roles),
        &people(want, &roles),
    );
    let roles = ["enqueteur", "autre"];
    let names = |v: &Value| -> Value {
        let mut n: Vec<String> = people(v, &roles)
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(|x| x.rsplit_once(' ').map_or(x, |x| x.0).to_owned())
                    .collect()
            })
            .unwrap_or_default();
        n.sort();
        n.into()
    };
    field(
        report,
        "enquêteurs et autres (nom, prénoms)",
        &names(&got),
        &names(want),
    );
    let antecedents = |v: &Value| -> Value {
        let mut a: Vec<String> = v["antecedents"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| format!("{} {}", x["date"], x["family"]))
                    .collect()
            })
            .unwrap_or_default();
        a.sort();
        a.into()
    };
    field(
        report,
        "antécédents (dates et familles)",
        &antecedents(&got),
        &antecedents(want),
    );
    let cust = |v: &Value| v["custody"].clone();
    field(
        report,
        "garde à vue : début et fin",
        &cust(&got),
        &cust(want),
    );
}
