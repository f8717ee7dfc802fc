#!/usr/bin/env bash
# Fills a data directory with N dossiers (500 by default) for the speed measurements
# (measure.sh): the fixture procedures (fixtures/corpus/, fixtures/small/) imported again and
# again, each copy made distinct by a comment appended after its end (a PDF reader ignores it;
# the sha256 differs, so each is a new document in a new dossier).
# Usage: tests/e2e/make-dossiers.sh DATA_DIR [N]     (uses $CLI, else target/debug/permanence)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
CLI=${CLI:-$TARGET_DIR/debug/permanence}
export PDFIUM_DYNAMIC_LIB_PATH=${PDFIUM_DYNAMIC_LIB_PATH:-$ROOT/vendor/pdfium/lib}
DATA=${1:?usage : make-dossiers.sh DOSSIER_DE_DONNÉES [NOMBRE]}
N=${2:-500}

have=$("$CLI" --data-dir "$DATA" list --json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo 0)
if [ "$have" -ge "$N" ]; then
  echo "make-dossiers : $DATA a déjà $have dossiers" >&2
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mapfile -t sources < <(find "$ROOT/fixtures/corpus" "$ROOT/fixtures/small" -name '*.pdf' | sort)
[ ${#sources[@]} -gt 0 ] || { echo "make-dossiers : aucun PDF dans fixtures/" >&2; exit 1; }
batch=()
for ((i = have; i < N; i++)); do
  src=${sources[$((i % ${#sources[@]}))]}
  copy="$work/$(basename "$src" .pdf)-$(printf '%04d' "$i").pdf"
  cp "$src" "$copy"
  printf '\n%% permanence copie %d\n' "$i" >>"$copy"
  batch+=("$copy")
  if [ ${#batch[@]} -eq 50 ] || [ "$i" -eq $((N - 1)) ]; then
    "$CLI" --data-dir "$DATA" import "${batch[@]}" --json >/dev/null
    rm -f "${batch[@]}"
    batch=()
    echo "make-dossiers : $((i + 1)) / $N" >&2
  fi
done
