#!/usr/bin/env bash
# Office, RTF, CSV and XML documents from the test data of oletools 0.60.2 (BSD-2-Clause).
set -euo pipefail
out=${1:?usage: oletools.sh OUT_DIR}
. "$(dirname "$0")/fetch.bash"
sdist=$(fetch_sdist oletools 0.60.2 ad452099f4695ffd8855113f453348200d195ee9fa341a09e197d66ee7e0b2c3)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m zipfile -e "$sdist" "$work"
cp -r "$work"/oletools-0.60.2/tests/test-data/. "$out/"
