#!/usr/bin/env python3
"""Reference outputs for the Office part of the document analysis (crates/fcas-documents,
formats/office): what oletools 0.60.2 finds in every file of the document corpus.

For each file of CORPUS/MANIFEST.tsv, as a library (nothing from the corpus is executed):
  - msodde.process_file(path, FIELD_FILTER_DDE): the DDE links, one per line;
  - oleobj: the external relationships it reports (find_external_relationships) and the sha256
    and size of every payload process_file extracts (written into a temporary folder, mode 0644);
  - oleid: the `encrypted` indicator; msoffcrypto-tool (which oleid uses): the scheme it names
    after loading Office's default password VelvetSweatshop (`rc4`, `rc4_cryptoapi`, `standard`,
    `agile`; null where the default password is not the one, for binary formats);
  - olevba: VBA_Parser.detect_xlm_macros() (Excel 4.0 macro sheets);
  - msoffcrypto-tool: for an encrypted file, the decrypted content (its sha256 and size, and
    msodde's DDE links and olevba's XLM verdict on it) and the password that opened it, trying the passwords FCAS tries
    (VelvetSweatshop, then the default list of the container readers), then the user's password
    the tests give (`encrypted`); null when none does.
Writes tests/fixtures/documents/reference/office.json (paths relative to CORPUS).

Run (network: PyPI only):
  python3 -m venv target/venv-documents
  target/venv-documents/bin/pip install oletools==0.60.2 msoffcrypto-tool==6.1.0
  target/venv-documents/bin/python scripts/document-reference-office.py target/documents
"""
import contextlib
import hashlib
import io
import json
import logging
import os
import sys
import tempfile

import msoffcrypto
import oletools
from oletools import msodde, oleid, oleobj, olevba
from oletools.ooxml import XmlParser

logging.disable(logging.CRITICAL)


def quiet(call, *args):
    """Runs call with stdout silenced (the tools print as they go); None when it raises."""
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            return call(*args)
        except Exception:  # the reference tool failing on a file is a fact, kept as None
            return None


def dde_links(path):
    text = quiet(msodde.process_file, path, msodde.FIELD_FILTER_DDE)
    if text is None:
        return None
    return [line for line in text.split("\n") if line.strip()]


def external_relationships(path):
    if not oleobj.is_zipfile(path):
        return []
    def collect():
        return [{"type": kind, "target": target}
                for kind, target in oleobj.find_external_relationships(XmlParser(path))]
    return quiet(collect)


def embedded_payloads(path):
    with tempfile.TemporaryDirectory() as out:
        quiet(oleobj.process_file, path, None, out)
        found = []
        for name in sorted(os.listdir(out)):
            with open(os.path.join(out, name), "rb") as dumped:
                data = dumped.read()
            found.append({"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
        return found


def encrypted(path):
    def check():
        indicators = oleid.OleID(path).check()
        return next((i.value for i in indicators if i.id == "encrypted"), False) is True
    return quiet(check)


def encryption_scheme(path):
    def scheme():
        with open(path, "rb") as handle:
            office = msoffcrypto.OfficeFile(handle)
            try:
                office.load_key(password="VelvetSweatshop")
            except Exception:  # another password: the scheme may still have been read
                pass
            return getattr(office, "type", None)
    return quiet(scheme)


# What FCAS tries on an encrypted Office document: Office's default password, then the default
# list (crates/fcas-extract/src/passwords.rs), then the one password the tests give as the
# user's own (`--password`): `encrypted`, the password of oletools' encrypted test documents.
PASSWORDS = ["VelvetSweatshop", "infected", "malware", "virus", "password"]
USER_PASSWORDS = ["encrypted"]


def decrypted(path):
    def attempt():
        for password in PASSWORDS + USER_PASSWORDS:
            with open(path, "rb") as handle:
                office = msoffcrypto.OfficeFile(handle)
                try:
                    # Not verify_password: msoffcrypto-tool 6.1.0 compares an Agile verifier hash
                    # with its block padding and so refuses SHA-1 verifiers (these files'); the
                    # decryption itself checks the package's HMAC and that it is a ZIP.
                    office.load_key(password=password)
                    out = io.BytesIO()
                    office.decrypt(out)
                except Exception:  # not this password (or not decryptable): try the next
                    continue
                data = out.getvalue()
                # What the decryption revealed: the decrypted document's DDE links.
                with tempfile.TemporaryDirectory() as folder:
                    inside = os.path.join(folder, "decrypted" + os.path.splitext(path)[1])
                    with open(inside, "wb") as sink:
                        sink.write(data)
                    links = dde_links(inside)
                    xlm = has_xlm(inside)
                return {"password": password, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                        "dde": links, "xlm": xlm}
        return None
    return quiet(attempt)


def has_xlm(path):
    def check():
        parser = olevba.VBA_Parser(path)
        try:
            return bool(parser.detect_xlm_macros())
        finally:
            parser.close()
    return quiet(check)


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else "target/documents"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = {}
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as manifest:
        for line in manifest:
            sha, rel = line.rstrip("\n").split("\t", 1)
            path = os.path.join(corpus, rel)
            files[rel] = {
                "sha256": sha,
                "dde": dde_links(path),
                "external_relationships": external_relationships(path),
                "embedded": embedded_payloads(path),
                "encrypted": encrypted(path),
                "encryption_scheme": encryption_scheme(path) if encrypted(path) else None,
                "xlm": has_xlm(path),
                "decrypted": decrypted(path) if encrypted(path) else None,
            }
    out = os.path.join(root, "tests/fixtures/documents/reference/office.json")
    with open(out, "w", encoding="utf-8") as sink:
        json.dump({"tool": "oletools " + oletools.__version__ if hasattr(oletools, "__version__") else "oletools 0.60.2",
                   "files": files}, sink, indent=1, sort_keys=True, ensure_ascii=False)
        sink.write("\n")
    print("wrote %s: %d files" % (out, len(files)))


if __name__ == "__main__":
    main()
