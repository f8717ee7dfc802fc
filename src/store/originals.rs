//! Originals kept byte for byte, content-addressed by sha256.
//!
//! A file is written to `tmp/`, synced, then renamed into `originals/ab/<sha256>.<ext>` and the
//! folder synced: a reader sees the whole file or no file. Files that no document row names
//! (an import killed between the rename and the database commit) are removed by `sweep`.

use std::collections::HashSet;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{DataDir, StoreError};

#[derive(Debug, Clone)]
pub struct Originals {
    root: PathBuf,
    tmp: PathBuf,
}

impl Originals {
    pub(super) fn new(dir: &DataDir) -> Originals {
        Originals {
            root: dir.originals(),
            tmp: dir.tmp(),
        }
    }

    /// Where the original with this digest lives.
    pub fn path(&self, sha256: &str, kind: &str) -> PathBuf {
        self.root
            .join(&sha256[..2])
            .join(format!("{sha256}.{kind}"))
    }

    /// Stores `bytes` under `sha256` unless already there.
    pub fn put(&self, sha256: &str, kind: &str, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let target = self.path(sha256, kind);
        if target.is_file() {
            return Ok(target);
        }
        let folder = target.parent().expect("originals are in a sub-folder");
        std::fs::create_dir_all(folder).map_err(|e| StoreError::io(folder, e))?;
        let mut tmp =
            tempfile::NamedTempFile::new_in(&self.tmp).map_err(|e| StoreError::io(&self.tmp, e))?;
        tmp.write_all(bytes)
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

    pub fn read(&self, sha256: &str, kind: &str) -> Result<Vec<u8>, StoreError> {
        let path = self.path(sha256, kind);
        std::fs::read(&path).map_err(|e| StoreError::io(&path, e))
    }

    /// Removes originals whose digest is not in `keep` and that were last written before
    /// `older_than` (younger ones may belong to an import under way in another process).
    /// Returns how many were removed.
    pub fn sweep(
        &self,
        keep: &HashSet<String>,
        older_than: SystemTime,
    ) -> Result<usize, StoreError> {
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
                let digest = name.split('.').next().unwrap_or_default();
                let old = file
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|m| m < older_than);
                if !keep.contains(digest) && old {
                    std::fs::remove_file(file.path())
                        .map_err(|e| StoreError::io(&file.path(), e))?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
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
        let originals = Originals::new(&dir);
        let a = "ab".repeat(32);
        let b = "cd".repeat(32);
        let path = originals.put(&a, "pdf", b"%PDF-1.7 a").unwrap();
        assert_eq!(originals.put(&a, "pdf", b"%PDF-1.7 a").unwrap(), path);
        originals.put(&b, "pdf", b"%PDF-1.7 b").unwrap();
        assert_eq!(originals.read(&a, "pdf").unwrap(), b"%PDF-1.7 a");
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
