//! A Tantivy `Directory` whose files are sealed on disk.
//!
//! It wraps an `MmapDirectory`: a file Tantivy writes is held in memory until its writer
//! terminates, then sealed (`Sealer::seal`, the file's name authenticated with it) and written
//! whole; `atomic_write` (meta.json, .managed.json) seals likewise. A file read is read whole,
//! opened, and kept in memory while the directory lives (index files never change once
//! written; a deleted file leaves the cache), so searches read memory, never the disk. Locks
//! and watching are the inner directory's: lock files are empty. Nothing in clear reaches the
//! disk.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    AntiCallToken, Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes,
    TerminatingWrite, WatchCallback, WatchHandle, WritePtr,
};

use super::Sealer;

#[derive(Clone)]
pub struct SealedDirectory {
    inner: MmapDirectory,
    sealer: Sealer,
    cache: Arc<RwLock<HashMap<PathBuf, OwnedBytes>>>,
}

impl std::fmt::Debug for SealedDirectory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealedDirectory({:?})", self.inner)
    }
}

impl SealedDirectory {
    pub fn new(inner: MmapDirectory, sealer: Sealer) -> SealedDirectory {
        SealedDirectory {
            inner,
            sealer,
            cache: Arc::default(),
        }
    }

    fn name(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    fn unsealed(&self, path: &Path, sealed: Vec<u8>) -> Result<Vec<u8>, OpenReadError> {
        self.sealer.open(&Self::name(path), sealed).ok_or_else(|| {
            OpenReadError::wrap_io_error(
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "index file cannot be decrypted (damaged, or from another key)",
                ),
                path.to_owned(),
            )
        })
    }
}

impl Directory for SealedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if let Some(bytes) = self.cache.read().expect("cache lock").get(path) {
            return Ok(Arc::new(bytes.clone()));
        }
        let plain = self.unsealed(path, self.inner.atomic_read(path)?)?;
        let bytes = OwnedBytes::new(plain);
        self.cache
            .write()
            .expect("cache lock")
            .insert(path.to_owned(), bytes.clone());
        Ok(Arc::new(bytes))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.cache.write().expect("cache lock").remove(path);
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        // Created now (empty), as Tantivy expects: a second writer of the same file fails.
        let file = self.inner.open_write(path)?;
        Ok(io::BufWriter::new(Box::new(SealingWriter {
            path: path.to_owned(),
            plain: Vec::new(),
            file: Some(file),
            sealer: self.sealer.clone(),
        })))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let sealed = self.inner.atomic_read(path)?;
        self.unsealed(path, sealed)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner
            .atomic_write(path, &self.sealer.seal(&Self::name(path), data))
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Holds a file's bytes until it is terminated, then writes them sealed.
struct SealingWriter {
    path: PathBuf,
    plain: Vec<u8>,
    file: Option<WritePtr>,
    sealer: Sealer,
}

impl Write for SealingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.plain.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl TerminatingWrite for SealingWriter {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        let Some(mut file) = self.file.take() else {
            return Ok(());
        };
        let plain = std::mem::take(&mut self.plain);
        let sealed = self.sealer.seal(&SealedDirectory::name(&self.path), &plain);
        drop(plain);
        file.write_all(&sealed)?;
        file.flush()?;
        file.into_inner().map_err(|e| e.into_error())?.terminate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::Keys;

    #[test]
    fn files_are_sealed_on_disk_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = Keys::ephemeral();
        let dir = SealedDirectory::new(
            MmapDirectory::open(tmp.path()).unwrap(),
            keys.index().clone(),
        );
        let mut w = dir.open_write(Path::new("a.idx")).unwrap();
        w.write_all(b"DUPONT Jean, 0,62 mg/l").unwrap();
        w.into_inner().ok().unwrap().terminate().unwrap();
        dir.atomic_write(Path::new("meta.json"), b"{\"DUPONT\":1}")
            .unwrap();
        for file in ["a.idx", "meta.json"] {
            let raw = std::fs::read(tmp.path().join(file)).unwrap();
            assert!(!raw.windows(6).any(|w| w == b"DUPONT"), "{file} in clear");
        }
        let fresh = SealedDirectory::new(
            MmapDirectory::open(tmp.path()).unwrap(),
            keys.index().clone(),
        );
        let read = fresh.open_read(Path::new("a.idx")).unwrap();
        assert_eq!(
            read.read_bytes().unwrap().as_slice(),
            b"DUPONT Jean, 0,62 mg/l"
        );
        assert_eq!(
            fresh.atomic_read(Path::new("meta.json")).unwrap(),
            b"{\"DUPONT\":1}"
        );
        // Another key reads nothing.
        let other = SealedDirectory::new(
            MmapDirectory::open(tmp.path()).unwrap(),
            Keys::ephemeral().index().clone(),
        );
        assert!(other.open_read(Path::new("a.idx")).is_err());
        assert!(other.atomic_read(Path::new("meta.json")).is_err());
        // Deleted: gone from the cache too.
        fresh.delete(Path::new("a.idx")).unwrap();
        assert!(fresh.open_read(Path::new("a.idx")).is_err());
    }
}
