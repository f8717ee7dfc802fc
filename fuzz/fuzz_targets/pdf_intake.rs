//! The PDF intake path: the engine's checks around pdfium (name, header, empty file, page
//! count limit), the page text as normalised, and the character boxes, which must be one per
//! character of the page text (or, for a page read by OCR, its words inside the text). pdfium
//! and Tesseract run in process here (no reader child).
#![no_main]

use libfuzzer_sys::fuzz_target;
use permanence::pdf;

fuzz_target!(|data: &[u8]| {
    let _ = pdf::read_bytes("piece.txt", data, &mut |_, _| {});
    let Ok(doc) = pdf::read_bytes("piece.pdf", data, &mut |_, _| {}) else {
        return;
    };
    for page in doc.pages.iter().take(3) {
        assert_eq!(pdf::normalise_text(&page.text), page.text);
        let chars = page.text.chars().count() as u32;
        if let Some(layer) = &page.ocr {
            // Read by OCR: the text is its words', in order, inside the page text.
            let mut last = 0;
            for w in &layer.words {
                assert!(last <= w.start && w.start < w.end && w.end <= chars, "{w:?}");
                last = w.end;
            }
            continue;
        }
        let boxes = pdf::char_boxes("piece.pdf", data, page.number).expect("page read before");
        assert_eq!(boxes.len(), page.text.chars().count(), "page {}", page.number);
    }
});
