//! Shared helpers: running the CLI, locating fixtures, making scratch data directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use permanence::crypto::{self, KdfParams};
use permanence::{DataDir, Engine};

/// The passphrase of every test's data directory (key files made with the fast test KDF).
pub const PASSPHRASE: &str = "phrase de passe des tests";

/// Opens (creating it when new) the encrypted data directory `dir` as the CLI would.
pub fn open_engine(dir: &Path) -> Engine {
    Engine::unlock(DataDir::at(dir), PASSPHRASE, KdfParams::TEST)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The SQLCipher database of the data directory `dir`, keyed (to edit it behind the engine).
pub fn connect(dir: &Path) -> rusqlite::Connection {
    let keys = crypto::open_or_create(dir, PASSPHRASE, KdfParams::TEST).unwrap();
    permanence::store::connect(&DataDir::at(dir).database(), &keys).unwrap()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    let path = repo().join("fixtures").join(rel);
    assert!(
        path.exists(),
        "missing fixture {} (run `make fixtures`)",
        path.display()
    );
    path
}

/// The small, varied procedures used by most tests.
pub fn small_procedures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture("small"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "fixtures/small holds too few procedures");
    files
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        self
    }
}

pub fn permanence_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_permanence"));
    cmd.env_remove("PERMANENCE_DATA")
        .env_remove(crypto::NEW_PASSPHRASE_ENV)
        .env(crypto::PASSPHRASE_ENV, PASSPHRASE)
        .env(crypto::TEST_KDF_ENV, "fast");
    cmd
}

/// The outcome of a finished CLI run.
pub fn run(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Runs `permanence --data-dir DATA ARGS...`.
pub fn permanence(data: &Path, args: &[&str]) -> Run {
    run(permanence_cmd()
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap())
}

/// Runs `permanence ARGS...` with no data directory flag.
pub fn permanence_bare(args: &[&str]) -> Run {
    run(permanence_cmd().args(args).output().unwrap())
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    let mut k: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

pub fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Concatenates `pages` pages taken cyclically from `sources` into one PDF (with qpdf).
pub fn concatenated_pdf(sources: &[PathBuf], pages: usize, out: &Path) {
    let counts: Vec<usize> = sources.iter().map(|p| page_count(p)).collect();
    let mut args: Vec<String> = vec!["--empty".into(), "--pages".into()];
    let mut total = 0;
    'outer: loop {
        for (src, &n) in sources.iter().zip(&counts) {
            let take = n.min(pages - total);
            args.push(src.display().to_string());
            args.push(format!("1-{take}"));
            total += take;
            if total >= pages {
                break 'outer;
            }
        }
    }
    args.push("--".into());
    args.push(out.display().to_string());
    let status = Command::new("qpdf")
        .args(&args)
        .status()
        .expect("qpdf is installed by make setup");
    assert!(status.success() || status.code() == Some(3), "qpdf failed");
}

pub fn page_count(pdf: &Path) -> usize {
    let out = Command::new("qpdf")
        .arg("--show-npages")
        .arg(pdf)
        .output()
        .expect("qpdf");
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every file under `dir`, in sub-folders too (nothing when `dir` is absent).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            if e.path().is_dir() {
                files_under(&e.path())
            } else {
                vec![e.path()]
            }
        })
        .collect()
}

/// The offence families of a facts document (or of its label), sorted.
pub fn offence_families(facts: &serde_json::Value) -> Vec<String> {
    let mut f: Vec<String> = facts["offences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["family"].as_str().unwrap().to_owned())
        .collect();
    f.sort();
    f
}
