#!/usr/bin/env python3
"""Encrypts an Excel 97-2003 workbook with RC4 CryptoAPI (MS-OFFCRYPTO 2.3.5, MS-XLS 2.2.10),
as Excel 2002 and later do, for the document corpus. No registry tool writes this scheme, so the
corpus builds it here; the reference tool (msoffcrypto-tool, scripts/document-reference-office.py)
then decrypts it, which is what FCAS is compared with.

Usage: rc4_encrypt.py IN.xls OUT.xls PASSWORD KEY_BITS      (olefile 0.47; KEY_BITS 40 or 128)

The FilePass record must follow BOF and takes 112 bytes here; the workbook's WriteAccess record
(the user's name, 112 bytes, written by every Excel) is dropped to make room, and the three
records between them move up, so the stream keeps its size and every offset after it (the
sheets' positions) stays true. Salt and verifier are drawn from SHA-256 of the output's name:
every build is byte-identical (test files: the keys protect nothing).
"""
import hashlib
import os
import shutil
import struct
import sys

import olefile

BOF, FILE_PASS, WRITE_ACCESS, BOUND_SHEET = 0x0809, 0x002F, 0x005C, 0x0085
# Records never encrypted (MS-XLS 2.2.10); a BoundSheet8 keeps its first 4 bytes clear.
CLEAR = {BOF, FILE_PASS, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138}
BLOCK = 1024


def rc4(key, data):
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) & 0xFF
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) & 0xFF
        j = (j + state[i]) & 0xFF
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) & 0xFF])
    return bytes(out)


def block_key(base, block, key_bits):
    digest = hashlib.sha1(base + struct.pack("<I", block)).digest()
    return digest[:5] + b"\0" * 11 if key_bits == 40 else digest[: key_bits // 8]


def records(stream):
    at = 0
    while at + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, at)
        yield kind, at, size
        at += 4 + size


def file_pass(salt, verifier, base, key_bits):
    encrypted = rc4(block_key(base, 0, key_bits), verifier + hashlib.sha1(verifier).digest())
    csp = "RC\0".encode("utf-16-le")
    header = struct.pack("<IIIIIIII", 0x04, 0, 0x6801, 0x8004, key_bits, 0x01, 0, 0) + csp
    body = struct.pack("<HHHII", 1, 2, 2, 0x04, len(header)) + header
    body += struct.pack("<I", 16) + salt + encrypted[:16] + struct.pack("<I", 20) + encrypted[16:]
    return struct.pack("<HH", FILE_PASS, len(body)) + body


def main():
    source, target, password, key_bits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with olefile.OleFileIO(source) as ole:
        stream = ole.openstream("Workbook").read()
    found = list(records(stream))
    kinds = [kind for kind, _, _ in found[:5]]
    if kinds != [BOF, 0x00E1, 0x00C1, 0x00E2, WRITE_ACCESS] or found[4][2] != 112:
        sys.exit(f"{source}: the workbook does not start BOF, InterfaceHdr, Mms, InterfaceEnd, WriteAccess(112)")
    seed = hashlib.sha256(("fcas-corpus:" + os.path.basename(target)).encode()).digest()
    salt, verifier = seed[:16], seed[16:]
    base = hashlib.sha1(salt + password.encode("utf-16-le")).digest()
    bof_end = found[1][1]
    write_access_start, write_access_end = found[4][1], found[4][1] + 4 + 112
    plain = stream[:bof_end] + file_pass(salt, verifier, base, key_bits)
    plain += stream[bof_end:write_access_start] + stream[write_access_end:]
    assert len(plain) == len(stream)
    encrypted = bytearray(plain)
    keystreams = {}  # block number -> that block's 1,024 bytes of keystream
    for kind, at, size in records(plain):
        if kind in CLEAR:
            continue
        start = at + 4 + (4 if kind == BOUND_SHEET else 0)
        for position in range(start, at + 4 + size):
            block = position // BLOCK
            if block not in keystreams:
                keystreams[block] = rc4(block_key(base, block, key_bits), bytes(BLOCK))
            encrypted[position] ^= keystreams[block][position % BLOCK]
    shutil.copyfile(source, target)
    with olefile.OleFileIO(target, write_mode=True) as ole:
        ole.write_stream("Workbook", bytes(encrypted))


if __name__ == "__main__":
    main()
