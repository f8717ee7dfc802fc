//! The single Tauri configuration is `tauri.conf.json` at the repository root.

use std::path::Path;

/// The built UI, embedded in the binary (`frontendDist` in tauri.conf.json).
const UI_DIST: &str = "../ui/dist";

fn main() {
    ensure_ui_dist();
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        // The UI may call these commands and nothing else (see capabilities/).
        .app_manifest(tauri_build::AppManifest::new().commands(&["list_dossiers"]));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("configuration Tauri invalide : {e:#}");
    }
}

/// `cargo build --workspace` must work before the UI is built (`npm run build` in ui/, which
/// `make run` and `make test` do first): without ui/dist, embed a page that says so.
fn ensure_ui_dist() {
    let index = Path::new(UI_DIST).join("index.html");
    println!("cargo:rerun-if-changed={}", index.display());
    if index.exists() {
        return;
    }
    println!(
        "cargo:warning=ui/dist est absent : l'application affichera une page d'attente (lancez `make run`)."
    );
    std::fs::create_dir_all(UI_DIST).expect("création de ui/dist");
    std::fs::write(index, PLACEHOLDER).expect("écriture de ui/dist/index.html");
}

const PLACEHOLDER: &str = r#"<!doctype html>
<html lang="fr">
  <head><meta charset="utf-8"><title>Permanence</title></head>
  <body>
    <h1>Permanence</h1>
    <p>L'interface n'a pas été construite. Lancez <code>make run</code> à la racine du projet.</p>
  </body>
</html>
"#;
