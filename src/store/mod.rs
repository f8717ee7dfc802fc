//! The data directory: one SQLite database, the stored originals, the search index.
//!
//! Layout under the data directory (see ARCHITECTURE.md), everything about cases encrypted
//! (`crate::crypto`, docs/SECURITY.md):
//! - `permanence.key` — the data key, wrapped under the passphrase;
//! - `permanence.sqlite3` — dossiers, documents, pages, journal, NATINF table (SQLCipher, WAL,
//!   foreign keys on);
//! - `originals/ab/ab12….` — each imported file byte for byte, sealed, named by a keyed hash of
//!   its sha256;
//! - `index/` — the Tantivy index of pages, its files sealed (derived from the database,
//!   rebuilt when behind);
//! - `actes/` — the drafts the app wrote, sealed;
//! - `tmp/` — files being written (sealed already); emptied at every open.
//!
//! Migrations are the `.sql` files of `migrations/`, embedded and applied in order inside one
//! transaction each; `PRAGMA user_version` records the schema version. A database whose version
//! is newer than this binary knows is refused, untouched.

mod decisions;
mod dossiers;
mod facts;
pub mod journal;
mod natinf;
mod ocr;
mod originals;
mod tracking;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::crypto::Keys;
use crate::fr::quoted;

pub use decisions::{DecisionRecord, NewDecision, NewPolicy, PolicyRow, Profile};
pub use dossiers::{
    DocumentRow, DossierDetail, DossierSummary, JournalEntry, ListPage, ListQuery, NewDocument,
    PageRow,
};
pub use facts::{Correction, NewCorrection};
pub use natinf::NatinfImport;
pub use originals::Originals;
pub use tracking::{PersonKey, StatsRef, StatsRow};

/// Environment variable overriding the data directory.
pub const DATA_ENV: &str = "PERMANENCE_DATA";

pub(crate) const DB_FILE: &str = "permanence.sqlite3";

/// The migrations, in order; the schema version is the number of migrations applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("migrations/0001_init.sql")),
    (
        "0002_journal_chain",
        include_str!("migrations/0002_journal_chain.sql"),
    ),
    (
        "0003_facts_decisions",
        include_str!("migrations/0003_facts_decisions.sql"),
    ),
    ("0004_natinf", include_str!("migrations/0004_natinf.sql")),
    (
        "0005_tracking",
        include_str!("migrations/0005_tracking.sql"),
    ),
    (
        "0006_ocr_cache",
        include_str!("migrations/0006_ocr_cache.sql"),
    ),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("le dossier de données {} n'est pas utilisable : {reason}", quoted(&.dir.display().to_string()))]
    DataDirUnavailable { dir: PathBuf, reason: String },
    #[error(
        "aucun dossier de données n'a pu être déterminé : indiquez-en un avec --data-dir ou la variable PERMANENCE_DATA"
    )]
    NoDefaultDataDir,
    #[error(
        "la base {} a été créée par une version plus récente de Permanence (schéma {found}, \
         cette version connaît le schéma {supported}) : mettez Permanence à jour",
        quoted(&.db.display().to_string())
    )]
    TooNew {
        db: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("le disque est plein : l'opération a été annulée et rien n'a été modifié")]
    DiskFull,
    #[error(
        "le disque du dossier de données {} est plein : l'import du fichier {} a été annulé et rien n'a été modifié ; libérez de la place puis recommencez",
        quoted(&.dir.display().to_string()), quoted(.file)
    )]
    ImportDiskFull { dir: PathBuf, file: String },
    #[error("la base {} est endommagée : {reason}", quoted(&.db.display().to_string()))]
    Corrupt { db: PathBuf, reason: String },
    #[error("le dossier n°\u{a0}{0} n'existe pas")]
    NoSuchDossier(i64),
    #[error("le document n°\u{a0}{0} n'existe pas")]
    NoSuchDocument(i64),
    #[error("la politique pénale n°\u{a0}{0} n'existe pas")]
    NoSuchPolicy(i64),
    #[error(
        "la politique pénale {} en version {} est déjà enregistrée : changez sa version pour en garder une nouvelle",
        quoted(.name), quoted(.version)
    )]
    PolicyExists { name: String, version: String },
    #[error("erreur d'écriture dans {} : {source}", quoted(&.path.display().to_string()))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("erreur de la base de données : {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::DataDirUnavailable { .. } => "store.data_dir_unavailable",
            StoreError::NoDefaultDataDir => "store.no_data_dir",
            StoreError::TooNew { .. } => "store.too_new",
            StoreError::DiskFull | StoreError::ImportDiskFull { .. } => "store.disk_full",
            StoreError::Corrupt { .. } => "store.corrupt",
            StoreError::NoSuchDossier(_) => "store.no_such_dossier",
            StoreError::NoSuchDocument(_) => "store.no_such_document",
            StoreError::NoSuchPolicy(_) => "store.no_such_policy",
            StoreError::PolicyExists { .. } => "store.policy_exists",
            StoreError::Io { .. } => "store.io",
            StoreError::Sqlite(_) => "store.sqlite",
        }
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> StoreError {
        if is_disk_full(&source) {
            StoreError::DiskFull
        } else {
            StoreError::Io {
                path: path.to_owned(),
                source,
            }
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            _ => StoreError::Sqlite(e),
        }
    }
}

/// True when the file system of `dir` has less than 1 MiB left: SQLite reports a full disk
/// met while creating its WAL or shared-memory file as a plain "disk I/O error".
pub fn disk_nearly_full(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: statvfs on a NUL-terminated path into a zeroed struct.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
            return false;
        }
        (st.f_bavail as u64).saturating_mul(st.f_frsize as u64) < 1 << 20
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        false
    }
}

pub(crate) fn is_disk_full(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENOSPC) || e.kind() == std::io::ErrorKind::StorageFull
}

/// Where all case data lives. Nothing the engine writes goes anywhere else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// The data directory: `explicit` (the `--data-dir` flag), else `$PERMANENCE_DATA`, else the
    /// OS convention (`~/.local/share/permanence` on Linux, `%APPDATA%\Permanence\data` on Windows).
    pub fn resolve(explicit: Option<&Path>) -> Result<DataDir, StoreError> {
        if let Some(dir) = explicit {
            return Ok(DataDir::at(dir));
        }
        if let Some(dir) = std::env::var_os(DATA_ENV).filter(|d| !d.is_empty()) {
            return Ok(DataDir::at(Path::new(&dir)));
        }
        directories::ProjectDirs::from("fr", "justice", "Permanence")
            .map(|p| DataDir::at(p.data_dir()))
            .ok_or(StoreError::NoDefaultDataDir)
    }

    pub fn at(root: &Path) -> DataDir {
        DataDir {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn database(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }
    pub fn originals(&self) -> PathBuf {
        self.root.join("originals")
    }
    pub fn index(&self) -> PathBuf {
        self.root.join("index")
    }
    pub fn tmp(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Creates the folders and proves the directory writable, or says why not.
    fn prepare(&self) -> Result<(), StoreError> {
        let unavailable = |e: std::io::Error| StoreError::DataDirUnavailable {
            dir: self.root.clone(),
            reason: match e.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    "il n'est pas accessible en écriture".to_owned()
                }
                std::io::ErrorKind::NotADirectory | std::io::ErrorKind::AlreadyExists => {
                    "un fichier porte déjà ce nom (ce n'est pas un dossier)".to_owned()
                }
                _ if is_disk_full(&e) => "le disque est plein".to_owned(),
                _ => format!("erreur du système ({e})"),
            },
        };
        for dir in [
            self.root.clone(),
            self.originals(),
            self.index(),
            self.tmp(),
        ] {
            std::fs::create_dir_all(&dir).map_err(unavailable)?;
        }
        // Leftovers of an interrupted write are never visible: remove them.
        if let Ok(entries) = std::fs::read_dir(self.tmp()) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let probe = self.tmp().join(".probe");
        std::fs::write(&probe, b"").map_err(unavailable)?;
        std::fs::remove_file(&probe).map_err(unavailable)?;
        Ok(())
    }
}

/// The open database of a data directory.
pub struct Store {
    dir: DataDir,
    conn: Connection,
    originals: Originals,
}

impl Store {
    /// Opens (creating if needed) the store of `dir` with its unlocked `keys`, applying
    /// pending migrations.
    pub fn open(dir: DataDir, keys: &Keys) -> Result<Store, StoreError> {
        dir.prepare()?;
        let db = dir.database();
        let conn = connect(&db, keys).map_err(|e| open_error(&dir, &db, e))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| open_error(&dir, &db, e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            originals: Originals::new(&dir, keys),
            dir,
            conn,
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn data_dir(&self) -> &DataDir {
        &self.dir
    }

    pub fn originals(&self) -> &Originals {
        &self.originals
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))?)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                db: self.dir.database(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        for (version, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            if *name == "0002_journal_chain" {
                journal::seal_unsealed(&tx)?;
            }
            tx.pragma_update(None, "user_version", version as u32 + 1)?;
            tx.commit()?;
            tracing::info!("applied migration {name}");
        }
        Ok(())
    }

    /// `PRAGMA integrity_check`: `"ok"` when the database is sound.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let rows: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows.join("; "))
    }
}

/// The SQLCipher database at `db`, keyed: its pages, WAL included, are encrypted with the
/// database key (AES-256, SQLCipher 4's defaults, raw key so no second derivation). A first
/// read proves the key: a database written under another key is "not a database".
pub fn connect(db: &Path, keys: &Keys) -> Result<Connection, rusqlite::Error> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch(&format!("PRAGMA key = {};", &*keys.database_pragma()))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    // Sorts and temporary tables in memory, never in clear in a temporary file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(conn)
}

fn open_error(dir: &DataDir, db: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::SystemIoFailure | ErrorCode::DiskFull) if disk_nearly_full(dir.root()) => {
            StoreError::DataDirUnavailable {
                dir: dir.root().to_owned(),
                reason: "le disque est plein".to_owned(),
            }
        }
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::DataDirUnavailable {
            dir: dir.root().to_owned(),
            reason: "la base de données ne peut pas y être ouverte en écriture".to_owned(),
        },
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            db: db.to_owned(),
            reason: "ce n'est pas une base Permanence chiffrée avec la clé de ce dossier"
                .to_owned(),
        },
        _ => e.into(),
    }
}

/// Now, as stored: RFC 3339 in UTC, to the second.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_record_the_version() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        drop(store);
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let fk: i64 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn refuses_a_newer_database_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        store
            .conn()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(store);
        let Err(err) = Store::open(DataDir::at(tmp.path()), &keys) else {
            panic!("opened a newer database")
        };
        assert_eq!(err.code(), "store.too_new");
        assert!(err.to_string().contains("plus récente"));
        let conn = connect(&DataDir::at(tmp.path()).database(), &keys).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION + 1);
    }

    #[test]
    fn journal_is_append_only() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let store = Store::open(DataDir::at(tmp.path()), &keys).unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO journal (at, event) VALUES ('2026-11-25T00:00:00Z', 'test')",
                [],
            )
            .unwrap();
        assert!(
            store
                .conn()
                .execute("UPDATE journal SET event = 'x'", [])
                .is_err()
        );
        assert!(store.conn().execute("DELETE FROM journal", []).is_err());
    }

    #[test]
    fn a_file_in_place_of_the_data_directory_is_explained_in_french() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = crate::crypto::Keys::ephemeral();
        let file = tmp.path().join("donnees");
        std::fs::write(&file, b"").unwrap();
        let Err(err) = Store::open(DataDir::at(&file), &keys) else {
            panic!("opened a file as a folder")
        };
        assert_eq!(err.code(), "store.data_dir_unavailable");
        assert!(err.to_string().contains("ce n'est pas un dossier"), "{err}");
    }

    #[test]
    fn explicit_dir_wins_over_environment() {
        let dir = DataDir::resolve(Some(Path::new("/tmp/explicit"))).unwrap();
        assert_eq!(dir.root(), Path::new("/tmp/explicit"));
    }
}
