#!/usr/bin/env bash
# Two app servers on one PostgreSQL (issue 15): the officer's route page and the visit API at 10
# and 100 clients, first against one server, then spread over two servers of the same database
# (sessions made on one used on the other, as behind a load balancer), in the same run. Prints the
# load bench's table for each and the ratio of the throughputs. On a 2-core machine the two
# servers share the same cores, so the ratio shows the cost of a fleet, not its gain.
#   bench/fleet/run.sh
#   SECONDS_PER_LEVEL=5 CLIENTS=10,100 bench/fleet/run.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18120}"
port2=$((port + 1))
work="$(mktemp -d)"
server="" server2="" pg_dir=""
# shellcheck source=../common/server.sh
source "$repo/bench/common/server.sh"
cleanup() {
  stop_server
  if [ -n "$server2" ]; then kill -TERM "$server2" 2>/dev/null || true; wait "$server2" 2>/dev/null || true; fi
  stop_postgres
  rm -rf "$work"
}
trap cleanup EXIT

build_release
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example load
load="$repo/target/release/examples/load"
echo "# $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
prepare_db postgres
# One cookie key for both servers.
export BAQYLAU_SECRET_KEY="$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_server
run() {
  "$load" --addr "$1" --clients "${CLIENTS:-10,100}" --seconds "${SECONDS_PER_LEVEL:-10}" \
    --endpoints route,visit --server-pid "$server" | tee -a "$work/$2.txt"
}
echo "## one server"
run "127.0.0.1:$port" one
BAQYLAU_BIND="127.0.0.1:$port2" "$bin" serve >>"$work/server2.log" 2>&1 &
server2=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port2/healthz" >/dev/null && break; sleep 0.1; done
echo "## two servers, one database"
run "127.0.0.1:$port,127.0.0.1:$port2" two
echo "## throughput of two servers / one (req/s, same endpoint and clients)"
paste <(grep -E '^(route|visit) ' "$work/one.txt") <(grep -E '^(route|visit) ' "$work/two.txt") |
  awk '{ printf "%-6s %4s clients: %8.0f -> %8.0f req/s  ratio %.2f\n", $1, $2, $4, $(NF/2+4), $(NF/2+4)/$4 }'
