#!/usr/bin/env python3
"""Helpers of scripts/make-container-corpus.sh: the containers its tools cannot make (hostile
entry names), byte-exact damage, and MANIFEST.json from the expectations the script recorded.

  container-corpus.py hostile OUT_DIR             traversal.zip and traversal.tar
  container-corpus.py hostile-names               their entry names, one a line
  container-corpus.py flip-zip SRC DST            one byte flipped in the first entry's data
  container-corpus.py flip SRC DST OFFSET         one byte flipped at OFFSET (negative: from the end)
  container-corpus.py cut SRC DST                 the first half of SRC
  container-corpus.py zeros-zip DST NAME MIB       a ZIP of one entry of MIB MiB of zeros, streamed
  container-corpus.py survivors CUT WORK OPTION... the child options whose content is whole in CUT
  container-corpus.py manifest WORK OUT_DIR       MANIFEST.json from WORK/expect.tsv
  container-corpus.py verify OUT_DIR              the reference extractors agree with MANIFEST.json

Everything is deterministic: fixed dates, fixed names, fixed order.
"""
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "1700000000"))

# Entry names that would escape an extraction folder if an extractor used them as paths.
HOSTILE_NAMES = ["../../evil.txt", "/etc/evil.txt", "..\\..\\evil-windows.txt", "docs/../../../evil-nested.txt"]


def hostile_content(index, name):
    return f"entry {index}: {name}\n".encode()


def hostile(out_dir):
    """A ZIP and a tar whose entries carry traversal and absolute names, written as raw names."""
    stamp = time.gmtime(EPOCH)[:6]
    with zipfile.ZipFile(os.path.join(out_dir, "traversal.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        for index, name in enumerate(HOSTILE_NAMES):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, hostile_content(index, name))
    with tarfile.open(os.path.join(out_dir, "traversal.tar"), "w", format=tarfile.USTAR_FORMAT) as archive:
        for index, name in enumerate(HOSTILE_NAMES):
            data = hostile_content(index, name)
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
            archive.addfile(info, io.BytesIO(data))
    # The same contents as plain files, so the manifest can hash them.
    os.makedirs(os.path.join(out_dir, "hostile"), exist_ok=True)
    for index, name in enumerate(HOSTILE_NAMES):
        with open(os.path.join(out_dir, "hostile", f"{index}.txt"), "wb") as f:
            f.write(hostile_content(index, name))


def flip(src, dst, offset):
    data = bytearray(open(src, "rb").read())
    data[offset] ^= 0xFF
    open(dst, "wb").write(data)


def flip_zip(src, dst):
    """Flips the middle byte of the first entry's compressed data (the local header is intact)."""
    with zipfile.ZipFile(src) as archive:
        first = archive.infolist()[0]
    raw = open(src, "rb").read()
    start = first.header_offset
    name_len = int.from_bytes(raw[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(raw[start + 28 : start + 30], "little")
    data_start = start + 30 + name_len + extra_len
    flip(src, dst, data_start + first.compress_size // 2)
    print(first.filename)


def cut(src, dst):
    data = open(src, "rb").read()
    open(dst, "wb").write(data[: len(data) // 2])


def zeros_zip(dst, name, mib):
    """A deflated ZIP64 entry of `mib` MiB of zeros, compressed as it is written (never in memory
    or on disk whole), with a fixed date."""
    info = zipfile.ZipInfo(name, date_time=time.gmtime(EPOCH)[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(dst, "w", compresslevel=9) as archive, archive.open(info, "w", force_zip64=True) as entry:
        for _ in range(mib):
            entry.write(chunk)


def survivors(cut_file, work, options):
    """The child=PATH=CONTENT options whose content lies whole in CUT_FILE (stored formats keep
    each file in one piece, so those are what a reader can still give after the cut)."""
    data = open(cut_file, "rb").read()
    for option in options:
        content = option.rpartition("=")[2]
        if open(os.path.join(work, content), "rb").read() in data:
            print(option)


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def manifest(work, out_dir):
    """MANIFEST.json from expect.tsv (one container a line; see `expect` in the shell script)."""
    sources = {}
    for line in open(os.path.join(work, "inputs.tsv")):
        name, source = line.rstrip("\n").split("\t")
        sources[name] = source
    containers = []
    for line in open(os.path.join(work, "expect.tsv")):
        file, fmt, status, *options = line.rstrip("\n").split("\t")
        entry = {
            "file": file,
            "format": fmt,
            "status": status,
            "password": None,
            "pending": False,
            "children": [],
            "entries": [],
            "skipped": [],
            "flags": [],
            "sha256": sha256(os.path.join(out_dir, file)),
        }
        for option in options:
            key, _, value = option.partition("=")
            if key in ("child", "dup"):
                path, _, content = value.rpartition("=")
                child = {"path": path, "sha256": sha256(os.path.join(work, content))}
                if key == "dup":
                    child["duplicate"] = True
                if content.startswith("payload/"):
                    child["source"] = sources[content[len("payload/") :]]
                entry["children"].append(child)
            elif key in ("entries", "skipped"):
                entry[key] = [name for name in value.split("|") if name]
            elif key == "password":
                entry["password"] = value
            elif key == "pending":
                entry["pending"] = True
            elif key == "flag":
                entry["flags"].append(value)
            elif key == "note":
                entry["note"] = value
            elif key == "reference":
                entry["reference"] = value
            else:
                sys.exit(f"container-corpus: unknown option {option!r} for {file}")
        containers.append(entry)
    inputs = [
        {"name": name, "source": source, "sha256": sha256(os.path.join(work, "payload", name))}
        for name, source in sorted(sources.items())
    ]
    tools = [line.rstrip("\n") for line in open(os.path.join(work, "tools.txt"))]
    document = {
        "about": "Containers built by scripts/make-container-corpus.sh from tests/fixtures/corpus/files; "
        "children are expected by the path of names from the container down ('!' between levels, "
        "'**!' for any levels or folders in between) and the sha256 of the input the tools put there.",
        "source_date_epoch": EPOCH,
        "tools": tools,
        "inputs": inputs,
        "containers": containers,
    }
    with open(os.path.join(out_dir, "MANIFEST.json"), "w") as f:
        json.dump(document, f, indent=1, sort_keys=False)
        f.write("\n")


def go_bytes(name, out):
    """Writes the bytes of the Go `var NAME = []byte{0x.., ...}` read on standard input."""
    source = sys.stdin.read()
    start = source.index("var %s = []byte{" % name)
    body = source[source.index("{", start) + 1:source.index("}", start)]
    data = bytes(int(value, 16) for value in re.findall(r"0x[0-9a-fA-F]{2}", body))
    with open(out, "wb") as f:
        f.write(data)


def go_hexdump(name, out):
    """Writes the bytes of the Go function NAME that decodes an `od`-style hex dump held in a raw
    string (offsets of seven hex digits, then bytes), read on standard input."""
    source = sys.stdin.read()
    start = source.index("func %s() []byte {" % name)
    dump = source[source.index("`", start) + 1:source.index("`", source.index("`", start) + 1)]
    data = bytes.fromhex("".join(re.sub(r"^[0-9a-f]{7}", "", line.strip()) for line in dump.splitlines()))
    with open(out, "wb") as f:
        f.write(data)


def blank_iso9660(source, out):
    """Copies the ISO/UDF bridge SOURCE with its ISO 9660 volume descriptors (`CD001` from
    sector 16 on) zeroed: a reader finds the files only through the UDF tree."""
    data = bytearray(open(source, "rb").read())
    sector = 16
    while data[sector * 2048 + 1:sector * 2048 + 6] == b"CD001":
        data[sector * 2048:(sector + 1) * 2048] = bytes(2048)
        sector += 1
    if sector == 16:
        sys.exit(f"container-corpus: {source} has no ISO 9660 volume descriptor")
    with open(out, "wb") as f:
        f.write(data)


def verify(out_dir):
    """Extracts each opened container with the reference tool (cabextract for cabinets, ntfscat
    where the manifest names it, 7-Zip for the rest) and checks the sha256 of every child the
    manifest expects at its first level."""
    document = json.load(open(os.path.join(out_dir, "MANIFEST.json")))
    checked = 0
    for entry in document["containers"]:
        if entry["status"] != "opened" or {"bomb", "damaged", "traversal"} & set(entry["flags"]):
            continue
        expected = [c for c in entry["children"] if "!" not in c["path"] and not c.get("duplicate")]
        if not expected:
            continue
        path = os.path.join(out_dir, entry["file"])
        with tempfile.TemporaryDirectory() as tmp:
            if entry.get("reference") == "ntfscat":
                # ntfs-3g's own reader, one file at a time (7-Zip 22 fails on sparse files).
                for child in expected:
                    with open(os.path.join(tmp, child["path"]), "wb") as out:
                        subprocess.run(["ntfscat", path, child["path"]], check=True, stdout=out)
                command = None
            elif entry["format"] == "cab":
                command = ["cabextract", "-q", "-d", tmp, path]
            else:
                command = ["7zz", "x", "-y", "-bso0", "-bsp0", "-o" + tmp, "-p" + (entry["password"] or ""), path]
            if command:
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            for child in expected:
                got = sha256(os.path.join(tmp, child["path"]))
                if got != child["sha256"]:
                    sys.exit(f"container-corpus: {entry['file']}!{child['path']}: the reference extracts {got}, not {child['sha256']}")
        checked += 1
    print(f"container-corpus: {checked} containers agree with the reference extractors")


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "hostile":
        hostile(*args)
    elif command == "hostile-names":
        print("\n".join(HOSTILE_NAMES))
    elif command == "go-bytes":
        go_bytes(*args)
    elif command == "blank-iso9660":
        blank_iso9660(*args)
    elif command == "go-hexdump":
        go_hexdump(*args)
    elif command == "flip-zip":
        flip_zip(*args)
    elif command == "flip":
        flip(args[0], args[1], int(args[2]))
    elif command == "cut":
        cut(*args)
    elif command == "zeros-zip":
        zeros_zip(args[0], args[1], int(args[2]))
    elif command == "survivors":
        survivors(args[0], args[1], args[2:])
    elif command == "manifest":
        manifest(*args)
    elif command == "verify":
        verify(*args)
    else:
        sys.exit(f"container-corpus: unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv)
