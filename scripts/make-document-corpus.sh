#!/usr/bin/env bash
# Builds the document test corpus in OUT_DIR: Office documents, RTF, PDF, shortcuts, OneNote
# sections and scripts taken from the test data of permissively licensed PyPI source packages
# (each part under OUT_DIR/<part>/, fetched by scripts/documents/<part>.sh with its sha256 pinned).
# Provenance: tests/fixtures/documents/SOURCES.md. The reference tools' outputs on these files
# are computed by scripts/document-reference.sh and kept in tests/fixtures/documents/reference/.
#
# Usage: scripts/make-document-corpus.sh OUT_DIR      (needs python3 with pip; network: PyPI)
#
# Idempotent: OUT_DIR is rebuilt whole and replaced at the end.
set -euo pipefail

out=$(realpath -m "${1:?usage: scripts/make-document-corpus.sh OUT_DIR}")
root=$(cd "$(dirname "$0")/.." && pwd)
build=$out.tmp
rm -rf "$build"
mkdir -p "$build"
downloads=$root/target/downloads
mkdir -p "$downloads"
export DOWNLOADS=$downloads

for part in "$root"/scripts/documents/*.sh; do
  name=$(basename "$part" .sh)
  mkdir -p "$build/$name"
  "$part" "$build/$name"
done

# Nothing in the corpus may be executable (the project never writes a sample so).
find "$build" -type f -exec chmod 0644 {} +
(cd "$build" && find . -type f ! -name MANIFEST.tsv | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
  printf '%s\t%s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$f"
done) >"$build/MANIFEST.tsv"
rm -rf "$out"
mv "$build" "$out"
echo "document corpus: $(wc -l <"$out/MANIFEST.tsv") files in $out"
