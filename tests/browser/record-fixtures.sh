#!/usr/bin/env bash
# Records the reports the browser tests render, with the real engine, as the app stores them
# ({report, tags, notes, names}). Run after an engine change: tests/browser/record-fixtures.sh
# (`tests/browser/record-fixtures.sh documents` records the documents only,
# `tests/browser/record-fixtures.sh structure` the Structure view's only).
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
# Documents analysed by the real engine (the document corpus, `make documents`): each a sample of
# its own with its children, as the app stores them, in fixtures/documents/recorded/.
record_documents() {
  local docs=${FCAS_DOCUMENTS:-target/documents} out=$OUT/documents/recorded
  mkdir -p "$out"
  for pair in "ppt-vba oletools/olevba/sample_with_vba.ppt" "dde-docx oletools/msodde/dde-test.docx" \
    "pdf-js pdf/SF424_page2.pdf" "lnk-encoded lnk/powershell-encoded.lnk" "ps-frombase64 scripts/ps-frombase64.ps1" \
    "ppt-package oletools/oleobj/sample_with_lnk_file.ppt"; do
    read -r name path <<<"$pair"
    "$FCAS" scan --jsonl "$docs/$path" | python3 -c '
import json, os, sys
samples = []
for line in sys.stdin:
    report = json.loads(line)
    report["path"] = os.path.basename(report["path"].split("!")[0]) + ("!" + report["path"].split("!", 1)[1] if "!" in report["path"] else "")
    samples.append({"report": report, "tags": [], "notes": [], "names": [report["path"].rsplit("!", 1)[-1]]})
text = json.dumps({"samples": samples}, separators=(",", ":"))
sys.stdout.write(text.replace(os.getcwd() + "/", ""))
' >"$out/$name.json"
    echo "recorded $out/$name.json from $path"
  done
}
# `record-fixtures.sh documents` records only these.
if [ "${1:-}" = documents ]; then
  record_documents
  exit 0
fi
# The other corpus kinds the Structure view and the leaf coverage test read (fixtures/structure/):
# a .NET assembly, a universal (fat) Mach-O with two slices, a malformed PE (its first section's
# raw data pointer past the end of the file).
record_structure() {
  mkdir -p "$OUT/structure"
  record structure/dotnet "$CORPUS/pe/pypi-clr-loader-any/ClrLoader-amd64.dll"
  record structure/macho "$CORPUS/macho/pypi-pyinstaller-macos-universal2/run"
  record structure/malformed "$CORPUS/malformed/deb-libwine-amd64__winver__sec0_rawptr_oob.exe"
}
if [ "${1:-}" = structure ]; then
  record_structure
  exit 0
fi
record pe "$CORPUS/pe/deb-libwine-amd64/ping.exe"
record pe-upx "$CORPUS/packed/deb-libwine-amd64/winver.exe"
record elf "$CORPUS/elf/deb-elf-amd64/ls"
record_structure

# Two submissions of containers, stored as the app stores them (each report a sample of its own):
# sample.zip holds inner.tar (a.exe, notes.txt), a copy of a.exe (a duplicate) and readme.txt;
# other.zip holds a.exe too, so a.exe is found in two containers.
record_containers() {
  local scratch
  scratch=$(mktemp -d)
  python3 - "$scratch" "$CORPUS/pe/pypi-setuptools-any/gui-32.exe" <<'PY'
import io, sys, tarfile, zipfile
scratch, exe_path = sys.argv[1], sys.argv[2]
exe = open(exe_path, "rb").read()
inner = io.BytesIO()
with tarfile.open(fileobj=inner, mode="w", format=tarfile.USTAR_FORMAT) as tar:
    for name, data in [("a.exe", exe), ("notes.txt", b"inner notes\n")]:
        info = tarfile.TarInfo(name)
        info.size, info.mtime = len(data), 1700000000
        tar.addfile(info, io.BytesIO(data))
def write_zip(path, entries):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
write_zip(f"{scratch}/sample.zip", [("inner.tar", inner.getvalue()), ("copy-of-a.exe", exe), ("readme.txt", b"read me\n")])
write_zip(f"{scratch}/other.zip", [("a.exe", exe)])
PY
  mkdir -p "$OUT/containers"
  "$FCAS" scan --jsonl "$scratch/sample.zip" "$scratch/other.zip" | python3 -c '
import json, sys
scratch = sys.argv[1] + "/"
samples = {}
for line in sys.stdin:
    report = json.loads(line.replace(scratch, ""))
    name = report["path"].split("!")[-1]
    stored = samples.setdefault(report["hashes"]["sha256"], {"report": report, "tags": [], "notes": [], "names": []})
    if name not in stored["names"]:
        stored["names"].append(name)
json.dump({"samples": list(samples.values())}, sys.stdout, separators=(",", ":"))
' "$scratch" > "$OUT/containers/submissions.json"
  rm -r "$scratch"
  echo "recorded $OUT/containers/submissions.json"
}
record_containers

record_documents
