#!/usr/bin/env bash
# The reports benchmark: makes a database per size (`baqylau demo-data --persons N` without the
# planner's history, then five years of synthetic history: history.sql in the sqlite3 shell, or
# history.pg.sql in psql) and runs `reports_bench` on each.
#   bench/reports/run.sh                                # SQLite, 1,500 and 100,000 persons
#   PERSONS=1500 bench/reports/run.sh                   # the demo region only
#   BACKEND=postgres PERSONS=100000 bench/reports/run.sh
# SQLite: the databases are kept in $OUT and reused. PostgreSQL: a private server
# (scripts/postgres.sh) in $OUT/pg, one database per size, kept and reused while $OUT/pg is; the
# server is stopped at the end. REPORTS_ARGS are passed on to reports_bench (e.g. "--runs 3").
set -euo pipefail
cd "$(dirname "$0")/../.."
BACKEND=${BACKEND:-sqlite}
OUT=${OUT:-/tmp/baqylau-reports-bench}
PERSONS=${PERSONS:-"1500 100000"}
TODAY=${TODAY:-$(date -u +%F)}
START=$(date -u -d "$TODAY -5 years" +%F)
RECENT=$(date -u -d "$TODAY -1 year" +%F)
mkdir -p "$OUT"
cargo build --release --bin baqylau --example reports_bench
history() {
    sed -e "s/@START@/$START/g" -e "s/@END@/$TODAY/g" -e "s/@RECENT@/$RECENT/g" "bench/reports/$1"
}
case "$BACKEND" in
    sqlite) chmod 700 "$OUT" ;; # the SQLite files hold (made-up) personal data
    postgres)
        server=$(scripts/postgres.sh start "$OUT/pg")
        trap 'scripts/postgres.sh stop "$OUT/pg"' EXIT
        base=${server%/*}
        ;;
    *)
        echo "BACKEND is sqlite or postgres" >&2
        exit 2
        ;;
esac
for n in $PERSONS; do
    if [ "$BACKEND" = postgres ]; then
        db="$base/demo_$n"
        fresh=
        if [ -z "$(psql -X "$base/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'demo_$n'")" ]; then
            psql -X -q "$base/postgres" -c "CREATE DATABASE demo_$n"
            fresh=yes
        fi
    else
        db="$OUT/demo-$n.db"
        fresh=
        [ -f "$db" ] || fresh=yes
    fi
    if [ -n "$fresh" ]; then
        echo "== making $db"
        url=$db
        [ "$BACKEND" = postgres ] || url="sqlite://$db"
        start=$(date +%s)
        BAQYLAU_DATABASE_URL="$url" BAQYLAU_DEMO_HISTORY=false BAQYLAU_LOG=warn \
            target/release/baqylau demo-data --persons "$n"
        echo "demo-data: $(( $(date +%s) - start )) s"
        start=$(date +%s)
        if [ "$BACKEND" = postgres ]; then
            history history.pg.sql | psql -X -q -v ON_ERROR_STOP=1 "$db"
        else
            history history.sql | sqlite3 -bail "$db"
        fi
        echo "history: $(( $(date +%s) - start )) s"
    fi
    echo "== $n persons ($BACKEND), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    # shellcheck disable=SC2086
    target/release/examples/reports_bench --db "$db" --today "$TODAY" ${REPORTS_ARGS:-}
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
