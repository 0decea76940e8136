#!/usr/bin/env bash
# Soak, "no visit lost" (issue 8, DESIGN.md section 6): 50 tablets submit 10,000 visits through
# random disconnects, timeouts and resubmissions while the server is SIGKILLed and restarted every
# few seconds; then every acknowledged visit must be stored exactly once. SQLite, then PostgreSQL.
#   bench/soak/run.sh                  # both backends
#   bench/soak/run.sh postgres         # one
#   VISITS=2000 TABLETS=20 bench/soak/run.sh sqlite
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18200}"
work="$(mktemp -d)"
server="" pg_dir=""
# shellcheck source=../common/server.sh
source "$repo/bench/common/server.sh"
cleanup() { stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

build_release
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example soak
soak="$repo/target/release/examples/soak"
echo "# $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for backend in ${@:-sqlite postgres}; do
  prepare_db "$backend"
  # The soak program starts, kills and restarts the server itself (its own child).
  (cd "$work" && "$soak" --bin "$bin" --addr "127.0.0.1:$port" \
    --tablets "${TABLETS:-50}" --visits "${VISITS:-10000}" --seed "${SEED:-1}") || status=1
  stop_postgres
  rm -f "$work"/bench.db*
done
exit $status
