#!/usr/bin/env bash
# Takes a screenshot of the real window after a run, under Xvfb, for the README.
#   scripts/screenshot.sh OUT.png WORKLOAD MODEL [SCALE] [GIL true|false] [KEY] [ITERATIONS]
# KEY is what to press once the window is up: ctrl+r runs (the default), ctrl+shift+r compares,
# ctrl+shift+a opens "What to use?". WORKERS=N sets the pool size, TASKS=N the square-numbers
# tasks, KERNEL=auto|exact|sampled|off where the kernel's view comes from.
# Needs a build (scripts/run.sh or cmake --build --preset default); installs xdotool and
# ImageMagick if missing (Debian 12, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/screenshot.sh OUT.png WORKLOAD MODEL [SCALE] [GIL]}
workload=${2:-mixed}
model=${3:-threads}
scale=${4:-0.2}
gil=${5:-true}
key=${6:-ctrl+r}
iterations=${7:-}
need=()
command -v xdotool >/dev/null || need+=(xdotool)
[ -x /usr/bin/import ] || need+=(imagemagick)
command -v xvfb-run >/dev/null || need+=(xvfb xauth)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/Timeslice"
cat > "$config/Timeslice/Timeslice.conf" <<CONF
[run]
workload=$workload
model=$model
scale=$scale
gil=$gil
iterations=$iterations
workers=${WORKERS:-0}
tasks=${TASKS:-0}
kernel=${KERNEL:-auto}
[window]
CONF
export XDG_CONFIG_HOME=$config
xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
  ./build/default/bin/timeslice &
  app=$!
  for i in $(seq 50); do xdotool search --name "^Timeslice$" >/dev/null 2>&1 && break; sleep 0.2; done
  win=$(xdotool search --name "^Timeslice$" | head -1)
  xdotool windowsize "$win" 1440 900 windowmove "$win" 0 0
  sleep 1
  xdotool windowfocus --sync "$win" 2>/dev/null || true
  xdotool key '"$key"'
  # A window that opened meanwhile (compare mode) gets the full screen too.
  sleep 1
  for w in $(xdotool search --name "^Timeslice — " 2>/dev/null); do xdotool windowsize "$w" 1440 900 windowmove "$w" 0 0; done
  sleep "${SCREENSHOT_WAIT:-4}"
  /usr/bin/import -window root "'"$out"'"
  kill $app
'
echo "screenshot: $out"
