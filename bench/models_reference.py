"""Python reference timings for bench/models.sh: onnxruntime on the same ONNX files as fcas, and
the EMBER v2 reference extractor (ember-mivia with LIEF 0.12.3). Prints one JSON object per
measurement, like the Rust side.

Usage: models_reference.py CORPUS_DIR MODELS_DIR [REPEAT]
"""
import importlib.util
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort

MAX_LEN = 1 << 20
WINDOW = 500


def load_ember_extractor():
    spec = importlib.util.find_spec("ember")
    path = os.path.join(spec.submodule_search_locations[0], "features.py")
    # Only the feature module: the package's __init__ pulls in training dependencies.
    module_spec = importlib.util.spec_from_file_location("ember_features", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module.PEFeatureExtractor(2)


def malconv_input(data, short):
    data = data[:MAX_LEN]
    length = min(-(-len(data) // WINDOW) * WINDOW + WINDOW, MAX_LEN) if short else MAX_LEN
    x = np.full((1, length), 256, dtype=np.int64)
    x[0, : len(data)] = np.frombuffer(data, dtype=np.uint8)
    return x


def timed(f, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        f()
        times.append((time.perf_counter() - started) * 1e3)
    return float(np.median(times))


def report(name, values, repeat):
    values = sorted(values)
    at = lambda q: values[int(round((len(values) - 1) * q))] if values else None
    print(json.dumps({"measure": name, "impl": "python", "n": len(values), "repeat": repeat,
                      "median_ms": at(0.5), "p90_ms": at(0.9), "max_ms": at(1.0)}), flush=True)


def files_under(folder):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs)


def main(corpus, models, repeat):
    started = time.perf_counter()
    malconv = ort.InferenceSession(os.path.join(models, "malconv-ember.onnx"), providers=["CPUExecutionProvider"])
    ember = ort.InferenceSession(os.path.join(models, "ember2018-lgbm.ort"), providers=["CPUExecutionProvider"])
    report("session_load_all_models", [(time.perf_counter() - started) * 1e3], 0)

    pe = [p for p in files_under(os.path.join(corpus, "files")) if open(p, "rb").read(2) == b"MZ"]
    datas = [open(p, "rb").read() for p in pe]
    for short, name in ((False, "malconv_python_full_padding_ms_per_pe_file"), (True, "malconv_python_short_padding_ms_per_pe_file")):
        report(name, [timed(lambda d=d: malconv.run(["score"], {"bytes": malconv_input(d, short)}), repeat) for d in datas], repeat)

    vectors = []
    for path in files_under(os.path.join(corpus, "refs")):
        with open(path) as f:
            vector = (json.load(f).get("ember_v2") or {}).get("vector")
        if vector:
            vectors.append(np.asarray([vector], dtype=np.float32))
    report("ember_python_inference_ms_on_reference_vectors",
           [timed(lambda v=v: ember.run(["probabilities"], {"features": v}), repeat) for v in vectors], repeat)

    extractor = load_ember_extractor()
    per_file = []
    extraction = []
    for data in datas:
        try:
            extractor.feature_vector(data)
        except Exception:  # the reference extractor fails on some malformed files
            continue
        extraction.append(timed(lambda d=data: extractor.feature_vector(d), repeat))
        per_file.append(timed(lambda d=data: ember.run(["probabilities"], {
            "features": np.asarray([extractor.feature_vector(d)], dtype=np.float32)}), repeat))
    report("ember_python_extraction_ms_per_pe_file", extraction, repeat)
    report("ember_python_extraction_plus_inference_ms_per_pe_file", per_file, repeat)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
