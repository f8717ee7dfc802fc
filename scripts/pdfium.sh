#!/usr/bin/env bash
# Installs the pdfium shared library into vendor/pdfium/lib/, taken from a pinned pypdfium2
# wheel on PyPI (the wheel carries Google's pdfium build; nothing else is downloaded).
# To update pdfium: change PYPDFIUM2_VERSION and PYPDFIUM2_SHA256 (see README, "Mettre à jour PDFium").
set -euo pipefail
cd "$(dirname "$0")/.."

PYPDFIUM2_VERSION="5.15.2"   # pdfium build 8149
PYPDFIUM2_SHA256="dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37"
PLATFORM="manylinux_2_17_x86_64"
DEST="vendor/pdfium/lib"

if [ -f "$DEST/libpdfium.so" ] && [ "$(cat vendor/pdfium/VERSION 2>/dev/null)" = "$PYPDFIUM2_VERSION" ]; then
  exit 0
fi
echo "pdfium : installation depuis pypdfium2 $PYPDFIUM2_VERSION (PyPI)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --platform "$PLATFORM" \
  "pypdfium2==$PYPDFIUM2_VERSION" -d "$tmp"
wheel=$(ls "$tmp"/pypdfium2-*.whl)
echo "$PYPDFIUM2_SHA256  $wheel" | sha256sum --check --quiet
mkdir -p "$DEST"
python3 - "$wheel" "$DEST" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    with z.open("pypdfium2_raw/libpdfium.so") as src, open(f"{dest}/libpdfium.so", "wb") as out:
        out.write(src.read())
    with z.open("pypdfium2_raw/version.json") as src, open(f"{dest}/../pdfium-version.json", "wb") as out:
        out.write(src.read())
PY
echo "$PYPDFIUM2_VERSION" > vendor/pdfium/VERSION
echo "pdfium : installé dans $DEST"
