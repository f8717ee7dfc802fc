//! Facts as stored: each document's extraction, with the extraction version that made it, and
//! the magistrate's corrections beside it (both kept; the correction wins).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, journal, now};
use crate::facts::Facts;

/// A fact corrected by the magistrate: the value at `path` (a JSON pointer into the facts,
/// e.g. `/alcohol/value`) becomes `value`; `previous` is what it was.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Correction {
    pub id: i64,
    pub document: i64,
    pub path: String,
    #[ts(type = "unknown")]
    pub value: serde_json::Value,
    #[ts(type = "unknown")]
    pub previous: serde_json::Value,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

/// A correction to record.
pub struct NewCorrection<'a> {
    pub dossier: i64,
    pub document: i64,
    pub path: &'a str,
    pub value: &'a serde_json::Value,
    pub previous: &'a serde_json::Value,
    pub reason: &'a str,
    pub actor: &'a str,
}

/// The digest the journal keeps of a correction row, so that a hand edit is found.
pub fn correction_digest(c: &Correction) -> String {
    digest(&[
        &c.id.to_string(),
        &c.document.to_string(),
        &c.path,
        &c.value.to_string(),
        &c.previous.to_string(),
        &c.reason,
        &c.actor,
        &c.at,
    ])
}

/// SHA-256 over length-prefixed fields.
pub(super) fn digest(fields: &[&str]) -> String {
    let mut bytes = Vec::new();
    for f in fields {
        bytes.extend_from_slice(&(f.len() as u64).to_le_bytes());
        bytes.extend_from_slice(f.as_bytes());
    }
    crate::engine::sha256_hex(&bytes)
}

/// Writes (or replaces) the facts of a document. Call it inside the transaction that stores
/// the document, or alone for a re-extraction.
pub fn put_facts(
    conn: &Connection,
    document: i64,
    version: u32,
    facts: &Facts,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(facts).expect("facts serialise");
    conn.prepare_cached(
        "INSERT INTO facts (document_id, version, facts, extracted) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (document_id) DO UPDATE SET version = excluded.version,
             facts = excluded.facts, extracted = excluded.extracted",
    )?
    .execute(params![document, version, json, now()])?;
    Ok(())
}

fn correction_row(r: &rusqlite::Row) -> rusqlite::Result<Correction> {
    let value: String = r.get(3)?;
    let previous: String = r.get(4)?;
    Ok(Correction {
        id: r.get(0)?,
        document: r.get(1)?,
        path: r.get(2)?,
        value: serde_json::from_str(&value).unwrap_or_default(),
        previous: serde_json::from_str(&previous).unwrap_or_default(),
        reason: r.get(5)?,
        actor: r.get(6)?,
        at: r.get(7)?,
    })
}

impl Store {
    /// The stored facts of a document and the extraction version that made them.
    pub fn facts(&self, document: i64) -> Result<Option<(u32, Facts)>, StoreError> {
        let row: Option<(u32, String)> = self
            .conn()
            .prepare_cached("SELECT version, facts FROM facts WHERE document_id = ?1")?
            .query_row([document], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        // Facts that no longer read (an older shape) are treated as absent: re-extracted.
        Ok(row.and_then(|(v, json)| serde_json::from_str(&json).ok().map(|f| (v, f))))
    }

    pub fn put_facts(&self, document: i64, version: u32, facts: &Facts) -> Result<(), StoreError> {
        put_facts(self.conn(), document, version, facts)
    }

    /// The corrections of a document, oldest first (later ones win).
    pub fn corrections(&self, document: i64) -> Result<Vec<Correction>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id, document_id, path, value, previous, reason, actor, at
                 FROM corrections WHERE document_id = ?1 ORDER BY id",
            )?
            .query_map([document], correction_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Every correction, for the journal's verification.
    pub(crate) fn all_corrections(&self) -> Result<Vec<Correction>, StoreError> {
        Ok(self
            .conn()
            .prepare(
                "SELECT id, document_id, path, value, previous, reason, actor, at
                 FROM corrections ORDER BY id",
            )?
            .query_map([], correction_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Records a correction and its journal entry in one transaction.
    pub fn add_correction(&mut self, new: NewCorrection) -> Result<Correction, StoreError> {
        let tx = self.conn_mut().transaction()?;
        let at = now();
        tx.execute(
            "INSERT INTO corrections (document_id, path, value, previous, reason, actor, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                new.document,
                new.path,
                new.value.to_string(),
                new.previous.to_string(),
                new.reason,
                new.actor,
                at
            ],
        )?;
        let correction = Correction {
            id: tx.last_insert_rowid(),
            document: new.document,
            path: new.path.to_owned(),
            value: new.value.clone(),
            previous: new.previous.clone(),
            reason: new.reason.to_owned(),
            actor: new.actor.to_owned(),
            at,
        };
        // The path names the field, not its content; the value stays in its table.
        journal::append_as(
            &tx,
            new.actor,
            Some(new.dossier),
            "fact_corrected",
            &serde_json::json!({
                "document": new.document,
                "correction": correction.id,
                "path": new.path,
                "digest": correction_digest(&correction),
            }),
        )?;
        tx.commit()?;
        Ok(correction)
    }

    /// The documents of a dossier, in import order.
    pub fn documents_of(&self, dossier: i64) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM documents WHERE dossier_id = ?1 ORDER BY id")?
            .query_map([dossier], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }
}
