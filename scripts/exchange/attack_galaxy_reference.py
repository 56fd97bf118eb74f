#!/usr/bin/env python3
"""Writes tests/fixtures/exchange/attack-galaxy.json: every MITRE ATT&CK technique id of MISP's
`mitre-attack-pattern` galaxy with the cluster value a tag must spell (`<name> - <id>`), from
the galaxy data shipped in the PyPI package pymispgalaxies 1.1.1 (wheel sha256 pinned below;
galaxy JSON under CC0 1.0 or BSD-2-Clause). FCAS's table of technique names
(crates/fcas-exchange/src/attack.rs) is tested against it.

Usage: scripts/exchange/attack_galaxy_reference.py   (network: PyPI, once; run from anywhere)
"""
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

VERSION = "1.1.1"
WHEEL = f"pymispgalaxies-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "261e5765ee0488ee27ffe09ec1c6685d013b15ea1f2b8bf584d2bcd13aea7b60"
CLUSTER = "pymispgalaxies/data/misp-galaxy/clusters/mitre-attack-pattern.json"
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/exchange/attack-galaxy.json"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             f"pymispgalaxies=={VERSION}", "-d", tmp],
            check=True,
        )
        wheel = pathlib.Path(tmp) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            print(f"{WHEEL} has sha256 {digest}, expected {WHEEL_SHA256}", file=sys.stderr)
            return 1
        with zipfile.ZipFile(wheel) as archive:
            cluster = json.loads(archive.read(CLUSTER))
    values = {}
    for entry in cluster["values"]:
        external = entry.get("meta", {}).get("external_id", [])
        for technique in [external] if isinstance(external, str) else external:
            if technique.startswith("T"):
                values.setdefault(technique, []).append(entry["value"])
    document = {
        "source": f"PyPI pymispgalaxies {VERSION} ({WHEEL}, sha256 {WHEEL_SHA256}), {CLUSTER}",
        "galaxy": cluster["type"],
        "galaxy_version": cluster["version"],
        "values": {k: sorted(v) for k, v in sorted(values.items())},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT} ({len(values)} techniques)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
