#!/usr/bin/env bash
# Memory under a sign-in flood: N concurrent anonymous sign-ins (default 300, unknown
# emails, so no account is needed) against `entente serve` (release build, SQLite, the
# default Argon2id cost of 19 MiB a hash). Prints the answers by status and the server's
# resident memory before and at its peak (VmHWM). Traffic stays on 127.0.0.1.
#
#   bench/sign_in_flood.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-300}"
cargo build --release --locked --quiet
work=$(mktemp -d /tmp/entente-flood.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
./target/release/entente --database "sqlite://$work/entente.db" serve --listen "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
curl -fsS --retry 100 --retry-connrefused --retry-delay 0 --retry-max-time 30 -o /dev/null "http://127.0.0.1:$port/healthz"
before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
python3 - "$port" "$n" <<'PY'
import collections, re, sys, threading, urllib.parse, urllib.request, http.cookiejar
port, n = int(sys.argv[1]), int(sys.argv[2])
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = opener.open(base + "/sign-in").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
statuses = collections.Counter()
start = threading.Barrier(n)
def attempt(i):
    body = urllib.parse.urlencode({"csrf": csrf, "email": f"nobody{i}@example.org", "password": "not a password at all"}).encode()
    request = urllib.request.Request(base + "/sign-in", data=body, headers={"Cookie": cookie})
    start.wait()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            statuses[answer.status] += 1
    except urllib.error.HTTPError as e:
        statuses[e.code] += 1
    except Exception as e:
        statuses[type(e).__name__] += 1
threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
for t in threads: t.start()
for t in threads: t.join()
print("answers:", dict(sorted(statuses.items(), key=str)))
PY
peak=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "resident memory: $((before / 1024)) MiB before, $((peak / 1024)) MiB at the peak"
