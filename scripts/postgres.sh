#!/usr/bin/env bash
# A private PostgreSQL on loopback for tests and benchmarks, in a folder of its own.
#   scripts/postgres.sh start [DIR] [PORT]   prints the database URL on standard output
#                                            (PORT: the first free one from 55432 on)
#   scripts/postgres.sh stop  [DIR]
# Needs Debian's postgresql package (initdb and pg_ctl under /usr/lib/postgresql/*/bin).
set -euo pipefail
action="${1:-}"
dir="${2:-${TMPDIR:-/tmp}/baqylau-pg}"
port="${3:-}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql (or set TEST_DATABASE_URL)" >&2
  exit 1
fi
# initdb refuses to run as root: run the server as the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
# The first free port from 55432 on, unless one is given.
free_port() {
  local p
  for p in $(seq 55432 55500); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free port between 55432 and 55500" >&2
  exit 1
}
case "$action" in
  start)
    if [ -f "$dir/port" ] && as_owner "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
      port="$(cat "$dir/port")"
    fi
    [ -n "$port" ] || port="$(free_port)"
    if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres "$dir"; else mkdir -p "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "'$bin/pg_ctl' -D '$dir/data' status" >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c max_connections=300\" start" >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    fi
    psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'baqylau_test'" | grep -q 1 \
      || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE baqylau_test" >&2
    echo "postgres://postgres@127.0.0.1:$port/baqylau_test"
    ;;
  stop)
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m fast stop" >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
