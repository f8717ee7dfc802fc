//! The policy file parser (TOML): any text is accepted or refused with its problems (line and
//! column), never a panic; an accepted policy is evaluated on empty facts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permanence::facts::{Facts, Source};
use permanence::orient;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match orient::policy::parse("politique.toml", text) {
        Ok(policy) => {
            let facts = Facts::empty(Source {
                file: "pv.pdf".into(),
                sha256: "0".repeat(64),
                pages: 1,
                ocr_pages: Vec::new(),
            });
            let _ = orient::propose(&facts, &policy);
        }
        Err(e) => {
            let _ = (e.to_string(), e.lines(), e.code());
        }
    }
});
