#!/usr/bin/env python3
"""Writes a VBA-stomped copy of an Office document: each module's source is replaced by a benign
one of the same compressed size while the module's p-code (the cache before MODULEOFFSET) and the
_VBA_PROJECT stream are kept, as EvilClippy does. Needs olefile (BSD-2-Clause).

Usage: stomp.py IN OUT    (IN: an OLE document, or an OOXML package with a vbaProject.bin)
"""
import io
import struct
import sys
import zipfile

import olefile

SIGNATURE = 0x01


def compress_literal(text, size):
    """text as an MS-OVBA compressed container of exactly size bytes: one chunk of literal tokens
    (and one copy token of three spaces when a literal-only chunk cannot have that size)."""
    data = size - 3
    for copies in (0, 1):
        for literals in range(0, 4000):
            tokens = literals + copies
            if literals + 2 * copies + (tokens + 7) // 8 != data:
                continue
            if literals < len(text) + 1:
                continue
            body = (text + " " * (literals - len(text))).encode("latin-1")
            out = bytearray()
            stream = list(body) + ([None] if copies else [])
            for at in range(0, len(stream), 8):
                group = stream[at:at + 8]
                flags = 0
                encoded = bytearray()
                for bit, token in enumerate(group):
                    if token is None:
                        flags |= 1 << bit
                        encoded += b"\x00\x00"  # offset 1, length 3: three more spaces
                    else:
                        encoded.append(token)
                out.append(flags)
                out += encoded
            header = 0xB000 | (len(out) + 2 - 3)
            return bytes([SIGNATURE]) + struct.pack("<H", header) + bytes(out)
    raise SystemExit("no benign source fits %d bytes" % size)


def dir_modules(ole, vba):
    """(stream name, MODULEOFFSET) per module of the project in storage vba."""
    from oletools.olevba import decompress_stream
    dir_bytes = decompress_stream(bytearray(ole.openstream(vba + ["dir"]).read()))
    modules, at, stream_name = [], 0, None
    while at + 6 <= len(dir_bytes):
        rid, size = struct.unpack_from("<HI", dir_bytes, at)
        if rid == 0x0009:
            size = 6
        data = dir_bytes[at + 6:at + 6 + size]
        at += 6 + size
        if rid == 0x001A:
            stream_name = data.decode("latin-1")
        elif rid == 0x0031:
            modules.append((stream_name, struct.unpack("<I", data[:4])[0]))
        elif rid == 0x0010:
            break
    return modules


def stomp_ole(data):
    ole = olefile.OleFileIO(io.BytesIO(data), write_mode=True)
    vbas = [entry[:-1] for entry in ole.listdir() if entry[-1].lower() == "dir" and entry[-2].upper() == "VBA"]
    for vba in vbas:
        for name, offset in dir_modules(ole, vba):
            path = vba + [name]
            stream = ole.openstream(path).read()
            benign = 'Attribute VB_Name = "%s"\r\n\' nothing to see\r\n' % name
            ole.write_stream(path, stream[:offset] + compress_literal(benign, len(stream) - offset))
    out = ole.fp.getvalue()
    ole.close()
    return out


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as handle:
        data = handle.read()
    if data.startswith(b"PK"):
        packed = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                part = zin.read(item.filename)
                if item.filename.lower().endswith("vbaproject.bin"):
                    part = stomp_ole(part)
                zout.writestr(item, part)
        data = packed.getvalue()
    else:
        data = stomp_ole(data)
    with open(target, "wb") as handle:
        handle.write(data)


if __name__ == "__main__":
    main()
