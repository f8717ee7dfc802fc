//! Tracking rows: each dossier's figures row and its persons in matching form (both derived),
//! and the dossier's status.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, journal};

/// The figures row of a dossier (see `migrations/0005_tracking.sql`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatsRow {
    pub dossier: i64,
    pub received: String,
    pub families: Vec<String>,
    pub natinf: Vec<String>,
    pub alcohol_mg_l: Option<f64>,
    pub facts_date: Option<String>,
    pub proposed: Option<String>,
    pub proposed_rule: Option<String>,
    pub decided: Option<String>,
    pub accepted: Option<bool>,
    pub decided_at: Option<String>,
}

/// A figures row borrowed from the database while it is read (no copy): what the figures
/// count, 50,000 at a time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatsRef<'a> {
    pub dossier: i64,
    pub received: &'a str,
    /// Comma-separated.
    pub families: &'a str,
    /// Comma-separated.
    pub natinf: &'a str,
    pub alcohol_mg_l: Option<f64>,
    pub proposed: Option<&'a str>,
    pub proposed_rule: Option<&'a str>,
    pub decided: Option<&'a str>,
    pub accepted: Option<bool>,
    pub decided_at: Option<&'a str>,
}

impl StatsRow {
    /// A borrowed view (the families and codes joined as the database holds them).
    pub fn with_ref<T>(&self, f: impl FnOnce(&StatsRef) -> T) -> T {
        let families = self.families.join(",");
        let natinf = self.natinf.join(",");
        f(&StatsRef {
            dossier: self.dossier,
            received: &self.received,
            families: &families,
            natinf: &natinf,
            alcohol_mg_l: self.alcohol_mg_l,
            proposed: self.proposed.as_deref(),
            proposed_rule: self.proposed_rule.as_deref(),
            decided: self.decided.as_deref(),
            accepted: self.accepted,
            decided_at: self.decided_at.as_deref(),
        })
    }
}

/// A person in matching form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonKey {
    pub dossier: i64,
    pub role: String,
    pub surname: String,
    pub given: String,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
}

fn split(list: String) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Store {
    /// Replaces the derived rows of a dossier.
    pub fn put_tracking(
        &mut self,
        row: &StatsRow,
        persons: &[PersonKey],
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO dossier_stats (dossier_id, received, families, natinf,
                 alcohol_mg_l, facts_date, proposed, proposed_rule, decided, accepted, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                row.dossier,
                row.received,
                row.families.join(","),
                row.natinf.join(","),
                row.alcohol_mg_l,
                row.facts_date,
                row.proposed,
                row.proposed_rule,
                row.decided,
                row.accepted,
                row.decided_at
            ],
        )?;
        tx.execute(
            "DELETE FROM person_keys WHERE dossier_id = ?1",
            [row.dossier],
        )?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO person_keys (dossier_id, role, surname, given, birth_date, birth_place)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for p in persons {
                insert.execute(params![
                    p.dossier,
                    p.role,
                    p.surname,
                    p.given,
                    p.birth_date,
                    p.birth_place
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Creates `rows.len()` dossiers with their figures rows in one transaction: generated data
    /// for the figures benchmark (no documents).
    pub fn insert_generated_dossiers(&mut self, rows: &[StatsRow]) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        {
            let mut dossier = tx.prepare_cached(
                "INSERT INTO dossiers (id, title, status, created) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut stats = tx.prepare_cached(
                "INSERT INTO dossier_stats (dossier_id, received, families, natinf, alcohol_mg_l,
                     facts_date, proposed, proposed_rule, decided, accepted, decided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?;
            for r in rows {
                let status = if r.decided.is_some() {
                    "decision_validee"
                } else {
                    "recu"
                };
                dossier.execute(params![
                    r.dossier,
                    format!("dossier {}", r.dossier),
                    status,
                    r.received
                ])?;
                stats.execute(params![
                    r.dossier,
                    r.received,
                    r.families.join(","),
                    r.natinf.join(","),
                    r.alcohol_mg_l,
                    r.facts_date,
                    r.proposed,
                    r.proposed_rule,
                    r.decided,
                    r.accepted,
                    r.decided_at
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Dossiers with no figures row yet.
    pub fn dossiers_without_stats(&self) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .conn()
            .prepare(
                "SELECT id FROM dossiers WHERE id NOT IN (SELECT dossier_id FROM dossier_stats)
                 ORDER BY id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// The figures rows received between `from` and `to` (RFC 3339 prefixes, inclusive).
    pub fn stats_rows(
        &self,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<StatsRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT dossier_id, received, families, natinf, alcohol_mg_l, facts_date, proposed,
                    proposed_rule, decided, accepted, decided_at
             FROM dossier_stats
             WHERE (?1 IS NULL OR received >= ?1) AND (?2 IS NULL OR substr(received, 1, 10) <= ?2)
             ORDER BY received",
        )?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok(StatsRow {
                    dossier: r.get(0)?,
                    received: r.get(1)?,
                    families: split(r.get(2)?),
                    natinf: split(r.get(3)?),
                    alcohol_mg_l: r.get(4)?,
                    facts_date: r.get(5)?,
                    proposed: r.get(6)?,
                    proposed_rule: r.get(7)?,
                    decided: r.get(8)?,
                    accepted: r.get(9)?,
                    decided_at: r.get(10)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// Calls `f` on each figures row received between `from` and `to` (YYYY-MM-DD, inclusive),
    /// borrowed from SQLite's buffers.
    pub fn scan_stats(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        f: &mut dyn FnMut(&StatsRef),
    ) -> Result<(), StoreError> {
        use rusqlite::types::ValueRef;
        fn text<'a>(v: ValueRef<'a>) -> Option<&'a str> {
            match v {
                ValueRef::Text(t) => std::str::from_utf8(t).ok(),
                _ => None,
            }
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT dossier_id, received, families, natinf, alcohol_mg_l, proposed,
                    proposed_rule, decided, accepted, decided_at
             FROM dossier_stats
             WHERE (?1 IS NULL OR received >= ?1) AND (?2 IS NULL OR substr(received, 1, 10) <= ?2)",
        )?;
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            f(&StatsRef {
                dossier: r.get(0)?,
                received: text(r.get_ref(1)?).unwrap_or_default(),
                families: text(r.get_ref(2)?).unwrap_or_default(),
                natinf: text(r.get_ref(3)?).unwrap_or_default(),
                alcohol_mg_l: r.get(4)?,
                proposed: text(r.get_ref(5)?),
                proposed_rule: text(r.get_ref(6)?),
                decided: text(r.get_ref(7)?),
                accepted: r.get(8)?,
                decided_at: text(r.get_ref(9)?),
            });
        }
        Ok(())
    }

    /// Persons of other dossiers with this matching surname.
    pub fn persons_named(&self, surname: &str) -> Result<Vec<PersonKey>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT dossier_id, role, surname, given, birth_date, birth_place
                 FROM person_keys WHERE surname = ?1 ORDER BY dossier_id",
            )?
            .query_map([surname], |r| {
                Ok(PersonKey {
                    dossier: r.get(0)?,
                    role: r.get(1)?,
                    surname: r.get(2)?,
                    given: r.get(3)?,
                    birth_date: r.get(4)?,
                    birth_place: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    pub fn status(&self, dossier: i64) -> Result<String, StoreError> {
        self.conn()
            .query_row(
                "SELECT status FROM dossiers WHERE id = ?1",
                [dossier],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchDossier(dossier))
    }

    /// Sets a dossier's status (already checked by the caller) and journals it.
    pub fn set_status(
        &mut self,
        dossier: i64,
        status: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        let from: String = tx
            .query_row(
                "SELECT status FROM dossiers WHERE id = ?1",
                [dossier],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchDossier(dossier))?;
        if from != status {
            tx.execute(
                "UPDATE dossiers SET status = ?2 WHERE id = ?1",
                params![dossier, status],
            )?;
            journal::append_as(
                &tx,
                actor,
                Some(dossier),
                "status_changed",
                &serde_json::json!({ "from": from, "to": status }),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Journals an event about a dossier (identifiers only in `detail`).
    pub fn record(
        &mut self,
        dossier: i64,
        actor: &str,
        event: &str,
        detail: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        journal::append_as(&tx, actor, Some(dossier), event, detail)?;
        tx.commit()?;
        Ok(())
    }

    /// The detail of the last journal entry of `event` for a dossier.
    pub fn last_event(
        &self,
        dossier: i64,
        event: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        let detail: Option<String> = self
            .conn()
            .prepare_cached(
                "SELECT detail FROM journal WHERE dossier_id = ?1 AND event = ?2
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![dossier, event], |r| r.get(0))
            .optional()?;
        Ok(detail.and_then(|d| serde_json::from_str(&d).ok()))
    }

    pub fn dossier_created(&self, dossier: i64) -> Result<String, StoreError> {
        self.conn()
            .query_row(
                "SELECT created FROM dossiers WHERE id = ?1",
                [dossier],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchDossier(dossier))
    }
}
