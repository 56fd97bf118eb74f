#!/usr/bin/env bash
# Indicator fire rates on the benign calibration corpus, written to docs/INDICATORS.md.
#
#   bench/indicators/fire-rates.sh [CORPUS_DIR]          (default target/calibration)
#   BEFORE_ONLY=1 bench/indicators/fire-rates.sh         (measure the current code as "before")
#
# Builds the corpus if needed (scripts/calibration-corpus.sh), builds the engine's
# `indicator_reports` example in release (the engine's pipeline with its default options, the one
# `fcas scan --no-models` runs, printing each file's indicators as a JSON line), analyses every
# file once with the default options and once without disassembly (`--no-disasm`: imports only),
# and summarises each run (bench/indicators/summarize.py). The models do not run: their verdict
# on this corpus is benign, the figure here is what the indicators add. The "before" summary is
# bench/indicators/before.json, measured on the code before indicators needed code evidence;
# BEFORE_ONLY=1 rewrites it.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${1:-target/calibration}
OUT=target/indicators
mkdir -p "$OUT"
[[ -s $CORPUS/MANIFEST.tsv ]] || scripts/calibration-corpus.sh "$CORPUS"
cargo build --release -p fcas-engine --example indicator_reports
REPORTS=target/release/examples/indicator_reports

scan() {
  find "$CORPUS/files" -type f | sort | "$REPORTS" "$@" >"$OUT/reports.jsonl"
}

if [[ -n ${BEFORE_ONLY:-} ]]; then
  scan
  python3 bench/indicators/summarize.py "$OUT/reports.jsonl" bench/indicators/before.json
  exit 0
fi
scan
python3 bench/indicators/summarize.py "$OUT/reports.jsonl" "$OUT/after.json"
scan --no-disasm
python3 bench/indicators/summarize.py "$OUT/reports.jsonl" "$OUT/after-no-disasm.json"
python3 bench/indicators/render.py "bench/indicators/fire-rates.sh $CORPUS" "$CORPUS/MANIFEST.tsv" \
  bench/indicators/before.json "$OUT/after.json" "$OUT/after-no-disasm.json" >docs/INDICATORS.md
echo "docs/INDICATORS.md written"
