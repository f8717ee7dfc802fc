//! Permanence's desktop shell: one window over the engine, nothing else.
//!
//! The data directory is the usual one (`$PERMANENCE_DATA`, else the OS convention). The app
//! starts locked: the unlock screen sends the passphrase (`unlock`), which opens the engine;
//! « Verrouiller » (`lock`) or some minutes without activity (the Paramètres, checked every
//! few seconds here) drop it, and its keys with it, and remove the drafts opened in clear.
//! While locked every command answers `session.locked`. Each command takes the state, calls
//! one engine function off the main thread and returns its value or a `{code, message}` error
//! (`permanence::WireError`); the UI words it. The TypeScript shapes of what they return are in
//! `ui/src/core/bindings/` (ts-rs, from `permanence::app` and the engine's types).

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use permanence::app::{
    self, ActivePolicy, AppInfo, DossierRows, ExportedDraft, ImportEvent, ImportOutcome, PageView,
    PolicyCheck, Rect, SavedFile, SessionState,
};
use permanence::decision::{Decided, DocumentFacts};
use permanence::index::SearchHit;
use permanence::orient::Proposal;
use permanence::stats::{Figures, Filter};
use permanence::store::{Correction, DecisionRecord, DossierDetail, ListQuery, PolicyRow, Profile};
use permanence::tracking::{Deadline, RelatedDossier, Status, TimelineEntry};
use permanence::{DataDir, Engine, Error, WireError};
use tauri::ipc::{Channel, Response};
use tauri::{Emitter, State};

/// The event the window receives when the app locks itself.
const LOCKED_EVENT: &str = "session-verrouillee";

/// The data directory, and the engine while unlocked.
struct Shell {
    dir: Result<DataDir, WireError>,
    session: Mutex<Session>,
    /// Where drafts opened in clear go (`app::view_root`).
    views: PathBuf,
    /// Cancels the import in progress (outside the engine's lock, which the import holds).
    cancel_import: Arc<AtomicBool>,
}

struct Session {
    engine: Option<Arc<Mutex<Engine>>>,
    last_activity: Instant,
    lock_after: Duration,
}

impl Shell {
    fn new() -> Shell {
        let views = app::view_root();
        // Copies in clear left by a previous run that did not end well.
        app::clear_views(&views);
        Shell {
            dir: DataDir::resolve(None).map_err(|e| Error::from(e).to_wire()),
            session: Mutex::new(Session {
                engine: None,
                last_activity: Instant::now(),
                lock_after: Duration::from_secs(60 * u64::from(app::DEFAULT_LOCK_MINUTES)),
            }),
            views,
            cancel_import: Arc::new(AtomicBool::new(false)),
        }
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn state(&self) -> SessionState {
        let session = self.session();
        app::session_state(
            &self.dir,
            session.engine.is_none(),
            (session.lock_after.as_secs() / 60) as u32,
        )
    }

    /// Drops the engine (its keys with it) and the drafts opened in clear.
    fn lock(&self) {
        let dropped = self.session().engine.take();
        drop(dropped);
        app::clear_views(&self.views);
    }

    /// Locks when the last activity is older than the delay; true if it did.
    fn lock_if_idle(&self) -> bool {
        let idle = {
            let session = self.session();
            session.engine.is_some() && session.last_activity.elapsed() >= session.lock_after
        };
        if idle {
            self.lock();
        }
        idle
    }

    /// Runs `f` with the engine on a worker thread (never the window's), one command at a time;
    /// `session.locked` while locked. Every command counts as activity.
    async fn run<T: Send + 'static, E: ToWire>(
        &self,
        f: impl FnOnce(&mut Engine) -> Result<T, E> + Send + 'static,
    ) -> Result<T, WireError> {
        let engine = {
            let mut session = self.session();
            session.last_activity = Instant::now();
            session.engine.clone().ok_or_else(app::locked_error)?
        };
        tauri::async_runtime::spawn_blocking(move || {
            // A panic in an earlier command does not leave the engine half-written (SQLite
            // transactions), so a poisoned lock is still usable.
            let mut engine = engine.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut engine).map_err(ToWire::to_wire)
        })
        .await
        .map_err(task_error)?
    }
}

fn task_error(e: impl std::fmt::Display) -> WireError {
    WireError {
        code: "app.task".to_owned(),
        message: format!("l'opération a été interrompue ({e})"),
    }
}

/// Locked or not, the data directory, and what stops it from being unlocked.
#[tauri::command]
fn session_state(shell: State<'_, Shell>) -> SessionState {
    shell.state()
}

/// Unlocks with the passphrase typed (creating the key of a new data directory).
#[tauri::command]
async fn unlock(shell: State<'_, Shell>, passphrase: String) -> Result<SessionState, WireError> {
    let dir = shell.dir.clone()?;
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let started = Instant::now();
    let engine = tauri::async_runtime::spawn_blocking(move || {
        let engine = app::unlock(dir, &passphrase)?;
        let minutes = engine.lock_minutes()?;
        Ok::<_, Error>((engine, minutes))
    })
    .await
    .map_err(task_error)?
    .map_err(|e| {
        tracing::warn!("not unlocked: {}", e.code());
        e.to_wire()
    })?;
    tracing::info!("unlocked in {} ms", started.elapsed().as_millis());
    {
        let mut session = shell.session();
        session.engine = Some(Arc::new(Mutex::new(engine.0)));
        session.lock_after = Duration::from_secs(60 * u64::from(engine.1));
        session.last_activity = Instant::now();
    }
    Ok(shell.state())
}

/// « Verrouiller »: the engine and its keys dropped, the drafts opened in clear removed.
#[tauri::command]
fn lock(shell: State<'_, Shell>) -> SessionState {
    shell.lock();
    shell.state()
}

/// The user is active in the window (sent at most every few seconds by the UI).
#[tauri::command]
fn touch(shell: State<'_, Shell>) -> Result<(), WireError> {
    let mut session = shell.session();
    session.last_activity = Instant::now();
    session
        .engine
        .as_ref()
        .map(|_| ())
        .ok_or_else(app::locked_error)
}

#[tauri::command]
async fn set_lock_minutes(shell: State<'_, Shell>, minutes: u32) -> Result<u32, WireError> {
    let minutes = shell
        .run(move |engine| engine.set_lock_minutes(minutes))
        .await?;
    shell.session().lock_after = Duration::from_secs(60 * u64::from(minutes));
    Ok(minutes)
}

/// Errors as the UI receives them: the engine's, or already `{code, message}`.
trait ToWire: Send + 'static {
    fn to_wire(self) -> WireError;
}

impl ToWire for Error {
    fn to_wire(self) -> WireError {
        Error::to_wire(&self)
    }
}

impl ToWire for WireError {
    fn to_wire(self) -> WireError {
        self
    }
}

/// A page of the dossier list (filters, words, order, paging), each line with its offence
/// families, person, last decision and open deadline.
#[tauri::command]
async fn list_dossiers(
    shell: State<'_, Shell>,
    query: ListQuery,
) -> Result<DossierRows, WireError> {
    shell.run(move |engine| engine.dossier_rows(&query)).await
}

/// Imports dropped or picked files, each into a new dossier, reporting progress on `events`.
#[tauri::command]
async fn import_files(
    shell: State<'_, Shell>,
    paths: Vec<PathBuf>,
    events: Channel<ImportEvent>,
) -> Result<Vec<ImportOutcome>, WireError> {
    let cancel = shell.cancel_import.clone();
    cancel.store(false, Ordering::Relaxed);
    shell
        .run(move |engine| {
            Ok::<_, Error>(engine.import_files_cancellable(
                &paths,
                &mut |event| {
                    if let Err(e) = events.send(event) {
                        tracing::warn!("import progress not delivered: {e}");
                    }
                },
                &cancel,
            ))
        })
        .await
}

/// Cancels the import in progress: the file being read (and those after it) store nothing.
#[tauri::command]
fn cancel_import(shell: State<'_, Shell>) {
    shell.cancel_import.store(true, Ordering::Relaxed);
}

#[tauri::command]
async fn show_dossier(shell: State<'_, Shell>, dossier: i64) -> Result<DossierDetail, WireError> {
    shell.run(move |engine| engine.show(dossier)).await
}

#[tauri::command]
async fn dossier_facts(shell: State<'_, Shell>, dossier: i64) -> Result<DocumentFacts, WireError> {
    shell.run(move |engine| engine.dossier_facts(dossier)).await
}

/// Corrects one fact (a JSON pointer into the facts); the correction is journaled.
#[tauri::command]
async fn correct_fact(
    shell: State<'_, Shell>,
    dossier: i64,
    path: String,
    value: serde_json::Value,
    reason: String,
) -> Result<Correction, WireError> {
    shell
        .run(move |engine| engine.correct(dossier, &path, value, &reason))
        .await
}

#[tauri::command]
async fn propose(shell: State<'_, Shell>, dossier: i64) -> Result<Proposal, WireError> {
    shell
        .run(move |engine| engine.propose_and_record(dossier))
        .await
}

/// Records the decision: the proposal accepted (`orientation` null) or another with a reason.
#[tauri::command]
async fn decide(
    shell: State<'_, Shell>,
    dossier: i64,
    orientation: Option<String>,
    reason: String,
) -> Result<Decided, WireError> {
    shell
        .run(move |engine| engine.decide(dossier, orientation.as_deref(), &reason))
        .await
}

#[tauri::command]
async fn decisions(
    shell: State<'_, Shell>,
    dossier: i64,
) -> Result<Vec<DecisionRecord>, WireError> {
    shell.run(move |engine| engine.decisions(dossier)).await
}

#[tauri::command]
async fn search(
    shell: State<'_, Shell>,
    query: String,
    limit: usize,
) -> Result<Vec<SearchHit>, WireError> {
    shell
        .run(move |engine| engine.search(&query, limit.clamp(1, 200)))
        .await
}

/// The original file of a document, byte for byte (an `ArrayBuffer` for pdf.js).
#[tauri::command]
async fn document_original(shell: State<'_, Shell>, document: i64) -> Result<Response, WireError> {
    shell
        .run(move |engine| engine.original(document))
        .await
        .map(|(_, bytes)| Response::new(bytes))
}

#[tauri::command]
async fn document_page(
    shell: State<'_, Shell>,
    document: i64,
    page: u32,
) -> Result<PageView, WireError> {
    shell
        .run(move |engine| engine.page_view(document, page))
        .await
}

/// The rectangles that highlight characters `start..end` of a page (a fact's evidence).
#[tauri::command]
async fn evidence_boxes(
    shell: State<'_, Shell>,
    document: i64,
    page: u32,
    start: usize,
    end: usize,
) -> Result<Vec<Rect>, WireError> {
    shell
        .run(move |engine| engine.evidence_boxes(document, page, start, end))
        .await
}

#[tauri::command]
async fn list_policies(shell: State<'_, Shell>) -> Result<Vec<PolicyRow>, WireError> {
    shell.run(|engine| engine.policies()).await
}

#[tauri::command]
async fn active_policy(shell: State<'_, Shell>) -> Result<ActivePolicy, WireError> {
    shell.run(|engine| engine.active_policy_view()).await
}

/// Checks a policy file without keeping it: its rules, or every problem with its line.
#[tauri::command]
async fn check_policy(shell: State<'_, Shell>, path: PathBuf) -> Result<PolicyCheck, WireError> {
    shell
        .run(move |_| Ok::<_, Error>(permanence::app::check_policy(&path)))
        .await
}

#[tauri::command]
async fn add_policy(
    shell: State<'_, Shell>,
    path: PathBuf,
    activate: bool,
) -> Result<PolicyRow, WireError> {
    shell
        .run(move |engine| engine.add_policy(&path, activate))
        .await
}

#[tauri::command]
async fn activate_policy(shell: State<'_, Shell>, id: i64) -> Result<PolicyRow, WireError> {
    shell.run(move |engine| engine.activate_policy(id)).await
}

#[tauri::command]
async fn get_profile(shell: State<'_, Shell>) -> Result<Profile, WireError> {
    shell.run(|engine| engine.profile()).await
}

/// Saves the profile and returns it as stored.
#[tauri::command]
async fn set_profile(shell: State<'_, Shell>, profile: Profile) -> Result<Profile, WireError> {
    shell
        .run(move |engine| engine.set_profile(&profile).and_then(|()| engine.profile()))
        .await
}

#[tauri::command]
async fn app_info(shell: State<'_, Shell>) -> Result<AppInfo, WireError> {
    shell.run(|engine| Ok::<_, Error>(engine.app_info())).await
}

/// Writes a draft (synthese, bordereau, orientation, jld, requisitoire) of a dossier in its
/// drafts folder; `criteria`: the article 144 criteria ticked (requête JLD).
#[tauri::command]
async fn export_draft(
    shell: State<'_, Shell>,
    dossier: i64,
    kind: String,
    criteria: Vec<u8>,
) -> Result<ExportedDraft, WireError> {
    shell
        .run(move |engine| engine.export_draft(dossier, &kind, &criteria))
        .await
}

/// Opens a draft in the default word processor, or (`folder`) shows it in its folder: only
/// files the app wrote in the data directory's drafts, as a copy in clear in a private folder
/// on a RAM file system that locking removes.
#[tauri::command]
async fn open_draft(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    file: PathBuf,
    folder: bool,
) -> Result<(), WireError> {
    use tauri_plugin_opener::OpenerExt;
    let views = shell.views.clone();
    let path = shell
        .run(move |engine| engine.draft_to_view(&file, folder, &views))
        .await?;
    let opened = if folder {
        app.opener().reveal_item_in_dir(&path)
    } else {
        app.opener()
            .open_path(path.display().to_string(), None::<&str>)
    };
    opened.map_err(|e| WireError {
        code: "app.open".to_owned(),
        message: format!("le fichier n'a pas pu être ouvert ({e})"),
    })
}

/// Moves a dossier to a status (checked: no « décision validée » without a decision).
#[tauri::command]
async fn set_status(
    shell: State<'_, Shell>,
    dossier: i64,
    status: String,
) -> Result<Status, WireError> {
    shell
        .run(move |engine| engine.set_status(dossier, &status))
        .await
}

/// What happened to a dossier, from its journal, oldest first.
#[tauri::command]
async fn timeline(shell: State<'_, Shell>, dossier: i64) -> Result<Vec<TimelineEntry>, WireError> {
    shell.run(move |engine| engine.timeline(dossier)).await
}

/// The deadlines of a dossier now (end of garde à vue).
#[tauri::command]
async fn deadlines(shell: State<'_, Shell>, dossier: i64) -> Result<Vec<Deadline>, WireError> {
    shell
        .run(move |engine| engine.deadlines(dossier, permanence::tracking::now_local()))
        .await
}

/// The other local dossiers of this dossier's persons.
#[tauri::command]
async fn related(shell: State<'_, Shell>, dossier: i64) -> Result<Vec<RelatedDossier>, WireError> {
    shell.run(move |engine| engine.related(dossier)).await
}

/// The activity figures of a period and family.
#[tauri::command]
async fn figures(shell: State<'_, Shell>, filter: Filter) -> Result<Figures, WireError> {
    shell.run(move |engine| engine.figures(&filter)).await
}

/// Writes the figures (or the pseudonymised list) as CSV where the user chose.
#[tauri::command]
async fn save_figures(
    shell: State<'_, Shell>,
    filter: Filter,
    pseudonymised: bool,
    decimal_comma: bool,
    path: PathBuf,
) -> Result<SavedFile, WireError> {
    shell
        .run(move |engine| engine.save_figures(&filter, pseudonymised, decimal_comma, &path))
        .await
}

/// Under WebDriver (debug builds, or the `e2e` feature; never a package), the end-to-end test
/// delivers a drop of files the way the system does, as a `tauri://drag-drop` event: the window
/// may emit events then.
#[cfg(any(debug_assertions, feature = "e2e"))]
fn allow_test_drops(app: &tauri::App) -> tauri::Result<()> {
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true") {
        use tauri::Manager;
        app.add_capability(
            tauri::ipc::CapabilityBuilder::new("e2e-depot")
                .window("main")
                .permission("core:event:allow-emit"),
        )?;
        tracing::info!("automation: the window may emit drop events");
    }
    Ok(())
}

fn main() {
    // Started again as the PDF reader (see `permanence::worker`): serve one file, nothing else.
    if let Some(code) = permanence::worker::serve_if_asked() {
        std::process::exit(if code == std::process::ExitCode::SUCCESS {
            0
        } else {
            3
        });
    }
    permanence::worker::enable();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PERMANENCE_LOG"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(Shell::new())
        .setup(|app| {
            #[cfg(any(debug_assertions, feature = "e2e"))]
            allow_test_drops(app)?;
            watch_idle(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            session_state,
            unlock,
            lock,
            touch,
            set_lock_minutes,
            list_dossiers,
            import_files,
            cancel_import,
            show_dossier,
            dossier_facts,
            correct_fact,
            propose,
            decide,
            decisions,
            search,
            document_original,
            document_page,
            evidence_boxes,
            list_policies,
            active_policy,
            check_policy,
            add_policy,
            activate_policy,
            get_profile,
            set_profile,
            app_info,
            export_draft,
            open_draft,
            set_status,
            timeline,
            deadlines,
            related,
            figures,
            save_figures,
        ])
        .build(tauri::generate_context!("../tauri.conf.json"))
        .unwrap_or_else(|e| {
            eprintln!("permanence-app : la fenêtre n'a pas pu être ouverte : {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // Quitting locks: the keys go, and the drafts opened in clear.
            if let tauri::RunEvent::Exit = event {
                use tauri::Manager;
                app.state::<Shell>().lock();
            }
        });
}

/// Locks the app after the delay without activity, and tells the window.
fn watch_idle(app: tauri::AppHandle) {
    use tauri::Manager;
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(5));
            if app.state::<Shell>().lock_if_idle() {
                tracing::info!("locked after the delay without activity");
                if let Err(e) = app.emit(LOCKED_EVENT, ()) {
                    tracing::warn!("lock not announced to the window: {e}");
                }
            }
        }
    });
}
