#!/bin/sh
# Starts a throwaway PostgreSQL cluster for the test suite and prints its URL on stdout.
#   scripts/postgres-test-server.sh        start (or reuse) it; prints postgres://…
#   scripts/postgres-test-server.sh stop   stop it and delete its files
# It installs nothing: PostgreSQL comes from the system (Debian: apt-get install postgresql).
# The cluster listens on 127.0.0.1 only, trusts local connections, and skips fsync: test data only.
set -eu

PORT="${PG_TEST_PORT:-54329}"
ROOT="${PG_TEST_ROOT:-/tmp/backdrop-pg-$PORT}"
DB="${PG_TEST_DB:-backdrop_test}"
URL="postgres://postgres@127.0.0.1:$PORT/$DB"

find_bin() {
  for dir in "${PG_BIN:-}" /usr/lib/postgresql/*/bin; do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  echo "PostgreSQL server binaries not found (install the postgresql package, or set PG_BIN)" >&2
  return 1
}
BIN="$(find_bin)"

# initdb refuses to run as root: the cluster belongs to the postgres user then.
as_owner() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-start}" = "stop" ]; then
  if [ -d "$ROOT/data" ]; then as_owner "$BIN/pg_ctl" -D "$ROOT/data" -m immediate stop >&2 || true; fi
  rm -rf "$ROOT"
  exit 0
fi

if [ -f "$ROOT/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$ROOT/data" status >/dev/null 2>&1; then
  echo "$URL"
  exit 0
fi

rm -rf "$ROOT"
mkdir -p "$ROOT"
if [ "$(id -u)" = "0" ]; then chown postgres "$ROOT"; fi
as_owner "$BIN/initdb" -D "$ROOT/data" -U postgres -A trust -E UTF8 --no-sync >"$ROOT/initdb.log" 2>&1 || {
  cat "$ROOT/initdb.log" >&2
  exit 1
}
as_owner "$BIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $ROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >&2
as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
echo "$URL"
