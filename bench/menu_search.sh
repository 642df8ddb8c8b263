#!/usr/bin/env bash
# Menu search latency at 20,000 activities, on SQLite and on PostgreSQL: a release
# `entente serve` over a database holding a generated menu of 20,000 activities, and wrk
# asking GET /api/v1/activities with words, with filters, and with "open to this nation",
# first with one connection (a user's latency: one request at a time), then with four
# (two per core: requests queue behind each other). Prints p50 and p99 for each query,
# load and backend. Also measures GET /api/v1/menus/2026/eligibility on a
# 1,400-activity menu. PostgreSQL: $PG_ADMIN_URL (default the machine's server).
#
#   bench/menu_search.sh                    # 10 s per query and load
#   DURATION=5 BACKENDS=postgres bench/menu_search.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10}"
BACKENDS="${BACKENDS:-sqlite postgres matrix}"
PORT=18090
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --locked --quiet
work=$(mktemp -d /tmp/entente-menu.XXXXXX)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

QUERIES=(
  "/api/v1/activities?q=cyber"
  "/api/v1/activities?q=maritime%20security&year=2026"
  "/api/v1/activities?area=CRISIS_MGMT&kind=course&language=fr"
  "/api/v1/activities?q=defence&nation=GE&at=2026-06-01"
)

measure() {  # backend url
  local backend=$1 url=$2
  ./target/release/entente --database "$url" demo menu --year 2026 --activities 20000 --seed 1 >/dev/null
  ENTENTE_LOG=warn ./target/release/entente --database "$url" serve --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
  pid=$!
  curl -fsS --retry 100 --retry-connrefused --retry-delay 0 --retry-max-time 30 -o /dev/null "http://127.0.0.1:$PORT/healthz"
  for q in "${QUERIES[@]}"; do
    hits=$(curl -fsS "http://127.0.0.1:$PORT$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
    for connections in 1 4; do
      wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$q" >"$work/wrk.txt"
      p50=$(awk '$1=="50%"{print $2}' "$work/wrk.txt"); p99=$(awk '$1=="99%"{print $2}' "$work/wrk.txt")
      rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.txt")
      printf '%-9s c=%s %-62s hits=%-6s p50=%-8s p99=%-8s rps=%s\n' "$backend" "$connections" "$q" "$hits" "$p50" "$p99" "$rps"
    done
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

if [[ " $BACKENDS " == *" sqlite "* ]]; then
  measure sqlite "sqlite://$work/menu.db"
fi
if [[ " $BACKENDS " == *" postgres "* ]]; then
  db="entente_bench_menu_$$"
  psql "$PG_ADMIN_URL" -qc "drop database if exists $db" -c "create database $db" >/dev/null
  measure postgres "${PG_ADMIN_URL%/*}/$db"
  psql "$PG_ADMIN_URL" -qc "drop database if exists $db" >/dev/null
fi
[[ " $BACKENDS " == *" matrix "* ]] || exit 0

# The whole eligibility matrix over HTTP: a 1,400-activity menu, every nation with a status.
./target/release/entente --database "sqlite://$work/matrix.db" demo menu --year 2026 --activities 1400 --seed 1 >/dev/null
ENTENTE_LOG=warn ./target/release/entente --database "sqlite://$work/matrix.db" serve --listen "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
pid=$!
curl -fsS --retry 100 --retry-connrefused --retry-delay 0 --retry-max-time 30 -o /dev/null "http://127.0.0.1:$PORT/healthz"
wrk -t2 -c4 -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/api/v1/menus/2026/eligibility?at=2026-06-01" >"$work/wrk.txt"
printf 'matrix    %-62s p50=%-8s p99=%-8s rps=%s\n' "/api/v1/menus/2026/eligibility?at=2026-06-01" \
  "$(awk '$1=="50%"{print $2}' "$work/wrk.txt")" "$(awk '$1=="99%"{print $2}' "$work/wrk.txt")" "$(awk '/Requests\/sec/{print $2}' "$work/wrk.txt")"
