#!/usr/bin/env bash
# Tests the API against its own OpenAPI document with schemathesis (from PyPI): every
# operation, with generated valid and invalid input, as an anonymous caller and with a
# staff member's read-write token. Exits non-zero on any failure.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES]      (default 50 per operation)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

max_examples="${1:-50}"
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
cargo build --release --quiet
entente="$PWD/target/release/entente"

work=$(mktemp -d /tmp/entente-schemathesis.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cd "$work"
password="a long enough password for schemathesis"
echo "$password" | "$entente" user add --email staff@example.org --name Staff --role staff --staff \
  --clearance RESTRICTED >/dev/null
token=$("$entente" token issue --email staff@example.org --write --days 1 | tail -n 1)
"$entente" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

status=0
for who in anonymous staff; do
  printf '\n==> schemathesis as %s\n' "$who"
  auth=()
  [ "$who" = staff ] && auth=(-H "Authorization: Bearer $token")
  schemathesis --config-file "$root/scripts/schemathesis.toml" run "http://127.0.0.1:$port/api/v1/openapi.json" "${auth[@]}" \
    --checks all --max-examples "$max_examples" --seed 1 --no-color \
    || status=1
done
if grep -q "internal error" "$work/server.log"; then
  echo "the server logged internal errors:" >&2
  grep "internal error" "$work/server.log" >&2
  status=1
fi
exit $status
