#!/usr/bin/env bash
# Excel 97-2003 workbooks under RC4 CryptoAPI, built from the oletools part (run before this one,
# in the same build) by scripts/documents/rc4_encrypt.py with olefile 0.47 in
# target/venv-documents: the Excel 4.0 macro sample with a 128-bit key under Office's default
# password, and with a 40-bit key under `infected`. Our modifications: MIT OR Apache-2.0.
set -euo pipefail
out=${1:?usage: rc4.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
oletools=$(dirname "$out")/oletools
. "$root/scripts/documents/fetch.bash"
python=$(documents_python)
encrypt() { "$python" "$root/scripts/documents/rc4_encrypt.py" "$oletools/excel4-macros/excel4_sample_macro.xls" "$out/$1" "$2" "$3"; }
encrypt rc4-cryptoapi-128-velvetsweatshop-excel4.xls VelvetSweatshop 128
encrypt rc4-cryptoapi-40-infected-excel4.xls infected 40
