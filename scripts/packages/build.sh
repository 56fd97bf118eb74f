#!/usr/bin/env bash
# Builds the three Debian packages into target/packages/ (`make packages`):
#   fcas-cli    the command line and the hardened worker unit (cargo-deb)
#   fcas        the desktop app with the fcas command and the ONNX Runtime library (Tauri's bundler)
#   fcas-models the prediction models (GPL-3.0 weights, so a package of their own; dpkg-deb)
# Needs: the release binaries' toolchain, ui/dist (make ui), vendor/onnxruntime (make ort), the
# converted models (make models). Installs its own tools pinned: cargo-deb under target/tools,
# the Tauri command line from npm under packaging/node_modules.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/packages
STAGE=target/packaging
mkdir -p "$OUT" "$STAGE"

scripts/packages/tools.sh

echo "packages: building the release binaries"
cargo build --release --locked -p fcas-cli

echo "packages: completions and manual pages from the built fcas"
rm -rf "$STAGE/completions" "$STAGE/man"
mkdir -p "$STAGE/completions"
target/release/fcas completions bash > "$STAGE/completions/fcas.bash"
target/release/fcas completions zsh > "$STAGE/completions/_fcas"
target/release/fcas completions fish > "$STAGE/completions/fcas.fish"
target/release/fcas man --out "$STAGE/man" >/dev/null

echo "packages: the model conversion kit of fcas models install"
scripts/packages/models-kit.sh "$STAGE/models-kit"

echo "packages: fcas-cli (cargo-deb)"
rm -f "$OUT"/fcas-cli_*.deb
target/tools/bin/cargo-deb -p fcas-cli --no-build --output "$OUT/"

echo "packages: fcas, the app (Tauri bundler)"
rm -f "$OUT"/fcas_*.deb
rm -rf target/release/bundle/deb
# The app's crate is src-tauri, built with the root's tauri.conf.json. The command line resolves
# relative paths from src-tauri and the app's build from the root, so the packaging overlay gets
# absolute ones.
python3 - "$PWD" packaging/tauri.deb.json "$STAGE/tauri.deb.json" <<'PY'
import json, os, sys
root, source, target = sys.argv[1:]
config = json.load(open(source))
config.setdefault("build", {})["frontendDist"] = os.path.join(root, "ui/dist")
config["bundle"]["icon"] = [os.path.join(root, "src-tauri/icons/icon.png")]
files = config["bundle"]["linux"]["deb"]["files"]
for installed, built in files.items():
    files[installed] = os.path.join(root, built)
json.dump(config, open(target, "w"), indent=2)
PY
TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui packaging/node_modules/.bin/tauri build --bundles deb \
    --config "$STAGE/tauri.deb.json" --ci >&2
# The bundler names the file after the product (FCAS_...); the package itself is `fcas`.
for deb in target/release/bundle/deb/*.deb; do
    cp "$deb" "$OUT/$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"
done

echo "packages: fcas-models"
rm -f "$OUT"/fcas-models_*.deb
scripts/packages/models-deb.sh "$OUT"
ls -l "$OUT"
