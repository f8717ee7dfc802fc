//! Reading procedure files: PDFs through pdfium, UTF-8 `.txt` files as one page.
//!
//! pdfium is bound once per process (a second bind fails inside pdfium-render) and is not
//! thread-safe: the single binding lives in a `OnceLock`, and pdfium-render's `thread_safe`
//! feature serialises every call behind one mutex.
//!
//! Page text is read with `FPDFText_GetText` in one call per page (fast path used by import);
//! character boxes are computed on demand (`char_boxes`), page by page, for highlighting.
//! Offsets everywhere are counted in Unicode scalar values of the *normalised* page text
//! (`\r\n` and `\r` become `\n`, NUL is dropped, and pdfium's markers of a word hyphenated at a
//! line end, U+0002 and U+FFFE, become one soft hyphen U+00AD, so that offsets stay one to one
//! with the characters on the page).

use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use pdfium_render::prelude::*;
use serde::{Deserialize, Serialize};

use crate::fr::quoted;
use crate::ocr::{self, GrayImage, OcrError, OcrLayer, Recognised};

/// Environment variable naming the folder that holds the pdfium shared library.
pub const PDFIUM_ENV: &str = "PDFIUM_DYNAMIC_LIB_PATH";

/// Most pages a document may have: beyond, the file is refused before any page is read.
pub const MAX_PAGES: u32 = 10_000;

/// A page with fewer visible characters than this is considered to have no usable text layer.
const MIN_TEXT_CHARS: usize = 16;

/// A text layer where fewer of the visible characters than this share are letters or digits is
/// garbage (a font without a usable encoding, private-use glyphs): the page goes through OCR.
const MIN_LETTER_SHARE: f32 = 0.5;

/// A page an image covers for at least this share of its area, with fewer letters than
/// [`MIN_SCAN_LETTERS`] in its text layer, is a scan with a stamp or a few words on top.
const SCAN_AREA_SHARE: f32 = 0.5;
const MIN_SCAN_LETTERS: usize = 200;

/// pdfium's FPDF_ANNOT render flag: annotations (stamps, signatures added later) are drawn.
const FPDF_RENDER_ANNOT: i32 = 1;

/// Most pixels a page is rendered with for OCR (an A3 page at 300 dpi has 17.4 million): a
/// larger page is rendered at a lower resolution.
const MAX_RENDER_PIXELS: f32 = 40e6;

/// An image of more pixels than this on a page is not decoded for OCR (a hostile file may
/// announce 100,000 × 100,000 pixels): the page stays without text.
const MAX_IMAGE_PIXELS: u64 = 400_000_000;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "la bibliothèque PDFium est introuvable (cherchée dans{searched}) ; lancez «\u{a0}make setup\u{a0}» \
         ou indiquez son dossier dans la variable d'environnement PDFIUM_DYNAMIC_LIB_PATH"
    )]
    LibraryMissing { searched: String },
    #[error("le fichier {} est introuvable", quoted(.file))]
    NotFound { file: String },
    #[error("le fichier {} est vide", quoted(.file))]
    Empty { file: String },
    #[error("le fichier {} n'est pas un PDF (son contenu ne commence pas par «\u{a0}%PDF\u{a0}»)", quoted(.file))]
    NotPdf { file: String },
    #[error("le fichier {} est protégé par un mot de passe : retirez la protection avant de l'importer", quoted(.file))]
    Encrypted { file: String },
    #[error("le fichier {} est endommagé ou illisible ({reason})", quoted(.file))]
    Corrupt { file: String, reason: String },
    #[error("le fichier {} n'est pas un texte UTF-8 valide", quoted(.file))]
    NotUtf8 { file: String },
    #[error("le format du fichier {} n'est pas pris en charge (PDF ou texte .txt attendu)", quoted(.file))]
    Unsupported { file: String },
    #[error("le fichier {} ne peut pas être lu : {source}", quoted(.file))]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("la page {page} du fichier {} n'existe pas", quoted(.file))]
    NoSuchPage { file: String, page: u32 },
    #[error(
        "le fichier {} annonce {} pages, au-delà des {} pages qu'une procédure peut compter : il n'a pas été importé",
        quoted(.file), crate::fr::grouped(*.pages), crate::fr::grouped(*.limit)
    )]
    TooManyPages {
        file: String,
        pages: u32,
        limit: u32,
    },
    #[error("l'import du fichier {} a été annulé", quoted(.file))]
    Cancelled { file: String },
    #[error(transparent)]
    Ocr(#[from] OcrError),
    #[error(transparent)]
    Worker(#[from] crate::worker::WorkerError),
}

impl PdfError {
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::LibraryMissing { .. } => "pdf.library_missing",
            PdfError::NotFound { .. } => "pdf.not_found",
            PdfError::Empty { .. } => "pdf.empty",
            PdfError::NotPdf { .. } => "pdf.not_pdf",
            PdfError::Encrypted { .. } => "pdf.encrypted",
            PdfError::Corrupt { .. } => "pdf.corrupt",
            PdfError::NotUtf8 { .. } => "pdf.not_utf8",
            PdfError::Unsupported { .. } => "pdf.unsupported",
            PdfError::Io { .. } => "pdf.io",
            PdfError::NoSuchPage { .. } => "pdf.no_such_page",
            PdfError::TooManyPages { .. } => "pdf.too_many_pages",
            PdfError::Cancelled { .. } => "import.cancelled",
            PdfError::Ocr(e) => e.code(),
            PdfError::Worker(e) => e.code(),
        }
    }

    /// True when the error comes from the input file, not from the installation.
    pub fn is_bad_input(&self) -> bool {
        match self {
            PdfError::LibraryMissing { .. } | PdfError::Cancelled { .. } => false,
            PdfError::Ocr(e) => e.is_bad_input(),
            PdfError::Worker(e) => e.is_bad_input(),
            _ => true,
        }
    }
}

/// What kind of source a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Pdf,
    Txt,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Pdf => "pdf",
            SourceKind::Txt => "txt",
        }
    }
}

/// One page of text. `number` counts from 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub number: u32,
    pub text: String,
    /// Page size in PDF points (1/72 inch); `None` for text files.
    pub width: Option<f32>,
    pub height: Option<f32>,
    /// No usable text layer: the page must go through OCR.
    pub needs_ocr: bool,
    /// The words recognised when the page went through OCR (its `text` is then theirs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrLayer>,
}

/// A file embedded in the PDF (PDF/A-3 attachments, PPN structured files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: String,
    pub size: u64,
}

/// Document information dictionary entries, when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub creator: Option<String>,
    pub producer: Option<String>,
    pub creation_date: Option<String>,
}

/// A whole document as read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Document {
    pub kind: SourceKind,
    pub pages: Vec<Page>,
    pub metadata: Metadata,
    pub attachments: Vec<Attachment>,
}

impl Document {
    /// A text document whose pages are `texts`, numbered from 1 (no page size, no OCR needed).
    pub fn from_texts(texts: impl IntoIterator<Item = String>) -> Document {
        Document {
            kind: SourceKind::Txt,
            pages: texts
                .into_iter()
                .enumerate()
                .map(|(i, text)| Page {
                    number: i as u32 + 1,
                    text,
                    width: None,
                    height: None,
                    needs_ocr: false,
                    ocr: None,
                })
                .collect(),
            metadata: Metadata::default(),
            attachments: Vec::new(),
        }
    }

    pub fn ocr_pages(&self) -> Vec<u32> {
        self.pages
            .iter()
            .filter(|p| p.needs_ocr)
            .map(|p| p.number)
            .collect()
    }
}

/// A character's box on the page, in PDF points, origin at the bottom left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CharBox {
    pub left: f32,
    pub bottom: f32,
    pub right: f32,
    pub top: f32,
}

/// Progress while reading: pages done out of total.
pub type PageProgress<'a> = &'a mut dyn FnMut(u32, u32);

/// Progress while reading: pages read out of the total, pages recognised out of those found
/// without a usable text layer so far. Sent again unchanged while a page is being recognised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadProgress {
    pub pages_done: u32,
    pub pages_total: u32,
    #[serde(default)]
    pub ocr_done: u32,
    #[serde(default)]
    pub ocr_total: u32,
}

/// How a document is read: progress, the recognitions already known (by cache key), a flag
/// that cancels the reading, and whether pages without text go through OCR.
pub struct Reading<'a> {
    pub progress: &'a mut dyn FnMut(ReadProgress),
    pub known: &'a mut dyn FnMut(&str) -> Option<Recognised>,
    pub cancel: &'a AtomicBool,
    pub ocr: bool,
}

/// Reads a document from bytes already in memory. `name` names the file in messages;
/// its extension (`.txt`) selects the text path, everything else must be a PDF. Pages without
/// a usable text layer go through OCR (no cache).
pub fn read_bytes(name: &str, bytes: &[u8], progress: PageProgress) -> Result<Document, PdfError> {
    let never = AtomicBool::new(false);
    read_bytes_with(
        name,
        bytes,
        &mut Reading {
            progress: &mut |p| progress(p.pages_done, p.pages_total),
            known: &mut |_| None,
            cancel: &never,
            ocr: true,
        },
    )
}

/// Reads a document (see [`read_bytes`]) as `reading` says.
pub fn read_bytes_with(
    name: &str,
    bytes: &[u8],
    reading: &mut Reading,
) -> Result<Document, PdfError> {
    if bytes.is_empty() {
        return Err(PdfError::Empty {
            file: name.to_owned(),
        });
    }
    if is_text_name(name) {
        let text = std::str::from_utf8(bytes).map_err(|_| PdfError::NotUtf8 {
            file: name.to_owned(),
        })?;
        (reading.progress)(ReadProgress {
            pages_done: 1,
            pages_total: 1,
            ..ReadProgress::default()
        });
        return Ok(text_document(text));
    }
    if !looks_like_pdf(bytes) {
        return Err(PdfError::NotPdf {
            file: name.to_owned(),
        });
    }
    crate::worker::read_pdf(name, bytes, reading)
}

/// Reads a PDF in this process (the child of `worker`, or when isolation is off).
pub(crate) fn read_pdf_here(
    name: &str,
    bytes: &[u8],
    reading: &mut Reading,
) -> Result<Document, PdfError> {
    read_pdf(name, bytes, reading)
}

/// Reads a file from disk (see [`read_bytes`]).
pub fn read_file(path: &Path, progress: PageProgress) -> Result<Document, PdfError> {
    let bytes = read_input(path)?;
    read_bytes(&display_name(path), &bytes, progress)
}

/// Reads a file's bytes, mapping I/O errors to French messages that name the file.
pub fn read_input(path: &Path) -> Result<Vec<u8>, PdfError> {
    let file = display_name(path);
    if path.is_dir() {
        return Err(PdfError::Unsupported { file });
    }
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => PdfError::NotFound { file },
        _ => PdfError::Io { file, source },
    })
}

/// The name shown to the user for a path: the path as given.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

fn is_text_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// `%PDF-` within the first 1024 bytes, as PDF readers accept.
fn looks_like_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

fn text_document(text: &str) -> Document {
    let text = normalise_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    let needs_ocr = visible_chars(&text) < MIN_TEXT_CHARS && text.trim().is_empty();
    Document {
        kind: SourceKind::Txt,
        pages: vec![Page {
            number: 1,
            text,
            width: None,
            height: None,
            needs_ocr,
            ocr: None,
        }],
        metadata: Metadata::default(),
        attachments: Vec::new(),
    }
}

/// How a word hyphenated at a line end is marked in page text.
pub const SOFT_HYPHEN: char = '\u{ad}';

/// Page text as the search index reads it: words hyphenated at a line end joined again, and a
/// compound's hyphen that pdfium marks as soft ("PROCÈS\u{ad}VERBAL") read as a hyphen.
pub fn joined_words(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(SOFT_HYPHEN) {
        // Before a line end it splits a word; alone, pdfium uses it for a compound's hyphen.
        text.replace("\u{ad}\n", "")
            .replace(SOFT_HYPHEN, "-")
            .into()
    } else {
        text.into()
    }
}

/// Normalises line ends and drops characters that carry no text.
pub fn normalise_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    normalise(raw.chars().map(|c| (c, ())), |c, _| out.push(c));
    out
}

/// The normalisation of `normalise_text` over characters that each carry a `T` (their box):
/// `push` gets each character of the normalised text with the `T` of the character it comes
/// from, or `None` for a line end made from "\r" or "\r\n".
fn normalise<T>(chars: impl Iterator<Item = (char, T)>, mut push: impl FnMut(char, Option<T>)) {
    let mut chars = chars.peekable();
    while let Some((c, t)) = chars.next() {
        match c {
            '\r' => {
                if chars.peek().is_some_and(|&(c, _)| c == '\n') {
                    chars.next();
                }
                push('\n', None);
            }
            '\0' | '\u{feff}' => {}
            '\u{2}' | '\u{fffe}' => push(SOFT_HYPHEN, Some(t)),
            _ => push(c, Some(t)),
        }
    }
}

/// The page's text as `FPDFText_GetText` gives it, in UTF-16 units, into `buf`.
fn text_units(b: &dyn PdfiumLibraryBindings, text: FPDF_TEXTPAGE, buf: &mut Vec<u16>) {
    // SAFETY: valid text page; the buffer holds count + 1 UTF-16 units as pdfium requires.
    let count = unsafe { b.FPDFText_CountChars(text) }.max(0);
    buf.clear();
    buf.resize(count as usize + 1, 0);
    let written = unsafe { b.FPDFText_GetText(text, 0, count, buf.as_mut_ptr()) }.max(1) as usize;
    buf.truncate(written - 1);
}

fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

// ---------------------------------------------------------------------------------------------
// pdfium binding

static PDFIUM: OnceLock<Result<Pdfium, String>> = OnceLock::new();

/// The process-wide pdfium binding, created on first use.
pub fn pdfium() -> Result<&'static Pdfium, PdfError> {
    PDFIUM
        .get_or_init(bind)
        .as_ref()
        .map_err(|searched| PdfError::LibraryMissing {
            searched: searched.clone(),
        })
}

/// Folders searched for the pdfium library, in order: `$PDFIUM_DYNAMIC_LIB_PATH`, the
/// executable's folder (and its `lib/` and `../lib/permanence` for installed packages), the
/// project-local folder that `make setup` fills; the system library path comes last (in `bind`).
pub fn library_candidates() -> Vec<PathBuf> {
    let exe = std::env::current_exe().ok();
    candidates_from(
        std::env::var_os(PDFIUM_ENV).as_deref().map(Path::new),
        exe.as_deref().and_then(Path::parent),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    )
}

fn candidates_from(env: Option<&Path>, exe_dir: Option<&Path>, project: &Path) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = env.filter(|d| !d.as_os_str().is_empty()) {
        dirs.push(dir.to_path_buf());
    }
    if let Some(dir) = exe_dir {
        dirs.push(dir.to_path_buf());
        dirs.push(dir.join("lib"));
        dirs.push(dir.join("../lib/permanence"));
    }
    dirs.push(project.join("vendor/pdfium/lib"));
    dirs
}

/// The first candidate folder that holds the pdfium library, and the list of folders searched.
fn locate(candidates: &[PathBuf]) -> (Option<PathBuf>, String) {
    let searched = candidates
        .iter()
        .map(|d| format!(" {},", d.display()))
        .collect::<String>();
    let found = candidates
        .iter()
        .map(Pdfium::pdfium_platform_library_name_at_path)
        .find(|lib| lib.is_file());
    (found, searched)
}

fn bind() -> Result<Pdfium, String> {
    let (found, mut searched) = locate(&library_candidates());
    if let Some(lib) = found {
        match Pdfium::bind_to_library(&lib) {
            Ok(bindings) => return Ok(Pdfium::new(bindings)),
            Err(e) => tracing::warn!("pdfium at {} could not be bound: {e:?}", lib.display()),
        }
    }
    searched.push_str(" le chemin des bibliothèques du système");
    Pdfium::bind_to_system_library()
        .map(Pdfium::new)
        .map_err(|_| searched)
}

/// An open pdfium document handle, closed on drop.
struct RawDocument<'a> {
    bindings: &'a dyn PdfiumLibraryBindings,
    handle: FPDF_DOCUMENT,
}

impl Drop for RawDocument<'_> {
    fn drop(&mut self) {
        // SAFETY: the handle came from FPDF_LoadMemDocument64 and is closed exactly once.
        unsafe { self.bindings.FPDF_CloseDocument(self.handle) }
    }
}

fn open<'a>(name: &str, bytes: &'a [u8]) -> Result<RawDocument<'a>, PdfError> {
    let bindings = pdfium()?.bindings();
    // SAFETY: `bytes` outlives the returned document (lifetime 'a); pdfium copies nothing.
    let handle = unsafe { bindings.FPDF_LoadMemDocument64(bytes, None) };
    if handle.is_null() {
        // SAFETY: plain FFI getter.
        let code = unsafe { bindings.FPDF_GetLastError() };
        let file = name.to_owned();
        return Err(match code {
            // FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            4 | 5 => PdfError::Encrypted { file },
            // FPDF_ERR_FORMAT
            3 => PdfError::Corrupt {
                file,
                reason: "structure PDF invalide".into(),
            },
            // FPDF_ERR_FILE
            2 => PdfError::Corrupt {
                file,
                reason: "fichier tronqué ou inaccessible".into(),
            },
            _ => PdfError::Corrupt {
                file,
                reason: format!("erreur PDFium {code}"),
            },
        });
    }
    Ok(RawDocument { bindings, handle })
}

fn read_pdf(name: &str, bytes: &[u8], reading: &mut Reading) -> Result<Document, PdfError> {
    let doc = open(name, bytes)?;
    let b = doc.bindings;
    // SAFETY: valid document handle.
    let count = unsafe { b.FPDF_GetPageCount(doc.handle) };
    if count <= 0 {
        return Err(PdfError::Corrupt {
            file: name.to_owned(),
            reason: "aucune page".into(),
        });
    }
    let total = count as u32;
    if total > MAX_PAGES {
        return Err(PdfError::TooManyPages {
            file: name.to_owned(),
            pages: total,
            limit: MAX_PAGES,
        });
    }
    let cancelled = || PdfError::Cancelled {
        file: name.to_owned(),
    };
    let mut pages = Vec::with_capacity(total as usize);
    let mut buf: Vec<u16> = Vec::new();
    let mut pipeline = reading
        .ocr
        .then(|| ocr::Pipeline::new(name, reading.cancel));
    let progress = &mut *reading.progress;
    let mut status = ReadProgress {
        pages_done: 0,
        pages_total: total,
        ..ReadProgress::default()
    };
    // While recognition keeps a worker busy, the same progress is sent again: the watchdog of
    // the reader child sees it alive.
    fn tick(progress: &mut dyn FnMut(ReadProgress), p: &ocr::Pipeline, status: ReadProgress) {
        if p.working() {
            progress(ReadProgress {
                ocr_done: p.recognised(),
                ocr_total: p.submitted(),
                ..status
            });
        }
    }
    for index in 0..count {
        if reading.cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let (page, image) = read_page(name, &doc, index, &mut buf, pipeline.is_some())?;
        if let (Some(p), Some(image)) = (pipeline.as_mut(), image) {
            let key = ocr::cache_key(&image);
            match (reading.known)(&key) {
                Some(known) => p.known(page.number, known),
                None => p.submit(page.number, key, image, &mut |p| tick(progress, p, status))?,
            }
        }
        pages.push(page);
        status.pages_done = index as u32 + 1;
        if let Some(p) = &pipeline {
            (status.ocr_done, status.ocr_total) = (p.recognised(), p.submitted());
        }
        progress(status);
    }
    if let Some(p) = pipeline.filter(|p| p.submitted() > 0) {
        let recognised = p.finish(&mut |p| tick(progress, p, status))?;
        if reading.cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        status.ocr_done = recognised.len() as u32;
        status.ocr_total = recognised.len() as u32;
        for (number, r) in recognised {
            let page = &mut pages[number as usize - 1];
            page.text = r.text;
            page.ocr = Some(r.layer);
        }
        progress(status);
    }
    Ok(Document {
        kind: SourceKind::Pdf,
        pages,
        metadata: read_metadata(&doc),
        attachments: read_attachments(&doc),
    })
}

/// An open page and its text page, closed on drop.
struct RawPage<'a> {
    bindings: &'a dyn PdfiumLibraryBindings,
    page: FPDF_PAGE,
    text: FPDF_TEXTPAGE,
}

impl Drop for RawPage<'_> {
    fn drop(&mut self) {
        // SAFETY: both handles were opened by `load_page` and are closed exactly once.
        unsafe {
            if !self.text.is_null() {
                self.bindings.FPDFText_ClosePage(self.text);
            }
            self.bindings.FPDF_ClosePage(self.page);
        }
    }
}

fn load_page<'a>(name: &str, doc: &RawDocument<'a>, index: i32) -> Result<RawPage<'a>, PdfError> {
    let b = doc.bindings;
    // SAFETY: index < page count; handles checked for null.
    let page = unsafe { b.FPDF_LoadPage(doc.handle, index) };
    if page.is_null() {
        return Err(PdfError::Corrupt {
            file: name.to_owned(),
            reason: format!("la page {} ne peut pas être lue", index + 1),
        });
    }
    let text = unsafe { b.FPDFText_LoadPage(page) };
    Ok(RawPage {
        bindings: b,
        page,
        text,
    })
}

/// Reads a page's text layer; with `render`, a page whose text layer is missing or unusable
/// is also rendered for OCR (unless it has nothing drawn on it, or an image too large to decode).
fn read_page(
    name: &str,
    doc: &RawDocument,
    index: i32,
    buf: &mut Vec<u16>,
    render: bool,
) -> Result<(Page, Option<GrayImage>), PdfError> {
    let page = load_page(name, doc, index)?;
    let b = doc.bindings;
    // SAFETY: valid page handle.
    let (width, height) = unsafe {
        (
            b.FPDF_GetPageWidthF(page.page),
            b.FPDF_GetPageHeightF(page.page),
        )
    };
    let raw = if page.text.is_null() {
        String::new()
    } else {
        text_units(b, page.text, buf);
        String::from_utf16_lossy(buf)
    };
    let text = normalise_text(&raw);
    let text_usable = visible_chars(&text) >= MIN_TEXT_CHARS && usable_text(&text);
    // Looked at only for a page whose text layer is short: a scan with a stamp or a few words.
    let scan = text_usable
        && letters(&text) < MIN_SCAN_LETTERS
        && ink_of(b, &page, width, height).image_share >= SCAN_AREA_SHARE;
    let needs_ocr = !text_usable || scan;
    let image = if render && needs_ocr {
        let ink = ink_of(b, &page, width, height);
        if ink.objects > 0 && ink.largest_image <= MAX_IMAGE_PIXELS {
            Some(render_gray(name, &page, index, width, height)?)
        } else {
            None
        }
    } else {
        None
    };
    Ok((
        Page {
            number: index as u32 + 1,
            text,
            width: Some(width),
            height: Some(height),
            needs_ocr,
            ocr: None,
        },
        image,
    ))
}

/// The pages of a PDF that need OCR, rendered as the import renders them, in this process
/// (for the benchmark: files the user imports are read in the reader child).
pub fn ocr_images(name: &str, bytes: &[u8]) -> Result<Vec<(u32, GrayImage)>, PdfError> {
    let doc = open(name, bytes)?;
    // SAFETY: valid document handle.
    let count = unsafe { doc.bindings.FPDF_GetPageCount(doc.handle) }.clamp(0, MAX_PAGES as i32);
    let mut buf = Vec::new();
    let mut images = Vec::new();
    for index in 0..count {
        if let (page, Some(image)) = read_page(name, &doc, index, &mut buf, true)? {
            images.push((page.number, image));
        }
    }
    Ok(images)
}

/// True when most visible characters of a text layer are letters or digits.
fn usable_text(text: &str) -> bool {
    let visible = visible_chars(text).max(1);
    let good = text
        .chars()
        .filter(|c| c.is_alphanumeric() && !is_private_use(*c))
        .count();
    good as f32 / visible as f32 >= MIN_LETTER_SHARE
}

fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xFFFD)
}

fn letters(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphabetic()).count()
}

/// What is drawn on a page: how many objects, the share of its area the largest image covers,
/// and the pixel count of the largest image.
struct Ink {
    objects: i32,
    image_share: f32,
    largest_image: u64,
}

fn ink_of(b: &dyn PdfiumLibraryBindings, page: &RawPage, width: f32, height: f32) -> Ink {
    // SAFETY: valid page; objects belong to it and are only read.
    let objects = unsafe { b.FPDFPage_CountObjects(page.page) }.max(0);
    let area = (width * height).abs().max(1.0);
    let mut ink = Ink {
        objects,
        image_share: 0.0,
        largest_image: 0,
    };
    for i in 0..objects.min(10_000) {
        let object = unsafe { b.FPDFPage_GetObject(page.page, i) };
        if object.is_null() || unsafe { b.FPDFPageObj_GetType(object) } != FPDF_PAGEOBJ_IMAGE as i32
        {
            continue;
        }
        let (mut w, mut h) = (0, 0);
        if unsafe { b.FPDFImageObj_GetImagePixelSize(object, &mut w, &mut h) } != 0 {
            ink.largest_image = ink.largest_image.max(w as u64 * h as u64);
        }
        let (mut l, mut bo, mut r, mut t) = (0.0, 0.0, 0.0, 0.0);
        if unsafe { b.FPDFPageObj_GetBounds(object, &mut l, &mut bo, &mut r, &mut t) } != 0 {
            let covered = ((r - l).abs() * (t - bo).abs()).min(area);
            ink.image_share = ink.image_share.max(covered / area);
        }
    }
    ink
}

/// A page rendered in memory for OCR: [`ocr::DPI`] (less for a page too large), white
/// background, annotations drawn, one byte of grey per pixel.
fn render_gray(
    name: &str,
    page: &RawPage,
    index: i32,
    width: f32,
    height: f32,
) -> Result<GrayImage, PdfError> {
    let failed = |reason: &str| OcrError::Render {
        file: name.to_owned(),
        page: index as u32 + 1,
        reason: reason.to_owned(),
    };
    let mut scale = ocr::DPI as f32 / 72.0;
    let (w_pt, h_pt) = (width.abs(), height.abs());
    if !(w_pt.is_finite() && h_pt.is_finite()) || w_pt < 1.0 || h_pt < 1.0 {
        return Err(failed("taille de page invalide").into());
    }
    let pixels = w_pt * h_pt * scale * scale;
    if pixels > MAX_RENDER_PIXELS {
        scale *= (MAX_RENDER_PIXELS / pixels).sqrt();
    }
    let (w, h) = (
        ((w_pt * scale).round() as i32).max(1),
        ((h_pt * scale).round() as i32).max(1),
    );
    let b = page.bindings;
    // SAFETY: the bitmap is created, drawn into, read and destroyed here; pdfium owns its
    // buffer (stride bytes per row, 4 bytes per pixel, BGRx).
    unsafe {
        let bitmap = b.FPDFBitmap_Create(w, h, 0);
        if bitmap.is_null() {
            return Err(failed("mémoire insuffisante pour l'image").into());
        }
        b.FPDFBitmap_FillRect(bitmap, 0, 0, w, h, 0xFFFF_FFFF);
        b.FPDF_RenderPageBitmap(bitmap, page.page, 0, 0, w, h, 0, FPDF_RENDER_ANNOT);
        let stride = b.FPDFBitmap_GetStride(bitmap).max(0) as usize;
        let buffer = b.FPDFBitmap_GetBuffer(bitmap) as *const u8;
        let mut gray = Vec::with_capacity(w as usize * h as usize);
        if !buffer.is_null() {
            for y in 0..h as usize {
                let row = std::slice::from_raw_parts(buffer.add(y * stride), w as usize * 4);
                gray.extend(row.chunks_exact(4).map(|px| {
                    // ITU-R BT.601 luma from B, G, R.
                    ((px[2] as u32 * 299 + px[1] as u32 * 587 + px[0] as u32 * 114) / 1000) as u8
                }));
            }
        }
        b.FPDFBitmap_Destroy(bitmap);
        if gray.len() != w as usize * h as usize {
            return Err(failed("image illisible").into());
        }
        Ok(GrayImage {
            width: w as u32,
            height: h as u32,
            pixels: gray,
        })
    }
}

fn read_metadata(doc: &RawDocument) -> Metadata {
    let get = |tag: &str| -> Option<String> {
        let b = doc.bindings;
        // SAFETY: first call asks for the size, second fills a buffer of that size (UTF-16LE).
        let len = unsafe { b.FPDF_GetMetaText(doc.handle, tag, std::ptr::null_mut(), 0) } as usize;
        if len <= 2 {
            return None;
        }
        let mut buf = vec![0u16; len / 2];
        unsafe { b.FPDF_GetMetaText(doc.handle, tag, buf.as_mut_ptr() as *mut c_void, len as _) };
        let s = String::from_utf16_lossy(&buf[..len / 2 - 1])
            .trim()
            .to_owned();
        (!s.is_empty()).then_some(s)
    };
    Metadata {
        title: get("Title"),
        author: get("Author"),
        subject: get("Subject"),
        creator: get("Creator"),
        producer: get("Producer"),
        creation_date: get("CreationDate"),
    }
}

fn read_attachments(doc: &RawDocument) -> Vec<Attachment> {
    let b = doc.bindings;
    // SAFETY: valid document; each attachment handle belongs to the document.
    let count = unsafe { b.FPDFDoc_GetAttachmentCount(doc.handle) }.max(0);
    (0..count)
        .filter_map(|i| {
            let att = unsafe { b.FPDFDoc_GetAttachment(doc.handle, i) };
            if att.is_null() {
                return None;
            }
            let len = unsafe { b.FPDFAttachment_GetName(att, std::ptr::null_mut(), 0) } as usize;
            let mut name = vec![0u16; len.div_ceil(2).max(1)];
            unsafe { b.FPDFAttachment_GetName(att, name.as_mut_ptr(), len as _) };
            let end = name.iter().position(|&u| u == 0).unwrap_or(name.len());
            let name = String::from_utf16_lossy(&name[..end]);
            let mut size: std::ffi::c_ulong = 0;
            unsafe { b.FPDFAttachment_GetFile(att, std::ptr::null_mut(), 0, &mut size) };
            Some(Attachment {
                name,
                size: size as u64,
            })
        })
        .collect()
}

/// The box of every character of a page's normalised text, in order (one box per Unicode
/// scalar value of [`Page::text`]); characters pdfium generates (line ends) get an empty box.
pub fn char_boxes(name: &str, bytes: &[u8], page_number: u32) -> Result<Vec<CharBox>, PdfError> {
    let doc = open(name, bytes)?;
    let b = doc.bindings;
    let count = unsafe { b.FPDF_GetPageCount(doc.handle) };
    if page_number == 0 || page_number as i32 > count {
        return Err(PdfError::NoSuchPage {
            file: name.to_owned(),
            page: page_number,
        });
    }
    let page = load_page(name, &doc, page_number as i32 - 1)?;
    if page.text.is_null() {
        return Ok(Vec::new());
    }
    let n = unsafe { b.FPDFText_CountChars(page.text) }.max(0);
    // Each character of pdfium's list, with its box; then the page text exactly as `read_page`
    // reads it (`FPDFText_GetText`, which leaves out some of the list's characters, such as
    // NULs after a 0x02), each of its UTF-16 units given the box of the same unit in the list.
    let listed: Vec<(u16, CharBox)> = (0..n)
        .map(|i| {
            let unit = unsafe { b.FPDFText_GetUnicode(page.text, i) } as u16;
            (unit, char_box(b, page.text, i))
        })
        .collect();
    let mut units = Vec::new();
    text_units(b, page.text, &mut units);
    Ok(boxes_of_text(&units, &listed))
}

/// The box of each character of `normalise_text(String::from_utf16_lossy(units))`: a unit
/// takes the box of the same unit in `listed` (pdfium's character list, of which the text is a
/// subsequence; a unit not found nearby gets an empty box); a character decoded from two
/// units takes its first one's; then `normalise_text`'s own normalisation.
fn boxes_of_text(units: &[u16], listed: &[(u16, CharBox)]) -> Vec<CharBox> {
    const LOOK_AHEAD: usize = 64;
    let empty = CharBox {
        left: 0.0,
        bottom: 0.0,
        right: 0.0,
        top: 0.0,
    };
    let mut next = 0;
    let unit_boxes: Vec<CharBox> = units
        .iter()
        .map(|&u| {
            let found = listed[next.min(listed.len())..]
                .iter()
                .take(LOOK_AHEAD)
                .position(|&(l, _)| l == u);
            match found {
                Some(k) => {
                    next += k + 1;
                    listed[next - 1].1
                }
                None => empty,
            }
        })
        .collect();
    let mut at = 0;
    let decoded = char::decode_utf16(units.iter().copied()).map(|decoded| {
        let (c, width) = match decoded {
            Ok(c) => (c, c.len_utf16()),
            Err(_) => (char::REPLACEMENT_CHARACTER, 1),
        };
        let bx = unit_boxes[at];
        at += width;
        (c, bx)
    });
    let mut boxes = Vec::with_capacity(units.len());
    normalise(decoded, |_, bx| boxes.push(bx.unwrap_or(empty)));
    boxes
}

fn char_box(b: &dyn PdfiumLibraryBindings, text: FPDF_TEXTPAGE, i: i32) -> CharBox {
    let (mut left, mut right, mut bottom, mut top) = (0.0, 0.0, 0.0, 0.0);
    // SAFETY: valid text page and index.
    unsafe { b.FPDFText_GetCharBox(text, i, &mut left, &mut right, &mut bottom, &mut top) };
    CharBox {
        left: left as f32,
        bottom: bottom as f32,
        right: right as f32,
        top: top as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_follow_the_text_as_read_and_normalised() {
        let b = |x: f32| CharBox {
            left: x,
            bottom: 0.0,
            right: x + 1.0,
            top: 1.0,
        };
        // (pdfium's character list, what FPDFText_GetText gave, the left edges expected)
        let cases: [(&[u16], &[u16], &[f32]); 5] = [
            // NULs after a 0x02, left out of the text (found by fuzzing).
            (&[0x61, 0x02, 0, 0, 0x62], &[0x61, 0x62], &[0.0, 4.0]),
            // "\r\n" is one line end (no box), a lone "\r" too.
            (
                &[0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x63],
                &[0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x63],
                &[0.0, 0.0, 3.0, 0.0, 5.0],
            ),
            // A surrogate pair is one character; an unpaired one becomes U+FFFD.
            (
                &[0xD83D, 0xDE00, 0xD800, 0x61],
                &[0xD83D, 0xDE00, 0xD800, 0x61],
                &[0.0, 2.0, 3.0],
            ),
            // BOM and NUL dropped, 0x02 kept (as a soft hyphen).
            (
                &[0xFEFF, 0x61, 0x02, 0x62],
                &[0xFEFF, 0x61, 0x02, 0x62],
                &[1.0, 2.0, 3.0],
            ),
            // A unit of the text that the list does not have gets an empty box.
            (&[0x61], &[0x61, 0x7A], &[0.0, 0.0]),
        ];
        for (listed, text, want) in cases {
            let listed: Vec<(u16, CharBox)> = listed
                .iter()
                .enumerate()
                .map(|(i, &u)| (u, b(i as f32)))
                .collect();
            let got = boxes_of_text(text, &listed);
            let chars = normalise_text(&String::from_utf16_lossy(text))
                .chars()
                .count();
            assert_eq!(got.len(), chars, "{text:x?}");
            let lefts: Vec<f32> = got.iter().map(|c| c.left).collect();
            assert_eq!(lefts, want, "{text:x?}");
        }
    }

    #[test]
    fn normalises_line_ends_and_drops_markers() {
        assert_eq!(normalise_text("a\r\nb\rc\u{2}d\0"), "a\nb\nc\u{ad}d");
        assert_eq!(normalise_text("no\u{fffe}\ntifions"), "no\u{ad}\ntifions");
        assert_eq!(joined_words("no\u{ad}\ntifions"), "notifions");
        assert_eq!(joined_words("Clermont-\nFerrand"), "Clermont-\nFerrand");
        assert_eq!(joined_words("Essômes\u{ad}sur-Marne"), "Essômes-sur-Marne");
    }

    #[test]
    fn recognises_pdf_header_and_text_names() {
        assert!(looks_like_pdf(b"%PDF-1.7\n..."));
        assert!(looks_like_pdf(b"\xef\xbb\xbf garbage %PDF-1.4"));
        assert!(!looks_like_pdf(b"PROCES-VERBAL"));
        assert!(is_text_name("jugement.TXT"));
        assert!(!is_text_name("procedure.pdf"));
    }

    #[test]
    fn library_is_looked_for_in_order() {
        let dirs = candidates_from(
            Some(Path::new("/opt/pdfium")),
            Some(Path::new("/usr/bin")),
            Path::new("/src/permanence"),
        );
        assert_eq!(
            dirs,
            [
                "/opt/pdfium",
                "/usr/bin",
                "/usr/bin/lib",
                "/usr/bin/../lib/permanence",
                "/src/permanence/vendor/pdfium/lib"
            ]
            .map(PathBuf::from)
        );
        let dirs = candidates_from(Some(Path::new("")), None, Path::new("/p"));
        assert_eq!(
            dirs,
            [PathBuf::from("/p/vendor/pdfium/lib")],
            "an empty variable is ignored"
        );

        let tmp = tempfile::tempdir().unwrap();
        let (empty, with_lib) = (tmp.path().join("vide"), tmp.path().join("avec"));
        std::fs::create_dir_all(&empty).unwrap();
        std::fs::create_dir_all(&with_lib).unwrap();
        std::fs::write(Pdfium::pdfium_platform_library_name_at_path(&with_lib), b"").unwrap();
        let (found, searched) = locate(&[empty.clone(), with_lib.clone()]);
        assert_eq!(
            found,
            Some(Pdfium::pdfium_platform_library_name_at_path(&with_lib))
        );
        assert!(searched.contains(&empty.display().to_string()));
        let (found, _) = locate(&[empty]);
        assert_eq!(found, None);
    }

    #[test]
    fn missing_library_message_says_how_to_install() {
        let e = PdfError::LibraryMissing {
            searched: " /opt/x, /usr/lib,".into(),
        };
        let message = e.to_string();
        assert!(
            message.contains("/opt/x") && message.contains("make setup"),
            "{message}"
        );
        assert!(message.contains("PDFIUM_DYNAMIC_LIB_PATH"));
        assert!(!e.is_bad_input());
    }

    #[test]
    fn text_file_is_one_page() {
        let doc = read_bytes(
            "decision.txt",
            "\u{feff}Le tribunal,\r\nstatuant publiquement".as_bytes(),
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(doc.kind, SourceKind::Txt);
        assert_eq!(doc.pages.len(), 1);
        assert_eq!(doc.pages[0].text, "Le tribunal,\nstatuant publiquement");
        assert!(!doc.pages[0].needs_ocr);
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = read_bytes("vide.pdf", b"", &mut |_, _| {}).unwrap_err();
        assert_eq!(e.code(), "pdf.empty");
        assert!(e.to_string().contains("vide.pdf"));
        let e = read_bytes("faux.pdf", b"PROCES-VERBAL n 12", &mut |_, _| {}).unwrap_err();
        assert_eq!(e.code(), "pdf.not_pdf");
        let e = read_bytes("latin1.txt", b"\xe9t\xe9", &mut |_, _| {}).unwrap_err();
        assert_eq!(e.code(), "pdf.not_utf8");
    }
}
