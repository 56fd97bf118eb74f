#!/bin/sh
# Where the store's writer thread spends its CPU: runs the store bench (release build) with
# `perf record` attached to the writer thread only, then prints the share of its samples under
# each part of the write path. Run from the repository root; needs `perf` and
# kernel.perf_event_paranoid <= 2.
#   bench/store/profile-writer.sh [N] [DB]
set -eu
N="${1:-20000}"
DB="${2:-${TMPDIR:-/tmp}/fcas-store-profile.sqlite}"
OUT="${DB%.sqlite}"
cargo build --release -p fcas-store --example store_bench
uptime
target/release/examples/store_bench "$N" "$DB" > "$OUT.bench.txt" &
BENCH=$!
WRITER=""
while [ -z "$WRITER" ] && kill -0 "$BENCH" 2>/dev/null; do
    WRITER=$(grep -l fcas-store-writ /proc/$BENCH/task/*/comm 2>/dev/null | head -1 | cut -d/ -f5)
    sleep 0.5
done
perf record -F 199 -g -t "$WRITER" -o "$OUT.perf.data" 2>/dev/null &
PERF=$!
wait "$BENCH"
kill -INT "$PERF" 2>/dev/null || true
wait "$PERF" || true
uptime
grep -E "^(writer|io|insert|memory|size)" "$OUT.bench.txt"
# Release builds keep no frame pointers, so stacks end at the SQLite call: the parts are told
# apart by SQLite's own functions (the full-text index's insert and flush, the commit, the
# checkpoints) and the rest is the statements of the row and fact inserts.
perf script -i "$OUT.perf.data" -F ip,sym 2>/dev/null | awk '
    BEGIN { RS = ""; FS = "\n" }
    {
        part = "other (allocator, freeing messages, stacks without a known frame)"
        if ($0 ~ /fts5SyncMethod/) part = "full-text index: flush and merge at commit"
        else if ($0 ~ /fts5UpdateMethod/) part = "full-text index: tokenise and hash terms (INSERT INTO report_text)"
        else if ($0 ~ /walCheckpoint|InnerConnection::close/) part = "checkpoints"
        else if ($0 ~ /sqlite3PagerCommitPhaseOne/) part = "commit: WAL frames"
        else if ($0 ~ /execute_with_bound_parameters|Rows as fallible_streaming_iterator/) part = "row and fact statements (samples, names, reports, imports, exports, sections, indicators, predictions, similarity keys)"
        count[part]++; total++
    }
    END { for (p in count) printf "%5.1f%%  %s\n", 100 * count[p] / total, p; printf "%d samples\n", total }' | sort -rn
