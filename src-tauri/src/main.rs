//! Permanence's desktop shell: one window over the engine, nothing else.
//!
//! The engine is opened once at start-up on the usual data directory (`$PERMANENCE_DATA`, else
//! the OS convention). If that fails the window still opens and every command returns the
//! error, so the UI can say what is wrong. Commands return `{code, message}` errors
//! (`permanence::WireError`); the UI words them.

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::sync::Mutex;

use permanence::store::DossierSummary;
use permanence::{DataDir, Engine, Error, WireError};

/// The opened engine, or why it could not be opened.
struct Shell {
    engine: Result<Mutex<Engine>, WireError>,
}

impl Shell {
    fn open() -> Shell {
        let engine = DataDir::resolve(None)
            .map_err(Error::from)
            .and_then(Engine::open)
            .map(Mutex::new)
            .map_err(|e| {
                tracing::error!("le moteur n'a pas pu être ouvert : {e}");
                e.to_wire()
            });
        Shell { engine }
    }

    /// Runs `f` with the engine, one command at a time.
    fn with_engine<T>(
        &self,
        f: impl FnOnce(&mut Engine) -> Result<T, Error>,
    ) -> Result<T, WireError> {
        let engine = self.engine.as_ref().map_err(Clone::clone)?;
        // A panic in an earlier command does not leave the engine half-written (SQLite
        // transactions), so a poisoned lock is still usable.
        let mut engine = engine
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut engine).map_err(|e| e.to_wire())
    }
}

/// The dossiers, most recent first.
#[tauri::command(async)]
fn list_dossiers(shell: tauri::State<'_, Shell>) -> Result<Vec<DossierSummary>, WireError> {
    shell.with_engine(|engine| engine.list())
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("PERMANENCE_LOG"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    tauri::Builder::default()
        .manage(Shell::open())
        .invoke_handler(tauri::generate_handler![list_dossiers])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .unwrap_or_else(|e| {
            eprintln!("permanence-app : la fenêtre n'a pas pu être ouverte : {e}");
            std::process::exit(1);
        });
}
