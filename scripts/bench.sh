#!/bin/sh
# Builds the benchmarks (the default preset) and runs the rows of docs/performance.md's decided
# goals, writing that table: scripts/bench.py says how. Arguments go to bench.py
# (--reps N, --only ID,..., --list, --no-write). About 15 minutes on 2 cores with the defaults.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f build/default/CMakeCache.txt ]; then
    cmake --preset default
fi
cmake --build --preset default --target bench_core bench_ui bench_scale
exec python3 scripts/bench.py "$@"
