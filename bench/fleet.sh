#!/usr/bin/env bash
# Fleet figures for docs/bench/fleet.md, on loopback:
#  1. remote overhead over local analysis for a 1 MiB PE (one worker, no load balancer);
#  2. throughput of two workers against one behind nginx, each worker limited to one analysis
#     at a time (--workers 1; --queue 4 so that the client's 4 files in flight wait instead of being
#     shed with 503) and pinned to its own core with taskset.
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
start_nginx "$ADDR"
ONE=$("$BENCH" throughput "$WORK/batch" "$LB" "$TOKEN" 4)
echo "$ONE"
stop_all

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
