#!/usr/bin/env bash
# Builds casereview in Release and runs every benchmark, one line per figure
# (docs/performance.md). Usage: scripts/bench.sh [--quick] [casereview_bench options...]
#   --quick   tiny sizes, a smoke run of a few seconds
# The cold-start store (figure 3, 10 national years) is generated once into
# build-bench/bench-cache and reused; delete that directory to make it again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-bench"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASEREVIEW_BUILD_TESTS=OFF >/dev/null
# MSM translation units take ~1 GiB each to compile; 2 jobs fit on the smallest machine.
cmake --build "$build" -j 2 --target casereview_bench casereview
cd "$build"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$build/bench/casereview_bench" --work-dir "$build/bench-work" --cache-dir "$build/bench-cache" "$@"
# Figure 5: the server under wrk (the line above says "not measured" for it).
reviews=10000
for a in "$@"; do [ "$a" = "--quick" ] && reviews=300; done
python3 "$root/bench/http_bench.py" --casereview "$build/app/casereview" --examples "$root/examples" \
  --reviews "$reviews" --seconds "$([ "$reviews" = 300 ] && echo 3 || echo 10)"
