//! Reading PDFs in a child process under a watchdog.
//!
//! pdfium can spin for ever on a hostile file (form XObjects that draw each other: the work
//! doubles at each level) or take all the memory. A PDF is therefore read by a child process:
//! the program that enabled isolation (the `permanence` CLI, the desktop app) started again as
//! `PROGRAM --permanence-lecteur-pdf NAME`, the file's bytes on its standard input, the pages
//! read on its standard output (progress lines, then the document as JSON). The parent kills
//! the child when a page takes longer than [`STALL`] or the whole file longer than its budget,
//! and reports a crash of the child (a signal, an allocation past [`MEMORY_LIMIT`]) as a bad
//! file. Nothing is written to disk: the bytes go through a pipe.
//!
//! Isolation is off until a binary calls [`enable`] (library users and unit tests read in
//! process). A binary must call [`serve_if_asked`] first thing in `main`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::fr::quoted;
use crate::ocr::Recognised;
use crate::pdf::{self, Document, PdfError, ReadProgress, Reading};

/// The argument that turns a binary into the PDF reader.
pub const WORKER_ARG: &str = "--permanence-lecteur-pdf";

/// Longest time without a page read (opening the file counts as the first page).
pub const STALL: Duration = Duration::from_secs(6);

/// Budget for a whole file: a base plus a share per page and per page recognised.
const BUDGET_BASE: Duration = Duration::from_secs(20);
const BUDGET_PER_PAGE: Duration = Duration::from_millis(50);
const BUDGET_PER_OCR_PAGE: Duration = crate::ocr::PAGE_LIMIT;

/// How often the parent looks at the cancel flag while it waits for the child.
const POLL: Duration = Duration::from_millis(100);

/// Address space allowed to the child (Unix): a bomb ends in a failed allocation, not a swapping laptop.
pub const MEMORY_LIMIT: u64 = 4 << 30;

static PROGRAM: OnceLock<PathBuf> = OnceLock::new();

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(
        "la lecture du fichier {} a été interrompue après {seconds} s sans progrès : le fichier est piégé ou trop complexe",
        quoted(.file)
    )]
    Timeout { file: String, seconds: u64 },
    #[error(
        "le lecteur PDF s'est arrêté sur le fichier {} ({reason}) : le fichier est endommagé ou piégé",
        quoted(.file)
    )]
    Crashed { file: String, reason: String },
    #[error("le lecteur PDF n'a pas pu être lancé pour le fichier {} : {reason}", quoted(.file))]
    Spawn { file: String, reason: String },
    /// An error the child reported, as it worded it.
    #[error("{message}")]
    Reported {
        code: &'static str,
        message: String,
        bad_input: bool,
    },
}

impl WorkerError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkerError::Timeout { .. } => "pdf.timeout",
            WorkerError::Crashed { .. } => "pdf.crashed",
            WorkerError::Spawn { .. } => "pdf.worker",
            WorkerError::Reported { code, .. } => code,
        }
    }

    pub fn is_bad_input(&self) -> bool {
        match self {
            WorkerError::Spawn { .. } => false,
            WorkerError::Reported { bad_input, .. } => *bad_input,
            _ => true,
        }
    }
}

/// Makes this process read PDFs in children started from its own executable.
pub fn enable() {
    if let Ok(exe) = std::env::current_exe() {
        let _ = PROGRAM.set(exe);
    }
}

/// True once [`enable`] has been called.
pub fn enabled() -> bool {
    PROGRAM.get().is_some()
}

/// When this process was started as the PDF reader, serves one file and returns the exit code.
pub fn serve_if_asked() -> Option<std::process::ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(std::ffi::OsStr::new(WORKER_ARG)) {
        return None;
    }
    let name = args
        .next()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some(serve(&name))
}

/// What the child sends, one JSON value after another on its standard output.
#[derive(Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "lowercase")]
enum Message {
    Progress(ReadProgress),
    /// Is this page's recognition known? The parent answers with one [`Answer`] line.
    Lookup {
        key: String,
    },
    Done {
        document: Document,
    },
    Failed {
        code: String,
        message: String,
        bad_input: bool,
    },
}

/// The parent's answer to a [`Message::Lookup`], one JSON line on the child's standard input.
#[derive(Serialize, Deserialize)]
struct Answer {
    found: Option<Recognised>,
}

fn serve(name: &str) -> std::process::ExitCode {
    // Dies with its parent: a killed import leaves no reader behind.
    #[cfg(target_os = "linux")]
    // SAFETY: plain system call on this process.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
    }
    limit_memory();
    // The file: its length (8 bytes, little-endian), then its bytes; answers follow.
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut length = [0u8; 8];
    if input.read_exact(&mut length).is_err() {
        return std::process::ExitCode::from(3);
    }
    let mut bytes = Vec::new();
    let length = u64::from_le_bytes(length);
    if (&mut input).take(length).read_to_end(&mut bytes).is_err() || bytes.len() as u64 != length {
        return std::process::ExitCode::from(3);
    }
    let out = std::io::stdout();
    let send = |m: &Message| {
        let mut out = out.lock();
        serde_json::to_writer(&mut out, m).expect("stdout");
        out.write_all(b"\n").and_then(|()| out.flush()).ok();
    };
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut line = String::new();
    let result = pdf::read_pdf_here(
        name,
        &bytes,
        &mut Reading {
            progress: &mut |p| send(&Message::Progress(p)),
            known: &mut |key| {
                send(&Message::Lookup {
                    key: key.to_owned(),
                });
                line.clear();
                input.read_line(&mut line).ok()?;
                serde_json::from_str::<Answer>(&line).ok()?.found
            },
            cancel: &never,
            ocr: true,
        },
    );
    send(&match result {
        Ok(document) => Message::Done { document },
        Err(e) => Message::Failed {
            code: e.code().to_owned(),
            message: e.to_string(),
            bad_input: e.is_bad_input(),
        },
    });
    std::process::ExitCode::SUCCESS
}

#[cfg(unix)]
fn limit_memory() {
    let limit = libc::rlimit {
        rlim_cur: MEMORY_LIMIT as libc::rlim_t,
        rlim_max: MEMORY_LIMIT as libc::rlim_t,
    };
    // SAFETY: plain system call on this process.
    unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
}

#[cfg(not(unix))]
fn limit_memory() {}

/// Reads a PDF (bytes already checked to look like one): in a child process when isolation is
/// enabled, else here.
pub fn read_pdf(name: &str, bytes: &[u8], reading: &mut Reading) -> Result<Document, PdfError> {
    match PROGRAM.get() {
        Some(program) => read_in_child(program, name, bytes, reading),
        None => pdf::read_pdf_here(name, bytes, reading),
    }
}

fn read_in_child(
    program: &PathBuf,
    name: &str,
    bytes: &[u8],
    reading: &mut Reading,
) -> Result<Document, PdfError> {
    let file = name.to_owned();
    let mut child = Command::new(program)
        .arg(WORKER_ARG)
        .arg(name)
        // One thread per Tesseract: the reader runs one per core itself. On every OS; on Unix
        // each worker thread also turns OpenMP off (`ocr::single_threaded_openmp`), which is
        // what serves processes started without this variable.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| WorkerError::Spawn {
            file: file.clone(),
            reason: e.to_string(),
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel::<Option<Message>>();
    let (answers, answer_rx) = mpsc::channel::<Vec<u8>>();
    let outcome = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A child that stops reading (it crashed) makes this fail: the exit status says why.
            if stdin
                .write_all(&(bytes.len() as u64).to_le_bytes())
                .and_then(|()| stdin.write_all(bytes))
                .and_then(|()| stdin.flush())
                .is_err()
            {
                return;
            }
            // Then the answers to its lookups, until the parent is done with it.
            for answer in answer_rx {
                if stdin
                    .write_all(&answer)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    return;
                }
            }
        });
        scope.spawn(move || {
            // Messages are parsed straight from the pipe: the document (thousands of pages with
            // their character boxes) is never held twice, as text and as values.
            let messages =
                serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, stdout))
                    .into_iter::<Message>();
            for message in messages {
                let message = message.ok();
                let last = !matches!(
                    message,
                    Some(Message::Progress { .. } | Message::Lookup { .. })
                );
                if tx.send(message).is_err() || last {
                    return;
                }
            }
            let _ = tx.send(None);
        });
        let outcome = watch(&mut child, &rx, &answers, reading);
        drop(answers);
        // The child is killed before the writer is waited for: it may be blocked on a full pipe.
        let _ = child.kill();
        outcome
    });
    let status = child.wait();
    Err(match outcome {
        Watch::Message(Message::Done { document }) => return Ok(document),
        Watch::Message(Message::Failed {
            code,
            message,
            bad_input,
        }) => WorkerError::Reported {
            code: intern(&code),
            message,
            bad_input,
        }
        .into(),
        Watch::Cancelled => PdfError::Cancelled { file },
        Watch::TimedOut(seconds) => WorkerError::Timeout { file, seconds }.into(),
        Watch::Message(Message::Progress { .. } | Message::Lookup { .. }) | Watch::Ended => {
            WorkerError::Crashed {
                file,
                reason: describe(status),
            }
            .into()
        }
    })
}

enum Watch {
    Message(Message),
    TimedOut(u64),
    Cancelled,
    Ended,
}

/// Waits for the child's result, passing progress on and answering its lookups, within the
/// stall and total budgets; kills it when the reading is cancelled.
fn watch(
    child: &mut std::process::Child,
    rx: &mpsc::Receiver<Option<Message>>,
    answers: &mpsc::Sender<Vec<u8>>,
    reading: &mut Reading,
) -> Watch {
    let started = Instant::now();
    let mut budget = BUDGET_BASE;
    let mut last = Instant::now();
    loop {
        if reading.cancel.load(Ordering::Relaxed) {
            let _ = child.kill();
            return Watch::Cancelled;
        }
        let left = budget.saturating_sub(started.elapsed());
        let stall_left = STALL.saturating_sub(last.elapsed());
        if left.is_zero() || stall_left.is_zero() {
            let _ = child.kill();
            let seconds = started.elapsed().as_secs().max(1);
            tracing::warn!("PDF reader stopped after {seconds} s without progress");
            return Watch::TimedOut(seconds);
        }
        match rx.recv_timeout(POLL.min(left).min(stall_left)) {
            Ok(Some(Message::Progress(p))) => {
                last = Instant::now();
                budget = BUDGET_BASE
                    + BUDGET_PER_PAGE * p.pages_total
                    + BUDGET_PER_OCR_PAGE * p.ocr_total;
                (reading.progress)(p);
            }
            Ok(Some(Message::Lookup { key })) => {
                last = Instant::now();
                let mut line = serde_json::to_vec(&Answer {
                    found: (reading.known)(&key),
                })
                .expect("answer serialises");
                line.push(b'\n');
                let _ = answers.send(line);
            }
            Ok(Some(message)) => return Watch::Message(message),
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => return Watch::Ended,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
    }
}

fn describe(status: std::io::Result<std::process::ExitStatus>) -> String {
    let Ok(status) = status else {
        return "arrêt inexpliqué".to_owned();
    };
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return match signal {
                libc::SIGSEGV | libc::SIGBUS => "accès mémoire invalide".to_owned(),
                libc::SIGABRT => "mémoire épuisée ou erreur interne".to_owned(),
                libc::SIGKILL => "arrêté par le système".to_owned(),
                _ => format!("signal {signal}"),
            };
        }
    }
    match status.code() {
        Some(code) => format!("code de sortie {code}"),
        None => "arrêt inexpliqué".to_owned(),
    }
}

/// A code the child sent, as a `&'static str` (each distinct code is kept once).
fn intern(code: &str) -> &'static str {
    static CODES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut codes = CODES.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = codes.iter().find(|c| **c == code) {
        return known;
    }
    let code: &'static str = Box::leak(code.to_owned().into_boxed_str());
    codes.push(code);
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_interned_once() {
        let a = intern("pdf.corrupt");
        let b = intern(&String::from("pdf.corrupt"));
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn messages_round_trip() {
        let m = Message::Failed {
            code: "pdf.encrypted".into(),
            message: "le fichier « a.pdf » est protégé".into(),
            bad_input: true,
        };
        let line = serde_json::to_string(&m).unwrap();
        assert!(!line.contains('\n'));
        assert!(matches!(
            serde_json::from_str::<Message>(&line).unwrap(),
            Message::Failed {
                bad_input: true,
                ..
            }
        ));
    }

    #[test]
    fn timeouts_and_crashes_are_bad_input_in_french() {
        let e = WorkerError::Timeout {
            file: "piege.pdf".into(),
            seconds: 6,
        };
        assert_eq!(e.code(), "pdf.timeout");
        assert!(e.is_bad_input());
        assert!(e.to_string().contains("«\u{a0}piege.pdf\u{a0}»"), "{e}");
        let e = WorkerError::Spawn {
            file: "a.pdf".into(),
            reason: "x".into(),
        };
        assert!(!e.is_bad_input());
    }
}
