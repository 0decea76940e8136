# Shared by bench/load/run.sh and bench/soak/run.sh (sourced, not run): a demo database with
# today's routes published, and the release server started and stopped by its own pid.
# Expects: $repo, $work, $port; sets $bin, $backend, $server.

build_release() {
  if [ -n "${BENCH_BIN:-}" ]; then
    bin="$BENCH_BIN"
  else
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin baqylau "$@"
    bin="$repo/target/release/baqylau"
  fi
}

# prepare_db sqlite|postgres [history]: a fresh demo region (with its history since January 2025
# when "history" is given) and a plan for today, published, so every officer has a route.
prepare_db() {
  backend="$1"
  if [ "$backend" = postgres ]; then
    pg_dir="$work/pg"
    # The server runs as the postgres user: it must reach its folder inside ours.
    chmod 755 "$work"
    export BAQYLAU_DATABASE_URL="$("$repo/scripts/postgres.sh" start "$pg_dir")"
  else
    export BAQYLAU_DATABASE_URL="sqlite://$work/bench.db"
  fi
  export BAQYLAU_SECRET_KEY_FILE="$work/secret.key" BAQYLAU_BIND="127.0.0.1:$port" BAQYLAU_LOG=warn
  if [ "${2:-}" = history ]; then export BAQYLAU_DEMO_HISTORY=true; else export BAQYLAU_DEMO_HISTORY=false; fi
  local started=$SECONDS
  "$bin" demo-data >"$work/demo.log" 2>&1
  "$bin" plan --from "$(TZ=Asia/Almaty date +%F)" --days 1 --publish --seconds 2 >>"$work/demo.log" 2>&1
  echo "# $backend: demo region$( [ "${2:-}" = history ] && echo ' with its history') and today's plan made in $((SECONDS - started)) s"
}

start_server() {
  "$bin" serve >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  echo "the server did not start; its log:" >&2
  tail -n 30 "$work/server.log" >&2
  return 1
}

# stop_server [SIGNAL]: our own server only, by its pid (never `kill 0` or a name).
stop_server() {
  if [ -n "${server:-}" ]; then
    kill "-${1:-TERM}" "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}

stop_postgres() {
  if [ -n "${pg_dir:-}" ]; then "$repo/scripts/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true; pg_dir=""; fi
}
