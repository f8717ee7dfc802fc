//! `permanence orient` and the example policy: on the labels, the proposal is exactly what
//! `fixtures/orientation.py` (the policy written again in Python) computed; end to end, from the
//! PDF through extraction, it agrees above a floor; broken policy files are refused with their
//! line and column.

use std::path::{Path, PathBuf};

use crate::support::*;
use permanence::facts::Facts;
use permanence::orient::{self, Proposal};

const SETS: [&str; 4] = ["small", "corpus/train", "corpus/holdout", "corpus/fresh"];

/// Every labelled document of the sets: (document, label, expected orientation file).
fn labelled(set: &str) -> Vec<(PathBuf, PathBuf, PathBuf)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixture(set)).unwrap() {
        let label = entry.unwrap().path();
        let name = label.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let expected = label.with_file_name(format!("{stem}.orientation.json"));
        let doc = ["pdf", "txt"]
            .iter()
            .map(|ext| label.with_file_name(format!("{stem}.{ext}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| panic!("no document for {}", label.display()));
        out.push((doc, label, expected));
    }
    out.sort();
    out
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// "orientation rule rule ..." of a proposal, or of an expected orientation file.
fn summary(p: &Proposal) -> String {
    let mut s = vec![p.orientation.id().to_owned()];
    s.extend(p.rules.iter().map(|r| r.id.clone()));
    s.join(" ")
}

fn expected_summary(v: &serde_json::Value) -> String {
    let mut s = vec![v["orientation"].as_str().unwrap().to_owned()];
    s.extend(
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned()),
    );
    s.join(" ")
}

#[test]
fn labels_give_the_orientation_computed_independently() {
    let policy = orient::default_policy();
    let mut checked = 0;
    let mut differ = Vec::new();
    for set in SETS {
        for (_, label, expected) in labelled(set) {
            let facts: Facts = serde_json::from_value(json(&label))
                .unwrap_or_else(|e| panic!("{}: {e}", label.display()));
            let expect = json(&expected);
            assert_eq!(expect["policy"]["name"], policy.name.as_str());
            assert_eq!(expect["policy"]["version"], policy.version.as_str());
            let got = summary(&orient::propose(&facts, &policy));
            if got != expected_summary(&expect) {
                differ.push(format!(
                    "{}: engine {got}, expected {}",
                    label.display(),
                    expected_summary(&expect)
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 330, "{checked} labels");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

type Getter = Box<dyn Fn(&serde_json::Value) -> serde_json::Value>;

/// The facts a policy reads, side by side: what differs between the label and the extraction.
fn causes(label: &serde_json::Value, got: &serde_json::Value) -> Vec<String> {
    let fields: [(&str, Getter); 10] = [
        ("date des faits", Box::new(|v| v["facts"]["date"].clone())),
        (
            "familles",
            Box::new(move |v| serde_json::json!(offence_families(v))),
        ),
        (
            "alcool après marge",
            Box::new(|v| v["alcohol"]["after_margin"].clone()),
        ),
        (
            "alcool (valeur, unité)",
            Box::new(|v| serde_json::json!([v["alcohol"]["value"], v["alcohol"]["unit"]])),
        ),
        ("récidive", Box::new(|v| v["recidive"].clone())),
        (
            "antécédents (familles)",
            Box::new(|v| {
                serde_json::json!(
                    v["antecedents"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a["family"].clone())
                        .collect::<Vec<_>>()
                )
            }),
        ),
        (
            "blessures",
            Box::new(|v| {
                serde_json::json!([
                    v["injuries"]["present"],
                    v["injuries"]["deaths"],
                    v["injuries"]["itt_days"]
                ])
            }),
        ),
        ("permis", Box::new(|v| v["licence"]["status"].clone())),
        (
            "vitesse",
            Box::new(|v| serde_json::json!([v["speed"]["retained"], v["speed"]["limit"]])),
        ),
        (
            "naissance du mis en cause",
            Box::new(|v| {
                v["persons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["role"] == "mis_en_cause")
                    .map_or(serde_json::Value::Null, |p| p["birth_date"].clone())
            }),
        ),
    ];
    // 136 and 136.0 are the same speed
    fn numbers(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Number(n) => serde_json::json!(n.as_f64()),
            serde_json::Value::Array(a) => a.into_iter().map(numbers).collect(),
            other => other,
        }
    }
    fields
        .iter()
        .filter(|(_, get)| numbers(get(label)) != numbers(get(got)))
        .map(|(name, get)| format!("{name}: attendu {} lu {}", get(label), get(got)))
        .collect()
}

/// Extraction then proposal on `files`: the agreement rate and the mismatches with causes.
fn agreement(files: &[(PathBuf, PathBuf, PathBuf)]) -> (f64, Vec<String>) {
    let policy = orient::default_policy();
    let mut same = 0;
    let mut mismatches = Vec::new();
    for (doc, label, expected) in files {
        let facts = permanence::facts::extract(doc).unwrap();
        let p = orient::propose(&facts, &policy);
        let expect = json(expected);
        if p.orientation.id() == expect["orientation"] {
            same += 1;
        } else {
            let got = serde_json::to_value(&facts).unwrap();
            mismatches.push(format!(
                "{}: {} au lieu de {} ({})",
                doc.display(),
                p.orientation.id(),
                expect["orientation"],
                causes(&json(label), &got).join("\u{a0}; ")
            ));
        }
    }
    (same as f64 / files.len() as f64, mismatches)
}

#[test]
fn end_to_end_from_the_pdf_on_a_sample() {
    // fixtures/small, exactly, through the CLI
    for (doc, _, expected) in labelled("small") {
        let out = permanence_bare(&["orient", s(&doc), "--json"]).ok().json();
        assert_eq!(
            out["proposal"]["orientation"],
            json(&expected)["orientation"],
            "{}",
            doc.display()
        );
    }
    // every 8th file of each corpus set, through the library
    let sample: Vec<_> = SETS[1..]
        .iter()
        .flat_map(|set| labelled(set).into_iter().step_by(8))
        .collect();
    let (rate, mismatches) = agreement(&sample);
    eprintln!(
        "orientation de bout en bout, échantillon de {} fichiers\u{a0}: {:.3}\n{}",
        sample.len(),
        rate,
        mismatches.join("\n")
    );
    assert!(sample.len() >= 40);
    assert!(
        rate >= 0.90,
        "agreement {rate:.3}:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn orient_json_follows_the_contract() {
    let validator = {
        let path = repo().join("../shared/contracts/facts.schema.json");
        let schema: serde_json::Value = json(&path);
        jsonschema::validator_for(&schema).unwrap()
    };
    let file = fixture("small/stup-recidive-gendarmerie.pdf");
    let out = permanence_bare(&["orient", s(&file), "--json"]).ok().json();
    let mut top: Vec<&String> = out.as_object().unwrap().keys().collect();
    top.sort();
    assert_eq!(top, ["facts", "proposal"]);
    assert!(validator.is_valid(&out["facts"]));
    let p = &out["proposal"];
    assert_eq!(p["orientation"], "crpc_deferement");
    assert!(p["measures"].is_array());
    assert_eq!(p["policy"]["name"], "Politique routière (exemple)");
    assert!(p["policy"]["version"].is_string());
    for rule in p["rules"].as_array().unwrap() {
        for key in ["id", "orientation", "explanation"] {
            assert!(rule[key].is_string(), "{key} in {rule}");
        }
    }
    // récidive of narcotics: the law's consequences, and evidence pointing at pages
    let mandatory: Vec<&str> = p["legal_frame"]["mandatory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        mandatory,
        [
            "annulation-recidive-stupefiants",
            "confiscation-recidive-stupefiants"
        ]
    );
    let evidence_pages: Vec<u64> = p["rules"][0]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap().clone())
        .map(|e| e["page"].as_u64().unwrap())
        .collect();
    assert!(!evidence_pages.is_empty());
    // French text otherwise
    let text = permanence_bare(&["orient", s(&file)]).ok().stdout;
    assert!(
        text.contains("Orientation proposée\u{a0}: CRPC sur déferrement (crpc_deferement)"),
        "{text}"
    );
}

const BROKEN: &str = "[policy]
name = \"Essai\"
version = \"1\"
author = \"Parquet\"
effective = 2026-01-01

[[rule]]
id = \"a\"
orientation = \"copj\"
explanation = \"E\"
[rule.when]
family = [\"alcool\"]
itt_days = { over = 90, up_to = 30 }
";

#[test]
fn broken_policy_files_exit_2_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("essai.toml");
    std::fs::write(&bad, BROKEN).unwrap();
    let name = s(&bad);

    let check = permanence_bare(&["politique", "verifier", name]);
    assert_eq!(check.code, 2);
    assert_eq!(check.stdout, "");
    let lines: Vec<&str> = check.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", check.stderr);
    assert!(lines[0].starts_with(&format!(
        "permanence : politique «\u{a0}{name}\u{a0}», ligne 12, colonne 11\u{a0}: famille d'infractions inconnue «\u{a0}alcool\u{a0}»"
    )), "{}", lines[0]);
    assert!(
        lines[1].contains("ligne 13, colonne 12\u{a0}: seuil impossible pour l'ITT"),
        "{}",
        lines[1]
    );

    let json = permanence_bare(&["policy", "check", name, "--json"]);
    assert_eq!(json.code, 2);
    let v = json.json();
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "policy.unknown_value");
    assert_eq!(v["errors"][0]["line"], 12);
    assert_eq!(v["errors"][1]["code"], "policy.threshold");

    // orient with a broken policy: one line, exit 2, nothing on stdout
    let file = &small_procedures()[0];
    let out = permanence_bare(&["orient", s(file), "--policy", name, "--json"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("ligne 12, colonne 11") && out.stderr.contains("(et 1 autre erreur)")
    );

    // a TOML syntax error, a missing file
    std::fs::write(&bad, "[policy\nname = \"x\"\n").unwrap();
    let out = permanence_bare(&["politique", "verifier", name]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("ligne 1, colonne 8\u{a0}: en-tête de section non fermé"),
        "{}",
        out.stderr
    );
    let missing = tmp.path().join("absente.toml");
    let out = permanence_bare(&["orient", s(file), "--policy", s(&missing)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("fichier introuvable"), "{}", out.stderr);
}

#[test]
fn the_shipped_policy_checks_and_another_policy_is_used() {
    let shipped = repo().join("assets/policies/politique-routiere.toml");
    let out = permanence_bare(&["politique", "verifier", s(&shipped)]).ok();
    assert!(
        out.stdout.contains("15 règle(s), aucune erreur"),
        "{}",
        out.stdout
    );

    // a local policy where every alcohol délit goes to CRPC on convocation
    let tmp = tempfile::tempdir().unwrap();
    let local = tmp.path().join("locale.toml");
    std::fs::write(
        &local,
        "[policy]\nname = \"Parquet de Melun\"\nversion = \"3\"\nauthor = \"Procureur\"\neffective = 2026-06-01\n\n\
         [[rule]]\nid = \"alcool\"\norientation = \"crpc_convocation\"\nexplanation = \"Alcool délictuel : CRPC.\"\n\
         [rule.measures]\nsuspension_months = 5\n[rule.when]\nalcohol_after_margin = { at_least = 0.40 }\n",
    )
    .unwrap();
    let file = fixture("small/alcool-police.pdf");
    let out = permanence_bare(&["orient", s(&file), "--policy", s(&local), "--json"])
        .ok()
        .json();
    let p = &out["proposal"];
    assert_eq!(p["orientation"], "crpc_convocation");
    assert_eq!(p["policy"]["name"], "Parquet de Melun");
    assert_eq!(p["policy"]["version"], "3");
    assert_eq!(p["rules"][0]["id"], "alcool");
    assert_eq!(p["measures"][0]["kind"], "suspension_permis");
    assert_eq!(p["measures"][0]["months"], 5);
}
