#!/usr/bin/env python3
"""The reference pipeline FCAS is measured against, per file:

  full   = hashlib md5/sha1/sha256/sha512 + libfuzzy ssdeep + py-tlsh
           + pefile full parse + imphash + rich header + overlay offset (PE files)
  pefile = pefile full parse alone (PE files)
  pefile_hashed = pefile full parse, then every section's get_entropy() and get_hash_md5()
           (the section fields FCAS's structure reports; PE files)

Each measurement is the median of REPS runs, in milliseconds, written as JSON lines.
With --full-only first, only `full` runs (the whole-corpus wall-clock run: no extra parses).
ssdeep is libfuzzy itself (the C library, through ctypes), so the reference is not slowed by a
pure-Python fuzzy hash.
"""
import ctypes
import ctypes.util
import hashlib
import json
import os
import statistics
import sys
import time

import pefile
import tlsh

_fuzzy = ctypes.CDLL(ctypes.util.find_library("fuzzy") or "libfuzzy.so.2")
_fuzzy.fuzzy_hash_buf.argtypes = [ctypes.c_char_p, ctypes.c_uint32, ctypes.c_char_p]


def ssdeep(data: bytes) -> str:
    out = ctypes.create_string_buffer(148)
    _fuzzy.fuzzy_hash_buf(data, len(data), out)
    return out.value.decode()


def pe_part(data: bytes):
    if not data.startswith(b"MZ"):
        return None
    try:
        pe = pefile.PE(data=data, fast_load=False)
    except pefile.PEFormatError:
        return None
    return (pe.get_imphash(), pe.parse_rich_header(), pe.get_overlay_data_start_offset())


def full(data: bytes):
    digests = [hashlib.new(name, data).hexdigest() for name in ("md5", "sha1", "sha256", "sha512")]
    return digests, ssdeep(data), tlsh.hash(data), pe_part(data)


def pefile_only(data: bytes):
    try:
        pefile.PE(data=data, fast_load=False)
    except pefile.PEFormatError:
        pass


def pefile_hashed(data: bytes):
    try:
        pe = pefile.PE(data=data, fast_load=False)
    except pefile.PEFormatError:
        return
    for section in pe.sections:
        section.get_entropy()
        section.get_hash_md5()


def median_ms(fn, data, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn(data)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    args = sys.argv[1:]
    full_only = bool(args) and args[0] == "--full-only"
    if full_only:
        args = args[1:]
    reps = int(args[0])
    paths = args[1:]
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        record = {"path": path, "size": len(data), "full_ms": median_ms(full, data, reps)}
        if data.startswith(b"MZ") and not full_only:
            record["pefile_ms"] = median_ms(pefile_only, data, reps)
            record["pefile_hashed_ms"] = median_ms(pefile_hashed, data, reps)
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
