#!/usr/bin/env python3
"""Median time olevba (oletools 0.60.2, as a library) takes per file of the corpus's Office part
to do what FCAS's VBA reader does: open the file, find the VBA projects, extract and decompress
the modules, and look for auto-run and suspicious keywords (FCAS's side runs its whole document
analysis: VBA, XLM, DDE, relationships, objects, encryption). Usage: olevba_times.py CORPUS REPEAT"""
import logging
import os
import statistics
import sys
import time

from oletools import olevba


def once(path):
    try:
        parser = olevba.VBA_Parser(path, relaxed=True)
    except Exception:
        return
    try:
        if parser.type != olevba.TYPE_TEXT and parser.detect_vba_macros():
            for _, _, _, code in parser.extract_macros():
                olevba.detect_autoexec(code)
                olevba.detect_suspicious(code)
    except Exception:
        pass
    finally:
        parser.close()


def main():
    corpus, repeat = sys.argv[1], int(sys.argv[2])
    logging.disable(logging.CRITICAL)
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as manifest:
        # The Office part, the files FCAS's side of the comparison reads (tests/vba.rs).
        files = [line.rstrip("\n").split("\t", 1)[1] for line in manifest if "\toletools/" in line]
    times = []
    for name in files:
        path = os.path.join(corpus, name)
        started = time.perf_counter()
        for _ in range(repeat):
            once(path)
        times.append((time.perf_counter() - started) / repeat)
    print("olevba median time per file: %.1f us over %d files" % (statistics.median(times) * 1e6, len(files)))


if __name__ == "__main__":
    main()
