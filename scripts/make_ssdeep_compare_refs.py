#!/usr/bin/env python3
"""Writes the reference outputs used by crates/fcas-engine/tests/hashes_reference.rs.

Outputs (crates/fcas-engine/tests/data/):
  fuzzy_synthetic.json  ssdeep and TLSH of synthetic inputs (edge sizes, block-size boundaries,
                        zeros, repeating patterns, zero tails) described by a small recipe the
                        Rust test rebuilds byte for byte.
  fuzzy_compare.json    ssdeep compare scores and TLSH distances of pairs of digests (corpus
                        digests and mutated synthetic inputs).

Reference implementations:
  ssdeep: libfuzzy 2.14.1 itself (Debian package libfuzzy2, through ctypes); ppdeep (PyPI) is
          run too and any disagreement with libfuzzy is recorded in the output.
  TLSH:   py-tlsh (PyPI, package "py-tlsh").

Usage: python3 -m venv /tmp/venv && /tmp/venv/bin/pip install ppdeep py-tlsh
       apt-get install libfuzzy2
       /tmp/venv/bin/python scripts/make_ssdeep_compare_refs.py
"""
import ctypes
import ctypes.util
import glob
import json
import os

import ppdeep
import tlsh

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "fcas-engine", "tests", "data")
CORPUS = os.path.join(ROOT, "tests", "fixtures", "corpus")

_fuzzy = ctypes.CDLL(ctypes.util.find_library("fuzzy") or "libfuzzy.so.2")
_fuzzy.fuzzy_hash_buf.argtypes = [ctypes.c_char_p, ctypes.c_uint32, ctypes.c_char_p]
_fuzzy.fuzzy_compare.argtypes = [ctypes.c_char_p, ctypes.c_char_p]


def libfuzzy_hash(data):
    out = ctypes.create_string_buffer(148)
    if _fuzzy.fuzzy_hash_buf(data, len(data), out) != 0:
        raise RuntimeError("fuzzy_hash_buf failed")
    return out.value.decode()


def libfuzzy_compare(a, b):
    return _fuzzy.fuzzy_compare(a.encode(), b.encode())


def tlsh_hash(data):
    h = tlsh.hash(data)
    return None if h in ("TNULL", "") else h


def xorshift(seed, n):
    """The test's pseudo-random stream: xorshift32, top byte of each state."""
    x = seed & 0xFFFFFFFF
    out = bytearray(n)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


def build(recipe):
    """Recipe: list of parts, each ["random", seed, n] | ["fill", byte, n] | ["repeat", hex, n]."""
    data = bytearray()
    for part in recipe:
        kind = part[0]
        if kind == "random":
            data += xorshift(part[1], part[2])
        elif kind == "fill":
            data += bytes([part[1]]) * part[2]
        elif kind == "repeat":
            unit = bytes.fromhex(part[1])
            n = part[2]
            data += (unit * (n // len(unit) + 1))[:n]
        else:
            raise ValueError(kind)
    return bytes(data)


def synthetic_recipes():
    recipes = []
    for n in [0, 1, 2, 3, 6, 7, 8, 49, 50, 51, 63, 64, 65, 100, 191, 192, 193, 4096]:
        recipes.append((f"random {n}", [["random", 1, n]]))
    for n in [0, 1, 7, 64, 4096]:
        recipes.append((f"zeros {n}", [["fill", 0, n]]))
    recipes.append(("zeros 1 MiB", [["fill", 0, 1 << 20]]))
    recipes.append(("0xff 70000", [["fill", 255, 70000]]))
    # Block-size boundaries: the digest covers 64 * (3 << i) bytes.
    for i in range(0, 16):
        edge = 64 * (3 << i)
        for n in (edge - 1, edge, edge + 1):
            recipes.append((f"random {n} (boundary {i})", [["random", 7, n]]))
    # Repeating patterns: constant rolling sums (period 7), long periods, text-like.
    recipes.append(("period 7", [["repeat", "61626364656667", 50000]]))
    recipes.append(("period 1..255 ramp", [["repeat", bytes(range(256)).hex(), 300000]]))
    recipes.append(("text pattern", [["repeat", b"The quick brown fox jumps over the lazy dog.\n".hex(), 200000]]))
    recipes.append(("period 61 random", [["repeat", xorshift(3, 61).hex(), 123457]]))
    recipes.append(("period 1000 random", [["repeat", xorshift(5, 1000).hex(), 2000000]]))
    # Zero tails: the rolling sum is 0 at the end (different last-character rules).
    for n, tail in [(1000, 7), (5000, 100), (200000, 6), (200000, 7), (1000000, 64), (3000, 3000)]:
        recipes.append((f"random {n} + {tail} zeros", [["random", 11, n], ["fill", 0, tail]]))
    # Sparse data: random islands in zeros.
    recipes.append(("islands", [["random", 13, 300], ["fill", 0, 5000], ["random", 17, 300], ["fill", 0, 90000], ["random", 19, 40]]))
    # Low entropy with triggers everywhere: long digests at every block size.
    recipes.append(("nibble noise 3 MiB", [["repeat", bytes((b & 0x0F) for b in xorshift(23, 65536)).hex(), 3 << 20]]))
    return recipes


def synthetic():
    cases = []
    for name, recipe in synthetic_recipes():
        data = build(recipe)
        lf = libfuzzy_hash(data)
        pp = ppdeep.hash(data)
        case = {"name": name, "recipe": recipe, "size": len(data), "ssdeep": lf, "tlsh": tlsh_hash(data)}
        if pp != lf:
            case["ppdeep_differs"] = pp
        cases.append(case)
        print(name, lf, case["tlsh"], "" if pp == lf else f"ppdeep={pp}")
    return cases


def mutated(data, every, seed):
    out = bytearray(data)
    noise = xorshift(seed, len(out) // every + 1)
    for k, i in enumerate(range(0, len(out), every)):
        out[i] ^= noise[k] | 1
    return bytes(out)


def compare_pairs():
    refs = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "refs", "**", "*.json"), recursive=True)):
        if path.endswith("TOOLS.json"):
            continue
        with open(path) as f:
            r = json.load(f)
        refs.append((r["path"], r["ssdeep"], r["tlsh"]))

    ssdeep_pairs = []
    tlsh_pairs = []

    zero_pairs = [0]

    def add_ssdeep(a, b, why, thin_zeros=False):
        lf = libfuzzy_compare(a, b)
        if thin_zeros and lf == 0:
            # Unrelated corpus pairs are most of them: keep one in twenty.
            zero_pairs[0] += 1
            if zero_pairs[0] % 20 != 1:
                return
        try:
            pp = ppdeep.compare(a, b)
        except ValueError:
            pp = -1
        entry = {"a": a, "b": b, "score": lf, "why": why}
        if pp != lf:
            entry["ppdeep_differs"] = pp
        ssdeep_pairs.append(entry)

    def add_tlsh(a, b, why):
        if a and b:
            tlsh_pairs.append({"a": a, "b": b, "distance": tlsh.diff(a, b), "why": why})

    # Every pair of corpus digests whose block sizes are comparable (equal, double or half).
    for i, (pa, sa, _) in enumerate(refs):
        for pb, sb, _ in refs[i + 1:]:
            ba, bb = int(sa.split(":")[0]), int(sb.split(":")[0])
            if ba == bb or ba == 2 * bb or bb == 2 * ba:
                add_ssdeep(sa, sb, f"{pa} ~ {pb}", thin_zeros=True)
    # TLSH: each corpus file against its neighbours in path order.
    for i, (pa, _, ta) in enumerate(refs):
        for pb, _, tb in refs[i + 1:i + 4]:
            if ta != "TNULL" and tb != "TNULL":
                add_tlsh(ta, tb, f"{pa} ~ {pb}")
    # Mutated copies: the whole range of scores and distances.
    for n in [3000, 20000, 300000, 2000000]:
        base = xorshift(29, n)
        bh, bt = libfuzzy_hash(base), tlsh_hash(base)
        for every in [4096, 512, 97, 31, 7]:
            m = mutated(base, every, 31)
            add_ssdeep(bh, libfuzzy_hash(m), f"random {n} vs every {every}th byte changed")
            add_tlsh(bt, tlsh_hash(m), f"random {n} vs every {every}th byte changed")
        # Appending changes the block size: compare across double/half block sizes.
        grown = base + xorshift(37, n)
        add_ssdeep(bh, libfuzzy_hash(grown), f"random {n} vs doubled")
        add_ssdeep(libfuzzy_hash(grown), bh, f"doubled vs random {n}")
        add_tlsh(bt, tlsh_hash(grown), f"random {n} vs doubled")
    # Run elimination, identical and malformed digests.
    add_ssdeep("3:AAAAAAAAAbcdefgh:AAAAbcd", "3:AAAbcdefgh:AAAbcd", "runs cut to three")
    add_ssdeep("3:++++++abcdefghij:a", "3:+++abcdefghij:a", "runs of + and /")
    add_ssdeep("96:abcdefghij:klmno", "96:abcdefghij:klmno", "identical")
    add_ssdeep("96:abcdefghij:klmno", "384:abcdefghij:klmno", "incomparable block sizes")
    add_ssdeep("96:abcdefghij", "96:abcdefghij:klmno", "missing second part")
    add_ssdeep("12:abcdefghijklm:xyz", "12:abcdefghijkLm:xyz", "small block size cap")
    add_ssdeep("6:abcdefghijklmnopq:x", "6:abcdefghXXXXlmnopq:x", "small block size cap 2")
    return ssdeep_pairs, tlsh_pairs


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = synthetic()
    with open(os.path.join(OUT, "fuzzy_synthetic.json"), "w") as f:
        json.dump({"generator": "scripts/make_ssdeep_compare_refs.py", "cases": cases}, f, indent=1)
        f.write("\n")
    ssdeep_pairs, tlsh_pairs = compare_pairs()
    with open(os.path.join(OUT, "fuzzy_compare.json"), "w") as f:
        json.dump({"generator": "scripts/make_ssdeep_compare_refs.py", "ssdeep": ssdeep_pairs, "tlsh": tlsh_pairs}, f, indent=0)
        f.write("\n")
    print(len(cases), "synthetic cases,", len(ssdeep_pairs), "ssdeep pairs,", len(tlsh_pairs), "tlsh pairs")


if __name__ == "__main__":
    main()
