#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, one per parser of outside input) with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs each for a bounded time over a
# COPY of its seed corpus (tests/fuzz/corpus/<name>/): the repository never changes.
# Exits non-zero if any target crashes, leaks, hangs or breaks an invariant, printing the
# reproducer (rerun it with: build-fuzz/tests/fuzz/<name>_fuzz <reproducer>).
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 20; build dir: $CASEREVIEW_FUZZ_BUILD
# or build-fuzz)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
build=${CASEREVIEW_FUZZ_BUILD:-"$root/build-fuzz"}

"$root/scripts/install-deps.sh"
# ccache: paths relative to the checkout, so a fresh clone elsewhere (CI) reuses the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DCASEREVIEW_FUZZ=ON -DCASEREVIEW_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target casereview_fuzzers

# The longest input worth trying, per target (the seeds fit; bigger inputs only slow a run).
max_len() {
  case "$1" in
    scenario) echo 20000 ;;
    bank_holidays | policy_profile | board_json | event_fields) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/casereview-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"  # reproducers outlive the run
mkdir -p "$artifacts"
failed=()
for source in "$root"/tests/fuzz/*_fuzz.cpp; do
  name=$(basename "$source" _fuzz.cpp)
  cp -r "$root/tests/fuzz/corpus/$name" "$work/$name"
  log="$build/fuzz-$name.log"
  # A target's dictionary (tests/fuzz/corpus/NAME.dict), if it has one: tokens that reach
  # deeper code sooner, e.g. '[' and '{' for bodies nested past the parser's limit.
  dict=()
  [ -f "$root/tests/fuzz/corpus/$name.dict" ] && dict=(-dict="$root/tests/fuzz/corpus/$name.dict")
  if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/${name}_fuzz" "$work/$name" "${dict[@]}" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    echo "fuzz $name: ok, ${runs:-?} inputs in ${seconds}s (${rate:-?}/s)"
  else
    echo "fuzz $name: FAILED (log: $log)" >&2
    grep -E "ERROR: |runtime error|fuzz invariant|SUMMARY" "$log" | head -5 >&2 || true
    sed -n 's/.*Test unit written to \(.*\)/  reproducer: \1/p' "$log" >&2
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds}s without a crash"
