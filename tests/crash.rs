//! Killing the process at any point of an import: after a restart, the database shows the
//! whole document or nothing of it, and the index agrees with the database.

use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn killed_imports_leave_whole_documents_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let sources = small_procedures();
    // Several distinct larger files, so that each round imports something new (the small
    // ones, killed during every operation, are in `crash_ops.rs`).
    let files: Vec<_> = (0..4)
        .map(|i| {
            let f = tmp.path().join(format!("gros-{i}.pdf"));
            concatenated_pdf(&sources[i % sources.len()..], 120 + 20 * i, &f);
            f
        })
        .collect();

    // How long one full import takes here, to spread the kills over all its phases.
    let probe = tmp.path().join("probe");
    let start = Instant::now();
    permanence(&probe, &["import", s(&files[0])]).ok();
    let full = start.elapsed();

    let data = tmp.path().join("data");
    let rounds = 16;
    let mut completed = 0;
    for round in 0..rounds {
        let file = &files[round % files.len()];
        let expected_pages = page_count(file) as u64;
        let mut child = permanence_cmd()
            .arg("--data-dir")
            .arg(&data)
            .arg("import")
            .arg(file)
            .spawn()
            .unwrap();
        // From the very start to past the end of a normal import.
        let delay = full.mul_f64(round as f64 / (rounds as f64 - 4.0));
        std::thread::sleep(delay.min(full + Duration::from_millis(200)));
        // SAFETY: plain kill on our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait();

        // Restart: opening recovers, then the store must be whole and consistent.
        let check = permanence(&data, &["check", "--json"]);
        assert_eq!(
            check.code, 0,
            "round {round}: {} {}",
            check.stdout, check.stderr
        );
        let check = check.json();
        assert_eq!(check["integrity"], "ok");
        assert_eq!(check["mismatched_documents"], serde_json::json!([]));
        let dossiers = permanence(&data, &["list", "--json"]).ok().json();
        for d in dossiers.as_array().unwrap() {
            let shown = permanence(&data, &["show", &d["id"].to_string(), "--json"])
                .ok()
                .json();
            for doc in shown["documents_detail"].as_array().unwrap() {
                let pages = doc["pages"].as_u64().unwrap();
                // The original is stored whole: it decrypts and hashes to its digest.
                let sha = doc["sha256"].as_str().unwrap();
                let engine = open_engine(&data);
                let (_, bytes) = engine.original(doc["id"].as_i64().unwrap()).unwrap();
                assert_eq!(permanence::engine::sha256_hex(&bytes), sha, "round {round}");
                drop(engine);
                if doc["original_name"] == file.file_name().unwrap().to_str().unwrap() {
                    assert_eq!(pages, expected_pages, "round {round}: partial document");
                }
            }
        }
        completed = dossiers.as_array().unwrap().len();
    }
    // Later rounds re-import files already stored (duplicates): the store holds each file once.
    assert!(completed <= files.len());
    let hits = permanence(&data, &["search", "procès-verbal", "--json"])
        .ok()
        .json();
    assert_eq!(hits.as_array().unwrap().is_empty(), completed == 0);
}
