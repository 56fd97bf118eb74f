#!/usr/bin/env bash
# The fcas-models package: every model of models/*/manifest.json with its converted ONNX file,
# under /usr/share/fcas/models (where an installed fcas looks), checked against the manifest's
# sha256 first. The weights are GPL-3.0 (see each manifest's `licence`), hence a package apart.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?usage: models-deb.sh OUT_DIR}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
ROOT=target/packaging/fcas-models
rm -rf "$ROOT"
DEST="$ROOT/usr/share/fcas/models"
mkdir -p "$DEST" "$ROOT/DEBIAN" "$ROOT/usr/share/doc/fcas-models"
for manifest in models/*/manifest.json; do
    id=$(basename "$(dirname "$manifest")")
    onnx=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["onnx_file"])' "$manifest")
    sha=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["onnx_sha256"])' "$manifest")
    [ -f "models/$onnx" ] || { echo "models-deb: models/$onnx is missing; run make models" >&2; exit 1; }
    echo "$sha  models/$onnx" | sha256sum --check --quiet
    install -D -m 0644 "$manifest" "$DEST/$id/manifest.json"
    install -m 0644 "models/$onnx" "$DEST/$onnx"
done
{
    echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: fcas-models"
    echo
    echo "Files: usr/share/fcas/models/*.onnx usr/share/fcas/models/*.ort"
    echo "License: GPL-3.0-only"
    echo "Comment: weights converted from their PyPI packages by models/<id>/convert.py; each"
    echo " manifest.json names its source package, version and checksums."
    echo " On Debian systems the licence text is in /usr/share/common-licenses/GPL-3."
    echo
    echo "Files: usr/share/fcas/models/*/manifest.json"
    echo "License: MIT OR Apache-2.0"
} > "$ROOT/usr/share/doc/fcas-models/copyright"
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: fcas-models
Version: $VERSION
Architecture: all
Maintainer: FCAS developers <fcas@example.invalid>
Section: utils
Priority: optional
Installed-Size: $(du -sk "$ROOT/usr" | cut -f1)
Description: FCAS prediction models (MalConv, EMBER-2018)
 The ONNX models fcas and fcas-app run, with their manifests (source, licence,
 checksums, reference scores). The weights are GPL-3.0.
CONTROL
dpkg-deb --build --root-owner-group "$ROOT" "$OUT/fcas-models_${VERSION}_all.deb" >/dev/null
echo "built $OUT/fcas-models_${VERSION}_all.deb"
