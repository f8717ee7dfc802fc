//! Bad input of every kind: a clear French message naming the file and the reason, exit code 2,
//! nothing half-stored, and the database still sound.

use std::path::Path;

use crate::support::*;

/// Imports `file` into a data directory that already holds one procedure, and checks that the
/// failure left everything as it was.
fn check_refused(file: &Path, reason: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let good = &small_procedures()[0];
    permanence(&data, &["import", s(good)]).ok();
    let before_originals = count_files(&data.join("originals"));

    let run = permanence(&data, &["import", s(file), "--json"]);
    assert_eq!(run.code, 2, "{}: {}", file.display(), run.stderr);
    let message = run.stderr.trim();
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(
        message.contains(&format!("«\u{a0}{}\u{a0}»", file.display())),
        "names the file: {message}"
    );
    assert!(message.contains(reason), "says why ({reason}): {message}");
    assert_eq!(
        run.json(),
        serde_json::json!([]),
        "nothing reported as imported"
    );

    let list = permanence(&data, &["list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 1, "nothing added");
    assert_eq!(
        count_files(&data.join("originals")),
        before_originals,
        "no original written"
    );
    let check = permanence(&data, &["check", "--json"]).ok().json();
    assert_eq!(check["integrity"], "ok");
    assert_eq!(check["database_pages"], check["index_pages"]);
    assert_eq!(count_files(&data.join("tmp")), 0, "no temporary file left");
}

fn count_files(dir: &Path) -> usize {
    files_under(dir).len()
}

#[test]
fn corrupt_pdf() {
    check_refused(&fixture("bad/truncated.pdf"), "endommagé");
    check_refused(&fixture("bad/garbage.pdf"), "endommagé");
}

#[test]
fn encrypted_pdf() {
    check_refused(&fixture("bad/encrypted.pdf"), "mot de passe");
}

#[test]
fn empty_file() {
    check_refused(&fixture("bad/empty.pdf"), "vide");
}

#[test]
fn text_renamed_pdf() {
    check_refused(&fixture("bad/text-renamed.pdf"), "n'est pas un PDF");
}

#[test]
fn missing_path() {
    check_refused(Path::new("/nulle/part/procedure.pdf"), "introuvable");
}

#[test]
fn extract_refuses_bad_input_the_same_way() {
    for (file, reason) in [
        ("bad/encrypted.pdf", "mot de passe"),
        ("bad/empty.pdf", "vide"),
        ("bad/truncated.pdf", "endommagé"),
    ] {
        let path = fixture(file);
        let run = permanence_bare(&["extract", s(&path), "--json"]);
        assert_eq!(run.code, 2);
        assert!(run.stdout.is_empty(), "nothing on standard output");
        assert!(
            run.stderr.contains(s(&path)) && run.stderr.contains(reason),
            "{}",
            run.stderr
        );
    }
}

/// A data directory that cannot be written: a read-only mount when running as root (root
/// ignores permission bits), permission bits otherwise.
struct ReadOnlyDir {
    path: std::path::PathBuf,
    mounted: bool,
}

impl ReadOnlyDir {
    fn new(parent: &Path) -> ReadOnlyDir {
        let path = parent.join("lecture-seule");
        std::fs::create_dir(&path).unwrap();
        // SAFETY: plain getter.
        let root = unsafe { libc::geteuid() } == 0;
        if root {
            let status = std::process::Command::new("mount")
                .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
                .arg(&path)
                .status()
                .unwrap();
            assert!(
                status.success(),
                "as root, the test needs `mount -t tmpfs -o ro` to make a read-only folder"
            );
        } else {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        assert!(
            std::fs::write(path.join("probe"), b"").is_err(),
            "the folder is really read-only"
        );
        ReadOnlyDir {
            path,
            mounted: root,
        }
    }
}

impl Drop for ReadOnlyDir {
    fn drop(&mut self) {
        if self.mounted {
            let _ = std::process::Command::new("umount")
                .arg(&self.path)
                .status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&self.path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn read_only_data_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let ro = ReadOnlyDir::new(tmp.path());
    let file = &small_procedures()[0];
    let run = permanence(&ro.path, &["import", s(file)]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(s(&ro.path)),
        "names the folder: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("n'est pas accessible en écriture"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1);
}
