#!/usr/bin/env python3
"""Reference VBA stomping results for the document corpus, computed by olevba (oletools 0.60.2)
with pcodedmp 1.2.6 disassembling the p-code. pcodedmp (GPL-3.0) runs here only, as a reference
tool in the virtual environment; FCAS neither links nor copies it.

For every file of the corpus in which olevba finds VBA, it records olevba's
detect_vba_stomping() and, from pcodedmp's disassembly, the string literals (LitStr) of the
p-code and the names olevba's rule compares with the source (ArgsCall, ArgsLd, St, Ld, MemSt,
Label).

Run (network: PyPI once, for the virtual environment):
    python3 -m venv target/venv-documents
    target/venv-documents/bin/pip install oletools==0.60.2 pcodedmp==1.2.6
    target/venv-documents/bin/python scripts/document-reference-stomping.py target/documents \
        tests/fixtures/documents/reference/stomping.json
"""
import json
import logging
import os
import sys

from oletools import olevba

NAMED = ("ArgsCall", "ArgsLd", "St", "Ld", "MemSt", "Label")


def from_disassembly(listing):
    literals, names = [], []
    for line in listing.splitlines():
        if not line.startswith("\t"):
            continue
        tokens = line.split(None, 1)
        args = tokens[1].strip() if len(tokens) == 2 else ""
        if tokens[0] == "LitStr":
            text = args.split(None, 1)[1] if " " in args else '""'
            text = text[1:-1]
            if text and text not in literals:
                literals.append(text)
        elif tokens[0] in NAMED and args:
            if args.startswith("(Call) "):
                args = args[7:]
            name = args.split(None, 1)[0]
            if not name.startswith("id_") and name not in names:
                names.append(name)
    return literals, names


def analyse(path):
    try:
        parser = olevba.VBA_Parser(path, relaxed=True)
    except Exception:
        return None
    try:
        if parser.type == olevba.TYPE_TEXT or not parser.detect_vba_macros():
            return None
        result = {"stomped": bool(parser.detect_vba_stomping())}
        result["pcode_literals"], result["pcode_names"] = from_disassembly(parser.pcodedmp_output or "")
        return result
    except Exception as error:
        return {"error": type(error).__name__}
    finally:
        parser.close()


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    logging.disable(logging.CRITICAL)
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as manifest:
        files = [line.rstrip("\n").split("\t", 1)[1] for line in manifest if "\t" in line]
    results = {}
    for name in files:
        found = analyse(os.path.join(corpus, name))
        if found is not None:
            results[name] = found
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"tool": "olevba+pcodedmp", "version": olevba.__version__, "files": results},
                  handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
