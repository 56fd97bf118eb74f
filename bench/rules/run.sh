#!/usr/bin/env bash
# The rules stage against the yara-x command line over the same files and the same 100 rules.
#
# Usage: bench/rules/run.sh [FILES_DIR] [REPEAT]     (default: tests/fixtures/corpus/files, 5)
#
# Installs `yr` (yara-x-cli 1.22.1, the version the rules crate links) into target/tools once
# (about 15 minutes of compilation on 2 cores; skipped when present), generates 100 rules into
# target/bench-rules/rules/, compiles them once for each side (yr compile; the rules crate's cache),
# then times, single-threaded, REPEAT passes of `yr scan` over the files against REPEAT passes of
# the rules stage (crates/fcas-rules/examples/bench_rules.rs, release build; the stage scans with
# the scanner its thread keeps, as in an analysis).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
files=${1:-tests/fixtures/corpus/files}
repeat=${2:-5}
work=target/bench-rules
mkdir -p "$work/rules"

if [ ! -x target/tools/bin/yr ]; then
  cargo install yara-x-cli --version =1.22.1 --locked --root target/tools
fi

# 100 rules (bench/rules/bench100.py), the same as the retro-hunt benchmark's.
python3 bench/rules/bench100.py "$work/rules/bench100.yar"

target/tools/bin/yr compile "$work/rules/bench100.yar" -o "$work/bench100.yarc" >/dev/null
cargo build --release -q -p fcas-rules --example bench_rules
bench=target/release/examples/bench_rules
"$bench" "$work/rules" "$files" 1 >/dev/null   # fills the compiled-rules cache

# Both sides must find the same (rule, file) pairs, or the times compare different work.
yr_pairs=$(target/tools/bin/yr scan --recursive --threads 1 --disable-console-logs -C "$work/bench100.yarc" "$files" | wc -l)
stage_pairs=$("$bench" "$work/rules" "$files" 1 | sed -n 's/.* matches=\([0-9]*\).*/\1/p')
if [ "$yr_pairs" != "$stage_pairs" ]; then
  echo "yr scan found $yr_pairs (rule, file) matches, the rules stage $stage_pairs: not the same work" >&2
  exit 1
fi
echo "matching (rule, file) pairs per pass: $yr_pairs on both sides"
echo "files: $files ($(find "$files" -type f | wc -l) files, $(du -sb "$files" | cut -f1) bytes), 100 rules, $repeat passes, 1 thread"
start=$(date +%s.%N)
for _ in $(seq "$repeat"); do
  target/tools/bin/yr scan --recursive --threads 1 --disable-console-logs -C "$work/bench100.yarc" "$files" >/dev/null
done
end=$(date +%s.%N)
yr_s=$(python3 -c "print($end - $start)")
echo "yr scan:     $(printf '%.3f' "$yr_s") s"
start=$(date +%s.%N)
"$bench" "$work/rules" "$files" "$repeat"
end=$(date +%s.%N)
stage_s=$(python3 -c "print($end - $start)")
echo "rules stage: $(printf '%.3f' "$stage_s") s (process, loading the cached rules and reading the files included)"
echo "ratio:       $(python3 -c "print(f'{$stage_s / $yr_s:.2f}')")"
# For comparison: a new scanner per file (what the stage did before keeping one per thread).
"$bench" "$work/rules" "$files" "$repeat" fresh
