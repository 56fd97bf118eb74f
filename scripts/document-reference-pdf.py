#!/usr/bin/env python3
"""Reference outputs for the PDF part of the document corpus.

Keyword counts come from pdfid (Didier Stevens' triage tool, as published on PyPI), run with
`force=True` so that a file without a header in its first 1024 bytes is still counted, and with
`/URI` added to its keyword list through its own extension point (the `[keywords]` section of
pdfid.ini, read by `ParseINIFile`). JavaScript, URIs and embedded files are cross-checked with
pypdf, which parses the objects (object streams included) independently of pdfid.

Run in a virtual environment:
    python3 -m venv target/venv-documents
    target/venv-documents/bin/pip install pdfid==1.1.3 pypdf==7.1.0
    target/venv-documents/bin/python scripts/document-reference-pdf.py target/documents \
        > tests/fixtures/documents/reference/pdf.json
"""
import hashlib
import json
import logging
import sys
from pathlib import Path

from pdfid import pdfid
import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject, ByteStringObject

EXTRA_KEYWORDS = ["/URI"]
pdfid.ParseINIFile = lambda: list(EXTRA_KEYWORDS)
logging.disable(logging.CRITICAL)


def keyword_counts(path, filebuffer=None):
    doc = pdfid.PDFiD(str(path), force=True, filebuffer=filebuffer)
    root = doc.documentElement
    counts, hexcodes = {}, {}
    for node in root.getElementsByTagName("Keyword"):
        name = node.getAttribute("Name")
        counts[name] = int(node.getAttribute("Count"))
        hexcode = int(node.getAttribute("HexcodeCount"))
        if hexcode:
            hexcodes[name] = hexcode
    header = root.getAttribute("Header")
    return {
        "header": header,
        "error": root.getAttribute("ErrorOccured") == "True",
        "keywords": counts,
        "hexcodes": hexcodes,
    }


def text_of(value):
    if isinstance(value, StreamObject):
        return value.get_data().decode("latin-1")
    if isinstance(value, TextStringObject):
        return str(value)
    if isinstance(value, ByteStringObject):
        return bytes(value).decode("latin-1")
    if isinstance(value, str):
        return str(value)
    return None


def walk_objects(reader):
    """Every object the cross-reference table(s) name, resolved, in object-number order."""
    seen = set()
    numbers = []
    for generation, entries in reader.xref.items():
        for number in entries:
            numbers.append((number, generation))
    for number, _ in reader.xref_objStm.items():
        numbers.append((number, 0))
    for number, generation in sorted(set(numbers)):
        if number in seen:
            continue
        seen.add(number)
        try:
            obj = reader.get_object(IndirectObject(number, generation, reader))
        except Exception:
            continue
        if obj is not None:
            yield number, obj


def content_of(reader):
    scripts, uris, embedded = [], [], []
    embedded_seen = {}

    def add_embedded(number, stream, name):
        if number in embedded_seen:
            if name and not embedded_seen[number]["name"]:
                embedded_seen[number]["name"] = name
            return
        data = stream.get_data()
        entry = {"object": number, "name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        embedded_seen[number] = entry
        embedded.append(entry)

    def visit(value, depth):
        if depth > 64:
            return
        if isinstance(value, DictionaryObject):
            for key, item in value.items():
                if key == "/JS":
                    source = text_of(item.get_object() if isinstance(item, IndirectObject) else item)
                    if source is not None:
                        scripts.append(source)
                elif key == "/URI":
                    uri = text_of(item.get_object() if isinstance(item, IndirectObject) else item)
                    if uri is not None:
                        uris.append(uri)
                elif key == "/EF" and isinstance(item, DictionaryObject):
                    name = None
                    for name_key in ("/UF", "/F"):
                        if name_key in value:
                            name = text_of(value[name_key].get_object())
                            if name:
                                break
                    for target in item.values():
                        if isinstance(target, IndirectObject):
                            stream = target.get_object()
                            if isinstance(stream, StreamObject):
                                add_embedded(target.idnum, stream, name)
                if not isinstance(item, IndirectObject):
                    visit(item, depth + 1)
        elif isinstance(value, ArrayObject):
            for item in value:
                if not isinstance(item, IndirectObject):
                    visit(item, depth + 1)

    for number, obj in walk_objects(reader):
        visit(obj, 0)
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/EmbeddedFile":
            add_embedded(number, obj, None)
    return scripts, uris, embedded


def object_stream_keywords(reader):
    """pdfid's counts over the decoded content of every object stream (pypdf decodes them),
    added up: what pdfid would count if it decoded object streams."""
    total = {}
    for number, obj in walk_objects(reader):
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
            counts = keyword_counts("objstm", filebuffer=obj.get_data())["keywords"]
            for name, count in counts.items():
                total[name] = total.get(name, 0) + count
    return total


def encrypt_dictionary(reader):
    """/V and the crypt filter method of the encryption dictionary, as pypdf reads them."""
    encrypt = reader.trailer["/Encrypt"].get_object()
    method = None
    filters = encrypt.get("/CF")
    if filters is not None:
        name = encrypt.get("/StmF", "/StdCF")
        crypt_filter = filters.get_object().get(name)
        if crypt_filter is not None:
            method = crypt_filter.get_object().get("/CFM")
    return {"V": int(encrypt.get("/V", 0)), "CFM": None if method is None else str(method)}


def pypdf_view(path):
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        encrypted = reader.is_encrypted
        has_object_streams = bool(reader.xref_objStm)
        if encrypted:
            return {"encrypted": True, "object_streams": has_object_streams, "encrypt": encrypt_dictionary(reader)}
        scripts, uris, embedded = content_of(reader)
        inside = object_stream_keywords(reader)
        return {
            "encrypted": False,
            "object_streams": has_object_streams,
            "javascript": sorted(set(scripts)),
            "uris": sorted(set(uris)),
            "embedded": sorted(embedded, key=lambda e: e["object"]),
            "keywords_in_object_streams": inside,
        }
    except Exception as error:  # a file pypdf cannot read is reported, not skipped silently
        # pypdf raises DependencyError for AES when the optional cryptography package is
        # missing: it names the cipher, so it is kept as such.
        return {"error": type(error).__name__, "message": str(error)[:200]}


# Hand-made byte strings that stress pdfid's rules (escapes, `#` that is no escape, `/Colors`
# values, byte 0xDF, words split at every kind of delimiter), from a fixed seed; kept as hex
# with pdfid's counts so that the scanner is compared on them too.
TOKENS = [b"/", b"#", b"#4A", b"#53", b"#4a", b"#zz", b"#4", b"J", b"S", b"JS", b"Java", b"Script", b"/Colors", b"Colors",
          b" ", b"\n", b"16777217", b"16777216", b"99999999999", b"0", b"obj", b"endobj", b"\xdf", b"Page", b"s", b"(",
          b"<<", b">>", b"[", b"%", b"AA", b"A", b"#41", b"Open", b"Action", b"URI", b"#55RI", b"stream", b"\xff",
          b"/J", b"/#4A", b"/J#53", b"/#4AS", b"/Col#6Frs", b"/Colors ", b"/A#41", b"/#41#41", b"/#2F", b"/#23", b"/#", b"/#3", b"/Page#73",
          b"/#31#36#37#37#37#32#31#37", b"/JS#"]


def synthetic_cases():
    import random
    generator = random.Random(20260107)
    cases = []
    for _ in range(300):
        data = b"".join(generator.choice(TOKENS) for _ in range(generator.randint(1, 80)))
        counted = keyword_counts("synthetic", filebuffer=data)
        cases.append({"hex": data.hex(), "keywords": counted["keywords"], "hexcodes": counted["hexcodes"], "error": counted["error"]})
    # Tokens in random binary, as in compressed stream data.
    for _ in range(100):
        parts = []
        for _ in range(generator.randint(1, 200)):
            parts.append(generator.choice(TOKENS) if generator.random() < 0.5 else generator.randbytes(generator.randint(1, 12)))
        data = b"".join(parts)
        counted = keyword_counts("synthetic", filebuffer=data)
        cases.append({"hex": data.hex(), "keywords": counted["keywords"], "hexcodes": counted["hexcodes"], "error": counted["error"]})
    return cases


def main():
    corpus = Path(sys.argv[1])
    out = {
        "tools": {"pdfid": "1.1.3", "pypdf": pypdf.__version__, "extra_keywords": EXTRA_KEYWORDS},
        "files": {},
    }
    out["synthetic"] = synthetic_cases()
    for path in sorted((corpus / "pdf").rglob("*.pdf")):
        name = path.relative_to(corpus).as_posix()
        entry = keyword_counts(path)
        entry["pypdf"] = pypdf_view(path)
        out["files"][name] = entry
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
