#!/usr/bin/env bash
# Load test: GET /api/v1/registry/status?at=2010-01-01 served by `entente serve` (release
# build, SQLite), against the same response bytes served as a static file by nginx, both
# measured with wrk at 32 connections. Prints requests per second for each, their ratio,
# p99 latency, and the server's peak RSS. Traffic stays on 127.0.0.1; every run is bounded.
#
#   bench/load.sh            # 15 s per target
#   DURATION=30 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-15}"
CONNECTIONS=32
THREADS=2
ENTENTE_PORT=18080
NGINX_PORT=18081
QUERY="/api/v1/registry/status?at=2010-01-01"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked --quiet
work=$(mktemp -d /tmp/entente-load.XXXXXX)
chmod 755 "$work"  # nginx workers run as another user
mkdir -p "$work/www/api/v1/registry"
cleanup() {
  [ -n "${entente_pid:-}" ] && kill "$entente_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

./target/release/entente --database "sqlite://$work/entente.db" serve --listen "127.0.0.1:$ENTENTE_PORT" >"$work/entente.log" 2>&1 &
entente_pid=$!
curl -fsS --retry 100 --retry-connrefused --retry-delay 0 --retry-max-time 30 -o /dev/null "http://127.0.0.1:$ENTENTE_PORT/healthz" 2>/dev/null

# nginx serves the very bytes entente answers, as a static file at the same path.
curl -fsS -o "$work/www/api/v1/registry/status" "http://127.0.0.1:$ENTENTE_PORT$QUERY"
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $work/www; location / { try_files \$uri =404; } }
}
CONF
mkdir -p "$work/tmp"
"$NGINX" -c "$work/nginx.conf" -p "$work"
curl -fsS --retry 50 --retry-connrefused --retry-delay 0 -o "$work/from-nginx" "http://127.0.0.1:$NGINX_PORT$QUERY"
cmp -s "$work/from-nginx" "$work/www/api/v1/registry/status" || { echo "nginx does not serve the same bytes" >&2; exit 1; }
bytes=$(wc -c <"$work/from-nginx")

measure() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$2"
}
measure "http://127.0.0.1:$ENTENTE_PORT$QUERY" "$work/wrk-entente.txt"
measure "http://127.0.0.1:$NGINX_PORT$QUERY" "$work/wrk-nginx.txt"
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$entente_pid/status")

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1"; }
e_rps=$(rps "$work/wrk-entente.txt"); n_rps=$(rps "$work/wrk-nginx.txt")

echo "GET $QUERY ($bytes bytes), wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $(nproc) cores"
printf '%-8s %12s %10s\n' "server" "requests/s" "p99"
printf '%-8s %12s %10s\n' "entente" "$e_rps" "$(p99 "$work/wrk-entente.txt")"
printf '%-8s %12s %10s\n' "nginx" "$n_rps" "$(p99 "$work/wrk-nginx.txt")"
awk -v e="$e_rps" -v n="$n_rps" 'BEGIN { printf "ratio entente/nginx: %.2f\n", e / n }'
echo "entente peak RSS: $((rss_kib / 1024)) MiB ($rss_kib KiB)"
errors "$work/wrk-entente.txt"; errors "$work/wrk-nginx.txt"
