//! The full-text index of pages (Tantivy), derived from the database.
//!
//! One Tantivy document per page: dossier, document and page numbers (stored, fast) and the
//! text (indexed with positions, not stored: snippets are cut from the text the database holds).
//! The French analyzer lower-cases, drops elided articles and stop words ("l'", "d'", "de", "la",
//! "à"… — positions keep their gaps, so phrases still match exactly), folds accents, then stems
//! (Snowball French), so that "ethylometre" finds "éthylomètre" and "auditions" finds "audition".
//! The analyzer's version is written beside the index; a different version means a rebuild.
//!
//! The index may lag the database (an import killed after the database commit) but never
//! leads it for long: `Engine::open` re-indexes documents the database marks as not indexed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{Query, QueryParser, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc,
};

use crate::fr::quoted;

/// Name under which the French analyzer is registered.
pub const FRENCH: &str = "fr_folded_stemmed";

/// Version of `french_analyzer`: change it whenever the analyzer changes, so that indexes built
/// with the previous one are rebuilt from the database.
const ANALYZER_VERSION: &str = "2";
const ANALYZER_FILE: &str = "permanence-analyzer";

/// Memory budget of the index writer (one indexing thread).
const WRITER_BUDGET: usize = 50_000_000;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("l'index de recherche {} ne peut pas être ouvert : {reason}", quoted(&.dir.display().to_string()))]
    Open { dir: PathBuf, reason: String },
    #[error(
        "l'index de recherche est utilisé par un autre processus Permanence ; réessayez dans un instant"
    )]
    Busy,
    #[error("le disque est plein : l'index de recherche n'a pas été modifié")]
    DiskFull,
    #[error("erreur de l'index de recherche : {0}")]
    Tantivy(tantivy::TantivyError),
}

impl IndexError {
    pub fn code(&self) -> &'static str {
        match self {
            IndexError::Open { .. } => "index.open",
            IndexError::Busy => "index.busy",
            IndexError::DiskFull => "index.disk_full",
            IndexError::Tantivy(_) => "index.tantivy",
        }
    }
}

impl From<tantivy::TantivyError> for IndexError {
    fn from(e: tantivy::TantivyError) -> Self {
        match &e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Busy,
            tantivy::TantivyError::IoError(io) if crate::store::is_disk_full(io) => {
                IndexError::DiskFull
            }
            _ if e.to_string().contains("No space left") => IndexError::DiskFull,
            _ => IndexError::Tantivy(e),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    dossier: Field,
    document: Field,
    page: Field,
    text: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let dossier = b.add_u64_field("dossier", INDEXED | STORED | FAST);
    let document = b.add_u64_field("document", INDEXED | STORED | FAST);
    let page = b.add_u64_field("page", STORED);
    let text = b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(FRENCH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    (
        b.build(),
        Fields {
            dossier,
            document,
            page,
            text,
        },
    )
}

/// The French analyzer: words, lower case, accents folded, Snowball French stems.
pub fn french_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::French).expect("tantivy ships French stop words"))
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// A search result before its snippet is cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawHit {
    pub dossier: i64,
    pub document: i64,
    pub page: u32,
    pub score: f32,
}

/// A search result as the CLI and the app show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub dossier: i64,
    pub document: i64,
    pub page: u32,
    /// An extract of the page with each match between `<mark>` and `</mark>`; the rest is
    /// HTML-escaped.
    pub snippet: String,
    pub score: f32,
}

pub struct PageIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    writer: Option<IndexWriter>,
}

impl PageIndex {
    /// Opens the index in `dir`, creating it when absent. Returns the index and whether it was
    /// (re)created empty, in which case every document must be indexed again.
    pub fn open(dir: &Path) -> Result<(PageIndex, bool), IndexError> {
        let (schema, fields) = schema();
        let open_err = |reason: String| IndexError::Open {
            dir: dir.to_owned(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        let mmap = MmapDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
        let existing = Index::exists(&mmap).map_err(|e| open_err(e.to_string()))?;
        let marker = dir.join(ANALYZER_FILE);
        let same_analyzer =
            std::fs::read_to_string(&marker).is_ok_and(|v| v.trim() == ANALYZER_VERSION);
        let (mut index, created) = match existing.then(|| Index::open(mmap.clone())) {
            Some(Ok(index)) if index.schema() == schema && same_analyzer => (index, false),
            // Absent, unreadable or from an older schema: the index is derived data, rebuild it.
            other => {
                if other.is_some() {
                    tracing::warn!("search index unreadable or outdated: rebuilding it");
                    clear_dir(dir).map_err(|e| open_err(e.to_string()))?;
                }
                let mmap = MmapDirectory::open(dir).map_err(|e| open_err(e.to_string()))?;
                let index = Index::create(mmap, schema, Default::default())?;
                std::fs::write(&marker, ANALYZER_VERSION).map_err(|e| open_err(e.to_string()))?;
                (index, true)
            }
        };
        index.tokenizers().register(FRENCH, french_analyzer());
        // Segments are searched in parallel, one thread per core.
        index.set_default_multithread_executor()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((
            PageIndex {
                dir: dir.to_owned(),
                index,
                reader,
                fields,
                writer: None,
            },
            created,
        ))
    }

    fn writer(&mut self) -> Result<&mut IndexWriter, IndexError> {
        if self.writer.is_none() {
            self.writer = Some(self.index.writer_with_num_threads(1, WRITER_BUDGET)?);
        }
        Ok(self.writer.as_mut().expect("just set"))
    }

    /// Queues one page; nothing is visible before `commit`.
    pub fn add_page(
        &mut self,
        dossier: i64,
        document: i64,
        page: u32,
        text: &str,
    ) -> Result<(), IndexError> {
        let f = self.fields;
        self.writer()?.add_document(doc!(
            f.dossier => dossier as u64,
            f.document => document as u64,
            f.page => page as u64,
            f.text => crate::pdf::joined_words(text).as_ref(),
        ))?;
        Ok(())
    }

    /// Queues the removal of every page of a document.
    pub fn delete_document(&mut self, document: i64) -> Result<(), IndexError> {
        let term = Term::from_field_u64(self.fields.document, document as u64);
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Makes queued changes durable and visible, atomically, and releases the writer lock.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        if let Some(mut writer) = self.writer.take() {
            writer.commit()?;
            writer.wait_merging_threads()?;
            self.reader.reload()?;
        }
        Ok(())
    }

    /// Drops queued changes.
    pub fn rollback(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            let _ = writer.rollback();
        }
    }

    /// How many pages of each document the index holds.
    pub fn pages_per_document(&self) -> Result<HashMap<i64, u64>, IndexError> {
        let searcher = self.reader.searcher();
        let mut counts = HashMap::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("document")?;
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if let Some(d) = column.first(doc) {
                    *counts.entry(d as i64).or_insert(0) += 1;
                }
            }
        }
        Ok(counts)
    }

    /// Number of pages in the index.
    pub fn page_total(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Number of indexed pages of one document.
    pub fn document_pages(&self, document: i64) -> Result<usize, IndexError> {
        let term = Term::from_field_u64(self.fields.document, document as u64);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        Ok(self.reader.searcher().search(&query, &Count)?)
    }

    fn parse(&self, query: &str) -> Box<dyn Query> {
        let mut parser = QueryParser::for_index(&self.index, vec![self.fields.text]);
        parser.set_conjunction_by_default();
        // Lenient: a stray quote or colon typed by a user is not an error.
        parser.parse_query_lenient(query).0
    }

    /// Pages matching `query`, best first (BM25). Supports "phrase queries".
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<RawHit>, IndexError> {
        if query.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let parsed = self.parse(query);
        let top: Vec<(f32, DocAddress)> =
            searcher.search(&parsed, &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(score, address)| {
                let stored: TantivyDocument = searcher.doc(address)?;
                let get = |f: Field| {
                    stored
                        .get_first(f)
                        .and_then(|v| v.as_u64())
                        .unwrap_or_default()
                };
                Ok(RawHit {
                    dossier: get(self.fields.dossier) as i64,
                    document: get(self.fields.document) as i64,
                    page: get(self.fields.page) as u32,
                    score,
                })
            })
            .collect()
    }

    /// A snippet maker for `query`: given a page's text, an extract with the matches marked.
    pub fn snippets(&self, query: &str) -> Result<Snippets, IndexError> {
        let searcher = self.reader.searcher();
        let parsed = self.parse(query);
        let mut generator = SnippetGenerator::create(&searcher, &*parsed, self.fields.text)?;
        generator.set_max_num_chars(220);
        Ok(Snippets { generator })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

pub struct Snippets {
    generator: SnippetGenerator,
}

impl Snippets {
    pub fn cut(&self, text: &str) -> String {
        let text = crate::pdf::joined_words(text);
        let text = text.as_ref();
        let mut snippet = self.generator.snippet(text);
        if snippet.fragment().is_empty() {
            // Nothing to highlight (e.g. a phrase the generator does not see): the page's start.
            let start: String = text.chars().take(220).collect();
            return escape_html(&start).replace('\n', " ");
        }
        snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
        snippet.to_html().replace('\n', " ")
    }
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn clear_dir(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?
        } else {
            std::fs::remove_file(&path)?
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenStream;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = french_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn accents_case_and_plurals_meet() {
        assert_eq!(tokens("éthylomètre"), tokens("ETHYLOMETRE"));
        assert_eq!(tokens("auditions"), tokens("audition"));
        assert_eq!(tokens("procès-verbaux").len(), 2);
        assert_eq!(tokens("l'éthylomètre"), tokens("ethylometre"));
        assert_eq!(
            tokens("refus d'obtempérer à la sommation"),
            tokens("refus obtempérer sommation")
        );
    }

    #[test]
    fn finds_pages_ranks_and_marks() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut index, created) = PageIndex::open(tmp.path()).unwrap();
        assert!(created);
        index
            .add_page(
                1,
                10,
                1,
                "Le conducteur souffle dans l'éthylomètre à deux reprises.",
            )
            .unwrap();
        index
            .add_page(1, 10, 2, "Procès-verbal d'audition de la victime.")
            .unwrap();
        index
            .add_page(
                2,
                11,
                1,
                "Audition du témoin ; nouvelle audition le lendemain, audition close.",
            )
            .unwrap();
        index.commit().unwrap();

        let hits = index.search("ethylometre", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].dossier, hits[0].document, hits[0].page),
            (1, 10, 1)
        );

        let hits = index.search("auditions", 10).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].document, 11, "three mentions rank above one");

        assert_eq!(
            index
                .search("\"audition de la victime\"", 10)
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            index
                .search("\"victime de la audition\"", 10)
                .unwrap()
                .len(),
            0
        );

        let snippet = index
            .snippets("ethylometre")
            .unwrap()
            .cut("Le <b>conducteur</b> souffle dans l'éthylomètre.");
        assert!(snippet.contains("<mark>éthylomètre</mark>"), "{snippet}");
        assert!(snippet.contains("&lt;b&gt;conducteur&lt;/b&gt;"), "HTML is escaped: {snippet}");

        assert_eq!(
            index.pages_per_document().unwrap(),
            HashMap::from([(10, 2), (11, 1)])
        );
        index.delete_document(10).unwrap();
        index.commit().unwrap();
        assert_eq!(index.page_total(), 1);
        assert_eq!(index.document_pages(10).unwrap(), 0);
    }

    #[test]
    fn phrases_skip_stop_words_but_keep_their_order() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut index, _) = PageIndex::open(tmp.path()).unwrap();
        index
            .add_page(1, 1, 1, "conduite sous l'empire d'un état alcoolique")
            .unwrap();
        index
            .add_page(1, 2, 1, "un état alcoolique sous l'empire de la fatigue")
            .unwrap();
        index.commit().unwrap();
        let hits = index
            .search("\"sous l'empire d'un état alcoolique\"", 10)
            .unwrap();
        assert_eq!(hits.iter().map(|h| h.document).collect::<Vec<_>>(), [1]);
        assert_eq!(index.search("\"refus d'obtempérer\"", 10).unwrap().len(), 0);
    }

    #[test]
    fn an_index_built_by_another_analyzer_is_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        {
            let (mut index, _) = PageIndex::open(tmp.path()).unwrap();
            index.add_page(1, 1, 1, "garde à vue").unwrap();
            index.commit().unwrap();
        }
        std::fs::write(tmp.path().join(ANALYZER_FILE), "1").unwrap();
        let (index, created) = PageIndex::open(tmp.path()).unwrap();
        assert!(created, "the caller must re-index every document");
        assert_eq!(index.page_total(), 0);
    }

    #[test]
    fn reopening_keeps_pages_and_uncommitted_work_vanishes() {
        let tmp = tempfile::tempdir().unwrap();
        {
            let (mut index, _) = PageIndex::open(tmp.path()).unwrap();
            index.add_page(1, 1, 1, "garde à vue").unwrap();
            index.commit().unwrap();
            index.add_page(1, 2, 1, "non validé").unwrap();
            index.rollback();
        }
        let (index, created) = PageIndex::open(tmp.path()).unwrap();
        assert!(!created);
        assert_eq!(index.page_total(), 1);
    }
}
