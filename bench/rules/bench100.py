#!/usr/bin/env python3
"""Writes the 100 benchmark rules to the file named by the first argument: strings (ascii, wide,
nocase), hex patterns with jumps and a few regular expressions, the shapes of the built-in set.
Used by bench/rules/run.sh (rules stage against `yr scan`) and bench/vault/hunt.sh (retro-hunt)."""
import sys
words = ["kernel32", "VirtualAlloc", "LoadLibrary", "GetProcAddress", "http://", "https://", "cmd.exe",
         "powershell", "CreateProcess", "WriteFile", "RegSetValue", "InternetOpen", "socket", "connect",
         "CryptEncrypt", "Base64", "This program", "Rich", ".text", ".data", "PADDING", "Microsoft",
         "Copyright", "python", "GCC:", "libc.so", "malloc", "printf", "TEMP", "AppData"]
rules = []
for i in range(100):
    w = words[i % len(words)]
    kind = i % 4
    if kind == 0:
        body = f'$a = "{w}" ascii wide\n        $b = "{w}{i}" nocase'
        cond = "any of them"
    elif kind == 1:
        hexed = " ".join(f"{b:02X}" for b in w.encode()[:6])
        body = f"$a = {{ {hexed} [0-8] {i:02X} }}\n        $b = {{ 4D 5A ?? 00 {i:02X} }}"
        cond = "any of them"
    elif kind == 2:
        # In a YARA regular expression `/` ends the pattern and `.` is any byte: escape both.
        literal = w.replace("\\", "\\\\").replace("/", "\\/").replace(".", "\\.")
        body = f'$a = /{literal}[a-z]{{2,8}}/\n        $b = "{w}" fullword'
        cond = "#b > 1 or $a"
    else:
        body = f'$a = "{w}"\n        $b = "{words[(i + 7) % len(words)]}" wide'
        cond = "$a and $b and filesize < 50MB"
    rules.append(f'rule bench_{i:03d}\n{{\n    meta:\n        severity = "info"\n    strings:\n        {body}\n    condition:\n        {cond}\n}}\n')
open(sys.argv[1], "w").write("\n".join(rules))
