#!/usr/bin/env bash
# Installs what building, running and testing Permanence needs on Debian 12, and only what is
# missing: a second run does nothing and takes a second. Called by `make setup` (and by `make
# run`, `make test`). Uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup : %s\n' "$*"; }

# Debian packages. "a|b" means either package will do (b may already be installed in its
# full version: never replace it).
PACKAGES=(
  # Building the desktop app (Tauri 2, WebKitGTK 4.1)
  build-essential pkg-config libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  # End-to-end test: a virtual display and the WebKit WebDriver
  xvfb xauth webkit2gtk-driver
  # Screen tests of the UI (Playwright drives Debian's Chromium; no browser is downloaded)
  chromium
  # scripts/pdfium.sh fetches the pdfium library from PyPI with pip
  python3 python3-pip
  # OCR of scanned pages: Tesseract's library (linked by the engine), its French data, and the
  # command line the benchmark compares with
  libtesseract-dev libleptonica-dev tesseract-ocr-fra tesseract-ocr
  # fixtures/ (python3 fixtures/generate.py) and the engine's tests
  "libreoffice-writer-nogui|libreoffice-writer" poppler-utils qpdf img2pdf imagemagick
  fonts-dejavu fonts-liberation2
  # tests/network.rs: every socket the CLI and the app open
  strace
  git
)

installed() {
  dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    say "il faut être administrateur (root ou sudo) pour installer : ${*: -1}" >&2
    exit 1
  fi
}

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# 1. Debian packages
if command -v dpkg-query >/dev/null; then
  missing=()
  for choice in "${PACKAGES[@]}"; do
    ok=false
    IFS='|' read -r -a alternatives <<<"$choice"
    for package in "${alternatives[@]}"; do
      if installed "$package"; then ok=true; break; fi
    done
    $ok || missing+=("${alternatives[0]}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installation des paquets Debian manquants : ${missing[*]}"
    apt_install "${missing[@]}"
  fi
else
  say "pas de dpkg : ce script connaît Debian et Ubuntu ; installez l'équivalent de : ${PACKAGES[*]}" >&2
fi

# 2. Node.js: Debian's (18) is enough; a newer one already installed is kept.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installation de Node.js et npm (paquets Debian)"
  apt_install nodejs npm
fi

# 3. Rust: not packaged recent enough in Debian 12; rustup installs it.
if ! command -v cargo >/dev/null; then
  say "Rust est absent : installez-le avec rustup (https://rustup.rs), puis relancez." >&2
  exit 1
fi
rust_version=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n' 1.90.0 "$rust_version" | sort -V | head -n 1)" != 1.90.0 ]; then
  say "Rust $rust_version est trop ancien (1.90 au moins) : « rustup update stable »." >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null; then
      say "ajout du composant Rust $component"
      rustup component add "$component"
    else
      say "composant Rust absent : $component" >&2
      exit 1
    fi
  fi
done

# 4. The UI's npm packages, exactly as locked, when missing or older than the lock file.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installation des paquets npm de l'interface (npm ci)"
  (cd ui && npm ci --no-audit --no-fund)
fi

# 5. The pdfium library, in vendor/pdfium/lib (does nothing when already there).
scripts/pdfium.sh

# 6. For `make package` only (`setup.sh --package`): the Tauri CLI that builds the .deb.
if [ "${1:-}" = "--package" ] && ! cargo tauri --version 2>/dev/null | grep -q '^tauri-cli 2\.'; then
  say "installation de l'outil cargo tauri (tauri-cli 2, depuis crates.io)"
  cargo install tauri-cli --version '^2' --locked
fi
