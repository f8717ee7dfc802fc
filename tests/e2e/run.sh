#!/usr/bin/env bash
# End-to-end test of the desktop app: the built app started under Xvfb and driven through
# WebKitWebDriver (W3C WebDriver, spoken by app.mjs with Node's fetch). A decision imported with
# the CLI is listed; a 10-page procedure is dropped on the window, its facts, a fact's page and
# source, a correction, the proposal, the decision, the export, the search and the policy are
# checked; then a partly scanned procedure is dropped: a fact read by OCR is flagged with its
# confidence and highlighted on the scanned page, the search finds the scanned text; screenshots of
# each screen are saved in target/e2e/. Then, the window closed, the CLI
# finds the correction and the decision in the data directory and the journal intact.
#
# Builds nothing: run `cargo build --workspace` (after `npm run build` in ui/) first, as
# `make test` does. Needs Xvfb, WebKitWebDriver (webkit2gtk-driver), node, python3.
# Last line of output: "1 passed, 0 failed" (exit 0) or "0 passed, 1 failed" (exit 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
APP=$TARGET_DIR/debug/permanence-app
CLI=$TARGET_DIR/debug/permanence
OUT=$ROOT/target/e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/permanence-e2e.XXXXXX")
PDFIUM_DIR=${PDFIUM_DYNAMIC_LIB_PATH:-$ROOT/vendor/pdfium/lib}
export PDFIUM_DYNAMIC_LIB_PATH=$PDFIUM_DIR
# The data directory is encrypted: the CLI reads its passphrase here (the app gets it typed on
# its unlock screen by app.mjs); its key is made with the fast test KDF (debug builds only).
export PERMANENCE_PASSPHRASE="phrase de passe du test de bout en bout"
export PERMANENCE_TEST_KDF=fast
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"

finish() {
  local status=$1
  trap - EXIT INT TERM
  if [ "$status" -ne 0 ] && [ -f "$WORK/webdriver.log" ]; then
    log "journal de WebKitWebDriver et de l'application :"
    tail -n 40 "$WORK/webdriver.log" >&2 || true
  fi
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

test_body() {
  for bin in "$APP" "$CLI"; do
    if [ ! -x "$bin" ]; then
      log "binaire absent : $bin (lancez d'abord « cargo build --workspace »)"
      return 1
    fi
  done
  need_tools Xvfb WebKitWebDriver node python3

  local small=$ROOT/fixtures/small
  local drop=$small/stup-recidive-gendarmerie.pdf
  [ -f "$drop" ] && [ -f "$small/jugement.txt" ] || { log "fixtures/small/ est incomplet"; return 1; }

  # 1. A data directory with one dossier imported by the CLI.
  local data=$WORK/data
  "$CLI" --data-dir "$data" import "$small/jugement.txt" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log" >&2; return 1; }
  local before
  before=$("$CLI" --data-dir "$data" list --json)

  # What the dropped procedure must show (from its labels).
  local expected
  expected=$(python3 - "$drop" <<'PY'
import json, sys
pdf = sys.argv[1]
facts = json.load(open(pdf[:-4] + ".expected.json"))
orientation = json.load(open(pdf[:-4] + ".orientation.json"))
rate = f"{facts['alcohol']['value']:.2f}".replace(".", ",")
person = next(p for p in facts["persons"] if p["role"] == "mis_en_cause")
print(json.dumps({
    "rate": rate,
    "commune": facts["facts"]["commune"],
    "person": person["surname"],
    "pages": facts["source"]["pages"],
    "orientation": orientation["orientation"],
    "rules": orientation["rules"],
    "search": person["surname"].capitalize(),
}))
PY
)

  # A procedure whose pages 2 and 5 are scans (fixtures/scans.py): a name read by OCR.
  local scan=$ROOT/fixtures/scanned/mixed-holdout-045.pdf
  [ -f "$scan" ] || { log "fixtures/scanned/ est incomplet"; return 1; }
  local scanned
  scanned=$(python3 - "$scan" <<'PY'
import json, sys
pdf = sys.argv[1]
facts = json.load(open(pdf[:-4] + ".expected.json"))
person = next(p for p in facts["persons"] if p["role"] == "mis_en_cause")
print(json.dumps({
    "pages": facts["source"]["pages"],
    "ocr_pages": facts["source"]["ocr_pages"],
    "search": person["surname"].capitalize(),
}))
PY
)

  start_display
  start_webdriver "$data"

  # 2. The checks in the window.
  mkdir -p "$OUT"
  rm -f "$OUT"/*.png "$OUT/dossier.id"
  if ! WEBDRIVER_URL="http://127.0.0.1:$WEBDRIVER_PORT" APP_BINARY="$APP" OUT="$OUT" DROP_FILE="$drop" \
    EXPECTED="$expected" BEFORE="$before" PASSPHRASE="$PERMANENCE_PASSPHRASE" \
    SCANNED_FILE="$scan" SCANNED="$scanned" timeout 480 node "$ROOT/tests/e2e/app.mjs"; then
    return 1
  fi

  # 3. The window closed: what was decided and corrected is in the data directory.
  local dossier
  dossier=$(cat "$OUT/dossier.id")
  python3 - "$CLI" "$data" "$dossier" "$OUT/synthese.path" <<'PY' || return 1
import json, subprocess, sys
cli, data, dossier = sys.argv[1:4]
def run(*args):
    out = subprocess.run([cli, "--data-dir", data, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"e2e : « permanence {' '.join(args)} » a échoué : {out.stderr.strip()}")
    return out.stdout
facts = json.loads(run("facts", dossier, "--json"))
corrections = [c for d in (facts if isinstance(facts, list) else [facts]) for c in d.get("corrections", [])]
assert any(c["path"] == "/facts/commune" and c["value"] == "Fontainebleau" for c in corrections), \
    f"e2e : la correction de la commune n'est pas enregistrée : {corrections}"
show = json.loads(run("show", dossier, "--json"))
events = [e["event"] for e in show["journal"]]
for event in ("document_imported", "fact_corrected", "decision_accepted", "draft_exported"):
    assert event in events, f"e2e : « {event} » manque au journal : {events}"
assert show["status"] == "actes_produits", show["status"]
run("journal", "verify")
import pathlib
draft = pathlib.Path(open(sys.argv[4]).read().strip())
assert draft.is_file() and pathlib.Path(data).resolve() in draft.resolve().parents, f"e2e : acte absent : {draft}"
sealed = draft.read_bytes()
assert sealed.startswith(b"PRM1") and b"word/document.xml" not in sealed, f"e2e : {draft} n'est pas chiffré"
print("e2e : ok : la correction, la décision et l'acte (chiffré) sont enregistrés, le journal est intact", file=sys.stderr)
PY
}

set +e
(test_body)
status=$?
set -e
finish "$status"
