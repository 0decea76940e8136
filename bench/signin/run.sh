#!/usr/bin/env bash
# Sign-in flood (issue 13): parallel wrong passwords from one address and from many against a
# release server on the demo region, on SQLite and then PostgreSQL; see main.rs for what is printed.
#   bench/signin/run.sh            # both backends
#   bench/signin/run.sh sqlite     # one
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18110}"
work="$(mktemp -d)"
server="" pg_dir=""
# shellcheck source=../common/server.sh
source "$repo/bench/common/server.sh"
cleanup() { stop_server; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

build_release
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example signin_flood
flood="$repo/target/release/examples/signin_flood"
echo "# $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in ${@:-sqlite postgres}; do
  prepare_db "$backend"
  start_server
  echo "## $backend (limits: 5 failures lock an account for 15 min; 20 failures per address in 15 min)"
  "$flood" --addr "127.0.0.1:$port" --server-pid "$server"
  stop_server
  stop_postgres
  rm -f "$work"/bench.db*
done
