#!/usr/bin/env bash
# One command for the VRPTW benchmark: sets up the peers (PyPI) in bench/vrptw/.venv, builds our
# solver in release mode, runs everything. Options go to run.py (see --help), e.g.
#   bench/vrptw/run.sh --seconds 10 C101 R101 RC101
#   bench/vrptw/run.sh --seconds 10 --homberger          # all 56 Solomon + six 200-customer
#   bench/vrptw/run.sh --seconds 10 --solvers ours,pyvrp --asymmetric   # asymmetric variants
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install -q 'pyvrp==0.14.*' 'pyvroom==1.15.*' 'ortools==9.15.*'
if [ -z "${BAQYLAU_VRPTW:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  BAQYLAU_VRPTW="$repo/target/release/baqylau vrptw"
fi
# The asymmetric variants go to our solver as routing::Problem JSON, through this example.
if [ -z "${BAQYLAU_VRPTW_JSON:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --example vrptw_json
  BAQYLAU_VRPTW_JSON="$repo/target/release/examples/vrptw_json"
fi
exec "$here/.venv/bin/python" "$here/run.py" --ours "$BAQYLAU_VRPTW" \
  --ours-json "$BAQYLAU_VRPTW_JSON" "$@"
