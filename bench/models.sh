#!/usr/bin/env bash
# Model benchmarks: MalConv median ms per PE file of the corpus, EMBER-2018 inference (and vector
# extraction plus inference once the Rust extractor exists), fcas (release build) against the
# Python reference (onnxruntime, and the EMBER extractor ember-mivia + LIEF 0.12.3) in the same run.
# Needs `make ort models`. Usage: bench/models.sh [REPEAT]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPEAT="${1:-5}"
VENV="$ROOT/bench/.venv"
CORPUS="$ROOT/tests/fixtures/corpus"

if [[ ! -x "$VENV/bin/python" ]] || ! cmp -s "$ROOT/bench/requirements-models.txt" "$VENV/requirements-models.txt"; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet -r "$ROOT/bench/requirements-models.txt"
    "$VENV/bin/python" -m pip install --quiet --no-deps ember-mivia==0.0.6
    cp "$ROOT/bench/requirements-models.txt" "$VENV/requirements-models.txt"
fi

cd "$ROOT"
cargo build --release --quiet -p fcas-models --example bench_models
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) CPUs, repeat $REPEAT, $(uname -m)"
"$ROOT/target/release/examples/bench_models" "$CORPUS" "$REPEAT"
# The reference extractor and LIEF print warnings on both streams; keep only the measurements.
"$VENV/bin/python" "$ROOT/bench/models_reference.py" "$CORPUS" "$ROOT/models" "$REPEAT" 2>/dev/null | grep -a '^{'

