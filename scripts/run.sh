#!/usr/bin/env bash
# Installs what Timeslice needs (Debian 12, as root), builds it and starts the window.
# Arguments are passed to timeslice: scripts/run.sh run --workload table-loading --model async
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default
exec ./build/default/bin/timeslice "$@"
