#!/bin/sh
# Retro-hunt throughput over a vault of N samples (default 10,000): the samples are the files of
# tests/fixtures/corpus/files cut to 256 KiB, each in N / (number of fixtures) variants that
# differ by a 16-byte suffix (crates/fcas-scan/examples/hunt_bench.rs says exactly how). The
# matcher is a memchr test matcher looking for three byte patterns, not YARA rules. Prints JSON
# lines: the build of the vault, then a hunt on 1 thread and on every core (MB/s per core).
# Run from the repository root.
set -eu
N="${1:-10000}"
DB="${2:-target/bench-vault/cases.sqlite}"
cargo run --release -p fcas-scan --example hunt_bench -- "$N" "$DB"
