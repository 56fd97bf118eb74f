#!/usr/bin/env bash
# The model conversion kit `fcas models install` runs from an installed package: the scripts of
# models/, each model's manifest and converter, and the reference inputs their checks read, at the
# paths the manifests name. All written 0644 (setup.sh is run through bash). No weights: they are
# fetched from their registry packages at install time. A reference input under a GPL licence
# (tests/fixtures/corpus/MANIFEST.tsv) stays out, so the packages carrying the kit stay
# MIT OR Apache-2.0; it is listed in models/KIT_OMITTED, which build.py reads to skip its check.
# SOURCES names each shipped input's package, version and licence.
#   scripts/packages/models-kit.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: models-kit.sh OUT_DIR}
rm -rf "$OUT"
mkdir -p "$OUT/models"
: > "$OUT/models/KIT_OMITTED"
# Where each reference input comes from (package, version, licence), shipped with them.
echo "Reference inputs of the model checks: file, source package, version, licence (the JSON files under refs/ hold feature vectors computed from registry packages' files by the reference extractor)." > "$OUT/SOURCES"
files=(models/setup.sh models/build.py models/requirements.txt models/README.md)
for manifest in models/*/manifest.json; do
    dir=$(dirname "$manifest")
    files+=("$manifest" "$dir"/*.py)
    mapfile -t references < <(python3 - "$manifest" tests/fixtures/corpus/MANIFEST.tsv "$OUT/models/KIT_OMITTED" "$OUT/SOURCES" <<'PY'
import csv, json, sys
manifest, corpus, omitted, notice = sys.argv[1:]
rows = {"tests/fixtures/corpus/" + row["path"]: row for row in csv.DictReader(open(corpus), delimiter="\t")}
with open(omitted, "a") as out, open(notice, "a") as sources:
    for reference in json.load(open(manifest))["reference_outputs"]:
        row = rows.get(reference["file"])
        if row and "GPL" in row["license"]:
            out.write(reference["file"] + "\n")
            continue
        print(reference["file"])
        if row:
            sources.write(f"{reference['file']}: {row['source_package']} {row['version']}, {row['license']}\n")
PY
)
    files+=("${references[@]}")
done
for file in "${files[@]}"; do
    install -D -m 0644 "$file" "$OUT/$file"
done
echo "models kit: ${#files[@]} files in $OUT"
