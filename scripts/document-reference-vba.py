#!/usr/bin/env python3
"""Reference VBA results for the document corpus, computed by olevba (oletools 0.60.2).

For every file of the corpus (MANIFEST.tsv, paths relative to the corpus folder) it records
what olevba finds: whether there is a VBA project and XLM macros, the VBA modules (olevba's file
name for each, and the OLE stream), the auto-run and suspicious keywords olevba's own detectors
find in the VBA source (XLM text and the p-code listing olevba appends are left out, so the lists
speak of VBA source only), whether olevba sees VBA stomping, and the error olevba raised, if any.

Run (network: PyPI once, for the virtual environment):
    python3 -m venv target/venv-documents
    target/venv-documents/bin/pip install oletools==0.60.2
    target/venv-documents/bin/python scripts/document-reference-vba.py target/documents \
        tests/fixtures/documents/reference/vba.json
"""
import json
import logging
import os
import sys

from oletools import olevba

# Pseudo-modules olevba yields beside the VBA source.
NOT_VBA = {"xlm_macro", "VBA P-code"}
# olevba reads a file of no format it knows as plain VBA source ("Text"): that is no VBA project.
PLAIN_TEXT = olevba.TYPE_TEXT


def keywords(found):
    """The keywords of olevba's (keyword, description) pairs, without repeats, in order."""
    seen = []
    for keyword, _ in found:
        if keyword not in seen:
            seen.append(keyword)
    return seen


def analyse(path):
    result = {"has_vba": False, "has_xlm": False, "modules": [], "streams": [],
              "autoexec": [], "suspicious": [], "stomped": False}
    try:
        parser = olevba.VBA_Parser(path, relaxed=True)
    except Exception as error:  # not a file olevba reads
        result["error"] = type(error).__name__
        return result
    result["type"] = parser.type
    try:
        if parser.type == PLAIN_TEXT:
            return result
        result["has_vba"] = bool(parser.detect_vba_macros())
        result["has_xlm"] = bool(parser.detect_xlm_macros())
        autoexec, suspicious = [], []
        if result["has_vba"]:
            for _, stream, name, code in parser.extract_macros():
                if stream in NOT_VBA:
                    continue
                result["modules"].append(name)
                result["streams"].append(stream)
                autoexec += olevba.detect_autoexec(code)
                suspicious += olevba.detect_suspicious(code)
            try:
                result["stomped"] = bool(parser.detect_vba_stomping())
            except Exception:
                result["stomped"] = False
        result["autoexec"] = keywords(autoexec)
        result["suspicious"] = keywords(suspicious)
    except Exception as error:
        result["error"] = type(error).__name__
    finally:
        parser.close()
    return result


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    logging.disable(logging.CRITICAL)
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as manifest:
        files = [line.rstrip("\n").split("\t", 1)[1] for line in manifest if "\t" in line]
    results = {name: analyse(os.path.join(corpus, name)) for name in files}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"tool": "olevba", "version": olevba.__version__, "files": results},
                  handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
