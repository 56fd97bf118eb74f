#!/usr/bin/env python3
"""Writes crates/fcas-engine/tests/data/dotnet_expected.json: the CLR header and metadata root of
the .NET corpus files, read with plain header arithmetic (independent of the engine).
Usage: python3 scripts/dotnet_expected.py   (run from the repository root)
"""
import json
import struct

FILES = ["files/pe/pypi-clr-loader-any/ClrLoader-amd64.dll"]
CORPUS = "tests/fixtures/corpus/"
OUTPUT = "crates/fcas-engine/tests/data/dotnet_expected.json"


def sections(data, pe):
    count = struct.unpack_from("<H", data, pe + 6)[0]
    optional_size = struct.unpack_from("<H", data, pe + 20)[0]
    table = pe + 24 + optional_size
    for i in range(count):
        vsize, va, raw_size, raw_ptr = struct.unpack_from("<IIII", data, table + 40 * i + 8)
        yield va, max(vsize, raw_size), raw_ptr


def offset_of(data, pe, rva):
    for va, size, raw_ptr in sections(data, pe):
        if va <= rva < va + size:
            return rva - va + raw_ptr
    raise ValueError(f"RVA {rva:#x} is in no section")


def describe(data):
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    magic = struct.unpack_from("<H", data, pe + 24)[0]
    directories = pe + 24 + (96 if magic == 0x10B else 112)
    clr_rva, _ = struct.unpack_from("<II", data, directories + 14 * 8)
    header = offset_of(data, pe, clr_rva)
    cb, major, minor, md_rva, md_size, flags = struct.unpack_from("<IHHIII", data, header)
    root = offset_of(data, pe, md_rva)
    assert data[root : root + 4] == b"BSJB"
    length = struct.unpack_from("<I", data, root + 12)[0]
    version = data[root + 16 : root + 16 + length].split(b"\0")[0].decode()
    count = struct.unpack_from("<H", data, root + 16 + length + 2)[0]
    at = root + 16 + length + 4
    streams = []
    for _ in range(count):
        name = data[at + 8 : data.index(b"\0", at + 8)]
        streams.append(name.decode())
        at += 8 + (len(name) + 4) // 4 * 4
    return {"cb": cb, "major_runtime_version": major, "minor_runtime_version": minor, "metadata_rva": md_rva,
            "metadata_size": md_size, "flags": flags, "version": version, "streams": streams}


def main():
    expected = {f: describe(open(CORPUS + f, "rb").read()) for f in FILES}
    with open(OUTPUT, "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
