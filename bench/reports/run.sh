#!/usr/bin/env bash
# The reports benchmark: makes a SQLite database per size (`baqylau demo-data --persons N`
# without the planner's history, then five years of synthetic history from history.sql in the
# sqlite3 shell) and runs `reports_bench` on each. Databases are kept in $OUT and reused.
#   bench/reports/run.sh                  # 1,500 and 100,000 persons
#   PERSONS=1500 bench/reports/run.sh     # the demo region only
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/baqylau-reports-bench}
PERSONS=${PERSONS:-"1500 100000"}
TODAY=${TODAY:-$(date -u +%F)}
START=$(date -u -d "$TODAY -5 years" +%F)
RECENT=$(date -u -d "$TODAY -1 year" +%F)
mkdir -p "$OUT"
cargo build --release --bin baqylau --example reports_bench
for n in $PERSONS; do
    db="$OUT/demo-$n.db"
    if [ ! -f "$db" ]; then
        echo "== making $db"
        start=$(date +%s)
        BAQYLAU_DATABASE_URL="sqlite://$db" BAQYLAU_DEMO_HISTORY=false BAQYLAU_LOG=warn \
            target/release/baqylau demo-data --persons "$n"
        echo "demo-data: $(( $(date +%s) - start )) s"
        start=$(date +%s)
        sed -e "s/@START@/$START/g" -e "s/@END@/$TODAY/g" -e "s/@RECENT@/$RECENT/g" \
            bench/reports/history.sql | sqlite3 -bail "$db"
        echo "history: $(( $(date +%s) - start )) s, $(du -h "$db" | cut -f1)"
    fi
    echo "== $n persons"
    target/release/examples/reports_bench --db "$db" --today "$TODAY"
done
