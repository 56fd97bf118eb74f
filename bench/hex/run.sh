#!/bin/sh
# Hex drawer on a 1 GiB file (docs/BENCHMARKS.md "Hex drawer"): the read command's latency
# through the case store's `SampleBytes` (hex_bench: first read, later reads, vault reads) and
# the page's first render of the drawer (render.mjs). Run from the repository root after
# `make ui-test`. PROFILE=release measures a release build of the reading code.
set -eu
SIZE="${SIZE:-1073741824}"
DIR="${DIR:-${TMPDIR:-/tmp}/fcas-hex-bench}"
if [ "${PROFILE:-debug}" = release ]; then FLAGS=--release; else FLAGS=; fi
cargo run $FLAGS -q -p fcas-store --example hex_bench -- "$SIZE" "$DIR" --vault
(cd ui && node ../bench/hex/render.mjs "${RUNS:-21}")
rm -rf "$DIR"
