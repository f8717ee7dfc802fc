//! A full disk during an import: a data directory on a small tmpfs (the test runs as root,
//! and fails saying so otherwise), filled to leave less and less room. Each import that
//! runs out of space is refused with one clear French line and exit code 2, and leaves the store
//! exactly as it was (dossiers, documents, pages, journal, originals, index); once room is made,
//! the same import succeeds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .map_err(|e| format!("mount introuvable : {e}"))?;
        if out.status.success() {
            Ok(Tmpfs(at.to_owned()))
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
        }
    }

    fn free(&self) -> u64 {
        let path = std::ffi::CString::new(self.0.to_str().unwrap()).unwrap();
        // SAFETY: statvfs on a NUL-terminated path into a zeroed struct.
        unsafe {
            let mut st: libc::statvfs = std::mem::zeroed();
            assert_eq!(libc::statvfs(path.as_ptr(), &mut st), 0);
            st.f_bavail as u64 * st.f_frsize as u64
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// What the store shows: every dossier in detail, the journal's verification, the index's
/// agreement, and the originals byte for byte.
fn snapshot(data: &Path) -> BTreeMap<String, String> {
    let mut shot = BTreeMap::new();
    let list = permanence(data, &["list", "--json"]).ok();
    for d in list.json().as_array().unwrap() {
        let id = d["id"].to_string();
        shot.insert(
            format!("dossier {id}"),
            permanence(data, &["show", &id, "--json"]).ok().stdout,
        );
    }
    shot.insert("list".into(), list.stdout);
    shot.insert(
        "journal".into(),
        permanence(data, &["journal", "verify", "--json"])
            .ok()
            .stdout,
    );
    shot.insert(
        "check".into(),
        permanence(data, &["check", "--json"]).ok().stdout,
    );
    for file in files_under(&data.join("originals")) {
        shot.insert(
            file.strip_prefix(data).unwrap().display().to_string(),
            permanence::engine::sha256_hex(&std::fs::read(&file).unwrap()),
        );
    }
    for file in files_under(&data.join("tmp")) {
        shot.insert(format!("tmp {}", file.display()), String::new());
    }
    shot
}

#[test]
fn an_import_that_fills_the_disk_leaves_the_store_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let disk = Tmpfs::mount(&tmp.path().join("disque"), "24m").unwrap_or_else(|reason| {
        panic!("aucun tmpfs n'a pu être monté ({reason}) : ce test demande les droits root")
    });
    let data = disk.0.join("donnees");
    let sources = small_procedures();
    permanence(&data, &["import", s(&sources[0])]).ok();
    // A bigger procedure: 150 pages, about 0.5 MB of original and as much again of text.
    let big = tmp.path().join("grosse-procedure.pdf");
    concatenated_pdf(&sources[1..], 150, &big);
    let before = snapshot(&data);

    let filler = disk.0.join("remplissage");
    let mut refused = Vec::new();
    let mut imported = false;
    for room_kib in [
        0u64, 8, 64, 256, 512, 768, 1024, 1536, 2048, 3072, 4096, 8192,
    ] {
        let _ = std::fs::remove_file(&filler);
        let room = room_kib * 1024;
        let fill = disk.free().saturating_sub(room);
        std::fs::write(&filler, vec![0u8; fill as usize]).ok();
        let run = permanence(&data, &["import", s(&big), "--json"]);
        if run.code == 0 {
            imported = true;
            eprintln!("disk_full: imported with {room_kib} KiB free");
            break;
        }
        assert_eq!(run.code, 2, "{room_kib} KiB: {}", run.stderr);
        let message = run.stderr.trim();
        assert_eq!(message.lines().count(), 1, "{room_kib} KiB: {message}");
        assert!(
            message.contains("disque") && message.contains("plein"),
            "{room_kib} KiB: says the disk is full: {message}"
        );
        std::fs::remove_file(&filler).unwrap();
        assert_eq!(
            snapshot(&data),
            before,
            "{room_kib} KiB: the store changed ({message})"
        );
        refused.push((room_kib, message.to_owned()));
    }
    eprintln!("disk_full: refused {refused:#?}");
    assert!(refused.len() >= 3, "too few refusals: {refused:?}");
    let _ = std::fs::remove_file(&filler);
    if !imported {
        permanence(&data, &["import", s(&big)]).ok();
    }
    let after = permanence(&data, &["list", "--json"]).ok().json();
    assert_eq!(after.as_array().unwrap().len(), 2);
    let check = permanence(&data, &["check", "--json"]).ok().json();
    assert_eq!(check["integrity"], "ok");
    assert_eq!(check["mismatched_documents"], serde_json::json!([]));
}
