#!/usr/bin/env python3
"""Reference outputs for the shortcut analysis: LnkParse3 over every .lnk of the document corpus.

    python3 -m venv target/venv-documents
    target/venv-documents/bin/pip install LnkParse3==1.6.0
    target/venv-documents/bin/python scripts/document-reference-lnk.py target/documents

writes tests/fixtures/documents/reference/lnk.json: per corpus path, the fields FCAS reports
(target, arguments, working folder, icon, machine id, MAC address, times, volume, blocks) as
LnkParse3 reads them. The target is the link info's path (local base path and common path suffix,
or network share and suffix) and, without link info, the ID list's volume and item names.
"""
import datetime
import json
import os
import sys
import warnings
from importlib.metadata import version

import LnkParse3

SHOW = {"SW_SHOWNORMAL": "normal", "SW_SHOWMAXIMIZED": "maximized", "SW_SHOWMINNOACTIVE": "minimized"}
DRIVES = {0: "unknown", 1: "no_root_dir", 2: "removable", 3: "fixed", 4: "remote", 5: "cdrom", 6: "ramdisk"}


def stamp(value):
    if not isinstance(value, datetime.datetime):
        return None
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def joined(base, suffix):
    if not suffix:
        return base
    if base.endswith("\\"):
        return base + suffix
    return base + "\\" + suffix


def id_list_path(items):
    parts = []
    for item in items:
        if item.get("class") == "Volume Item" and item.get("volume_name"):
            parts.append(item["volume_name"].rstrip("\\"))
        elif item.get("class") == "File entry" and item.get("primary_name"):
            parts.append(item["primary_name"])
    return "\\".join(parts) if len(parts) > 1 else None


def mac_of(droid):
    # A version-1 UUID's node field is the MAC address of the machine that made it.
    if not droid or droid[14] != "1":
        return None
    node = droid.replace("-", "")[20:].lower()
    return ":".join(node[i : i + 2] for i in range(0, 12, 2))


def reference(path):
    with open(path, "rb") as handle:
        lnk = LnkParse3.lnk_file(handle)
        parsed = lnk.get_json()
    header, data, info, extra = parsed["header"], parsed["data"], parsed["link_info"], parsed["extra"]
    target = None
    # LnkParse3 1.6.0 reads CommonPathSuffixUnicode 4 bytes past its offset (lnk_info.py,
    # `common_path_suffix_offset_unicode() + 4`), into whatever follows; the ANSI suffix, which
    # writers store beside it, is taken instead.
    suffix = info.get("common_path_suffix", "")
    if info.get("location") == "Local":
        base = info.get("local_base_path_unicode") or info.get("local_base_path", "")
        target = joined(base, suffix)
    elif info.get("location") == "Network":
        share = info["location_info"].get("net_name_unicode") or info["location_info"].get("net_name", "")
        target = joined(share, suffix)
    items = parsed.get("target", {}).get("items", [])
    listed = id_list_path([i for i in items if i])
    if target is None:
        target = listed
    tracker = extra.get("DISTRIBUTED_LINK_TRACKER_BLOCK", {})
    local = info.get("location_info", {}) if info.get("location") == "Local" else {}
    serial = local.get("drive_serial_number")
    return {
        "target": target,
        "id_list_path": listed,
        "arguments": data.get("command_line_arguments"),
        "working_dir": data.get("working_directory"),
        "icon": data.get("icon_location"),
        "description": data.get("description"),
        "relative_path": data.get("relative_path"),
        "machine_id": tracker.get("machine_identifier"),
        "mac_address": mac_of(tracker.get("droid_file_identifier")),
        "droids": [tracker[k].lower() for k in ("droid_volume_identifier", "droid_file_identifier", "birth_droid_volume_identifier", "birth_droid_file_identifier") if k in tracker],
        "created": stamp(header.get("creation_time")),
        "accessed": stamp(header.get("accessed_time")),
        "modified": stamp(header.get("modified_time")),
        "file_size": header.get("file_size"),
        "show_command": SHOW.get(header.get("windowstyle"), "normal"),
        "hotkey_raw": header.get("r_hotkey"),
        "flags": header.get("link_flags"),
        "drive_type": DRIVES.get(local.get("r_drive_type")) if local else None,
        "serial": ("%08X" % int(serial, 16))[:4] + "-" + ("%08X" % int(serial, 16))[4:] if serial else None,
        "label": local.get("volume_label_unicode") or local.get("volume_label") if local else None,
        "network_share": info["location_info"].get("net_name") if info.get("location") == "Network" else None,
        "network_device": info["location_info"].get("device_name") if info.get("location") == "Network" else None,
        "environment_target": extra.get("ENVIRONMENTAL_VARIABLES_LOCATION_BLOCK", {}).get("target_unicode"),
        "icon_environment": extra.get("ICON_LOCATION_BLOCK", {}).get("target_unicode"),
        "known_folder": extra.get("KNOWN_FOLDER_LOCATION_BLOCK", {}).get("known_folder_id", "").lower() or None,
        "special_folder": extra.get("SPECIAL_FOLDER_LOCATION_BLOCK", {}).get("special_folder_id"),
    }


def main():
    corpus = sys.argv[1]
    warnings.simplefilter("ignore")
    out = {}
    for folder, _, names in sorted(os.walk(corpus)):
        for name in sorted(names):
            if name.lower().endswith(".lnk"):
                path = os.path.join(folder, name)
                out[os.path.relpath(path, corpus)] = reference(path)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    dest = os.path.join(root, "tests/fixtures/documents/reference/lnk.json")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, "w") as handle:
        json.dump({"tool": "LnkParse3 " + version("LnkParse3"), "files": out}, handle, indent=1, sort_keys=True, ensure_ascii=False)
        handle.write("\n")
    print(f"{len(out)} shortcuts -> {dest}")


if __name__ == "__main__":
    main()
