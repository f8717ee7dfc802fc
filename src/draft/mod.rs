//! Drafting the documents the parquet signs: fiche de synthèse, bordereau de pièces, avis
//! d'orientation, requête au JLD, réquisitoire définitif, as DOCX filled from templates the
//! parquet owns (`assets/templates/`, overridden by a user folder).
//!
//! `render` is pure: the input (facts, proposal, decision, court, magistrate, now) becomes a
//! model (`model.rs`, names in French, listed in `docs/TEMPLATES.md`) that fills the template
//! (`template.rs`). `write_atomic` writes the result only when the whole render succeeded.

pub mod bench;
pub mod dossier;
pub mod law;
pub mod model;
pub mod template;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::facts::Facts;
use crate::fr::quoted;
use crate::orient::Proposal;
pub use model::SCHEMA_FIELDS;
pub use template::{FieldKind, Schema, Template};

/// The document kinds (contract ids of `permanence draft --kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Synthese,
    Bordereau,
    Orientation,
    Jld,
    Requisitoire,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Synthese,
        Kind::Bordereau,
        Kind::Orientation,
        Kind::Jld,
        Kind::Requisitoire,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Kind::Synthese => "synthese",
            Kind::Bordereau => "bordereau",
            Kind::Orientation => "orientation",
            Kind::Jld => "jld",
            Kind::Requisitoire => "requisitoire",
        }
    }

    pub fn from_id(id: &str) -> Result<Kind, DraftError> {
        Kind::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .ok_or_else(|| DraftError::UnknownKind(id.to_owned()))
    }

    /// The template's file name, in `assets/templates/` or in a user folder.
    pub fn template_file(self) -> String {
        format!("{}.docx", self.id())
    }

    /// The document's title, in French.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Synthese => "Fiche de synthèse",
            Kind::Bordereau => "Bordereau des pièces",
            Kind::Orientation => "Avis d'orientation",
            Kind::Jld => "Requête aux fins de placement en détention provisoire",
            Kind::Requisitoire => "Réquisitoire définitif",
        }
    }

    fn shipped(self) -> &'static [u8] {
        match self {
            Kind::Synthese => include_bytes!("../../assets/templates/synthese.docx"),
            Kind::Bordereau => include_bytes!("../../assets/templates/bordereau.docx"),
            Kind::Orientation => include_bytes!("../../assets/templates/orientation.docx"),
            Kind::Jld => include_bytes!("../../assets/templates/jld.docx"),
            Kind::Requisitoire => include_bytes!("../../assets/templates/requisitoire.docx"),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The magistrate's decision on the orientation, as the store records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// An orientation id of the contract (`crpc_convocation`, …).
    pub orientation: String,
    /// The proposal was accepted as it was.
    pub accepted: bool,
    pub reason: Option<String>,
    pub magistrate: String,
    pub function: String,
    /// RFC 3339.
    pub decided_at: String,
}

/// The dossier as the store knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dossier {
    pub id: String,
    pub title: String,
    pub parquet_number: Option<String>,
}

/// Who signs: from the user's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Magistrate {
    pub name: Option<String>,
    /// « substitut du procureur de la République », « vice-procureur »…
    pub function: Option<String>,
}

/// A criterion of article 144 of the code de procédure pénale ticked for the requête au JLD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Criterion144 {
    /// 1 to 7 (« 1° » … « 7° »).
    pub number: u8,
    /// The magistrate's reasoning; empty leaves room to write it.
    pub reasoning: String,
    /// Cotes cited (« D12 »…).
    pub cotes: Vec<String>,
}

/// What the requête au JLD needs beyond the facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Detention {
    pub criteria: Vec<Criterion144>,
    /// Why a contrôle judiciaire or an ARSE would not suffice; `None` leaves room.
    pub insufficiency: Option<String>,
}

/// What the réquisitoire définitif asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// Renvoi devant le tribunal correctionnel when offences are found, else non-lieu.
    #[default]
    FromFacts,
    Renvoi,
    NonLieu,
}

/// Everything a draft is made from.
#[derive(Debug, Clone)]
pub struct DraftInput {
    pub dossier: Dossier,
    pub facts: Facts,
    pub proposal: Option<Proposal>,
    pub decision: Option<Decision>,
    /// The tribunal judiciaire's name (« Melun »).
    pub court: Option<String>,
    pub magistrate: Magistrate,
    pub detention: Detention,
    pub conclusion: Conclusion,
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

/// Where templates come from: the shipped ones, overridden by a user folder's files of the same
/// name (read once, in memory: `render` does no I/O).
#[derive(Debug, Clone, Default)]
pub struct TemplateSource {
    overrides: BTreeMap<Kind, (String, Vec<u8>)>,
}

impl TemplateSource {
    /// The templates shipped in the engine.
    pub fn shipped() -> TemplateSource {
        TemplateSource::default()
    }

    /// The shipped templates, with those of `dir` (`synthese.docx`, …) in their place.
    pub fn with_dir(dir: &Path) -> Result<TemplateSource, DraftError> {
        let display = dir.display().to_string();
        let meta = std::fs::metadata(dir).map_err(|e| DraftError::TemplateDir {
            dir: display.clone(),
            reason: io_reason(&e).to_owned(),
        })?;
        if !meta.is_dir() {
            return Err(DraftError::TemplateDir {
                dir: display,
                reason: "ce n'est pas un dossier".to_owned(),
            });
        }
        let mut overrides = BTreeMap::new();
        for kind in Kind::ALL {
            let path = dir.join(kind.template_file());
            match std::fs::read(&path) {
                Ok(bytes) => {
                    overrides.insert(kind, (path.display().to_string(), bytes));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(DraftError::Read {
                        file: path.display().to_string(),
                        reason: io_reason(&e).to_owned(),
                    });
                }
            }
        }
        Ok(TemplateSource { overrides })
    }

    /// The template of a kind: its name (for messages) and bytes.
    pub fn get(&self, kind: Kind) -> (String, &[u8]) {
        match self.overrides.get(&kind) {
            Some((name, bytes)) => (name.clone(), bytes),
            None => (
                format!("assets/templates/{}", kind.template_file()),
                kind.shipped(),
            ),
        }
    }

    /// Whether a user template replaces the shipped one.
    pub fn is_overridden(&self, kind: Kind) -> bool {
        self.overrides.contains_key(&kind)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(
        "le modèle {} utilise le champ inconnu {} (dans {}){}",
        quoted(template), quoted(field), quoted(tag),
        suggestion.as_ref().map(|s| format!("\u{a0}; voulez-vous dire {}\u{a0}? La liste des champs est dans docs/TEMPLATES.md", quoted(s))).unwrap_or_else(|| "\u{a0}; la liste des champs est dans docs/TEMPLATES.md".to_owned())
    )]
    UnknownField {
        template: String,
        field: String,
        tag: String,
        suggestion: Option<String>,
    },
    #[error(
        "le modèle {} utilise le champ {} à contresens\u{a0}: {reason}",
        quoted(template),
        quoted(field)
    )]
    FieldKind {
        template: String,
        field: String,
        reason: String,
    },
    #[error(
        "le modèle {} ouvre le bloc {} sans le fermer",
        quoted(template),
        quoted(block)
    )]
    Unclosed { template: String, block: String },
    #[error(
        "le modèle {} contient {} là où était attendu\u{a0}: {expected}",
        quoted(template),
        quoted(found)
    )]
    Misnested {
        template: String,
        found: String,
        expected: String,
    },
    #[error(
        "dans le modèle {}, le bloc {} est mal placé\u{a0}: {reason}",
        quoted(template),
        quoted(block)
    )]
    Placement {
        template: String,
        block: String,
        reason: String,
    },
    #[error(
        "dans le modèle {}, la balise {} est mal écrite\u{a0}: {reason}",
        quoted(template),
        quoted(tag)
    )]
    Tag {
        template: String,
        tag: String,
        reason: String,
    },
    #[error("le modèle {} est inutilisable\u{a0}: {reason}", quoted(template))]
    Template { template: String, reason: String },
    #[error(
        "le dossier de modèles {} est inutilisable\u{a0}: {reason}",
        quoted(dir)
    )]
    TemplateDir { dir: String, reason: String },
    #[error("type de document inconnu {} (possibles\u{a0}: synthese, bordereau, orientation, jld, requisitoire)", quoted(.0))]
    UnknownKind(String),
    #[error("impossible de lire {}\u{a0}: {reason}", quoted(file))]
    Read { file: String, reason: String },
    #[error("impossible d'écrire {}\u{a0}: {reason}", quoted(file))]
    Write { file: String, reason: String },
    #[error("critère de l'article 144 du code de procédure pénale inconnu\u{a0}: {0} (de 1 à 7)")]
    UnknownCriterion(String),
    #[error("{} n'est pas un acte rédigé sur ce poste\u{a0}: rien n'a été ouvert", quoted(.0))]
    NotADraft(String),
}

impl DraftError {
    pub fn code(&self) -> &'static str {
        match self {
            DraftError::UnknownField { .. } => "draft.unknown_field",
            DraftError::FieldKind { .. } => "draft.field_kind",
            DraftError::Unclosed { .. } => "draft.unclosed_block",
            DraftError::Misnested { .. } => "draft.misnested_block",
            DraftError::Placement { .. } => "draft.block_placement",
            DraftError::Tag { .. } => "draft.tag",
            DraftError::Template { .. } => "draft.template",
            DraftError::TemplateDir { .. } => "draft.template_dir",
            DraftError::UnknownKind(_) => "draft.unknown_kind",
            DraftError::Read { .. } => "draft.read",
            DraftError::Write { .. } => "draft.write",
            DraftError::UnknownCriterion(_) => "draft.unknown_criterion",
            DraftError::NotADraft(_) => "draft.not_a_draft",
        }
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::NotFound => "introuvable",
        std::io::ErrorKind::PermissionDenied => "accès refusé",
        std::io::ErrorKind::IsADirectory => "c'est un dossier, pas un fichier",
        std::io::ErrorKind::StorageFull => "disque plein",
        std::io::ErrorKind::ReadOnlyFilesystem => "support en lecture seule",
        _ => "erreur d'entrée-sortie",
    }
}

/// The schema of the model the templates see.
pub fn schema() -> Schema {
    Schema::new(SCHEMA_FIELDS.iter().map(|f| (f.path, f.kind)))
}

/// The draft of `kind` as a DOCX package. Pure: nothing is written.
pub fn render(
    kind: Kind,
    input: &DraftInput,
    templates: &TemplateSource,
) -> Result<Vec<u8>, DraftError> {
    let (name, bytes) = templates.get(kind);
    let template = Template::compile(&name, bytes, &schema())?;
    let model = model::build(kind, input);
    Ok(template.render(&model))
}

/// The bordereau as CSV: UTF-8 with a byte order mark (spreadsheets read the accents), `;`
/// between fields, one line per piece.
pub fn bordereau_csv(facts: &Facts) -> String {
    let mut out = String::from("\u{feff}");
    let row = |fields: &[String]| -> String {
        let cells: Vec<String> = fields
            .iter()
            .map(|f| {
                if f.contains([';', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f.clone()
                }
            })
            .collect();
        cells.join(";") + "\r\n"
    };
    out.push_str(&row(&[
        "Cote ou numéro".into(),
        "Nature".into(),
        "Titre".into(),
        "N° de procès-verbal".into(),
        "Date".into(),
        "Pages".into(),
    ]));
    for p in model::pieces(facts) {
        out.push_str(&row(&[
            p.reference.clone(),
            p.nature.clone(),
            p.titre.clone(),
            p.numero_pv.clone().unwrap_or_default(),
            p.date_numerique.clone().unwrap_or_default(),
            p.pages.clone(),
        ]));
    }
    out
}

/// Writes `bytes` to `path` only whole (see `crate::atomic`): nothing is visible at `path` (nor
/// beside it) until the whole file is written and synced, even if the process is killed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DraftError> {
    crate::atomic::write(path, bytes).map_err(|e| DraftError::Write {
        file: path.display().to_string(),
        reason: io_reason(&e).to_owned(),
    })
}

#[cfg(test)]
mod tests;
