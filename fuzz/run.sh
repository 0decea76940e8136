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
  if ! cargo +nightly fuzz run --sanitizer "${FUZZ_SANITIZER:-none}" "$target" "corpus/$target" -- -max_total_time="$seconds" -max_len=65536 2>&1 \
      | grep -E '^(#[0-9]+ +DONE|Done|==[0-9]+==|SUMMARY|thread .* panicked|artifact_prefix|Test unit written)' ; then
    true
  fi
  if ls "artifacts/$target"/crash-* >/dev/null 2>&1; then
    echo "!! $target crashed: see fuzz/artifacts/$target/"
    status=1
  fi
done
exit $status
