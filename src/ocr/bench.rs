//! The « OCR » section of `permanence bench`: pages per second of Permanence's recognition
//! (one single-threaded Tesseract per core, in memory) beside the `tesseract` command line on
//! the same rendered pages, one process at a time, in the same run; and the character error
//! rate of both against the known text of the scanned fixtures (`NAME.known.txt`).
//!
//! The pages are the scanned fixtures' (`fixtures/scanned/`, or the measurement set
//! `fixtures/generated/scanned/` made by `python3 fixtures/scans.py --measure`), written as PGM
//! files into a temporary folder for the command line, removed at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde::Serialize;

use super::{GrayImage, Pipeline, character_error_rate};
use crate::bench::BenchError;
use crate::error::Error;

/// One set of scanned files (clean or degraded) measured.
#[derive(Debug, Serialize)]
pub struct SetFigures {
    pub name: String,
    pub files: usize,
    pub pages: usize,
    /// Pages per second of Permanence (every core) and of one `tesseract` process, with
    /// OpenMP as installed and with `OMP_THREAD_LIMIT=1`.
    pub permanence_pages_per_s: f64,
    pub tesseract_pages_per_s: f64,
    pub tesseract_single_thread_pages_per_s: f64,
    /// Character error rate against the known text, whitespace runs as one space.
    pub permanence_cer: f64,
    pub tesseract_cer: f64,
}

#[derive(Debug, Serialize)]
pub struct OcrFigures {
    pub cores: usize,
    pub tesseract_version: String,
    pub sets: Vec<SetFigures>,
}

/// A scanned file's rendered pages and its known text, page by page.
struct Scan {
    images: Vec<GrayImage>,
    known: Vec<String>,
}

fn scans(dir: &Path, limit: usize) -> Result<Vec<Scan>, Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|_| BenchError::MissingProcedure(dir.to_owned()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut pages = 0;
    for file in files {
        if pages >= limit {
            break;
        }
        let known = std::fs::read_to_string(file.with_extension("known.txt")).unwrap_or_default();
        let bytes = crate::pdf::read_input(&file)?;
        let images: Vec<GrayImage> =
            crate::pdf::ocr_images(&crate::pdf::display_name(&file), &bytes)?
                .into_iter()
                .map(|(_, image)| image)
                .take(limit - pages)
                .collect();
        pages += images.len();
        let known: Vec<String> = known
            .split('\u{c}')
            .map(str::to_owned)
            .take(images.len())
            .collect();
        out.push(Scan { images, known });
    }
    Ok(out)
}

fn write_pgm(path: &Path, image: &GrayImage) -> std::io::Result<()> {
    let mut bytes = format!("P5\n{} {}\n255\n", image.width, image.height).into_bytes();
    bytes.extend_from_slice(&image.pixels);
    std::fs::write(path, bytes)
}

/// Runs `tesseract PAGE - -l fra` on each page, one process after the other; returns the pages
/// per second and the texts read.
fn command_line(pgms: &[PathBuf], single_thread: bool) -> Result<(f64, Vec<String>), Error> {
    let started = Instant::now();
    let mut texts = Vec::with_capacity(pgms.len());
    for pgm in pgms {
        let mut cmd = Command::new("tesseract");
        cmd.arg(pgm)
            .args(["-", "-l", super::LANGUAGE, "--dpi", "300"])
            .stdin(Stdio::null())
            .stderr(Stdio::null());
        if single_thread {
            cmd.env("OMP_THREAD_LIMIT", "1");
        } else {
            cmd.env_remove("OMP_THREAD_LIMIT");
        }
        let out = cmd
            .output()
            .map_err(|_| BenchError::MissingTool("tesseract".into()))?;
        if !out.status.success() {
            return Err(
                BenchError::Failed(format!("tesseract a échoué sur {}", pgm.display())).into(),
            );
        }
        texts.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    Ok((pgms.len() as f64 / started.elapsed().as_secs_f64(), texts))
}

fn set(name: &str, dir: &Path, limit: usize, tmp: &Path) -> Result<SetFigures, Error> {
    let scans = scans(dir, limit)?;
    let images: Vec<&GrayImage> = scans.iter().flat_map(|s| &s.images).collect();
    let known: Vec<&str> = scans
        .iter()
        .flat_map(|s| s.known.iter().map(String::as_str))
        .collect();
    if images.is_empty() {
        return Err(BenchError::MissingProcedure(dir.to_owned()).into());
    }
    // Permanence: every page through the pipeline, as an import does.
    let never = AtomicBool::new(false);
    let started = Instant::now();
    let mut pipeline = Pipeline::new(name, &never);
    for (i, image) in images.iter().enumerate() {
        pipeline
            .submit(i as u32 + 1, String::new(), (*image).clone(), &mut |_| {})
            .map_err(crate::pdf::PdfError::from)?;
    }
    let read = pipeline
        .finish(&mut |_| {})
        .map_err(crate::pdf::PdfError::from)?;
    let permanence_pages_per_s = images.len() as f64 / started.elapsed().as_secs_f64();
    let ours: Vec<String> = read.into_values().map(|r| r.text).collect();

    let pgms: Vec<PathBuf> = images
        .iter()
        .enumerate()
        .map(|(i, image)| {
            let path = tmp.join(format!("{name}-{i:04}.pgm"));
            write_pgm(&path, image).map(|()| path)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| BenchError::Failed(e.to_string()))?;
    let (tesseract_pages_per_s, theirs) = command_line(&pgms, false)?;
    let (tesseract_single_thread_pages_per_s, _) = command_line(&pgms, true)?;
    let cer = |texts: &[String]| {
        let read: Vec<&str> = texts.iter().map(String::as_str).collect();
        character_error_rate(
            &known.join("\n"),
            &read[..known.len().min(read.len())].join("\n"),
        )
    };
    Ok(SetFigures {
        name: name.to_owned(),
        files: scans.len(),
        pages: images.len(),
        permanence_pages_per_s,
        tesseract_pages_per_s,
        tesseract_single_thread_pages_per_s,
        permanence_cer: cer(&ours),
        tesseract_cer: cer(&theirs),
    })
}

/// Measures each set under `root` (`clean/`, `degraded/`), at most `limit` pages each.
pub fn run(root: &Path, limit: usize) -> Result<OcrFigures, Error> {
    let tmp = tempfile::tempdir().map_err(|e| BenchError::Failed(e.to_string()))?;
    let mut sets = Vec::new();
    for name in ["clean", "degraded"] {
        sets.push(set(name, &root.join(name), limit, tmp.path())?);
    }
    Ok(OcrFigures {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        tesseract_version: super::version(),
        sets,
    })
}

/// The figures as the Markdown table of docs/PERFORMANCE.md and docs/QUALITY.md.
pub fn markdown(f: &OcrFigures) -> String {
    let mut out = format!(
        "\n### Reconnaissance de caractères (Tesseract {}, {} cœurs, pages rendues à 300 dpi en gris)\n\n\
         | jeu | fichiers | pages | Permanence | `tesseract` (un processus) | rapport | `tesseract`, OMP_THREAD_LIMIT=1 | rapport | CER Permanence | CER `tesseract` |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        f.tesseract_version, f.cores
    );
    for s in &f.sets {
        out += &format!(
            "| {} | {} | {} | {:.2} pages/s | {:.2} pages/s | {:.2}× | {:.2} pages/s | **{:.2}×** | {:.2} % | {:.2} % |\n",
            s.name,
            s.files,
            s.pages,
            s.permanence_pages_per_s,
            s.tesseract_pages_per_s,
            s.permanence_pages_per_s / s.tesseract_pages_per_s,
            s.tesseract_single_thread_pages_per_s,
            s.permanence_pages_per_s / s.tesseract_single_thread_pages_per_s,
            s.permanence_cer * 100.0,
            s.tesseract_cer * 100.0,
        );
    }
    out += "\nCibles : débit ≥ 1,8× un processus `tesseract` — comparé au plus rapide des deux réglages, \
         `OMP_THREAD_LIMIT=1` (en gras) : sur deux cœurs, le réglage installé se ralentit lui-même ; \
         CER ≤ 2 % (propre), ≤ 5 % (dégradé).\n";
    out
}
