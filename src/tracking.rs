//! Following each dossier: its status (checked transitions, journaled), its timeline (built from
//! the journal), its deadlines (end of garde à vue), the same person in earlier dossiers, and
//! the derived rows the figures count.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;

use crate::engine::Engine;
use crate::error::Error;
use crate::extract::fold_upper;
use crate::facts::{AlcoholUnit, Facts, Role};
use crate::fr::quoted;
use crate::store::{PersonKey, StatsRow};

/// A dossier's status, in the order a dossier goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Status {
    Recu,
    EnExamen,
    Oriente,
    DecisionValidee,
    ActesProduits,
    Cloture,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Recu,
        Status::EnExamen,
        Status::Oriente,
        Status::DecisionValidee,
        Status::ActesProduits,
        Status::Cloture,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Status::Recu => "recu",
            Status::EnExamen => "en_examen",
            Status::Oriente => "oriente",
            Status::DecisionValidee => "decision_validee",
            Status::ActesProduits => "actes_produits",
            Status::Cloture => "cloture",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Recu => "reçu",
            Status::EnExamen => "en cours d'examen",
            Status::Oriente => "orienté",
            Status::DecisionValidee => "décision validée",
            Status::ActesProduits => "actes produits",
            Status::Cloture => "clôturé",
        }
    }

    pub fn from_id(id: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.id() == id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TrackingError {
    #[error("{} n'est pas un statut (statuts : {known})", quoted(.given))]
    UnknownStatus { given: String, known: String },
    #[error("{} n'est pas une date : écrivez-la AAAA-MM-JJ (2026-11-20)", quoted(.0))]
    BadDate(String),
    #[error("le dossier n°\u{a0}{dossier} ne peut pas passer au statut « {to} » : {reason}")]
    Refused {
        dossier: i64,
        to: &'static str,
        reason: &'static str,
    },
}

impl TrackingError {
    pub fn code(&self) -> &'static str {
        match self {
            TrackingError::UnknownStatus { .. } => "tracking.unknown_status",
            TrackingError::BadDate(_) => "tracking.bad_date",
            TrackingError::Refused { .. } => "tracking.refused",
        }
    }
}

/// One line of a dossier's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TimelineEntry {
    pub at: String,
    /// Who acted; empty for the engine itself.
    pub actor: String,
    /// The journal's event id (`document_imported`, `fact_corrected`, ...).
    pub event: String,
    /// The event in French ("Procédure importée", "Décision validée : COPJ"...).
    pub label: String,
}

/// A deadline computed from the facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Deadline {
    pub dossier: i64,
    /// `fin_garde_a_vue`
    pub kind: String,
    pub label: String,
    /// `YYYY-MM-DDTHH:MM`, local time as the procedure writes it.
    pub due: String,
    /// `depassee` (passed), `proche` (within two hours) or `a_venir`.
    pub state: String,
}

/// The same person in another dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RelatedDossier {
    pub dossier: i64,
    pub title: String,
    pub status: String,
    pub created: String,
    /// The person's role there (`mis_en_cause`, `victime`...).
    pub role: String,
    /// Why they are the same person, in French.
    pub reason: String,
}

/// "Jean-François" and "JEAN FRANCOIS" alike: capitals, no accents, one space between words.
pub fn name_key(name: &str) -> String {
    fold_upper(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Given names in any order: their words sorted.
pub fn given_key(given: &str) -> String {
    let mut words: Vec<String> = name_key(given)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.join(" ")
}

fn role_id(role: Role) -> &'static str {
    match role {
        Role::MisEnCause => "mis_en_cause",
        Role::Victime => "victime",
        Role::Temoin => "temoin",
        Role::Enqueteur => "enqueteur",
        Role::Autre => "autre",
    }
}

/// The persons of a dossier in matching form (officers and court staff left out).
pub fn person_keys(dossier: i64, facts: &Facts) -> Vec<PersonKey> {
    facts
        .persons
        .iter()
        .filter(|p| matches!(p.role, Role::MisEnCause | Role::Victime | Role::Temoin))
        .map(|p| PersonKey {
            dossier,
            role: role_id(p.role).to_owned(),
            surname: name_key(&p.surname),
            given: given_key(&p.given_names),
            birth_date: p.birth_date.clone(),
            birth_place: p.birth_place.as_deref().map(name_key),
        })
        .collect()
}

/// Why two persons are the same, or `None`: same surname (accents and case aside) and birth
/// date, and given names sharing a word or the same birth place.
fn same_person(a: &PersonKey, b: &PersonKey) -> Option<String> {
    if a.surname != b.surname || a.birth_date.is_none() || a.birth_date != b.birth_date {
        return None;
    }
    let words = |g: &str| -> Vec<String> { g.split(' ').map(str::to_owned).collect() };
    let shared = words(&a.given).iter().any(|w| words(&b.given).contains(w));
    let place = a.birth_place.is_some() && a.birth_place == b.birth_place;
    match (shared, place) {
        (true, true) => Some("même nom, prénoms, date et lieu de naissance".to_owned()),
        (true, false) => Some("même nom, prénoms et date de naissance".to_owned()),
        (false, true) => Some("même nom, date et lieu de naissance".to_owned()),
        (false, false) => None,
    }
}

/// The figures row of a dossier from its (corrected) facts.
pub fn stats_row(dossier: i64, received: &str, facts: &Facts) -> StatsRow {
    let mut families: Vec<String> = facts.offences.iter().map(|o| o.family.clone()).collect();
    families.sort();
    families.dedup();
    let natinf = facts
        .offences
        .iter()
        .filter_map(|o| o.natinf.clone())
        .collect();
    let alcohol_mg_l = facts.alcohol.as_ref().map(|a| match a.unit {
        AlcoholUnit::MgPerLitreAir => a.value,
        // The legal equivalence: 0.80 g/L of blood = 0.40 mg/L of exhaled air.
        AlcoholUnit::GPerLitreBlood => a.value / 2.0,
    });
    StatsRow {
        dossier,
        received: received.to_owned(),
        families,
        natinf,
        alcohol_mg_l,
        facts_date: facts.facts.date.clone(),
        ..StatsRow::default()
    }
}

fn event_label(event: &str, detail: &serde_json::Value) -> String {
    let orientation = |key: &str| {
        detail[key]
            .as_str()
            .and_then(crate::orient::Orientation::from_id)
            .map_or_else(String::new, |o| format!("\u{a0}: {}", o.label()))
    };
    match event {
        "dossier_created" => "Dossier créé".to_owned(),
        "document_imported" => "Procédure importée".to_owned(),
        "fact_corrected" => format!(
            "Fait corrigé\u{a0}: {}",
            fact_words(detail["path"].as_str().unwrap_or_default())
        ),
        "proposal_made" => format!("Proposition d'orientation{}", orientation("orientation")),
        "decision_accepted" => format!(
            "Décision validée, proposition acceptée{}",
            orientation("orientation")
        ),
        "decision_changed" => format!(
            "Décision validée, orientation modifiée{}",
            orientation("orientation")
        ),
        "draft_exported" => {
            let kind = detail["kind"].as_str().unwrap_or_default();
            let title = crate::app::DRAFT_KINDS
                .iter()
                .find(|(id, _)| *id == kind)
                .map_or(kind, |(_, title)| title);
            format!("Acte produit\u{a0}: {}", title.to_lowercase())
        }
        "status_changed" => format!(
            "Statut\u{a0}: {}",
            detail["to"]
                .as_str()
                .and_then(Status::from_id)
                .map_or("?", Status::label)
        ),
        other => other.to_owned(),
    }
}

/// A corrected fact in words, from its JSON pointer (`/facts/commune` → « commune des faits »,
/// `/persons/0/surname` → « nom (personne 1) »).
fn fact_words(pointer: &str) -> String {
    const WORDS: [(&str, &str); 24] = [
        ("facts/date", "date des faits"),
        ("facts/time", "heure des faits"),
        ("facts/commune", "commune des faits"),
        ("facts/address", "lieu des faits"),
        ("surname", "nom"),
        ("given_names", "prénoms"),
        ("birth_date", "date de naissance"),
        ("birth_place", "lieu de naissance"),
        ("role", "qualité"),
        ("family", "infraction"),
        ("natinf", "code NATINF"),
        ("alcohol", "alcoolémie"),
        ("narcotics", "stupéfiants"),
        ("speed", "vitesse"),
        ("licence", "permis de conduire"),
        ("injuries", "blessures"),
        ("vehicle", "véhicule"),
        ("custody", "garde à vue"),
        ("antecedents", "antécédents"),
        ("recidive", "récidive"),
        ("pieces", "pièce"),
        ("offences", "infraction"),
        ("persons", "personne"),
        ("facts", "faits"),
    ];
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let joined = parts.join("/");
    if let Some((_, w)) = WORDS.iter().find(|(k, _)| joined == *k) {
        return (*w).to_owned();
    }
    let word = |p: &str| WORDS.iter().find(|(k, _)| *k == p).map(|(_, w)| *w);
    let mut head = parts
        .first()
        .and_then(|p| word(p))
        .unwrap_or("fait")
        .to_owned();
    let index = parts.get(1).and_then(|p| p.parse::<usize>().ok());
    let field = parts
        .iter()
        .rev()
        .find_map(|p| word(p).filter(|w| *w != head));
    if let Some(n) = index {
        head = format!("{head} {}", n + 1);
    }
    match field {
        Some(f) if parts.len() > 1 => format!("{f} ({head})"),
        _ => head,
    }
}

fn parse_local(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()
}

/// The deadlines the facts set: the end of a garde à vue still running, 24 hours after its
/// start (48 hours when prolonged). `now` is local time.
pub fn deadlines(dossier: i64, facts: &Facts, now: NaiveDateTime) -> Vec<Deadline> {
    let mut out = Vec::new();
    if let Some(c) = &facts.custody
        && c.end.is_none()
        && let Some(start) = c.start.as_deref().and_then(parse_local)
    {
        let hours = if c.extended { 48 } else { 24 };
        let due = start + Duration::hours(hours);
        let state = if due <= now {
            "depassee"
        } else if due - now <= Duration::hours(2) {
            "proche"
        } else {
            "a_venir"
        };
        out.push(Deadline {
            dossier,
            kind: "fin_garde_a_vue".to_owned(),
            label: format!(
                "Fin de la garde à vue ({hours}\u{a0}heures{})",
                if c.extended { ", prolongée" } else { "" }
            ),
            due: due.format("%Y-%m-%dT%H:%M").to_string(),
            state: state.to_owned(),
        });
    }
    out
}

impl Engine {
    /// Recomputes the derived rows of a dossier (figures, persons).
    pub fn refresh_tracking(&mut self, dossier: i64) -> Result<(), Error> {
        let received = self.store().dossier_created(dossier)?;
        let facts = match self.dossier_facts(dossier) {
            Ok(f) => Some(f.facts),
            Err(Error::Decision(crate::decision::DecisionError::NoDocument(_))) => None,
            Err(e) => return Err(e),
        };
        let mut row = match &facts {
            Some(f) => stats_row(dossier, &received, f),
            None => StatsRow {
                dossier,
                received,
                ..StatsRow::default()
            },
        };
        if let Some(p) = self.store().last_event(dossier, "proposal_made")? {
            row.proposed = p["orientation"].as_str().map(str::to_owned);
            row.proposed_rule = p["rule"].as_str().map(str::to_owned);
        }
        if let Some(d) = self.store().decisions(dossier)?.pop() {
            row.proposed.get_or_insert(d.proposed.clone());
            row.decided = Some(d.orientation);
            row.accepted = Some(d.accepted);
            row.decided_at = Some(d.at);
        }
        let persons = facts
            .as_ref()
            .map(|f| person_keys(dossier, f))
            .unwrap_or_default();
        self.store_mut().put_tracking(&row, &persons)?;
        Ok(())
    }

    /// Rows for dossiers that have none (imported before tracking existed, or interrupted).
    pub(crate) fn refresh_missing_tracking(&mut self) -> Result<(), Error> {
        for dossier in self.store().dossiers_without_stats()? {
            self.refresh_tracking(dossier)?;
        }
        Ok(())
    }

    /// Changes a dossier's status by hand, refused when the dossier is not there yet.
    pub fn set_status(&mut self, dossier: i64, status: &str) -> Result<Status, Error> {
        let to = Status::from_id(status).ok_or_else(|| TrackingError::UnknownStatus {
            given: status.to_owned(),
            known: Status::ALL
                .iter()
                .map(|s| s.id())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
        let decided = !self.store().decisions(dossier)?.is_empty();
        let refused = |reason| TrackingError::Refused {
            dossier,
            to: to.label(),
            reason,
        };
        match to {
            Status::DecisionValidee | Status::ActesProduits if !decided => {
                return Err(refused("aucune décision n'a été enregistrée").into());
            }
            Status::Oriente if self.store().last_event(dossier, "proposal_made")?.is_none() => {
                return Err(refused("aucune proposition d'orientation n'a été faite").into());
            }
            _ => {}
        }
        let actor = self.store().profile()?.name;
        self.store_mut().set_status(dossier, to.id(), &actor)?;
        Ok(to)
    }

    /// Moves a dossier forward to `status` when it is behind it (never backwards).
    pub(crate) fn advance_status(&mut self, dossier: i64, status: Status) -> Result<(), Error> {
        let current = Status::from_id(&self.store().status(dossier)?).unwrap_or(Status::Recu);
        if current < status {
            let actor = self.store().profile()?.name;
            self.store_mut().set_status(dossier, status.id(), &actor)?;
        }
        Ok(())
    }

    /// The proposal for a dossier, recorded in the journal (when it differs from the last one
    /// recorded) and moving the dossier to "orienté".
    pub fn propose_and_record(&mut self, dossier: i64) -> Result<crate::orient::Proposal, Error> {
        let proposal = self.propose(dossier)?;
        let rule = proposal
            .rules
            .iter()
            .find(|r| r.decisive)
            .map(|r| r.id.clone());
        let detail = serde_json::json!({
            "orientation": proposal.orientation.id(),
            "rule": rule,
            "policy": proposal.policy.name,
            "version": proposal.policy.version,
        });
        if self.store().last_event(dossier, "proposal_made")?.as_ref() != Some(&detail) {
            let actor = self.store().profile()?.name;
            self.store_mut()
                .record(dossier, &actor, "proposal_made", &detail)?;
            self.advance_status(dossier, Status::Oriente)?;
            self.refresh_tracking(dossier)?;
        }
        Ok(proposal)
    }

    /// The dossier's timeline, from its journal.
    pub fn timeline(&self, dossier: i64) -> Result<Vec<TimelineEntry>, Error> {
        Ok(self
            .show(dossier)?
            .journal
            .into_iter()
            .map(|j| TimelineEntry {
                label: event_label(&j.event, &j.detail),
                at: j.at,
                actor: j.actor,
                event: j.event,
            })
            .collect())
    }

    /// The deadlines of a dossier at `now` (local time).
    pub fn deadlines(&mut self, dossier: i64, now: NaiveDateTime) -> Result<Vec<Deadline>, Error> {
        if Status::from_id(&self.store().status(dossier)?).is_some_and(|s| s >= Status::Cloture) {
            return Ok(Vec::new());
        }
        let facts = self.dossier_facts(dossier)?.facts;
        Ok(deadlines(dossier, &facts, now))
    }

    /// Earlier (and later) dossiers of the persons of this one.
    pub fn related(&mut self, dossier: i64) -> Result<Vec<RelatedDossier>, Error> {
        let facts = self.dossier_facts(dossier)?.facts;
        let mine = person_keys(dossier, &facts);
        let mut out: Vec<RelatedDossier> = Vec::new();
        for p in mine.iter().filter(|p| p.role == "mis_en_cause") {
            for other in self.store().persons_named(&p.surname)? {
                if other.dossier == dossier || out.iter().any(|r| r.dossier == other.dossier) {
                    continue;
                }
                if let Some(reason) = same_person(p, &other) {
                    let summary = self.show(other.dossier)?.summary;
                    out.push(RelatedDossier {
                        dossier: other.dossier,
                        title: summary.title,
                        status: summary.status,
                        created: summary.created,
                        role: other.role,
                        reason,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.created.cmp(&b.created));
        Ok(out)
    }
}

/// Local time now.
pub fn now_local() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// An RFC 3339 UTC instant as a date-time.
pub fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Custody, Person, Source};

    #[test]
    fn corrected_facts_are_named_in_french() {
        let check =
            |pointer: &str, expect: &str| assert_eq!(fact_words(pointer), expect, "{pointer}");
        check("/facts/commune", "commune des faits");
        check("/persons/0/surname", "nom (personne 1)");
        check("/persons/1/birth_date", "date de naissance (personne 2)");
        check("/alcohol/retained", "alcoolémie");
        check("/offences/0/natinf", "code NATINF (infraction 1)");
        check("/licence/status", "permis de conduire");
        check("/inconnu", "fait");
    }

    fn key(surname: &str, given: &str, birth: Option<&str>, place: Option<&str>) -> PersonKey {
        PersonKey {
            dossier: 1,
            role: "mis_en_cause".into(),
            surname: name_key(surname),
            given: given_key(given),
            birth_date: birth.map(str::to_owned),
            birth_place: place.map(name_key),
        }
    }

    #[test]
    fn the_same_person_whatever_the_accents_and_the_order_of_given_names() {
        let a = key(
            "LEFÈVRE",
            "Jean-François Marie",
            Some("1980-03-02"),
            Some("Saint-Étienne"),
        );
        let check = |b: PersonKey, same: bool| {
            assert_eq!(same_person(&a, &b).is_some(), same, "{b:?}");
        };
        check(
            key("LEFEVRE", "Marie Jean François", Some("1980-03-02"), None),
            true,
        );
        check(
            key("Lefèvre", "Jean", Some("1980-03-02"), Some("SAINT ETIENNE")),
            true,
        );
        check(
            key("LEFÈVRE", "Paul", Some("1980-03-02"), Some("Saint-Étienne")),
            true,
        );
        check(
            key("LEFÈVRE", "Paul", Some("1980-03-02"), Some("Lyon")),
            false,
        );
        check(
            key("LEFÈVRE", "Jean-François", Some("1980-03-03"), None),
            false,
        );
        check(key("LEFÈVRE", "Jean-François", None, None), false);
        check(
            key("LEFÈBVRE", "Jean-François", Some("1980-03-02"), None),
            false,
        );
    }

    fn custody(start: &str, extended: bool, end: Option<&str>) -> Facts {
        let mut f = Facts::empty(Source {
            file: "x".into(),
            sha256: "0".into(),
            pages: 1,
            ocr_pages: Vec::new(),
        });
        f.custody = Some(Custody {
            start: Some(start.into()),
            end: end.map(str::to_owned),
            extended,
        });
        f.persons.push(Person {
            role: Role::MisEnCause,
            surname: "X".into(),
            given_names: "Y".into(),
            birth_date: None,
            birth_place: None,
            quality: None,
            evidence: Vec::new(),
        });
        f
    }

    #[test]
    fn end_of_custody_deadlines() {
        let now = parse_local("2026-11-21T22:30").unwrap();
        let check = |facts: Facts, expect: &[(&str, &str)]| {
            let got: Vec<(String, String)> = deadlines(1, &facts, now)
                .into_iter()
                .map(|d| (d.due, d.state))
                .collect();
            let expect: Vec<(String, String)> = expect
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            assert_eq!(got, expect);
        };
        check(
            custody("2026-11-20T23:40", false, None),
            &[("2026-11-21T23:40", "proche")],
        );
        check(
            custody("2026-11-20T20:00", false, None),
            &[("2026-11-21T20:00", "depassee")],
        );
        check(
            custody("2026-11-20T20:00", true, None),
            &[("2026-11-22T20:00", "a_venir")],
        );
        check(
            custody("2026-11-20T20:00", false, Some("2026-11-21T10:00")),
            &[],
        );
    }
}
