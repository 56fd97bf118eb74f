#!/usr/bin/env python3
"""Writes crates/fcas-engine/tests/data/authenticode_expected.json from openssl's view of the
Authenticode signatures of the signed corpus files.

The PKCS#7 blob is cut out of the security directory with plain header arithmetic; everything
else (certificates, signer, digest algorithm, signing time) comes from openssl.
Usage: python3 scripts/authenticode_expected.py   (run from the repository root)
"""
import datetime
import json
import re
import struct
import subprocess
import tempfile

FILES = [
    "files/pe/pypi-msvc-runtime-win_amd64/vcruntime140_1.dll",
    "files/pe/pypi-numpy-win_amd64/msvcp140-a4c2229bdc2a2a630acdc095b4d86008.dll",
]
CORPUS = "tests/fixtures/corpus/"
OUTPUT = "crates/fcas-engine/tests/data/authenticode_expected.json"
NAMEOPT = "sep_comma_plus_space,sname,utf8,dump_nostr"


def security_blob(data):
    """The first WIN_CERTIFICATE's body and its dwLength."""
    pe = struct.unpack_from("<I", data, 0x3C)[0]
    magic = struct.unpack_from("<H", data, pe + 24)[0]
    directories = pe + 24 + (96 if magic == 0x10B else 112)
    offset, size = struct.unpack_from("<II", data, directories + 4 * 8)
    length, revision, kind = struct.unpack_from("<IHH", data, offset)
    assert (revision, kind) == (0x200, 2), (revision, kind)
    return data[offset + 8 : offset + length]


def openssl(*args, stdin=None):
    return subprocess.run(["openssl", *args], input=stdin, capture_output=True, check=True).stdout.decode()


def rfc3339(openssl_time):
    # e.g. "Jul 16 18:09:45 2024 GMT"
    parsed = datetime.datetime.strptime(openssl_time.strip(), "%b %d %H:%M:%S %Y %Z")
    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ")


def certificates(blob_path):
    pem = openssl("pkcs7", "-inform", "DER", "-in", blob_path, "-print_certs")
    out = []
    for block in re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", pem, re.S):
        text = openssl("x509", "-noout", "-subject", "-issuer", "-serial", "-startdate", "-enddate", "-nameopt", NAMEOPT, stdin=block.encode())
        fields = dict(line.split("=", 1) for line in text.splitlines())
        out.append({
            "subject": fields["subject"].strip(),
            "issuer": fields["issuer"].strip(),
            "serial": fields["serial"].strip().lower().lstrip("0") or "0",
            "not_before": rfc3339(fields["notBefore"]),
            "not_after": rfc3339(fields["notAfter"]),
        })
    return out


def der_element(blob, asn1parse_line):
    """The bytes of the element an `openssl asn1parse` line describes."""
    m = re.match(r"\s*(\d+):d=\d+\s+hl=(\d+) l=\s*(\d+)", asn1parse_line)
    offset, header, length = map(int, m.groups())
    return blob[offset : offset + header + length]


def signing_time(blob_path, blob):
    """The outer signer's time: signingTime, else the RFC 3161 token's genTime (seconds)."""
    lines = openssl("asn1parse", "-inform", "DER", "-in", blob_path).splitlines()
    for i, line in enumerate(lines):
        if line.endswith(":signingTime"):
            value = lines[i + 2].rsplit(":", 1)[1]
            return asn1_time(value), "signing_time"
        if line.endswith(":1.3.6.1.4.1.311.3.3.1"):
            token = der_element(blob, lines[i + 2])  # OID, SET, then the token
            with tempfile.NamedTemporaryFile(suffix=".der") as t, tempfile.NamedTemporaryFile(suffix=".der") as info:
                t.write(token)
                t.flush()
                openssl("cms", "-verify", "-noverify", "-inform", "DER", "-in", t.name, "-binary", "-out", info.name)
                tst = openssl("asn1parse", "-inform", "DER", "-in", info.name)
            gen_time = next(l for l in tst.splitlines() if "GENERALIZEDTIME" in l).rsplit(":", 1)[1]
            return asn1_time(gen_time), "rfc3161_timestamp"
    return None, None


def asn1_time(value):
    """UTCTime or GeneralizedTime text as RFC 3339 UTC, fractions of a second dropped."""
    value = value.strip().rstrip("Z").split(".")[0]
    if len(value) == 12:
        year = int(value[:2])
        value = ("19" if year >= 50 else "20") + value
    return datetime.datetime.strptime(value, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")


def signer(blob_path, blob, certs):
    printed = openssl("pkcs7", "-inform", "DER", "-in", blob_path, "-print", "-noout")
    info = printed.split("signer_info:", 1)[1]
    issuer = re.search(r"issuer_and_serial:\s*\n\s*issuer: (.*)\n\s*serial: 0x([0-9A-Fa-f]+)", info)
    digest = re.search(r"digest_alg:\s*\n\s*algorithm: (\S+)", info).group(1)
    serial = issuer.group(2).lower().lstrip("0") or "0"
    time, source = signing_time(blob_path, blob)
    signer_cert = next(c for c in certs if c["serial"] == serial and c["issuer"] == issuer.group(1))
    return {
        "digest_algorithm": digest,
        "signer_issuer": issuer.group(1),
        "signer_serial": serial,
        "signing_time": time,
        "signing_time_source": source,
        "signer_self_signed": signer_cert["subject"] == signer_cert["issuer"],
    }


def main():
    expected = {}
    for relative in FILES:
        data = open(CORPUS + relative, "rb").read()
        blob = security_blob(data)
        with tempfile.NamedTemporaryFile(suffix=".p7") as f:
            f.write(blob)
            f.flush()
            certs = certificates(f.name)
            expected[relative] = {"blob_length": len(blob), "certificates": certs, **signer(f.name, blob, certs)}
    with open(OUTPUT, "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
