#!/usr/bin/env bash
# Engine benchmarks, in one go, on this machine. Writes docs/bench/engine.md.
#  (a) fcas (whole engine) vs the Python reference pipeline, per file and over the whole corpus
#  (b) our PE structure analysis vs pefile's full parse, per PE file
#  (c) one 256 MiB file: our one-pass digests vs the C tools one after another
# Usage: bench/run.sh            (REPS=7, PASSES=3 by default: FCAS and the reference take turns,
#                                  PASSES times each, REPS runs of every file per pass; each
#                                  per-file figure is the median of the passes' medians, so a drift
#                                  of the machine's speed during the run weighs on both sides alike;
#                                  the whole-corpus runs take turns too, WALL_RUNS=5 times each)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-7}
PASSES=${PASSES:-3}
WALL_RUNS=${WALL_RUNS:-5}
OUT=bench/out
mkdir -p "$OUT" docs/bench

scripts/setup-system.sh bench
cargo build --release --bin fcas -p fcas-cli
cargo build --release -p fcas-engine --example bench_corpus --example digest_file

if [[ ! -x bench/.venv/bin/python ]] || ! cmp -s bench/requirements.txt bench/.venv/requirements.txt; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
  cp bench/requirements.txt bench/.venv/requirements.txt
fi

mapfile -t FILES < <(find tests/fixtures/corpus/files -type f | sort)

echo "(a, b) per-file medians over ${#FILES[@]} files, $PASSES passes of $REPS runs each, taking turns"
for pass in $(seq "$PASSES"); do
  target/release/examples/bench_corpus "$REPS" "${FILES[@]}" > "$OUT/fcas_files.pass$pass.jsonl"
  bench/.venv/bin/python bench/reference_pipeline.py "$REPS" "${FILES[@]}" > "$OUT/reference_files.pass$pass.jsonl"
done
python3 bench/median_of_passes.py "$OUT"/fcas_files.pass*.jsonl > "$OUT/fcas_files.jsonl"
python3 bench/median_of_passes.py "$OUT"/reference_files.pass*.jsonl > "$OUT/reference_files.jsonl"

echo "(a) whole corpus, one process each, $WALL_RUNS runs taking turns"
wall() { local start end; start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N); printf '%d.%03d' $(( (end - start) / 1000000000 )) $(( (end - start) / 1000000 % 1000 )); }
declare -A WALLS=()
for run in $(seq "$WALL_RUNS"); do
  WALLS[fcas_jobs1]+=" $(wall target/release/fcas scan --jsonl --no-models --jobs 1 tests/fixtures/corpus/files)"
  WALLS[fcas_jobs2]+=" $(wall target/release/fcas scan --jsonl --no-models --jobs 2 tests/fixtures/corpus/files)"
  WALLS[reference]+=" $(wall bench/.venv/bin/python bench/reference_pipeline.py --full-only 1 "${FILES[@]}")"
done
for key in fcas_jobs1 fcas_jobs2 reference; do echo "$key${WALLS[$key]}"; done > "$OUT/corpus_wall.txt"

echo "(c) 256 MiB file"
BIG="$OUT/random-256MiB.bin"
if [[ ! -f "$BIG" ]] || [[ $(stat -c %s "$BIG") -ne 268435456 ]]; then
  # Deterministic bytes: a counter-mode stream from openssl would need a key; sha256 chaining is
  # enough and needs nothing beyond coreutils-compatible python.
  python3 - "$BIG" <<'PY'
import hashlib, sys
with open(sys.argv[1], "wb") as f:
    block = hashlib.sha512(b"fcas-bench").digest()
    chunk = bytearray()
    for i in range(4 * 1024 * 1024):
        block = hashlib.sha512(block).digest() if i % 64 == 0 else block[1:] + block[:1]
        chunk += block
        if len(chunk) >= 1 << 20:
            f.write(chunk); chunk = bytearray()
    f.write(chunk)
PY
  chmod 0644 "$BIG"
fi
cat "$BIG" > /dev/null   # warm the page cache so every tool reads from memory
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
{
  for tool in md5sum sha1sum sha256sum sha512sum; do echo "$tool $(measure "$tool" "$BIG")"; done
  echo "ssdeep $(measure ssdeep -s "$BIG")"
  echo "tlsh $(measure tlsh_unittest -f "$BIG")"
  echo "fcas_1core $(measure taskset -c 0 target/release/examples/digest_file "$BIG")"
  echo "fcas_2cores $(measure target/release/examples/digest_file "$BIG")"
} > "$OUT/big_file.txt"

python3 bench/summarize.py "$OUT" "$REPS" "$PASSES" > docs/bench/engine.md
echo "wrote docs/bench/engine.md"
