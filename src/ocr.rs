//! Optical character recognition of pages without a usable text layer.
//!
//! Tesseract is bound through its C API (`tesseract/capi.h`, a few functions declared below;
//! no bindgen). A page is rendered by pdfium in memory (`pdf::render_gray`, 300 dpi, one byte
//! of grey per pixel), recognised word by word, and becomes page text built from the words
//! (a space between words, a line end between lines), each word keeping its character offsets
//! in that text, its box (as fractions of the page, origin at the top left) and its confidence.
//!
//! Pages are recognised in parallel: one worker thread per core, each with its own
//! single-threaded Tesseract (`OMP_THREAD_LIMIT=1` is set for the reader child, and
//! each worker thread turns OpenMP off for itself in any process). Results are
//! keyed by the sha256 of the rendered pixels and of the engine's settings ([`cache_key`]): the
//! caller keeps them (the database's `ocr_cache`) and answers lookups, so that a page already
//! recognised is never recognised again. Nothing is written to disk here.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fr::quoted;
use crate::pdf::CharBox;

pub mod bench;

/// Resolution pages are rendered at for recognition.
pub const DPI: u32 = 300;

/// The language Tesseract reads (`fra.traineddata`).
pub const LANGUAGE: &str = "fra";

/// Longest recognition of one page; past it Tesseract stops with what it has read.
pub const PAGE_LIMIT: Duration = Duration::from_secs(60);

/// Settings that change a recognition's result: part of every cache key.
const SETTINGS: &str = "tesseract fra oem=lstm psm=auto dpi=300 grey v1";

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error(
        "la reconnaissance de caractères ne peut pas démarrer : les données du français de Tesseract \
         (fra.traineddata) sont introuvables{searched} ; installez le paquet tesseract-ocr-fra ou \
         indiquez leur dossier dans la variable d'environnement TESSDATA_PREFIX"
    )]
    LanguageMissing { searched: String },
    #[error(
        "la page {page} du fichier {} n'a pas pu être rendue pour la reconnaissance de caractères ({reason})",
        quoted(.file)
    )]
    Render {
        file: String,
        page: u32,
        reason: String,
    },
    #[error(
        "la reconnaissance de caractères a échoué sur la page {page} du fichier {} ({reason})",
        quoted(.file)
    )]
    Failed {
        file: String,
        page: u32,
        reason: String,
    },
}

impl OcrError {
    pub fn code(&self) -> &'static str {
        match self {
            OcrError::LanguageMissing { .. } => "ocr.language_missing",
            OcrError::Render { .. } => "ocr.render",
            OcrError::Failed { .. } => "ocr.failed",
        }
    }

    /// True when the error comes from the input file, not from the installation.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, OcrError::LanguageMissing { .. })
    }
}

/// A page rendered for recognition: one byte of grey per pixel, rows of `width` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// One recognised word: offsets in the page text (Unicode scalar values, end exclusive), its
/// box as fractions of the page (origin at the top left) and Tesseract's confidence (0–100).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub start: u32,
    pub end: u32,
    pub confidence: f32,
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// What recognition left beside a page's text: its cache key, its words and the mean
/// confidence of its characters (0–100).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcrLayer {
    pub key: String,
    pub confidence: f32,
    pub words: Vec<Word>,
}

impl OcrLayer {
    /// The mean confidence (0–100, rounded) of the words that overlap `start..end`, or of the
    /// nearest word when the span falls between words; `None` on a page without words.
    pub fn confidence_of(&self, start: usize, end: usize) -> Option<u8> {
        let (start, end) = (start as u32, (end as u32).max(start as u32 + 1));
        let (sum, n) = self
            .words
            .iter()
            .filter(|w| w.start < end && start < w.end)
            .fold((0.0f32, 0u32), |(s, n), w| (s + w.confidence, n + 1));
        let mean = if n > 0 {
            sum / n as f32
        } else {
            self.words
                .iter()
                .min_by_key(|w| w.start.abs_diff(start))?
                .confidence
        };
        Some(mean.round().clamp(0.0, 100.0) as u8)
    }

    /// A box per character of `start..end`, in PDF points (origin at the bottom left) of a
    /// page `width` × `height`: the box of the word it belongs to, an empty box between words
    /// (as `pdf::char_boxes` gives for a page with a text layer).
    pub fn char_boxes(&self, start: usize, end: usize, width: f32, height: f32) -> Vec<CharBox> {
        let empty = CharBox {
            left: 0.0,
            bottom: 0.0,
            right: 0.0,
            top: 0.0,
        };
        (start as u32..end as u32)
            .map(|i| {
                let at = self.words.partition_point(|w| w.end <= i);
                match self.words.get(at).filter(|w| w.start <= i) {
                    Some(w) => CharBox {
                        left: w.left * width,
                        right: w.right * width,
                        top: (1.0 - w.top) * height,
                        bottom: (1.0 - w.bottom) * height,
                    },
                    None => empty,
                }
            })
            .collect()
    }
}

/// A recognised page: its text and its layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recognised {
    pub text: String,
    pub layer: OcrLayer,
}

/// The cache key of a rendered page: sha256 of the engine's settings, Tesseract's version, the
/// image's size and its pixels, as lower-case hex.
pub fn cache_key(image: &GrayImage) -> String {
    let mut hash = Sha256::new();
    hash.update(SETTINGS.as_bytes());
    hash.update(version().as_bytes());
    hash.update(image.width.to_le_bytes());
    hash.update(image.height.to_le_bytes());
    hash.update(&image.pixels);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Tesseract's version, as the library says.
pub fn version() -> String {
    // SAFETY: returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::TessVersion()) }
        .to_string_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// The C API

#[allow(non_camel_case_types)]
mod ffi {
    use std::ffi::{c_char, c_float, c_int, c_uchar, c_void};

    #[repr(C)]
    pub struct TessBaseAPI {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct TessResultIterator {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct TessPageIterator {
        _private: [u8; 0],
    }
    #[repr(C)]
    pub struct ETEXT_DESC {
        _private: [u8; 0],
    }

    pub type TessCancelFunc = extern "C" fn(cancel_this: *mut c_void, words: c_int) -> bool;

    pub const PSM_AUTO: c_int = 3;
    pub const RIL_TEXTLINE: c_int = 2;
    pub const RIL_WORD: c_int = 3;

    #[link(name = "tesseract")]
    unsafe extern "C" {
        pub fn TessVersion() -> *const c_char;
        pub fn TessDeleteText(text: *const c_char);
        pub fn TessBaseAPICreate() -> *mut TessBaseAPI;
        pub fn TessBaseAPIDelete(handle: *mut TessBaseAPI);
        pub fn TessBaseAPIInit3(
            handle: *mut TessBaseAPI,
            datapath: *const c_char,
            language: *const c_char,
        ) -> c_int;
        pub fn TessBaseAPISetVariable(
            handle: *mut TessBaseAPI,
            name: *const c_char,
            value: *const c_char,
        ) -> c_int;
        pub fn TessBaseAPISetPageSegMode(handle: *mut TessBaseAPI, mode: c_int);
        pub fn TessBaseAPISetImage(
            handle: *mut TessBaseAPI,
            imagedata: *const c_uchar,
            width: c_int,
            height: c_int,
            bytes_per_pixel: c_int,
            bytes_per_line: c_int,
        );
        pub fn TessBaseAPISetSourceResolution(handle: *mut TessBaseAPI, ppi: c_int);
        pub fn TessBaseAPIRecognize(handle: *mut TessBaseAPI, monitor: *mut ETEXT_DESC) -> c_int;
        pub fn TessBaseAPIGetIterator(handle: *mut TessBaseAPI) -> *mut TessResultIterator;
        pub fn TessBaseAPIClear(handle: *mut TessBaseAPI);
        pub fn TessResultIteratorDelete(handle: *mut TessResultIterator);
        pub fn TessResultIteratorNext(handle: *mut TessResultIterator, level: c_int) -> c_int;
        pub fn TessResultIteratorGetUTF8Text(
            handle: *const TessResultIterator,
            level: c_int,
        ) -> *mut c_char;
        pub fn TessResultIteratorConfidence(
            handle: *const TessResultIterator,
            level: c_int,
        ) -> c_float;
        pub fn TessResultIteratorGetPageIteratorConst(
            handle: *const TessResultIterator,
        ) -> *const TessPageIterator;
        pub fn TessPageIteratorIsAtBeginningOf(
            handle: *const TessPageIterator,
            level: c_int,
        ) -> c_int;
        pub fn TessPageIteratorBoundingBox(
            handle: *const TessPageIterator,
            level: c_int,
            left: *mut c_int,
            top: *mut c_int,
            right: *mut c_int,
            bottom: *mut c_int,
        ) -> c_int;
        pub fn TessMonitorCreate() -> *mut ETEXT_DESC;
        pub fn TessMonitorDelete(monitor: *mut ETEXT_DESC);
        pub fn TessMonitorSetCancelFunc(monitor: *mut ETEXT_DESC, func: TessCancelFunc);
        pub fn TessMonitorSetCancelThis(monitor: *mut ETEXT_DESC, this: *mut c_void);
        pub fn TessMonitorSetDeadlineMSecs(monitor: *mut ETEXT_DESC, deadline: c_int);
    }
}

/// One Tesseract instance (not shared between threads), deleted on drop.
struct Tesseract(*mut ffi::TessBaseAPI);

impl Drop for Tesseract {
    fn drop(&mut self) {
        // SAFETY: created by TessBaseAPICreate, deleted once.
        unsafe { ffi::TessBaseAPIDelete(self.0) }
    }
}

/// Where `fra.traineddata` is looked for, in order: `$TESSDATA_PREFIX`, `tessdata/` beside the
/// executable (the Windows bundle), then Tesseract's own default (Debian's package).
fn tessdata_candidates() -> Vec<Option<std::path::PathBuf>> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("TESSDATA_PREFIX").filter(|d| !d.is_empty()) {
        dirs.push(Some(dir.into()));
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|p| p.join("tessdata")))
        && exe_dir.join(format!("{LANGUAGE}.traineddata")).is_file()
    {
        dirs.push(Some(exe_dir));
    }
    dirs.push(None);
    dirs
}

impl Tesseract {
    fn new() -> Result<Tesseract, OcrError> {
        let language = CString::new(LANGUAGE).expect("no NUL");
        let mut searched = String::new();
        for dir in tessdata_candidates() {
            // SAFETY: plain constructor; the handle is owned by the returned value.
            let api = Tesseract(unsafe { ffi::TessBaseAPICreate() });
            let path = dir
                .as_ref()
                .map(|d| CString::new(d.to_string_lossy().as_bytes()).unwrap_or_default());
            let path_ptr = path.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
            // SAFETY: valid handle, NUL-terminated strings that outlive the call.
            if unsafe { ffi::TessBaseAPIInit3(api.0, path_ptr, language.as_ptr()) } == 0 {
                api.set("debug_file", "/dev/null");
                // SAFETY: valid handle.
                unsafe { ffi::TessBaseAPISetPageSegMode(api.0, ffi::PSM_AUTO) };
                return Ok(api);
            }
            searched.push_str(&match &dir {
                Some(d) => format!(" {},", d.display()),
                None => " le dossier par défaut de Tesseract,".to_owned(),
            });
        }
        searched.pop();
        Err(OcrError::LanguageMissing {
            searched: format!(" (cherchées dans{searched})"),
        })
    }

    fn set(&self, name: &str, value: &str) {
        let (name, value) = (
            CString::new(name).expect("no NUL"),
            CString::new(value).expect("no NUL"),
        );
        // SAFETY: valid handle and strings.
        unsafe { ffi::TessBaseAPISetVariable(self.0, name.as_ptr(), value.as_ptr()) };
    }

    /// Recognises `image`, stopping early (with what was read) when `cancel` is set or after
    /// [`PAGE_LIMIT`].
    fn recognise(&self, image: &GrayImage, cancel: &AtomicBool) -> Result<Recognised, String> {
        if image.width == 0 || image.height == 0 {
            return Err("image vide".into());
        }
        extern "C" fn cancelled(this: *mut c_void, _words: c_int) -> bool {
            // SAFETY: `this` is the `&AtomicBool` given below, alive during Recognize.
            unsafe { (*(this as *const AtomicBool)).load(Ordering::Relaxed) }
        }
        // SAFETY: the pixels outlive the recognition (Clear below drops Tesseract's reference);
        // the monitor is deleted after the call that uses it.
        unsafe {
            ffi::TessBaseAPISetImage(
                self.0,
                image.pixels.as_ptr(),
                image.width as c_int,
                image.height as c_int,
                1,
                image.width as c_int,
            );
            ffi::TessBaseAPISetSourceResolution(self.0, DPI as c_int);
            let monitor = ffi::TessMonitorCreate();
            ffi::TessMonitorSetCancelFunc(monitor, cancelled);
            ffi::TessMonitorSetCancelThis(monitor, cancel as *const AtomicBool as *mut c_void);
            ffi::TessMonitorSetDeadlineMSecs(monitor, PAGE_LIMIT.as_millis() as c_int);
            let status = ffi::TessBaseAPIRecognize(self.0, monitor);
            ffi::TessMonitorDelete(monitor);
            let result = if status != 0 && !cancel.load(Ordering::Relaxed) {
                Err(format!("code Tesseract {status}"))
            } else {
                Ok(self.words(image))
            };
            ffi::TessBaseAPIClear(self.0);
            result
        }
    }

    /// The words recognised, as page text and layer (the key is filled by the caller).
    fn words(&self, image: &GrayImage) -> Recognised {
        let mut text = String::new();
        let mut chars = 0u32;
        let mut words = Vec::new();
        let (mut weighted, mut weight) = (0.0f64, 0u64);
        let (w, h) = (image.width as f32, image.height as f32);
        // SAFETY: the iterator belongs to this handle and is deleted before it is cleared;
        // strings returned by Tesseract are freed with TessDeleteText.
        unsafe {
            let it = ffi::TessBaseAPIGetIterator(self.0);
            if it.is_null() {
                return Recognised {
                    text,
                    layer: OcrLayer {
                        key: String::new(),
                        confidence: 0.0,
                        words,
                    },
                };
            }
            loop {
                let raw = ffi::TessResultIteratorGetUTF8Text(it, ffi::RIL_WORD);
                if !raw.is_null() {
                    let word = clean_word(&CStr::from_ptr(raw as *const c_char).to_string_lossy());
                    ffi::TessDeleteText(raw);
                    if !word.is_empty() {
                        let page_it = ffi::TessResultIteratorGetPageIteratorConst(it);
                        if !text.is_empty() {
                            let new_line =
                                ffi::TessPageIteratorIsAtBeginningOf(page_it, ffi::RIL_TEXTLINE)
                                    != 0;
                            text.push(if new_line { '\n' } else { ' ' });
                            chars += 1;
                        }
                        let (mut l, mut t, mut r, mut b) = (0, 0, 0, 0);
                        ffi::TessPageIteratorBoundingBox(
                            page_it,
                            ffi::RIL_WORD,
                            &mut l,
                            &mut t,
                            &mut r,
                            &mut b,
                        );
                        let confidence =
                            ffi::TessResultIteratorConfidence(it, ffi::RIL_WORD).clamp(0.0, 100.0);
                        let n = word.chars().count() as u32;
                        words.push(Word {
                            start: chars,
                            end: chars + n,
                            confidence,
                            left: l as f32 / w,
                            top: t as f32 / h,
                            right: r as f32 / w,
                            bottom: b as f32 / h,
                        });
                        weighted += confidence as f64 * n as f64;
                        weight += n as u64;
                        text.push_str(&word);
                        chars += n;
                    }
                }
                if ffi::TessResultIteratorNext(it, ffi::RIL_WORD) == 0 {
                    break;
                }
            }
            ffi::TessResultIteratorDelete(it);
        }
        let confidence = if weight > 0 {
            (weighted / weight as f64) as f32
        } else {
            0.0
        };
        Recognised {
            text,
            layer: OcrLayer {
                key: String::new(),
                confidence,
                words,
            },
        }
    }
}

/// A word as Tesseract spelt it, with typographic ligatures undone and no stray whitespace.
fn clean_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match c {
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬀ' => out.push_str("ff"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            c if c.is_whitespace() || c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Recognises one image on the calling thread (a new Tesseract each call: for tests and the
/// benchmark; imports go through [`Pipeline`]).
pub fn recognise_image(image: &GrayImage) -> Result<Recognised, OcrError> {
    let api = Tesseract::new()?;
    let mut out = api
        .recognise(image, &AtomicBool::new(false))
        .map_err(|reason| OcrError::Failed {
            file: String::new(),
            page: 0,
            reason,
        })?;
    out.layer.key = cache_key(image);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Parallel recognition

struct Job {
    page: u32,
    key: String,
    image: GrayImage,
}

type Outcome = (u32, Result<Recognised, OcrError>);

/// Pages recognised in parallel while the caller goes on reading: [`Pipeline::submit`] hands a
/// rendered page over (waiting while every worker is busy), [`Pipeline::finish`] waits for the
/// rest. Both call `tick` about every half second while they wait, so that the caller can
/// report progress (and the reader child show the watchdog it is alive).
pub struct Pipeline<'a> {
    file: String,
    workers: usize,
    jobs: Option<SyncSender<Job>>,
    job_rx: Arc<Mutex<Receiver<Job>>>,
    results_tx: mpsc::Sender<Outcome>,
    results: Receiver<Outcome>,
    threads: Vec<std::thread::JoinHandle<()>>,
    /// When each worker started its current page.
    busy: Arc<Mutex<Vec<Option<Instant>>>>,
    cancel: &'a AtomicBool,
    stop: Arc<AtomicBool>,
    submitted: u32,
    done: BTreeMap<u32, Recognised>,
    failed: Option<OcrError>,
}

/// How long a wait lasts between two ticks.
const TICK: Duration = Duration::from_millis(500);

impl<'a> Pipeline<'a> {
    /// A pipeline for the pages of `file` with one worker per core (threads start with the
    /// first page submitted).
    pub fn new(file: &str, cancel: &'a AtomicBool) -> Pipeline<'a> {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        Pipeline::with_workers(file, workers, cancel)
    }

    pub fn with_workers(file: &str, workers: usize, cancel: &'a AtomicBool) -> Pipeline<'a> {
        let (jobs, job_rx) = mpsc::sync_channel(workers.max(1));
        let (results_tx, results) = mpsc::channel();
        Pipeline {
            file: file.to_owned(),
            workers: workers.max(1),
            jobs: Some(jobs),
            job_rx: Arc::new(Mutex::new(job_rx)),
            results_tx,
            results,
            threads: Vec::new(),
            busy: Arc::new(Mutex::new(vec![None; workers.max(1)])),
            cancel,
            stop: Arc::new(AtomicBool::new(false)),
            submitted: 0,
            done: BTreeMap::new(),
            failed: None,
        }
    }

    /// Pages handed over so far.
    pub fn submitted(&self) -> u32 {
        self.submitted
    }

    /// Pages recognised so far.
    pub fn recognised(&self) -> u32 {
        self.done.len() as u32
    }

    /// A page already known (from the cache): counted as recognised.
    pub fn known(&mut self, page: u32, recognised: Recognised) {
        self.submitted += 1;
        self.done.insert(page, recognised);
    }

    /// True while a worker is on a page and within its time limit: the reader is alive.
    pub fn working(&self) -> bool {
        let busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        busy.iter()
            .flatten()
            .any(|since| since.elapsed() < PAGE_LIMIT + Duration::from_secs(5))
    }

    fn start_workers(&mut self) {
        while self.threads.len() < self.workers {
            let index = self.threads.len();
            let (jobs, results, busy, stop) = (
                self.job_rx.clone(),
                self.results_tx.clone(),
                self.busy.clone(),
                self.stop.clone(),
            );
            let file = self.file.clone();
            self.threads.push(std::thread::spawn(move || {
                worker(index, &file, &jobs, &results, &busy, &stop)
            }));
        }
    }

    /// Hands a rendered page over, waiting (and ticking) while every worker is busy.
    pub fn submit(
        &mut self,
        page: u32,
        key: String,
        image: GrayImage,
        tick: &mut dyn FnMut(&Pipeline),
    ) -> Result<(), OcrError> {
        self.start_workers();
        self.submitted += 1;
        let mut job = Job { page, key, image };
        loop {
            self.collect(Duration::ZERO);
            if let Some(e) = self.failed.take() {
                return Err(e);
            }
            let sender = self.jobs.as_ref().expect("open until finish");
            match sender.try_send(job) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Full(back)) => {
                    job = back;
                    self.collect(TICK);
                    tick(self);
                }
                Err(TrySendError::Disconnected(_)) => {
                    return Err(OcrError::Failed {
                        file: self.file.clone(),
                        page,
                        reason: "les processus de reconnaissance se sont arrêtés".into(),
                    });
                }
            }
        }
    }

    /// Takes the results that arrive within `wait`.
    fn collect(&mut self, wait: Duration) {
        let first = if wait.is_zero() {
            self.results.try_recv().ok()
        } else {
            self.results.recv_timeout(wait).ok()
        };
        for (page, outcome) in first
            .into_iter()
            .chain(std::iter::from_fn(|| self.results.try_recv().ok()))
        {
            match outcome {
                Ok(r) => {
                    self.done.insert(page, r);
                }
                Err(e) => {
                    self.stop.store(true, Ordering::Relaxed);
                    self.failed.get_or_insert(e);
                }
            }
        }
    }

    /// Waits for every page handed over; returns them by page number.
    pub fn finish(
        mut self,
        tick: &mut dyn FnMut(&Pipeline),
    ) -> Result<BTreeMap<u32, Recognised>, OcrError> {
        self.jobs = None;
        while (self.done.len() as u32) < self.submitted && self.failed.is_none() {
            if self.cancel.load(Ordering::Relaxed) {
                break;
            }
            let before = self.done.len();
            self.collect(TICK);
            if self.done.len() == before && self.threads.iter().all(|t| t.is_finished()) {
                self.collect(Duration::ZERO);
                break;
            }
            tick(&self);
        }
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        Ok(std::mem::take(&mut self.done))
    }
}

impl Drop for Pipeline<'_> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

/// Tesseract's own OpenMP parallelism off for the calling thread (its parallel regions run on
/// that thread alone): with one Tesseract per core, its teams of threads would only fight over
/// the cores (measured here: a page takes five times longer). `OMP_THREAD_LIMIT=1` does it for
/// a whole process but is read when OpenMP loads, before `main`: the reader child gets it, and
/// every worker thread calls this for the processes started without it (the benchmark, a
/// library user). libgomp keeps `max-active-levels` per thread, hence the call on each worker.
/// Looked up at run time: a Tesseract built without OpenMP has nothing to turn off.
fn single_threaded_openmp() {
    #[cfg(unix)]
    {
        type SetLevels = extern "C" fn(c_int);
        static SET: std::sync::OnceLock<Option<SetLevels>> = std::sync::OnceLock::new();
        let set = SET.get_or_init(|| {
            // SAFETY: dlsym with a NUL-terminated name; the symbol, when present, is libgomp's
            // `void omp_set_max_active_levels(int)`.
            unsafe {
                let symbol = libc::dlsym(libc::RTLD_DEFAULT, c"omp_set_max_active_levels".as_ptr());
                (!symbol.is_null()).then(|| std::mem::transmute::<*mut c_void, SetLevels>(symbol))
            }
        });
        if let Some(set) = set {
            set(0);
        }
    }
}

fn worker(
    index: usize,
    file: &str,
    jobs: &Mutex<Receiver<Job>>,
    results: &mpsc::Sender<Outcome>,
    busy: &Mutex<Vec<Option<Instant>>>,
    stop: &AtomicBool,
) {
    single_threaded_openmp();
    let mut api: Option<Tesseract> = None;
    loop {
        let job = {
            let rx = jobs.lock().unwrap_or_else(|p| p.into_inner());
            rx.recv()
        };
        let Ok(job) = job else { return };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        set_busy(busy, index, Some(Instant::now()));
        let outcome = match &api {
            Some(_) => Ok(()),
            None => Tesseract::new().map(|t| api = Some(t)),
        }
        .and_then(|()| {
            let api = api.as_ref().expect("initialised above");
            api.recognise(&job.image, stop)
                .map_err(|reason| OcrError::Failed {
                    file: file.to_owned(),
                    page: job.page,
                    reason,
                })
        })
        .map(|mut r| {
            r.layer.key = job.key;
            r
        });
        set_busy(busy, index, None);
        if results.send((job.page, outcome)).is_err() {
            return;
        }
    }
}

fn set_busy(busy: &Mutex<Vec<Option<Instant>>>, index: usize, value: Option<Instant>) {
    busy.lock().unwrap_or_else(|p| p.into_inner())[index] = value;
}

/// Character error rate of `read` against `known`: the edit distance between the two texts,
/// whitespace runs read as one space, over the known text's length.
pub fn character_error_rate(known: &str, read: &str) -> f64 {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (known, read) = (squeeze(known), squeeze(read));
    let n = known.chars().count().max(1);
    strsim::levenshtein(&known, &read) as f64 / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(words: &[(u32, u32, f32)]) -> OcrLayer {
        OcrLayer {
            key: String::new(),
            confidence: 0.0,
            words: words
                .iter()
                .map(|&(start, end, confidence)| Word {
                    start,
                    end,
                    confidence,
                    left: 0.1,
                    top: 0.2,
                    right: 0.3,
                    bottom: 0.25,
                })
                .collect(),
        }
    }

    #[test]
    fn confidence_of_a_span_is_the_mean_of_its_words() {
        let l = layer(&[(0, 4, 90.0), (5, 9, 70.0), (10, 12, 40.0)]);
        let check = |start, end, expect: Option<u8>| {
            assert_eq!(l.confidence_of(start, end), expect, "{start}..{end}")
        };
        check(0, 4, Some(90));
        check(2, 7, Some(80));
        check(0, 12, Some(67));
        check(9, 10, Some(40)); // the space between two words: the nearest word
        assert_eq!(layer(&[]).confidence_of(0, 3), None);
    }

    #[test]
    fn char_boxes_are_their_words_in_points() {
        let l = layer(&[(0, 4, 90.0), (5, 9, 70.0)]);
        let boxes = l.char_boxes(3, 6, 600.0, 800.0);
        assert_eq!(boxes.len(), 3);
        let word = CharBox {
            left: 60.0,
            bottom: 600.0,
            right: 180.0,
            top: 640.0,
        };
        for (got, want) in boxes.iter().zip([word, boxes[1], word]) {
            for (g, w) in [
                (got.left, want.left),
                (got.bottom, want.bottom),
                (got.right, want.right),
                (got.top, want.top),
            ] {
                assert!((g - w).abs() < 0.01, "{got:?} {want:?}");
            }
        }
        assert_eq!(
            boxes[1].right, 0.0,
            "the space between two words has no box"
        );
    }

    #[test]
    fn ligatures_and_stray_spaces_leave_words() {
        for (raw, expect) in [
            ("ﬁxé", "fixé"),
            ("ofﬁcier", "officier"),
            (" a\u{200b}\n", "a\u{200b}"),
        ] {
            assert_eq!(clean_word(raw), expect);
        }
    }

    #[test]
    fn error_rate_counts_edits_over_known_length() {
        assert_eq!(character_error_rate("abcd", "abcd"), 0.0);
        assert_eq!(character_error_rate("a  b\ncd", "a b cd"), 0.0);
        assert_eq!(character_error_rate("abcd", "abxd"), 0.25);
    }

    /// A synthetic page: black bars of text-like glyphs are not needed to check the binding;
    /// a blank page must give no word and a key that depends on every pixel.
    #[test]
    fn blank_page_has_no_word_and_keys_follow_pixels() {
        let blank = GrayImage {
            width: 200,
            height: 100,
            pixels: vec![255; 200 * 100],
        };
        let read = recognise_image(&blank).expect("tesseract with fra installed");
        assert!(
            read.text.is_empty() && read.layer.words.is_empty(),
            "{read:?}"
        );
        let mut other = blank.clone();
        other.pixels[7] = 0;
        assert_ne!(cache_key(&blank), cache_key(&other));
        assert_eq!(cache_key(&blank), read.layer.key);
    }
}
