"""Memory of building an ONNX Runtime session: the peak while it is built and what stays once
glibc's freed pages are given back (fcas calls malloc_trim after building a session too).

Usage (the models' conversion venv has onnxruntime at the version fcas links):
    models/.cache/venv/bin/python bench/model_load_memory.py models/ember2018-lgbm.ort [MORE.onnx...]

Each file is loaded in a fresh process, so that one's peak does not hide another's. The figures
include the interpreter and onnxruntime's own pages, printed as `base`.
"""
import ctypes
import resource
import subprocess
import sys


def resident_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def measure(path):
    import onnxruntime  # imported here: its own pages count in `base`

    base = resident_mib()
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    print(f"{path}: base {base} MiB, peak {peak} MiB, kept after malloc_trim {resident_mib()} MiB", flush=True)
    del session


def main(paths):
    if not paths:
        sys.exit(__doc__)
    if paths[0] == "--one":
        measure(paths[1])
        return
    for path in paths:
        subprocess.run([sys.executable, __file__, "--one", path], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
