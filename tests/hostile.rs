//! Malformed and adversarial PDFs (`fixtures/hostile/`, written by `fixtures/hostile.py`): each
//! import ends within 10 s in success or in a clear French error, as its MANIFEST says, never in
//! a crash or a hang; the store stays sound and no PDF reader is left running.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::*;

const LIMIT: Duration = Duration::from_secs(10);

/// What the one-line message says for each expected error code.
fn wording(code: &str) -> &'static str {
    match code {
        "pdf.corrupt" => "est endommagé ou illisible",
        "pdf.encrypted" => "protégé par un mot de passe",
        "pdf.not_pdf" => "n'est pas un PDF",
        "pdf.too_many_pages" => "au-delà des 10\u{a0}000 pages",
        "pdf.timeout" => "a été interrompue",
        other => panic!("no wording known for {other}"),
    }
}

/// Runs `permanence --data-dir DATA ARGS`, killing it past `LIMIT`; returns the run and its time.
fn bounded(data: &Path, args: &[&str]) -> (Run, Duration) {
    let started = Instant::now();
    let mut child = permanence_cmd()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?}: still running after {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let took = started.elapsed();
    (
        Run {
            code: out
                .status
                .code()
                .unwrap_or_else(|| panic!("{args:?}: killed by a signal ({:?})", out.status)),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        },
        took,
    )
}

/// PDF readers (children started with the worker argument) still alive on a file of `dir`.
fn readers_alive(dir: &Path) -> usize {
    let dir = dir.display().to_string();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    procs
        .flatten()
        .filter_map(|p| std::fs::read(p.path().join("cmdline")).ok())
        .filter(|cmd| {
            let args: Vec<&[u8]> = cmd.split(|&b| b == 0).collect();
            args.contains(&permanence::worker::WORKER_ARG.as_bytes())
                && args.iter().any(|a| a.starts_with(dir.as_bytes()))
        })
        .count()
}

#[test]
fn hostile_pdfs_end_in_success_or_a_clear_error_within_ten_seconds() {
    let dir = fixture("hostile");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("MANIFEST.json")).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut imported = 0;
    let mut report = Vec::new();
    for (name, entry) in manifest.as_object().unwrap() {
        let file = dir.join(name);
        let expected = entry["expected"].as_str().unwrap();
        let (run, took) = bounded(&data, &["import", s(&file), "--json"]);
        report.push(format!("{name}: {expected} in {} ms", took.as_millis()));
        if expected == "ok" {
            assert_eq!(run.code, 0, "{name}: {}", run.stderr);
            let out = run.json();
            assert_eq!(out[0]["duplicate"], false, "{name}");
            assert!(out[0]["pages"].as_u64().unwrap() >= 1, "{name}");
            imported += 1;
        } else {
            assert_eq!(run.code, 2, "{name}: {} {}", run.stdout, run.stderr);
            let message = run.stderr.trim();
            assert_eq!(message.lines().count(), 1, "{name}: one line: {message}");
            assert!(
                message.contains(&format!("«\u{a0}{}\u{a0}»", file.display())),
                "{name}: names the file: {message}"
            );
            assert!(
                message.contains(wording(expected)),
                "{name}: expected {expected}: {message}"
            );
            assert_eq!(run.json(), serde_json::json!([]), "{name}");
        }
        // `extract` reads through the same path and ends the same way.
        let (run, _) = bounded(&data, &["extract", s(&file), "--json"]);
        assert_eq!(run.code, if expected == "ok" { 0 } else { 2 }, "{name}");
    }
    eprintln!("{}", report.join("\n"));
    let list = permanence(&data, &["list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), imported);
    let check = permanence(&data, &["check", "--json"]).ok().json();
    assert_eq!(check["integrity"], "ok");
    assert_eq!(check["mismatched_documents"], serde_json::json!([]));
    assert!(
        std::fs::read_dir(data.join("tmp"))
            .unwrap()
            .next()
            .is_none(),
        "no temporary file left"
    );
    assert_eq!(readers_alive(&dir), 0, "a PDF reader is still running");
}

#[test]
fn the_library_reads_in_process_unless_a_binary_enables_the_reader() {
    // The integration test binary never calls `worker::enable`: pdfium runs here.
    assert!(!permanence::worker::enabled());
    let doc =
        permanence::pdf::read_file(&fixture("hostile/wrong-xref.pdf"), &mut |_, _| {}).unwrap();
    assert_eq!(doc.pages.len(), 1);
    assert!(
        doc.pages[0].text.contains("PROCÈS-VERBAL"),
        "{}",
        doc.pages[0].text
    );
}
