#!/usr/bin/env bash
# The plan page at full size (issue 16, item 8): the demo region, a plan of the new-plan form's
# default (5 days from tomorrow, all groups), then the weight of every kind of plan page (the
# summary, the biggest route, the first left-out page) and its time to interactive in headless
# Chromium (domInteractive and load, from the Navigation Timing of the page, 5 runs each).
#   bench/plan_page/run.sh
#   BENCH_BIN=target/debug/baqylau bench/plan_page/run.sh   # a binary already built
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18094}"
driver_port="${DRIVER_PORT:-18095}"
work="$(mktemp -d)"
cleanup() {
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi
  if [ -n "${driver:-}" ]; then kill "$driver" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
source "$repo/bench/common/server.sh"
build_release
export BAQYLAU_DATABASE_URL="sqlite://$work/bench.db"
export BAQYLAU_SECRET_KEY_FILE="$work/secret.key" BAQYLAU_BIND="127.0.0.1:$port" BAQYLAU_LOG=warn
export BAQYLAU_DEMO_HISTORY=false
cd "$work"
"$bin" demo-data >"$work/demo.log" 2>&1
from=$(TZ=Asia/Almaty date -d tomorrow +%F)
"$bin" plan --from "$from" --days 5 >>"$work/demo.log" 2>&1
start_server
chromedriver --port="$driver_port" >"$work/driver.log" 2>&1 &
driver=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$driver_port/status" >/dev/null && break; sleep 0.1; done
python3 "$repo/bench/plan_page/measure.py" "http://127.0.0.1:$port" "http://127.0.0.1:$driver_port" "$work"
