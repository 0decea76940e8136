#!/usr/bin/env bash
# The test command: installs what the tests need when missing (scripts/needs.sh: PostgreSQL,
# Chromium, ChromeDriver), runs the whole suite on SQLite (unit, HTTP, command-line and browser
# tests), then the HTTP tests again on PostgreSQL (a private server started by scripts/postgres.sh
# unless TEST_DATABASE_URL names one). A missing PostgreSQL or browser is a failure, never a skip.
# Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/needs.sh
scripts/browser.sh --check >/dev/null

echo "== tests on SQLite"
env -u TEST_DATABASE_URL cargo test --locked "$@"

echo "== integration tests on PostgreSQL"
started=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$(scripts/postgres.sh start)"
  started=yes
fi
export TEST_DATABASE_URL
trap '[ -n "$started" ] && scripts/postgres.sh stop' EXIT
# The browser test uses SQLite whatever the backend (it drives the field app, not storage).
cargo test --locked --test app "$@"
