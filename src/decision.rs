//! The magistrate's part on a stored dossier: its facts (extracted, re-extracted when the
//! extraction changed, corrected), the user profile, the criminal policies kept, the proposal
//! and the decision. Every change is one transaction with its journal entry.

use std::path::Path;

use serde::Serialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::facts::Facts;
use crate::fr::quoted;
use crate::orient::{self, Orientation, Policy, Proposal};
use crate::pdf::Document;
use crate::store::{
    Correction, DecisionRecord, NewCorrection, NewDecision, NewPolicy, PolicyRow, Profile,
};

#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    #[error("le dossier n°\u{a0}{0} ne contient aucun document : il n'a pas de faits")]
    NoDocument(i64),
    #[error(
        "la correction de {} n'est pas possible : ce champ n'existe pas dans les faits",
        quoted(.0)
    )]
    NoSuchField(String),
    #[error("la correction de {} n'est pas valable : {reason}", quoted(.path))]
    BadValue { path: String, reason: String },
    #[error(
        "aucun profil n'est renseigné : indiquez votre nom et votre fonction (« permanence profile --name … --function … ») avant de décider"
    )]
    NoProfile,
    #[error("{} n'est pas une orientation connue (orientations : {known})", quoted(.given))]
    UnknownOrientation { given: String, known: String },
    #[error(
        "l'orientation retenue ({chosen}) diffère de la proposition ({proposed}) : indiquez-en la raison"
    )]
    ReasonRequired { chosen: String, proposed: String },
}

impl DecisionError {
    pub fn code(&self) -> &'static str {
        match self {
            DecisionError::NoDocument(_) => "decision.no_document",
            DecisionError::NoSuchField(_) => "decision.no_such_field",
            DecisionError::BadValue { .. } => "decision.bad_value",
            DecisionError::NoProfile => "decision.no_profile",
            DecisionError::UnknownOrientation { .. } => "decision.unknown_orientation",
            DecisionError::ReasonRequired { .. } => "decision.reason_required",
        }
    }
}

/// A document's facts as the magistrate sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentFacts {
    pub document: i64,
    /// The extraction version that read `extracted`.
    pub version: u32,
    /// What the engine read.
    pub extracted: Facts,
    /// The magistrate's corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// `extracted` with every correction applied: what orientation and drafts use.
    pub facts: Facts,
}

/// What `permanence decide` records: the decision and the proposal it answers.
#[derive(Debug, Clone, Serialize)]
pub struct Decided {
    pub decision: DecisionRecord,
    pub proposal: Proposal,
}

/// `facts` with the value at `path` (a JSON pointer) replaced by `value`; the previous value.
pub fn apply_correction(
    facts: &Facts,
    path: &str,
    value: &serde_json::Value,
) -> Result<(Facts, serde_json::Value), DecisionError> {
    let mut json = serde_json::to_value(facts).expect("facts serialise");
    let previous = json.pointer(path).cloned();
    let previous = match previous {
        Some(p) => {
            *json.pointer_mut(path).expect("exists") = value.clone();
            p
        }
        None => {
            // A field absent from the JSON but that the parent object can take ("/vehicle"
            // when null is written as null, "/persons/0/quality").
            let (parent, key) = path
                .rsplit_once('/')
                .ok_or_else(|| DecisionError::NoSuchField(path.to_owned()))?;
            match json.pointer_mut(parent) {
                Some(serde_json::Value::Object(map)) => {
                    map.insert(key.replace("~1", "/").replace("~0", "~"), value.clone());
                }
                Some(serde_json::Value::Array(list)) if key == list.len().to_string() => {
                    list.push(value.clone());
                }
                _ => return Err(DecisionError::NoSuchField(path.to_owned())),
            }
            serde_json::Value::Null
        }
    };
    let corrected: Facts =
        serde_json::from_value(json.clone()).map_err(|e| DecisionError::BadValue {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    // A key that the facts do not know would vanish silently: refuse it.
    if serde_json::to_value(&corrected)
        .expect("facts serialise")
        .pointer(path)
        != Some(value)
    {
        return Err(DecisionError::NoSuchField(path.to_owned()));
    }
    Ok((corrected, previous))
}

impl Engine {
    /// The facts of a document: stored at import, re-extracted from the stored pages when the
    /// extraction has changed since, with the magistrate's corrections applied.
    pub fn document_facts(&mut self, document: i64) -> Result<DocumentFacts, Error> {
        let stored = self.store().facts(document)?;
        let (version, extracted) = match stored {
            Some((v, f)) if v == crate::extract::VERSION => (v, f),
            _ => {
                let facts = self.reextract(document)?;
                self.store()
                    .put_facts(document, crate::extract::VERSION, &facts)?;
                (crate::extract::VERSION, facts)
            }
        };
        let corrections = self.store().corrections(document)?;
        let mut facts = extracted.clone();
        for c in &corrections {
            // A correction that no longer applies (its field gone after a re-extraction) is
            // kept in the store but has nothing to correct.
            if let Ok((f, _)) = apply_correction(&facts, &c.path, &c.value) {
                facts = f;
            }
        }
        Ok(DocumentFacts {
            document,
            version,
            extracted,
            corrections,
            facts,
        })
    }

    fn reextract(&self, document: i64) -> Result<Facts, Error> {
        let row = self.store().document(document)?;
        let mut doc =
            Document::from_texts(self.store().pages(document)?.into_iter().map(|p| p.text));
        let mut layers = self.store().ocr_layers(document)?;
        for page in &mut doc.pages {
            page.needs_ocr = row.ocr_pages.contains(&page.number);
            page.ocr = layers.remove(&page.number);
        }
        tracing::info!("re-extracting the facts of document {document}");
        Ok(crate::extract::facts(&row.original_name, &row.sha256, &doc))
    }

    /// The main document of a dossier (its first), whose facts the dossier's proposal uses.
    fn main_document(&self, dossier: i64) -> Result<i64, Error> {
        if !self.store().dossier_exists(dossier)? {
            return Err(crate::store::StoreError::NoSuchDossier(dossier).into());
        }
        self.store()
            .documents_of(dossier)?
            .first()
            .copied()
            .ok_or_else(|| DecisionError::NoDocument(dossier).into())
    }

    pub fn dossier_facts(&mut self, dossier: i64) -> Result<DocumentFacts, Error> {
        let document = self.main_document(dossier)?;
        self.document_facts(document)
    }

    /// Corrects one fact of a dossier's main document (`path`: a JSON pointer such as
    /// `/alcohol/value`). The extracted value is kept; the correction wins.
    pub fn correct(
        &mut self,
        dossier: i64,
        path: &str,
        value: serde_json::Value,
        reason: &str,
    ) -> Result<Correction, Error> {
        let current = self.dossier_facts(dossier)?;
        let (_, previous) = apply_correction(&current.facts, path, &value)?;
        let actor = self.store().profile()?.name;
        let correction = self.store_mut().add_correction(NewCorrection {
            dossier,
            document: current.document,
            path,
            value: &value,
            previous: &previous,
            reason,
            actor: &actor,
        })?;
        self.advance_status(dossier, crate::tracking::Status::EnExamen)?;
        self.refresh_tracking(dossier)?;
        Ok(correction)
    }

    pub fn profile(&self) -> Result<Profile, Error> {
        Ok(self.store().profile()?)
    }

    pub fn set_profile(&mut self, profile: &Profile) -> Result<(), Error> {
        Ok(self.store_mut().set_profile(profile)?)
    }

    pub fn policies(&self) -> Result<Vec<PolicyRow>, Error> {
        Ok(self.store().policies()?)
    }

    /// Reads, checks and keeps a policy file; a broken file is refused with its line and
    /// column, and the active policy stays as it was.
    pub fn add_policy(&mut self, path: &Path, activate: bool) -> Result<PolicyRow, Error> {
        let policy = orient::load_policy(path)?;
        let source = std::fs::read_to_string(path).map_err(|e| crate::store::StoreError::Io {
            path: path.to_owned(),
            source: e,
        })?;
        let file = crate::pdf::display_name(path);
        let actor = self.store().profile()?.name;
        Ok(self.store_mut().add_policy(
            NewPolicy {
                name: &policy.name,
                version: &policy.version,
                author: &policy.author,
                effective: &policy.effective,
                file: &file,
                source: &source,
            },
            activate,
            &actor,
        )?)
    }

    pub fn activate_policy(&mut self, id: i64) -> Result<PolicyRow, Error> {
        let actor = self.store().profile()?.name;
        Ok(self.store_mut().activate_policy(id, &actor)?)
    }

    /// The active policy: the one activated in the store, else the example policy shipped.
    pub fn active_policy(&self) -> Result<Policy, Error> {
        match self.store().active_policy()? {
            Some((row, source)) => Ok(orient::policy::parse(&row.file, &source)?),
            None => Ok(orient::default_policy()),
        }
    }

    /// The proposal for a dossier, from its corrected facts and the active policy.
    pub fn propose(&mut self, dossier: i64) -> Result<Proposal, Error> {
        let facts = self.dossier_facts(dossier)?.facts;
        let policy = self.active_policy()?;
        Ok(orient::propose(&facts, &policy))
    }

    /// Records the magistrate's decision: the proposal accepted (`orientation` `None`), or
    /// another orientation with its reason.
    pub fn decide(
        &mut self,
        dossier: i64,
        orientation: Option<&str>,
        reason: &str,
    ) -> Result<Decided, Error> {
        let profile = self.store().profile()?;
        if profile.name.trim().is_empty() {
            return Err(DecisionError::NoProfile.into());
        }
        let proposal = self.propose_and_record(dossier)?;
        let chosen = match orientation {
            None => proposal.orientation,
            Some(id) => {
                Orientation::from_id(id).ok_or_else(|| DecisionError::UnknownOrientation {
                    given: id.to_owned(),
                    known: Orientation::ALL
                        .iter()
                        .map(|o| o.id())
                        .collect::<Vec<_>>()
                        .join(", "),
                })?
            }
        };
        if chosen != proposal.orientation && reason.trim().is_empty() {
            return Err(DecisionError::ReasonRequired {
                chosen: chosen.label().to_owned(),
                proposed: proposal.orientation.label().to_owned(),
            }
            .into());
        }
        let json = serde_json::to_value(&proposal).expect("proposal serialises");
        let decision = self.store_mut().add_decision(NewDecision {
            dossier,
            proposed: proposal.orientation.id(),
            orientation: chosen.id(),
            reason: reason.trim(),
            proposal: &json,
            policy_name: &proposal.policy.name,
            policy_version: &proposal.policy.version,
            profile: &profile,
        })?;
        self.refresh_tracking(dossier)?;
        Ok(Decided { decision, proposal })
    }

    pub fn decisions(&self, dossier: i64) -> Result<Vec<DecisionRecord>, Error> {
        Ok(self.store().decisions(dossier)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Source;

    fn facts() -> Facts {
        let mut f = Facts::empty(Source {
            file: "pv.pdf".into(),
            sha256: "0".into(),
            pages: 1,
            ocr_pages: Vec::new(),
        });
        f.facts.commune = Some("Melun".into());
        f
    }

    fn check(path: &str, value: serde_json::Value, expect: Result<&str, &str>) {
        let got = apply_correction(&facts(), path, &value).map(|(f, previous)| {
            let json = serde_json::to_value(&f).unwrap();
            format!("{} (avant : {previous})", json.pointer(path).unwrap())
        });
        match (got, expect) {
            (Ok(got), Ok(expect)) => assert_eq!(got, expect, "{path}"),
            (Err(e), Err(code)) => assert_eq!(e.code(), code, "{path}: {e}"),
            (got, expect) => panic!("{path}: {got:?} instead of {expect:?}"),
        }
    }

    #[test]
    fn corrections_replace_a_field_and_keep_the_shape() {
        check(
            "/facts/commune",
            serde_json::json!("Dammarie-les-Lys"),
            Ok("\"Dammarie-les-Lys\" (avant : \"Melun\")"),
        );
        check(
            "/licence/status",
            serde_json::json!("suspendu"),
            Ok("\"suspendu\" (avant : \"inconnu\")"),
        );
        check(
            "/recidive",
            serde_json::json!(true),
            Ok("true (avant : null)"),
        );
        check(
            "/alcohol",
            serde_json::json!({"value": 0.62, "unit": "mg/L", "measures": [0.62], "method": "ethylometre", "after_margin": 0.57, "evidence": []}),
            Ok(
                "{\"after_margin\":0.57,\"evidence\":[],\"measures\":[0.62],\"method\":\"ethylometre\",\"unit\":\"mg/L\",\"value\":0.62} (avant : null)",
            ),
        );
        check(
            "/licence/status",
            serde_json::json!("perdu"),
            Err("decision.bad_value"),
        );
        check(
            "/alcohol/value",
            serde_json::json!(0.5),
            Err("decision.no_such_field"),
        );
        check(
            "/nowhere",
            serde_json::json!(1),
            Err("decision.no_such_field"),
        );
        check(
            "recidive",
            serde_json::json!(true),
            Err("decision.no_such_field"),
        );
    }
}
