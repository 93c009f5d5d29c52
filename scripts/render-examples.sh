#!/usr/bin/env bash
# Renders every example trace (resources/examples/, tests/fixtures/) as PNG and SVG, with and
# without hand-over arrows, into OUT; with BEFORE, compares each image with the one of the same
# name there, byte for byte, and fails on any difference. A change that should not alter what is
# drawn (a refactoring) is checked this way:
#   scripts/render-examples.sh /tmp/before            # on the old commit
#   scripts/render-examples.sh /tmp/after /tmp/before # on the new one
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/render-examples.sh OUT [BEFORE]}
before=${2:-}
bin=${TIMESLICE:-build/default/bin/timeslice}
mkdir -p "$out"
for trace in resources/examples/*.json tests/fixtures/*.json; do
  name=$(basename "$trace" .json)
  for ext in png svg; do
    "$bin" render "$trace" --image "$out/$name.$ext" >/dev/null 2>&1
  done
  "$bin" render "$trace" --image "$out/$name-arrows.png" --hand-overs on >/dev/null 2>&1
done
if [ -n "$before" ]; then
  differ=0
  for f in "$out"/*; do
    if ! cmp -s "$f" "$before/$(basename "$f")"; then
      echo "differs: $(basename "$f")" >&2
      differ=1
    fi
  done
  [ $differ -eq 0 ] && echo "render-examples: all $(ls "$out" | wc -l) images identical to $before"
  exit $differ
fi
