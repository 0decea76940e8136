#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (default 60 s) with cargo fuzz on the nightly
# toolchain. A crash leaves its input under fuzz/artifacts/TARGET/ and fails the script.
#   fuzz/run.sh              # every target, 60 s each
#   FUZZ_SECONDS=600 fuzz/run.sh iin
# Needs: rustup toolchain nightly, cargo install cargo-fuzz.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
targets=("${@:-persons_csv offences_csv visit_json iin}")
status=0
for target in ${targets[@]}; do
  mkdir -p "corpus/$target"
  # Seeds: one good input of each kind (fuzz/seeds/), from which the fuzzer mutates.
  cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
  echo "== $target, $seconds s"
  # No sanitizer: the app forbids unsafe code and these targets reach no C; a panic is the bug.
  log="$(mktemp)"
  if ! cargo +nightly fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "$target" "corpus/$target" \
      -- -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 >"$log" 2>&1; then
    echo "!! $target failed (a crash leaves its input under fuzz/artifacts/$target/):"
    grep -v '^ ' "$log" | tail -n 25
    status=1
  else
    grep -E '^(Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$log" || tail -n 5 "$log"
  fi
  rm -f "$log"
done
exit $status
