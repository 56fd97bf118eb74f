#!/usr/bin/env bash
# VBA-stomped documents built from the oletools part (run before this one, in the same build):
# each module's source replaced by a benign one, p-code kept (scripts/documents/stomp.py, with
# olefile 0.47 and oletools 0.60.2 in target/venv-documents). Our modifications: MIT OR Apache-2.0.
set -euo pipefail
out=${1:?usage: stomped.sh OUT_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
oletools=$(dirname "$out")/oletools
. "$root/scripts/documents/fetch.bash"
python=$(documents_python)
for f in encrypted/autostart-encrypt-standardpassword.xls oleform/oleform-PR314.docm; do
  name=$(basename "$f")
  "$python" "$root/scripts/documents/stomp.py" "$oletools/$f" "$out/stomped-$name"
done
