#!/usr/bin/env bash
# Checks the .deb that `make package` built: its metadata and files, then the binary unpacked
# from it (dpkg-deb -x) launched under Xvfb with no PDFIUM_DYNAMIC_LIB_PATH: it must find the
# pdfium library the package carries (checked in the process's memory map) and work on a real
# data directory (package.mjs). Needs the debug CLI (cargo build --workspace) to fill the data
# directory. Last line: "1 passed, 0 failed" (exit 0) or "0 passed, 1 failed" (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
CLI=$TARGET_DIR/debug/permanence
DEB=$(cd "$(dirname "${1:?usage : package.sh PAQUET.deb}")" && pwd)/$(basename "$1")
OUT=$ROOT/target/e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/permanence-paquet.XXXXXX")
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

finish() {
  local status=$1
  trap - EXIT INT TERM
  [ "$status" -ne 0 ] && [ -f "$WORK/webdriver.log" ] && tail -n 30 "$WORK/webdriver.log" >&2
  cleanup
  if [ "$status" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
  exit "$status"
}
trap 'finish 1' EXIT
trap 'finish 130' INT
trap 'finish 143' TERM

test_body() {
  need_tools dpkg-deb Xvfb WebKitWebDriver node python3
  [ -x "$CLI" ] || { log "binaire absent : $CLI (cargo build --workspace)"; return 1; }

  # 1. What the package says and holds.
  local info
  info=$(dpkg-deb --info "$DEB")
  grep -q '^ Package: permanence' <<<"$info" || { log "nom de paquet inattendu"; echo "$info" >&2; return 1; }
  grep -q '^ Depends:.*libwebkit2gtk-4.1-0' <<<"$info" || { log "dépendance WebKitGTK absente"; return 1; }
  dpkg-deb -x "$DEB" "$WORK/root"
  local app=$WORK/root/usr/bin/permanence-app lib=$WORK/root/usr/lib/permanence/libpdfium.so
  [ -x "$app" ] || { log "le paquet n'a pas usr/bin/permanence-app"; return 1; }
  [ -f "$lib" ] || { log "le paquet n'embarque pas PDFium (usr/lib/permanence/libpdfium.so)"; return 1; }
  cmp -s "$lib" "$ROOT/vendor/pdfium/lib/libpdfium.so" || { log "le PDFium du paquet n'est pas celui de vendor/"; return 1; }
  ls "$WORK"/root/usr/share/applications/*.desktop >/dev/null || { log "pas d'entrée de menu (.desktop)"; return 1; }
  log "ok : paquet $(basename "$DEB") : $(du -h "$DEB" | cut -f1), binaire, PDFium, entrée de menu"

  grep -q '^ Depends:.*libtesseract5.*tesseract-ocr-fra' <<<"$info" || { log "dépendances de la reconnaissance de caractères absentes"; return 1; }

  # 2. A data directory with a procedure in it (imported by the development CLI), encrypted:
  # its key made with the fast test KDF (its parameters are in the key file, which the packaged
  # app follows), the passphrase typed on the unlock screen by package.mjs.
  export PERMANENCE_PASSPHRASE="phrase de passe du test du paquet" PERMANENCE_TEST_KDF=fast
  local data=$WORK/data
  PDFIUM_DYNAMIC_LIB_PATH=${PDFIUM_DYNAMIC_LIB_PATH:-$ROOT/vendor/pdfium/lib} \
    "$CLI" --data-dir "$data" import "$ROOT/fixtures/small/alcool-police.pdf" >/dev/null
  local dossier
  dossier=$("$CLI" --data-dir "$data" list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

  # 3. The unpacked binary, with no hint of where pdfium is.
  unset PDFIUM_DYNAMIC_LIB_PATH
  PDFIUM_DIR=""
  start_display
  start_webdriver "$data"
  mkdir -p "$OUT"
  WEBDRIVER_URL="http://127.0.0.1:$WEBDRIVER_PORT" APP_BINARY="$app" OUT="$OUT" DOSSIER="$dossier" \
    PASSPHRASE="$PERMANENCE_PASSPHRASE" \
    timeout 180 node "$ROOT/tests/e2e/package.mjs" &
  local driver=$!
  # While the window is open: which pdfium did the unpacked app load?
  local loaded="" pid exe
  for _ in $(seq 1 600); do
    for pid in /proc/[0-9]*; do
      exe=$(readlink "$pid/exe" 2>/dev/null || true)
      if [ "$exe" = "$app" ]; then
        loaded=$(grep -o '/[^ ]*libpdfium\.so' "$pid/maps" 2>/dev/null | head -n 1 || true)
      fi
    done
    [ -n "$loaded" ] && break
    kill -0 "$driver" 2>/dev/null || break
    sleep 0.1
  done
  wait "$driver" || return 1
  [ "$loaded" = "$lib" ] || { log "PDFium chargé depuis « ${loaded:-nulle part} », pas depuis le paquet"; return 1; }
  log "ok : l'application dépaquetée a chargé $loaded"
}

set +e
(test_body)
status=$?
set -e
finish "$status"
