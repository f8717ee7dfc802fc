//! `permanence`: the command-line face of the engine. Each subcommand parses its arguments,
//! calls one engine function and prints the result (human text, or `--json` as in
//! `../shared/contracts/README.md`). Errors: one French line on standard error, exit code 2.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use permanence::crypto::{self, CryptoError, KdfParams, Keys, NEW_PASSPHRASE_ENV, PASSPHRASE_ENV};
use permanence::store::Store;
use permanence::{DataDir, Engine, Error, ImportReport, facts, natinf, orient};
use zeroize::Zeroizing;

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
    /// Rédige un acte (DOCX) à partir d'un fichier de procédure, sans rien enregistrer.
    DraftFile(DraftFileArgs),
    /// Rédige un acte (DOCX) d'un dossier importé : synthese, bordereau, orientation, jld,
    /// requisitoire (le bordereau s'écrit aussi en CSV à côté).
    Draft {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long, value_name = "TYPE")]
        kind: String,
        /// Le document à écrire (.docx).
        #[arg(long, value_name = "FICHIER")]
        out: PathBuf,
        /// Dossier de modèles : un modèle du même nom remplace celui livré.
        #[arg(long, value_name = "DOSSIER")]
        templates: Option<PathBuf>,
        /// Critère de l'article 144 du code de procédure pénale retenu (1 à 7), répétable.
        #[arg(long = "critere-144", value_name = "N")]
        criteria: Vec<u8>,
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
    /// Les politiques pénales : vérifier un fichier, les garder, choisir l'active.
    #[command(subcommand, alias = "politique")]
    Policy(PolicyCommand),
    /// Les faits d'un dossier : lus, corrigés, avec leur source.
    Facts {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long)]
        json: bool,
    },
    /// Corrige un fait d'un dossier (la valeur lue est gardée ; la correction l'emporte).
    #[command(alias = "corriger")]
    Correct {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        /// Le champ, en chemin JSON : /alcohol/value, /licence/status, /persons/0/surname…
        #[arg(value_name = "CHAMP")]
        field: String,
        /// La valeur : en JSON (0.62, true, null, "Melun") ou un texte simple.
        #[arg(value_name = "VALEUR")]
        value: String,
        /// Pourquoi (facultatif).
        #[arg(long, default_value = "", value_name = "TEXTE")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Le profil de l'utilisateur (nom, fonction, tribunal), inscrit dans chaque décision.
    #[command(alias = "profil")]
    Profile {
        #[arg(long, value_name = "NOM")]
        name: Option<String>,
        #[arg(long, value_name = "FONCTION")]
        function: Option<String>,
        /// Le tribunal judiciaire (« Melun »).
        #[arg(long, value_name = "TRIBUNAL")]
        court: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// La proposition d'orientation pour un dossier, selon la politique active.
    #[command(alias = "proposer")]
    Propose {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long)]
        json: bool,
    },
    /// Le statut d'un dossier, ou le change (reçu, en_examen, oriente, decision_validee,
    /// actes_produits, cloture).
    #[command(alias = "statut")]
    Status {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(value_name = "STATUT")]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// L'historique d'un dossier : qui a fait quoi, et quand.
    #[command(alias = "historique")]
    Timeline {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long)]
        json: bool,
    },
    /// Les échéances (fin de garde à vue) des dossiers en cours, ou d'un dossier.
    #[command(alias = "echeances")]
    Deadlines {
        #[arg(value_name = "DOSSIER")]
        dossier: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Les autres dossiers de la même personne (nom, prénoms, date et lieu de naissance).
    #[command(alias = "antecedents-locaux")]
    Related {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        #[arg(long)]
        json: bool,
    },
    /// Les chiffres d'activité, tirés des données enregistrées.
    Stats {
        /// Premier jour (AAAA-MM-JJ).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Dernier jour (AAAA-MM-JJ).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Seulement les dossiers de cette famille d'infraction (alcool_delit…).
        #[arg(long, value_name = "FAMILLE")]
        family: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: StatsFormat,
        /// Virgule décimale dans le CSV (tableur en français).
        #[arg(long)]
        decimal_comma: bool,
        /// La liste des dossiers pseudonymisée (ni nom, ni date de naissance, ni
        /// immatriculation, ni texte libre), à la place des chiffres.
        #[arg(long)]
        pseudonymised: bool,
    },
    /// Enregistre la décision du magistrat : la proposition acceptée, ou une autre orientation
    /// avec sa raison.
    #[command(alias = "decider")]
    Decide {
        #[arg(value_name = "DOSSIER")]
        dossier: i64,
        /// Accepte la proposition telle quelle.
        #[arg(
            long,
            conflicts_with = "orientation",
            required_unless_present = "orientation"
        )]
        accept: bool,
        /// L'orientation retenue (identifiant : composition_penale, crpc_convocation…).
        #[arg(long, value_name = "ID")]
        orientation: Option<String>,
        /// La raison d'une orientation autre que la proposition.
        #[arg(long, default_value = "", value_name = "TEXTE")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
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
    /// Change la phrase de passe du dossier de données (l'ancienne, puis deux fois la nouvelle,
    /// ou les variables PERMANENCE_PASSPHRASE et PERMANENCE_NEW_PASSPHRASE).
    #[command(alias = "phrase-de-passe")]
    Passphrase,
    /// La nomenclature NATINF : import du fichier du ministère, recherche, fiche d'une infraction.
    #[command(subcommand)]
    Natinf(NatinfCommand),
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum StatsFormat {
    Json,
    Csv,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Vérifie un fichier de politique et affiche chaque erreur avec sa ligne et sa colonne.
    #[command(alias = "verifier")]
    Check {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Les politiques gardées, et celle qui est active.
    #[command(alias = "liste")]
    List {
        #[arg(long)]
        json: bool,
    },
    /// Garde une politique (vérifiée d'abord ; un fichier erroné est refusé).
    #[command(alias = "ajouter")]
    Add {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        /// La rend active aussitôt.
        #[arg(long)]
        activate: bool,
        #[arg(long)]
        json: bool,
    },
    /// Rend active une politique gardée.
    #[command(alias = "activer")]
    Activate {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum NatinfCommand {
    /// Importe la nomenclature NATINF (CSV du ministère) ; remplace la table précédente.
    Import {
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Cherche une infraction par les mots de sa qualification ou par son numéro.
    Search {
        #[arg(required = true, value_name = "TEXTE")]
        text: Vec<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Montre une infraction : nature, qualification, textes qui la définissent et la répriment.
    Show {
        #[arg(value_name = "NATINF")]
        code: String,
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
    // Few malloc arenas: with one per thread, glibc keeps freed pages of every indexing and
    // reading thread, and a 2,000-page import peaked at several times its working set on a
    // loaded machine. Two arenas keep the peak near what the import really holds.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: a tuning call made before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    // Started again as the PDF reader (see `permanence::worker`): serve one file, nothing else.
    if let Some(code) = permanence::worker::serve_if_asked() {
        return code;
    }
    permanence::worker::enable();
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
    let (dir, keys) = unlock(data_dir)?;
    Engine::open(dir, keys)
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
                        if p.ocr_total > 0 {
                            bar.set_message(format!(
                                "reconnaissance de caractères {}/{}",
                                p.ocr_done, p.ocr_total
                            ));
                        }
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
                        format!(", {} page(s) lue(s) par OCR", doc.ocr_pages.len())
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
        Command::Draft {
            dossier,
            kind,
            out,
            templates,
            criteria,
            json,
        } => {
            let templates = match &templates {
                Some(dir) => permanence::draft::TemplateSource::with_dir(dir)?,
                None => permanence::draft::TemplateSource::shipped(),
            };
            let written = open(data_dir)?.draft(dossier, &kind, &out, &templates, &criteria)?;
            if json {
                print_json(&written);
            } else {
                println!(
                    "{} : {} écrit ({} octets)",
                    written.title, written.file, written.bytes
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy(PolicyCommand::List { json }) => {
            let engine = open(data_dir)?;
            let policies = engine.policies()?;
            if json {
                print_json(&policies);
            } else if policies.is_empty() {
                let p = engine.active_policy()?;
                println!(
                    "Aucune politique gardée : la politique d'exemple «\u{a0}{}\u{a0}» (version {}) s'applique.",
                    p.name, p.version
                );
            } else {
                for p in policies {
                    println!(
                        "{:>4}  {} «\u{a0}{}\u{a0}», version {} ({}, en vigueur le {})",
                        p.id,
                        if p.active { "▶ active" } else { "        " },
                        p.name,
                        p.version,
                        p.author,
                        p.effective
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy(PolicyCommand::Add {
            file,
            activate,
            json,
        }) => {
            let mut engine = open(data_dir)?;
            let row = match engine.add_policy(&file, activate) {
                Ok(row) => row,
                Err(Error::Policy(e)) => {
                    for line in e.lines() {
                        eprintln!("permanence : {line}");
                    }
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e),
            };
            if json {
                print_json(&row);
            } else {
                println!(
                    "Politique «\u{a0}{}\u{a0}», version {}, gardée sous le n°\u{a0}{}{}.",
                    row.name,
                    row.version,
                    row.id,
                    if row.active { " et active" } else { "" }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy(PolicyCommand::Activate { id, json }) => {
            let row = open(data_dir)?.activate_policy(id)?;
            if json {
                print_json(&row);
            } else {
                println!(
                    "Politique active : «\u{a0}{}\u{a0}», version {}.",
                    row.name, row.version
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { dossier, json } => {
            let f = open(data_dir)?.dossier_facts(dossier)?;
            if json {
                print_json(&f);
            } else {
                print!("{}", facts_text(&f));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Correct {
            dossier,
            field,
            value,
            reason,
            json,
        } => {
            // JSON when it reads as JSON ("0.62", "true", "null", "\"Melun\""), else a text.
            let value = serde_json::from_str(&value).unwrap_or(serde_json::Value::String(value));
            let c = open(data_dir)?.correct(dossier, &field, value, &reason)?;
            if json {
                print_json(&c);
            } else {
                println!(
                    "{} : {} → {} (correction n°\u{a0}{})",
                    c.path, c.previous, c.value, c.id
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Profile {
            name,
            function,
            court,
            json,
        } => {
            let mut engine = open(data_dir)?;
            let mut profile = engine.profile()?;
            if name.is_some() || function.is_some() || court.is_some() {
                profile.name = name.unwrap_or(profile.name);
                profile.function = function.unwrap_or(profile.function);
                profile.court = court.unwrap_or(profile.court);
                engine.set_profile(&profile)?;
            }
            if json {
                print_json(&profile);
            } else {
                let or_none = |s: &str| {
                    if s.is_empty() {
                        "(non renseigné)".to_owned()
                    } else {
                        s.to_owned()
                    }
                };
                println!("Nom : {}", or_none(&profile.name));
                println!("Fonction : {}", or_none(&profile.function));
                println!("Tribunal judiciaire : {}", or_none(&profile.court));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Propose { dossier, json } => {
            let proposal = open(data_dir)?.propose_and_record(dossier)?;
            if json {
                print_json(&proposal);
            } else {
                print!(
                    "{}",
                    orient_text(&format!("Dossier n°\u{a0}{dossier}"), &proposal)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Status {
            dossier,
            status,
            json,
        } => {
            let mut engine = open(data_dir)?;
            if let Some(status) = status {
                engine.set_status(dossier, &status)?;
            }
            let summary = engine.show(dossier)?.summary;
            if json {
                print_json(&serde_json::json!({ "dossier": dossier, "status": summary.status }));
            } else {
                let label = permanence::tracking::Status::from_id(&summary.status)
                    .map_or(summary.status.as_str(), |s| s.label());
                println!("Dossier n°\u{a0}{dossier} : {label}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { dossier, json } => {
            let entries = open(data_dir)?.timeline(dossier)?;
            if json {
                print_json(&entries);
            } else {
                for e in entries {
                    println!(
                        "{}  {}{}",
                        e.at,
                        e.label,
                        if e.actor.is_empty() {
                            String::new()
                        } else {
                            format!(" — {}", e.actor)
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Deadlines { dossier, json } => {
            let mut engine = open(data_dir)?;
            let now = permanence::tracking::now_local();
            let dossiers: Vec<i64> = match dossier {
                Some(d) => vec![d],
                None => engine.list()?.into_iter().map(|d| d.id).collect(),
            };
            let mut all = Vec::new();
            for d in dossiers {
                match engine.deadlines(d, now) {
                    Ok(list) => all.extend(list),
                    // A dossier without a document has no deadline.
                    Err(Error::Decision(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            if json {
                print_json(&all);
            } else if all.is_empty() {
                println!("Aucune échéance.");
            } else {
                for d in all {
                    let state = match d.state.as_str() {
                        "depassee" => "DÉPASSÉE",
                        "proche" => "proche",
                        _ => "à venir",
                    };
                    println!(
                        "Dossier n°\u{a0}{} : {} le {} ({state})",
                        d.dossier,
                        d.label,
                        d.due.replace('T', " à ")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Related { dossier, json } => {
            let related = open(data_dir)?.related(dossier)?;
            if json {
                print_json(&related);
            } else if related.is_empty() {
                println!("Aucun autre dossier de cette personne.");
            } else {
                for r in related {
                    println!(
                        "Dossier n°\u{a0}{} ({}, {}) — {} : {}",
                        r.dossier,
                        &r.created[..10],
                        r.status,
                        r.role,
                        r.reason
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats {
            from,
            to,
            family,
            format,
            decimal_comma,
            pseudonymised,
        } => {
            let mut engine = open(data_dir)?;
            let filter = permanence::stats::Filter { from, to, family };
            let decimal = if decimal_comma {
                permanence::stats::Decimal::Comma
            } else {
                permanence::stats::Decimal::Point
            };
            let mut out = std::io::stdout().lock();
            if pseudonymised {
                let list = engine.pseudonymised(&filter)?;
                match format {
                    StatsFormat::Json => print_json(&list),
                    StatsFormat::Csv => {
                        let _ = out.write_all(
                            permanence::stats::pseudonymised_csv(&list, decimal).as_bytes(),
                        );
                    }
                }
            } else {
                let figures = engine.figures(&filter)?;
                match format {
                    StatsFormat::Json => print_json(&figures),
                    StatsFormat::Csv => {
                        let _ = out.write_all(
                            permanence::stats::figures_csv(&figures, decimal).as_bytes(),
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Decide {
            dossier,
            accept: _,
            orientation,
            reason,
            json,
        } => {
            let d = open(data_dir)?.decide(dossier, orientation.as_deref(), &reason)?;
            if json {
                print_json(&d);
            } else {
                let label = orient::Orientation::from_id(&d.decision.orientation)
                    .map_or(d.decision.orientation.as_str(), |o| o.label());
                println!(
                    "Dossier n°\u{a0}{} : {} — {} par {} le {}.",
                    dossier,
                    label,
                    if d.decision.accepted {
                        "proposition acceptée"
                    } else {
                        "orientation modifiée"
                    },
                    d.decision.actor,
                    d.decision.at
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy(PolicyCommand::Check { file, json }) => {
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
        Command::Natinf(command) => natinf_command(data_dir, command),
        Command::Passphrase => {
            let dir = DataDir::resolve(data_dir.map(PathBuf::as_path))?;
            crypto::state(dir.root())?;
            let old = passphrase(PASSPHRASE_ENV, "Phrase de passe actuelle : ", false)?;
            let new = passphrase(NEW_PASSPHRASE_ENV, "Nouvelle phrase de passe : ", true)?;
            crypto::change_passphrase(dir.root(), &old, &new, KdfParams::for_new_key())?;
            eprintln!("Phrase de passe changée : l'ancienne n'ouvre plus ce dossier de données.");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn open_store(data_dir: Option<&PathBuf>) -> Result<Store, Error> {
    let (dir, keys) = unlock(data_dir)?;
    Ok(Store::open(dir, &keys)?)
}

/// The data directory and its keys: the passphrase from `PERMANENCE_PASSPHRASE` or the
/// terminal (twice when the directory is new, whose key is then created).
fn unlock(data_dir: Option<&PathBuf>) -> Result<(DataDir, Keys), Error> {
    let dir = DataDir::resolve(data_dir.map(PathBuf::as_path))?;
    let keys = match crypto::state(dir.root())? {
        crypto::State::New => {
            let pass = passphrase(
                PASSPHRASE_ENV,
                "Phrase de passe du nouveau dossier de données : ",
                true,
            )?;
            crypto::create(dir.root(), &pass, KdfParams::for_new_key())?
        }
        crypto::State::Encrypted => {
            let pass = passphrase(PASSPHRASE_ENV, "Phrase de passe : ", false)?;
            crypto::unlock(dir.root(), &pass)?
        }
    };
    Ok((dir, keys))
}

/// A passphrase from the environment variable `env`, else asked on the terminal (not echoed;
/// `confirm`: asked twice, both must agree).
fn passphrase(env: &str, prompt: &str, confirm: bool) -> Result<Zeroizing<String>, Error> {
    if let Some(value) = std::env::var_os(env) {
        return Ok(Zeroizing::new(value.to_string_lossy().into_owned()));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::NoPassphrase)
    };
    let first = ask(prompt)?;
    if confirm && *ask("Confirmez-la : ")? != *first {
        return Err(CryptoError::PassphraseMismatch.into());
    }
    Ok(first)
}

fn natinf_command(data_dir: Option<&PathBuf>, command: NatinfCommand) -> Result<ExitCode, Error> {
    match command {
        NatinfCommand::Import { file, json } => {
            let summary = natinf::import(&mut open_store(data_dir)?, &file)?;
            if json {
                print_json(&summary);
            } else {
                print!("{}", natinf_import_text(&summary));
            }
        }
        NatinfCommand::Search { text, limit, json } => {
            let store = open_store(data_dir)?;
            let found = natinf::search(&store, &text.join(" "), limit)?;
            if json {
                print_json(&found.entries);
            } else {
                print!("{}", natinf_search_text(&store, &found)?);
            }
        }
        NatinfCommand::Show { code, json } => {
            let entry = natinf::show(&open_store(data_dir)?, &code)?;
            if json {
                print_json(&entry);
            } else {
                print!("{}", natinf_entry_text(&entry, true));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `n` (thousands apart: « 17 000 ») and the noun, singular for 0 and 1 as French writes it.
fn count(n: u64, singular: &str, plural: &str) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(d);
    }
    format!("{grouped}\u{a0}{}", if n > 1 { plural } else { singular })
}

/// An RFC 3339 instant as a French date in local time: « 2 décembre 2026 ».
fn french_date(instant: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    use chrono::Datelike as _;
    match chrono::DateTime::parse_from_rfc3339(instant) {
        Ok(t) => {
            let t = t.with_timezone(&chrono::Local);
            let day = match t.day() {
                1 => "1er".to_owned(),
                d => d.to_string(),
            };
            format!("{day} {} {}", MONTHS[t.month0() as usize], t.year())
        }
        Err(_) => instant.to_owned(),
    }
}

fn natinf_import_text(s: &natinf::ImportSummary) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        "Table NATINF importée depuis «\u{a0}{}\u{a0}»\u{a0}: {} ({}, séparateur {}, en-tête ligne {}) en {:.0}\u{a0}ms.\n",
        s.source,
        count(s.rows as u64, "infraction", "infractions"),
        s.encoding.label(),
        if s.separator == "\t" {
            "tabulation".to_owned()
        } else {
            format!("«\u{a0}{}\u{a0}»", s.separator)
        },
        s.header_line,
        s.elapsed_ms,
    );
    if s.replaced > 0 {
        let _ = writeln!(
            out,
            "Elle remplace la table précédente ({}).",
            count(s.replaced, "infraction", "infractions")
        );
    }
    if !s.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{}\u{a0}:",
            count(s.skipped.len() as u64, "ligne ignorée", "lignes ignorées")
        );
        for k in &s.skipped {
            let _ = writeln!(out, "  ligne {}\u{a0}: {}", k.line, k.reason);
        }
    }
    out
}

fn natinf_entry_text(e: &natinf::Entry, with_source: bool) -> String {
    use std::fmt::Write as _;
    let mut out = format!("NATINF n°\u{a0}{} — {}\n  {}\n", e.code, e.nature, e.label);
    if let Some(d) = &e.defined_by {
        let _ = writeln!(out, "  Définie par\u{a0}: {d}");
    }
    if let Some(r) = &e.repressed_by {
        let _ = writeln!(out, "  Réprimée par\u{a0}: {r}");
    }
    if with_source {
        let _ = match &e.imported {
            Some(at) => writeln!(
                out,
                "  Source\u{a0}: table importée depuis «\u{a0}{}\u{a0}» le {}",
                e.source,
                french_date(at)
            ),
            None => writeln!(
                out,
                "  Source\u{a0}: extrait routier livré avec Permanence («\u{a0}{}\u{a0}»)",
                e.source
            ),
        };
    }
    out
}

fn natinf_search_text(store: &Store, found: &natinf::Search) -> Result<String, Error> {
    let table = match (found.origin, store.natinf_import()?) {
        (natinf::Origin::Import, Some(i)) => format!(
            "dans la table importée depuis «\u{a0}{}\u{a0}» le {} ({})",
            i.source,
            french_date(&i.imported),
            count(i.rows, "infraction", "infractions")
        ),
        _ => "dans l'extrait routier livré avec Permanence (aucune table NATINF importée\u{a0}: \
              «\u{a0}permanence natinf import FICHIER\u{a0}»)"
            .to_owned(),
    };
    let mut out = if found.total == 0 {
        format!("Aucun résultat {table}.\n")
    } else if found.entries.len() < found.total {
        format!(
            "{} {table}, {} affichés\u{a0}:\n",
            count(found.total as u64, "résultat", "résultats"),
            found.entries.len()
        )
    } else {
        format!(
            "{} {table}\u{a0}:\n",
            count(found.total as u64, "résultat", "résultats")
        )
    };
    for e in &found.entries {
        out.push('\n');
        out.push_str(&natinf_entry_text(e, false));
    }
    Ok(out)
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
        indicatif::ProgressStyle::with_template(
            "{spinner} pages {pos}/{len} {wide_bar} {msg} {eta}",
        )
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
fn facts_text(f: &permanence::decision::DocumentFacts) -> String {
    use std::fmt::Write as _;
    let facts = &f.facts;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} pièce(s), extraction version {}",
        facts.source.file,
        facts.pieces.len(),
        f.version
    );
    for p in &facts.persons {
        let role = match p.role {
            facts::Role::MisEnCause => "mis en cause",
            facts::Role::Victime => "victime",
            facts::Role::Temoin => "témoin",
            facts::Role::Enqueteur => "enquêteur",
            facts::Role::Autre => p.quality.as_deref().unwrap_or("autre"),
        };
        let _ = writeln!(
            out,
            "  {role} : {} {}{}",
            p.surname,
            p.given_names,
            p.birth_date
                .as_ref()
                .map(|d| format!(", né(e) le {d}"))
                .unwrap_or_default()
        );
    }
    for o in &facts.offences {
        let _ = writeln!(
            out,
            "  infraction : {}{}",
            o.label,
            o.natinf
                .as_ref()
                .map(|n| format!(" (NATINF {n})"))
                .unwrap_or_default()
        );
    }
    if let Some(a) = &facts.alcohol {
        let unit = match a.unit {
            facts::AlcoholUnit::MgPerLitreAir => "mg/L d'air expiré",
            facts::AlcoholUnit::GPerLitreBlood => "g/L de sang",
        };
        let _ = writeln!(
            out,
            "  alcoolémie retenue : {} {unit}",
            orient::policy::decimal(a.value)
        );
    }
    for c in &f.corrections {
        let _ = writeln!(
            out,
            "  corrigé : {} = {} (au lieu de {}), par {} le {}",
            c.path, c.value, c.previous, c.actor, c.at
        );
    }
    out
}

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
