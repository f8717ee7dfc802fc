//! `permanence`: the command-line face of the engine. Each subcommand parses its arguments,
//! calls one engine function and prints the result (human text, or `--json` as in
//! `../shared/contracts/README.md`). Errors: one French line on standard error, exit code 2.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use permanence::{DataDir, Engine, Error, ImportReport, facts, orient};

#[derive(Parser)]
#[command(
    name = "permanence",
    version,
    about = "Permanence : lire, classer et retrouver les procédures pénales, hors ligne.",
    long_about = "Permanence lit les procédures pénales (PDF ou texte), les range dans un dossier de \
                  données local et permet de les rechercher. Aucune connexion réseau n'est utilisée."
)]
struct Cli {
    /// Dossier de données (sinon $PERMANENCE_DATA, sinon l'emplacement habituel du système).
    #[arg(long, global = true, value_name = "DOSSIER")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Importe une ou plusieurs procédures (PDF ou .txt).
    Import {
        #[arg(required = true, value_name = "FICHIER")]
        files: Vec<PathBuf>,
        /// Ajoute les fichiers au dossier existant portant ce numéro.
        #[arg(long, value_name = "ID")]
        dossier: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Liste les dossiers.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Montre un dossier : ses documents et son journal.
    Show {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long)]
        json: bool,
    },
    /// Recherche dans le texte de toutes les pages.
    Search {
        #[arg(value_name = "REQUÊTE")]
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Extrait les faits d'un fichier, sans rien enregistrer.
    Extract {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Propose une orientation pour une procédure selon la politique pénale, sans rien enregistrer.
    Orient {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        /// Fichier de politique pénale (TOML) ; sinon la politique routière livrée en exemple.
        #[arg(long, value_name = "FICHIER")]
        policy: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Rédige un acte (DOCX) à partir d'un fichier de procédure, sans rien enregistrer.
    DraftFile(DraftFileArgs),
    /// Les fichiers de politique pénale.
    #[command(subcommand, alias = "policy")]
    Politique(PolitiqueCommand),
    /// Mesure l'extraction sur les fichiers étiquetés (NOM.expected.json) d'un dossier.
    Eval {
        #[arg(value_name = "DOSSIER")]
        dir: PathBuf,
        /// Affiche aussi chaque écart entre l'extraction et l'étiquette.
        #[arg(long)]
        details: bool,
        #[arg(long)]
        json: bool,
    },
    /// Vérifie la base (intégrité) et l'accord entre la base et l'index.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Le journal des dossiers (inscrit en chaîne : toute modification se voit).
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Mesure les performances (import contre pdftotext, recherche contre SQLite FTS5).
    Bench(permanence::bench::BenchArgs),
}

#[derive(clap::Args)]
struct DraftFileArgs {
    #[arg(value_name = "FICHIER")]
    file: PathBuf,
    /// synthese, bordereau, orientation, jld ou requisitoire.
    #[arg(long, value_name = "TYPE")]
    kind: String,
    /// Le document à écrire (.docx) ; pour le bordereau, le CSV est écrit à côté (.csv).
    #[arg(long, value_name = "FICHIER")]
    out: PathBuf,
    /// Fichier de politique pénale (TOML) ; sinon la politique routière livrée en exemple.
    #[arg(long, value_name = "FICHIER")]
    policy: Option<PathBuf>,
    /// Dossier de modèles : un modèle du même nom (synthese.docx…) remplace celui livré.
    #[arg(long, value_name = "DOSSIER")]
    templates: Option<PathBuf>,
    /// Nom du magistrat signataire (sinon laissé en blanc).
    #[arg(long, value_name = "NOM")]
    magistrat: Option<String>,
    /// Fonction du magistrat (sinon laissée en blanc).
    #[arg(long, value_name = "FONCTION")]
    fonction: Option<String>,
    /// Nom du tribunal judiciaire (sinon laissé en blanc).
    #[arg(long, value_name = "VILLE")]
    tribunal: Option<String>,
    /// Numéro de parquet.
    #[arg(long, value_name = "NUMÉRO")]
    parquet: Option<String>,
    /// Critère de l'article 144 du code de procédure pénale retenu (1 à 7), répétable.
    #[arg(long = "critere-144", value_name = "N")]
    criteria: Vec<u8>,
    /// Date et heure de l'acte (RFC 3339) ; sinon maintenant.
    #[arg(long, value_name = "DATE")]
    now: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum PolitiqueCommand {
    /// Vérifie un fichier de politique et affiche chaque erreur avec sa ligne et sa colonne.
    #[command(alias = "check")]
    Verifier {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Vérifie qu'aucune entrée du journal n'a été modifiée, insérée ou supprimée.
    Verify {
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    // Like other Unix tools: `permanence list --json | head` ends quietly, not with a panic.
    #[cfg(unix)]
    // SAFETY: called before any thread starts; restores the default disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PERMANENCE_LOG"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("permanence : {e}");
            ExitCode::from(2)
        }
    }
}

fn open(data_dir: Option<&PathBuf>) -> Result<Engine, Error> {
    Engine::open(DataDir::resolve(data_dir.map(PathBuf::as_path))?)
}

fn print_json<T: serde::Serialize>(value: &T) {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).expect("stdout");
    let _ = writeln!(out);
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    let data_dir = cli.data_dir.as_ref();
    match cli.command {
        Command::Import {
            files,
            dossier,
            json,
        } => {
            let mut engine = open(data_dir)?;
            let mut reports: Vec<ImportReport> = Vec::new();
            let mut failed = false;
            for file in &files {
                let bar = progress_bar();
                let result = engine.import(file, dossier, &mut |p| {
                    if let Some(bar) = &bar {
                        bar.set_length(p.pages_total as u64);
                        bar.set_position(p.pages_done as u64);
                    }
                });
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
                match result {
                    Ok(report) => {
                        if !json {
                            if report.duplicate {
                                println!(
                                    "{} : déjà importé (dossier n°\u{a0}{}, document n°\u{a0}{})",
                                    report.file, report.dossier, report.document
                                );
                            } else {
                                println!(
                                    "{} : {} page(s) importée(s) dans le dossier n°\u{a0}{}",
                                    report.file, report.pages, report.dossier
                                );
                            }
                        }
                        reports.push(report);
                    }
                    Err(e) => {
                        eprintln!("permanence : {e}");
                        failed = true;
                    }
                }
            }
            if json {
                print_json(&reports);
            }
            Ok(if failed {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Journal(JournalCommand::Verify { json }) => {
            let v = open(data_dir)?.verify_journal()?;
            if json {
                print_json(&v);
            } else {
                match &v.broken {
                    None => println!("Journal intact : {} entrée(s) vérifiée(s).", v.entries),
                    Some(b) => println!(
                        "Journal altéré à l'entrée n°\u{a0}{} : {}.",
                        b.entry, b.reason
                    ),
                }
            }
            Ok(if v.broken.is_some() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::List { json } => {
            let dossiers = open(data_dir)?.list()?;
            if json {
                print_json(&dossiers);
            } else if dossiers.is_empty() {
                println!("Aucun dossier.");
            } else {
                for d in dossiers {
                    println!(
                        "{:>5}  {}  {:<10}  {} document(s)  {}",
                        d.id,
                        &d.created[..10],
                        d.status,
                        d.documents,
                        d.title
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { dossier, json } => {
            let d = open(data_dir)?.show(dossier)?;
            if json {
                print_json(&d);
            } else {
                println!(
                    "Dossier n°\u{a0}{} — {} ({})",
                    d.summary.id, d.summary.title, d.summary.status
                );
                println!("Créé le {}", d.summary.created);
                for doc in &d.documents_detail {
                    let ocr = if doc.ocr_pages.is_empty() {
                        String::new()
                    } else {
                        format!(", {} page(s) à océriser", doc.ocr_pages.len())
                    };
                    println!(
                        "  document n°\u{a0}{} : {} — {} page(s){ocr}",
                        doc.id, doc.original_name, doc.pages
                    );
                    for a in &doc.attachments {
                        println!("    pièce jointe : {} ({} octets)", a.name, a.size);
                    }
                }
                println!("Journal :");
                for j in &d.journal {
                    println!("  {}  {}", j.at, j.event);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit, json } => {
            let hits = open(data_dir)?.search(&query, limit)?;
            if json {
                print_json(&hits);
            } else if hits.is_empty() {
                println!("Aucun résultat.");
            } else {
                let color = std::io::stdout().is_terminal();
                for h in hits {
                    let snippet = if color {
                        h.snippet
                            .replace("<mark>", "\x1b[1;33m")
                            .replace("</mark>", "\x1b[0m")
                    } else {
                        h.snippet.replace("<mark>", "[").replace("</mark>", "]")
                    };
                    let snippet = snippet
                        .replace("&lt;", "<")
                        .replace("&gt;", ">")
                        .replace("&#x27;", "'")
                        .replace("&quot;", "\"")
                        .replace("&amp;", "&");
                    println!(
                        "dossier {} · document {} · page {} ({:.2})\n    {}",
                        h.dossier, h.document, h.page, h.score, snippet
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { dir, details, json } => match permanence::extract::eval::run(&dir) {
            Ok(report) if json => {
                print_json(&report);
                Ok(ExitCode::SUCCESS)
            }
            Ok(report) => {
                print!("{}", report.markdown());
                if details {
                    println!();
                    for f in &report.failures {
                        println!("- {f}");
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("permanence : {e}");
                Ok(ExitCode::from(2))
            }
        },
        Command::Extract { file, json } => {
            let facts = facts::extract(&file)?;
            if json {
                print_json(&facts);
            } else {
                println!(
                    "{} : {} page(s), sha256 {}{}",
                    facts.source.file,
                    facts.source.pages,
                    facts.source.sha256,
                    if facts.source.ocr_pages.is_empty() {
                        String::new()
                    } else {
                        format!(", pages sans texte : {:?}", facts.source.ocr_pages)
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Orient { file, policy, json } => {
            let policy = match &policy {
                Some(path) => orient::load_policy(path)?,
                None => orient::default_policy(),
            };
            let facts = facts::extract(&file)?;
            let proposal = orient::propose(&facts, &policy);
            if json {
                print_json(&orient::Orient {
                    facts: &facts,
                    proposal: &proposal,
                });
            } else {
                print!("{}", orient_text(&facts.source.file, &proposal));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::DraftFile(args) => draft_file(&args),
        Command::Politique(PolitiqueCommand::Verifier { file, json }) => {
            let result = orient::load_policy(&file);
            if json {
                print_json(&policy_check_json(&result));
            }
            match result {
                Ok(p) => {
                    if !json {
                        println!(
                            "Politique «\u{a0}{}\u{a0}», version {} ({}, en vigueur le {})\u{a0}: {} règle(s), aucune erreur.",
                            p.name,
                            p.version,
                            p.author,
                            p.effective,
                            p.rules.len()
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    if !json {
                        for line in e.lines() {
                            eprintln!("permanence : {line}");
                        }
                    }
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Check { json } => {
            let c = open(data_dir)?.consistency()?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "intégrité : {} ; pages en base : {} ; pages indexées : {}",
                    c.integrity, c.database_pages, c.index_pages
                );
            }
            Ok(if c.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Bench(args) => permanence::bench::run(&args).map(|()| ExitCode::SUCCESS),
    }
}

/// `permanence draft-file`: facts, proposal and the draft of one procedure file, written whole
/// or not at all.
fn draft_file(args: &DraftFileArgs) -> Result<ExitCode, Error> {
    use permanence::draft;
    let kind = draft::Kind::from_id(&args.kind)?;
    let templates = match &args.templates {
        Some(dir) => draft::TemplateSource::with_dir(dir)?,
        None => draft::TemplateSource::shipped(),
    };
    let policy = match &args.policy {
        Some(path) => orient::load_policy(path)?,
        None => orient::default_policy(),
    };
    let now = match &args.now {
        Some(s) => {
            chrono::DateTime::parse_from_rfc3339(s).map_err(|_| draft::DraftError::Read {
                file: s.clone(),
                reason: "date et heure attendues au format RFC 3339 (2026-12-02T14:05:00+01:00)"
                    .to_owned(),
            })?
        }
        None => chrono::Local::now().fixed_offset(),
    };
    let mut criteria = Vec::new();
    for n in &args.criteria {
        if !(1..=7).contains(n) {
            return Err(draft::DraftError::UnknownCriterion(n.to_string()).into());
        }
        criteria.push(draft::Criterion144 {
            number: *n,
            reasoning: String::new(),
            cotes: Vec::new(),
        });
    }
    let facts = facts::extract(&args.file)?;
    let proposal = orient::propose(&facts, &policy);
    let input = draft::DraftInput {
        dossier: draft::Dossier {
            id: facts.source.sha256.get(..8).unwrap_or_default().to_owned(),
            title: args
                .file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            parquet_number: args.parquet.clone(),
        },
        proposal: Some(proposal),
        decision: None,
        court: args.tribunal.clone(),
        magistrate: draft::Magistrate {
            name: args.magistrat.clone(),
            function: args.fonction.clone(),
        },
        detention: draft::Detention {
            criteria,
            insufficiency: None,
        },
        conclusion: draft::Conclusion::FromFacts,
        now,
        facts,
    };
    let bytes = draft::render(kind, &input, &templates)?;
    draft::write_atomic(&args.out, &bytes)?;
    if kind == draft::Kind::Bordereau {
        draft::write_atomic(
            &args.out.with_extension("csv"),
            draft::bordereau_csv(&input.facts).as_bytes(),
        )?;
    }
    let file = args.out.display().to_string();
    if args.json {
        print_json(&serde_json::json!({"file": file, "kind": kind.id(), "bytes": bytes.len()}));
    } else {
        println!("{} : {} écrit ({} octets)", kind.title(), file, bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} pages {pos}/{len} {wide_bar} {eta}")
            .expect("valid template"),
    );
    Some(bar)
}

/// `politique verifier --json`: `{"valid", "policy": {name, version, author, effective, rules} | null,
/// "errors": [{code, line, column, message}]}`.
fn policy_check_json(result: &Result<orient::Policy, orient::PolicyError>) -> serde_json::Value {
    match result {
        Ok(p) => serde_json::json!({
            "valid": true,
            "policy": {
                "name": p.name,
                "version": p.version,
                "author": p.author,
                "effective": p.effective,
                "rules": p.rules.len(),
            },
            "errors": [],
        }),
        Err(orient::PolicyError::Invalid { problems, .. }) => serde_json::json!({
            "valid": false,
            "policy": null,
            "errors": problems
                .iter()
                .map(|p| serde_json::json!({
                    "code": p.kind.code(),
                    "line": p.line,
                    "column": p.column,
                    "message": p.message,
                }))
                .collect::<Vec<_>>(),
        }),
        Err(e) => serde_json::json!({
            "valid": false,
            "policy": null,
            "errors": [{"code": e.code(), "line": null, "column": null, "message": e.to_string()}],
        }),
    }
}

fn pages(evidence: &[permanence::facts::Evidence]) -> String {
    let mut pages: Vec<u32> = evidence.iter().map(|e| e.page).collect();
    pages.sort_unstable();
    pages.dedup();
    match pages.as_slice() {
        [] => String::new(),
        [one] => format!(" (p.\u{a0}{one})"),
        many => format!(
            " (p.\u{a0}{})",
            many.iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The proposal as French text for a terminal.
fn orient_text(file: &str, p: &orient::Proposal) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(out, "{file}");
    let _ = writeln!(
        out,
        "Orientation proposée\u{a0}: {} ({})",
        p.orientation_label,
        p.orientation.id()
    );
    let _ = writeln!(
        out,
        "Politique\u{a0}: «\u{a0}{}\u{a0}», version {}",
        p.policy.name, p.policy.version
    );
    if !p.rules.is_empty() {
        let _ = writeln!(out, "\nRègles applicables\u{a0}:");
        for r in &p.rules {
            let _ = writeln!(
                out,
                "  {} {} — {}",
                if r.decisive { "▶" } else { "·" },
                r.id,
                r.orientation.label()
            );
            let _ = writeln!(out, "      {}", r.explanation);
            for c in &r.conditions {
                let _ = writeln!(out, "      – {}{}", c.reason, pages(&c.evidence));
            }
        }
    }
    if !p.measures.is_empty() {
        let _ = writeln!(out, "\nMesures\u{a0}:");
        for m in &p.measures {
            let _ = writeln!(
                out,
                "  – {}{}",
                m.label,
                if m.mandatory { " — obligatoire" } else { "" }
            );
        }
    }
    if !p.legal_frame.offences.is_empty() {
        let _ = writeln!(out, "\nCadre légal\u{a0}:");
        for o in &p.legal_frame.offences {
            match &o.entry {
                Some(e) => {
                    let mut line =
                        format!("  – NATINF {} ({})\u{a0}: {}", e.natinf, e.nature, e.label);
                    if let Some(d) = &e.defined_by {
                        let _ = write!(line, "\u{a0}; défini par {d}");
                    }
                    if let Some(r) = &e.repressed_by {
                        let _ = write!(line, "\u{a0}; réprimé par {r}");
                    }
                    let _ = writeln!(out, "{line}");
                }
                None => {
                    let _ = writeln!(out, "  – {} (NATINF non déterminé)", o.label);
                }
            }
        }
        for m in &p.legal_frame.mandatory {
            let _ = writeln!(out, "  – Obligatoire\u{a0}: {} ({})", m.text, m.legal_basis);
        }
    }
    if !p.missing.is_empty() {
        let _ = writeln!(out, "\nÀ vérifier\u{a0}:");
        for m in &p.missing {
            let _ = writeln!(out, "  – {m}");
        }
        for u in &p.undetermined {
            let _ = writeln!(
                out,
                "  – la règle {} ({}) s'appliquerait peut-être",
                u.id,
                u.orientation.label()
            );
        }
    }
    out
}
