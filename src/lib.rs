//! Permanence's engine: reads police procedures and court decisions, keeps them in a data
//! directory (SQLite database, originals, Tantivy index) and finds them again.
//!
//! The engine never depends on Tauri and does its I/O at its edges; the `permanence` CLI
//! (`src/main.rs`) and the desktop shell (`src-tauri/`) are thin layers over it.
//! See ARCHITECTURE.md for the map and the invariants.

pub mod app;
pub mod atomic;
pub mod bench;
pub mod crypto;
pub mod decision;
pub mod draft;
pub mod engine;
pub mod error;
pub mod extract;
pub mod facts;
pub mod fr;
pub mod index;
pub mod natinf;
pub mod ocr;
pub mod orient;
pub mod pdf;
pub mod stats;
pub mod store;
pub mod tracking;
pub mod worker;

pub use engine::{Engine, ImportProgress, ImportReport};
pub use error::{Error, WireError};
pub use store::DataDir;
