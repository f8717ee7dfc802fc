//! Files written whole or not at all, even when the process is killed mid-write.
//!
//! On Linux the bytes go into an anonymous file of the target's folder (`O_TMPFILE`): nothing
//! is visible while it is written, and a kill leaves nothing behind. Once synced, the file is
//! given its name (`linkat`), and the folder is synced. When a file already has that name the
//! new one is linked under a temporary name and renamed over it (the old file stays whole until
//! the rename). Where `O_TMPFILE` is not available (other systems, some file systems) a named
//! temporary file beside the target is written, synced and renamed.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Prefix of the named temporary files, beside the target.
pub const TEMP_PREFIX: &str = ".permanence-";

/// Writes `bytes` to `path`, replacing any file there, only whole.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    #[cfg(target_os = "linux")]
    if linux::write_anonymous(&dir, path, bytes)? {
        return sync_dir(&dir);
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(&dir)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use std::ffi::CString;
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::path::Path;

    /// Writes through an anonymous file; `Ok(false)` when the folder's file system cannot.
    pub fn write_anonymous(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .mode(0o644)
            .open(dir);
        let mut file = match file {
            Ok(f) => f,
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::EOPNOTSUPP | libc::EISDIR | libc::EINVAL | libc::ENOENT)
                ) && dir.is_dir() =>
            {
                return Ok(false);
            }
            Err(e) => return Err(e),
        };
        file.write_all(bytes)?;
        file.sync_all()?;
        let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))?;
        if link(&source, path)? {
            return Ok(true);
        }
        // A file has that name: link under a temporary name, then rename over it.
        for _ in 0..16 {
            let mut random = [0u8; 8];
            getrandom::fill(&mut random).map_err(std::io::Error::other)?;
            let name = format!(
                "{}{:016x}.tmp",
                super::TEMP_PREFIX,
                u64::from_le_bytes(random)
            );
            let temporary = dir.join(name);
            if link(&source, &temporary)? {
                return match std::fs::rename(&temporary, path) {
                    Ok(()) => Ok(true),
                    Err(e) => {
                        let _ = std::fs::remove_file(&temporary);
                        Err(e)
                    }
                };
            }
        }
        Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
    }

    /// `linkat` of the anonymous file at `target`; `Ok(false)` when a file has that name.
    fn link(source: &CString, target: &Path) -> std::io::Result<bool> {
        let target = CString::new(target.as_os_str().as_bytes())?;
        // SAFETY: both paths are NUL-terminated C strings that outlive the call.
        let r = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                source.as_ptr(),
                libc::AT_FDCWD,
                target.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() == Some(libc::EEXIST) {
            Ok(false)
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_and_replaces_whole_leaving_nothing_beside() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("acte.docx");
        write(&file, b"premier").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"premier");
        write(&file, b"second, plus long").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"second, plus long");
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["acte.docx"]);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let err = write(&tmp.path().join("absent/acte.docx"), b"x").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    }
}
