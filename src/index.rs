//! The full-text index of pages (Tantivy), derived from the database.
//!
//! One Tantivy document per page: dossier, document and page numbers (fast fields) and two
//! indexed views of the text, neither stored (snippets are cut from the text the database holds):
//! `text`, the analyzed words, and `pairs`, each two consecutive words with the gap between them
//! ("garde à vue" → `gard_2_vu`). A phrase is looked up as its pairs — plain terms, fast even
//! when the phrase is on half the pages — and a phrase of three words or more is confirmed
//! against the page text, so phrase search is exact without positions.
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
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, PreTokenizedString, RemoveLongFilter,
    SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::crypto::Sealer;
use crate::crypto::directory::SealedDirectory;
use crate::fr::quoted;

/// Name under which the French analyzer is registered.
pub const FRENCH: &str = "fr_folded_stemmed";

/// Version of `french_analyzer`: change it whenever the analyzer changes, so that indexes built
/// with the previous one are rebuilt from the database.
const ANALYZER_VERSION: &str = "5";
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
    pairs: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let dossier = b.add_u64_field("dossier", INDEXED | STORED | FAST);
    let document = b.add_u64_field("document", INDEXED | STORED | FAST);
    let page = b.add_u64_field("page", STORED | FAST);
    // Both text fields are fed pre-tokenized by `add_page` (one analysis per page); the
    // tokenizer named here serves snippets. Phrases are answered by `pairs`, so `text` needs
    // no positions.
    let indexing = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let text = b.add_text_field("text", indexing.clone());
    let pairs = b.add_text_field("pairs", indexing);
    (
        b.build(),
        Fields {
            dossier,
            document,
            page,
            text,
            pairs,
        },
    )
}

/// The analyzed words of a text: (position, term). Positions keep the gaps of removed stop words.
fn analyze(text: &str) -> Vec<Token> {
    let mut analyzer = french_analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.clone());
    }
    tokens
}

/// The term of two consecutive words `gap` positions apart: "garde à vue" gives `gard_2_vu`.
/// Terms never contain `_` (the tokenizer splits on it), so pair terms cannot be confused.
fn pair_term(first: &str, gap: usize, second: &str) -> String {
    format!("{first}_{gap}_{second}")
}

fn pair_tokens(tokens: &[Token]) -> Vec<Token> {
    tokens
        .windows(2)
        .map(|w| Token {
            offset_from: w[0].offset_from,
            offset_to: w[1].offset_to,
            position: w[0].position,
            text: pair_term(&w[0].text, w[1].position - w[0].position, &w[1].text),
            position_length: 1,
        })
        .collect()
}

/// A user query, understood: single words, and phrases (quoted, or one word that analyzes to
/// several, like "procès-verbal").
struct Understood {
    query: Box<dyn Query>,
    /// The same words as plain terms of `text`, for highlighting.
    highlight: Box<dyn Query>,
    /// Phrases of three words or more: pairs make them likely, the page text must confirm them.
    to_confirm: Vec<Vec<Token>>,
    /// How many words (stop words aside) the query holds.
    words: usize,
}

/// Splits a query into quoted phrases and bare words. An unclosed quote runs to the end. A bare
/// word that analyzes to several words ("procès-verbal") is a phrase too.
fn query_parts(query: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for (i, chunk) in query.split('"').enumerate() {
        if i % 2 == 1 {
            parts.push(chunk);
        } else {
            parts.extend(chunk.split_whitespace());
        }
    }
    parts
}

/// True when `tokens` (a phrase's words) occur in `page_tokens` in order with the same gaps.
fn contains_phrase(page_tokens: &[Token], phrase: &[Token]) -> bool {
    let Some(first) = phrase.first() else {
        return true;
    };
    let at: std::collections::HashMap<usize, &str> = page_tokens
        .iter()
        .map(|t| (t.position, t.text.as_str()))
        .collect();
    page_tokens
        .iter()
        .filter(|t| t.text == first.text)
        .any(|start| {
            phrase.iter().all(|p| {
                at.get(&(start.position + p.position - first.position)) == Some(&p.text.as_str())
            })
        })
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
    /// Opens the index in `dir`, its files sealed under `sealer`, creating it when absent.
    /// Returns the index and whether it was (re)created empty, in which case every document
    /// must be indexed again (an index that does not open under this key is rebuilt too).
    pub fn open(dir: &Path, sealer: &Sealer) -> Result<(PageIndex, bool), IndexError> {
        let (schema, fields) = schema();
        let open_err = |reason: String| IndexError::Open {
            dir: dir.to_owned(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| open_err(e.to_string()))?;
        sweep_temporary(dir);
        let sealed = |dir: &Path| {
            MmapDirectory::open(dir)
                .map(|mmap| SealedDirectory::new(mmap, sealer.clone()))
                .map_err(|e| open_err(e.to_string()))
        };
        let directory = sealed(dir)?;
        let existing = Index::exists(&directory).map_err(|e| open_err(e.to_string()))?;
        let marker = dir.join(ANALYZER_FILE);
        let same_analyzer =
            std::fs::read_to_string(&marker).is_ok_and(|v| v.trim() == ANALYZER_VERSION);
        let (mut index, created) = match existing.then(|| Index::open(directory.clone())) {
            Some(Ok(index)) if index.schema() == schema && same_analyzer => (index, false),
            // Absent, unreadable or from an older schema: the index is derived data, rebuild it.
            other => {
                if other.is_some() {
                    tracing::warn!("search index unreadable or outdated: rebuilding it");
                    clear_dir(dir).map_err(|e| open_err(e.to_string()))?;
                }
                let index = Index::create(sealed(dir)?, schema, Default::default())?;
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
        let doc = self.page_document(dossier, document, page, text);
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    /// Queues the pages of one document, `(number, text)`, analyzed on two threads.
    pub fn add_pages(
        &mut self,
        dossier: i64,
        document: i64,
        pages: &[(u32, &str)],
    ) -> Result<(), IndexError> {
        self.writer()?;
        let this = &*self;
        let writer = this.writer.as_ref().expect("just opened");
        let (first, second) = pages.split_at(pages.len().div_ceil(2));
        let add = |part: &[(u32, &str)]| -> Result<(), IndexError> {
            for &(number, text) in part {
                writer.add_document(this.page_document(dossier, document, number, text))?;
            }
            Ok(())
        };
        std::thread::scope(|scope| {
            let other = scope.spawn(|| add(second));
            let mine = add(first);
            mine.and(other.join().expect("indexing thread"))
        })
    }

    /// The Tantivy document of a page: the text analyzed once, feeding both text fields.
    fn page_document(&self, dossier: i64, document: i64, page: u32, text: &str) -> TantivyDocument {
        let f = self.fields;
        let tokens = analyze(&crate::pdf::joined_words(text));
        let pairs = pair_tokens(&tokens);
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.dossier, dossier as u64);
        doc.add_u64(f.document, document as u64);
        doc.add_u64(f.page, page as u64);
        doc.add_pre_tokenized_text(
            f.text,
            PreTokenizedString {
                text: String::new(),
                tokens,
            },
        );
        doc.add_pre_tokenized_text(
            f.pairs,
            PreTokenizedString {
                text: String::new(),
                tokens: pairs,
            },
        );
        doc
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

    /// Number of segments the searcher reads (each adds a fixed cost to every query).
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
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

    fn term(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// Every word must be on the page (conjunction); a phrase's words must be there in order.
    fn understand(&self, query: &str) -> Understood {
        let (mut must, mut highlight, mut to_confirm) = (Vec::new(), Vec::new(), Vec::new());
        for part in query_parts(query) {
            let tokens = analyze(part);
            for t in &tokens {
                highlight.push((Occur::Should, self.term(self.fields.text, &t.text)));
            }
            match tokens.len() {
                0 => {}
                1 => must.push((Occur::Must, self.term(self.fields.text, &tokens[0].text))),
                _ => {
                    for pair in pair_tokens(&tokens) {
                        must.push((Occur::Must, self.term(self.fields.pairs, &pair.text)));
                    }
                    if tokens.len() > 2 {
                        to_confirm.push(tokens);
                    }
                }
            }
        }
        let query: Box<dyn Query> = match must.len() {
            1 => must.pop().expect("one clause").1,
            _ => Box::new(BooleanQuery::new(must)),
        };
        Understood {
            query,
            words: highlight.len(),
            highlight: Box::new(BooleanQuery::new(highlight)),
            to_confirm,
        }
    }

    /// Pages matching `query`, best first (BM25): every word, and "phrases" word for word.
    /// `page_text` gives a page's stored text, used to confirm phrases of three words or more.
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        page_text: &dyn Fn(i64, u32) -> Option<String>,
    ) -> Result<Vec<RawHit>, IndexError> {
        let understood = self.understand(query);
        if limit == 0 || understood.words == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut wanted = limit;
        loop {
            let top: Vec<(f32, DocAddress)> = searcher.search(
                &*understood.query,
                &TopDocs::with_limit(wanted).order_by_score(),
            )?;
            let exhausted = top.len() < wanted;
            let mut hits = Vec::with_capacity(limit);
            for (score, address) in top {
                // Fast-field columns, not the compressed document store.
                let columns = searcher.segment_reader(address.segment_ord).fast_fields();
                let get = |name: &str| -> Result<u64, IndexError> {
                    Ok(columns.u64(name)?.first(address.doc_id).unwrap_or_default())
                };
                let hit = RawHit {
                    dossier: get("dossier")? as i64,
                    document: get("document")? as i64,
                    page: get("page")? as u32,
                    score,
                };
                if !understood.to_confirm.is_empty() {
                    let Some(text) = page_text(hit.document, hit.page) else {
                        continue;
                    };
                    let page_tokens = analyze(&crate::pdf::joined_words(&text));
                    if !understood
                        .to_confirm
                        .iter()
                        .all(|p| contains_phrase(&page_tokens, p))
                    {
                        continue;
                    }
                }
                hits.push(hit);
                if hits.len() == limit {
                    return Ok(hits);
                }
            }
            if exhausted {
                return Ok(hits);
            }
            wanted *= 4;
        }
    }

    /// A snippet maker for `query`: given a page's text, an extract with the matches marked.
    pub fn snippets(&self, query: &str) -> Result<Snippets, IndexError> {
        let searcher = self.reader.searcher();
        let understood = self.understand(query);
        let mut generator =
            SnippetGenerator::create(&searcher, &*understood.highlight, self.fields.text)?;
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

/// Removes what a killed writer left: Tantivy writes its metadata through a temporary file
/// (`.tmpXXXXXX`) renamed into place. Only while holding the writer's lock, so that no other
/// process is writing one at that moment.
fn sweep_temporary(dir: &Path) {
    let Ok(lock) = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(".tantivy-writer.lock"))
    else {
        return;
    };
    if !try_lock(&lock) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(".tmp") && entry.path().is_file() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    drop(lock);
}

/// An exclusive `flock` without waiting, as Tantivy takes its lock files (released on close).
#[cfg(unix)]
fn try_lock(file: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: plain system call on an open descriptor.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Elsewhere a temporary file left behind stays until the index is rebuilt.
#[cfg(not(unix))]
fn try_lock(_file: &std::fs::File) -> bool {
    false
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
    /// Page texts for phrase confirmation, as the store would give them.
    fn texts(pages: &[(i64, u32, &str)]) -> impl Fn(i64, u32) -> Option<String> {
        let pages: Vec<(i64, u32, String)> = pages
            .iter()
            .map(|&(d, p, t)| (d, p, t.to_owned()))
            .collect();
        move |d, p| {
            pages
                .iter()
                .find(|x| x.0 == d && x.1 == p)
                .map(|x| x.2.clone())
        }
    }

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

    fn index_of(pages: &[(i64, u32, &str)]) -> (tempfile::TempDir, PageIndex) {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let (mut index, created) = PageIndex::open(tmp.path(), keys.index()).unwrap();
        assert!(created);
        for &(document, page, text) in pages {
            index.add_page(document / 10, document, page, text).unwrap();
        }
        index.commit().unwrap();
        (tmp, index)
    }

    fn documents(
        index: &PageIndex,
        query: &str,
        text_of: &dyn Fn(i64, u32) -> Option<String>,
    ) -> Vec<i64> {
        index
            .search(query, 10, text_of)
            .unwrap()
            .iter()
            .map(|h| h.document)
            .collect()
    }

    #[test]
    fn finds_pages_ranks_and_marks() {
        let pages = [
            (
                10,
                1,
                "Le conducteur souffle dans l'éthylomètre à deux reprises.",
            ),
            (10, 2, "Procès-verbal d'audition de la victime."),
            (
                20,
                1,
                "Audition du témoin ; nouvelle audition le lendemain, audition close.",
            ),
        ];
        let (_tmp, index) = index_of(&pages);
        let text_of = texts(&pages);

        let hits = index.search("ethylometre", 10, &text_of).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(
            (hits[0].dossier, hits[0].document, hits[0].page),
            (1, 10, 1)
        );

        assert_eq!(
            documents(&index, "auditions", &text_of),
            [20, 10],
            "three mentions rank above one"
        );
        assert_eq!(
            documents(&index, "\"audition de la victime\"", &text_of),
            [10]
        );
        assert_eq!(
            documents(&index, "\"victime de la audition\"", &text_of),
            Vec::<i64>::new()
        );
        assert_eq!(documents(&index, "procès-verbal victime", &text_of), [10]);
        assert_eq!(
            documents(&index, "de la", &text_of),
            Vec::<i64>::new(),
            "stop words alone find nothing"
        );

        let snippet = index
            .snippets("\"audition de la victime\"")
            .unwrap()
            .cut("Le <b>procès-verbal</b> d'audition de la victime.");
        assert!(snippet.contains("<mark>audition</mark>"), "{snippet}");
        assert!(snippet.contains("<mark>victime</mark>"), "{snippet}");
        assert!(snippet.contains("&lt;b&gt;"), "HTML is escaped: {snippet}");

        assert_eq!(
            index.pages_per_document().unwrap(),
            HashMap::from([(10, 2), (20, 1)])
        );
        let mut index = index;
        index.delete_document(10).unwrap();
        index.commit().unwrap();
        assert_eq!(index.page_total(), 1);
        assert_eq!(index.document_pages(10).unwrap(), 0);
    }

    #[test]
    fn phrases_skip_stop_words_but_keep_their_order() {
        let pages = [
            (1, 1, "conduite sous l'empire d'un état alcoolique"),
            (2, 1, "un état alcoolique sous l'empire de la fatigue"),
            // Every pair of the phrase is here, but never all in a row.
            (
                3,
                1,
                "sous l'empire de rien ; l'empire d'un roi ; un état alcoolique léger",
            ),
        ];
        let (_tmp, index) = index_of(&pages);
        let text_of = texts(&pages);
        assert_eq!(
            documents(&index, "\"sous l'empire d'un état alcoolique\"", &text_of),
            [1]
        );
        assert_eq!(documents(&index, "\"état alcoolique\"", &text_of).len(), 3);
        assert_eq!(
            documents(&index, "\"refus d'obtempérer\"", &text_of),
            Vec::<i64>::new()
        );
        // A missing quote runs to the end of the query.
        assert_eq!(
            documents(&index, "\"sous l'empire d'un état alcoolique", &text_of),
            [1]
        );
    }

    #[test]
    fn pairs_carry_the_gap_of_removed_words() {
        let tokens = analyze("garde à vue");
        let pairs = pair_tokens(&tokens);
        assert_eq!(pairs.len(), 1);
        assert_eq!(
            pairs[0].text,
            pair_term(&tokens[0].text, 2, &tokens[1].text)
        );
        assert_ne!(pair_tokens(&analyze("garde vue"))[0].text, pairs[0].text);
    }

    #[test]
    fn an_index_built_by_another_analyzer_is_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        {
            let (mut index, _) = PageIndex::open(tmp.path(), keys.index()).unwrap();
            index.add_page(1, 1, 1, "garde à vue").unwrap();
            index.commit().unwrap();
        }
        std::fs::write(tmp.path().join(ANALYZER_FILE), "1").unwrap();
        let (index, created) = PageIndex::open(tmp.path(), keys.index()).unwrap();
        assert!(created, "the caller must re-index every document");
        assert_eq!(index.page_total(), 0);
    }

    #[test]
    fn reopening_keeps_pages_and_uncommitted_work_vanishes() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        {
            let (mut index, _) = PageIndex::open(tmp.path(), keys.index()).unwrap();
            index.add_page(1, 1, 1, "garde à vue").unwrap();
            index.commit().unwrap();
            index.add_page(1, 2, 1, "non validé").unwrap();
            index.rollback();
        }
        let (index, created) = PageIndex::open(tmp.path(), keys.index()).unwrap();
        assert!(!created);
        assert_eq!(index.page_total(), 1);
        drop(index);
        // Under another key the files do not open: the index is rebuilt, never read.
        let other = crate::crypto::Keys::ephemeral();
        let (index, created) = PageIndex::open(tmp.path(), other.index()).unwrap();
        assert!(created);
        assert_eq!(index.page_total(), 0);
    }
}
