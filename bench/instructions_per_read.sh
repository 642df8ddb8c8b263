#!/usr/bin/env bash
# Instructions retired per registry read, counted by callgrind (repeatable on a noisy
# machine, unlike requests per second): the server runs under valgrind twice, answering
# 200 and then 1,200 reads of /api/v1/registry/status over one kept-alive connection; the
# difference of the totals divided by 1,000 is the cost of one read.
#
#   bench/instructions_per_read.sh [BINARY]     (default: this tree's release build)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${1:-}" ]; then cargo build --release --locked --quiet; fi
bin="${1:-$PWD/target/release/entente}"
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }
work=$(mktemp -d /tmp/entente-callgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="sqlite://$work/entente.db"
"$bin" --database "$url" serve --listen "127.0.0.1:$port" >/dev/null 2>&1 & pid=$!
curl -fsS --retry 100 --retry-connrefused --retry-delay 0 --retry-max-time 30 -o /dev/null "http://127.0.0.1:$port/healthz"
kill $pid; wait $pid 2>/dev/null || true
total() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out.$1" "$bin" --database "$url" serve \
    --listen "127.0.0.1:$port" >/dev/null 2>&1 & pid=$!
  curl -fsS --retry 600 --retry-connrefused --retry-delay 0 --retry-max-time 120 -o /dev/null "http://127.0.0.1:$port/healthz"
  python3 - "$port" "$1" <<'PY'
import http.client, sys
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    connection.request("GET", "/api/v1/registry/status?at=2010-01-01")
    connection.getresponse().read()
PY
  kill -TERM $pid; wait $pid 2>/dev/null || true
  awk '/^(summary|totals):/ {print $2; exit}' "$work/out.$1"
}
a=$(total 200)
b=$(total 1200)
python3 -c "print(f'instructions per read: {($b - $a) / 1000:.0f}')"
