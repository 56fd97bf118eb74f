#!/usr/bin/env bash
# OneNote sections from the test data of one-extract 0.1.4 (BSD-3-Clause, Volexity).
set -euo pipefail
out=${1:?usage: onenote.sh OUT_DIR}
. "$(dirname "$0")/fetch.bash"
sdist=$(fetch_sdist one-extract 0.1.4 3b086d17a24cb3f611d50359f080bc1d22490d794eee8cf61adf16f5b4395dc4)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m tarfile -e "$sdist" "$work"
cp -r "$work"/one_extract-0.1.4/tests/files/. "$out/"
