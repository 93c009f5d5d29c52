#!/usr/bin/env bash
# Installs what Timeslice needs (Debian 12, as root), builds it and runs the whole test suite.
#   scripts/test.sh               the suite on the release build (a few minutes)
#   scripts/test.sh --sanitizers  the same suite under ASan+UBSan and under TSan
#   scripts/test.sh --all         both
set -euo pipefail
cd "$(dirname "$0")/.."
presets=(default)
case "${1:-}" in
  --sanitizers) presets=(asan tsan) ;;
  --all) presets=(default asan tsan) ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--sanitizers|--all]" >&2; exit 2 ;;
esac
./scripts/install-deps.sh
export QT_QPA_PLATFORM=offscreen
# Everything the suite needs was just installed: a test that finds a package missing (Python's
# distributed, say) fails rather than skipping, so CI names the next missing package itself.
export TIMESLICE_TESTS_NEED_ALL=1
for preset in "${presets[@]}"; do
  echo "== $preset: build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  echo "== $preset: test"
  # Two at a time: no test depends on how fast the machine is (each asserts orders, overlaps,
  # counts and lower bounds read from its own run), so a neighbour's load cannot fail it.
  ctest --preset "$preset" --parallel 2
done
