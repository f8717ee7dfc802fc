#!/usr/bin/env bash
# Runs every fuzz target (fuzz/, cargo-fuzz + libFuzzer) for a bounded time: `make fuzz`, or
# scripts/fuzz.sh SECONDS [TARGET...]. Seeds come from fuzz/corpus/TARGET (never written);
# the inputs found and any crash go to $CARGO_TARGET_DIR/fuzz/ (or target/fuzz/). Needs
# cargo-fuzz (installed here from crates.io when missing) and a nightly toolchain, or the
# stable one with RUSTC_BOOTSTRAP=1. Prints one line per target (runs, coverage, result) and
# exits 1 when a target found a crash, a leak or a time-out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(pdf_intake extract policy template)

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR=$ROOT/$TARGET_DIR ;; esac
WORK=$TARGET_DIR/fuzz
export PDFIUM_DYNAMIC_LIB_PATH=${PDFIUM_DYNAMIC_LIB_PATH:-$ROOT/vendor/pdfium/lib}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz : installation de cargo-fuzz (crates.io)"
  cargo install cargo-fuzz --locked
fi
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  FUZZ=(cargo +nightly fuzz)
else
  echo "fuzz : pas de chaîne nightly, RUSTC_BOOTSTRAP=1 avec la chaîne stable"
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi


failed=0
mkdir -p "$WORK"
: >"$WORK/results.txt"
for t in "${TARGETS[@]}"; do
  mkdir -p "$WORK/corpus/$t" "$WORK/artifacts/$t"
  log=$WORK/$t.log
  set +e
  "${FUZZ[@]}" run --target-dir "$WORK/build" "$t" "$WORK/corpus/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="$WORK/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
  status=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  cov=$(grep -oE '#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo 'cov: ?')
  corpus=$(find "$WORK/corpus/$t" -type f | wc -l)
  if [ $status -eq 0 ]; then
    result="aucun défaut"
  else
    result="ÉCHEC (code $status) : $(ls "$WORK/artifacts/$t" | head -n 3 | xargs)"
    failed=1
  fi
  line="$t : ${SECONDS_EACH} s, $runs exécutions, $cov, $corpus entrées nouvelles, $result"
  echo "fuzz : $line"
  echo "$line" >>"$WORK/results.txt"
done
exit $failed
