#!/usr/bin/env bash
# Measures the desktop app's figures and writes them, with the command, to docs/bench/app.md.
# Needs what `make bench-app` sets up (the app built, tauri-driver, WebKitWebDriver, Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
json=$(NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x800x24" node bench/app.mjs "$RUNS")
echo "$json"
profile=${BUILD_NOTE:-"the debug builds of \`fcas-app\` and \`fcas\` that \`make run-dev\` starts (\`make app-test\`, target/debug)"}
load=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$json" "$RUNS" "$profile" "$load" <<'PY' > docs/bench/app.md
import json, sys, platform, os, datetime
r = json.loads(sys.argv[1]); runs = sys.argv[2]; profile = sys.argv[3]; load = sys.argv[4]
def row(name, key, goal):
    v = r[key]
    return f"| {name} | {v['median']:.0f} ms | {', '.join(f'{x:.0f}' for x in v['all'])} | {goal} |"
print("# Desktop app figures\n")
print(f"Measured with `make bench-app` (that is `RUNS={runs} bench/app.sh`, which runs `bench/app.mjs` under Xvfb")
print("through tauri-driver and WebKitWebDriver) on " + datetime.date.today().isoformat() + f", {os.cpu_count()} cores (load average {load} when the run ended),")
print(f"with {profile}.\n")
print("| figure | median | runs | goal |\n| --- | --- | --- | --- |")
print(row("drop-to-rendered, new 1 MiB PE, app warm", "drop_to_rendered_new_1mib_pe_warm_ms", "< 150 ms"))
print(row("  of which the backend (hash, analysis in the child, store)", "backend_part_of_new_pe_ms", ""))
print(row("drop-to-rendered, file already stored", "drop_to_rendered_already_stored_ms", ""))
print(row("cold start to interactive (session request to interactive page)", "cold_start_to_interactive_ms", "< 1.5 s"))
print(row("page interactive after navigation start", "page_interactive_after_navigation_ms", ""))
print("""
What is measured:
- *drop-to-rendered*: inside the page, from the call a drop makes (`analyze_paths`) until the
  Overview of the finished report has rendered; the app and its analysis processes are already
  running (one file was analysed first). Each run uses a 1 MiB PE the app has not seen (a corpus
  DLL plus a seeded overlay), so the whole path runs: hashing, analysis in the child process,
  storing, reading the report back, rendering.
- *already stored*: the same files dropped again: hashing, store lookup, rendering.
- *cold start*: from the WebDriver session request (which launches the app) until the page marks
  itself interactive; it includes WebKitWebDriver's own start-up, so it is an upper bound.
""")
stages = r.get("stage_start_ms_new_pe") or []
def med(values):
    values = sorted(v for v in values if v is not None)
    return values[len(values) // 2] if values else float("nan")
if stages:
    analyse = med([s.get("storing", 0) - s.get("analyzing", 0) for s in stages])
    store = med([s.get("done", 0) - s.get("storing", 0) for s in stages])
    load = med([s.get("report_load") for s in stages])
    print("Where a new file's time goes (medians over the runs, from the scan events' timestamps):\n")
    print("| part | ms |\n| --- | --- |")
    print(f"| hashing and store lookup (queued to analysing) | {med([s.get('analyzing') for s in stages]):.0f} |")
    print(f"| analysis in the child process (engine and models), report back to the app | {analyse:.0f} |")
    print(f"| storing the report | {store:.0f} |")
    print(f"| the page fetching the stored report | {load:.0f} |")
    print("| rendering the Overview | the rest of drop-to-rendered |")
    print("""
The app starts WebKitGTK without accelerated compositing (unless `WEBKIT_DISABLE_COMPOSITING_MODE`
is set): on a machine whose OpenGL is Mesa's software rasteriser, as here, compositing every
repaint of the queue took a core from the analysis (drop-to-rendered 170 to 188 ms with it,
about 125 ms without, same builds and machine).""")
PY
echo "wrote docs/bench/app.md"
