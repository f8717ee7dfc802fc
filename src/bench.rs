//! `permanence bench`: the engine measured beside reference tools, in the same run.
//!
//! - Import of a ~1,000-page procedure (a child `permanence import` into a fresh data
//!   directory) beside `pdftotext` on the same file: wall time, pages per second, peak memory.
//! - Search over a generated index of 100,000 pages: p50/p99 latency of a fixed query set,
//!   snippets included, beside SQLite FTS5 (unicode61, diacritics removed) over the same pages.
//! - Extraction of the facts of ~10-page procedures (`fixtures/small/`, a sample of
//!   `fixtures/corpus/train/`): pdfium's text alone, extraction alone, both, and `pdftotext`.
//!
//! Benchmark data is synthetic and lives in a temporary folder removed at the end.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::{Engine, Original, sha256_hex};
use crate::error::Error;
use crate::fr::quoted;
use crate::pdf::{self, Document};
use crate::store::DataDir;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Procédure d'environ 1 000 pages (défaut : fixtures/generated/big-1000.pdf).
    #[arg(long, value_name = "FICHIER")]
    pub procedure: Option<PathBuf>,
    /// Nombre de répétitions de chaque import (la médiane est retenue).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Nombre de pages générées pour l'index de recherche.
    #[arg(long, default_value_t = 100_000)]
    pub search_pages: usize,
    /// Répétitions de chaque requête.
    #[arg(long, default_value_t = 30)]
    pub repeats: usize,
    #[arg(long)]
    pub skip_import: bool,
    #[arg(long)]
    pub skip_search: bool,
    /// Ne mesure pas l'export des actes (DOCX).
    #[arg(long)]
    pub skip_drafts: bool,
    /// Procédure d'environ 50 pages pour l'export des actes (défaut : assemblée depuis les fixtures).
    #[arg(long, value_name = "FICHIER")]
    pub draft_procedure: Option<PathBuf>,
    /// Répétitions de l'export de chaque acte (la médiane est retenue).
    #[arg(long, default_value_t = 20)]
    pub draft_runs: usize,
    #[arg(long)]
    pub skip_stats: bool,
    /// Nombre de dossiers générés pour les chiffres d'activité.
    #[arg(long, default_value_t = 50_000)]
    pub stats_dossiers: usize,
    #[arg(long)]
    pub skip_extract: bool,
    /// Répétitions de l'extraction de chaque procédure (la médiane par fichier est retenue).
    #[arg(long, default_value_t = 10)]
    pub extract_runs: usize,
    /// Nombre de procédures de 10 pages prises dans fixtures/corpus/train/.
    #[arg(long, default_value_t = 12)]
    pub extract_sample: usize,
    /// Ne mesure pas la reconnaissance de caractères.
    #[arg(long)]
    pub skip_ocr: bool,
    /// Dossier des procédures scannées (sous-dossiers clean/ et degraded/ ; défaut :
    /// fixtures/generated/scanned s'il existe, sinon fixtures/scanned).
    #[arg(long, value_name = "DOSSIER")]
    pub ocr_dir: Option<PathBuf>,
    /// Nombre de pages mesurées par jeu (propre, dégradé).
    #[arg(long, default_value_t = 16)]
    pub ocr_pages: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("l'outil de référence {} est introuvable : installez-le avec «\u{a0}make setup\u{a0}»", quoted(.0))]
    MissingTool(String),
    #[error("la procédure de mesure {} est introuvable : lancez «\u{a0}make fixtures-big\u{a0}»", quoted(&.0.display().to_string()))]
    MissingProcedure(PathBuf),
    #[error("la mesure a échoué : {0}")]
    Failed(String),
}

impl BenchError {
    pub fn code(&self) -> &'static str {
        match self {
            BenchError::MissingTool(_) => "bench.missing_tool",
            BenchError::MissingProcedure(_) => "bench.missing_procedure",
            BenchError::Failed(_) => "bench.failed",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ImportFigures {
    pub file: String,
    pub pages: usize,
    pub runs: usize,
    pub pdftotext_ms: f64,
    pub pdftotext_peak_mib: f64,
    pub pdfium_text_ms: f64,
    pub import_ms: f64,
    pub import_peak_mib: f64,
    pub ratio_to_pdftotext: f64,
    pub import_pages_per_second: f64,
}

#[derive(Debug, Serialize)]
pub struct SearchFigures {
    pub pages: usize,
    pub queries: usize,
    pub repeats: usize,
    pub build_index_s: f64,
    pub build_fts5_s: f64,
    /// Segments of the Permanence index when queried.
    pub segments: usize,
    pub permanence_p50_ms: f64,
    pub permanence_p99_ms: f64,
    pub fts5_p50_ms: f64,
    pub fts5_p99_ms: f64,
    /// Per query: (query, Permanence p50, Permanence max, hits found), slowest first.
    pub per_query: Vec<(String, f64, f64, usize)>,
}

#[derive(Debug, Serialize)]
pub struct Figures {
    pub import: Option<ImportFigures>,
    pub search: Option<SearchFigures>,
    pub stats: Option<crate::stats::StatsBench>,
    pub extract: Option<ExtractFigures>,
    pub drafts: Option<crate::draft::bench::DraftFigures>,
    pub ocr: Option<crate::ocr::bench::OcrFigures>,
}

pub fn run(args: &BenchArgs) -> Result<(), Error> {
    let import = if args.skip_import {
        None
    } else {
        Some(bench_import(args)?)
    };
    let search = if args.skip_search {
        None
    } else {
        Some(bench_search(args)?)
    };
    let stats = if args.skip_stats {
        None
    } else {
        Some(crate::stats::bench(args.stats_dossiers, 15)?)
    };
    let extract = if args.skip_extract {
        None
    } else {
        Some(bench_extract(args)?)
    };
    let drafts = if args.skip_drafts {
        None
    } else {
        Some(crate::draft::bench::run(
            args.draft_procedure.as_deref(),
            args.draft_runs,
        )?)
    };
    let ocr = if args.skip_ocr {
        None
    } else {
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let dir = args.ocr_dir.clone().unwrap_or_else(|| {
            let measure = project.join("generated/scanned");
            if measure.is_dir() {
                measure
            } else {
                project.join("scanned")
            }
        });
        Some(crate::ocr::bench::run(&dir, args.ocr_pages)?)
    };
    let figures = Figures {
        import,
        search,
        stats,
        extract,
        drafts,
        ocr,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).expect("figures serialise")
        );
    } else {
        print!("{}", markdown(&figures));
    }
    Ok(())
}

/// The figures as the Markdown tables of docs/PERFORMANCE.md.
pub fn markdown(f: &Figures) -> String {
    let mut out = String::new();
    if let Some(i) = &f.import {
        out += &format!(
            "### Import d'une procédure de {} pages ({}, médiane de {} passages)\n\n\
             | mesure | temps | pages/s | mémoire max |\n|---|---:|---:|---:|\n\
             | `pdftotext` (référence) | {:.0} ms | {:.0} | {:.0} Mio |\n\
             | texte seul par pdfium (dans le processus) | {:.0} ms | {:.0} | — |\n\
             | `permanence import` (lecture, stockage, index) | {:.0} ms | {:.0} | {:.0} Mio |\n\n\
             Rapport import / pdftotext : **{:.2}×** (cible ≤ 2×) ; mémoire max : **{:.0} Mio** (cible ≤ 250 Mio).\n\n",
            i.pages,
            i.file,
            i.runs,
            i.pdftotext_ms,
            i.pages as f64 / i.pdftotext_ms * 1000.0,
            i.pdftotext_peak_mib,
            i.pdfium_text_ms,
            i.pages as f64 / i.pdfium_text_ms * 1000.0,
            i.import_ms,
            i.import_pages_per_second,
            i.import_peak_mib,
            i.ratio_to_pdftotext,
            i.import_peak_mib,
        );
    }
    if let Some(s) = &f.search {
        out += &format!(
            "### Recherche sur {} pages générées ({} requêtes × {} répétitions, 20 résultats avec extraits)\n\n\
             | moteur | p50 | p99 | construction |\n|---|---:|---:|---:|\n\
             | Permanence (Tantivy, analyse française) | {:.2} ms | {:.2} ms | {:.1} s |\n\
             | SQLite FTS5 (unicode61, sans accents) | {:.2} ms | {:.2} ms | {:.1} s |\n\n\
             p99 Permanence : **{:.2} ms** (cible ≤ 10 ms) ; rapport p99 Permanence / FTS5 : **{:.2}×** ; \
             segments de l'index : {}.\n",
            s.pages,
            s.queries,
            s.repeats,
            s.permanence_p50_ms,
            s.permanence_p99_ms,
            s.build_index_s,
            s.fts5_p50_ms,
            s.fts5_p99_ms,
            s.build_fts5_s,
            s.permanence_p99_ms,
            s.permanence_p99_ms / s.fts5_p99_ms,
            s.segments,
        );
        out += "\n| requête (les plus lentes d'abord) | p50 | max | résultats |\n|---|---:|---:|---:|\n";
        for (q, p50, max, hits) in s.per_query.iter().take(8) {
            out += &format!("| `{q}` | {p50:.2} ms | {max:.2} ms | {hits} |\n");
        }
    }
    if let Some(s) = &f.stats {
        out += &format!(
            "\n### Chiffres d'activité ({} dossiers générés, {} mesures)\n\n| mesure | médiane | cible |\n|---|---:|---:|\n| tous les chiffres (lecture + calcul) | {:.1} ms (max {:.1} ms) | ≤ 200 ms |\n| chiffres d'une famille | {:.1} ms | ≤ 200 ms |\n| export CSV des chiffres | {:.1} ms | — |\n| liste pseudonymisée | {:.1} ms | — |\n| liste entière des dossiers | {:.1} ms | — |\n| une page de 100 dossiers, filtrée par famille | {:.1} ms | — |\n",
            s.dossiers,
            s.runs,
            s.figures_p50_ms,
            s.figures_max_ms,
            s.figures_family_p50_ms,
            s.csv_p50_ms,
            s.pseudonymised_p50_ms,
            s.list_p50_ms,
            s.list_page_p50_ms
        );
    }
    if let Some(e) = &f.extract {
        out += &extract_markdown(e);
    }
    if let Some(d) = &f.drafts {
        out += "\n";
        out += &crate::draft::bench::markdown(d);
    }
    if let Some(o) = &f.ocr {
        out += &crate::ocr::bench::markdown(o);
    }
    out
}

fn failed(e: impl std::fmt::Display) -> Error {
    BenchError::Failed(e.to_string()).into()
}

/// Runs a command to success, returning its wall time and peak resident memory in MiB: the
/// largest total resident set of the process and its descendants (the PDF reader child) seen
/// while it ran, sampled from `/proc` (see [`TreePeak`]).
pub fn timed_child(cmd: &mut Command) -> Result<(Duration, f64), Error> {
    let peak = TreePeak::default();
    let (elapsed, usage) = run_child_sampled(cmd, Some(&peak))?;
    let kib = match peak.kib() {
        // Gone before the first sample: only the kernel's figure is left, which may include
        // the memory of the process that spawned it.
        0 => usage.ru_maxrss as u64,
        kib => kib,
    };
    Ok((elapsed, kib as f64 / 1024.0))
}

/// Runs a command to success: its wall time and its resource usage (from `wait4`).
fn run_child(cmd: &mut Command) -> Result<(Duration, libc::rusage), Error> {
    run_child_sampled(cmd, None)
}

fn run_child_sampled(
    cmd: &mut Command,
    peak: Option<&TreePeak>,
) -> Result<(Duration, libc::rusage), Error> {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(failed)?;
    let pid = child.id() as libc::pid_t;
    let done = std::sync::atomic::AtomicBool::new(false);
    let mut status = 0;
    // SAFETY: wait4 on our own child; rusage is a plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = std::thread::scope(|scope| {
        if let Some(peak) = peak {
            scope.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    peak.sample(pid);
                    std::thread::sleep(Duration::from_millis(2));
                }
            });
        }
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        waited
    });
    let elapsed = start.elapsed();
    std::mem::forget(child); // reaped by wait4
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(failed(format!("{cmd:?} a échoué")));
    }
    Ok((elapsed, usage))
}

/// The peak memory of a process tree, sampled from `/proc`: the largest sum of the resident
/// sets (`VmRSS`) of a process and its descendants at one sampling instant, and at least each
/// one's own high-water mark (`VmHWM`). `ru_maxrss` from `wait4` cannot be used: the kernel
/// carries the high-water mark across `exec`, and a child spawned by `vfork` (as `Command`
/// does) starts in its parent's memory, so a child of a large test process would report the
/// parent's size.
#[derive(Default)]
pub struct TreePeak(std::sync::atomic::AtomicU64);

impl TreePeak {
    pub fn kib(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn sample(&self, root: libc::pid_t) {
        let (mut rss, mut hwm) = (0, 0);
        let mut pending = vec![root];
        while let Some(pid) = pending.pop() {
            // Gone between listing and reading: nothing to count.
            let Some((own_rss, own_hwm)) = memory_kib(pid) else {
                continue;
            };
            rss += own_rss;
            hwm = hwm.max(own_hwm);
            pending.extend(children(pid));
        }
        self.0
            .fetch_max(rss.max(hwm), std::sync::atomic::Ordering::Relaxed);
    }
}

/// `VmRSS` and `VmHWM` of a process in KiB, once it runs its own program.
fn memory_kib(pid: libc::pid_t) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn children(pid: libc::pid_t) -> Vec<libc::pid_t> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|list| {
            list.split_whitespace()
                .filter_map(|p| p.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn bench_import(args: &BenchArgs) -> Result<ImportFigures, Error> {
    let file = args
        .procedure
        .clone()
        .unwrap_or_else(|| PathBuf::from("fixtures/generated/big-1000.pdf"));
    if !file.is_file() {
        return Err(BenchError::MissingProcedure(file).into());
    }
    if Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        return Err(BenchError::MissingTool("pdftotext".into()).into());
    }
    let exe = std::env::current_exe().map_err(failed)?;
    let scratch = tempfile::tempdir().map_err(failed)?;
    let runs = args.runs.max(1);
    let (mut ref_ms, mut ref_mib, mut imp_ms, mut imp_mib, mut text_ms) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut pages = 0;
    for run in 0..runs {
        let (t, m) = timed_child(Command::new("pdftotext").arg(&file).arg("/dev/null"))?;
        ref_ms.push(ms(t));
        ref_mib.push(m);
        let data = scratch.path().join(format!("run-{run}"));
        let (t, m) = timed_child(
            Command::new(&exe)
                .arg("--data-dir")
                .arg(&data)
                .arg("import")
                .arg(&file),
        )?;
        imp_ms.push(ms(t));
        imp_mib.push(m);
        let start = Instant::now();
        let doc = pdf::read_file(&file, &mut |_, _| {})?;
        text_ms.push(ms(start.elapsed()));
        pages = doc.pages.len();
    }
    let import_ms = median(imp_ms);
    let pdftotext_ms = median(ref_ms);
    Ok(ImportFigures {
        file: file.display().to_string(),
        pages,
        runs,
        pdftotext_ms,
        pdftotext_peak_mib: median(ref_mib),
        pdfium_text_ms: median(text_ms),
        import_ms,
        import_peak_mib: imp_mib.into_iter().fold(0.0, f64::max),
        ratio_to_pdftotext: import_ms / pdftotext_ms,
        import_pages_per_second: pages as f64 / import_ms * 1000.0,
    })
}

/// The fixed query set: (Permanence query, the same for FTS5).
const QUERIES: &[(&str, &str)] = &[
    ("éthylomètre", "ethylometre"),
    ("ethylometre", "ethylometre"),
    ("audition", "audition"),
    ("auditions", "auditions"),
    ("garde à vue", "garde vue"),
    ("\"garde à vue\"", "\"garde à vue\""),
    ("stupéfiants dépistage", "stupefiants depistage"),
    ("refus d'obtempérer", "refus obtemperer"),
    (
        "\"procès-verbal d'audition\"",
        "\"procès verbal d audition\"",
    ),
    ("casier judiciaire récidive", "casier judiciaire recidive"),
    ("Fontainebleau", "fontainebleau"),
    ("MARTIN", "martin"),
    ("permis suspendu", "permis suspendu"),
    ("certificat médical ITT", "certificat medical itt"),
    ("substitut permanence", "substitut permanence"),
    ("alcoolémie", "alcoolemie"),
    (
        "\"sous l'empire d'un état alcoolique\"",
        "\"sous l empire d un état alcoolique\"",
    ),
    ("véhicule immatriculé", "vehicule immatricule"),
    ("blessures involontaires", "blessures involontaires"),
    ("délit de fuite", "delit fuite"),
];

const SENTENCES: &[&str] = &[
    "L'an deux mille vingt-six, le {DATE}, à {HEURE}, nous, {PRENOM} {NOM}, brigadier de police, officier de police judiciaire en résidence à {COMMUNE},",
    "Vu les articles 53 et suivants du code de procédure pénale, poursuivant l'enquête de flagrance,",
    "Constatons que le conducteur du véhicule immatriculé {PLAQUE} circule de manière dangereuse sur la route départementale {NUM}.",
    "Procédons au dépistage de l'imprégnation alcoolique au moyen d'un éthylotest, qui se révèle positif.",
    "Soumettons l'intéressé à la vérification de son état alcoolique au moyen de l'éthylomètre, qui indique {TAUX} milligramme par litre d'air expiré.",
    "Lui notifions son placement en garde à vue à compter de {HEURE} et les droits attachés à cette mesure.",
    "Avisons M. le substitut de permanence du parquet de {COMMUNE}, qui prescrit la poursuite de la garde à vue.",
    "Question : reconnaissez-vous avoir conduit sous l'empire d'un état alcoolique ? Réponse : oui, j'avais bu quelques verres.",
    "Le relevé du fichier national des permis de conduire mentionne un permis de conduire {PERMIS}.",
    "Le bulletin n° 1 du casier judiciaire de {NOM} {PRENOM} porte mention d'une condamnation pour conduite sous l'empire d'un état alcoolique.",
    "Le certificat médical établi par le docteur {NOM} fixe une incapacité totale de travail de {NUM} jours.",
    "Le dépistage de stupéfiants par prélèvement salivaire se révèle positif au cannabis.",
    "L'intéressé refuse d'obtempérer aux sommations de s'arrêter et prend la fuite en direction de {COMMUNE}.",
    "Entendons la victime, {PRENOM} {NOM}, qui déclare avoir été heurtée par un véhicule dont le conducteur a pris la fuite.",
    "Dont acte, fait et clos à {COMMUNE} le {DATE}, le présent procès-verbal est signé par l'intéressé.",
    "Le témoin {PRENOM} {NOM} indique avoir vu le véhicule franchir la ligne continue à vive allure.",
    "Nous transportons sur les lieux de l'accident où les sapeurs-pompiers prennent en charge les blessés.",
    "Mentionnons que l'intéressé ne présente aucun signe d'ivresse manifeste lors de son audition.",
    "Procès-verbal d'audition de personne gardée à vue, conformément aux articles 61-1 et 63-1 du code de procédure pénale.",
    "Le véhicule fait l'objet d'une mesure d'immobilisation et de mise en fourrière administrative.",
];
const NOMS: &[&str] = &[
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "THOMAS",
    "ROBERT",
    "RICHARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFÈVRE",
    "MICHEL",
    "GARCIA",
    "BÉNARD",
    "FRANÇOIS",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
];
const PRENOMS: &[&str] = &[
    "Jean",
    "Hélène",
    "Loïc",
    "François",
    "Camille",
    "Mathéo",
    "Inès",
    "Zoé",
    "Gaëlle",
    "Jérôme",
    "Noël",
    "Anaïs",
    "Léa",
    "Théo",
    "Maëlys",
    "Cédric",
];
const COMMUNES: &[&str] = &[
    "Melun",
    "Fontainebleau",
    "Meaux",
    "Provins",
    "Évry",
    "Corbeil-Essonnes",
    "Nemours",
    "Montereau-Fault-Yonne",
    "Étampes",
    "Chelles",
    "Pontault-Combault",
    "Lagny-sur-Marne",
];
const PERMIS: &[&str] = &[
    "valide",
    "suspendu",
    "annulé",
    "invalidé pour solde de points nul",
];
const DATES: &[&str] = &[
    "vingt novembre",
    "premier décembre",
    "trois mars",
    "quatorze juillet",
    "onze septembre",
];

/// A small deterministic generator (SplitMix64): same pages on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// A page of procedure-like French text (about 1.5 KB).
fn synthetic_page(rng: &mut Rng) -> String {
    let mut page = String::with_capacity(1800);
    for _ in 0..14 {
        let mut s = rng.pick(SENTENCES).to_owned();
        for (slot, values) in [
            ("{NOM}", NOMS),
            ("{PRENOM}", PRENOMS),
            ("{COMMUNE}", COMMUNES),
            ("{PERMIS}", PERMIS),
            ("{DATE}", DATES),
        ] {
            while s.contains(slot) {
                s = s.replacen(slot, rng.pick(values), 1);
            }
        }
        let n = rng.next();
        s = s
            .replace("{HEURE}", &format!("{} heures {}", n % 24, n % 60))
            .replace("{NUM}", &format!("{}", n % 300))
            .replace("{TAUX}", &format!("0,{:02}", 20 + n % 80))
            .replace(
                "{PLAQUE}",
                &format!(
                    "{}{}-{:03}-{}{}",
                    (b'A' + (n % 26) as u8) as char,
                    (b'B' + (n % 23) as u8) as char,
                    n % 1000,
                    (b'C' + (n % 21) as u8) as char,
                    (b'D' + (n % 19) as u8) as char
                ),
            );
        page.push_str(&s);
        page.push('\n');
    }
    page
}

fn bench_search(args: &BenchArgs) -> Result<SearchFigures, Error> {
    let scratch = tempfile::tempdir().map_err(failed)?;
    let pages_per_doc = 1000;
    let docs = args.search_pages.div_ceil(pages_per_doc);
    let mut rng = Rng(0x5045_524d_414e_454e);

    // The same pages for both engines, generated once.
    let corpus: Vec<Vec<String>> = (0..docs)
        .map(|d| {
            let n = pages_per_doc.min(args.search_pages - d * pages_per_doc);
            (0..n).map(|_| synthetic_page(&mut rng)).collect()
        })
        .collect();

    let start = Instant::now();
    // Encrypted like a real data directory, under keys saved nowhere.
    let mut engine = Engine::open(
        DataDir::at(&scratch.path().join("permanence")),
        crate::crypto::Keys::ephemeral(),
    )?;
    for (d, texts) in corpus.iter().enumerate() {
        let document = Document::from_texts(texts.iter().cloned());
        let bytes = format!("bench document {d}").into_bytes();
        let sha = sha256_hex(&bytes);
        let name = format!("synthetique-{d}.txt");
        engine.store_read(
            &Original {
                name: &name,
                title: &name,
                sha256: &sha,
                bytes: &bytes,
            },
            &document,
            None,
        )?;
    }
    let build_index_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let fts = fts5_build(&scratch.path().join("fts5.sqlite3"), &corpus)?;
    let build_fts5_s = start.elapsed().as_secs_f64();

    let repeats = args.repeats.max(1);
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let mut per_query = Vec::new();
    for (q, fq) in QUERIES {
        let mut this = Vec::new();
        // Warm-up, then measured repetitions.
        let hits = engine.search(q, 20)?;
        let fts_hits = fts5_search(&fts, fq)?;
        if hits.is_empty() || fts_hits == 0 {
            tracing::warn!("bench query {q:?} finds nothing in one engine");
        }
        for _ in 0..repeats {
            let t = Instant::now();
            std::hint::black_box(engine.search(q, 20)?);
            this.push(ms(t.elapsed()));
            let t = Instant::now();
            std::hint::black_box(fts5_search(&fts, fq)?);
            theirs.push(ms(t.elapsed()));
        }
        this.sort_by(f64::total_cmp);
        per_query.push((
            q.to_string(),
            percentile(&this, 50.0),
            *this.last().unwrap_or(&0.0),
            hits.len(),
        ));
        ours.extend(this);
    }
    per_query.sort_by(|a, b| b.2.total_cmp(&a.2));
    ours.sort_by(f64::total_cmp);
    theirs.sort_by(f64::total_cmp);
    Ok(SearchFigures {
        pages: args.search_pages,
        queries: QUERIES.len(),
        repeats,
        build_index_s,
        build_fts5_s,
        segments: engine.index_segments(),
        permanence_p50_ms: percentile(&ours, 50.0),
        permanence_p99_ms: percentile(&ours, 99.0),
        fts5_p50_ms: percentile(&theirs, 50.0),
        fts5_p99_ms: percentile(&theirs, 99.0),
        per_query,
    })
}

fn fts5_build(path: &Path, corpus: &[Vec<String>]) -> Result<rusqlite::Connection, Error> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         CREATE VIRTUAL TABLE pages USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO pages (text) VALUES (?1)")?;
        for text in corpus.iter().flatten() {
            insert.execute([text])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO pages (pages) VALUES ('optimize');")?;
    Ok(conn)
}

/// 20 best pages with a marked snippet, as Permanence returns them.
fn fts5_search(conn: &rusqlite::Connection, query: &str) -> Result<usize, Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, snippet(pages, 0, '<mark>', '</mark>', '…', 24), bm25(pages) FROM pages
         WHERE pages MATCH ?1 ORDER BY bm25(pages) LIMIT 20",
    )?;
    let rows = stmt.query_map([query], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.count())
}

/// Median and maximum over the files of each file's median.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread {
    pub median_ms: f64,
    pub max_ms: f64,
}

impl Spread {
    fn of(values: impl Iterator<Item = f64>) -> Spread {
        let values: Vec<f64> = values.collect();
        Spread {
            max_ms: values.iter().copied().fold(0.0, f64::max),
            median_ms: median(values),
        }
    }
}

/// One measure's time: elapsed (the target's) and CPU (user + system, all threads), which a
/// machine busy with other work inflates much less.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    pub wall_ms: f64,
    pub cpu_ms: f64,
}

impl Timing {
    fn median(timings: &[Timing]) -> Timing {
        Timing {
            wall_ms: median(timings.iter().map(|t| t.wall_ms).collect()),
            cpu_ms: median(timings.iter().map(|t| t.cpu_ms).collect()),
        }
    }

    fn minus(self, other: Timing) -> Timing {
        Timing {
            wall_ms: self.wall_ms - other.wall_ms,
            cpu_ms: self.cpu_ms - other.cpu_ms,
        }
    }
}

/// CPU time of this process so far, in ms.
fn process_cpu_ms() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6
}

/// Runs `f`, timing it.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Timing) {
    let (cpu, start) = (process_cpu_ms(), Instant::now());
    let value = f();
    let wall_ms = ms(start.elapsed());
    (
        value,
        Timing {
            wall_ms,
            cpu_ms: process_cpu_ms() - cpu,
        },
    )
}

fn cpu_ms(t: libc::timeval) -> f64 {
    t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0
}

/// One procedure's medians.
#[derive(Debug, Serialize)]
pub struct ExtractFile {
    pub file: String,
    pub pages: usize,
    pub pdfium_text: Timing,
    pub extraction: Timing,
    pub extract: Timing,
    pub pdftotext: Timing,
}

impl ExtractFile {
    /// What extraction costs beyond pdfium's own text reading.
    pub fn overhead(&self) -> Timing {
        self.extract.minus(self.pdfium_text)
    }
}

/// A measure over the files: elapsed and CPU time.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Measure {
    pub wall: Spread,
    pub cpu: Spread,
}

impl Measure {
    fn of(files: &[ExtractFile], timing: impl Fn(&ExtractFile) -> Timing) -> Measure {
        Measure {
            wall: Spread::of(files.iter().map(|f| timing(f).wall_ms)),
            cpu: Spread::of(files.iter().map(|f| timing(f).cpu_ms)),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ExtractFigures {
    pub runs: usize,
    /// (a) `pdf::read_bytes`: pdfium's text of every page, the file already in memory.
    pub pdfium_text: Measure,
    /// (b) `facts::from_document` on the document already read.
    pub extraction: Measure,
    /// (c) `facts::extract`, as `permanence extract` runs it: read the file, its text, its facts.
    pub extract: Measure,
    /// `pdftotext FILE /dev/null`, a whole process, on the same file.
    pub pdftotext: Measure,
    /// (c) − (a) per file: the target is ≤ 50 ms.
    pub overhead: Measure,
    pub files: Vec<ExtractFile>,
}

/// The procedures measured: those of about 10 pages (8 to 12) in `fixtures/small/`, and
/// `sample` of the 10-page ones of `fixtures/corpus/train/`, spread over the set. Page counts
/// come from the labels (`NAME.expected.json`).
fn extract_procedures(sample: usize) -> Result<Vec<(PathBuf, usize)>, Error> {
    let labelled =
        |dir: &str, keep: &dyn Fn(usize) -> bool| -> Result<Vec<(PathBuf, usize)>, Error> {
            let dir = PathBuf::from(dir);
            let entries =
                std::fs::read_dir(&dir).map_err(|_| BenchError::MissingProcedure(dir.clone()))?;
            let mut found = Vec::new();
            for entry in entries {
                let pdf = entry.map_err(failed)?.path();
                if pdf.extension().is_none_or(|e| e != "pdf") {
                    continue;
                }
                let label = pdf.with_extension("expected.json");
                let Ok(text) = std::fs::read_to_string(&label) else {
                    continue;
                };
                let value: serde_json::Value = serde_json::from_str(&text).map_err(failed)?;
                if let Some(pages) = value["source"]["pages"].as_u64().map(|p| p as usize)
                    && keep(pages)
                {
                    found.push((pdf, pages));
                }
            }
            found.sort();
            Ok(found)
        };
    let mut files = labelled("fixtures/small", &|p| (8..=12).contains(&p))?;
    let train = labelled("fixtures/corpus/train", &|p| p == 10)?;
    let take = sample.min(train.len());
    files.extend((0..take).map(|i| train[i * train.len() / take].clone()));
    if files.is_empty() {
        return Err(BenchError::MissingProcedure(PathBuf::from("fixtures/small")).into());
    }
    Ok(files)
}

fn bench_extract(args: &BenchArgs) -> Result<ExtractFigures, Error> {
    let runs = args.extract_runs.max(1);
    let procedures = extract_procedures(args.extract_sample)?;
    // Warm-up: pdfium is bound and the extraction's regexes compiled before any measure.
    crate::facts::extract(&procedures[0].0)?;
    let mut files = Vec::new();
    for (path, pages) in procedures {
        let name = pdf::display_name(&path);
        let bytes = pdf::read_input(&path)?;
        let sha = sha256_hex(&bytes);
        let (mut text, mut extraction, mut both, mut reference) = (vec![], vec![], vec![], vec![]);
        for _ in 0..runs {
            let (document, t) = timed(|| pdf::read_bytes(&name, &bytes, &mut |_, _| {}));
            let document = document?;
            text.push(t);
            let (facts, t) = timed(|| crate::facts::from_document(&name, &sha, &document));
            std::hint::black_box(facts);
            extraction.push(t);
            let (facts, t) = timed(|| crate::facts::extract(&path));
            std::hint::black_box(facts?);
            both.push(t);
            let (wall, usage) = run_child(Command::new("pdftotext").arg(&path).arg("/dev/null"))?;
            reference.push(Timing {
                wall_ms: ms(wall),
                cpu_ms: cpu_ms(usage.ru_utime) + cpu_ms(usage.ru_stime),
            });
        }
        files.push(ExtractFile {
            file: name,
            pages,
            pdfium_text: Timing::median(&text),
            extraction: Timing::median(&extraction),
            extract: Timing::median(&both),
            pdftotext: Timing::median(&reference),
        });
    }
    Ok(ExtractFigures {
        runs,
        pdfium_text: Measure::of(&files, |f| f.pdfium_text),
        extraction: Measure::of(&files, |f| f.extraction),
        extract: Measure::of(&files, |f| f.extract),
        pdftotext: Measure::of(&files, |f| f.pdftotext),
        overhead: Measure::of(&files, ExtractFile::overhead),
        files,
    })
}

fn extract_markdown(e: &ExtractFigures) -> String {
    let row = |what: &str, m: &Measure| {
        format!(
            "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |\n",
            m.wall.median_ms, m.wall.max_ms, m.cpu.median_ms, m.cpu.max_ms
        )
    };
    let mut out = format!(
        "\n### Extraction des faits sur {} procédures d'environ 10 pages (médiane de {} passages par fichier)\n\n\
         | mesure (médiane et max sur les fichiers) | temps écoulé, médiane | max | temps CPU, médiane | max |\n\
         |---|---:|---:|---:|---:|\n",
        e.files.len(),
        e.runs
    );
    out += &row(
        "(a) texte seul par pdfium (`pdf::read_bytes`)",
        &e.pdfium_text,
    );
    out += &row(
        "(b) extraction seule, document déjà lu (`facts::from_document`)",
        &e.extraction,
    );
    out += &row(
        "(c) les deux : `facts::extract`, comme `permanence extract`",
        &e.extract,
    );
    out += &row(
        "`pdftotext FICHIER /dev/null` (référence, processus entier)",
        &e.pdftotext,
    );
    out += &row("surcoût de l'extraction, (c) − (a)", &e.overhead);
    out += &format!(
        "\nSurcoût de l'extraction au-delà du texte de pdfium, (c) − (a) par fichier\u{a0}: médiane \
         **{:.1} ms**, max **{:.1} ms** en temps écoulé (cible ≤ 50 ms)\u{a0}; en temps CPU, \
         médiane {:.1} ms, max {:.1} ms.\n\n\
         | procédure (les plus lentes d'abord), temps écoulé | pages | (a) pdfium | (b) extraction | (c) extract | pdftotext |\n\
         |---|---:|---:|---:|---:|---:|\n",
        e.overhead.wall.median_ms,
        e.overhead.wall.max_ms,
        e.overhead.cpu.median_ms,
        e.overhead.cpu.max_ms
    );
    let mut slowest: Vec<&ExtractFile> = e.files.iter().collect();
    slowest.sort_by(|a, b| b.extract.wall_ms.total_cmp(&a.extract.wall_ms));
    for f in slowest.iter().take(8) {
        out += &format!(
            "| `{}` | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |\n",
            f.file,
            f.pages,
            f.pdfium_text.wall_ms,
            f.extraction.wall_ms,
            f.extract.wall_ms,
            f.pdftotext.wall_ms
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every measure at its smallest.
    fn small_args() -> BenchArgs {
        BenchArgs {
            procedure: None,
            runs: 1,
            search_pages: 0,
            repeats: 1,
            skip_import: true,
            skip_search: true,
            skip_stats: true,
            stats_dossiers: 0,
            skip_drafts: true,
            draft_procedure: None,
            draft_runs: 1,
            skip_extract: true,
            extract_runs: 1,
            extract_sample: 0,
            skip_ocr: true,
            ocr_dir: None,
            ocr_pages: 0,
            json: true,
        }
    }

    #[test]
    fn percentiles_and_medians() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 50.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
    }

    #[test]
    fn small_search_bench_runs_both_engines() {
        let args = BenchArgs {
            search_pages: 1_500,
            repeats: 2,
            skip_import: true,
            skip_search: false,
            json: true,
            ..small_args()
        };
        let s = bench_search(&args).unwrap();
        assert_eq!(s.pages, 1_500);
        assert!(s.permanence_p99_ms > 0.0 && s.fts5_p99_ms > 0.0);
        assert!(
            markdown(&Figures {
                import: None,
                search: Some(s),
                stats: None,
                extract: None,
                drafts: None,
                ocr: None,
            })
            .contains("SQLite FTS5")
        );
    }

    #[test]
    fn small_stats_bench_counts_every_dossier() {
        let s = crate::stats::bench(300, 2).unwrap();
        assert_eq!(s.dossiers, 300);
        assert!(s.figures_p50_ms > 0.0);
        assert!(
            markdown(&Figures {
                import: None,
                search: None,
                stats: Some(s),
                extract: None,
                drafts: None,
                ocr: None,
            })
            .contains("300 dossiers générés")
        );
    }

    #[test]
    fn extract_bench_measures_each_step_on_the_small_procedures() {
        // cargo runs tests from the package root, where `make bench` runs too.
        let args = BenchArgs {
            extract_sample: 1,
            ..small_args()
        };
        let e = bench_extract(&args).unwrap();
        // The three small procedures of 8 to 10 pages and one 10-page training file.
        assert_eq!(e.files.len(), 4);
        assert!(
            e.files
                .iter()
                .any(|f| f.pages == 10 && f.file.contains("train-"))
        );
        for f in &e.files {
            for t in [f.pdfium_text, f.extraction, f.extract, f.pdftotext] {
                assert!(t.wall_ms > 0.0 && t.cpu_ms > 0.0, "{f:?}");
            }
        }
        let text = extract_markdown(&e);
        assert!(text.contains("cible ≤ 50 ms"), "{text}");
    }

    #[test]
    fn synthetic_pages_are_deterministic() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        assert_eq!(synthetic_page(&mut a), synthetic_page(&mut b));
    }
}
