//! SIGKILL at random points of import, correction, decision and export, at least 200 times.
//! After each kill the store is opened again (recovery) and must be whole: `integrity_check` ok,
//! the index agreeing with the database page for page, every correction and decision whose
//! command had returned success still there (and vouched for by the journal), no temporary file
//! in the data directory, and every draft in the output folder a whole DOCX (or absent), with
//! nothing else beside it.
//!
//! The delays are spread over each operation's measured duration (from the process start to a
//! little past its end). `PERMANENCE_CRASH_KILLS` changes the number of kills, and
//! `PERMANENCE_CRASH_SEED` the random sequence (printed on failure).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use permanence::crypto::KdfParams;
use permanence::{DataDir, Engine};

use crate::draft::KINDS;
use crate::support::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Import,
    Correct,
    Decide,
    Draft,
}

const OPS: [Op; 4] = [Op::Import, Op::Correct, Op::Decide, Op::Draft];

/// xorshift64*: reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Distinct copies of the small procedures: the same pages, another sha256 (a comment after
/// `%%EOF`), so that every import stores something new.
fn variants(dir: &Path, count: usize) -> Vec<PathBuf> {
    let sources = small_procedures();
    (0..count)
        .map(|i| {
            let mut bytes = std::fs::read(&sources[i % sources.len()]).unwrap();
            bytes.extend_from_slice(format!("\n% variante {i}\n").as_bytes());
            let file = dir.join(format!("pv-{i:03}.pdf"));
            std::fs::write(&file, bytes).unwrap();
            file
        })
        .collect()
}

/// A temporary file name as tempfile, Tantivy or the engine write them.
fn is_temporary(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.starts_with(".tmp") || name.ends_with(".tmp") || name.starts_with(".permanence-")
}

/// A whole DOCX: a readable zip with its main part.
fn is_whole_docx(path: &Path) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let mut ok = true;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        ok &= std::io::copy(&mut f, &mut std::io::sink()).is_ok();
    }
    ok && zip.by_name("word/document.xml").is_ok()
}

struct World {
    data: PathBuf,
    out: PathBuf,
    files: Vec<PathBuf>,
    next_file: usize,
    dossiers: Vec<i64>,
    corrections: BTreeSet<i64>,
    decisions: BTreeSet<i64>,
    drafts: usize,
}

impl World {
    fn args(&mut self, op: Op, rng: &mut Rng) -> Vec<String> {
        let pick = |rng: &mut Rng, ds: &[i64]| ds[rng.below(ds.len())].to_string();
        match op {
            Op::Import => {
                let file = &self.files[self.next_file % self.files.len()];
                vec!["import".into(), s(file).into(), "--json".into()]
            }
            Op::Correct => {
                let d = pick(rng, &self.dossiers);
                let value = format!("Melun-{}", rng.below(1000));
                ["correct", &d, "/facts/commune", &value, "--json"]
                    .map(String::from)
                    .to_vec()
            }
            Op::Decide => {
                let d = pick(rng, &self.dossiers);
                ["decide", &d, "--accept", "--json"]
                    .map(String::from)
                    .to_vec()
            }
            Op::Draft => {
                let d = pick(rng, &self.dossiers);
                let kind = KINDS[rng.below(KINDS.len())];
                self.drafts += 1;
                let out = self
                    .out
                    .join(format!("acte-{:03}-{kind}.docx", self.drafts));
                ["draft", &d, "--kind", kind, "--out", s(&out), "--json"]
                    .map(String::from)
                    .to_vec()
            }
        }
    }

    /// Notes what a command that returned success wrote.
    fn completed(&mut self, op: Op, stdout: &str) {
        let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
        match op {
            Op::Import => self.next_file += 1,
            Op::Correct => {
                self.corrections.insert(json["id"].as_i64().unwrap());
            }
            Op::Decide => {
                self.decisions
                    .insert(json["decision"]["id"].as_i64().unwrap());
            }
            Op::Draft => {}
        }
    }

    /// Opens the store again (recovery) and checks everything; returns the dossiers.
    fn check(&mut self, round: usize) {
        let mut engine = Engine::unlock(DataDir::at(&self.data), PASSPHRASE, KdfParams::TEST)
            .unwrap_or_else(|e| panic!("round {round}: reopening failed: {e}"));
        let c = engine.consistency().unwrap();
        assert!(c.is_ok(), "round {round}: {c:?}");
        let v = engine.verify_journal().unwrap();
        assert!(v.broken.is_none(), "round {round}: journal {v:?}");
        let dossiers: Vec<i64> = engine.list().unwrap().iter().map(|d| d.id).collect();
        let (mut decisions, mut corrections) = (BTreeSet::new(), BTreeSet::new());
        for &d in &dossiers {
            decisions.extend(engine.decisions(d).unwrap().iter().map(|r| r.id));
            corrections.extend(
                engine
                    .dossier_facts(d)
                    .unwrap()
                    .corrections
                    .iter()
                    .map(|c| c.id),
            );
        }
        let lost: Vec<_> = self.decisions.difference(&decisions).collect();
        assert!(lost.is_empty(), "round {round}: decisions lost {lost:?}");
        let lost: Vec<_> = self.corrections.difference(&corrections).collect();
        assert!(lost.is_empty(), "round {round}: corrections lost {lost:?}");
        drop(engine);
        let temporary: Vec<_> = files_under(&self.data)
            .into_iter()
            .filter(|p| is_temporary(p) || p.starts_with(self.data.join("tmp")))
            .collect();
        assert!(
            temporary.is_empty(),
            "round {round}: temporary files {temporary:?}"
        );
        for file in files_under(&self.out) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".csv") {
                continue;
            }
            assert!(
                name.ends_with(".docx") && is_whole_docx(&file),
                "round {round}: half-written or stray file {name}"
            );
        }
        self.dossiers = dossiers;
    }
}

#[test]
fn killed_at_random_points_of_every_operation_leaves_a_whole_store() {
    let kills: usize = std::env::var("PERMANENCE_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("PERMANENCE_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let mut rng = Rng(seed | 1);
    let tmp = tempfile::tempdir().unwrap();
    let sources = tmp.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    let mut world = World {
        data: tmp.path().join("data"),
        out: tmp.path().join("actes"),
        files: variants(&sources, 80),
        next_file: 0,
        dossiers: Vec::new(),
        corrections: BTreeSet::new(),
        decisions: BTreeSet::new(),
        drafts: 0,
    };
    std::fs::create_dir_all(&world.out).unwrap();
    permanence(
        &world.data,
        &[
            "profile",
            "--name",
            "Claire Dupont",
            "--function",
            "substitut du procureur",
            "--court",
            "Melun",
        ],
    )
    .ok();

    // How long each operation takes here, measured once without a kill.
    let mut full = [Duration::ZERO; 4];
    for (i, &op) in OPS.iter().enumerate() {
        if op != Op::Import && world.dossiers.is_empty() {
            world.check(0);
        }
        let args = world.args(op, &mut rng);
        let started = Instant::now();
        let run = permanence(
            &world.data,
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        full[i] = started.elapsed();
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        world.completed(op, &run.stdout);
        world.check(0);
    }

    let started = Instant::now();
    let (mut delivered, mut finished_first) = ([0usize; 4], 0usize);
    let mut round = 0;
    while delivered.iter().sum::<usize>() < kills {
        round += 1;
        assert!(round < kills * 4, "too few kills landed: {delivered:?}");
        let i = round % OPS.len();
        let op = OPS[i];
        let args = world.args(op, &mut rng);
        let mut child = permanence_cmd()
            .arg("--data-dir")
            .arg(&world.data)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // One round in six runs to its end (the state grows, decisions validated pile up);
        // the others are killed from the start to 10 % past the end of a normal run.
        if round % 6 == 0 {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {args:?} failed");
            world.completed(op, &String::from_utf8(out.stdout).unwrap());
            world.check(round);
            continue;
        }
        std::thread::sleep(full[i].mul_f64(rng.unit() * 1.1));
        let alive = child.try_wait().unwrap().is_none();
        // SAFETY: plain kill on our own child (not yet reaped, so its pid is still ours).
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let out = child.wait_with_output().unwrap();
        if alive && out.status.code().is_none() {
            delivered[i] += 1;
        } else {
            finished_first += 1;
            if out.status.success() {
                world.completed(op, &String::from_utf8(out.stdout).unwrap());
            }
        }
        world.check(round);
    }
    eprintln!(
        "crash: {} kills (import {}, correct {}, decide {}, draft {}), {finished_first} runs finished first, \
         {} dossiers, {} corrections, {} decisions kept; full runs {full:?}; {:.0?} (seed {seed})",
        delivered.iter().sum::<usize>(),
        delivered[0],
        delivered[1],
        delivered[2],
        delivered[3],
        world.dossiers.len(),
        world.corrections.len(),
        world.decisions.len(),
        started.elapsed()
    );
    assert!(delivered.iter().all(|&n| n >= kills / 8), "{delivered:?}");
}
