//! `permanence natinf import / search / show` on the CSV fixtures of `fixtures/natinf/`
//! (written by `fixtures/natinf/make.py`), against a real SQLite file in a scratch data
//! directory.

use crate::support::*;

fn natinf_fixture(name: &str) -> String {
    s(&fixture(&format!("natinf/{name}"))).to_owned()
}

/// A scratch data directory, and `permanence natinf import FIXTURE [--json]` run into it.
fn imported(fixture: &str, json: bool) -> (tempfile::TempDir, std::path::PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = natinf_fixture(fixture);
    let mut args = vec!["natinf", "import", file.as_str()];
    if json {
        args.push("--json");
    }
    let run = permanence(&data, &args).ok();
    (tmp, data, run)
}

/// The codes of a `natinf search --json` answer, in order.
fn codes(run: &Run) -> Vec<String> {
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn each_official_shape_imports_with_its_count_and_its_accents() {
    // (file, rows, skipped, encoding, separator, header line, a code and its exact label)
    let cases = [
        (
            "natinf-utf8.csv",
            26,
            3,
            "utf-8-bom",
            ";",
            4,
            "90006",
            "Manœuvre dangereuse sur la voie publique dite « rodéo motorisé »",
        ),
        (
            "natinf-cp1252.csv",
            15,
            0,
            "windows-1252",
            ";",
            1,
            "90011",
            "Mise en danger délibérée de la vie d’autrui",
        ),
        (
            "natinf-comma.csv",
            23,
            0,
            "utf-8",
            ",",
            1,
            "90023",
            "Vol, recel, et \"blanchiment\" d'un véhicule",
        ),
    ];
    let road = permanence::extract::natinf::entries();
    for (file, rows, skipped, encoding, separator, header_line, code, label) in cases {
        let (_tmp, data, summary) = imported(file, true);
        let summary = summary.json();
        assert_eq!(summary["rows"], rows, "{file}");
        assert_eq!(
            summary["skipped"].as_array().unwrap().len(),
            skipped,
            "{file}"
        );
        assert_eq!(summary["encoding"], encoding, "{file}");
        assert_eq!(summary["separator"], separator, "{file}");
        assert_eq!(summary["header_line"], header_line, "{file}");
        assert_eq!(summary["source"], file);
        assert_eq!(summary["replaced"], 0);
        let entry = permanence(&data, &["natinf", "show", code, "--json"])
            .ok()
            .json();
        assert_eq!(entry["label"], label, "{file}");
        assert_eq!(entry["origin"], "import");
        // The real road-traffic codes are there with their shipped labels.
        let expected_road = if file == "natinf-cp1252.csv" {
            10
        } else {
            road.len()
        };
        for e in &road[..expected_road] {
            let shown = permanence(&data, &["natinf", "show", &e.natinf, "--json"])
                .ok()
                .json();
            assert_eq!(shown["label"], e.label.as_str(), "{file} {}", e.natinf);
            assert_eq!(shown["nature"], e.nature.as_str(), "{file} {}", e.natinf);
        }
    }
}

#[test]
fn the_import_lists_the_lines_it_skipped_in_french() {
    let (_tmp, _, run) = imported("natinf-utf8.csv", false);
    assert!(
        run.stdout.starts_with(
            "Table NATINF importée depuis «\u{a0}natinf-utf8.csv\u{a0}»\u{a0}: 26\u{a0}infractions \
             (UTF-8 avec BOM, séparateur «\u{a0};\u{a0}», en-tête ligne 4)"
        ),
        "{}",
        run.stdout
    );
    for line in [
        "3\u{a0}lignes ignorées\u{a0}:",
        "  ligne 10\u{a0}: doublon de la ligne 6 (NATINF n°\u{a0}1247)",
        "  ligne 25\u{a0}: ligne vide",
        "  ligne 33\u{a0}: ligne de note, sans numéro NATINF",
    ] {
        assert!(
            run.stdout.lines().any(|l| l == line),
            "{line:?} in {}",
            run.stdout
        );
    }
}

#[test]
fn a_bad_file_changes_nothing_and_says_why_with_its_line() {
    let (_tmp, data, _) = imported("natinf-utf8.csv", false);
    let bad_row = natinf_fixture("bad-row.csv");
    let bad_header = natinf_fixture("bad-header.csv");
    for (file, says) in [
        (
            &bad_row,
            format!(
                "permanence : le fichier NATINF «\u{a0}{bad_row}\u{a0}», ligne 7\u{a0}: le numéro \
                 NATINF «\u{a0}12A4\u{a0}» n'est pas un nombre (rien n'a été importé)\n"
            ),
        ),
        (
            &bad_header,
            format!(
                "permanence : le fichier «\u{a0}{bad_header}\u{a0}» n'a pas d'en-tête NATINF dans ses \
                 3 premières lignes\u{a0}: aucune ligne ne nomme les colonnes attendues"
            ),
        ),
    ] {
        for json in [false, true] {
            let mut args = vec!["natinf", "import", file.as_str()];
            if json {
                args.push("--json");
            }
            let run = permanence(&data, &args);
            assert_eq!(run.code, 2, "{file}");
            assert!(run.stdout.is_empty(), "{}", run.stdout);
            assert!(run.stderr.starts_with(&says), "{}", run.stderr);
        }
    }
    // Still the good table, whole, and one import in the journal.
    let found = permanence(&data, &["natinf", "search", "rodeo", "--json"]).ok();
    assert_eq!(codes(&found), ["90006"]);
    assert_eq!(found.json()[0]["source"], "natinf-utf8.csv");
    let text = permanence(&data, &["natinf", "search", "rodeo"]).ok();
    assert!(
        text.stdout.contains("«\u{a0}natinf-utf8.csv\u{a0}» le ")
            && text.stdout.contains("(26\u{a0}infractions)"),
        "{}",
        text.stdout
    );
    let journal = permanence(&data, &["journal", "verify", "--json"])
        .ok()
        .json();
    assert_eq!(journal["entries"], 1);
    assert_eq!(journal["broken"], serde_json::Value::Null);
}

#[test]
fn a_new_import_replaces_the_table() {
    let (_tmp, data, _) = imported("natinf-utf8.csv", false);
    let second = permanence(
        &data,
        &[
            "natinf",
            "import",
            &natinf_fixture("natinf-cp1252.csv"),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(second["replaced"], 26);
    let gone = permanence(&data, &["natinf", "show", "90006"]);
    assert_eq!(gone.code, 2);
    assert_eq!(
        gone.stderr,
        "permanence : le NATINF n°\u{a0}90006 ne figure pas dans la table NATINF importée \
         («\u{a0}natinf-cp1252.csv\u{a0}»)\n"
    );
}

#[test]
fn search_ignores_accents_and_case_and_finds_a_code_by_its_number() {
    let (_tmp, data, _) = imported("natinf-cp1252.csv", false);
    // (query, codes expected among the results, codes that must not be there)
    for (query, found, absent) in [
        ("ethylometre", vec!["90015"], vec![]),
        ("ÉTHYLOMÈTRE", vec!["90015"], vec![]),
        (
            "etat alcoolique",
            vec!["13322", "1247", "8544", "51", "2000"],
            vec!["41"],
        ),
        ("État Alcoolique récidive", vec!["8544"], vec!["1247"]),
        ("coeur", vec!["90012"], vec![]),
        ("d'autrui", vec!["90011"], vec![]),
        ("stupéfiants", vec!["23761", "29256", "22988"], vec![]),
        ("alcool", vec!["1247"], vec![]),
        ("1247", vec!["1247"], vec!["13322"]),
        ("124", vec![], vec!["1247"]),
    ] {
        let run = permanence(&data, &["natinf", "search", query, "--json"]).ok();
        let got = codes(&run);
        for code in &found {
            assert!(
                got.iter().any(|c| c == code),
                "{query}: {code} not in {got:?}"
            );
        }
        for code in &absent {
            assert!(!got.iter().any(|c| c == code), "{query}: {code} in {got:?}");
        }
        if found.is_empty() {
            assert!(got.is_empty(), "{query}: {got:?}");
        }
    }
    // A number finds its code first; several words may be given unquoted.
    let run = permanence(&data, &["natinf", "search", "41", "--json"]).ok();
    assert_eq!(codes(&run)[0], "41");
    let run = permanence(
        &data,
        &["natinf", "search", "etat", "alcoolique", "--limit", "2"],
    )
    .ok();
    assert!(
        run.stdout.starts_with(
            "5\u{a0}résultats dans la table importée depuis «\u{a0}natinf-cp1252.csv\u{a0}»"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(", 2 affichés\u{a0}:"), "{}", run.stdout);
    let empty = permanence(&data, &["natinf", "search", "--", "-"]);
    assert_eq!(empty.code, 2);
    assert!(
        empty.stderr.contains("la recherche est vide"),
        "{}",
        empty.stderr
    );
}

#[test]
fn without_an_import_the_shipped_road_traffic_subset_answers_the_same_way() {
    let (tmp, imported_dir, _) = imported("natinf-utf8.csv", false);
    let shipped_dir = tmp.path().join("shipped");
    for query in [
        "etat alcoolique",
        "conduite",
        "stupefiants",
        "homicide",
        "blessures ivresse",
        "1247",
        "41",
        "fuite",
    ] {
        let shipped = permanence(&shipped_dir, &["natinf", "search", query, "--json"]).ok();
        let imported = permanence(&imported_dir, &["natinf", "search", query, "--json"]).ok();
        // The fixture adds illustrative offences from 90001 on: the road-traffic ones rank alike.
        let imported_road: Vec<String> = codes(&imported)
            .into_iter()
            .filter(|c| c.parse::<u32>().unwrap() < 90_000)
            .collect();
        assert!(!imported_road.is_empty(), "{query}");
        assert_eq!(codes(&shipped), imported_road, "{query}");
        for e in shipped.json().as_array().unwrap() {
            assert_eq!(e["origin"], "shipped");
            assert_eq!(e["source"], "road-traffic.json");
            assert_eq!(e["imported"], serde_json::Value::Null);
        }
    }
    let text = permanence(&shipped_dir, &["natinf", "search", "ivresse"]).ok();
    assert!(
        text.stdout
            .contains("dans l'extrait routier livré avec Permanence"),
        "{}",
        text.stdout
    );
    let missing = permanence(&shipped_dir, &["natinf", "show", "90006"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("ne figure pas dans l'extrait routier livré avec Permanence"),
        "{}",
        missing.stderr
    );
    let not_a_code = permanence(&shipped_dir, &["natinf", "show", "L234-1"]);
    assert_eq!(not_a_code.code, 2);
    assert_eq!(
        not_a_code.stderr,
        "permanence : «\u{a0}L234-1\u{a0}» n'est pas un numéro NATINF (un nombre est attendu)\n"
    );
}

#[test]
fn json_outputs_have_their_documented_fields() {
    let (_tmp, data, summary) = imported("natinf-utf8.csv", true);
    let summary = summary.json();
    assert_eq!(
        keys(&summary),
        [
            "elapsed_ms",
            "encoding",
            "file",
            "header_line",
            "replaced",
            "rows",
            "separator",
            "sha256",
            "skipped",
            "source"
        ]
    );
    assert_eq!(summary["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(keys(&summary["skipped"][0]), ["line", "reason"]);
    let entry_keys = [
        "code",
        "defined_by",
        "imported",
        "label",
        "nature",
        "origin",
        "repressed_by",
        "source",
    ];
    let found = permanence(&data, &["natinf", "search", "1247", "--json"])
        .ok()
        .json();
    assert_eq!(keys(&found[0]), entry_keys);
    let shown = permanence(&data, &["natinf", "show", "1247", "--json"])
        .ok()
        .json();
    assert_eq!(keys(&shown), entry_keys);
    assert_eq!(shown, found[0]);
    assert_eq!(shown["code"], "1247");
    assert_eq!(shown["nature"], "Délit");
    assert_eq!(
        shown["repressed_by"],
        "art. L. 234-1, L. 234-2, L. 224-12 code de la route"
    );
    // 8544 has no texts in the table: null, not "".
    let bare = permanence(&data, &["natinf", "show", "8544", "--json"])
        .ok()
        .json();
    assert_eq!(bare["defined_by"], serde_json::Value::Null);
    assert!(bare["imported"].as_str().unwrap().ends_with('Z'));
}
