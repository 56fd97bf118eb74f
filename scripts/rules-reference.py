#!/usr/bin/env python3
"""Reference matches of FCAS's built-in YARA rules, computed by the yara-x Python package.

The built-in rule files (crates/fcas-rules/rules/*.yar, compiled in namespace `fcas` in the
order the crate compiles them) scan every file under the given folders; the output maps each
file's sha256 to its sorted matches: [namespace, rule, [[identifier, offset, length], ...]].
A rule's string matches are its patterns' matches in declaration order, then by offset, cut at
the first 16 like the rules stage keeps (README "Limits"). `crates/fcas-rules/tests/reference.rs`
runs the rules stage over the same files and compares.

Run in a virtual environment:
    python3 -m venv target/venv-rules
    target/venv-rules/bin/pip install yara-x==1.22.1
    target/venv-rules/bin/python scripts/rules-reference.py tests/fixtures/corpus/files \
        > tests/fixtures/rules/reference.json
"""
import hashlib
import json
import sys
from pathlib import Path

import yara_x

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "crates/fcas-rules/rules"
# The order of `BUILTIN` in crates/fcas-rules/src/sources.rs.
BUILTIN = ["packers.yar", "installers.yar", "crypto.yar", "loaders.yar"]
STRINGS_PER_RULE = 16


def compile_builtin():
    compiler = yara_x.Compiler()
    compiler.new_namespace("fcas")
    for name in BUILTIN:
        compiler.add_source((RULES / name).read_text(), origin=f"built-in:{name}")
    return compiler.build()


def matches_of(scanner, data):
    results = scanner.scan(data)
    found = []
    for rule in results.matching_rules:
        strings = [
            [pattern.identifier, match.offset, match.length]
            for pattern in rule.patterns
            for match in pattern.matches
        ][:STRINGS_PER_RULE]
        found.append([rule.namespace, rule.identifier, strings])
    return sorted(found)


def main(folders):
    scanner = yara_x.Scanner(compile_builtin())
    scanner.set_timeout(60)
    reference = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            data = path.read_bytes()
            reference[hashlib.sha256(data).hexdigest()] = matches_of(scanner, data)
    json.dump({"yara_x": yara_x.__version__ if hasattr(yara_x, "__version__") else "1.22.1", "files": reference},
              sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT / "tests/fixtures/corpus/files")])
