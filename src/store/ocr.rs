//! The OCR cache: each recognised page's text, words and confidence, keyed by the sha256 of its
//! rendered pixels and of the engine's settings (`ocr::cache_key`), in the database (which a
//! later step encrypts), never in files.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};
use crate::ocr::{OcrLayer, Recognised, Word};

/// Keeps a recognition (no-op when its key is known), in the caller's transaction.
pub(super) fn put(
    tx: &rusqlite::Transaction,
    text: &str,
    layer: &OcrLayer,
    at: &str,
) -> Result<(), StoreError> {
    let words = serde_json::to_string(&layer.words).expect("words serialise");
    tx.prepare_cached(
        "INSERT OR IGNORE INTO ocr_cache (key, text, confidence, words, created) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![layer.key, text, layer.confidence as f64, words, at])?;
    Ok(())
}

fn layer(store: &Store, key: String, confidence: f64, words: &str) -> Result<OcrLayer, StoreError> {
    let words: Vec<Word> = serde_json::from_str(words).map_err(|e| StoreError::Corrupt {
        db: store.data_dir().database(),
        reason: format!("mots d'une page reconnue illisibles ({e})"),
    })?;
    Ok(OcrLayer {
        key,
        confidence: confidence as f32,
        words,
    })
}

impl Store {
    /// The recognition kept under `key`, if any.
    pub fn ocr_known(&self, key: &str) -> Result<Option<Recognised>, StoreError> {
        let row = self
            .conn()
            .prepare_cached("SELECT text, confidence, words FROM ocr_cache WHERE key = ?1")?
            .query_row([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        row.map(|(text, confidence, words)| {
            Ok(Recognised {
                text,
                layer: layer(self, key.to_owned(), confidence, &words)?,
            })
        })
        .transpose()
    }

    /// The OCR layer of each page of `document` read by OCR, by page number.
    pub fn ocr_layers(&self, document: i64) -> Result<HashMap<u32, OcrLayer>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT p.number, c.key, c.confidence, c.words FROM pages p
             JOIN ocr_cache c ON c.key = p.ocr_key WHERE p.document_id = ?1",
        )?;
        let rows = stmt
            .query_map([document], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, f64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(page, key, confidence, words)| Ok((page, layer(self, key, confidence, &words)?)))
            .collect()
    }

    /// The OCR layer of one page read by OCR, with the page's size in points.
    pub fn ocr_page(
        &self,
        document: i64,
        page: u32,
    ) -> Result<Option<(OcrLayer, f32, f32)>, StoreError> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT c.key, c.confidence, c.words, p.width, p.height FROM pages p
                 JOIN ocr_cache c ON c.key = p.ocr_key WHERE p.document_id = ?1 AND p.number = ?2",
            )?
            .query_row(params![document, page], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, f64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<f64>>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                ))
            })
            .optional()?;
        row.map(|(key, confidence, words, w, h)| {
            Ok((
                layer(self, key, confidence, &words)?,
                w.unwrap_or(0.0) as f32,
                h.unwrap_or(0.0) as f32,
            ))
        })
        .transpose()
    }

    /// How many recognitions the cache holds.
    pub fn ocr_cache_size(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM ocr_cache", [], |r| r.get::<_, i64>(0))?
            as u64)
    }
}
