//! The engine's entry point: a data directory opened, with its store and its index.
//!
//! Import is one logical unit. Its steps, in order:
//! 1. read and check the file (nothing is written for a bad file);
//! 2. write the original into `originals/` (temporary file, sync, rename);
//! 3. one SQLite transaction: dossier, document (`indexed = 0`), pages, journal entry;
//! 4. index the pages and commit the index;
//! 5. mark the document indexed.
//!
//! Killed after 2, the original is an orphan that `open` sweeps; killed after 3 or 4, `open`
//! re-indexes the document (deleting any partial pages first). So after a restart the
//! database shows the whole document or nothing of it, and the index agrees with it.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::crypto::{self, KdfParams, Keys};
use crate::error::Error;
use crate::index::{PageIndex, SearchHit};
use crate::pdf::{self, Document};
use crate::store::{DataDir, DossierDetail, DossierSummary, NewDocument, Store, StoreError};

/// Originals younger than this are never swept: another process may be importing them.
const SWEEP_GRACE: Duration = Duration::from_secs(600);

/// What `permanence import --json` prints for each file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub dossier: i64,
    pub document: i64,
    pub pages: u32,
    pub duplicate: bool,
    /// Pages read by OCR (additions to the contract, left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub ocr_pages: u32,
    /// Of those, pages whose recognition came from the cache (not recognised again).
    #[serde(skip_serializing_if = "is_zero")]
    pub ocr_cached: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Progress of one import: pages read out of the total, pages recognised by OCR out of those
/// found without a usable text layer so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    pub pages_done: u32,
    pub pages_total: u32,
    pub ocr_done: u32,
    pub ocr_total: u32,
}

/// How the store and the index compare (see `Engine::consistency`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consistency {
    pub integrity: String,
    pub database_pages: u64,
    pub index_pages: u64,
    /// Documents whose page count differs between the database and the index.
    pub mismatched_documents: Vec<i64>,
}

impl Consistency {
    pub fn is_ok(&self) -> bool {
        self.integrity == "ok"
            && self.database_pages == self.index_pages
            && self.mismatched_documents.is_empty()
    }
}

/// An original file as it will be stored.
pub struct Original<'a> {
    /// File name, without folders.
    pub name: &'a str,
    /// Title of the dossier created for it, if one is.
    pub title: &'a str,
    pub sha256: &'a str,
    pub bytes: &'a [u8],
}

pub struct Engine {
    store: Store,
    index: PageIndex,
    keys: Keys,
}

impl Engine {
    /// Opens the data directory with its unlocked keys (`crypto::unlock`), bringing the index
    /// up to date with the database. Dropping the engine drops the keys.
    pub fn open(dir: DataDir, keys: Keys) -> Result<Engine, Error> {
        let store = Store::open(dir, &keys)?;
        let (index, created) = PageIndex::open(&store.data_dir().index(), keys.index())?;
        let mut engine = Engine { store, index, keys };
        if created {
            engine
                .store
                .conn()
                .execute("UPDATE documents SET indexed = 0", [])?;
        }
        engine.recover()?;
        engine.refresh_missing_tracking()?;
        Ok(engine)
    }

    /// Unlocks `dir` with `passphrase` (creating its key with `params` when it is new), then
    /// opens it. A wrong passphrase changes nothing.
    pub fn unlock(dir: DataDir, passphrase: &str, params: KdfParams) -> Result<Engine, Error> {
        let keys = crypto::open_or_create(dir.root(), passphrase, params)?;
        Engine::open(dir, keys)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub(crate) fn keys(&self) -> &Keys {
        &self.keys
    }

    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn data_dir(&self) -> &DataDir {
        self.store.data_dir()
    }

    /// Finishes what an interrupted import left: re-indexes documents not marked indexed,
    /// removes originals no document names.
    fn recover(&mut self) -> Result<(), Error> {
        // Pages indexed for a document whose transaction never committed.
        if let Some(id) = pending::read(self.index.dir()) {
            if !self.store.document_exists(id)? {
                self.index.delete_document(id)?;
                self.index.commit()?;
            }
            pending::clear(self.index.dir());
        }
        let pending = self.store.unindexed_documents()?;
        if !pending.is_empty() {
            tracing::info!(
                "re-indexing {} document(s) left by an interrupted import",
                pending.len()
            );
            for &document in &pending {
                self.index.delete_document(document)?;
                for page in self.store.pages(document)? {
                    self.index
                        .add_page(page.dossier, page.document, page.number, &page.text)?;
                }
            }
            self.index.commit()?;
            for document in pending {
                self.store.mark_indexed(document)?;
            }
        }
        let keep = self.store.digests()?;
        let stale = SystemTime::now() - SWEEP_GRACE;
        self.store.originals().sweep(&keep, stale)?;
        Ok(())
    }

    /// Imports one file (PDF or UTF-8 `.txt`) into a new dossier, or into `dossier`.
    pub fn import(
        &mut self,
        path: &Path,
        dossier: Option<i64>,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport, Error> {
        self.import_cancellable(path, dossier, progress, &AtomicBool::new(false))
    }

    /// Imports one file like [`Engine::import`]; setting `cancel` (from another thread) stops
    /// the reading and the OCR: the import fails with `import.cancelled` and stores nothing.
    /// Pages already recognised (the OCR cache) are not recognised again.
    pub fn import_cancellable(
        &mut self,
        path: &Path,
        dossier: Option<i64>,
        progress: &mut dyn FnMut(ImportProgress),
        cancel: &AtomicBool,
    ) -> Result<ImportReport, Error> {
        let name = pdf::display_name(path);
        if let Some(id) = dossier
            && !self.store.dossier_exists(id)?
        {
            return Err(crate::store::StoreError::NoSuchDossier(id).into());
        }
        let bytes = pdf::read_input(path)?;
        let sha256 = sha256_hex(&bytes);
        if let Some((dossier, document, pages)) = self.store.document_by_sha(&sha256)? {
            return Ok(ImportReport {
                file: name,
                dossier,
                document,
                pages,
                duplicate: true,
                ocr_pages: 0,
                ocr_cached: 0,
            });
        }
        let store = &self.store;
        let mut cached = 0;
        let document = pdf::read_bytes_with(
            &name,
            &bytes,
            &mut pdf::Reading {
                progress: &mut |p| {
                    progress(ImportProgress {
                        pages_done: p.pages_done,
                        pages_total: p.pages_total,
                        ocr_done: p.ocr_done,
                        ocr_total: p.ocr_total,
                    })
                },
                known: &mut |key| match store.ocr_known(key) {
                    Ok(found) => {
                        cached += found.is_some() as u32;
                        found
                    }
                    Err(e) => {
                        tracing::warn!("OCR cache not readable: {e}");
                        None
                    }
                },
                cancel,
                ocr: true,
            },
        )?;
        if cancel.load(Ordering::Relaxed) {
            return Err(pdf::PdfError::Cancelled { file: name }.into());
        }
        let original_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        let title = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone());
        let (dossier, document_id) = self
            .store_read(
                &Original {
                    name: &original_name,
                    title: &title,
                    sha256: &sha256,
                    bytes: &bytes,
                },
                &document,
                dossier,
            )
            .map_err(|e| match e.code() {
                "store.disk_full" | "index.disk_full" => StoreError::ImportDiskFull {
                    dir: self.store.data_dir().root().to_owned(),
                    file: name.clone(),
                }
                .into(),
                "store.sqlite" | "store.io" | "index.tantivy"
                    if crate::store::disk_nearly_full(self.store.data_dir().root()) =>
                {
                    StoreError::ImportDiskFull {
                        dir: self.store.data_dir().root().to_owned(),
                        file: name.clone(),
                    }
                    .into()
                }
                _ => e,
            })?;
        Ok(ImportReport {
            file: name,
            dossier,
            document: document_id,
            pages: document.pages.len() as u32,
            duplicate: false,
            ocr_pages: document.pages.iter().filter(|p| p.ocr.is_some()).count() as u32,
            ocr_cached: cached,
        })
    }

    /// Stores a document already read (steps 2 to 5 of the import), returns `(dossier, document)`.
    pub fn store_read(
        &mut self,
        original: &Original,
        document: &Document,
        dossier: Option<i64>,
    ) -> Result<(i64, i64), Error> {
        let originals = self.store.originals().clone();
        let kind = document.kind.as_str();
        let existed = originals.path(original.sha256, kind).is_file();
        let undo_original = || {
            if !existed {
                originals.remove(original.sha256, kind);
            }
        };
        originals
            .put(original.sha256, kind, original.bytes)
            .inspect_err(|_| undo_original())?;
        // Read the facts before anything is written: the document and its facts land together.
        let facts = crate::extract::facts(original.name, original.sha256, document);
        let pages: Vec<(u32, &str)> = document
            .pages
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect();
        // The pages are indexed and the index committed inside the database transaction: a
        // failure of either (a full disk) leaves neither changed. A kill between the two
        // commits leaves pages of a document the database does not know, under the pending
        // marker, which `open` deletes.
        let index = &mut self.index;
        let mut index_committed = false;
        let inserted = self.store.insert_document_then(
            NewDocument {
                dossier,
                title: original.title,
                sha256: original.sha256,
                original_name: original.name,
                size: original.bytes.len() as u64,
                document,
                facts: Some((crate::extract::VERSION, &facts)),
            },
            |dossier, document_id| -> Result<(), Error> {
                pending::mark(index.dir(), document_id)?;
                // A document id the database gave back after a rollback: no stale pages.
                index.delete_document(document_id)?;
                index.add_pages(dossier, document_id, &pages)?;
                index.commit()?;
                index_committed = true;
                Ok(())
            },
        );
        let (dossier, document_id) = match inserted {
            Ok(ids) => ids,
            Err(e) => {
                self.index.rollback();
                if let Some(id) = pending::read(self.index.dir()) {
                    let undone = !index_committed
                        || self
                            .index
                            .delete_document(id)
                            .and_then(|()| self.index.commit())
                            .is_ok();
                    if undone {
                        pending::clear(self.index.dir());
                    }
                }
                undo_original();
                return Err(e);
            }
        };
        pending::clear(self.index.dir());
        // Marked afterwards: killed before, the next open indexes the document again.
        if let Err(e) = self.store.mark_indexed(document_id) {
            tracing::warn!("document {document_id} indexed but not marked yet: {e}");
        }
        // Derived rows: a failure here leaves them to the next open, not the import undone.
        if let Err(e) = self.refresh_tracking(dossier) {
            tracing::warn!("tracking rows of dossier {dossier} not refreshed: {e}");
        }
        Ok((dossier, document_id))
    }

    pub fn list(&self) -> Result<Vec<DossierSummary>, Error> {
        Ok(self.store.list_dossiers()?)
    }

    /// A page of the dossier list, filtered by status, offence family and title.
    pub fn list_page(
        &self,
        query: &crate::store::ListQuery,
    ) -> Result<crate::store::ListPage, Error> {
        Ok(self.store.list_page(query)?)
    }

    pub fn show(&self, dossier: i64) -> Result<DossierDetail, Error> {
        Ok(self.store.dossier(dossier)?)
    }

    /// Full-text search over every page, best first, each hit with a marked snippet.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, Error> {
        let page_text = |document, page| self.store.page_text(document, page).ok().flatten();
        let hits = self.index.search(query, limit, &page_text)?;
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        let texts = hits
            .iter()
            .map(|h| {
                Ok(self
                    .store
                    .page_text(h.document, h.page)?
                    .unwrap_or_default())
            })
            .collect::<Result<Vec<String>, Error>>()?;
        // Cutting a snippet analyzes the whole page: many hits are shared between two threads.
        let half = if texts.len() >= 8 {
            texts.len().div_ceil(2)
        } else {
            texts.len()
        };
        let (first, second) = texts.split_at(half);
        let (a, b) = (self.index.snippets(query)?, self.index.snippets(query)?);
        let (mut cut, rest) = std::thread::scope(|scope| {
            let other = scope.spawn(move || second.iter().map(|t| b.cut(t)).collect::<Vec<_>>());
            let mine: Vec<String> = first.iter().map(|t| a.cut(t)).collect();
            (mine, other.join().expect("snippet thread"))
        });
        cut.extend(rest);
        Ok(hits
            .into_iter()
            .zip(cut)
            .map(|(h, snippet)| SearchHit {
                dossier: h.dossier,
                document: h.document,
                page: h.page,
                snippet,
                score: h.score,
            })
            .collect())
    }

    /// Number of index segments (reported by the benchmark).
    pub fn index_segments(&self) -> usize {
        self.index.segment_count()
    }

    /// Recomputes the journal's hash chain (`permanence journal verify`).
    /// The journal's chain, then the corrections and decisions it vouches for.
    pub fn verify_journal(&self) -> Result<crate::store::journal::Verification, Error> {
        let mut v = crate::store::journal::verify(self.store.conn())?;
        if v.broken.is_none() {
            v.broken = crate::store::journal::verify_records(
                self.store.conn(),
                &self.store.all_corrections()?,
                &self.store.all_decisions()?,
            )?;
        }
        Ok(v)
    }

    /// Compares the database and the index page by page, and checks the database's integrity.
    pub fn consistency(&self) -> Result<Consistency, Error> {
        let in_index = self.index.pages_per_document()?;
        let mut in_db = std::collections::HashMap::new();
        let mut stmt = self
            .store
            .conn()
            .prepare("SELECT document_id, COUNT(*) FROM pages GROUP BY document_id")?;
        for row in stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
        })? {
            let (d, n) = row?;
            in_db.insert(d, n);
        }
        let mut mismatched: Vec<i64> = in_db
            .iter()
            .filter(|(d, n)| in_index.get(d) != Some(n))
            .map(|(d, _)| *d)
            .chain(in_index.keys().filter(|d| !in_db.contains_key(d)).copied())
            .collect();
        mismatched.sort_unstable();
        Ok(Consistency {
            integrity: self.store.integrity_check()?,
            database_pages: in_db.values().sum(),
            index_pages: self.index.page_total(),
            mismatched_documents: mismatched,
        })
    }
}

/// The document being imported, noted in the index folder while its pages may be in the index
/// and not yet in the database (one import at a time holds the index writer).
mod pending {
    use std::path::{Path, PathBuf};

    use crate::index::IndexError;

    fn file(dir: &Path) -> PathBuf {
        dir.join("import-en-cours")
    }

    pub fn mark(dir: &Path, document: i64) -> Result<(), IndexError> {
        let path = file(dir);
        let written = std::fs::File::create(&path).and_then(|mut f| {
            std::io::Write::write_all(&mut f, document.to_string().as_bytes())?;
            f.sync_all()
        });
        written.map_err(|e| IndexError::from(tantivy::TantivyError::from(e)))
    }

    pub fn read(dir: &Path) -> Option<i64> {
        std::fs::read_to_string(file(dir)).ok()?.trim().parse().ok()
    }

    pub fn clear(dir: &Path) {
        let _ = std::fs::remove_file(file(dir));
    }
}

/// sha256 of `bytes` as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn text_import_is_searchable_and_duplicates_are_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("decision.txt");
        std::fs::write(
            &file,
            "Le prévenu a soufflé dans l'éthylomètre : 0,62 mg/l.",
        )
        .unwrap();
        let mut engine = Engine::unlock(
            DataDir::at(&tmp.path().join("data")),
            "phrase de passe de test",
            KdfParams::TEST,
        )
        .unwrap();
        let mut seen = Vec::new();
        let first = engine.import(&file, None, &mut |p| seen.push(p)).unwrap();
        assert!(!first.duplicate);
        assert_eq!(first.pages, 1);
        assert_eq!(
            seen,
            vec![ImportProgress {
                pages_done: 1,
                pages_total: 1,
                ..ImportProgress::default()
            }]
        );
        let again = engine.import(&file, None, &mut |_| {}).unwrap();
        assert!(again.duplicate);
        assert_eq!(
            (again.dossier, again.document),
            (first.dossier, first.document)
        );
        assert_eq!(engine.list().unwrap().len(), 1);
        let hits = engine.search("ethylometre", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert!(hits[0].snippet.contains("<mark>éthylomètre</mark>"));
        assert!(engine.consistency().unwrap().is_ok());
    }
}
