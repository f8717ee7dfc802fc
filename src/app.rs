//! What the desktop app asks of the engine beyond the CLI's calls: the dossier list with what
//! its filters need, imports of several files reporting per file, a stored original and a page
//! for the viewer, the boxes that highlight a fact's evidence, the active policy as text and a
//! policy file checked problem by problem.
//!
//! The Tauri shell (`src-tauri/`) calls one function of this module or of the engine per
//! command. Every type that crosses to the UI derives `ts_rs::TS`: this module's own types,
//! and in [`wire`] the TypeScript shape of engine types that do not derive it (the facts, a
//! dossier's detail, search hits…), checked against the engine's JSON by the tests below.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use crate::engine::{Engine, ImportReport};
use crate::error::{Error, WireError};
use crate::orient::{self, Orientation, PolicyError};
use crate::pdf::{self, CharBox};
use crate::store::{DossierSummary, PolicyRow, StoreError};

/// The example policy shipped with the engine, as text (shown when no other is active).
const DEFAULT_POLICY_SOURCE: &str = include_str!("../assets/policies/politique-routiere.toml");

/// A line of the dossier list, with what its filters and columns read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DossierRow {
    #[serde(flatten)]
    pub summary: DossierSummary,
    /// Offence families read in its documents (contract identifiers), without repeats.
    pub families: Vec<String>,
    /// The first person « mis en cause », as « Prénoms NOM ».
    pub mis_en_cause: Option<String>,
    /// Date of the facts (YYYY-MM-DD) when the procedure gives it.
    pub facts_date: Option<String>,
    /// The orientation of the last decision, if one was made.
    pub decided: Option<String>,
}

impl Engine {
    /// The dossiers, most recent first, each with its offence families, its first person
    /// « mis en cause », the date of its facts and its last decision (read from the stored
    /// facts in one query, not re-extracted).
    pub fn dossier_rows(&self) -> Result<Vec<DossierRow>, Error> {
        let conn = self.store().conn();
        // Per dossier: offence families, person, date of the facts.
        type Annotation = (Vec<String>, Option<String>, Option<String>);
        let mut annotations: HashMap<i64, Annotation> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT doc.dossier_id,
                    (SELECT json_group_array(json_extract(o.value, '$.family'))
                       FROM json_each(f.facts, '$.offences') o),
                    (SELECT trim(coalesce(json_extract(p.value, '$.given_names'), '') || ' ' ||
                                 coalesce(json_extract(p.value, '$.surname'), ''))
                       FROM json_each(f.facts, '$.persons') p
                      WHERE json_extract(p.value, '$.role') = 'mis_en_cause' LIMIT 1),
                    json_extract(f.facts, '$.facts.date')
               FROM documents doc JOIN facts f ON f.document_id = doc.id
              ORDER BY doc.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (dossier, families, person, date) = row?;
            let entry = annotations.entry(dossier).or_default();
            let families: Vec<String> = families
                .and_then(|f| serde_json::from_str(&f).ok())
                .unwrap_or_default();
            for family in families {
                if !entry.0.contains(&family) {
                    entry.0.push(family);
                }
            }
            // The dossier's main document is its first: its person and date stand.
            if entry.1.is_none() {
                entry.1 = person.filter(|p| !p.is_empty());
            }
            if entry.2.is_none() {
                entry.2 = date;
            }
        }
        let mut decided: HashMap<i64, String> = HashMap::new();
        let mut stmt =
            conn.prepare_cached("SELECT dossier_id, orientation FROM decisions ORDER BY id")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (dossier, orientation) = row?;
            decided.insert(dossier, orientation);
        }
        Ok(self
            .list()?
            .into_iter()
            .map(|summary| {
                let (families, mis_en_cause, facts_date) =
                    annotations.remove(&summary.id).unwrap_or_default();
                DossierRow {
                    decided: decided.remove(&summary.id),
                    families,
                    mis_en_cause,
                    facts_date,
                    summary,
                }
            })
            .collect())
    }
}

/// A file imported, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportedFile {
    pub dossier: i64,
    pub document: i64,
    pub pages: u32,
    /// Already stored (same sha256): nothing was written.
    pub duplicate: bool,
}

impl From<ImportReport> for ImportedFile {
    fn from(r: ImportReport) -> Self {
        ImportedFile {
            dossier: r.dossier,
            document: r.document,
            pages: r.pages,
            duplicate: r.duplicate,
        }
    }
}

/// What an import of several files reports as it goes, file by file (`index` in the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportEvent {
    Started {
        index: u32,
        /// The file's name, without its folder.
        name: String,
    },
    Progress {
        index: u32,
        pages_done: u32,
        pages_total: u32,
    },
    Imported {
        index: u32,
        imported: ImportedFile,
    },
    Failed {
        index: u32,
        error: WireError,
    },
}

/// The outcome of one file of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    pub name: String,
    pub imported: Option<ImportedFile>,
    pub error: Option<WireError>,
}

/// The name shown for a path: its last component.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Engine {
    /// Imports each file into a new dossier, one after the other, reporting each step to
    /// `on_event`. A bad or duplicate file changes nothing and does not stop the others.
    pub fn import_files(
        &mut self,
        paths: &[PathBuf],
        on_event: &mut dyn FnMut(ImportEvent),
    ) -> Vec<ImportOutcome> {
        let mut outcomes = Vec::with_capacity(paths.len());
        for (index, path) in paths.iter().enumerate() {
            let index = index as u32;
            let name = file_name(path);
            on_event(ImportEvent::Started {
                index,
                name: name.clone(),
            });
            let result = self.import(path, None, &mut |p| {
                on_event(ImportEvent::Progress {
                    index,
                    pages_done: p.pages_done,
                    pages_total: p.pages_total,
                })
            });
            match result {
                Ok(report) => {
                    let imported = ImportedFile::from(report);
                    on_event(ImportEvent::Imported {
                        index,
                        imported: imported.clone(),
                    });
                    outcomes.push(ImportOutcome {
                        name,
                        imported: Some(imported),
                        error: None,
                    });
                }
                Err(e) => {
                    let error = e.to_wire();
                    tracing::info!("import of file {index} refused: {}", error.code);
                    on_event(ImportEvent::Failed {
                        index,
                        error: error.clone(),
                    });
                    outcomes.push(ImportOutcome {
                        name,
                        imported: None,
                        error: Some(error),
                    });
                }
            }
        }
        outcomes
    }
}

/// One page of a stored document, for the viewer.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PageView {
    pub document: i64,
    pub number: u32,
    /// The document's page count.
    pub pages: u32,
    /// `pdf` (shown from the original with pdf.js) or `txt` (shown as text).
    pub kind: String,
    /// The page's normalised text: evidence offsets count its Unicode scalar values.
    pub text: String,
    /// Page size in PDF points (none for text files).
    pub width: Option<f32>,
    pub height: Option<f32>,
    /// No usable text layer (a scan waiting for OCR).
    pub needs_ocr: bool,
}

/// A rectangle on a page, in PDF points, origin at the bottom left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Rect {
    pub left: f32,
    pub bottom: f32,
    pub right: f32,
    pub top: f32,
}

impl Engine {
    /// The bytes of a document's original, as imported, and its kind (`pdf` or `txt`).
    pub fn original(&self, document: i64) -> Result<(String, Vec<u8>), Error> {
        let row = self.store().document(document)?;
        let bytes = self.store().originals().read(&row.sha256, &row.kind)?;
        Ok((row.kind, bytes))
    }

    pub fn page_view(&self, document: i64, number: u32) -> Result<PageView, Error> {
        let row = self.store().document(document)?;
        let page = self
            .store()
            .conn()
            .prepare_cached(
                "SELECT text, width, height, needs_ocr FROM pages
                  WHERE document_id = ?1 AND number = ?2",
            )?
            .query_row(rusqlite::params![document, number], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<f64>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })
            .optional()?;
        let Some((text, width, height, needs_ocr)) = page else {
            return Err(pdf::PdfError::NoSuchPage {
                file: row.original_name,
                page: number,
            }
            .into());
        };
        Ok(PageView {
            document,
            number,
            pages: row.pages,
            kind: row.kind,
            text,
            width: width.map(|w| w as f32),
            height: height.map(|h| h as f32),
            needs_ocr,
        })
    }

    /// The rectangles that cover characters `start..end` of a page's text (evidence offsets),
    /// one per line. A text document has no boxes: its viewer marks the text itself.
    pub fn evidence_boxes(
        &self,
        document: i64,
        page: u32,
        start: usize,
        end: usize,
    ) -> Result<Vec<Rect>, Error> {
        let (kind, bytes) = self.original(document)?;
        if kind != "pdf" {
            return Ok(Vec::new());
        }
        let row = self.store().document(document)?;
        let boxes = pdf::char_boxes(&row.original_name, &bytes, page)?;
        Ok(line_rects(
            boxes
                .get(start.min(boxes.len())..end.min(boxes.len()))
                .unwrap_or_default(),
        ))
    }
}

/// Character boxes merged into one rectangle per line; empty boxes (line ends) are skipped.
pub fn line_rects(boxes: &[CharBox]) -> Vec<Rect> {
    let mut out: Vec<Rect> = Vec::new();
    for b in boxes {
        if b.right <= b.left || b.top <= b.bottom {
            continue;
        }
        let middle = (b.bottom + b.top) / 2.0;
        match out.last_mut() {
            // Same line: its middle is within the rectangle's height, and it does not go
            // back to the left of where the line started.
            Some(r) if middle >= r.bottom && middle <= r.top && b.left >= r.left - 1.0 => {
                r.left = r.left.min(b.left);
                r.right = r.right.max(b.right);
                r.bottom = r.bottom.min(b.bottom);
                r.top = r.top.max(b.top);
            }
            _ => out.push(Rect {
                left: b.left,
                bottom: b.bottom,
                right: b.right,
                top: b.top,
            }),
        }
    }
    out
}

/// A rule of a policy, as the policy screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PolicyRule {
    pub id: String,
    pub orientation: Orientation,
    pub orientation_label: String,
    pub explanation: String,
    pub legal_basis: Option<String>,
}

/// The policy that proposals use now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ActivePolicy {
    /// The stored policy, or none when the example shipped with Permanence applies.
    pub stored: Option<PolicyRow>,
    pub name: String,
    pub version: String,
    pub author: String,
    pub effective: String,
    pub file: String,
    /// The policy file's whole text.
    pub source: String,
    pub rules: Vec<PolicyRule>,
}

fn policy_rules(policy: &orient::Policy) -> Vec<PolicyRule> {
    policy
        .rules
        .iter()
        .map(|r| PolicyRule {
            id: r.id.clone(),
            orientation: r.orientation,
            orientation_label: r.orientation.label().to_owned(),
            explanation: r.explanation.clone(),
            legal_basis: r.legal_basis.clone(),
        })
        .collect()
}

impl Engine {
    pub fn active_policy_view(&self) -> Result<ActivePolicy, Error> {
        let (stored, file, source) = match self.store().active_policy()? {
            Some((row, source)) => (Some(row.clone()), row.file, source),
            None => (
                None,
                orient::DEFAULT_POLICY_FILE.to_owned(),
                DEFAULT_POLICY_SOURCE.to_owned(),
            ),
        };
        let policy = self.active_policy()?;
        Ok(ActivePolicy {
            stored,
            rules: policy_rules(&policy),
            name: policy.name,
            version: policy.version,
            author: policy.author,
            effective: policy.effective,
            file,
            source,
        })
    }
}

/// One problem of a policy file; `line` and `column` count from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyProblem {
    pub code: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// French, without the file and position (the screen shows them beside it).
    pub message: String,
}

/// A policy file checked: its header and rules when it is valid, else every problem.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PolicyCheck {
    pub file: String,
    pub valid: bool,
    pub name: Option<String>,
    pub version: Option<String>,
    pub rules: Vec<PolicyRule>,
    pub problems: Vec<PolicyProblem>,
}

/// Reads and checks a policy file without keeping it.
pub fn check_policy(path: &Path) -> PolicyCheck {
    let file = pdf::display_name(path);
    match orient::load_policy(path) {
        Ok(policy) => PolicyCheck {
            file,
            valid: true,
            rules: policy_rules(&policy),
            name: Some(policy.name),
            version: Some(policy.version),
            problems: Vec::new(),
        },
        Err(e) => {
            let problems = match &e {
                PolicyError::Read { reason, .. } => vec![PolicyProblem {
                    code: e.code().to_owned(),
                    line: None,
                    column: None,
                    message: reason.clone(),
                }],
                PolicyError::Invalid { problems, .. } => problems
                    .iter()
                    .map(|p| PolicyProblem {
                        code: p.kind.code().to_owned(),
                        line: Some(p.line as u32),
                        column: Some(p.column as u32),
                        message: p.message.clone(),
                    })
                    .collect(),
            };
            PolicyCheck {
                file,
                valid: false,
                name: None,
                version: None,
                rules: Vec::new(),
                problems,
            }
        }
    }
}

/// An identifier and its French label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

/// What the app shows about itself, and the engine's vocabularies in French.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// The data directory in use.
    pub data_dir: String,
    /// Every orientation, from the mildest; `a_examiner` last.
    pub orientations: Vec<Choice>,
    /// The offence families of the contract.
    pub families: Vec<Choice>,
    /// The drafts a dossier can be exported as.
    pub drafts: Vec<Choice>,
}

impl Engine {
    pub fn app_info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir().root().display().to_string(),
            orientations: Orientation::ALL
                .iter()
                .map(|o| Choice {
                    id: o.id().to_owned(),
                    label: o.label().to_owned(),
                })
                .collect(),
            families: orient::FAMILIES
                .iter()
                .map(|f| Choice {
                    id: (*f).to_owned(),
                    label: capitalised(orient::family_label(f)),
                })
                .collect(),
            drafts: DRAFT_KINDS
                .iter()
                .map(|(id, label)| Choice {
                    id: (*id).to_owned(),
                    label: (*label).to_owned(),
                })
                .collect(),
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The kinds of draft of the contract (`permanence draft --kind K`), with their titles.
pub const DRAFT_KINDS: [(&str, &str); 5] = [
    ("synthese", "Fiche de synthèse"),
    ("bordereau", "Bordereau de pièces"),
    ("orientation", "Avis d'orientation"),
    ("jld", "Requête au juge des libertés et de la détention"),
    ("requisitoire", "Réquisitoire définitif"),
];

/// A draft written (as `permanence draft --json` reports it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExportedDraft {
    /// The DOCX written, absolute path.
    pub file: String,
    pub kind: String,
    pub bytes: u64,
}

impl Engine {
    /// Writes a draft of a dossier. The drafts module (`permanence::draft`) is not part of
    /// this version yet: the dossier and the kind are checked, then the answer says so and
    /// nothing is written.
    pub fn export_draft(&self, dossier: i64, kind: &str) -> Result<ExportedDraft, WireError> {
        if !self
            .store()
            .dossier_exists(dossier)
            .map_err(|e| Error::from(e).to_wire())?
        {
            return Err(Error::from(StoreError::NoSuchDossier(dossier)).to_wire());
        }
        let Some((_, title)) = DRAFT_KINDS.iter().find(|(id, _)| *id == kind) else {
            return Err(WireError {
                code: "draft.unknown_kind".to_owned(),
                message: format!(
                    "{} n'est pas un acte connu (actes\u{a0}: {})",
                    crate::fr::quoted(kind),
                    DRAFT_KINDS.map(|(id, _)| id).join(", ")
                ),
            });
        };
        Err(WireError {
            code: "draft.unavailable".to_owned(),
            message: format!(
                "la rédaction des actes n'est pas encore disponible dans cette version de \
                 Permanence\u{a0}: {} n'a pas été produit, rien n'a été écrit",
                crate::fr::quoted(title)
            ),
        })
    }
}

/// The TypeScript shape of engine types that cross to the UI but do not derive `TS`
/// themselves. They are never built at run time: the shell sends the engine's own values,
/// and the tests check that these types read them back exactly (unknown fields refused).
pub mod wire {
    use serde::{Deserialize, Serialize};
    use ts_rs::TS;

    use crate::facts::Evidence;
    use crate::orient::Proposal;
    use crate::store::{Correction, DecisionRecord};

    /// `permanence.facts/1` (see `../shared/contracts/facts.schema.json`).
    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Facts {
        pub schema: String,
        pub source: Source,
        pub pieces: Vec<Piece>,
        pub persons: Vec<Person>,
        pub offences: Vec<Offence>,
        pub facts: WhenWhere,
        pub alcohol: Option<Alcohol>,
        pub recidive: Option<bool>,
        pub antecedents: Vec<Antecedent>,
        pub speed: Option<Speed>,
        pub injuries: Injuries,
        pub licence: Licence,
        pub vehicle: Option<Vehicle>,
        pub custody: Option<Custody>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Source {
        pub file: String,
        pub sha256: String,
        pub pages: u32,
        pub ocr_pages: Vec<u32>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(rename_all = "snake_case")]
    #[ts(export)]
    pub enum PieceKind {
        PvInterpellation,
        PvVerificationAlcool,
        PvDepistageStupefiants,
        PvNotificationGav,
        PvFinGav,
        PvAuditionMisEnCause,
        PvAuditionVictime,
        PvAuditionTemoin,
        RelevePermis,
        CasierB1,
        CertificatMedical,
        CompteRenduMagistrat,
        PvSynthese,
        Other,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Piece {
        pub index: u32,
        pub cote: Option<String>,
        pub kind: PieceKind,
        pub title: String,
        pub number: Option<String>,
        pub date: Option<String>,
        pub first_page: u32,
        pub last_page: u32,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(rename_all = "snake_case")]
    #[ts(export)]
    pub enum Role {
        MisEnCause,
        Victime,
        Temoin,
        Enqueteur,
        Autre,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Person {
        pub role: Role,
        pub surname: String,
        pub given_names: String,
        pub birth_date: Option<String>,
        pub birth_place: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        pub quality: Option<String>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Offence {
        pub family: String,
        pub natinf: Option<String>,
        pub label: String,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct WhenWhere {
        pub date: Option<String>,
        pub time: Option<String>,
        pub commune: Option<String>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[ts(export)]
    pub enum AlcoholUnit {
        #[serde(rename = "mg/L")]
        MgPerLitreAir,
        #[serde(rename = "g/L")]
        GPerLitreBlood,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(rename_all = "snake_case")]
    #[ts(export)]
    pub enum AlcoholMethod {
        Ethylometre,
        PriseDeSang,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Alcohol {
        pub value: f64,
        pub unit: AlcoholUnit,
        pub method: Option<AlcoholMethod>,
        pub measures: Vec<f64>,
        pub after_margin: Option<f64>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Antecedent {
        pub date: Option<String>,
        pub label: String,
        pub family: Option<String>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Speed {
        pub measured: Option<f64>,
        pub retained: Option<f64>,
        pub limit: Option<f64>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Injuries {
        pub present: bool,
        pub deaths: Option<u32>,
        pub itt_days: Option<u32>,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(rename_all = "snake_case")]
    #[ts(export)]
    pub enum LicenceStatus {
        Valide,
        Suspendu,
        Annule,
        Invalide,
        JamaisObtenu,
        Inconnu,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Licence {
        pub status: LicenceStatus,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Vehicle {
        pub plate: Option<String>,
        pub description: Option<String>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Custody {
        pub start: Option<String>,
        pub end: Option<String>,
    }

    /// `decision::DocumentFacts`: what was read, the corrections, and the facts that stand.
    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct DocumentFacts {
        pub document: i64,
        pub version: u32,
        pub extracted: Facts,
        #[ts(as = "Vec<Correction>")]
        pub corrections: Vec<CorrectionShape>,
        pub facts: Facts,
    }

    /// `store::Correction` read back (it derives `TS` but not `Deserialize`).
    #[derive(Debug, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    pub struct CorrectionShape {
        pub id: i64,
        pub document: i64,
        pub path: String,
        pub value: serde_json::Value,
        pub previous: serde_json::Value,
        pub reason: String,
        pub actor: String,
        pub at: String,
    }

    /// `store::DossierDetail`: the summary's fields, the documents and the journal.
    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct DossierDetail {
        pub id: i64,
        pub title: String,
        pub status: String,
        pub created: String,
        pub documents: i64,
        pub documents_detail: Vec<DocumentRow>,
        pub journal: Vec<JournalEntry>,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct DocumentRow {
        pub id: i64,
        pub dossier: i64,
        pub sha256: String,
        pub original_name: String,
        pub size: i64,
        pub kind: String,
        pub pages: u32,
        pub imported: String,
        pub ocr_pages: Vec<u32>,
        pub attachments: Vec<Attachment>,
        #[ts(type = "Record<string, string | null>")]
        pub metadata: serde_json::Value,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct Attachment {
        pub name: String,
        pub size: u64,
    }

    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct JournalEntry {
        pub id: i64,
        pub at: String,
        pub actor: String,
        pub event: String,
        #[ts(type = "unknown")]
        pub detail: serde_json::Value,
    }

    /// `index::SearchHit`: `snippet` is HTML-escaped text with `<mark>` around each match.
    #[derive(Debug, Deserialize, Serialize, TS)]
    #[serde(deny_unknown_fields)]
    #[ts(export)]
    pub struct SearchHit {
        pub dossier: i64,
        pub document: i64,
        pub page: u32,
        pub snippet: String,
        pub score: f32,
    }

    /// `decision::Decided`: the decision recorded and the proposal it answers.
    #[derive(Debug, Serialize, TS)]
    #[ts(export)]
    pub struct Decided {
        pub decision: DecisionRecord,
        pub proposal: Proposal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DataDir, Profile};
    use serde::de::DeserializeOwned;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/small")
            .join(name)
    }

    /// The engine's JSON reads into the TypeScript shape and writes back identical.
    fn same_shape<V: DeserializeOwned + Serialize>(what: &str, value: &impl Serialize) {
        let json = serde_json::to_value(value).unwrap();
        let view: V = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{what}: the TypeScript shape does not read it: {e}"));
        assert_eq!(serde_json::to_value(view).unwrap(), json, "{what}");
    }

    fn engine() -> (tempfile::TempDir, Engine) {
        let tmp = tempfile::tempdir().unwrap();
        let engine = Engine::open(DataDir::at(&tmp.path().join("data"))).unwrap();
        (tmp, engine)
    }

    #[test]
    fn wire_shapes_match_the_engine() {
        let (tmp, mut engine) = engine();
        let files: Vec<PathBuf> = [
            "alcool-police.pdf",
            "blessures-fuite.pdf",
            "stup-recidive-gendarmerie.pdf",
            "vitesse-suspension.pdf",
            "jugement.txt",
        ]
        .iter()
        .map(|f| fixture(f))
        .collect();
        let outcomes = engine.import_files(&files, &mut |_| {});
        for outcome in &outcomes {
            let imported = outcome.imported.as_ref().expect("imported");
            let facts = engine.dossier_facts(imported.dossier).unwrap();
            same_shape::<wire::DocumentFacts>(&outcome.name, &facts);
            same_shape::<wire::DossierDetail>(
                &outcome.name,
                &engine.show(imported.dossier).unwrap(),
            );
        }
        let dossier = outcomes[0].imported.as_ref().unwrap().dossier;
        engine
            .correct(dossier, "/recidive", serde_json::json!(true), "vu le B1")
            .unwrap();
        same_shape::<wire::DocumentFacts>("corrected", &engine.dossier_facts(dossier).unwrap());
        for hit in engine.search("éthylomètre", 5).unwrap() {
            same_shape::<wire::SearchHit>("search", &hit);
        }
        engine
            .set_profile(&Profile {
                name: "Claire DURAND".into(),
                function: "substitut du procureur".into(),
                court: "Melun".into(),
            })
            .unwrap();
        let decided = engine.decide(dossier, None, "").unwrap();
        let json = serde_json::to_value(&decided).unwrap();
        assert_eq!(
            json.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["decision", "proposal"]
        );
        drop(tmp);
    }

    #[test]
    fn imports_report_each_file_and_go_on_after_a_bad_one() {
        let (tmp, mut engine) = engine();
        let bad = tmp.path().join("pas-un-pdf.pdf");
        std::fs::write(&bad, b"PROCES-VERBAL").unwrap();
        let good = fixture("alcool-police.pdf");
        let mut events = Vec::new();
        let outcomes = engine.import_files(&[bad, good.clone(), good], &mut |e| events.push(e));
        assert_eq!(outcomes.len(), 3);
        assert_eq!(outcomes[0].name, "pas-un-pdf.pdf");
        assert_eq!(outcomes[0].error.as_ref().unwrap().code, "pdf.not_pdf");
        let first = outcomes[1].imported.clone().unwrap();
        assert!(!first.duplicate);
        let again = outcomes[2].imported.clone().unwrap();
        assert!(again.duplicate);
        assert_eq!(again.dossier, first.dossier);
        assert!(matches!(events[0], ImportEvent::Started { index: 0, .. }));
        assert!(matches!(events[1], ImportEvent::Failed { index: 0, .. }));
        let progress: Vec<(u32, u32)> = events
            .iter()
            .filter_map(|e| match e {
                ImportEvent::Progress {
                    index: 1,
                    pages_done,
                    pages_total,
                } => Some((*pages_done, *pages_total)),
                _ => None,
            })
            .collect();
        let total = first.pages;
        assert_eq!(
            progress,
            (1..=total).map(|d| (d, total)).collect::<Vec<_>>()
        );
        assert_eq!(engine.list().unwrap().len(), 1, "nothing else was written");
    }

    #[test]
    fn dossier_rows_carry_families_person_date_and_decision() {
        let (_tmp, mut engine) = engine();
        let outcomes = engine.import_files(
            &[
                fixture("alcool-police.pdf"),
                fixture("vitesse-suspension.pdf"),
            ],
            &mut |_| {},
        );
        let alcohol = outcomes[0].imported.as_ref().unwrap().dossier;
        let read = engine.dossier_facts(alcohol).unwrap().facts;
        engine
            .set_profile(&Profile {
                name: "Claire DURAND".into(),
                function: "substitut".into(),
                court: "Melun".into(),
            })
            .unwrap();
        let decided = engine.decide(alcohol, None, "").unwrap();
        let rows = engine.dossier_rows().unwrap();
        assert_eq!(rows.len(), 2);
        let row = rows.iter().find(|r| r.summary.id == alcohol).unwrap();
        let mut families: Vec<&str> = Vec::new();
        for o in &read.offences {
            if !families.contains(&o.family.as_str()) {
                families.push(&o.family);
            }
        }
        assert!(!families.is_empty());
        assert_eq!(row.families, families);
        let person = read
            .persons
            .iter()
            .find(|p| p.role == crate::facts::Role::MisEnCause)
            .unwrap();
        assert_eq!(
            row.mis_en_cause.as_deref(),
            Some(format!("{} {}", person.given_names, person.surname).as_str())
        );
        assert!(read.facts.date.is_some());
        assert_eq!(row.facts_date, read.facts.date);
        assert_eq!(
            row.decided.as_deref(),
            Some(decided.decision.orientation.as_str())
        );
        assert_eq!(row.summary.status, "decision_validee");
        let other = rows.iter().find(|r| r.summary.id != alcohol).unwrap();
        assert_eq!(other.decided, None);
        assert!(
            other.families.contains(&"exces_vitesse".to_owned()),
            "{other:?}"
        );
    }

    #[test]
    fn page_original_and_evidence_boxes() {
        let (_tmp, mut engine) = engine();
        let pdf_file = fixture("alcool-police.pdf");
        let outcome = &engine.import_files(std::slice::from_ref(&pdf_file), &mut |_| {})[0];
        let imported = outcome.imported.clone().unwrap();
        let (kind, bytes) = engine.original(imported.document).unwrap();
        assert_eq!(kind, "pdf");
        assert_eq!(bytes, std::fs::read(&pdf_file).unwrap());
        let facts = engine.dossier_facts(imported.dossier).unwrap().facts;
        let evidence = &facts.alcohol.as_ref().expect("alcohol read").evidence[0];
        let page = engine.page_view(imported.document, evidence.page).unwrap();
        assert_eq!(page.pages, imported.pages);
        let chars: Vec<char> = page.text.chars().collect();
        assert_eq!(
            chars[evidence.start..evidence.end]
                .iter()
                .collect::<String>(),
            evidence.text
        );
        let (width, height) = (page.width.unwrap(), page.height.unwrap());
        let rects = engine
            .evidence_boxes(
                imported.document,
                evidence.page,
                evidence.start,
                evidence.end,
            )
            .unwrap();
        assert!(!rects.is_empty());
        for r in &rects {
            assert!(
                r.left >= 0.0 && r.right <= width && r.left < r.right,
                "{r:?}"
            );
            assert!(
                r.bottom >= 0.0 && r.top <= height && r.bottom < r.top,
                "{r:?}"
            );
        }
        let e = engine.page_view(imported.document, 999).unwrap_err();
        assert_eq!(e.code(), "pdf.no_such_page");
        let e = engine.original(4242).unwrap_err();
        assert_eq!(e.code(), "store.no_such_document");
    }

    #[test]
    fn drafts_say_they_are_not_available_yet() {
        let (_tmp, mut engine) = engine();
        let outcome = &engine.import_files(&[fixture("alcool-police.pdf")], &mut |_| {})[0];
        let dossier = outcome.imported.as_ref().unwrap().dossier;
        let e = engine.export_draft(dossier, "synthese").unwrap_err();
        assert_eq!(e.code, "draft.unavailable");
        assert!(
            e.message.contains("«\u{a0}Fiche de synthèse\u{a0}»"),
            "{}",
            e.message
        );
        let e = engine.export_draft(dossier, "roman").unwrap_err();
        assert_eq!(e.code, "draft.unknown_kind");
        let e = engine.export_draft(4242, "synthese").unwrap_err();
        assert_eq!(e.code, "store.no_such_dossier");
    }

    #[test]
    fn boxes_merge_by_line() {
        let b = |left: f32, bottom: f32| CharBox {
            left,
            bottom,
            right: left + 5.0,
            top: bottom + 10.0,
        };
        let empty = CharBox {
            left: 0.0,
            bottom: 0.0,
            right: 0.0,
            top: 0.0,
        };
        let rects = line_rects(&[b(100.0, 700.0), b(105.0, 701.0), empty, b(50.0, 688.0)]);
        assert_eq!(
            rects,
            [
                Rect {
                    left: 100.0,
                    bottom: 700.0,
                    right: 110.0,
                    top: 711.0
                },
                Rect {
                    left: 50.0,
                    bottom: 688.0,
                    right: 55.0,
                    top: 698.0
                }
            ]
        );
    }

    #[test]
    fn policy_check_lists_every_problem_with_its_line() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("politique.toml");
        let good = DEFAULT_POLICY_SOURCE;
        std::fs::write(&file, good).unwrap();
        let check = check_policy(&file);
        assert!(check.valid, "{check:?}");
        assert!(!check.rules.is_empty());
        let broken = good.replacen("orientation = \"", "orientation = \"inconnue_", 1);
        std::fs::write(&file, &broken).unwrap();
        let check = check_policy(&file);
        assert!(!check.valid);
        let problem = &check.problems[0];
        assert_eq!(problem.code, "policy.unknown_value");
        let line = broken
            .lines()
            .position(|l| l.contains("inconnue_"))
            .unwrap() as u32
            + 1;
        assert_eq!(problem.line, Some(line));
        let check = check_policy(&tmp.path().join("absente.toml"));
        assert_eq!(check.problems[0].code, "policy.read");
        assert_eq!(check.problems[0].line, None);
    }

    #[test]
    fn active_policy_is_the_example_until_another_is_activated() {
        let (tmp, mut engine) = engine();
        let view = engine.active_policy_view().unwrap();
        assert_eq!(view.stored, None);
        assert_eq!(view.source, DEFAULT_POLICY_SOURCE);
        assert_eq!(view.rules.len(), orient::default_policy().rules.len());
        let file = tmp.path().join("locale.toml");
        std::fs::write(
            &file,
            DEFAULT_POLICY_SOURCE.replacen("version = \"", "version = \"local-", 1),
        )
        .unwrap();
        let row = engine.add_policy(&file, true).unwrap();
        let view = engine.active_policy_view().unwrap();
        assert_eq!(view.stored.as_ref().map(|r| r.id), Some(row.id));
        assert!(view.version.starts_with("local-"), "{}", view.version);
        let info = engine.app_info();
        assert_eq!(info.orientations.len(), Orientation::ALL.len());
        assert_eq!(info.families[0].label, "Alcool (délit)");
    }
}
