//! Proposing an orientation: the facts of a procedure evaluated against the local politique
//! pénale (a policy file, `policy.rs`), with the legal frame the data gives (NATINF entries,
//! consequences the law makes mandatory: `law.rs`).
//!
//! Pure: no data directory, no clock. Every matched rule is listed with, for each criterion
//! that held, a French reason and the evidence; the most severe matching orientation wins;
//! with no offence or no rule, the proposal is `a_examiner` and says what is missing. Legal
//! figures (thresholds, months, amounts) live in the policy and law files, never here.

pub mod evaluate;
pub mod law;
pub mod policy;

use std::path::Path;

use serde::Serialize;

pub use crate::facts::FAMILIES;
use crate::facts::{Evidence, Facts, LicenceStatus};
use evaluate::{Evaluator, Finding, Truth};
pub use law::NatinfEntry;
pub use policy::{Policy, PolicyError, StageKind};

/// A family in a French reason.
pub fn family_label(family: &str) -> &str {
    match family {
        "alcool_delit" => "alcool (délit)",
        "alcool_contravention" => "alcool (contravention)",
        "ivresse_manifeste" => "ivresse manifeste",
        "refus_verification_alcool" => "refus des vérifications de l'état alcoolique",
        "stupefiants" => "stupéfiants",
        "refus_verification_stupefiants" => "refus des vérifications de stupéfiants",
        "defaut_permis" => "défaut de permis",
        "conduite_malgre_suspension" => "conduite malgré suspension, annulation ou invalidation",
        "defaut_assurance" => "défaut d'assurance",
        "refus_obtemperer" => "refus d'obtempérer",
        "delit_fuite" => "délit de fuite",
        "exces_vitesse" => "excès de vitesse d'au moins 50\u{a0}km/h",
        "blessures_involontaires" => "blessures involontaires",
        "homicide_involontaire" => "homicide involontaire",
        "outrage_rebellion" => "outrage ou rébellion",
        "other" => "autre infraction",
        unknown => unknown,
    }
}

pub fn licence_label(status: LicenceStatus) -> &'static str {
    match status {
        LicenceStatus::Valide => "valide",
        LicenceStatus::Suspendu => "suspendu",
        LicenceStatus::Annule => "annulé",
        LicenceStatus::Invalide => "invalidé",
        LicenceStatus::JamaisObtenu => "jamais obtenu",
        LicenceStatus::Inconnu => "inconnu",
    }
}

/// The orientations of the contract, from the mildest; `a_examiner` is the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Orientation {
    ClassementSansSuite,
    AvertissementPenalProbatoire,
    Stage,
    AmendeForfaitaire,
    AmendeForfaitaireDelictuelle,
    CompositionPenale,
    OrdonnancePenale,
    CrpcConvocation,
    CrpcDeferement,
    Copj,
    Cppv,
    ComparutionImmediate,
    OuvertureInformation,
    AExaminer,
}

impl Orientation {
    pub const ALL: [Orientation; 14] = [
        Orientation::ClassementSansSuite,
        Orientation::AvertissementPenalProbatoire,
        Orientation::Stage,
        Orientation::AmendeForfaitaire,
        Orientation::AmendeForfaitaireDelictuelle,
        Orientation::CompositionPenale,
        Orientation::OrdonnancePenale,
        Orientation::CrpcConvocation,
        Orientation::CrpcDeferement,
        Orientation::Copj,
        Orientation::Cppv,
        Orientation::ComparutionImmediate,
        Orientation::OuvertureInformation,
        Orientation::AExaminer,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Orientation::ClassementSansSuite => "classement_sans_suite",
            Orientation::AvertissementPenalProbatoire => "avertissement_penal_probatoire",
            Orientation::Stage => "stage",
            Orientation::AmendeForfaitaire => "amende_forfaitaire",
            Orientation::AmendeForfaitaireDelictuelle => "amende_forfaitaire_delictuelle",
            Orientation::CompositionPenale => "composition_penale",
            Orientation::OrdonnancePenale => "ordonnance_penale",
            Orientation::CrpcConvocation => "crpc_convocation",
            Orientation::CrpcDeferement => "crpc_deferement",
            Orientation::Copj => "copj",
            Orientation::Cppv => "cppv",
            Orientation::ComparutionImmediate => "comparution_immediate",
            Orientation::OuvertureInformation => "ouverture_information",
            Orientation::AExaminer => "a_examiner",
        }
    }

    pub fn from_id(id: &str) -> Option<Orientation> {
        Orientation::ALL.into_iter().find(|o| o.id() == id)
    }

    /// Higher is more severe; `a_examiner` (the fallback) is below everything.
    pub fn severity(self) -> usize {
        match self {
            Orientation::AExaminer => 0,
            other => {
                Orientation::ALL
                    .iter()
                    .position(|o| *o == other)
                    .expect("listed")
                    + 1
            }
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Orientation::ClassementSansSuite => "Classement sans suite",
            Orientation::AvertissementPenalProbatoire => "Avertissement pénal probatoire",
            Orientation::Stage => "Stage",
            Orientation::AmendeForfaitaire => "Amende forfaitaire",
            Orientation::AmendeForfaitaireDelictuelle => "Amende forfaitaire délictuelle",
            Orientation::CompositionPenale => "Composition pénale",
            Orientation::OrdonnancePenale => "Ordonnance pénale délictuelle",
            Orientation::CrpcConvocation => "CRPC sur convocation",
            Orientation::CrpcDeferement => "CRPC sur déferrement",
            Orientation::Copj => "Convocation par officier de police judiciaire (COPJ)",
            Orientation::Cppv => "Convocation par procès-verbal (CPPV)",
            Orientation::ComparutionImmediate => "Comparution immédiate",
            Orientation::OuvertureInformation => "Ouverture d'information",
            Orientation::AExaminer => "À examiner",
        }
    }
}

/// The kinds of measure a proposal lists beside its orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MeasureKind {
    Deferement,
    Amende,
    RemisePermis,
    SuspensionPermis,
    AnnulationPermis,
    Stage,
    ImmobilisationVehicule,
    ConfiscationVehicule,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 8] = [
        MeasureKind::Deferement,
        MeasureKind::Amende,
        MeasureKind::RemisePermis,
        MeasureKind::SuspensionPermis,
        MeasureKind::AnnulationPermis,
        MeasureKind::Stage,
        MeasureKind::ImmobilisationVehicule,
        MeasureKind::ConfiscationVehicule,
    ];

    pub fn id(self) -> &'static str {
        match self {
            MeasureKind::Deferement => "deferement",
            MeasureKind::Amende => "amende",
            MeasureKind::RemisePermis => "remise_permis",
            MeasureKind::SuspensionPermis => "suspension_permis",
            MeasureKind::AnnulationPermis => "annulation_permis",
            MeasureKind::Stage => "stage",
            MeasureKind::ImmobilisationVehicule => "immobilisation_vehicule",
            MeasureKind::ConfiscationVehicule => "confiscation_vehicule",
        }
    }
}

/// A measure proposed by the decisive rules, or imposed by the law (`mandatory`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Measure {
    pub kind: MeasureKind,
    /// French, e.g. « Amende de 300 à 500 € ».
    pub label: String,
    pub months: Option<u32>,
    pub fine_min: Option<u32>,
    pub fine_max: Option<u32>,
    pub stage: Option<StageKind>,
    /// The law imposes it (legal frame), whatever the orientation.
    pub mandatory: bool,
    /// Ids of the rules (or of the law's consequences) it comes from.
    pub sources: Vec<String>,
}

/// A criterion that held, in French, with the evidence that made it true.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Reason {
    pub reason: String,
    pub evidence: Vec<Evidence>,
}

/// A rule of the policy that matched the facts.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct MatchedRule {
    pub id: String,
    pub orientation: Orientation,
    pub explanation: String,
    pub legal_basis: Option<String>,
    /// Its orientation is the proposal's (the most severe).
    pub decisive: bool,
    pub conditions: Vec<Reason>,
}

/// A rule that might apply but reads a fact the procedure does not give.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UndeterminedRule {
    pub id: String,
    pub orientation: Orientation,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PolicyRef {
    pub name: String,
    pub version: String,
}

/// One offence with its NATINF entry from the shipped table, when the code is known there.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OffenceFrame {
    pub family: String,
    pub label: String,
    pub natinf: Option<String>,
    pub entry: Option<NatinfEntry>,
}

/// A consequence the law makes mandatory in this situation.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Mandatory {
    pub id: String,
    pub measure: MeasureKind,
    pub text: String,
    pub legal_basis: String,
    pub conditions: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LegalFrame {
    pub offences: Vec<OffenceFrame>,
    pub mandatory: Vec<Mandatory>,
}

/// `proposal` of `permanence orient --json` (contract: orientation, measures, rules, policy;
/// the other fields are additions).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Proposal {
    pub orientation: Orientation,
    pub orientation_label: String,
    pub measures: Vec<Measure>,
    pub rules: Vec<MatchedRule>,
    pub policy: PolicyRef,
    pub undetermined: Vec<UndeterminedRule>,
    /// What the procedure does not say and the policy or the law reads, in French (and
    /// whether any offence or rule applies at all).
    pub missing: Vec<String>,
    pub legal_frame: LegalFrame,
}

/// The `--json` output of `permanence orient`.
#[derive(Debug, Serialize)]
pub struct Orient<'a> {
    pub facts: &'a Facts,
    pub proposal: &'a Proposal,
}

pub const DEFAULT_POLICY_FILE: &str = "assets/policies/politique-routiere.toml";

/// The example policy shipped with the engine, used when no other is given.
pub fn default_policy() -> Policy {
    policy::parse(
        DEFAULT_POLICY_FILE,
        include_str!("../../assets/policies/politique-routiere.toml"),
    )
    .unwrap_or_else(|e| panic!("{DEFAULT_POLICY_FILE} is valid: {e}"))
}

/// Reads and checks a policy file.
pub fn load_policy(path: &Path) -> Result<Policy, PolicyError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PolicyError::Read {
        file: file.clone(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "fichier introuvable",
            std::io::ErrorKind::PermissionDenied => "accès refusé",
            std::io::ErrorKind::InvalidData => "ce n'est pas un texte UTF-8",
            std::io::ErrorKind::IsADirectory => "c'est un dossier, pas un fichier",
            _ => "erreur de lecture",
        }
        .to_owned(),
    })?;
    policy::parse(&file, &text)
}

fn missing_texts(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in findings {
        let text = f.reason().reason;
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}

/// The orientation the policy proposes for these facts.
pub fn propose(facts: &Facts, policy: &Policy) -> Proposal {
    // `missing`: no offence first, then no rule, then the unknown facts read.
    let law = law::law();
    let evaluator = Evaluator { facts, law };
    let mut matched: Vec<(MatchedRule, &policy::Rule)> = Vec::new();
    let mut undetermined = Vec::new();
    let mut unknown: Vec<Finding> = Vec::new();
    for rule in &policy.rules {
        let outcome = evaluator.eval(&rule.when);
        unknown.extend(outcome.unknown.iter().cloned());
        match outcome.truth {
            Truth::True => matched.push((
                MatchedRule {
                    id: rule.id.clone(),
                    orientation: rule.orientation,
                    explanation: rule.explanation.clone(),
                    legal_basis: rule.legal_basis.clone(),
                    decisive: false,
                    conditions: outcome.findings.iter().map(Finding::reason).collect(),
                },
                rule,
            )),
            Truth::Unknown => undetermined.push(UndeterminedRule {
                id: rule.id.clone(),
                orientation: rule.orientation,
                missing: missing_texts(&outcome.findings),
            }),
            Truth::False => {}
        }
    }
    let mut missing: Vec<String> = Vec::new();
    if facts.offences.is_empty() {
        missing.push("Aucune infraction n'est relevée dans la procédure".to_owned());
    }
    let orientation = matched
        .iter()
        .map(|(m, _)| m.orientation)
        .max_by_key(|o| o.severity())
        .unwrap_or(Orientation::AExaminer);
    if matched.is_empty() {
        missing.push(format!(
            "Aucune règle de la politique {} ne s'applique\u{a0}: la situation est à examiner",
            crate::fr::quoted(&policy.name)
        ));
    }
    let mut measures: Vec<Measure> = Vec::new();
    for (m, rule) in matched.iter_mut() {
        if m.orientation == orientation {
            m.decisive = true;
            add_rule_measures(&mut measures, &rule.id, &rule.measures);
        }
    }
    let mut mandatory = Vec::new();
    for c in &law.consequences {
        let outcome = evaluator.eval(&c.when);
        unknown.extend(outcome.unknown.iter().cloned());
        if outcome.truth == Truth::True {
            mandatory.push(Mandatory {
                id: c.id.clone(),
                measure: c.measure,
                text: c.text.clone(),
                legal_basis: c.legal_basis.clone(),
                conditions: outcome.findings.iter().map(Finding::reason).collect(),
            });
            add_measure(
                &mut measures,
                Measure {
                    kind: c.measure,
                    label: format!("{} ({})", c.text, c.legal_basis),
                    months: None,
                    fine_min: None,
                    fine_max: None,
                    stage: None,
                    mandatory: true,
                    sources: vec![c.id.clone()],
                },
            );
        }
    }
    for text in missing_texts(&unknown) {
        if !missing.contains(&text) {
            missing.push(text);
        }
    }
    let offences = facts
        .offences
        .iter()
        .map(|o| OffenceFrame {
            family: o.family.clone(),
            label: o.label.clone(),
            natinf: o.natinf.clone(),
            entry: o.natinf.as_deref().and_then(law::natinf).cloned(),
        })
        .collect();
    Proposal {
        orientation,
        orientation_label: orientation.label().to_owned(),
        measures,
        rules: matched.into_iter().map(|(m, _)| m).collect(),
        policy: PolicyRef {
            name: policy.name.clone(),
            version: policy.version.clone(),
        },
        undetermined,
        missing,
        legal_frame: LegalFrame {
            offences,
            mandatory,
        },
    }
}

fn months_label(what: &str, months: u32) -> String {
    format!("{what}\u{a0}: {months}\u{a0}mois")
}

fn fine_label(min: Option<u32>, max: Option<u32>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("Amende de {a}\u{a0}€"),
        (Some(a), Some(b)) => format!("Amende de {a} à {b}\u{a0}€"),
        (Some(a), None) => format!("Amende d'au moins {a}\u{a0}€"),
        (None, Some(b)) => format!("Amende d'au plus {b}\u{a0}€"),
        (None, None) => "Amende".to_owned(),
    }
}

fn plain(kind: MeasureKind, label: &str, source: &str) -> Measure {
    Measure {
        kind,
        label: label.to_owned(),
        months: None,
        fine_min: None,
        fine_max: None,
        stage: None,
        mandatory: false,
        sources: vec![source.to_owned()],
    }
}

fn add_rule_measures(out: &mut Vec<Measure>, rule: &str, m: &policy::Measures) {
    if m.deferement {
        add_measure(
            out,
            plain(
                MeasureKind::Deferement,
                "Déferrement à l'issue de la garde à vue",
                rule,
            ),
        );
    }
    if m.fine_min.is_some() || m.fine_max.is_some() {
        add_measure(
            out,
            Measure {
                fine_min: m.fine_min,
                fine_max: m.fine_max,
                label: fine_label(m.fine_min, m.fine_max),
                ..plain(MeasureKind::Amende, "", rule)
            },
        );
    }
    for (kind, months, what) in [
        (
            MeasureKind::RemisePermis,
            m.licence_handed_in_months,
            "Remise du permis de conduire",
        ),
        (
            MeasureKind::SuspensionPermis,
            m.suspension_months,
            "Suspension du permis de conduire",
        ),
    ] {
        if let Some(n) = months {
            add_measure(
                out,
                Measure {
                    months: Some(n),
                    label: months_label(what, n),
                    ..plain(kind, "", rule)
                },
            );
        }
    }
    if let Some(stage) = m.stage {
        let mut label = stage.label().to_owned();
        label.replace_range(..1, &label[..1].to_uppercase());
        add_measure(
            out,
            Measure {
                stage: Some(stage),
                ..plain(MeasureKind::Stage, &label, rule)
            },
        );
    }
    if m.immobilisation {
        add_measure(
            out,
            plain(
                MeasureKind::ImmobilisationVehicule,
                "Immobilisation du véhicule",
                rule,
            ),
        );
    }
    if m.confiscation {
        add_measure(
            out,
            plain(
                MeasureKind::ConfiscationVehicule,
                "Confiscation du véhicule",
                rule,
            ),
        );
    }
}

/// Adds a measure, merging it with one of the same kind (and stage): the most severe figures
/// are kept, sources are joined; a mandatory one stays beside the proposed one.
fn add_measure(out: &mut Vec<Measure>, m: Measure) {
    let same = out
        .iter_mut()
        .find(|x| x.kind == m.kind && x.stage == m.stage && x.mandatory == m.mandatory);
    let Some(x) = same else {
        out.push(m);
        return;
    };
    for s in m.sources {
        if !x.sources.contains(&s) {
            x.sources.push(s);
        }
    }
    if let Some(n) = m.months
        && x.months.is_none_or(|old| n > old)
    {
        x.months = Some(n);
        x.label = m.label;
    } else if m.kind == MeasureKind::Amende {
        x.fine_min = x.fine_min.max(m.fine_min);
        x.fine_max = x.fine_max.max(m.fine_max);
        x.label = fine_label(x.fine_min, x.fine_max);
    }
}

#[cfg(test)]
mod tests;
