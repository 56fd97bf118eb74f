#!/usr/bin/env bash
# Median time per corpus file of VBA analysis: olevba (oletools 0.60.2, in target/venv-documents)
# against FCAS's VBA reader (the release build of crates/fcas-documents/tests/vba.rs), each file
# read REPEAT times. Needs the document corpus (scripts/make-document-corpus.sh target/documents)
# and the virtual environment of scripts/document-reference-vba.py.
#
# Usage: bench/documents/olevba-vs-fcas.sh [REPEAT]      (default 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
repeat=${1:-20}
corpus=$root/target/documents
"$root/target/venv-documents/bin/python" "$root/bench/documents/olevba_times.py" "$corpus" "$repeat"
cd "$root"
FCAS_DOCUMENTS=$corpus FCAS_VBA_REPEAT=$repeat cargo test --release -q -p fcas-documents --test vba \
  vba_agrees_with_olevba_on_the_corpus -- --nocapture 2>/dev/null | grep 'median time per file' | sed 's/^ */FCAS /'
