//! The engine's integration tests: one binary, one module per capability. They drive the real
//! `permanence` binary and the library against real pdfium, SQLite and Tantivy, on the
//! fixtures that `fixtures/generate.py` produced.

mod support;

mod bad_input;
mod cli_contract;
mod crash;
mod crash_ops;
mod decision;
mod disk_full;
mod draft;
mod encryption;
mod extract;
mod fuzz_regressions;
mod hostile;
mod import;
mod journal;
mod natinf;
mod network;
mod ocr;
mod orient;
mod tracking;
