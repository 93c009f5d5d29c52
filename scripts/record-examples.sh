#!/usr/bin/env bash
# Records the example traces in resources/examples/ with the built command line. They are the
# fixtures the tests read (scorecards, predicted schedules, draw lists and exports are pure
# functions of a trace), so re-record them only on purpose, and update the tests' expectations.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/default/bin/timeslice
out=resources/examples
"$bin" run --workload table-loading --model threads --scale 0.05 --trace "$out/table-loading-threads.json"
"$bin" run --workload table-loading --model processes --workers 2 --scale 0.05 --trace "$out/table-loading-processes.json"
"$bin" run --workload square-numbers --model threads --gil on --tasks 2 --iterations 30000000 --trace "$out/square-numbers-threads-gil.json"
"$bin" run --workload async-delay --model async --scale 0.05 --trace "$out/async-delay-async.json"
"$bin" run --workload mixed --model async --scale 0.05 --trace "$out/mixed-async.json"
"$bin" run --workload mixed --model threads --gil on --scale 0.05 --trace "$out/mixed-threads-gil.json"
