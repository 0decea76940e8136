#!/usr/bin/env bash
# The roads benchmark (issue 17): import, one route and a 250-point matrix on the demo network,
# on Helsinki and on a synthetic region-sized grid (GRID x GRID junctions), then the demo's first
# start (`demo-data` on an empty SQLite database, without the planner's history) with its roads.
#   bench/roads/run.sh              # grid 400 x 400 (160,000 junctions)
#   GRID=600 bench/roads/run.sh     # 360,000 junctions
set -euo pipefail
cd "$(dirname "$0")/../.."
GRID=${GRID:-400}
cargo build --release --bin baqylau --example roads_bench
target/release/examples/roads_bench --grid "$GRID"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
start=$(date +%s.%N)
BAQYLAU_DATABASE_URL="sqlite://$dir/b.db" BAQYLAU_DEMO_HISTORY=false BAQYLAU_LOG=warn \
    target/release/baqylau demo-data
end=$(date +%s.%N)
echo "demo first start (demo-data, 1,500 persons, with roads): $(echo "$end - $start" | bc) s"
BAQYLAU_DATABASE_URL="sqlite://$dir/b.db" BAQYLAU_LOG=warn target/release/baqylau roads info
# A plan end to end (`baqylau plan`, one day, every group, a 2 s optimiser limit) on the roads,
# then on a copy of the database without its network (the great-circle estimate).
plan() { /usr/bin/time -f "$1: %e s wall" target/release/baqylau plan --days 1 --seconds 2 --seed 5; }
BAQYLAU_DATABASE_URL="sqlite://$dir/b.db" BAQYLAU_LOG=warn plan "plan with roads"
cp "$dir/b.db" "$dir/gc.db"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM road_networks'); c.commit()" "$dir/gc.db"
BAQYLAU_DATABASE_URL="sqlite://$dir/gc.db" BAQYLAU_LOG=warn plan "plan by great circle"
