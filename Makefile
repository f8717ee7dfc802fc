# Permanence: `make run` opens the app, `make test` checks everything. Both start with `make
# setup`, which installs what is missing (Debian packages, npm packages, pdfium) and nothing else.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
# The engine finds pdfium here (see src/pdf.rs), wherever the target directory is.
export PDFIUM_DYNAMIC_LIB_PATH ?= $(CURDIR)/vendor/pdfium/lib

.PHONY: help setup ui build run test bindings bindings-check e2e screens measure package fixtures fixtures-big fixtures-scanned bench fmt fuzz

help:
	@echo "make run       construit et ouvre Permanence (sans écran : affiche l'aide de la ligne de commande)"
	@echo "make test      format, clippy, tests Rust et TypeScript, test de bout en bout"
	@echo "make setup     installe ce qui manque (paquets Debian, npm, pdfium)"
	@echo "make fixtures  régénère les fichiers de test (fixtures/)"
	@echo "make fixtures-scanned  régénère les procédures scannées (fixtures/scanned/) et le jeu de mesure de l'OCR"
	@echo "make bench     mesure les performances (build --release) ; chiffres dans docs/PERFORMANCE.md"
	@echo "make measure   mesure la fenêtre avec 500 dossiers (lancement, dépôt d'une procédure)"
	@echo "make package   construit le paquet .deb (avec PDFium) et le vérifie ; Windows : docs/INSTALL.md"
	@echo "make fuzz      lance chaque cible de fuzzing FUZZ_SECONDS secondes (60 par défaut)"
	@echo "make fmt       met en forme le code Rust"

setup:
	@scripts/setup.sh

# The UI, built into ui/dist/ (embedded in the app binary at compile time).
ui: setup
	cd ui && npm run build

build: ui
	cargo build --workspace

run: build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "Aucun écran n'est disponible (ni DISPLAY ni WAYLAND_DISPLAY) : la fenêtre de Permanence ne peut pas s'ouvrir."; \
	  echo "Permanence s'utilise aussi en ligne de commande ; voici son aide :"; \
	  echo; \
	  "$(TARGET_DIR)/debug/permanence" --help; \
	else \
	  "$(TARGET_DIR)/debug/permanence-app"; \
	fi

test: ui
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	# Built first: tests/network.rs runs the app under strace.
	cargo build --workspace
	cargo test --workspace
	@$(MAKE) --no-print-directory bindings-check
	cd ui && npm run typecheck
	cd ui && npm run lint
	cd ui && npm test
	cd ui && npm run test:screens
	cargo build --workspace
	tests/e2e/run.sh

# The TypeScript types shared with Rust (ui/src/core/bindings/): ts-rs writes them when the
# Rust tests run (`cargo test --workspace` above, or `make bindings`).
bindings:
	cargo test --workspace export_bindings

# The committed bindings must be what the Rust types generate.
bindings-check:
	@if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  echo "bindings : pas de dépôt git, vérification sautée"; exit 0; \
	fi; \
	untracked=$$(git ls-files --others --exclude-standard -- ui/src/core/bindings | xargs); \
	if ! git diff --exit-code -- ui/src/core/bindings || [ -n "$$untracked" ]; then \
	  echo "bindings : ui/src/core/bindings/ ne correspond pas aux types Rust $${untracked:+(non suivis : $$untracked)}"; \
	  echo "bindings : validez les fichiers régénérés par « cargo test --workspace » (git add ui/src/core/bindings)."; \
	  exit 1; \
	fi; \
	echo "bindings : à jour"

e2e:
	tests/e2e/run.sh

# The screen tests alone (Playwright in headless Chromium against ui/dist, IPC mocked).
screens: ui
	cd ui && npm run test:screens

# The window's speed with 500 dossiers (figures, not a test), on a release build that the
# end-to-end driver may drop files on (feature e2e; the package never has it).
measure: ui
	cargo build --release --workspace --features permanence-app/e2e
	tests/e2e/measure.sh

# The .deb: the release app with pdfium inside, built by `cargo tauri` (offline), then checked
# by unpacking it and launching the unpacked binary under Xvfb. The single tauri.conf.json is
# at the root: cargo tauri reads it through a link beside src-tauri/Cargo.toml, with absolute
# paths given in --config.
package: ui
	@scripts/setup.sh --package
	ln -sfn ../tauri.conf.json src-tauri/tauri.conf.json
	cd src-tauri && cargo tauri build --bundles deb --ci --config '{"build":{"frontendDist":"$(CURDIR)/ui/dist","beforeBuildCommand":""},"bundle":{"icon":["$(CURDIR)/src-tauri/icons/icon.png"],"linux":{"deb":{"files":{"/usr/lib/permanence/libpdfium.so":"$(CURDIR)/vendor/pdfium/lib/libpdfium.so"}}}}}'
	mkdir -p target/package
	cp "$(abspath $(TARGET_DIR))"/release/bundle/deb/*.deb target/package/
	cargo build --workspace
	tests/e2e/package.sh target/package/*.deb

fixtures: setup
	python3 fixtures/generate.py
	# generate.py rewrites the sets without their NAME.orientation.json: written again here.
	python3 fixtures/orientation.py
	python3 fixtures/hostile.py

# The ~1,000- and ~2,000-page procedures the benchmark imports (not committed).
fixtures-big: setup
	@[ -f fixtures/generated/big-1000.pdf ] || python3 fixtures/generate.py --only big

# Scanned procedures for OCR: the committed set (fixtures/scanned/) and the measurement set
# (fixtures/generated/scanned/, git-ignored), made from corpus/holdout (see fixtures/README.md).
fixtures-scanned: setup
	python3 fixtures/scans.py
	python3 fixtures/scans.py --measure

bench: fixtures-big
	@[ -d fixtures/generated/scanned ] || python3 fixtures/scans.py --measure
	cargo run --release --bin permanence -- bench

# Fuzzing (cargo-fuzz, libFuzzer; fuzz/ is its own workspace): each target for FUZZ_SECONDS,
# results in $(TARGET_DIR)/fuzz/results.txt, recorded in docs/SECURITY.md.
FUZZ_SECONDS ?= 60
fuzz: setup
	scripts/fuzz.sh $(FUZZ_SECONDS)

fmt:
	cargo fmt --all
