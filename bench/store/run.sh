#!/bin/sh
# Case-store benchmark: builds an N-report store (default 100,000) from the corpus and times
# inserts and queries. Run from the repository root. Results go to standard output.
set -eu
N="${1:-100000}"
DB="${2:-${TMPDIR:-/tmp}/fcas-store-bench.sqlite}"
cargo run --release -p fcas-store --example store_bench -- "$N" "$DB"
