#!/usr/bin/env bash
# OOXML documents under ECMA-376 Standard encryption (Office 2007's), made from documents of
# oletools 0.60.2's test data (BSD-2-Clause) by officecrypto-tool 0.0.19 (MIT, from npm, with
# the dependencies of officecrypto-tool/package-lock.json) with deterministic salts and keys
# (officecrypto-tool/encrypt.js): one under Office's default password, one under `infected`, one
# under a password in no list.
set -euo pipefail
out=${1:?usage: officecrypto.sh OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/fetch.bash"
sdist=$(fetch_sdist oletools 0.60.2 ad452099f4695ffd8855113f453348200d195ee9fa341a09e197d66ee7e0b2c3)
tool=${DOWNLOADS:?}/officecrypto-tool-0.0.19
if [ ! -f "$tool/.ok" ] || ! cmp -s "$here/officecrypto-tool/package-lock.json" "$tool/package-lock.json"; then
  rm -rf "$tool"
  mkdir -p "$tool"
  cp "$here/officecrypto-tool/package.json" "$here/officecrypto-tool/package-lock.json" "$tool/"
  (cd "$tool" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  touch "$tool/.ok"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m zipfile -e "$sdist" "$work"
data=$work/oletools-0.60.2/tests/test-data
encrypt() { NODE_PATH=$tool/node_modules node "$here/officecrypto-tool/encrypt.js" "$data/$1" "$out/$2" "$3"; }
encrypt excel4-macros/excel4_sample_macro.xlsm standard-velvetsweatshop-excel4.xlsm VelvetSweatshop
encrypt msodde/dde-test.docx standard-infected-dde-test.docx infected
encrypt msodde/dde-test.xlsx standard-unknown-password-dde-test.xlsx 'a password in no list'
