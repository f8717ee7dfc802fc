//! Encryption at rest: after imports, corrections, decisions and drafts made as the app makes
//! them, no file under the data directory (database, WAL, originals, index, drafts, tmp) holds
//! a name, a plate or a rate of the procedures in clear (UTF-8 or UTF-16LE); a wrong passphrase
//! opens nothing and changes nothing; the passphrase changes without rewriting the data; a key
//! file tampered with or missing, or a directory in clear, is refused in one French line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use permanence::crypto::{self, KdfParams};
use permanence::store::Profile;
use permanence::{DataDir, Engine};

use crate::support::*;

/// What the fixtures say about their people and vehicles: surnames, given names, birth
/// places and plates from the labels.
fn labelled_strings(pdfs: &[PathBuf]) -> Vec<String> {
    let mut found = Vec::new();
    for pdf in pdfs {
        let label: serde_json::Value =
            serde_json::from_slice(&std::fs::read(pdf.with_extension("expected.json")).unwrap())
                .unwrap();
        for person in label["persons"].as_array().into_iter().flatten() {
            for key in ["surname", "given_names", "birth_place"] {
                if let Some(v) = person[key].as_str() {
                    found.push(v.to_owned());
                }
            }
        }
        if let Some(plate) = label["vehicle"]["plate"].as_str() {
            found.push(plate.to_owned());
        }
    }
    found.retain(|s| s.chars().count() >= 5);
    found.sort();
    found.dedup();
    found
}

/// The alcohol rates of the labels as the pages write them ("0,77 mg/l"): the rate in French
/// and what follows it on the page, long enough never to occur by chance in random bytes.
fn rates_in(pages: &str) -> Vec<String> {
    let mut found = Vec::new();
    for pdf in small_procedures() {
        let label: serde_json::Value =
            serde_json::from_slice(&std::fs::read(pdf.with_extension("expected.json")).unwrap())
                .unwrap();
        let Some(value) = label["alcohol"]["value"].as_f64() else {
            continue;
        };
        let rate = format!("{value}").replace('.', ",");
        let at = pages
            .find(&rate)
            .unwrap_or_else(|| panic!("the rate {rate} of {} is not on its pages", pdf.display()));
        found.push(pages[at..].chars().take(10).collect());
    }
    assert!(!found.is_empty(), "no labelled rate");
    found
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Every (file, needle, encoding) where a needle is found in clear under `dir`.
fn in_clear(dir: &Path, needles: &[String]) -> Vec<(PathBuf, String, &'static str)> {
    let mut found = Vec::new();
    for file in files_under(dir) {
        let bytes = std::fs::read(&file).unwrap();
        for needle in needles {
            for (encoding, pattern) in [
                ("UTF-8", needle.as_bytes().to_vec()),
                ("UTF-16LE", utf16le(needle)),
            ] {
                if bytes.windows(pattern.len()).any(|w| w == pattern) {
                    found.push((file.clone(), needle.clone(), encoding));
                }
            }
        }
    }
    found
}

#[test]
fn the_search_for_clear_text_finds_what_is_there() {
    // The check below must be able to fail: a file in clear, in either encoding, is found.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("a/b")).unwrap();
    std::fs::write(tmp.path().join("a/b/utf8"), "… DELACROIX Joël …").unwrap();
    std::fs::write(tmp.path().join("a/utf16"), utf16le("… SC-150-WA …")).unwrap();
    let needles = [
        "Joël".to_owned(),
        "SC-150-WA".to_owned(),
        "absent".to_owned(),
    ];
    let found = in_clear(tmp.path(), &needles);
    let mut names: Vec<(&str, &str)> = found.iter().map(|(_, n, e)| (n.as_str(), *e)).collect();
    names.sort();
    assert_eq!(names, [("Joël", "UTF-8"), ("SC-150-WA", "UTF-16LE")]);
}

const REASON: &str = "Reconnaissance des faits à l'audition, situation professionnelle stable";

#[test]
fn nothing_about_a_case_is_in_clear_on_disk() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("donnees");
    let mut engine = open_engine(&data);
    let mut files = small_procedures();
    files.push(fixture("small/jugement.txt"));
    // Partly scanned: its pages 2 and 5 are read by OCR, whose results are cached.
    let scan = fixture("scanned/mixed-holdout-045.pdf");
    files.push(scan.clone());
    let outcomes = engine.import_files(&files, &mut |_| {});
    engine
        .set_profile(&Profile {
            name: "Claire DURAND".into(),
            function: "substitut du procureur de la République".into(),
            court: "Melun".into(),
        })
        .unwrap();
    let mut pages = String::new();
    let mut ocr_text = String::new();
    for (outcome, file) in outcomes.iter().zip(&files) {
        let imported = outcome.imported.as_ref().expect("imported");
        for page in engine.store().pages(imported.document).unwrap() {
            pages.push_str(&page.text);
            pages.push('\n');
            if *file == scan && [2, 5].contains(&page.number) {
                ocr_text.push_str(&page.text);
            }
        }
        let dossier = imported.dossier;
        if engine
            .dossier_facts(dossier)
            .unwrap()
            .facts
            .alcohol
            .is_some()
        {
            engine
                .correct(dossier, "/alcohol/value", serde_json::json!(0.61), REASON)
                .unwrap();
        }
        engine
            .decide(dossier, Some("composition_penale"), REASON)
            .unwrap();
        for kind in [
            "synthese",
            "bordereau",
            "orientation",
            "jld",
            "requisitoire",
        ] {
            engine.export_draft(dossier, kind, &[2]).unwrap();
        }
    }
    assert!(!engine.search("alcoolémie", 20).unwrap().is_empty());

    // The labels' strings the pages hold as such (a given name may be cut by a line end).
    let mut labelled_files = small_procedures();
    labelled_files.push(scan.clone());
    let labelled = labelled_strings(&labelled_files);
    // What OCR read on the scanned pages is looked for too (the OCR cache is in the database).
    let from_ocr: Vec<String> = labelled_strings(std::slice::from_ref(&scan))
        .into_iter()
        .filter(|s| ocr_text.contains(s.as_str()))
        .collect();
    // Pages 2 and 5 are images: their text can only come from OCR.
    assert!(
        !from_ocr.is_empty(),
        "no labelled string read by OCR in {ocr_text:?}"
    );
    let mut needles: Vec<String> = labelled
        .iter()
        .filter(|s| pages.contains(s.as_str()))
        .cloned()
        .collect();
    assert!(
        needles.len() * 4 >= labelled.len() * 3 && needles.len() >= 12,
        "too few labelled strings on the pages: {needles:?} of {labelled:?}"
    );
    needles.extend(rates_in(&pages));
    needles.push(REASON.to_owned());
    // While the engine is open (the WAL holds the last transactions), then closed.
    let wal = DataDir::at(&data).database().with_extension("sqlite3-wal");
    assert!(wal.exists(), "the WAL is checked too");
    let kinds: Vec<String> = files_under(&data)
        .iter()
        .filter_map(|f| f.strip_prefix(&data).ok()?.iter().next())
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    for part in [
        "permanence.sqlite3",
        "originals",
        "index",
        "actes",
        "permanence.key",
    ] {
        assert!(
            kinds.iter().any(|k| k == part),
            "nothing in {part}: {kinds:?}"
        );
    }
    assert_eq!(in_clear(&data, &needles), []);
    drop(engine);
    assert_eq!(in_clear(&data, &needles), []);
    // And the originals are not named by their sha256.
    for file in files_under(&data.join("originals")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !files
                .iter()
                .any(|f| { permanence::engine::sha256_hex(&std::fs::read(f).unwrap()) == name })
        );
    }
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A data directory with a procedure imported by the CLI.
fn imported() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("donnees");
    permanence(&data, &["import", s(&fixture("small/alcool-police.pdf"))]).ok();
    (tmp, data)
}

fn with_passphrase(data: &Path, passphrase: &str, args: &[&str]) -> Run {
    run(permanence_cmd()
        .env(crypto::PASSPHRASE_ENV, passphrase)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap())
}

#[track_caller]
fn refused(run: &Run, message: &str) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    assert!(run.stderr.contains(message), "{}", run.stderr);
}

#[test]
fn a_wrong_passphrase_opens_nothing_and_changes_nothing() {
    let (_tmp, data) = imported();
    let before = snapshot(&data);
    for args in [
        &["list"][..],
        &["search", "éthylomètre"],
        &["check"],
        &["natinf", "search", "alcool"],
    ] {
        let run = with_passphrase(&data, "pas la bonne phrase", args);
        refused(&run, "phrase de passe incorrecte");
        assert_eq!(
            snapshot(&data),
            before,
            "{args:?} changed the data directory"
        );
    }
    let e = Engine::unlock(DataDir::at(&data), "pas la bonne phrase", KdfParams::TEST)
        .err()
        .expect("refused");
    assert_eq!(e.code(), "crypto.wrong_passphrase");
    assert_eq!(snapshot(&data), before);
    permanence(&data, &["list"]).ok();
}

#[test]
fn the_passphrase_changes_and_only_the_key_file_is_rewritten() {
    let (_tmp, data) = imported();
    let listed = permanence(&data, &["list", "--json"]).ok().stdout;
    let found = permanence(&data, &["search", "éthylomètre", "--json"])
        .ok()
        .stdout;
    let key = data.join(crypto::KEY_FILE);
    let mut before = snapshot(&data);
    let old_key = before.remove(&key).unwrap();

    let new = "une toute nouvelle phrase";
    let change = |new: &str| {
        run(permanence_cmd()
            .env(crypto::NEW_PASSPHRASE_ENV, new)
            .arg("--data-dir")
            .arg(&data)
            .arg("passphrase")
            .output()
            .unwrap())
    };
    refused(&change("court"), "au moins 8 caractères");
    assert_eq!(
        std::fs::read(&key).unwrap(),
        old_key,
        "a refused change writes nothing"
    );
    change(new).ok();

    let mut after = snapshot(&data);
    assert_ne!(after.remove(&key).unwrap(), old_key);
    assert_eq!(after, before, "only the key file changed");
    refused(
        &with_passphrase(&data, PASSPHRASE, &["list"]),
        "phrase de passe incorrecte",
    );
    assert_eq!(
        with_passphrase(&data, new, &["list", "--json"]).ok().stdout,
        listed
    );
    assert_eq!(
        with_passphrase(&data, new, &["search", "éthylomètre", "--json"])
            .ok()
            .stdout,
        found
    );
    let check = with_passphrase(&data, new, &["check"]).ok();
    assert!(check.stdout.contains("intégrité : ok"), "{}", check.stdout);
}

type Tamper = fn(&Path);

#[test]
fn a_key_file_tampered_with_or_missing_is_explained() {
    fn edit(key: &Path, field: &str, f: fn(&str) -> String) {
        let mut json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(key).unwrap()).unwrap();
        let value = f(json[field].as_str().unwrap());
        json[field] = value.into();
        std::fs::write(key, serde_json::to_vec(&json).unwrap()).unwrap();
    }
    fn flip_first(hex: &str) -> String {
        let first = if hex.starts_with('0') { '1' } else { '0' };
        format!("{first}{}", &hex[1..])
    }
    let cases: [(&str, Tamper, &str, &str); 6] = [
        (
            "removed",
            |k| std::fs::remove_file(k).unwrap(),
            "crypto.key_file_missing",
            "est introuvable",
        ),
        (
            "truncated",
            |k| {
                let bytes = std::fs::read(k).unwrap();
                std::fs::write(k, &bytes[..bytes.len() / 2]).unwrap()
            },
            "crypto.key_file_damaged",
            "est endommagée",
        ),
        (
            "emptied",
            |k| std::fs::write(k, b"").unwrap(),
            "crypto.key_file_damaged",
            "est endommagée",
        ),
        (
            "wrapped key altered",
            |k| edit(k, "wrapped_key", flip_first),
            "crypto.key_file_damaged",
            "est endommagée",
        ),
        (
            "nonce altered",
            |k| edit(k, "nonce", flip_first),
            "crypto.key_file_damaged",
            "est endommagée",
        ),
        (
            "wrapped key cut",
            |k| edit(k, "wrapped_key", |h| h[..40].to_owned()),
            "crypto.key_file_damaged",
            "est endommagée",
        ),
    ];
    for (what, tamper, code, message) in cases {
        let (_tmp, data) = imported();
        let key = data.join(crypto::KEY_FILE);
        tamper(&key);
        let before = snapshot(&data);
        let run = permanence(&data, &["list"]);
        refused(&run, message);
        assert!(
            run.stderr.contains("permanence.key"),
            "{what}: {}",
            run.stderr
        );
        assert_eq!(
            snapshot(&data),
            before,
            "{what}: changed the data directory"
        );
        let e = Engine::unlock(DataDir::at(&data), PASSPHRASE, KdfParams::TEST)
            .err()
            .expect("refused");
        assert_eq!(e.code(), code, "{what}");
    }
}

#[test]
fn a_data_directory_in_clear_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ancien");
    std::fs::create_dir_all(&data).unwrap();
    // A previous version's database: SQLite without a key is SQLite in clear.
    let conn = rusqlite::Connection::open(DataDir::at(&data).database()).unwrap();
    conn.execute_batch(
        "CREATE TABLE dossiers (id INTEGER PRIMARY KEY); INSERT INTO dossiers VALUES (1);",
    )
    .unwrap();
    drop(conn);
    let before = snapshot(&data);
    refused(
        &permanence(&data, &["list"]),
        "ne chiffrait pas les données",
    );
    assert_eq!(snapshot(&data), before);
    assert!(!data.join(crypto::KEY_FILE).exists());
}

#[test]
fn without_a_passphrase_nor_a_terminal_nothing_is_created() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("nouveau");
    let mut cmd = permanence_cmd();
    cmd.env_remove(crypto::PASSPHRASE_ENV)
        .arg("--data-dir")
        .arg(&data)
        .arg("list");
    // No controlling terminal: the prompt cannot be shown.
    #[cfg(unix)]
    // SAFETY: setsid is async-signal-safe and touches only the child.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    refused(&run(cmd.output().unwrap()), "aucune phrase de passe");
    assert!(files_under(&data).is_empty(), "{:?}", files_under(&data));
}
