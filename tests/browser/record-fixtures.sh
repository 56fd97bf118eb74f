#!/usr/bin/env bash
# Records the reports the browser tests render, with the real engine, as the app stores them
# ({report, tags, notes, names}). Run after an engine change: tests/browser/record-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
FCAS=${FCAS:-target/debug/fcas}
CORPUS=tests/fixtures/corpus/files
OUT=tests/browser/fixtures
mkdir -p "$OUT"
record() {
  local name=$1 path=$2
  "$FCAS" scan --json "$path" | python3 -c '
import json, sys, os
reports = json.load(sys.stdin)
report = reports[0] if isinstance(reports, list) else reports
import hashlib
path = report["path"]
# As the app does: the SHA-256 the app computed keys the sample when the engine left it empty.
if not report["hashes"].get("sha256"):
    report["hashes"]["sha256"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
report["path"] = os.path.basename(path)
text = json.dumps({"report": report, "tags": [], "notes": [], "names": [report["path"]]}, separators=(",", ":"))
# Paths inside the repository (model files named in reasons) are kept relative to it.
sys.stdout.write(text.replace(os.getcwd() + "/", ""))
' > "$OUT/$name.json"
  echo "recorded $OUT/$name.json from $path"
}
record pe "$CORPUS/pe/deb-libwine-amd64/ping.exe"
record pe-upx "$CORPUS/packed/deb-libwine-amd64/winver.exe"
record elf "$CORPUS/elf/deb-elf-amd64/ls"
