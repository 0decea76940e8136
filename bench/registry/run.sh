#!/usr/bin/env bash
# Registry list at scale: fills a fresh database with N persons (default 100,000), serves it
# from a release build, signs in as the prosecutor and times the person list over HTTP (search,
# filters, sorting, deep pages), printing the median and 95th percentile of each URL.
#   bench/registry/run.sh                 # SQLite
#   bench/registry/run.sh --postgres      # PostgreSQL (a private server, scripts/postgres.sh)
#   PERSONS=20000 RUNS=50 bench/registry/run.sh
#   BENCH_BIN=/path/to/baqylau bench/registry/run.sh   # a binary already built
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
persons="${PERSONS:-100000}"
runs="${RUNS:-30}"
port="${PORT:-18090}"
work="$(mktemp -d)"
# PostgreSQL runs as the postgres user when we are root: it must reach its folder in here.
chmod 755 "$work"
cleanup() {
  # Only our own server: `kill 0` would signal the whole process group.
  if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi
  if [ -n "${pg:-}" ]; then "$repo/scripts/postgres.sh" stop "$work/pg"; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${BENCH_BIN:-}" ]; then
  bin="$BENCH_BIN"
else
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  bin="$repo/target/release/baqylau"
fi
if [ "${1:-}" = "--postgres" ]; then
  pg=yes
  export BAQYLAU_DATABASE_URL="$("$repo/scripts/postgres.sh" start "$work/pg")"
  backend=postgresql
else
  export BAQYLAU_DATABASE_URL="sqlite://$work/registry.db"
  backend=sqlite
fi
export BAQYLAU_SECRET_KEY_FILE="$work/secret.key" BAQYLAU_BIND="127.0.0.1:$port" BAQYLAU_LOG=warn
# The list is measured on the registry alone; the demo history is not needed here.
export BAQYLAU_DEMO_HISTORY=false
cd "$work"

started=$(date +%s.%N)
"$bin" demo-data --persons "$persons" >/dev/null
loaded=$(date +%s.%N)
if [ -n "${pg:-}" ]; then
  # What autovacuum does soon after a bulk load: statistics for the planner, the visibility map.
  psql -q "$BAQYLAU_DATABASE_URL" -c 'VACUUM ANALYZE' >/dev/null
fi
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

jar="$work/cookies"
token=$(curl -s -c "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf_token=$token&login=prosecutor&password=baqylau-demo&next=/" "http://127.0.0.1:$port/login"
# Into a variable first: `grep -q` stopping early would cut curl's pipe (pipefail).
first_page=$(curl -s -b "$jar" "http://127.0.0.1:$port/registry/persons")
grep -q 'td class="mono iin"' <<<"$first_page" || { echo "sign-in failed; server log:" >&2; cat "$work/server.log" >&2; exit 1; }

# The pager's own links (keyset cursors): the second page, and the page before the last.
html_href() { sed -n "s/.*rel=\"$1\" href=\"\([^\"]*\)\".*/\1/p" | head -n 1 | sed 's/&amp;/\&/g; s/&quot;/"/g; s/&#34;/"/g'; }
second=$(html_href next <<<"$first_page")
last_page=$(curl -s -b "$jar" "http://127.0.0.1:$port/registry/persons?last=1")
before_last=$(html_href prev <<<"$last_page")
filtered=$(curl -s -b "$jar" "http://127.0.0.1:$port/registry/persons?tier=medium&kind=probation&sort=district&last=1")
filtered_prev=$(html_href prev <<<"$filtered")
urls=(
  "/registry/persons"
  "$second"
  "/registry/persons?last=1"
  "$before_last"
  "/registry/persons?q=%D0%B0%D1%85%D0%BC%D0%B5%D1%82"
  "/registry/persons?q=akhmet"
  "/registry/persons?q=0412"
  "/registry/persons?tier=high&status=active"
  "/registry/persons?tier=medium&kind=probation&sort=district&last=1"
  "$filtered_prev"
  "/registry/persons?q=%D1%83%D0%BB.&sort=tier"
  "/registry/persons?sort=updated"
)
echo "load: $(uptime)"
printf '%s, %s persons (loaded in %.1f s), %s runs per URL\n' "$backend" "$persons" "$(awk "BEGIN {print $loaded - $started}")" "$runs"
printf '%-72s %9s %9s\n' "URL" "median ms" "p95 ms"
for url in "${urls[@]}"; do
  # curl must send the cursor's quotes and braces escaped (--globoff keeps the braces literal).
  times=$(for _ in $(seq "$runs"); do curl -s -g -b "$jar" -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port$url"; done | sort -n)
  median=$(echo "$times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]*1000}')
  p95=$(echo "$times" | awk '{a[NR]=$1} END {i=int(NR*0.95); if (i<1) i=1; print a[i]*1000}')
  # A cursor's JSON is long: the first 72 characters name the link well enough.
  printf '%-72s %9.1f %9.1f\n' "${url:0:72}" "$median" "$p95"
done
