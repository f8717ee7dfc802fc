//! What the fuzzers found (`fuzz/regressions/TARGET/`, one file per input that made a target
//! fail), checked again with the same property as the target, on the real pdfium.

use std::path::PathBuf;

use permanence::pdf;

use crate::support::*;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = repo().join("fuzz/regressions").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "nothing in {}", dir.display());
    files
}

/// `fuzz_targets/pdf_intake.rs`: one character box per character of the page text; on a page
/// read by OCR, its words in order inside the text.
#[test]
fn pdf_intake_gives_a_box_per_character_of_the_page_text() {
    for file in inputs("pdf_intake") {
        let data = std::fs::read(&file).unwrap();
        let _ = pdf::read_bytes("piece.txt", &data, &mut |_, _| {});
        let Ok(doc) = pdf::read_bytes("piece.pdf", &data, &mut |_, _| {}) else {
            continue;
        };
        for page in doc.pages.iter().take(3) {
            assert_eq!(pdf::normalise_text(&page.text), page.text);
            let chars = page.text.chars().count() as u32;
            if let Some(layer) = &page.ocr {
                // Read by OCR: the text is its words', in order, inside the page text.
                let mut last = 0;
                for w in &layer.words {
                    assert!(
                        last <= w.start && w.start < w.end && w.end <= chars,
                        "{w:?}"
                    );
                    last = w.end;
                }
                continue;
            }
            let boxes = pdf::char_boxes("piece.pdf", &data, page.number).unwrap();
            assert_eq!(
                boxes.len(),
                page.text.chars().count(),
                "{} page {}",
                file.display(),
                page.number
            );
        }
    }
}
