#!/usr/bin/env bash
# Container figures for docs/BENCHMARKS.md ("Containers"):
#  1. `fcas scan big.zip` (1,000 distinct corpus-derived files, about 500 MB) against `7z x` into a
#     temporary folder followed by `fcas scan` of that folder;
#  2. extraction alone (crates/fcas-extract/examples/extract_only.rs: every entry decoded in
#     memory, nothing analysed) against `7z x` and `unzip` writing the files to a temporary folder,
#     on the same ZIP and on a 7z of the same files;
#  3. peak memory (maximum resident set) of `fcas scan` on a bomb (4 GiB of zeros
#     gzipped, inside a ZIP) and on a 2 GiB ISO 9660 image.
#     Both the whole resident set and its anonymous part (RssAnon, sampled every 10 ms): a mapped
#     image's own pages are file-backed, given back to the page cache under pressure.
# Each timing is the median of RUNS runs (default 3); the two sides of figure 1 take turns.
# Usage: bench/containers.sh [RUNS] (ONLY=1 or ONLY=3 runs figure 1 or the memory figures alone).
# Needs: scripts/setup-system.sh containers bench (7-Zip, zip, unzip, genisoimage, GNU time).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SEVEN=$(command -v 7zz || command -v 7z) || { echo "bench/containers.sh: 7-Zip missing; run scripts/setup-system.sh containers" >&2; exit 1; }
cargo build --release --bin fcas -p fcas-cli
cargo build --release --example extract_only -p fcas-extract
FCAS=$PWD/target/release/fcas
EXTRACT=$PWD/target/release/examples/extract_only
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# 1,000 distinct files: corpus files in turn, each with its index appended (new sha256, same
# structure), the larger ones repeated until the set reaches about 500 MB.
mkdir -p "$WORK/files"
mapfile -t CORPUS < <(find tests/fixtures/corpus/files -type f -size +8k | sort)
python3 - "$WORK/files" "${CORPUS[@]}" <<'PY'
import os, sys
out, corpus = sys.argv[1], sys.argv[2:]
sizes = sorted(((os.path.getsize(p), p) for p in corpus), reverse=True)
total, target, i = 0, 500 << 20, 0
while i < 1000:
    # Large files until the target is near, then small ones.
    size, path = sizes[i % 20] if total < target - (1000 - i) * 40_000 else sizes[20 + i % (len(sizes) - 20)]
    data = open(path, "rb").read() + b"\0fcas-bench-%d" % i
    with open(os.path.join(out, "f%04d_%s" % (i, os.path.basename(path))), "wb") as f:
        f.write(data)
    total += len(data); i += 1
print(f"{i} files, {total / 1e6:.0f} MB")
PY
if [[ ${ONLY:-} != 3 ]]; then
  (cd "$WORK/files" && zip -q -r ../big.zip . && "$SEVEN" a -bd -mx=5 ../big.7z . >/dev/null)
  ls -l "$WORK/big.zip" "$WORK/big.7z"
fi

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# seconds CMD...: wall seconds of one run.
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); calc "$end - $start"; }
calc() { python3 -c "print(round($1, 3))"; }
timed() { for _ in $(seq "$RUNS"); do seconds "$@"; done | median; }

seven_then_scan() { rm -rf "$WORK/out" && "$SEVEN" x -bd -o"$WORK/out" "$WORK/big.zip" >/dev/null && "$FCAS" scan --jsonl "$WORK/out" >/dev/null; }
fcas_zip() { "$FCAS" scan --jsonl "$WORK/big.zip" >/dev/null; }
seven_x() { rm -rf "$WORK/out" && "$SEVEN" x -bd -o"$WORK/out" "$1" >/dev/null; }
unzip_x() { rm -rf "$WORK/out" && unzip -q "$1" -d "$WORK/out"; }

# peak LABEL CMD...: peak RSS and peak anonymous RSS of CMD, sampled from /proc every 10 ms.
peak() {
  local label=$1; shift
  python3 - "$label" "$@" <<'PY'
import subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
peak_rss = peak_anon = 0
start = time.time()
while proc.poll() is None:
    try:
        fields = dict(line.split(":", 1) for line in open(f"/proc/{proc.pid}/status"))
        peak_rss = max(peak_rss, int(fields["VmHWM"].split()[0]))
        peak_anon = max(peak_anon, int(fields["RssAnon"].split()[0]))
    except (OSError, KeyError, ValueError):
        pass
    time.sleep(0.01)
print(f"{label}: peak RSS {peak_rss / 1024:.0f} MiB, peak anonymous {peak_anon / 1024:.0f} MiB, {time.time() - start:.1f} s, exit {proc.returncode}")
PY
}

if [[ ${ONLY:-} != 3 ]]; then
echo "== 1. scan of big.zip against 7z x + scan of the folder ($RUNS pairs, the two taking turns)"
# In turns, so that a machine whose speed drifts (a shared VM) weighs on both sides alike.
A_ALL=(); B_ALL=(); R_ALL=()
for _ in $(seq "$RUNS"); do
  a=$(seconds fcas_zip); b=$(seconds seven_then_scan); r=$(calc "$a / $b")
  echo "  fcas scan big.zip ${a} s, 7z x + fcas scan folder ${b} s, ratio ${r}"
  A_ALL+=("$a"); B_ALL+=("$b"); R_ALL+=("$r")
done
A=$(printf '%s\n' "${A_ALL[@]}" | median); B=$(printf '%s\n' "${B_ALL[@]}" | median)
echo "fcas scan big.zip: ${A} s; 7z x + fcas scan folder: ${B} s; ratio of medians $(calc "$A / $B"), median ratio $(printf '%s\n' "${R_ALL[@]}" | median)"

[[ ${ONLY:-} == 1 ]] && exit 0
echo "== 2. extraction alone (median of $RUNS)"
for archive in big.zip big.7z; do
  E=$(timed "$EXTRACT" "$WORK/$archive"); S=$(timed seven_x "$WORK/$archive")
  line="$archive: fcas-extract ${E} s, 7z x ${S} s, speed $(calc "$S / $E")x of 7z"
  if [[ $archive == big.zip ]]; then U=$(timed unzip_x "$WORK/$archive"); line+=", unzip ${U} s, $(calc "$U / $E")x of unzip"; fi
  echo "$line"
done

fi

echo "== 3. peak memory"
head -c $((4 << 30)) /dev/zero | gzip -1 > "$WORK/zeros.gz"
(cd "$WORK" && zip -q bomb.zip zeros.gz)
ls -l "$WORK/bomb.zip"
peak bomb.zip "$FCAS" scan --jsonl "$WORK/bomb.zip"
peak "bomb.zip --no-models" "$FCAS" scan --no-models --jsonl "$WORK/bomb.zip"
# A 1.95 GiB ISO: the corpus set above, hard-linked under new names until the image is that large
# (genisoimage -no-cache-inodes stores each link as a file of its own), under the 2 GiB file limit.
mkdir -p "$WORK/iso"
python3 - "$WORK/files" "$WORK/iso" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
names, total, copy = sorted(os.listdir(src)), 0, 0
while total < 1950 << 20:
    os.makedirs(os.path.join(dst, "c%d" % copy), exist_ok=True)
    for name in names:
        size = os.path.getsize(os.path.join(src, name))
        if total + size > 1950 << 20:
            break
        os.link(os.path.join(src, name), os.path.join(dst, "c%d" % copy, name))
        total += size
    else:
        copy += 1
        continue
    break
PY
genisoimage -quiet -J -R -no-cache-inodes -o "$WORK/big.iso" "$WORK/iso"
rm -rf "$WORK/iso"
ls -l "$WORK/big.iso"
peak big.iso "$FCAS" scan --jsonl "$WORK/big.iso"
peak "big.iso --no-models" "$FCAS" scan --no-models --jsonl "$WORK/big.iso"
# The models' own share: one PE of the set, alone (the sessions are made at the first PE).
peak "one PE (model sessions)" "$FCAS" scan --jsonl "$(ls -S "$WORK"/files/*.dll | tail -1)"
