# FCAS build entry points. `make test` sets up what is missing, then runs every test.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test build cli
build:
	$(CARGO) build --workspace

cli:
	$(CARGO) build --release --bin fcas

test:
	$(CARGO) test --workspace
