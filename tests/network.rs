//! No network: the CLI (import, search, orient, draft, extract) and the desktop app run under
//! `strace -f -e trace=socket,connect`, and no process of theirs opens an Internet socket
//! (AF_INET or AF_INET6); local sockets (AF_UNIX: the display, D-Bus, WebKit's own processes)
//! are allowed. The CLI also runs in a network namespace without any interface (`unshare -n`)
//! and works the same. Without strace, Xvfb or the built app (`make setup` installs the tools,
//! `make test` builds the app first) the test fails and says what is missing.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The socket and connect calls of a strace log that are not local.
fn internet_calls(log: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    text.lines()
        .filter(|l| l.contains("AF_INET") || l.contains("PF_INET"))
        .map(str::to_owned)
        .collect()
}

fn traced(log: &Path, data: &Path, args: &[&str]) -> Run {
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(log)
        .arg(env!("CARGO_BIN_EXE_permanence"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("PERMANENCE_DATA")
        .env(permanence::crypto::PASSPHRASE_ENV, PASSPHRASE)
        .env(permanence::crypto::TEST_KDF_ENV, "fast")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn the_cli_opens_no_internet_socket() {
    assert!(
        have("strace"),
        "strace est absent : « make setup » l'installe"
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let procedure = &small_procedures()[0];
    let docx = tmp.path().join("synthese.docx");
    let runs: Vec<Vec<&str>> = vec![
        vec!["import", s(procedure), "--json"],
        vec!["search", "procès-verbal", "--json"],
        vec!["orient", s(procedure), "--json"],
        vec!["extract", s(procedure), "--json"],
        vec![
            "draft",
            "1",
            "--kind",
            "synthese",
            "--out",
            s(&docx),
            "--json",
        ],
    ];
    for (i, args) in runs.iter().enumerate() {
        let log = tmp.path().join(format!("strace-{i}.log"));
        let run = traced(&log, &data, args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(log.is_file(), "strace wrote nothing for {args:?}");
        let calls = internet_calls(&log);
        assert!(calls.is_empty(), "{args:?} opened sockets: {calls:#?}");
    }
    assert!(docx.is_file());
}

#[test]
fn the_cli_works_without_any_network_interface() {
    let probe = Command::new("unshare")
        .args(["-n", "true"])
        .stderr(Stdio::null())
        .status();
    assert!(
        probe.is_ok_and(|s| s.success()),
        "« unshare -n » a échoué : ce test demande de pouvoir créer un espace de noms réseau (root)"
    );
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let procedure = &small_procedures()[1];
    for args in [
        vec!["import", s(procedure), "--json"],
        vec!["search", "audition", "--json"],
        vec!["orient", s(procedure), "--json"],
    ] {
        let out = Command::new("unshare")
            .arg("-n")
            .arg(env!("CARGO_BIN_EXE_permanence"))
            .arg("--data-dir")
            .arg(&data)
            .args(&args)
            .env_remove("PERMANENCE_DATA")
            .env(permanence::crypto::PASSPHRASE_ENV, PASSPHRASE)
            .env(permanence::crypto::TEST_KDF_ENV, "fast")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The app built beside the CLI (`cargo build --workspace`, which `make test` runs first).
fn app() -> Option<PathBuf> {
    let app = Path::new(env!("CARGO_BIN_EXE_permanence")).with_file_name("permanence-app");
    app.is_file().then_some(app)
}

#[test]
fn the_app_opens_no_internet_socket() {
    assert!(
        have("strace") && have("Xvfb"),
        "strace et Xvfb sont nécessaires : « make setup » les installe"
    );
    let app = app().expect("permanence-app n'est pas construit : « make test » lance « cargo build --workspace » d'abord");
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    permanence(&data, &["import", s(&small_procedures()[0])]).ok();
    let display = format!(":{}", 90 + std::process::id() % 100);
    let mut xvfb = Command::new("Xvfb")
        .args([&display, "-nolisten", "tcp", "-screen", "0", "1280x800x24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let log = tmp.path().join("strace-app.log");
    let mut traced = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(&log)
        .arg(&app)
        .env("DISPLAY", &display)
        .env("PERMANENCE_DATA", &data)
        .env_remove("WAYLAND_DISPLAY")
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The window opens, the UI loads and lists the dossier: give it time, then close it.
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(12) && traced.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(200));
    }
    let still_running = traced.try_wait().unwrap().is_none();
    // SAFETY: a signal to the process group we created: strace, the app and WebKit's processes.
    unsafe { libc::kill(-(traced.id() as i32), libc::SIGKILL) };
    let _ = traced.wait();
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    assert!(still_running, "the app stopped by itself");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("AF_UNIX"), "the app was not traced: {text}");
    let calls = internet_calls(&log);
    assert!(calls.is_empty(), "the app opened sockets: {calls:#?}");
}
