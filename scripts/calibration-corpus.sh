#!/usr/bin/env bash
# Builds the benign calibration corpus the indicator fire rates are measured on
# (bench/indicators/fire-rates.sh, docs/INDICATORS.md): the PE modules of Debian 12's Wine and the
# Windows wheels of well-known PyPI projects, every package pinned and its sha256 checked.
#
#   scripts/calibration-corpus.sh [DIR]      (default target/calibration)
#
# Idempotent: a package already downloaded with the pinned sha256 is not fetched again; the files
# are extracted again and DIR/MANIFEST.tsv (path, sha256, package, version, licence) is rewritten.
# Only files starting with "MZ" are kept. Nothing is ever executed: every file is stored 0644.
# The corpus stays out of git (target/ is ignored); its sources are listed below and in
# tests/fixtures/SOURCES.md ("Calibration corpus").
set -euo pipefail

DIR=${1:-target/calibration}
mkdir -p "$DIR/packages" "$DIR/files"
DIR=$(cd "$DIR" && pwd)

# package  version  licence  sha256  (Debian: apt-get download; PyPI: pip download)
DEBIAN=(
  "libwine 8.0~repack-4 LGPL-2.1-or-later"
)
# PyPI wheels: name version platform licence
WHEELS=(
  "numpy 2.1.3 win_amd64 BSD-3-Clause"
  "numpy 2.1.3 win32 BSD-3-Clause"
  "scipy 1.14.1 win_amd64 BSD-3-Clause"
  "pandas 2.2.3 win_amd64 BSD-3-Clause"
  "pillow 11.0.0 win_amd64 MIT-CMU"
  "pillow 11.0.0 win32 MIT-CMU"
  "pywin32 308 win_amd64 PSF-2.0"
  "pywin32 308 win32 PSF-2.0"
  "pygame 2.6.1 win_amd64 LGPL-2.1-or-later"
  "lxml 5.3.0 win_amd64 BSD-3-Clause"
)
# sha256 of every package file, pinned: a changed upstream file stops the build.
declare -A SHA256=(
  ["libwine_8.0~repack-4_amd64.deb"]=512b715f32fccf2ebec2b63f23d9d83394d30e27cc5570a8ef92c5d3627ef305
  ["lxml-5.3.0-cp312-cp312-win_amd64.whl"]=c1a69e58a6bb2de65902051d57fde951febad631a20a64572677a1052690482f
  ["numpy-2.1.3-cp312-cp312-win32.whl"]=e6988e90fcf617da2b5c78902fe8e668361b43b4fe26dbf2d7b0f8034d4cafb9
  ["numpy-2.1.3-cp312-cp312-win_amd64.whl"]=0d30c543f02e84e92c4b1f415b7c6b5326cbe45ee7882b6b77db7195fb971e3a
  ["pandas-2.2.3-cp312-cp312-win_amd64.whl"]=59ef3764d0fe818125a5097d2ae867ca3fa64df032331b7e0917cf5d7bf66b13
  ["pillow-11.0.0-cp312-cp312-win32.whl"]=86510e3f5eca0ab87429dd77fafc04693195eec7fd6a137c389c3eeb4cfb77c6
  ["pillow-11.0.0-cp312-cp312-win_amd64.whl"]=8ec4a89295cd6cd4d1058a5e6aec6bf51e0eaaf9714774e1bfac7cfc9051db47
  ["pygame-2.6.1-cp312-cp312-win_amd64.whl"]=3a9e7396be0d9633831c3f8d5d82dd63ba373ad65599628294b7a4f8a5a01a65
  ["pywin32-308-cp312-cp312-win32.whl"]=587f3e19696f4bf96fde9d8a57cec74a57021ad5f204c9e627e15c33ff568897
  ["pywin32-308-cp312-cp312-win_amd64.whl"]=00b3e11ef09ede56c6a43c71f2d31857cf7c54b0ab6e78ac659497abd2834f47
  ["scipy-1.14.1-cp312-cp312-win_amd64.whl"]=2ff38e22128e6c03ff73b6bb0f85f897d2362f8c052e3b8ad00532198fbdae3f
)

sha() { sha256sum "$1" | cut -d' ' -f1; }

# Checks a package file against its pinned sha256 (or records it when the pin is absent).
check_sha() {
  local file=$1 name
  name=$(basename "$file")
  local got
  got=$(sha "$file")
  local want=${SHA256[$name]:-}
  if [[ -n $want && $want != "$got" ]]; then
    echo "calibration-corpus: $name has sha256 $got, expected $want; delete it and check the pin" >&2
    exit 1
  fi
  printf '%s\t%s\n' "$name" "$got" >>"$DIR/PACKAGES.tsv.new"
}

: >"$DIR/PACKAGES.tsv.new"
: >"$DIR/MANIFEST.tsv.new"

# Keeps the PE files of an extracted tree under DIR/files/LABEL, 0644, and lists them.
keep_pe() {
  local tree=$1 label=$2 package=$3 version=$4 licence=$5
  local out="$DIR/files/$label"
  rm -rf "$out"
  mkdir -p "$out"
  while IFS= read -r -d '' f; do
    [[ $(head -c 2 "$f") == "MZ" ]] || continue
    local rel=${f#"$tree"/}
    mkdir -p "$out/$(dirname "$rel")"
    install -m 0644 "$f" "$out/$rel"
    printf '%s\t%s\t%s\t%s\t%s\n' "files/$label/$rel" "$(sha "$out/$rel")" "$package" "$version" "$licence" >>"$DIR/MANIFEST.tsv.new"
  done < <(find "$tree" -type f \( -iname '*.dll' -o -iname '*.exe' -o -iname '*.pyd' -o -iname '*.sys' -o -iname '*.drv' -o -iname '*.ocx' -o -iname '*.cpl' -o -iname '*.acm' -o -iname '*.ax' -o -iname '*.tlb' \) -print0 | sort -z)
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for entry in "${DEBIAN[@]}"; do
  read -r package version licence <<<"$entry"
  deb=$(ls "$DIR/packages/${package}_${version}_"*.deb 2>/dev/null | head -n 1 || true)
  if [[ -z $deb ]]; then
    (cd "$DIR/packages" && apt-get download "$package=$version")
    deb=$(ls "$DIR/packages/${package}_${version}_"*.deb | head -n 1)
  fi
  check_sha "$deb"
  dpkg-deb -x "$deb" "$work/$package"
  keep_pe "$work/$package/usr/lib/x86_64-linux-gnu/wine" "deb-$package" "$package" "$version" "$licence"
done

for entry in "${WHEELS[@]}"; do
  read -r package version platform licence <<<"$entry"
  wheel=$(ls "$DIR/packages/${package}-${version}-"*"-${platform}.whl" 2>/dev/null | head -n 1 || true)
  if [[ -z $wheel ]]; then
    pip download --quiet --no-deps --only-binary=:all: --platform "$platform" --python-version 3.12 \
      -d "$DIR/packages" "$package==$version"
    wheel=$(ls "$DIR/packages/${package}-${version}-"*"-${platform}.whl" | head -n 1)
  fi
  check_sha "$wheel"
  mkdir -p "$work/$package-$platform"
  python3 -m zipfile -e "$wheel" "$work/$package-$platform"
  keep_pe "$work/$package-$platform" "pypi-$package-$platform" "$package" "$version" "$licence"
done

sort -o "$DIR/PACKAGES.tsv" "$DIR/PACKAGES.tsv.new" && rm "$DIR/PACKAGES.tsv.new"
{ printf 'path\tsha256\tpackage\tversion\tlicence\n'; sort "$DIR/MANIFEST.tsv.new"; } >"$DIR/MANIFEST.tsv"
rm "$DIR/MANIFEST.tsv.new"
echo "calibration corpus: $(($(wc -l <"$DIR/MANIFEST.tsv") - 1)) PE files in $DIR/files"
