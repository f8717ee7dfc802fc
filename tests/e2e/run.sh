#!/usr/bin/env bash
# End-to-end test of the desktop app: a fixture imported with the CLI into a fresh data
# directory, the app started under Xvfb and driven through WebKitWebDriver (W3C WebDriver,
# spoken by app.mjs with Node's fetch), the dossier list checked, a screenshot saved in
# target/e2e/dossiers.png.
#
# Builds nothing: run `cargo build --workspace` (after `npm run build` in ui/) first, as
# `make test` does. Needs Xvfb, WebKitWebDriver (webkit2gtk-driver), node, python3; a PDF
# from fixtures/small/ or else soffice to make one.
# Last line of output: "1 passed, 0 failed" (exit 0) or "0 passed, 1 failed" (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
APP=$TARGET_DIR/debug/permanence-app
CLI=$TARGET_DIR/debug/permanence
OUT=$ROOT/target/e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/permanence-e2e.XXXXXX")
PIDS=$WORK/pids   # process groups started here, one per line

log() { printf 'e2e : %s\n' "$*" >&2; }

# Kills every process group this script started (Xvfb; WebKitWebDriver with the app and its
# WebKit processes), then removes the temporary directory. Silent, so that the result line
# stays the last one.
cleanup() {
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done < "$PIDS"
    sleep 0.5
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done < "$PIDS"
  fi
  rm -rf "$WORK"
}

finish() {
  local status=$1
  trap - EXIT INT TERM
  cleanup
  if [ "$status" -eq 0 ]; then
    echo "1 passed, 0 failed"
  else
    echo "0 passed, 1 failed"
  fi
  exit "$status"
}
trap 'finish 1' EXIT
trap 'finish 130' INT
trap 'finish 143' TERM

# Starts "$@" in a new session (its own process group) and records it for cleanup.
start() {
  local logfile=$1
  shift
  setsid "$@" >"$logfile" 2>&1 &
  echo $! >>"$PIDS"
  echo $!
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

test_body() {
  for bin in "$APP" "$CLI"; do
    if [ ! -x "$bin" ]; then
      log "binaire absent : $bin (lancez d'abord « cargo build --workspace »)"
      return 1
    fi
  done
  for tool in Xvfb WebKitWebDriver node python3; do
    command -v "$tool" >/dev/null || { log "outil absent : $tool (lancez « make setup »)"; return 1; }
  done

  # 1. A procedure to import: the first small fixture, or a PDF made here.
  local pdf
  pdf=$(find "$ROOT/fixtures/small" -maxdepth 1 -name '*.pdf' 2>/dev/null | sort | head -n 1)
  if [ -z "$pdf" ]; then
    command -v soffice >/dev/null || { log "ni fixtures/small/*.pdf ni soffice pour en fabriquer un"; return 1; }
    mkdir -p "$WORK/source"
    cat >"$WORK/source/Procédure 2026-004512 alcoolémie.txt" <<'TXT'
PROCÈS-VERBAL
Procès-verbal n° 2026/004512

L'an deux mille vingt-six, le vingt novembre, à vingt-trois heures quarante,
Nous, Jean MARTIN, Brigadier de police, officier de police judiciaire en résidence à Lyon,
Vu les articles 53 et suivants du code de procédure pénale,
Constatons que le conducteur du véhicule présente un taux de 0,62 mg/l d'air expiré.
Dont procès-verbal.
TXT
    log "pas de fixtures/small/*.pdf : fabrication d'un PDF avec soffice"
    soffice --headless "-env:UserInstallation=file://$WORK/lo-profile" --convert-to pdf \
      --outdir "$WORK/source" "$WORK/source/Procédure 2026-004512 alcoolémie.txt" >"$WORK/soffice.log" 2>&1 ||
      { cat "$WORK/soffice.log" >&2; return 1; }
    pdf="$WORK/source/Procédure 2026-004512 alcoolémie.pdf"
  fi
  log "import de « $(basename "$pdf") »"
  local data=$WORK/data
  export PDFIUM_DYNAMIC_LIB_PATH=$ROOT/vendor/pdfium/lib
  "$CLI" --data-dir "$data" import "$pdf" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; return 1; }
  local expected
  expected=$("$CLI" --data-dir "$data" list --json)

  # 2. A private X display (whatever the session has: X11, Wayland or nothing).
  local display_file=$WORK/display
  start "$WORK/xvfb.log" Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" >/dev/null
  local i
  for i in $(seq 1 100); do
    [ -s "$display_file" ] && break
    sleep 0.1
  done
  [ -s "$display_file" ] || { log "Xvfb n'a pas démarré"; cat "$WORK/xvfb.log" >&2; return 1; }
  local display
  display=:$(head -n 1 "$display_file")
  log "Xvfb sur l'écran $display"

  # 3. WebKitWebDriver, which starts the app with this environment.
  local port
  port=$(free_port)
  mkdir -p "$WORK/home"
  start "$WORK/webdriver.log" env -u WAYLAND_DISPLAY \
    DISPLAY="$display" GDK_BACKEND=x11 \
    TAURI_WEBVIEW_AUTOMATION=true \
    PERMANENCE_DATA="$data" \
    PDFIUM_DYNAMIC_LIB_PATH="$ROOT/vendor/pdfium/lib" \
    XDG_DATA_HOME="$WORK/home/data" XDG_CACHE_HOME="$WORK/home/cache" \
    XDG_CONFIG_HOME="$WORK/home/config" \
    WebKitWebDriver --port="$port" >/dev/null
  log "WebKitWebDriver sur le port $port"

  # 4. The checks.
  mkdir -p "$OUT"
  if ! WEBDRIVER_URL="http://127.0.0.1:$port" APP_BINARY="$APP" EXPECTED_DOSSIERS="$expected" \
    SCREENSHOT="$OUT/dossiers.png" timeout 180 node "$ROOT/tests/e2e/app.mjs"; then
    log "journal de WebKitWebDriver et de l'application :"
    tail -n 40 "$WORK/webdriver.log" >&2 || true
    return 1
  fi
}

set +e
(test_body)
status=$?
set -e
finish "$status"
