#!/usr/bin/env bash
# bench-live.sh: requests/s and p99 of `poolsim serve` under wrk, and of
# nginx with limit_req on the same machine when nginx is installed.
#
#   bench/bench-live.sh [POOLSIM]        (make bench-live)
#
# The scenario admits everything (a huge quota) and its service time is 0,
# so what is measured is the HTTP path: libsoup, admission (quota + pool
# under one lock), the hand-off to a worker thread and back.  wrk runs
# -t1 -c64 -d10s --latency against POST /v1/requests, as in docs/libsoup-notes.md.
# Environment: DURATION (default 10s), CONNECTIONS (64), WORKERS (4).
set -euo pipefail

POOLSIM=${1:-${POOLSIM:-build/poolsim}}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WORKERS=${WORKERS:-4}

command -v wrk >/dev/null || { echo "bench-live: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$POOLSIM" ] || { echo "bench-live: $POOLSIM not built (make build)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

cat > "$tmp/bench.json" <<JSON
{ "name": "bench-live", "duration": "1h",
  "server": { "workers": $WORKERS, "queue": 256, "service_time": "0ms",
              "quota": { "limit": 4000000000, "window": "1s" } },
  "clients": [ { "group": "wrk", "arrival": { "process": "poisson", "rate": 1 } } ] }
JSON
cat > "$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"priority":0,"work_ms":0}'
wrk.headers["Content-Type"] = "application/json"
LUA

# Prints "req/s p99" from wrk's output.
measure() {
  local url=$1 out
  out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$tmp/post.lua" "$url")
  echo "$out" > "$tmp/last-wrk.txt"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  echo "$rps $p99 ${non2xx:-0}"
}

report() {
  local name=$1 rps=$2 p99=$3 non2xx=$4
  printf '%-44s %8s req/s   p99 %8s   non-2xx %s\n' "$name" "$rps" "$p99" "$non2xx"
}

# --- poolsim serve -----------------------------------------------------------
"$POOLSIM" serve "$tmp/bench.json" --listen 127.0.0.1:0 > "$tmp/serve.out" 2>&1 &
pids+=($!)
url=
for _ in $(seq 50); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$tmp/serve.out" || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "bench-live: poolsim serve did not start:" >&2; cat "$tmp/serve.out" >&2; exit 1; }
read -r rps p99 non2xx < <(measure "$url/v1/requests")
report "poolsim serve ($WORKERS workers, libsoup $(pkg-config --modversion libsoup-3.0 2>/dev/null || echo 3))" "$rps" "$p99" "$non2xx"

# --- nginx with limit_req, if installed ---------------------------------------
nginx=$(command -v nginx || true)
[ -z "$nginx" ] && [ -x /usr/sbin/nginx ] && nginx=/usr/sbin/nginx
if [ -z "$nginx" ]; then
  echo "nginx + limit_req                            (nginx not installed: apt-get install nginx-light)"
  exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$tmp/nginx/logs"
cat > "$tmp/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  limit_req_zone \$binary_remote_addr zone=perip:10m rate=1000000r/s;
  limit_req_log_level warn;
  server {
    listen 127.0.0.1:$port;
    location /v1/requests {
      limit_req zone=perip burst=100000 nodelay;
      default_type application/json;
      return 200 '{"ok":true}\n';
    }
  }
}
CONF
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" &
pids+=($!)
for _ in $(seq 50); do
  curl -s -o /dev/null -X POST "http://127.0.0.1:$port/v1/requests" && break
  sleep 0.1
done
read -r rps p99 non2xx < <(measure "http://127.0.0.1:$port/v1/requests")
report "nginx $("$nginx" -v 2>&1 | sed 's|.*/||') (1 worker) + limit_req" "$rps" "$p99" "$non2xx"
