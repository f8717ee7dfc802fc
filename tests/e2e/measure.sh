#!/usr/bin/env bash
# Measures the window's speed with 500 dossiers stored (see measure.mjs; figures, not a test):
# launch until the list is usable, and a 10-page procedure dropped until its facts and proposal
# show. The data directory is made once (make-dossiers.sh) in target/e2e/donnees-500/ and kept;
# each run works on a copy. Uses the release build when there is one (APP=… to choose).
# Writes target/e2e/mesures.json and prints the medians.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
if [ -z "${APP:-}" ]; then
  APP=$TARGET_DIR/release/permanence-app
  [ -x "$APP" ] || APP=$TARGET_DIR/debug/permanence-app
fi
CLI=${CLI:-$(dirname "$APP")/permanence}
[ -x "$CLI" ] || CLI=$TARGET_DIR/debug/permanence
OUT=$ROOT/target/e2e
WORK=$(mktemp -d "${TMPDIR:-/tmp}/permanence-mesure.XXXXXX")
PDFIUM_DIR=${PDFIUM_DYNAMIC_LIB_PATH:-$ROOT/vendor/pdfium/lib}
export PDFIUM_DYNAMIC_LIB_PATH=$PDFIUM_DIR
# The data directory is encrypted: the CLI reads the passphrase here, measure.mjs types it on the
# unlock screen. A release build ignores PERMANENCE_TEST_KDF: the key costs Argon2id in full.
export PERMANENCE_PASSPHRASE=${PERMANENCE_PASSPHRASE:-"phrase de passe des mesures"}
# shellcheck source=tests/e2e/lib.sh
. "$ROOT/tests/e2e/lib.sh"
trap cleanup EXIT
need_tools Xvfb WebKitWebDriver node python3

N=${DOSSIERS:-500}
mkdir -p "$OUT"
CLI=$CLI "$ROOT/tests/e2e/make-dossiers.sh" "$OUT/donnees-$N" "$N"
cp -a "$OUT/donnees-$N" "$WORK/data"

# The dropped procedures: 10-page fixtures, made new (not yet stored) for each run.
drops=()
for i in 1 2 3 4 5 6 7 8 9 10; do
  copy="$WORK/depot-$i.pdf"
  cp "$ROOT/fixtures/small/stup-recidive-gendarmerie.pdf" "$copy"
  printf '\n%% mesure %d\n' "$i" >>"$copy"
  drops+=("$copy")
done

start_display
PERMANENCE_LOG=warn start_webdriver "$WORK/data"
log "application mesurée : $APP"
WEBDRIVER_URL="http://127.0.0.1:$WEBDRIVER_PORT" APP_BINARY="$APP" EXPECTED_COUNT="$N" \
  DROP_FILES="$(IFS=:; echo "${drops[*]}")" RUNS="${RUNS:-5}" OUT="$OUT/mesures.json" PASSPHRASE="$PERMANENCE_PASSPHRASE" \
  timeout 600 node "$ROOT/tests/e2e/measure.mjs"
