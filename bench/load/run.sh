#!/usr/bin/env bash
# Load benchmark (issue 8, DESIGN.md section 5): the officer's route page, the visit API and the
# coverage report at 1, 10, 100 and 500 concurrent clients against a release build on the demo region
# (with its history, so the coverage report has a year and more of visits), on SQLite and then
# PostgreSQL. Prints throughput and latency percentiles per endpoint and level.
#   bench/load/run.sh                   # both backends, 10 s per level
#   bench/load/run.sh sqlite            # one backend
#   SECONDS_PER_LEVEL=5 CLIENTS=10,100 SIGN_INS=500 bench/load/run.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18100}"
work="$(mktemp -d)"
server="" pg_dir=""
# shellcheck source=../common/server.sh
source "$repo/bench/common/server.sh"
cleanup() { stop_server; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

build_release
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example load
load="$repo/target/release/examples/load"
echo "# $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in ${@:-sqlite postgres}; do
  prepare_db "$backend" history
  start_server
  "$load" --addr "127.0.0.1:$port" --clients "${CLIENTS:-1,10,100,500}" \
    --seconds "${SECONDS_PER_LEVEL:-10}" --server-pid "$server"
  # The same at 100 and 500 users who wait about a second between requests (as officers do):
  # the latency of a request when the server is not saturated.
  # Then 500 sign-ins (Argon2 each) and the server's resident memory after the whole run.
  "$load" --addr "127.0.0.1:$port" --clients 100,500 --think-ms 1000 \
    --seconds "${SECONDS_PER_LEVEL:-10}" --server-pid "$server" --sign-ins "${SIGN_INS:-500}"
  stop_server
  stop_postgres
  rm -f "$work"/bench.db*
done
