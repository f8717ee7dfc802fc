//! The user profile, the criminal policies kept (one active), and the magistrate's decisions.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::facts::digest;
use super::{Store, StoreError, journal, now};

/// Who uses this laptop: written into every decision and journal entry they make.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Profile {
    /// "Claire DURAND"
    pub name: String,
    /// "substitut du procureur de la République"
    pub function: String,
    /// The tribunal judiciaire: "Melun"
    pub court: String,
}

/// A policy kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PolicyRow {
    pub id: i64,
    pub name: String,
    pub version: String,
    pub author: String,
    pub effective: String,
    pub file: String,
    pub added: String,
    pub active: bool,
}

/// A policy to keep: its header, already checked, and its whole text.
pub struct NewPolicy<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub author: &'a str,
    pub effective: &'a str,
    pub file: &'a str,
    pub source: &'a str,
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DecisionRecord {
    pub id: i64,
    pub dossier: i64,
    /// The orientation proposed.
    pub proposed: String,
    /// The orientation decided.
    pub orientation: String,
    /// The proposal accepted as is.
    pub accepted: bool,
    /// Why the magistrate chose another orientation (empty when accepted).
    pub reason: String,
    pub policy_name: String,
    pub policy_version: String,
    pub actor: String,
    pub actor_function: String,
    pub at: String,
}

/// A decision to record, with the proposal the magistrate saw (JSON).
pub struct NewDecision<'a> {
    pub dossier: i64,
    pub proposed: &'a str,
    pub orientation: &'a str,
    pub reason: &'a str,
    pub proposal: &'a serde_json::Value,
    pub policy_name: &'a str,
    pub policy_version: &'a str,
    pub profile: &'a Profile,
}

/// The digest the journal keeps of a decision row.
pub fn decision_digest(d: &DecisionRecord, proposal: &str) -> String {
    digest(&[
        &d.id.to_string(),
        &d.dossier.to_string(),
        &d.proposed,
        &d.orientation,
        if d.accepted { "1" } else { "0" },
        &d.reason,
        proposal,
        &d.policy_name,
        &d.policy_version,
        &d.actor,
        &d.actor_function,
        &d.at,
    ])
}

const PROFILE_KEYS: [&str; 3] = ["profile.name", "profile.function", "profile.court"];

fn policy_row(r: &rusqlite::Row) -> rusqlite::Result<PolicyRow> {
    Ok(PolicyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        version: r.get(2)?,
        author: r.get(3)?,
        effective: r.get(4)?,
        file: r.get(5)?,
        added: r.get(6)?,
        active: r.get(7)?,
    })
}

const POLICY_COLUMNS: &str = "id, name, version, author, effective, file, added, active";
const DECISION_COLUMNS: &str = "id, dossier_id, proposed, orientation, accepted, reason, policy_name, policy_version, actor, actor_function, at, proposal";

fn decision_row(r: &rusqlite::Row) -> rusqlite::Result<(DecisionRecord, String)> {
    Ok((
        DecisionRecord {
            id: r.get(0)?,
            dossier: r.get(1)?,
            proposed: r.get(2)?,
            orientation: r.get(3)?,
            accepted: r.get(4)?,
            reason: r.get(5)?,
            policy_name: r.get(6)?,
            policy_version: r.get(7)?,
            actor: r.get(8)?,
            actor_function: r.get(9)?,
            at: r.get(10)?,
        },
        r.get(11)?,
    ))
}

impl Store {
    pub fn profile(&self) -> Result<Profile, StoreError> {
        let get = |key: &str| -> Result<String, StoreError> {
            Ok(self
                .conn()
                .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?
                .unwrap_or_default())
        };
        Ok(Profile {
            name: get(PROFILE_KEYS[0])?,
            function: get(PROFILE_KEYS[1])?,
            court: get(PROFILE_KEYS[2])?,
        })
    }

    /// A setting of this laptop (`settings`), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a preference of the app (not journaled: it says nothing about a case).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn set_profile(&mut self, profile: &Profile) -> Result<(), StoreError> {
        let tx = self.conn_mut().transaction()?;
        for (key, value) in
            PROFILE_KEYS
                .iter()
                .zip([&profile.name, &profile.function, &profile.court])
        {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        journal::append_as(
            &tx,
            &profile.name,
            None,
            "profile_set",
            &serde_json::json!({}),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The secret that makes pseudonyms stable on this laptop (created at first use).
    pub fn pseudonym_secret(&mut self) -> Result<String, StoreError> {
        let existing: Option<String> = self
            .conn()
            .query_row(
                "SELECT value FROM settings WHERE key = 'pseudonym.secret'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(s) = existing {
            return Ok(s);
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Io {
            path: self.data_dir().root().to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        self.conn().execute(
            "INSERT INTO settings (key, value) VALUES ('pseudonym.secret', ?1)",
            [&secret],
        )?;
        Ok(secret)
    }

    pub fn policies(&self) -> Result<Vec<PolicyRow>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {POLICY_COLUMNS} FROM policies ORDER BY id"
            ))?
            .query_map([], policy_row)?
            .collect::<Result<_, _>>()?)
    }

    /// The active policy and its text, if one was activated.
    pub fn active_policy(&self) -> Result<Option<(PolicyRow, String)>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {POLICY_COLUMNS}, source FROM policies WHERE active = 1"
            ))?
            .query_row([], |r| Ok((policy_row(r)?, r.get(8)?)))
            .optional()?)
    }

    pub fn policy_source(&self, id: i64) -> Result<Option<(PolicyRow, String)>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {POLICY_COLUMNS}, source FROM policies WHERE id = ?1"
            ))?
            .query_row([id], |r| Ok((policy_row(r)?, r.get(8)?)))
            .optional()?)
    }

    /// Keeps a checked policy (the same name and version replace nothing: refused), active at
    /// once when `activate`.
    pub fn add_policy(
        &mut self,
        new: NewPolicy,
        activate: bool,
        actor: &str,
    ) -> Result<PolicyRow, StoreError> {
        let tx = self.conn_mut().transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM policies WHERE name = ?1 AND version = ?2)",
            params![new.name, new.version],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::PolicyExists {
                name: new.name.to_owned(),
                version: new.version.to_owned(),
            });
        }
        if activate {
            tx.execute("UPDATE policies SET active = 0 WHERE active = 1", [])?;
        }
        tx.execute(
            "INSERT INTO policies (name, version, author, effective, file, source, added, active)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.name,
                new.version,
                new.author,
                new.effective,
                new.file,
                new.source,
                now(),
                activate
            ],
        )?;
        let id = tx.last_insert_rowid();
        journal::append_as(
            &tx,
            actor,
            None,
            "policy_added",
            &serde_json::json!({ "policy": id, "active": activate,
                "digest": digest(&[new.name, new.version, new.source]) }),
        )?;
        let row = tx.query_row(
            &format!("SELECT {POLICY_COLUMNS} FROM policies WHERE id = ?1"),
            [id],
            policy_row,
        )?;
        tx.commit()?;
        Ok(row)
    }

    pub fn activate_policy(&mut self, id: i64, actor: &str) -> Result<PolicyRow, StoreError> {
        let tx = self.conn_mut().transaction()?;
        let row = tx
            .query_row(
                &format!("SELECT {POLICY_COLUMNS} FROM policies WHERE id = ?1"),
                [id],
                policy_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchPolicy(id))?;
        tx.execute("UPDATE policies SET active = 0 WHERE active = 1", [])?;
        tx.execute("UPDATE policies SET active = 1 WHERE id = ?1", [id])?;
        journal::append_as(
            &tx,
            actor,
            None,
            "policy_activated",
            &serde_json::json!({ "policy": id }),
        )?;
        tx.commit()?;
        Ok(PolicyRow {
            active: true,
            ..row
        })
    }

    /// Records a decision, moves the dossier to `decision_validee`, and journals both, in one
    /// transaction.
    pub fn add_decision(&mut self, new: NewDecision) -> Result<DecisionRecord, StoreError> {
        let tx = self.conn_mut().transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = ?1)",
            [new.dossier],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(StoreError::NoSuchDossier(new.dossier));
        }
        let at = now();
        let accepted = new.orientation == new.proposed;
        let proposal = new.proposal.to_string();
        tx.execute(
            "INSERT INTO decisions (dossier_id, proposed, orientation, accepted, reason, proposal,
                 policy_name, policy_version, actor, actor_function, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                new.dossier,
                new.proposed,
                new.orientation,
                accepted,
                new.reason,
                proposal,
                new.policy_name,
                new.policy_version,
                new.profile.name,
                new.profile.function,
                at
            ],
        )?;
        let record = DecisionRecord {
            id: tx.last_insert_rowid(),
            dossier: new.dossier,
            proposed: new.proposed.to_owned(),
            orientation: new.orientation.to_owned(),
            accepted,
            reason: new.reason.to_owned(),
            policy_name: new.policy_name.to_owned(),
            policy_version: new.policy_version.to_owned(),
            actor: new.profile.name.clone(),
            actor_function: new.profile.function.clone(),
            at,
        };
        tx.execute(
            "UPDATE dossiers SET status = 'decision_validee' WHERE id = ?1",
            [new.dossier],
        )?;
        journal::append_as(
            &tx,
            &new.profile.name,
            Some(new.dossier),
            if accepted {
                "decision_accepted"
            } else {
                "decision_changed"
            },
            &serde_json::json!({
                "decision": record.id,
                "proposed": record.proposed,
                "orientation": record.orientation,
                "digest": decision_digest(&record, &proposal),
            }),
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// The decisions of a dossier, oldest first (the last one stands).
    pub fn decisions(&self, dossier: i64) -> Result<Vec<DecisionRecord>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions WHERE dossier_id = ?1 ORDER BY id"
            ))?
            .query_map([dossier], decision_row)?
            .map(|r| r.map(|(d, _)| d))
            .collect::<Result<_, _>>()?)
    }

    /// Every decision with its proposal text, for the journal's verification.
    pub(crate) fn all_decisions(&self) -> Result<Vec<(DecisionRecord, String)>, StoreError> {
        Ok(self
            .conn()
            .prepare(&format!(
                "SELECT {DECISION_COLUMNS} FROM decisions ORDER BY id"
            ))?
            .query_map([], decision_row)?
            .collect::<Result<_, _>>()?)
    }
}
