#!/usr/bin/env bash
# Runs every test of Entente on a fresh machine: installs what is missing (Chromium and
# its driver for the browser test, PostgreSQL when no server answers), then formatting,
# lints, and the test suites on SQLite, on PostgreSQL and in headless Chromium.
#
# Under CI=true nothing may be skipped: a missing PostgreSQL or browser fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
loud() { printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n!!! %s\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || { loud "cargo is not installed: install Rust (https://rustup.rs) and run again"; exit 1; }

# --- Browser: Debian's chromium and chromium-driver --------------------------------------
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  say "installing chromium and chromium-driver for the browser test"
  apt_install chromium chromium-driver || { loud "could not install chromium and chromium-driver"; exit 1; }
fi

# --- promtool, to check the metrics format (Debian package prometheus) ---------------------
if ! command -v promtool >/dev/null; then
  say "installing promtool (Debian package prometheus) to check /metrics"
  apt_install --no-install-recommends prometheus || { loud "could not install prometheus (promtool)"; exit 1; }
fi

# --- openapi-spec-validator, to validate the OpenAPI document (from PyPI) ------------------
if ! command -v openapi-spec-validator >/dev/null; then
  say "installing openapi-spec-validator to validate the OpenAPI document"
  python3 -m pip install -q openapi-spec-validator || { loud "could not install openapi-spec-validator"; exit 1; }
fi

# --- icalendar, the independent parser the calendar feeds are checked with (from PyPI) ----
if ! python3 -c 'import icalendar' 2>/dev/null; then
  say "installing icalendar (PyPI) to parse the calendar feeds in the tests"
  python3 -m pip install -q icalendar || { loud "could not install icalendar"; exit 1; }
fi

# --- openpyxl, the independent reader the Excel reports are checked with (from PyPI) ------
if ! python3 -c 'import openpyxl' 2>/dev/null; then
  say "installing openpyxl (PyPI) to read the Excel reports in the tests"
  python3 -m pip install -q openpyxl || { loud "could not install openpyxl"; exit 1; }
fi

# --- axe-core, the accessibility checker the browser test runs on every page (npm) -------
AXE_DIR=target/axe-core
export AXE_CORE_JS="$PWD/$AXE_DIR/node_modules/axe-core/axe.min.js"
if [ ! -f "$AXE_CORE_JS" ]; then
  say "installing axe-core from the npm registry for the browser test's accessibility check"
  command -v npm >/dev/null || apt_install npm || { loud "could not install npm for axe-core"; exit 1; }
  mkdir -p "$AXE_DIR"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4 >/dev/null \
    || { loud "could not install axe-core"; exit 1; }
fi

# --- PostgreSQL: the machine's server, or a throwaway one started here ---------------------
pg_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_throwaway_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql || return 1
  id postgres >/dev/null 2>&1 || return 1
  local bin data
  bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
  data=$(mktemp -d /tmp/entente-pg.XXXXXX)
  chown postgres "$data"
  # initdb refuses to run as root, so the cluster belongs to the postgres user.
  as_root su postgres -s /bin/sh -c "'$bin/initdb' -D '$data/db' -U postgres --auth=trust >/dev/null && \
    '$bin/pg_ctl' -D '$data/db' -o '-p 55432 -k $data -c listen_addresses=127.0.0.1' -l '$data/log' -w start >/dev/null" \
    || return 1
  trap "as_root su postgres -s /bin/sh -c \"'$bin/pg_ctl' -D '$data/db' -m fast stop\" >/dev/null 2>&1; rm -rf '$data'" EXIT
  export ENTENTE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:55432/postgres"
}

if [ -z "${ENTENTE_TEST_POSTGRES_URL:-}" ]; then
  if pg_answers 5432; then
    export ENTENTE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
  else
    say "no PostgreSQL server on 127.0.0.1:5432: starting a throwaway one on port 55432"
    if ! start_throwaway_postgres || ! pg_answers 55432; then
      if [ "${CI:-}" = "true" ]; then
        loud "PostgreSQL is not available and CI=true: the PostgreSQL suite may not be skipped"
        exit 1
      fi
      loud "PostgreSQL is not available: THE POSTGRESQL SUITE IS SKIPPED (only SQLite runs)"
      export ENTENTE_TEST_SKIP_POSTGRES=1
    fi
  fi
fi

say "formatting"
cargo fmt --all -- --check

say "lints"
cargo clippy --locked --all-targets -- -D warnings

say "tests (core, then the application on SQLite, PostgreSQL and headless Chromium)"
cargo test --locked --workspace
