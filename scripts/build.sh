#!/usr/bin/env bash
# Configures and builds casereview into a build directory.
# Usage: scripts/build.sh [BUILD_DIR] [extra cmake args...]   (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$root/build"}
shift || true
"$root/scripts/install-deps.sh"
# ccache: paths relative to the checkout, so a fresh clone elsewhere (CI) reuses the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
jobs=$(nproc)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
# MSM translation units take ~1 GiB each to compile; 2 jobs fit on the smallest machine.
cmake --build "$build" -j "$jobs"
