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
