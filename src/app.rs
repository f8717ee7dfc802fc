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
use std::sync::atomic::AtomicBool;

use rusqlite::OptionalExtension;
use serde::Serialize;
use ts_rs::TS;

use crate::engine::{Engine, ImportReport};
use crate::error::{Error, WireError};
use crate::orient::{self, Orientation, PolicyError};
use crate::pdf::{self, CharBox};
use crate::store::{DataDir, DossierSummary, ListQuery, PolicyRow, StoreError};
use crate::tracking::Deadline;

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
    /// The most urgent deadline still open (end of garde à vue), if any.
    pub deadline: Option<Deadline>,
}

/// A page of the dossier list: its lines and how many dossiers the query matches in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DossierRows {
    pub total: u32,
    pub rows: Vec<DossierRow>,
}

/// Custody lasts 96 hours at most (organised crime): older dossiers have no open deadline.
const DEADLINE_HORIZON_DAYS: i64 = 5;

impl Engine {
    /// One page of the dossier list (filters, words, order and paging in SQL over the derived
    /// tracking rows, so 50,000 dossiers answer as fast as 50), each line with its offence
    /// families, first person « mis en cause », date of the facts, last decision and most
    /// urgent open deadline.
    pub fn dossier_rows(&mut self, query: &ListQuery) -> Result<DossierRows, Error> {
        let page = self.list_page(query)?;
        let ids: Vec<i64> = page.dossiers.iter().map(|d| d.id).collect();
        let ids_json = serde_json::to_string(&ids).unwrap_or_default();
        let (mut stats, mut persons) = self.row_annotations(&ids_json)?;
        let now = crate::tracking::now_local();
        let horizon = chrono::Utc::now() - chrono::Duration::days(DEADLINE_HORIZON_DAYS);
        let mut rows = Vec::with_capacity(page.dossiers.len());
        for summary in page.dossiers {
            let (families, facts_date, decided) = stats.remove(&summary.id).unwrap_or_default();
            let recent = crate::tracking::parse_utc(&summary.created).is_some_and(|c| c > horizon);
            let deadline = if recent && summary.documents > 0 {
                let mut list = self.deadlines(summary.id, now)?;
                list.sort_by(|a, b| a.due.cmp(&b.due));
                list.into_iter().next()
            } else {
                None
            };
            rows.push(DossierRow {
                families: families
                    .split(',')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect(),
                mis_en_cause: persons.remove(&summary.id),
                facts_date,
                decided,
                deadline,
                summary,
            });
        }
        Ok(DossierRows {
            total: page.total,
            rows,
        })
    }

    /// The tracking columns (families, date of the facts, last decision) and first person
    /// « mis en cause » of the dossiers `ids` (a JSON array).
    #[allow(clippy::type_complexity)]
    fn row_annotations(
        &self,
        ids: &str,
    ) -> Result<
        (
            HashMap<i64, (String, Option<String>, Option<String>)>,
            HashMap<i64, String>,
        ),
        Error,
    > {
        let conn = self.store().conn();
        let mut stats = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT dossier_id, families, facts_date, decided FROM dossier_stats
              WHERE dossier_id IN (SELECT value FROM json_each(?1))",
        )?;
        for row in stmt.query_map([ids], |r| {
            Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })? {
            let (dossier, values) = row?;
            stats.insert(dossier, values);
        }
        // The dossier's main document is its first: its person stands.
        let mut persons = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT doc.dossier_id,
                    (SELECT trim(coalesce(json_extract(p.value, '$.given_names'), '') || ' ' ||
                                 coalesce(json_extract(p.value, '$.surname'), ''))
                       FROM json_each(f.facts, '$.persons') p
                      WHERE json_extract(p.value, '$.role') = 'mis_en_cause' LIMIT 1)
               FROM documents doc JOIN facts f ON f.document_id = doc.id
              WHERE doc.dossier_id IN (SELECT value FROM json_each(?1))
              ORDER BY doc.id",
        )?;
        for row in stmt.query_map([ids], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
        })? {
            let (dossier, person) = row?;
            if let Some(person) = person.filter(|p| !p.is_empty()) {
                persons.entry(dossier).or_insert(person);
            }
        }
        Ok((stats, persons))
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
        /// Pages recognised by OCR, out of those found without a usable text layer so far.
        ocr_done: u32,
        ocr_total: u32,
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
        self.import_files_cancellable(paths, on_event, &AtomicBool::new(false))
    }

    /// Imports like [`Engine::import_files`] until `cancel` is set (by the app's
    /// `cancel_import`, from another thread): the file being read and those after it fail with
    /// `import.cancelled` and store nothing; files already imported stay.
    pub fn import_files_cancellable(
        &mut self,
        paths: &[PathBuf],
        on_event: &mut dyn FnMut(ImportEvent),
        cancel: &AtomicBool,
    ) -> Vec<ImportOutcome> {
        let mut outcomes = Vec::with_capacity(paths.len());
        for (index, path) in paths.iter().enumerate() {
            let index = index as u32;
            let name = file_name(path);
            on_event(ImportEvent::Started {
                index,
                name: name.clone(),
            });
            let result = self.import_cancellable(
                path,
                None,
                &mut |p| {
                    on_event(ImportEvent::Progress {
                        index,
                        pages_done: p.pages_done,
                        pages_total: p.pages_total,
                        ocr_done: p.ocr_done,
                        ocr_total: p.ocr_total,
                    })
                },
                cancel,
            );
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
    /// No usable text layer and not recognised (a scan whose text is unknown).
    pub needs_ocr: bool,
    /// Read by OCR: the mean confidence of its characters, 0 to 100 (the text is the
    /// recognition's, the evidence boxes are its words').
    pub ocr_confidence: Option<f32>,
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
                "SELECT p.text, p.width, p.height, p.needs_ocr, c.confidence FROM pages p
                   LEFT JOIN ocr_cache c ON c.key = p.ocr_key
                  WHERE p.document_id = ?1 AND p.number = ?2",
            )?
            .query_row(rusqlite::params![document, number], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<f64>>(1)?,
                    r.get::<_, Option<f64>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<f64>>(4)?,
                ))
            })
            .optional()?;
        let Some((text, width, height, needs_ocr, ocr_confidence)) = page else {
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
            needs_ocr: needs_ocr && ocr_confidence.is_none(),
            ocr_confidence: ocr_confidence.map(|c| c as f32),
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
        // A page read by OCR: its words' boxes.
        if let Some((layer, width, height)) = self.store().ocr_page(document, page)? {
            return Ok(line_rects(&layer.char_boxes(start, end, width, height)));
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
    /// The criteria of article 144 of the code de procédure pénale (id: their number), which
    /// the magistrate ticks for a requête au JLD.
    pub criteria_144: Vec<Choice>,
    /// The statuses of a dossier, in their order.
    pub statuses: Vec<Choice>,
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
            criteria_144: crate::draft::law::article_144()
                .criterion
                .iter()
                .map(|c| Choice {
                    id: c.number.to_string(),
                    label: c.text.clone(),
                })
                .collect(),
            statuses: crate::tracking::Status::ALL
                .iter()
                .map(|s| Choice {
                    id: s.id().to_owned(),
                    label: capitalised(s.label()),
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
    /// Where the app keeps the drafts of a dossier: `actes/dossier-N/` in the data directory.
    pub fn drafts_dir(&self, dossier: i64) -> PathBuf {
        self.data_dir()
            .root()
            .join("actes")
            .join(format!("dossier-{dossier}"))
    }

    /// Writes a draft of a dossier in its drafts folder, named after the act and the moment
    /// (`synthese-20261202-0412.docx`), from the parquet's templates (`modeles/` in the data
    /// directory, each file there replacing the shipped template of the same name).
    /// `criteria`: the article 144 criteria the magistrate ticked (requête JLD). The file is
    /// sealed (`Keys::drafts`): `draft_to_view` gives a copy in clear to open.
    pub fn export_draft(
        &mut self,
        dossier: i64,
        kind: &str,
        criteria: &[u8],
    ) -> Result<ExportedDraft, Error> {
        if !self.store().dossier_exists(dossier)? {
            return Err(StoreError::NoSuchDossier(dossier).into());
        }
        crate::draft::Kind::from_id(kind)?;
        let user = self.data_dir().root().join("modeles");
        let templates = if user.is_dir() {
            crate::draft::TemplateSource::with_dir(&user)?
        } else {
            crate::draft::TemplateSource::shipped()
        };
        let dir = self.drafts_dir(dossier);
        std::fs::create_dir_all(&dir).map_err(|e| crate::draft::DraftError::Write {
            file: dir.display().to_string(),
            reason: crate::draft::io_reason(&e).to_owned(),
        })?;
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let out = dir.join(format!("{kind}-{stamp}.docx"));
        let sealer = self.keys().drafts().clone();
        let seal = |path: &Path, bytes: &[u8]| {
            let name = draft_name(dossier, path);
            crate::draft::write_atomic(path, &sealer.seal(&name, bytes))
        };
        let written = self.draft_with(dossier, kind, &out, &templates, criteria, &seal)?;
        Ok(ExportedDraft {
            file: written.file,
            kind: written.kind,
            bytes: written.bytes as u64,
        })
    }

    /// The draft at `path`, if it is one of this data directory's drafts (the app opens
    /// nothing else): its dossier and its file, canonical.
    fn kept_draft(&self, path: &Path) -> Result<(i64, PathBuf), Error> {
        let root = self.data_dir().root().join("actes");
        let refused =
            || -> Error { crate::draft::DraftError::NotADraft(path.display().to_string()).into() };
        let (Ok(root), Ok(path)) = (root.canonicalize(), path.canonicalize()) else {
            return Err(refused());
        };
        let dossier = path
            .strip_prefix(&root)
            .ok()
            .filter(|_| path.is_file())
            .and_then(|rel| rel.parent())
            .and_then(|folder| folder.to_str())
            .and_then(|folder| folder.strip_prefix("dossier-"))
            .and_then(|n| n.parse::<i64>().ok())
            .ok_or_else(refused)?;
        Ok((dossier, path))
    }

    /// A copy in clear of a kept draft, to open in the word processor: written under `views`
    /// (a private folder on a RAM file system, `view_root`), which `clear_views` removes when
    /// the app locks or quits. With `folder`, every draft of that dossier is copied beside it
    /// (the bordereau's CSV). Returns the copy of `path`.
    pub fn draft_to_view(&self, path: &Path, folder: bool, views: &Path) -> Result<PathBuf, Error> {
        let (dossier, path) = self.kept_draft(path)?;
        let target = views.join(format!("dossier-{dossier}"));
        private_dir(views)
            .and_then(|()| private_dir(&target))
            .map_err(|e| crate::draft::DraftError::Write {
                file: target.display().to_string(),
                reason: crate::draft::io_reason(&e).to_owned(),
            })?;
        let files: Vec<PathBuf> = if folder {
            let entries = std::fs::read_dir(path.parent().expect("a draft is in a folder"))
                .map_err(|e| StoreError::io(&path, e))?;
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        } else {
            vec![path.clone()]
        };
        for file in files {
            let sealed = std::fs::read(&file).map_err(|e| StoreError::io(&file, e))?;
            let plain = self
                .keys()
                .drafts()
                .open(&draft_name(dossier, &file), sealed)
                .ok_or_else(|| crate::crypto::CryptoError::Damaged {
                    file: file.display().to_string(),
                })?;
            let copy = target.join(file.file_name().expect("a file has a name"));
            crate::draft::write_atomic(&copy, &plain)?;
        }
        Ok(target.join(path.file_name().expect("a file has a name")))
    }
}

/// The name a draft is sealed under: its dossier and file name.
fn draft_name(dossier: i64, path: &Path) -> String {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("dossier-{dossier}/{file}")
}

/// Creates `dir` readable by its owner only.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Where the app puts the drafts it opens in clear: `$XDG_RUNTIME_DIR/permanence` (a RAM file
/// system private to the user on Linux), else the system's temporary folder.
pub fn view_root() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("permanence"),
        None => std::env::temp_dir().join("permanence-actes"),
    }
}

/// Removes the drafts opened in clear (at lock, at quit, at start after a crash).
pub fn clear_views(views: &Path) {
    if views.exists()
        && let Err(e) = std::fs::remove_dir_all(views)
    {
        tracing::warn!("drafts opened in clear not removed: {}", e.kind());
    }
}

/// Whether the app is unlocked, and what the unlock screen must say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SessionState {
    pub locked: bool,
    /// The data directory has no key yet: the passphrase chosen now creates it (asked twice).
    pub new_data_dir: bool,
    pub data_dir: String,
    /// Why the data directory cannot be unlocked at all (no data directory, a directory in
    /// clear, a key file missing or damaged), before any passphrase is typed.
    pub problem: Option<WireError>,
    /// Minutes without activity before the app locks itself.
    pub lock_minutes: u32,
}

/// The minutes without activity before the app locks, unless the user chose otherwise.
pub const DEFAULT_LOCK_MINUTES: u32 = 10;
/// The longest delay the Paramètres accept (a working day).
pub const MAX_LOCK_MINUTES: u32 = 600;
const LOCK_MINUTES_KEY: &str = "app.lock_minutes";

/// The session of `dir` as the unlock screen shows it (reads only).
pub fn session_state(
    dir: &Result<DataDir, WireError>,
    locked: bool,
    lock_minutes: u32,
) -> SessionState {
    let (data_dir, state) = match dir {
        Ok(dir) => (
            dir.root().display().to_string(),
            crate::crypto::state(dir.root()).map_err(|e| Error::from(e).to_wire()),
        ),
        Err(e) => (String::new(), Err(e.clone())),
    };
    SessionState {
        locked,
        new_data_dir: matches!(state, Ok(crate::crypto::State::New)),
        data_dir,
        problem: state.err(),
        lock_minutes,
    }
}

/// The error of every command while the app is locked.
pub fn locked_error() -> WireError {
    WireError {
        code: "session.locked".to_owned(),
        message: "Permanence est verrouillée : saisissez la phrase de passe pour continuer"
            .to_owned(),
    }
}

/// Unlocks the data directory with the passphrase typed on the unlock screen (creating its
/// key when the directory is new).
pub fn unlock(dir: DataDir, passphrase: &str) -> Result<Engine, Error> {
    Engine::unlock(dir, passphrase, crate::crypto::KdfParams::for_new_key())
}

impl Engine {
    /// The minutes without activity before the app locks.
    pub fn lock_minutes(&self) -> Result<u32, Error> {
        Ok(self
            .store()
            .setting(LOCK_MINUTES_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|m| (1..=MAX_LOCK_MINUTES).contains(m))
            .unwrap_or(DEFAULT_LOCK_MINUTES))
    }

    /// Sets the minutes without activity before the app locks (1 to `MAX_LOCK_MINUTES`).
    pub fn set_lock_minutes(&mut self, minutes: u32) -> Result<u32, Error> {
        if !(1..=MAX_LOCK_MINUTES).contains(&minutes) {
            return Err(crate::crypto::CryptoError::LockDelay {
                given: minutes,
                max: MAX_LOCK_MINUTES,
            }
            .into());
        }
        self.store()
            .set_setting(LOCK_MINUTES_KEY, &minutes.to_string())?;
        Ok(minutes)
    }
}

/// A file the app wrote where the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SavedFile {
    pub file: String,
    pub bytes: u64,
}

impl Engine {
    /// Writes the figures of `filter` as CSV (UTF-8 with BOM, `;`) to `path`, whole or not at
    /// all: the figures themselves, or with `pseudonymised` one line per dossier without
    /// names, birth dates, plates or free text (for sharing outside the laptop).
    pub fn save_figures(
        &mut self,
        filter: &crate::stats::Filter,
        pseudonymised: bool,
        decimal_comma: bool,
        path: &Path,
    ) -> Result<SavedFile, Error> {
        use crate::stats::{Decimal, figures_csv, pseudonymised_csv};
        let decimal = if decimal_comma {
            Decimal::Comma
        } else {
            Decimal::Point
        };
        let csv = if pseudonymised {
            pseudonymised_csv(&self.pseudonymised(filter)?, decimal)
        } else {
            figures_csv(&self.figures(filter)?, decimal)
        };
        crate::draft::write_atomic(path, csv.as_bytes())?;
        Ok(SavedFile {
            file: path.display().to_string(),
            bytes: csv.len() as u64,
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
    use crate::store::Profile;
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
        let engine = Engine::unlock(
            DataDir::at(&tmp.path().join("data")),
            "phrase de passe de test",
            crate::crypto::KdfParams::TEST,
        )
        .unwrap();
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
                    ..
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

    fn sign_as_claire(engine: &mut Engine) {
        engine
            .set_profile(&Profile {
                name: "Claire DURAND".into(),
                function: "substitut".into(),
                court: "Melun".into(),
            })
            .unwrap();
    }

    /// Imports the alcohol and the speed procedures: the alcohol dossier and its facts.
    fn alcohol_and_speed(engine: &mut Engine) -> (i64, crate::facts::Facts) {
        let outcomes = engine.import_files(
            &[
                fixture("alcool-police.pdf"),
                fixture("vitesse-suspension.pdf"),
            ],
            &mut |_| {},
        );
        let alcohol = outcomes[0].imported.as_ref().unwrap().dossier;
        (alcohol, engine.dossier_facts(alcohol).unwrap().facts)
    }

    #[test]
    fn dossier_rows_carry_families_person_date_and_decision() {
        let (_tmp, mut engine) = engine();
        let (alcohol, read) = alcohol_and_speed(&mut engine);
        sign_as_claire(&mut engine);
        let decided = engine.decide(alcohol, None, "").unwrap();
        let page = engine.dossier_rows(&ListQuery::default()).unwrap();
        assert_eq!(page.total, 2);
        let rows = page.rows;
        assert_eq!(rows.len(), 2);
        let row = rows.iter().find(|r| r.summary.id == alcohol).unwrap();
        let mut families: Vec<&str> = Vec::new();
        for o in &read.offences {
            if !families.contains(&o.family.as_str()) {
                families.push(&o.family);
            }
        }
        assert!(!families.is_empty());
        families.sort_unstable();
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
    fn dossier_rows_find_words_in_names_numbers_and_titles_and_page() {
        let (_tmp, mut engine) = engine();
        let (alcohol, read) = alcohol_and_speed(&mut engine);
        let person = read
            .persons
            .iter()
            .find(|p| p.role == crate::facts::Role::MisEnCause)
            .unwrap();
        let ids = |engine: &mut Engine, q: ListQuery| -> (u32, Vec<i64>) {
            let page = engine.dossier_rows(&q).unwrap();
            (page.total, page.rows.iter().map(|r| r.summary.id).collect())
        };
        let words = |text: &str| ListQuery {
            title: Some(text.to_owned()),
            ..ListQuery::default()
        };
        // The surname typed in lower case, without its accents.
        let typed = crate::tracking::name_key(&person.surname).to_lowercase();
        assert_eq!(ids(&mut engine, words(&typed)), (1, vec![alcohol]));
        let given = person.given_names.split(' ').next().unwrap().to_owned();
        assert_eq!(
            ids(&mut engine, words(&format!("{given} {typed}"))),
            (1, vec![alcohol])
        );
        assert_eq!(
            ids(&mut engine, words(&alcohol.to_string())),
            (1, vec![alcohol])
        );
        assert_eq!(ids(&mut engine, words("personne-inconnue")).0, 0);
        let family = ListQuery {
            family: Some("exces_vitesse".into()),
            ..ListQuery::default()
        };
        assert_eq!(ids(&mut engine, family).0, 1);
        let first = ids(
            &mut engine,
            ListQuery {
                limit: 1,
                ..ListQuery::default()
            },
        );
        let second = ids(
            &mut engine,
            ListQuery {
                limit: 1,
                offset: 1,
                ..ListQuery::default()
            },
        );
        assert_eq!((first.0, second.0), (2, 2));
        assert_ne!(first.1, second.1);
        let only = ListQuery {
            ids: vec![alcohol],
            ..ListQuery::default()
        };
        assert_eq!(ids(&mut engine, only), (1, vec![alcohol]));
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
    fn drafts_go_to_the_dossier_folder_and_only_they_may_be_opened() {
        let (tmp, mut engine) = engine();
        let outcome = &engine.import_files(&[fixture("alcool-police.pdf")], &mut |_| {})[0];
        let dossier = outcome.imported.as_ref().unwrap().dossier;
        sign_as_claire(&mut engine);
        engine.decide(dossier, None, "").unwrap();
        let written = engine.export_draft(dossier, "bordereau", &[]).unwrap();
        let file = PathBuf::from(&written.file);
        assert!(file.starts_with(engine.drafts_dir(dossier)), "{file:?}");
        assert!(file.with_extension("csv").exists(), "the bordereau's CSV");
        let sealed = std::fs::read(&file).unwrap();
        assert!(crate::crypto::looks_sealed(&sealed), "kept sealed");
        assert!(!sealed.starts_with(b"PK"), "not a DOCX in clear");
        let jld = engine.export_draft(dossier, "jld", &[2, 5]).unwrap();
        assert_eq!(jld.kind, "jld");
        assert_eq!(
            engine.show(dossier).unwrap().summary.status,
            "actes_produits"
        );

        // Opened: a copy in clear in a private folder, removed by `clear_views`.
        let views = tmp.path().join("vues");
        let copy = engine.draft_to_view(&file, false, &views).unwrap();
        let plain = std::fs::read(&copy).unwrap();
        assert!(plain.starts_with(b"PK"), "a DOCX");
        assert_eq!(plain.len() as u64, written.bytes);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(copy.parent().unwrap())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        assert!(!copy.with_extension("csv").exists());
        let shown = engine.draft_to_view(&file, true, &views).unwrap();
        assert_eq!(shown, copy);
        assert!(copy.with_extension("csv").exists(), "the folder's files");
        clear_views(&views);
        assert!(!views.exists());

        let elsewhere = tmp.path().join("ailleurs.docx");
        std::fs::write(&elsewhere, b"x").unwrap();
        let e = engine.draft_to_view(&elsewhere, false, &views).unwrap_err();
        assert_eq!(e.code(), "draft.not_a_draft");
        let sneaky = engine.drafts_dir(dossier).join("../../../ailleurs.docx");
        assert_eq!(
            engine
                .draft_to_view(&sneaky, false, &views)
                .unwrap_err()
                .code(),
            "draft.not_a_draft"
        );
        // A sealed draft moved to another dossier's folder does not open there.
        let moved = engine.drafts_dir(dossier + 1);
        std::fs::create_dir_all(&moved).unwrap();
        let moved = moved.join(file.file_name().unwrap());
        std::fs::copy(&file, &moved).unwrap();
        assert_eq!(
            engine
                .draft_to_view(&moved, false, &views)
                .unwrap_err()
                .code(),
            "crypto.damaged"
        );

        assert_eq!(
            engine
                .export_draft(dossier, "roman", &[])
                .unwrap_err()
                .code(),
            "draft.unknown_kind"
        );
        assert_eq!(
            engine
                .export_draft(dossier, "jld", &[9])
                .unwrap_err()
                .code(),
            "draft.unknown_criterion"
        );
        assert_eq!(
            engine
                .export_draft(4242, "synthese", &[])
                .unwrap_err()
                .code(),
            "store.no_such_dossier"
        );
    }

    #[test]
    fn figures_are_saved_whole_as_csv() {
        let (tmp, mut engine) = engine();
        engine.import_files(&[fixture("alcool-police.pdf")], &mut |_| {});
        let out = tmp.path().join("chiffres.csv");
        let filter = crate::stats::Filter::default();
        let saved = engine.save_figures(&filter, false, true, &out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert_eq!(saved.bytes as usize, text.len());
        let pseudo = tmp.path().join("pseudo.csv");
        engine.save_figures(&filter, true, false, &pseudo).unwrap();
        let bad = crate::stats::Filter {
            from: Some("hier".into()),
            ..Default::default()
        };
        let e = engine
            .save_figures(&bad, false, true, &tmp.path().join("x.csv"))
            .unwrap_err();
        assert_eq!(e.code(), "tracking.bad_date");
        assert!(!tmp.path().join("x.csv").exists());
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
