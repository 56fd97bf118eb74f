#!/bin/sh
# Rebuilds crates/fcas-store/tests/fixtures/store-v6.sqlite.zst: a case store written by the
# store's code at schema version 6 (commit 91c7785, before report bodies had a dictionary), for
# the test of migration 7. The code of that commit is exported to a temporary folder, given
# crates/fcas-store/tests/fixtures/make_v6_store.rs as an example, and run on this checkout's
# corpus; the build reuses this checkout's target/ for the registry crates.
set -eu
REV=91c7785
ROOT="$(pwd)"
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
OUT="$SRC/store-v6.sqlite"
git archive "$REV" | tar -x -C "$SRC"
cp crates/fcas-store/tests/fixtures/make_v6_store.rs "$SRC/crates/fcas-store/examples/make_v6_store.rs"
(cd "$SRC" && CARGO_TARGET_DIR="$ROOT/target" cargo run -p fcas-store --example make_v6_store -- "$OUT" "$ROOT/tests/fixtures/corpus")
zstd -q -19 -f "$OUT" -o crates/fcas-store/tests/fixtures/store-v6.sqlite.zst
ls -l crates/fcas-store/tests/fixtures/store-v6.sqlite.zst
