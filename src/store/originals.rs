//! Originals kept byte for byte, sealed, content-addressed by a keyed hash of their sha256.
//!
//! A file is sealed (`Keys::originals`, its stored name authenticated with it), written to
//! `tmp/`, synced, then renamed into `originals/ab/<name>` and the folder synced: a reader sees
//! the whole file or no file. `<name>` is `Keys::original_name(sha256, kind)`: the same file
//! always gets the same name, and the name tells nothing to whoever lacks the key. Files that
//! no document row names (an import killed between the rename and the database commit) are
//! removed by `sweep`.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{DataDir, StoreError};
use crate::crypto::{CryptoError, Keys};

/// The kinds of originals (`documents.kind`).
const KINDS: [&str; 2] = ["pdf", "txt"];

#[derive(Debug, Clone)]
pub struct Originals {
    root: PathBuf,
    tmp: PathBuf,
    keys: Keys,
}

impl Originals {
    pub(super) fn new(dir: &DataDir, keys: &Keys) -> Originals {
        Originals {
            root: dir.originals(),
            tmp: dir.tmp(),
            keys: keys.clone(),
        }
    }

    /// Where the original with this digest lives.
    pub fn path(&self, sha256: &str, kind: &str) -> PathBuf {
        let name = self.keys.original_name(sha256, kind);
        self.root.join(&name[..2]).join(name)
    }

    /// Stores `bytes` under `sha256` unless already there.
    pub fn put(&self, sha256: &str, kind: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let target = self.path(sha256, kind);
        if target.is_file() {
            return Ok(target);
        }
        let folder = target.parent().expect("originals are in a sub-folder");
        std::fs::create_dir_all(folder).map_err(|e| StoreError::io(folder, e))?;
        let sealed = self.keys.originals().seal(&name_of(&target), bytes);
        let mut tmp =
            tempfile::NamedTempFile::new_in(&self.tmp).map_err(|e| StoreError::io(&self.tmp, e))?;
        tmp.write_all(&sealed)
            .map_err(|e| StoreError::io(tmp.path(), e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| StoreError::io(&target, e))?;
        tmp.persist(&target)
            .map_err(|e| StoreError::io(&target, e.error))?;
        sync_dir(folder)?;
        Ok(target)
    }

    /// Removes a stored original (one an import that failed had just written).
    pub fn remove(&self, sha256: &str, kind: &str) {
        let _ = std::fs::remove_file(self.path(sha256, kind));
    }

    /// The original's bytes, as imported.
    pub fn read(&self, sha256: &str, kind: &str) -> Result<Vec<u8>, crate::Error> {
        let path = self.path(sha256, kind);
        let sealed = std::fs::read(&path).map_err(|e| StoreError::io(&path, e))?;
        Ok(self
            .keys
            .originals()
            .open(&name_of(&path), sealed)
            .ok_or_else(|| CryptoError::Damaged {
                file: path.display().to_string(),
            })?)
    }

    /// Removes originals whose digest is not in `keep` and that were last written before
    /// `older_than` (younger ones may belong to an import under way in another process).
    /// Returns how many were removed.
    pub fn sweep(
        &self,
        keep: &HashSet<String>,
        older_than: SystemTime,
    ) -> Result<usize, StoreError> {
        let keep: HashSet<String> = keep
            .iter()
            .flat_map(|d| KINDS.map(|kind| self.keys.original_name(d, kind)))
            .collect();
        let mut removed = 0;
        let Ok(folders) = std::fs::read_dir(&self.root) else {
            return Ok(0);
        };
        for folder in folders.flatten() {
            let Ok(files) = std::fs::read_dir(folder.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                let old = file
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| m < older_than);
                if !keep.contains(&name) && old {
                    std::fs::remove_file(file.path())
                        .map_err(|e| StoreError::io(&file.path(), e))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// The stored name of an original, authenticated with its content.
fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_is_idempotent_and_sweep_keeps_named_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path());
        std::fs::create_dir_all(dir.tmp()).unwrap();
        let keys = Keys::ephemeral();
        let originals = Originals::new(&dir, &keys);
        let a = "ab".repeat(32);
        let b = "cd".repeat(32);
        let path = originals.put(&a, "pdf", b"%PDF-1.7 a").unwrap();
        assert_eq!(originals.put(&a, "pdf", b"%PDF-1.7 a").unwrap(), path);
        originals.put(&b, "pdf", b"%PDF-1.7 b").unwrap();
        assert_eq!(originals.read(&a, "pdf").unwrap(), b"%PDF-1.7 a");
        // Sealed, and named without the digest.
        let stored = std::fs::read(&path).unwrap();
        assert!(!stored.windows(8).any(|w| w == b"%PDF-1.7"));
        assert!(!path.to_string_lossy().contains(&a));
        // Renamed (or swapped with another), it does not open.
        let renamed = originals.path(&a, "txt");
        std::fs::create_dir_all(renamed.parent().unwrap()).unwrap();
        std::fs::copy(&path, &renamed).unwrap();
        assert_eq!(
            originals.read(&a, "txt").unwrap_err().code(),
            "crypto.damaged"
        );
        std::fs::remove_file(originals.path(&a, "txt")).unwrap();
        let keep = HashSet::from([a.clone()]);
        // Too recent: another process may still be importing it.
        let an_hour_ago = SystemTime::now() - std::time::Duration::from_secs(3600);
        assert_eq!(originals.sweep(&keep, an_hour_ago).unwrap(), 0);
        assert!(originals.path(&b, "pdf").exists());
        let removed = originals
            .sweep(&keep, SystemTime::now() + std::time::Duration::from_secs(1))
            .unwrap();
        assert_eq!(removed, 1);
        assert!(path.is_file());
        assert!(!originals.path(&b, "pdf").exists());
    }
}
