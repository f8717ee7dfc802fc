//! OCR of scanned procedures (`fixtures/scanned/`, made by `fixtures/scans.py`) with the real
//! Tesseract and pdfium: scanned pages become searchable text with word boxes, facts read on
//! them carry a confidence, only pages without a usable text layer are recognised, a page
//! already recognised comes from the cache, and a cancelled import stores nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;

use crate::support::*;

fn scanned(rel: &str) -> PathBuf {
    fixture(&format!("scanned/{rel}"))
}

fn label(pdf: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(pdf.with_extension("expected.json")).unwrap())
        .unwrap()
}

#[test]
fn a_scanned_procedure_is_searchable_and_its_facts_carry_a_confidence() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let file = scanned("degraded/holdout-027.pdf");
    let want = label(&file);
    // Through the CLI: the pages are read and recognised in the reader child.
    let report = permanence(&data, &["import", s(&file), "--json"])
        .ok()
        .json();
    let report = &report[0];
    let pages = report["pages"].as_u64().unwrap();
    assert_eq!(report["ocr_pages"].as_u64(), Some(pages), "{report}");
    let dossier = report["dossier"].as_i64().unwrap();

    let surname = want["persons"][0]["surname"]
        .as_str()
        .unwrap()
        .to_lowercase();
    let hits = permanence(&data, &["search", &surname, "--json"])
        .ok()
        .json();
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["dossier"] == dossier),
        "{surname}: {hits}"
    );

    let facts = permanence(&data, &["facts", &dossier.to_string(), "--json"])
        .ok()
        .json();
    let facts = &facts["facts"];
    assert_eq!(offence_families(facts), offence_families(&want));
    assert_eq!(facts["alcohol"]["value"], want["alcohol"]["value"]);
    assert_eq!(
        facts["source"]["ocr_pages"].as_array().unwrap().len() as u64,
        pages
    );

    // Every evidence is on a recognised page, quotes its text and says how sure OCR was; its
    // rectangles are the words' boxes, inside the page.
    let engine = open_engine(&data);
    let document = report["document"].as_i64().unwrap();
    let mut seen = 0;
    for offence in facts["offences"].as_array().unwrap() {
        for ev in offence["evidence"].as_array().unwrap() {
            let page = ev["page"].as_u64().unwrap() as u32;
            let (start, end) = (
                ev["start"].as_u64().unwrap() as usize,
                ev["end"].as_u64().unwrap() as usize,
            );
            let text = engine.store().page_text(document, page).unwrap().unwrap();
            let quoted: String = text.chars().skip(start).take(end - start).collect();
            assert_eq!(ev["text"].as_str().unwrap(), quoted);
            let confidence = ev["ocr_confidence"]
                .as_u64()
                .unwrap_or_else(|| panic!("{ev}"));
            assert!((1..=100).contains(&confidence), "{ev}");
            // The viewer shows the scan (not a page waiting for OCR) and says it was read.
            let view = engine.page_view(document, page).unwrap();
            assert!(!view.needs_ocr, "{view:?}");
            let read = view.ocr_confidence.unwrap_or_else(|| panic!("{view:?}"));
            assert!((1.0..=100.0).contains(&read), "{view:?}");
            let rects = engine.evidence_boxes(document, page, start, end).unwrap();
            assert!(!rects.is_empty(), "{ev}");
            for r in rects {
                assert!(
                    r.left >= 0.0 && r.right <= 596.0 && r.left < r.right,
                    "{r:?}"
                );
                assert!(
                    r.bottom >= 0.0 && r.top <= 843.0 && r.bottom < r.top,
                    "{r:?}"
                );
            }
            seen += 1;
        }
    }
    assert!(seen > 0, "no evidence on the offences: {facts}");
}

#[test]
fn a_mixed_procedure_recognises_only_its_scanned_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(tmp.path());
    let file = scanned("mixed-holdout-045.pdf");
    let want: Vec<u32> = label(&file)["source"]["ocr_pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap() as u32)
        .collect();
    let mut progress = Vec::new();
    let report = engine
        .import(&file, None, &mut |p| progress.push(p))
        .unwrap();
    assert_eq!(report.ocr_pages as usize, want.len());
    let doc = &engine.show(report.dossier).unwrap().documents_detail[0];
    assert_eq!(doc.ocr_pages, want);
    let mut layers: Vec<u32> = engine
        .store()
        .ocr_layers(report.document)
        .unwrap()
        .into_keys()
        .collect();
    layers.sort();
    assert_eq!(layers, want, "only the scanned pages have words");
    let last = progress.last().unwrap();
    assert_eq!((last.ocr_done, last.ocr_total), (2, 2), "{progress:?}");
    for page in want {
        let text = engine
            .store()
            .page_text(report.document, page)
            .unwrap()
            .unwrap();
        assert!(text.split_whitespace().count() > 50, "page {page}: {text}");
    }
}

#[test]
fn a_page_already_recognised_comes_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let mut engine = open_engine(&tmp.path().join("data"));
    let file = scanned("clean/holdout-011.pdf");
    let first = engine.import(&file, None, &mut |_| {}).unwrap();
    assert_eq!((first.ocr_pages, first.ocr_cached), (first.pages, 0));
    let rows = engine.store().ocr_cache_size().unwrap();
    assert_eq!(rows, first.pages as u64);
    // The same pages in another file (other bytes, same images).
    let copy = tmp.path().join("copie.pdf");
    let out = std::process::Command::new("qpdf")
        .args(["--empty", "--pages", s(&file), "1-z", "--", s(&copy)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_ne!(std::fs::read(&copy).unwrap(), std::fs::read(&file).unwrap());
    let second = engine.import(&copy, None, &mut |_| {}).unwrap();
    assert!(!second.duplicate);
    assert_eq!(
        (second.ocr_pages, second.ocr_cached),
        (first.pages, first.pages)
    );
    assert_eq!(engine.store().ocr_cache_size().unwrap(), rows);
    for page in 1..=first.pages {
        assert_eq!(
            engine.store().page_text(first.document, page).unwrap(),
            engine.store().page_text(second.document, page).unwrap()
        );
    }
}

#[test]
fn a_clean_scan_is_read_within_two_percent_of_characters() {
    let file = scanned("clean/holdout-011.pdf");
    let known = std::fs::read_to_string(file.with_extension("known.txt")).unwrap();
    let document = permanence::pdf::read_file(&file, &mut |_, _| {}).unwrap();
    let read: Vec<&str> = document.pages.iter().map(|p| p.text.as_str()).collect();
    let known: Vec<&str> = known
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(read.len(), known.len());
    let cer = permanence::ocr::character_error_rate(&known.join("\n"), &read.join("\n"));
    assert!(cer <= 0.02, "character error rate {:.2} %", cer * 100.0);
    assert!(
        document
            .pages
            .iter()
            .all(|p| p.needs_ocr && p.ocr.is_some())
    );
}

#[test]
fn a_cancelled_import_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let mut engine = open_engine(&data);
    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let e = engine
        .import_cancellable(
            &scanned("degraded/holdout-010.pdf"),
            None,
            &mut |p| {
                seen += 1;
                // Cancelled once recognition has begun.
                if p.ocr_total > 0 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap_err();
    assert_eq!(e.code(), "import.cancelled");
    assert!(e.to_string().contains("annulé"), "{e}");
    assert!(seen > 0);
    assert!(engine.list().unwrap().is_empty());
    assert_eq!(engine.store().page_total().unwrap(), 0);
    assert_eq!(engine.store().ocr_cache_size().unwrap(), 0);
    assert!(files_under(&data.join("originals")).is_empty());
    assert!(engine.consistency().unwrap().is_ok());
}
