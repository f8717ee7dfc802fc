//! The text extractors on arbitrary text: pages split at form feeds, as a `.txt` procedure.
//! Every evidence must be the page's text between its offsets (the facts contract).
#![no_main]

use libfuzzer_sys::fuzz_target;
use permanence::pdf::{Document, normalise_text};

fn check(value: &serde_json::Value, pages: &[String]) {
    match value {
        serde_json::Value::Object(map) => {
            if let (Some(page), Some(start), Some(end), Some(text)) = (
                map.get("page").and_then(|v| v.as_u64()),
                map.get("start").and_then(|v| v.as_u64()),
                map.get("end").and_then(|v| v.as_u64()),
                map.get("text").and_then(|v| v.as_str()),
            ) {
                let chars: Vec<char> = pages[page as usize - 1].chars().collect();
                let read: String = chars[start as usize..end as usize].iter().collect();
                assert_eq!(read, text, "evidence on page {page} at {start}..{end}");
            }
            map.values().for_each(|v| check(v, pages));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| check(v, pages)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let pages: Vec<String> = text.split('\u{c}').map(normalise_text).collect();
    let doc = Document::from_texts(pages.clone());
    let facts = permanence::extract::facts("piece.txt", &"0".repeat(64), &doc);
    check(&serde_json::to_value(&facts).unwrap(), &pages);
});
