#!/bin/sh
# Trains the zstd dictionary the case store compresses report bodies with, on the engine's
# reports of tests/fixtures/corpus, into crates/fcas-store/dictionaries/reports-1.zdict.
# A dictionary id is never reused for other bytes: a new training goes to a new file and id
# (crates/fcas-store/src/dictionary.rs), so stores written with the old one still decode.
set -eu
OUT="${1:-crates/fcas-store/dictionaries/reports-1.zdict}"
cargo run --release -p fcas-store --example train_dictionary -- "$OUT"
