#!/usr/bin/env bash
# Set-up of the prediction models, called by the root Makefile:
#   models/setup.sh ort      fetch the ONNX Runtime library into vendor/onnxruntime/
#   models/setup.sh venv     create the pinned conversion venv (models/.cache/venv)
#   models/setup.sh models   build every model of models/*/manifest.json and check it
#                            (build.py's options pass through: --verify, --only ID, --out DIR)
# Each step skips its work when its output already exists with the recorded sha256. Downloads and
# the venv go to FCAS_MODELS_CACHE (default models/.cache); `fcas models install` sets it to the
# user's cache, since an installed copy of this folder is read-only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${FCAS_MODELS_CACHE:-$ROOT/models/.cache}"
export FCAS_MODELS_CACHE="$CACHE"
PYTHON="${PYTHON:-python3}"

ORT_VERSION=1.31.1
ORT_WHEEL="onnxruntime-${ORT_VERSION}-cp311-cp311-manylinux_2_28_x86_64.whl"
ORT_WHEEL_SHA256=5752bd508126ae7c49894d3b9d2e83f0c3d487319246d04c444b393308d7ad7f
ORT_MEMBER="onnxruntime/capi/libonnxruntime.so.${ORT_VERSION}"
ORT_LIB_SHA256=fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3
ORT_DEST="$ROOT/vendor/onnxruntime/libonnxruntime.so.${ORT_VERSION}"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Fails unless file $1 has sha256 $2.
check_sha256() {
    local actual
    actual="$(sha256_of "$1")"
    if [[ "$actual" != "$2" ]]; then
        echo "setup: $1 has sha256 $actual, expected $2" >&2
        return 1
    fi
}

fetch_ort() {
    if [[ -f "$ORT_DEST" ]] && [[ "$(sha256_of "$ORT_DEST")" == "$ORT_LIB_SHA256" ]]; then
        echo "ort: $ORT_DEST is up to date"
        return
    fi
    mkdir -p "$CACHE/wheels" "$(dirname "$ORT_DEST")"
    local wheel="$CACHE/wheels/$ORT_WHEEL"
    if [[ ! -f "$wheel" ]] || [[ "$(sha256_of "$wheel")" != "$ORT_WHEEL_SHA256" ]]; then
        "$PYTHON" -m pip download "onnxruntime==${ORT_VERSION}" --no-deps --only-binary=:all: \
            --platform manylinux_2_28_x86_64 --python-version 3.11 -d "$CACHE/wheels"
    fi
    check_sha256 "$wheel" "$ORT_WHEEL_SHA256"
    # Written without execute permission, then moved into place only once its checksum is right.
    "$PYTHON" - "$wheel" "$ORT_MEMBER" "$ORT_DEST.part" <<'PY'
import sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, open(out, "wb") as f:
    f.write(z.read(member))
PY
    check_sha256 "$ORT_DEST.part" "$ORT_LIB_SHA256"
    chmod 0644 "$ORT_DEST.part"
    mv "$ORT_DEST.part" "$ORT_DEST"
    echo "ort: installed $ORT_DEST"
}

make_venv() {
    local venv="$CACHE/venv" stamp="$CACHE/venv/requirements.txt"
    if [[ -x "$venv/bin/python" ]] && cmp -s "$ROOT/models/requirements.txt" "$stamp"; then
        return
    fi
    mkdir -p "$CACHE"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet -r "$ROOT/models/requirements.txt"
    cp "$ROOT/models/requirements.txt" "$stamp"
    echo "venv: $venv ready"
}

build_models() {
    make_venv
    "$CACHE/venv/bin/python" "$ROOT/models/build.py" "$@"
}

case "${1:-}" in
    ort) fetch_ort ;;
    venv) make_venv ;;
    models) shift; build_models "$@" ;;
    *) echo "usage: models/setup.sh ort|venv|models [--verify] [--only ID] [--out DIR]" >&2; exit 2 ;;
esac
