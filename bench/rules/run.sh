#!/usr/bin/env bash
# The rules stage against the yara-x command line over the same files and the same 100 rules.
#
# Usage: bench/rules/run.sh [FILES_DIR] [REPEAT]     (default: tests/fixtures/corpus/files, 5)
#
# Installs `yr` (yara-x-cli 1.22.1, the version the rules crate links) into target/tools once
# (about 15 minutes of compilation on 2 cores; skipped when present), generates 100 rules into
# target/bench-rules/rules/, compiles them once for each side (yr compile; the rules crate's cache),
# then times, single-threaded, REPEAT passes of `yr scan` over the files against REPEAT passes of
# the rules stage (crates/fcas-rules/examples/bench_rules.rs, release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
files=${1:-tests/fixtures/corpus/files}
repeat=${2:-5}
work=target/bench-rules
mkdir -p "$work/rules"

if [ ! -x target/tools/bin/yr ]; then
  cargo install yara-x-cli --version =1.22.1 --locked --root target/tools
fi

# 100 rules: strings (ascii, wide, nocase), hex patterns with jumps and a few regular expressions,
# the shapes of the built-in set.
python3 - "$work/rules/bench100.yar" <<'PY'
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
        body = f'$a = /{w}[a-z]{{2,8}}/\n        $b = "{w}" fullword'
        cond = "#b > 1 or $a"
    else:
        body = f'$a = "{w}"\n        $b = "{words[(i + 7) % len(words)]}" wide'
        cond = "$a and $b and filesize < 50MB"
    rules.append(f'rule bench_{i:03d}\n{{\n    meta:\n        severity = "info"\n    strings:\n        {body}\n    condition:\n        {cond}\n}}\n')
open(sys.argv[1], "w").write("\n".join(rules))
PY

target/tools/bin/yr compile "$work/rules/bench100.yar" -o "$work/bench100.yarc" >/dev/null
cargo build --release -q -p fcas-rules --example bench_rules
bench=target/release/examples/bench_rules
"$bench" "$work/rules" "$files" 1 >/dev/null   # fills the compiled-rules cache

echo "files: $files ($(find "$files" -type f | wc -l) files, $(du -sb "$files" | cut -f1) bytes), 100 rules, $repeat passes, 1 thread"
start=$(date +%s.%N)
for _ in $(seq "$repeat"); do
  target/tools/bin/yr scan --threads 1 --disable-console-logs -C "$work/bench100.yarc" "$files" >/dev/null
done
end=$(date +%s.%N)
yr_s=$(python3 -c "print($end - $start)")
echo "yr scan:     $(printf '%.3f' "$yr_s") s"
start=$(date +%s.%N)
"$bench" "$work/rules" "$files" "$repeat"
end=$(date +%s.%N)
stage_s=$(python3 -c "print($end - $start)")
echo "rules stage: $(printf '%.3f' "$stage_s") s (process, loading the cached rules and reading the files included)"
echo "ratio:       $(python3 -c "print(f'{$stage_s / $yr_s:.2f}')")"
