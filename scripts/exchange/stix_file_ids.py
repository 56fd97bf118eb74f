#!/usr/bin/env python3
"""Recomputes the id of every `file` observable of STIX bundles by the rule of STIX 2.1 section
2.9: UUIDv5 in the STIX namespace over the canonical JSON (RFC 8785) of the id-contributing
properties present (`hashes` reduced to one hash, the first of MD5, SHA-1, SHA-256, SHA-512;
`name`; `extensions`; `parent_directory_ref`). Usage: stix_file_ids.py BUNDLE.json... Exit 1 on
any mismatch."""
import json
import sys
import uuid

NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
PREFERRED = ["MD5", "SHA-1", "SHA-256", "SHA-512"]


def expected_id(observable):
    contributing = {}
    hashes = observable.get("hashes")
    if hashes:
        chosen = next((k for k in PREFERRED if k in hashes), next(iter(hashes)))
        contributing["hashes"] = {chosen: hashes[chosen]}
    for key in ("name", "extensions", "parent_directory_ref"):
        if key in observable:
            contributing[key] = observable[key]
    canonical = json.dumps(contributing, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "file--" + str(uuid.uuid5(NAMESPACE, canonical))


def check(path):
    with open(path, encoding="utf-8") as handle:
        bundle = json.load(handle)
    files = [o for o in bundle.get("objects", []) if o.get("type") == "file"]
    bad = [(o["id"], expected_id(o)) for o in files if o["id"] != expected_id(o)]
    for got, want in bad:
        print(f"{path}: file id {got} should be {want}")
    if not bad:
        print(f"{path}: {len(files)} file ids follow the deterministic id rule")
    return not bad


if __name__ == "__main__":
    results = [check(path) for path in sys.argv[1:]]
    sys.exit(0 if results and all(results) else 1)
