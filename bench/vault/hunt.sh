#!/bin/sh
# Retro-hunt throughput over a vault of N samples (default 10,000): the samples are the files of
# tests/fixtures/corpus/files cut to 256 KiB, each in N / (number of fixtures) variants that
# differ by a 16-byte suffix (crates/fcas-scan/examples/hunt_bench.rs says exactly how).
#
# Usage: bench/vault/hunt.sh [N] [DB] [RULES]
#   RULES: `bench100` for the 100 benchmark rules (bench/rules/bench100.py, the same as the rules
#   stage's benchmark), a folder of YARA rules, or nothing for a memchr test matcher looking for
#   three byte patterns (the runner's own cost).
# Prints JSON lines: the build of the vault, then a hunt on 1 thread and on every core (MB/s per
# core). Run from the repository root.
#
# PROFILE=release (default) builds everything optimised; PROFILE=dev reuses the test build and
# optimises only the crates on the hunt's path (store, scan, engine: opt-level 3, no debug
# assertions), which on a busy machine is much quicker to build and runs the same code.
set -eu
N="${1:-10000}"
DB="${2:-target/bench-vault/cases.sqlite}"
RULES="${3:-}"
if [ "$RULES" = bench100 ]; then
    RULES=target/bench-vault/rules
    mkdir -p "$RULES"
    python3 bench/rules/bench100.py "$RULES/bench100.yar"
fi
if [ "${PROFILE:-release}" = dev ]; then
    set --
    for crate in fcas-store fcas-scan fcas-engine fcas-report fcas-rules; do
        set -- "$@" --config "profile.dev.package.$crate.opt-level=3" \
            --config "profile.dev.package.$crate.debug-assertions=false" \
            --config "profile.dev.package.$crate.overflow-checks=false"
    done
    cargo run "$@" -p fcas-scan --example hunt_bench -- "$N" "$DB" $RULES
else
    cargo run --release -p fcas-scan --example hunt_bench -- "$N" "$DB" $RULES
fi
