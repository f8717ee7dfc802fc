//! The journal: an append-only, tamper-evident record of what happened to each dossier.
//!
//! Every entry holds the hash of the entry before it (`prev`) and its own `hash`, a SHA-256 over
//! `prev` and all its fields; `journal_head` holds the last entry's id and hash. Triggers forbid
//! updates and deletes; [`verify`] recomputes the chain, so an entry edited, inserted or removed
//! by hand (triggers dropped first) is found. Entries hold identifiers, event names and counts,
//! never case content (names, rates, free text): those live in their own tables.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{StoreError, now};

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends an entry by the engine itself (no user); see [`append_as`].
pub fn append(
    conn: &Connection,
    dossier: Option<i64>,
    event: &str,
    detail: &serde_json::Value,
) -> Result<i64, StoreError> {
    append_as(conn, "", dossier, event, detail)
}

/// Appends an entry made by `actor` (the user profile's name). Call it inside the transaction
/// that makes the change it records, so that both land or neither does.
pub fn append_as(
    conn: &Connection,
    actor: &str,
    dossier: Option<i64>,
    event: &str,
    detail: &serde_json::Value,
) -> Result<i64, StoreError> {
    let prev = head(conn)?.map_or_else(|| GENESIS.to_owned(), |(_, hash)| hash);
    let at = now();
    let detail = detail.to_string();
    conn.prepare_cached(
        "INSERT INTO journal (at, dossier_id, event, detail, actor, prev) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![at, dossier, event, detail, actor, prev])?;
    let id = conn.last_insert_rowid();
    let hash = entry_hash(&prev, id, &at, dossier, event, actor, &detail);
    seal(conn, id, &prev, &hash)?;
    Ok(id)
}

/// Gives hashes to the entries written before the chain existed (after migration 0002).
pub(super) fn seal_unsealed(conn: &Connection) -> Result<(), StoreError> {
    let rows: Vec<Row> = conn
        .prepare("SELECT id, at, dossier_id, event, actor, detail, prev, hash FROM journal WHERE hash = '' ORDER BY id")?
        .query_map([], Row::read)?
        .collect::<Result<_, _>>()?;
    for row in rows {
        let prev = head(conn)?.map_or_else(|| GENESIS.to_owned(), |(_, hash)| hash);
        let hash = row.expected_hash(&prev);
        seal(conn, row.id, &prev, &hash)?;
    }
    Ok(())
}

fn seal(conn: &Connection, id: i64, prev: &str, hash: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE journal SET prev = ?2, hash = ?3 WHERE id = ?1")?
        .execute(params![id, prev, hash])?;
    conn.prepare_cached(
        "INSERT INTO journal_head (one, last_id, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash",
    )?
    .execute(params![id, hash])?;
    Ok(())
}

fn head(conn: &Connection) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT last_id, hash FROM journal_head WHERE one = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn entry_hash(
    prev: &str,
    id: i64,
    at: &str,
    dossier: Option<i64>,
    event: &str,
    actor: &str,
    detail: &str,
) -> String {
    let mut bytes = Vec::new();
    // Length-prefixed fields: no two different entries hash the same bytes.
    for field in [
        prev,
        &id.to_string(),
        at,
        &dossier.map(|d| d.to_string()).unwrap_or_default(),
        event,
        actor,
        detail,
    ] {
        bytes.extend_from_slice(&(field.len() as u64).to_le_bytes());
        bytes.extend_from_slice(field.as_bytes());
    }
    crate::engine::sha256_hex(&bytes)
}

struct Row {
    id: i64,
    at: String,
    dossier: Option<i64>,
    event: String,
    actor: String,
    detail: String,
    prev: String,
    hash: String,
}

impl Row {
    fn read(r: &rusqlite::Row) -> rusqlite::Result<Row> {
        Ok(Row {
            id: r.get(0)?,
            at: r.get(1)?,
            dossier: r.get(2)?,
            event: r.get(3)?,
            actor: r.get(4)?,
            detail: r.get(5)?,
            prev: r.get(6)?,
            hash: r.get(7)?,
        })
    }

    fn expected_hash(&self, prev: &str) -> String {
        entry_hash(
            prev,
            self.id,
            &self.at,
            self.dossier,
            &self.event,
            &self.actor,
            &self.detail,
        )
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries checked.
    pub entries: u64,
    /// The first entry that breaks the chain, and why (in French); `None` when the journal is
    /// intact.
    pub broken: Option<Break>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The entry's id (the last intact one's when entries were removed at the end).
    pub entry: i64,
    pub reason: String,
}

/// Recomputes the whole chain.
pub fn verify(conn: &Connection) -> Result<Verification, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, at, dossier_id, event, actor, detail, prev, hash FROM journal ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut last = None;
    let mut entries = 0;
    let broken = |entry: i64, reason: &str| Break {
        entry,
        reason: reason.to_owned(),
    };
    while let Some(r) = rows.next()? {
        let row = Row::read(r)?;
        entries += 1;
        let found = if row.prev != prev {
            Some(
                "elle ne suit pas l'entrée précédente : une entrée a été supprimée ou insérée avant elle",
            )
        } else if row.hash != row.expected_hash(&prev) {
            Some("son contenu a été modifié après son inscription")
        } else {
            None
        };
        if let Some(reason) = found {
            return Ok(Verification {
                entries,
                broken: Some(broken(row.id, reason)),
            });
        }
        prev = row.hash;
        last = Some(row.id);
    }
    let head = head(conn)?;
    let broken = match (last, head) {
        (None, None) => None,
        (Some(id), Some((head_id, head_hash))) if id == head_id && head_hash == prev => None,
        (last, _) => Some(broken(
            last.unwrap_or(0),
            "le journal s'arrête avant sa dernière entrée connue : des entrées ont été supprimées",
        )),
    };
    Ok(Verification { entries, broken })
}

/// Checks the rows the journal vouches for: each correction and decision must match the digest
/// its journal entry holds, every such row must have its entry, and every entry its row.
pub fn verify_records(
    conn: &Connection,
    corrections: &[super::Correction],
    decisions: &[(super::DecisionRecord, String)],
) -> Result<Option<Break>, StoreError> {
    use std::collections::HashMap;
    let mut entries: HashMap<(&str, i64), (i64, String)> = HashMap::new();
    let rows: Vec<(i64, String, String)> = conn
        .prepare(
            "SELECT id, event, detail FROM journal
             WHERE event IN ('fact_corrected', 'decision_accepted', 'decision_changed') ORDER BY id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (id, event, detail) in &rows {
        let detail: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
        let (kind, key) = if event == "fact_corrected" {
            ("correction", "correction")
        } else {
            ("decision", "decision")
        };
        if let Some(row) = detail[key].as_i64() {
            let digest = detail["digest"].as_str().unwrap_or_default().to_owned();
            entries.insert((kind, row), (*id, digest));
        }
    }
    let broken = |entry: i64, reason: String| Some(Break { entry, reason });
    for c in corrections {
        match entries.remove(&("correction", c.id)) {
            None => {
                return Ok(broken(
                    0,
                    format!(
                        "la correction n°\u{a0}{} n'est inscrite nulle part au journal : elle a été ajoutée à la main",
                        c.id
                    ),
                ));
            }
            Some((entry, digest)) if digest != super::facts::correction_digest(c) => {
                return Ok(broken(
                    entry,
                    format!(
                        "la correction n°\u{a0}{} a été modifiée après son inscription",
                        c.id
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    for (d, proposal) in decisions {
        match entries.remove(&("decision", d.id)) {
            None => {
                return Ok(broken(
                    0,
                    format!(
                        "la décision n°\u{a0}{} n'est inscrite nulle part au journal : elle a été ajoutée à la main",
                        d.id
                    ),
                ));
            }
            Some((entry, digest)) if digest != super::decisions::decision_digest(d, proposal) => {
                return Ok(broken(
                    entry,
                    format!(
                        "la décision n°\u{a0}{} a été modifiée après son inscription",
                        d.id
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    if let Some(((kind, row), (entry, _))) = entries.into_iter().min_by_key(|(_, (e, _))| *e) {
        let what = if kind == "decision" {
            "la décision"
        } else {
            "la correction"
        };
        return Ok(broken(
            entry,
            format!("{what} n°\u{a0}{row} inscrite au journal a disparu de la base"),
        ));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DataDir, Store};
    use serde_json::json;

    fn store_with(events: &[&str]) -> (tempfile::TempDir, Store) {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        for e in events {
            append_as(store.conn(), "Mme Dupont", None, e, &json!({"n": 1})).unwrap();
        }
        (tmp, store)
    }

    /// Runs `sql` as someone editing the file by hand would: triggers dropped first.
    fn tamper(store: &Store, sql: &str) {
        store
            .conn()
            .execute_batch(&format!(
                "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete; {sql}"
            ))
            .unwrap();
    }

    fn check(sql: &str, expect: Option<(i64, &str)>) {
        let (_tmp, store) = store_with(&["a", "b", "c", "d"]);
        assert_eq!(
            verify(store.conn()).unwrap(),
            Verification {
                entries: 4,
                broken: None
            }
        );
        tamper(&store, sql);
        let got = verify(store.conn()).unwrap().broken;
        let got = got.as_ref().map(|b| (b.entry, &b.reason[..20]));
        assert_eq!(got, expect.map(|(id, r)| (id, &r[..20])), "{sql}");
    }

    #[test]
    fn verify_finds_every_kind_of_hand_edit() {
        check("SELECT 1", None);
        check(
            "UPDATE journal SET event = 'x' WHERE id = 2",
            Some((2, "son contenu a été modifié")),
        );
        check(
            "UPDATE journal SET actor = '' WHERE id = 4",
            Some((4, "son contenu a été modifié")),
        );
        check(
            "UPDATE journal SET at = '2020-01-01T00:00:00Z' WHERE id = 1",
            Some((1, "son contenu a été modifié")),
        );
        check(
            "DELETE FROM journal WHERE id = 2",
            Some((3, "elle ne suit pas l'entrée")),
        );
        check(
            "DELETE FROM journal WHERE id = 4",
            Some((3, "le journal s'arrête avant")),
        );
        check(
            "INSERT INTO journal (id, at, event, prev, hash) SELECT 5, at, 'x', hash, hash FROM journal WHERE id = 4",
            Some((5, "son contenu a été modifié")),
        );
    }

    #[test]
    fn the_triggers_refuse_updates_and_deletes() {
        let (_tmp, store) = store_with(&["a"]);
        for sql in [
            "UPDATE journal SET event = 'x'",
            "UPDATE journal SET hash = 'x'",
            "DELETE FROM journal",
        ] {
            assert!(store.conn().execute(sql, []).is_err(), "{sql}");
        }
    }

    #[test]
    fn entries_written_before_the_chain_are_sealed_by_the_migration() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let db = DataDir::at(tmp.path()).database();
        {
            let conn = super::super::connect(&db, &keys).unwrap();
            conn.execute_batch(include_str!("migrations/0001_init.sql"))
                .unwrap();
            conn.execute_batch(
                "INSERT INTO journal (at, event) VALUES ('2026-11-20T10:00:00Z', 'old1');
                 INSERT INTO journal (at, event) VALUES ('2026-11-20T11:00:00Z', 'old2');
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        }
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        append(store.conn(), None, "new", &json!({})).unwrap();
        assert_eq!(
            verify(store.conn()).unwrap(),
            Verification {
                entries: 3,
                broken: None
            }
        );
    }
}
