#!/usr/bin/env bash
# PDFs from the test resources of pypdf 7.1.0 (BSD-3-Clause): forms, attachments, encryption
# revisions 2 to 6, object streams, LZW, ASCII85 and other filters.
set -euo pipefail
out=${1:?usage: pdf.sh OUT_DIR}
. "$(dirname "$0")/fetch.bash"
sdist=$(fetch_sdist pypdf 7.1.0 ca3fa902369e98a6d2cb7b56396de902b72ef9bb3c1e8706c1bfc7d8bd0cf0d7)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$sdist" -C "$work" --no-same-permissions --no-same-owner pypdf-7.1.0/resources
(cd "$work"/pypdf-7.1.0/resources && find . -type f -iname '*.pdf' -print0 | while IFS= read -r -d '' f; do
  mkdir -p "$out/$(dirname "$f")"
  cp "$f" "$out/$f"
done)
