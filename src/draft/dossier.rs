//! Drafts of a stored dossier: its corrected facts, the proposal of the active policy, the last
//! decision, the user profile; the file written whole or not at all, the export journaled and
//! the dossier moved to "actes produits".

use std::path::Path;

use serde::Serialize;

use super::{
    Conclusion, Criterion144, Decision, Detention, Dossier, DraftError, DraftInput, Kind,
    Magistrate, TemplateSource, bordereau_csv, render, write_atomic,
};
use crate::engine::Engine;
use crate::error::Error;
use crate::tracking::Status;

/// What `permanence draft --json` prints (`{"file", "kind", "bytes"}`, see the contracts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Written {
    pub file: String,
    pub kind: String,
    pub bytes: usize,
    /// The document's title in French (« Fiche de synthèse »…); not in the contract.
    #[serde(skip)]
    pub title: String,
}

/// How a draft's file is written: whole, in clear (`write_atomic`) or sealed (the app's).
pub(crate) type WriteDraft<'a> = dyn Fn(&Path, &[u8]) -> Result<(), DraftError> + 'a;
impl Engine {
    /// The input of a dossier's drafts.
    pub fn draft_input(&mut self, dossier: i64, criteria: &[u8]) -> Result<DraftInput, Error> {
        let facts = self.dossier_facts(dossier)?.facts;
        let proposal = self.propose(dossier)?;
        let profile = self.profile()?;
        let summary = self.show(dossier)?.summary;
        let decision = self.decisions(dossier)?.pop().map(|d| Decision {
            orientation: d.orientation,
            accepted: d.accepted,
            reason: (!d.reason.is_empty()).then_some(d.reason),
            magistrate: d.actor,
            function: d.actor_function,
            decided_at: d.at,
        });
        let mut ticked = Vec::new();
        for &n in criteria {
            if !(1..=7).contains(&n) {
                return Err(DraftError::UnknownCriterion(n.to_string()).into());
            }
            ticked.push(Criterion144 {
                number: n,
                reasoning: String::new(),
                cotes: Vec::new(),
            });
        }
        let non_empty = |s: String| (!s.trim().is_empty()).then_some(s);
        Ok(DraftInput {
            dossier: Dossier {
                id: dossier.to_string(),
                title: summary.title,
                parquet_number: None,
            },
            facts,
            proposal: Some(proposal),
            decision,
            court: non_empty(profile.court),
            magistrate: Magistrate {
                name: non_empty(profile.name),
                function: non_empty(profile.function),
            },
            detention: Detention {
                criteria: ticked,
                insufficiency: None,
            },
            conclusion: Conclusion::FromFacts,
            now: chrono::Local::now().fixed_offset(),
        })
    }

    /// Writes a draft of a stored dossier to `out` (and the bordereau's CSV beside it), in
    /// clear: the user's own export, where they chose.
    pub fn draft(
        &mut self,
        dossier: i64,
        kind: &str,
        out: &Path,
        templates: &TemplateSource,
        criteria: &[u8],
    ) -> Result<Written, Error> {
        self.draft_with(dossier, kind, out, templates, criteria, &write_atomic)
    }

    /// `draft`, each file written by `write` (the app seals the drafts it keeps).
    pub(crate) fn draft_with(
        &mut self,
        dossier: i64,
        kind: &str,
        out: &Path,
        templates: &TemplateSource,
        criteria: &[u8],
        write: &WriteDraft<'_>,
    ) -> Result<Written, Error> {
        let kind = Kind::from_id(kind)?;
        let input = self.draft_input(dossier, criteria)?;
        let bytes = render(kind, &input, templates)?;
        write(out, &bytes)?;
        if kind == Kind::Bordereau {
            write(
                &out.with_extension("csv"),
                bordereau_csv(&input.facts).as_bytes(),
            )?;
        }
        let actor = self.profile()?.name;
        // The journal names the kind of act, never the file's place or content.
        self.store_mut().record(
            dossier,
            &actor,
            "draft_exported",
            &serde_json::json!({ "kind": kind.id() }),
        )?;
        if !self.decisions(dossier)?.is_empty() {
            self.advance_status(dossier, Status::ActesProduits)?;
        }
        Ok(Written {
            file: out.display().to_string(),
            kind: kind.id().to_owned(),
            bytes: bytes.len(),
            title: kind.title().to_owned(),
        })
    }
}
