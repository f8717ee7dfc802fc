//! Dossiers, documents, pages and the journal, as rows.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, StoreError, journal, now};
use crate::pdf::Document;

/// A line of `permanence list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DossierSummary {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub created: String,
    pub documents: i64,
}

/// A dossier with its documents and its journal.
#[derive(Debug, Clone, Serialize)]
pub struct DossierDetail {
    #[serde(flatten)]
    pub summary: DossierSummary,
    pub documents_detail: Vec<DocumentRow>,
    pub journal: Vec<JournalEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    pub attachments: Vec<crate::pdf::Attachment>,
    pub metadata: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRow {
    pub document: i64,
    pub dossier: i64,
    pub number: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalEntry {
    pub id: i64,
    pub at: String,
    /// Who acted (the user profile's name); empty for the engine itself.
    pub actor: String,
    pub event: String,
    pub detail: serde_json::Value,
}

/// A document to store with its pages, in one transaction.
pub struct NewDocument<'a> {
    /// Add to this dossier; a new one is created when `None`.
    pub dossier: Option<i64>,
    /// Title of the new dossier (ignored when `dossier` is given).
    pub title: &'a str,
    pub sha256: &'a str,
    pub original_name: &'a str,
    pub size: u64,
    pub document: &'a Document,
    /// The facts read from it, and the extraction version that read them.
    pub facts: Option<(u32, &'a crate::facts::Facts)>,
}

/// Which dossiers a page of the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ListQuery {
    /// Only this status (`recu`, `decision_validee`...).
    #[serde(default)]
    pub status: Option<String>,
    /// Only dossiers with this offence family.
    #[serde(default)]
    pub family: Option<String>,
    /// Words that must each be found in the title, the number or a person's names
    /// (case- and accent-insensitive for names).
    #[serde(default)]
    pub title: Option<String>,
    /// Only these dossiers (empty: no restriction).
    #[serde(default)]
    pub ids: Vec<i64>,
    /// Oldest first instead of newest first.
    #[serde(default)]
    pub oldest_first: bool,
    #[serde(default)]
    pub offset: u32,
    /// At most this many (0: 100).
    #[serde(default)]
    pub limit: u32,
}

/// A page of the list and how many dossiers the query matches in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ListPage {
    pub total: u32,
    pub dossiers: Vec<DossierSummary>,
}

impl Store {
    /// One page of the dossier list, filtered and sorted in SQL (fast with 50,000 dossiers).
    pub fn list_page(&self, q: &ListQuery) -> Result<ListPage, StoreError> {
        use rusqlite::types::Value;
        let mut filter = String::from(
            "FROM dossiers d LEFT JOIN dossier_stats s ON s.dossier_id = d.id
             WHERE (?1 IS NULL OR d.status = ?1)
               AND (?2 IS NULL OR ',' || s.families || ',' LIKE '%,' || ?2 || ',%')",
        );
        let mut values: Vec<Value> = vec![
            q.status.clone().map_or(Value::Null, Value::Text),
            q.family.clone().map_or(Value::Null, Value::Text),
        ];
        if !q.ids.is_empty() {
            values.push(Value::Text(
                serde_json::to_string(&q.ids).unwrap_or_default(),
            ));
            filter.push_str(&format!(
                " AND d.id IN (SELECT value FROM json_each(?{}))",
                values.len()
            ));
        }
        // Each word: in the title, as the number, or starting a person's surname or given name.
        for word in q.title.as_deref().unwrap_or("").split_whitespace() {
            values.push(Value::Text(format!("%{word}%")));
            let title = values.len();
            values.push(Value::Text(word.trim_start_matches("n°").to_owned()));
            let number = values.len();
            let folded = crate::tracking::name_key(word);
            values.push(Value::Text(format!("{folded}%")));
            let start = values.len();
            values.push(Value::Text(format!("% {folded}%")));
            let inner = values.len();
            filter.push_str(&format!(
                " AND (d.title LIKE ?{title} OR CAST(d.id AS TEXT) = ?{number}
                       OR d.id IN (SELECT dossier_id FROM person_keys
                                    WHERE surname LIKE ?{start} OR given LIKE ?{start}
                                       OR surname LIKE ?{inner} OR given LIKE ?{inner}))"
            ));
        }
        let total: u32 = self.conn().query_row(
            &format!("SELECT COUNT(*) {filter}"),
            rusqlite::params_from_iter(values.iter()),
            |r| r.get(0),
        )?;
        let order = if q.oldest_first { "ASC" } else { "DESC" };
        let limit = if q.limit == 0 { 100 } else { q.limit.min(1000) };
        values.push(Value::Integer(limit.into()));
        values.push(Value::Integer(q.offset.into()));
        let (l, o) = (values.len() - 1, values.len());
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT d.id, d.title, d.status, d.created,
                    (SELECT COUNT(*) FROM documents WHERE dossier_id = d.id)
             {filter} ORDER BY d.created {order}, d.id {order} LIMIT ?{l} OFFSET ?{o}"
        ))?;
        let dossiers = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), summary_row)?
            .collect::<Result<_, _>>()?;
        Ok(ListPage { total, dossiers })
    }

    pub fn list_dossiers(&self) -> Result<Vec<DossierSummary>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.id, d.title, d.status, d.created,
                    (SELECT COUNT(*) FROM documents WHERE dossier_id = d.id)
             FROM dossiers d ORDER BY d.created DESC, d.id DESC",
        )?;
        let rows = stmt.query_map([], summary_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn dossier(&self, id: i64) -> Result<DossierDetail, StoreError> {
        let summary = self
            .conn()
            .query_row(
                "SELECT d.id, d.title, d.status, d.created,
                        (SELECT COUNT(*) FROM documents WHERE dossier_id = d.id)
                 FROM dossiers d WHERE d.id = ?1",
                [id],
                summary_row,
            )
            .optional()?
            .ok_or(StoreError::NoSuchDossier(id))?;
        let ids: Vec<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM documents WHERE dossier_id = ?1 ORDER BY id")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let documents_detail = ids
            .into_iter()
            .map(|d| self.document(d))
            .collect::<Result<_, _>>()?;
        let journal = self
            .conn()
            .prepare_cached(
                "SELECT id, at, actor, event, detail FROM journal WHERE dossier_id = ?1 ORDER BY id",
            )?
            .query_map([id], |r| {
                let detail: String = r.get(4)?;
                Ok(JournalEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    event: r.get(3)?,
                    detail: serde_json::from_str(&detail).unwrap_or_default(),
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(DossierDetail {
            summary,
            documents_detail,
            journal,
        })
    }

    pub fn dossier_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?)
    }

    pub fn document_exists(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn().query_row(
            "SELECT EXISTS(SELECT 1 FROM documents WHERE id = ?1)",
            [id],
            |r| r.get(0),
        )?)
    }

    pub fn document(&self, id: i64) -> Result<DocumentRow, StoreError> {
        let conn = self.conn();
        let mut row = conn
            .query_row(
                "SELECT id, dossier_id, sha256, original_name, size, kind, page_count, imported, metadata
                 FROM documents WHERE id = ?1",
                [id],
                |r| {
                    let metadata: String = r.get(8)?;
                    Ok(DocumentRow {
                        id: r.get(0)?,
                        dossier: r.get(1)?,
                        sha256: r.get(2)?,
                        original_name: r.get(3)?,
                        size: r.get(4)?,
                        kind: r.get(5)?,
                        pages: r.get(6)?,
                        imported: r.get(7)?,
                        ocr_pages: Vec::new(),
                        attachments: Vec::new(),
                        metadata: serde_json::from_str(&metadata).unwrap_or_default(),
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NoSuchDocument(id))?;
        row.ocr_pages = conn
            .prepare_cached(
                "SELECT number FROM pages WHERE document_id = ?1 AND needs_ocr = 1 ORDER BY number",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        row.attachments = conn
            .prepare_cached(
                "SELECT name, size FROM attachments WHERE document_id = ?1 ORDER BY rowid",
            )?
            .query_map([id], |r| {
                Ok(crate::pdf::Attachment {
                    name: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(row)
    }

    /// The already stored document with this digest: `(dossier, document, pages)`.
    pub fn document_by_sha(&self, sha256: &str) -> Result<Option<(i64, i64, u32)>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT dossier_id, id, page_count FROM documents WHERE sha256 = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// Stores a document, its pages and attachments and a journal entry in one transaction.
    /// Returns `(dossier, document)`. The document starts as not indexed.
    pub fn insert_document(&mut self, new: NewDocument) -> Result<(i64, i64), StoreError> {
        self.insert_document_then(new, |_, _| Ok(()))
    }

    /// Inserts a document like `insert_document`, running `before_commit(dossier, document)`
    /// inside the transaction, before it commits: an error there rolls everything back.
    pub fn insert_document_then<E: From<StoreError>>(
        &mut self,
        new: NewDocument,
        before_commit: impl FnOnce(i64, i64) -> Result<(), E>,
    ) -> Result<(i64, i64), E> {
        let tx = self.conn_mut().transaction().map_err(StoreError::from)?;
        let (dossier, document) = insert_rows(&tx, new)?;
        before_commit(dossier, document)?;
        tx.commit().map_err(StoreError::from)?;
        Ok((dossier, document))
    }

    pub fn mark_indexed(&self, document: i64) -> Result<(), StoreError> {
        self.conn()
            .execute("UPDATE documents SET indexed = 1 WHERE id = ?1", [document])?;
        Ok(())
    }

    /// Documents whose pages the search index may not hold yet.
    pub fn unindexed_documents(&self) -> Result<Vec<i64>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM documents WHERE indexed = 0 ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Every page of a document, in order.
    pub fn pages(&self, document: i64) -> Result<Vec<PageRow>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT p.document_id, d.dossier_id, p.number, p.text FROM pages p
                 JOIN documents d ON d.id = p.document_id WHERE p.document_id = ?1 ORDER BY p.number",
            )?
            .query_map([document], |r| {
                Ok(PageRow { document: r.get(0)?, dossier: r.get(1)?, number: r.get(2)?, text: r.get(3)? })
            })?
            .collect::<Result<_, _>>()?)
    }

    pub fn page_text(&self, document: i64, number: u32) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT text FROM pages WHERE document_id = ?1 AND number = ?2")?
            .query_row(params![document, number], |r| r.get(0))
            .optional()?)
    }

    /// Digests of every stored document.
    pub fn digests(&self) -> Result<HashSet<String>, StoreError> {
        Ok(self
            .conn()
            .prepare("SELECT sha256 FROM documents")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Total number of stored pages.
    pub fn page_total(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM pages", [], |r| r.get::<_, i64>(0))? as u64)
    }
}

fn summary_row(r: &rusqlite::Row) -> rusqlite::Result<DossierSummary> {
    Ok(DossierSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        status: r.get(2)?,
        created: r.get(3)?,
        documents: r.get(4)?,
    })
}

/// The rows of `insert_document`, in the caller's transaction.
fn insert_rows(tx: &rusqlite::Transaction, new: NewDocument) -> Result<(i64, i64), StoreError> {
    let at = now();
    let (dossier, created) = match new.dossier {
        Some(id) => {
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM dossiers WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::NoSuchDossier(id));
            }
            (id, false)
        }
        None => {
            tx.execute(
                "INSERT INTO dossiers (title, created) VALUES (?1, ?2)",
                params![new.title, at],
            )?;
            (tx.last_insert_rowid(), true)
        }
    };
    let doc = new.document;
    let metadata = serde_json::to_string(&doc.metadata).expect("metadata serialises");
    tx.execute(
        "INSERT INTO documents (dossier_id, sha256, original_name, size, kind, page_count, imported, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            dossier,
            new.sha256,
            new.original_name,
            new.size as i64,
            doc.kind.as_str(),
            doc.pages.len() as i64,
            at,
            metadata
        ],
    )?;
    let document = tx.last_insert_rowid();
    {
        let mut page = tx.prepare_cached(
            "INSERT INTO pages (document_id, number, text, width, height, needs_ocr, ocr_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for p in &doc.pages {
            if let Some(layer) = &p.ocr {
                super::ocr::put(tx, &p.text, layer, &at)?;
            }
            page.execute(params![
                document,
                p.number,
                p.text,
                p.width,
                p.height,
                p.needs_ocr,
                p.ocr.as_ref().map(|l| l.key.as_str())
            ])?;
        }
        let mut att = tx.prepare_cached(
            "INSERT INTO attachments (document_id, name, size) VALUES (?1, ?2, ?3)",
        )?;
        for a in &doc.attachments {
            att.execute(params![document, a.name, a.size as i64])?;
        }
    }
    if let Some((version, facts)) = new.facts {
        super::facts::put_facts(tx, document, version, facts)?;
    }
    if created {
        journal::append(tx, Some(dossier), "dossier_created", &serde_json::json!({}))?;
    }
    let detail =
        serde_json::json!({ "document": document, "sha256": new.sha256, "pages": doc.pages.len() });
    journal::append(tx, Some(dossier), "document_imported", &detail)?;
    Ok((dossier, document))
}
