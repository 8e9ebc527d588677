#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test; then builds
# again with AddressSanitizer and UndefinedBehaviorSanitizer and runs every test again; then
# fuzzes every parser of outside input for a bounded time (scripts/fuzz.sh).
# Exits non-zero if anything fails. `.ci/run` calls exactly this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "== build"
scripts/build.sh "$root/build"
echo "== tests"
ctest --test-dir "$root/build" --output-on-failure -j 2

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer"
scripts/build.sh "$root/build-sanitize" -DCASEREVIEW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build-sanitize" --output-on-failure -j 2
echo "== fuzz every parser of outside input (libFuzzer, bounded)"
scripts/fuzz.sh "${CASEREVIEW_FUZZ_SECONDS:-20}"
echo "== all tests passed (plain and sanitized builds, fuzzers)"
