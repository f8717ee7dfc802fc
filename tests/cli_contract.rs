//! The `--json` outputs exactly as `../shared/contracts/README.md` describes them, and
//! `extract` validating against `facts.schema.json`.

use crate::support::*;

fn facts_schema() -> jsonschema::Validator {
    let path = repo().join("../shared/contracts/facts.schema.json");
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn extract_output_validates_against_the_contract() {
    let validator = facts_schema();
    let mut files = small_procedures();
    files.push(fixture("special/plain.txt"));
    files.push(fixture("special/scanned.pdf"));
    for file in files {
        let facts = permanence_bare(&["extract", s(&file), "--json"])
            .ok()
            .json();
        let errors: Vec<String> = validator
            .iter_errors(&facts)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        assert_eq!(facts["source"]["file"], s(&file));
        assert_eq!(
            facts["source"]["pages"].as_u64().unwrap() as usize,
            if file.extension().unwrap() == "txt" {
                1
            } else {
                page_count(&file)
            }
        );
        assert_eq!(facts["source"]["sha256"].as_str().unwrap().len(), 64);
    }
    let scanned = permanence_bare(&["extract", s(&fixture("special/scanned.pdf")), "--json"])
        .ok()
        .json();
    assert!(
        !scanned["source"]["ocr_pages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn import_list_and_search_print_the_contract_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let files = small_procedures();
    let import = permanence(&data, &["import", s(&files[0]), s(&files[1]), "--json"])
        .ok()
        .json();
    let import = import.as_array().unwrap();
    assert_eq!(import.len(), 2);
    for (report, file) in import.iter().zip(&files) {
        assert_eq!(
            keys(report),
            ["document", "dossier", "duplicate", "file", "pages"]
        );
        assert_eq!(report["file"], s(file));
        assert_eq!(report["duplicate"], false);
    }
    let again = permanence(&data, &["import", s(&files[0]), "--json"])
        .ok()
        .json();
    assert_eq!(again[0]["duplicate"], true);
    assert_eq!(again[0]["dossier"], import[0]["dossier"]);

    let list = permanence(&data, &["list", "--json"]).ok().json();
    for d in list.as_array().unwrap() {
        assert_eq!(keys(d), ["created", "documents", "id", "status", "title"]);
    }

    let hits = permanence(
        &data,
        &["search", "procès-verbal", "--limit", "3", "--json"],
    )
    .ok()
    .json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    for h in hits {
        assert_eq!(keys(h), ["document", "dossier", "page", "score", "snippet"]);
        assert!(h["snippet"].as_str().unwrap().contains("<mark>"));
    }
}

#[test]
fn data_directory_comes_from_the_environment_when_no_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("depuis-env");
    let file = &small_procedures()[0];
    let out = permanence_cmd()
        .env("PERMANENCE_DATA", &data)
        .args(["import", s(file)])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(data.join("permanence.sqlite3").is_file());
    // The flag wins over the environment.
    let other = tmp.path().join("depuis-option");
    let out = permanence_cmd()
        .env("PERMANENCE_DATA", &data)
        .arg("--data-dir")
        .arg(&other)
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), "[]");
}

#[test]
fn human_output_is_french() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    assert_eq!(
        permanence(&data, &["list"]).ok().stdout.trim(),
        "Aucun dossier."
    );
    let help = permanence_bare(&["--help"]).ok().stdout;
    assert!(
        help.contains("Importe une ou plusieurs procédures"),
        "{help}"
    );
}
