#!/usr/bin/env bash
# Fleet figures for docs/bench/fleet.md, on loopback:
#  1. remote overhead over local analysis for a 1 MiB PE (one worker, no load balancer);
#  2. throughput of two workers against one behind nginx, each worker limited to one analysis
#     at a time (--workers 1; --queue 4 so that the client's 4 files in flight wait instead of being
#     shed with 503) and pinned to its own core with taskset;
#  3. CPU seconds per file of the worker (with its analysis children), of nginx and of the client
#     in the one-worker run, from which the throughput of N workers on N cores is predicted
#     (docs/SCALING.md): this machine has too few cores to show it directly.
# Usage: bench/fleet.sh [FILES=200] [RUNS=30]   (needs nginx: scripts/setup-system.sh fleet)
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-200}
RUNS=${2:-30}
CORES=$(nproc)
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] || { echo "bench/fleet.sh: nginx missing; run scripts/setup-system.sh fleet" >&2; exit 1; }

cargo build --release --bin fcas -p fcas-cli
cargo build --release --example fleet_bench -p fcas-fleet
FCAS=target/release/fcas
BENCH=target/release/examples/fleet_bench

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$TOKEN" > "$WORK/tokens"

# wait_for URL: until it answers 2xx (at most 20 s).
wait_for() {
  for _ in $(seq 200); do
    if curl -fs "$1" >/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench/fleet.sh: $1 did not come up" >&2
  exit 1
}

# start_worker CORE: starts a worker pinned to CORE; sets ADDR once it is ready.
start_worker() {
  local core=$1 out="$WORK/worker-$1-$RANDOM"
  taskset -c "$core" "$FCAS" serve --listen 127.0.0.1:0 --token-file "$WORK/tokens" --workers 1 --queue 4 --worker-id "core$core" >"$out" 2>/dev/null &
  PIDS+=($!)
  for _ in $(seq 100); do
    if [[ -s "$out" ]]; then break; fi
    sleep 0.1
  done
  ADDR=$(sed -E 's#.*://##' "$out")
  wait_for "http://$ADDR/v1/ready"
}

# start_nginx ADDR...: starts nginx over the workers; sets LB to its URL.
start_nginx() {
  local prefix port servers=""
  prefix=$(mktemp -d -p "$WORK")
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  for addr in "$@"; do servers+="server $addr max_fails=0; "; done
  cat >"$prefix/nginx.conf" <<CONF
$( [[ $(id -u) -eq 0 ]] && echo "user root root;" )
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $prefix/body; proxy_temp_path $prefix/proxy;
  fastcgi_temp_path $prefix/fcgi; uwsgi_temp_path $prefix/uwsgi; scgi_temp_path $prefix/scgi;
  client_max_body_size 64m;
  # As deploy/nginx.conf: samples and reports stay in memory, not in temporary files.
  client_body_buffer_size 1m; proxy_buffer_size 64k; proxy_buffers 32 64k;
  upstream fcas { least_conn; $servers keepalive 16; }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://fcas; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_next_upstream error timeout http_502 http_503 http_504 non_idempotent;
      proxy_read_timeout 300s;
    }
  }
}
CONF
  "$NGINX" -c "$prefix/nginx.conf" -p "$prefix" -g 'daemon off;' &
  PIDS+=($!)
  LB="http://127.0.0.1:$port"
  wait_for "$LB/v1/health"
}

# cpu_of_tree PID...: CPU seconds (user + system) used so far by each PID and its descendants.
cpu_of_tree() {
  python3 - "$@" <<'PY'
import os, sys
ticks = os.sysconf("SC_CLK_TCK")
stats = {}
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14]))
def tree(pid):
    total = stats.get(pid, (0, 0))[1]
    return total + sum(tree(child) for child, (parent, _) in stats.items() if parent == pid)
print(" ".join(f"{tree(int(p)) / ticks:.2f}" for p in sys.argv[1:]))
PY
}

# run_measured COMMAND...: runs COMMAND, prints its output, then its CPU seconds on stderr's
# last line as `cpu=SECONDS`.
run_measured() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys
out = subprocess.run(sys.argv[1:], check=True, stdout=subprocess.PIPE, text=True).stdout
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(out.strip())
print(f"cpu={usage.ru_utime + usage.ru_stime:.2f}", file=sys.stderr)
PY
}

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
}

# A 1 MiB PE: an amd64 DLL of the corpus with its own first bytes appended as overlay.
PE=tests/fixtures/corpus/files/pe/deb-libwine-amd64/ws2_32.dll
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write((d * 2)[:1 << 20])' "$PE" "$WORK/pe-1MiB.dll"

echo "== remote overhead, 1 MiB PE, $RUNS runs (median)"
start_worker 0
# The client, and the local analysis it compares with, run on the other core: each side has
# one core, so the remote path is not also paying for the client's work.
CLIENT_CORE=$((CORES > 1 ? 1 : 0))
OVERHEAD=$(taskset -c "$CLIENT_CORE" "$BENCH" overhead "$WORK/pe-1MiB.dll" "http://$ADDR" "$TOKEN" "$RUNS")
echo "$OVERHEAD"
stop_all

# Throughput corpus: FILES distinct files derived from the corpus PEs (a varying tail appended).
mkdir -p "$WORK/batch"
mapfile -t SOURCES < <(find tests/fixtures/corpus/files/pe -type f -size -400k | sort)
for ((i = 0; i < FILES; i++)); do
  src=${SOURCES[$((i % ${#SOURCES[@]}))]}
  { cat "$src"; printf 'fleet-bench-%d' "$i"; } >"$WORK/batch/$(printf '%04d' "$i")"
done

echo "== throughput through nginx, $FILES files, one worker (core 0)"
start_worker 0
WORKER_PID=${PIDS[-1]}
start_nginx "$ADDR"
NGINX_PID=${PIDS[-1]}
read -r WORKER_CPU0 NGINX_CPU0 < <(cpu_of_tree "$WORKER_PID" "$NGINX_PID")
ONE=$(run_measured "$BENCH" throughput "$WORK/batch" "$LB" "$TOKEN" 4 2>"$WORK/client-cpu")
read -r WORKER_CPU1 NGINX_CPU1 < <(cpu_of_tree "$WORKER_PID" "$NGINX_PID")
CLIENT_CPU=$(sed -n 's/^cpu=//p' "$WORK/client-cpu")
echo "$ONE"
stop_all
python3 - "$FILES" "$WORKER_CPU0" "$WORKER_CPU1" "$NGINX_CPU0" "$NGINX_CPU1" "$CLIENT_CPU" <<'PY'
import sys
files, w0, w1, n0, n1, client = int(sys.argv[1]), *map(float, sys.argv[2:])
worker, nginx, client = (w1 - w0) / files, (n1 - n0) / files, client / files
print(f"== CPU seconds per file: worker {worker * 1e3:.1f} ms, nginx {nginx * 1e3:.2f} ms, client {client * 1e3:.2f} ms")
# N workers on N cores of their own, nginx and the client on cores of their own: each worker
# serves 1/worker files per second; nginx (one process) and the client cap the total.
for n in (1, 2, 4, 8, 16):
    predicted = min(n / worker, 1 / nginx if nginx else float("inf"), 1 / client if client else float("inf"))
    print(f"   predicted with {n:>2} workers on {n} cores: {predicted:.0f} files/s ({predicted * worker:.2f}x one worker)")
PY

SECOND_CORE=$((CORES > 1 ? 1 : 0))
echo "== throughput through nginx, $FILES files, two workers (cores 0 and $SECOND_CORE)"
start_worker 0
W0=$ADDR
start_worker "$SECOND_CORE"
start_nginx "$W0" "$ADDR"
TWO=$("$BENCH" throughput "$WORK/batch" "$LB" "$TOKEN" 4)
echo "$TWO"
stop_all

python3 - "$ONE" "$TWO" <<'PY'
import json, sys
one, two = (json.loads(a) for a in sys.argv[1:3])
print(f"== speed-up of two workers over one: {two['files_per_second'] / one['files_per_second']:.2f}x")
PY
