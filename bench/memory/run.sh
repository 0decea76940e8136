#!/usr/bin/env bash
# The server's resident memory at each step of a short, ordinary day (issue 18, target 3): idle,
# an officer's route page, fifty more, the coverage report, ten at once, five sign-ins in a row,
# twenty at once, and 3 s later. A peer for the allocator: the same steps with glibc told to keep
# its mmap threshold fixed (MALLOC_MMAP_THRESHOLD_), which is what a sign-in's 19 MiB needed.
#   bench/memory/run.sh                  # builds the release binary, makes a demo database once
#   BIN=target/release/baqylau DB=/tmp/x.db bench/memory/run.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
port="${PORT:-18200}"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
bin="${BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin baqylau
  bin="$repo/target/release/baqylau"
fi
db="${DB:-$repo/target/bench-memory.db}"
export BAQYLAU_DATABASE_URL="sqlite://$db" BAQYLAU_SECRET_KEY_FILE="$work/secret.key" \
  BAQYLAU_BIND="127.0.0.1:$port" BAQYLAU_LOG=warn
[ -f "$db" ] || "$bin" demo-data >/dev/null
url="http://127.0.0.1:$port"
rss() { awk -v what="$1" '/VmRSS/ {r=$2} /VmHWM/ {h=$2} END {printf "| %s | %.0f | %.0f |\n", what, r/1024, h/1024}' "/proc/$pid/status"; }
sign_in() {
  local jar="$work/jar.$1" token
  token=$(curl -s -c "$jar" -b "$jar" "$url/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//') || true
  curl -s -o /dev/null -c "$jar" -b "$jar" --data "csrf_token=$token&login=$1&password=baqylau-demo&next=%2F" "$url/login"
}
run() {
  echo "$1"; echo; echo "| step | resident MB | peak MB |"; echo "|---|---:|---:|"
  shift
  rm -f "$work"/jar.*
  env "$@" "$bin" serve >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done
  rss "idle"
  sign_in officer01; curl -s -o /dev/null -b "$work/jar.officer01" "$url/field/today"
  rss "one sign-in and the route page"
  for _ in $(seq 50); do curl -s -o /dev/null -b "$work/jar.officer01" "$url/field/today"; done
  rss "50 more route pages"
  sign_in supervisor; curl -s -o /dev/null -b "$work/jar.supervisor" "$url/reports/coverage"
  rss "the coverage report"
  local pids=()
  for _ in $(seq 10); do curl -s -o /dev/null -b "$work/jar.supervisor" "$url/reports/coverage" & pids+=($!); done
  wait "${pids[@]}"
  rss "10 coverage reports at once"
  for i in 2 3 4 5 6; do sign_in "officer0$i"; done
  rss "5 sign-ins in a row"
  pids=()
  for i in $(seq 20); do sign_in "officer$(printf %02d $((i % 24 + 1)))" & pids+=($!); done
  wait "${pids[@]}"
  rss "20 sign-ins at once"
  sleep 3
  rss "3 s later"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  echo
}
echo "# $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $bin"
run "As built:" NOTHING=
run "Peer: glibc's mmap threshold fixed at 128 KiB:" MALLOC_MMAP_THRESHOLD_=131072
