#!/usr/bin/env bash
# documents_python: prints the Python of target/venv-documents, made (once) with olefile 0.47 and
# oletools 0.60.2, the versions the parts that write documents (stomped, rc4) use.
documents_python() {
  local venv
  venv=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/venv-documents
  if ! "$venv/bin/python" -c 'import olefile, oletools' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet olefile==0.47 oletools==0.60.2 >&2
  fi
  echo "$venv/bin/python"
}

# fetch_sdist NAME VERSION SHA256: prints the path of the package's source distribution from PyPI,
# downloaded once into $DOWNLOADS and checked against SHA256. Sourced by the part scripts.
fetch_sdist() {
  local name=$1 version=$2 sha=$3 dir=${DOWNLOADS:?}/$1-$2
  if [ ! -f "$dir/.ok" ]; then
    rm -rf "$dir"
    mkdir -p "$dir"
    python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$dir" "$name==$version" >&2
    touch "$dir/.ok"
  fi
  local file
  file=$(find "$dir" -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' \) | head -1)
  echo "$sha  $file" | sha256sum --check --quiet >&2 || { echo "fetch_sdist: $name $version: checksum mismatch" >&2; return 1; }
  echo "$file"
}
