#!/usr/bin/env bash
# Desktop-app responsiveness (issue 6): how long the real app takes from launch to showing the
# merchant, to showing the planner grid, and how smoothly that grid scrolls, on a demo merchant
# of N SKUs (3 locations each). Drives the debug app (the build CI makes; a release build is
# faster) through WebKitWebDriver under Xvfb, as the end-to-end suite does. Prints one line per
# run and the medians.
#
#   bench/app-open.sh [SKUS] [RUNS]      # defaults: 800 SKUs, 5 runs
#   bench/app-open.sh 7000 5             # ~20,000 planner rows
#
# Under Xvfb, WebKitGTK composites with software GL (llvmpipe), which makes every scrolled frame
# cost ~250 ms here (idle frames stay at 16 ms); a desktop with a GPU does not pay that.
# WEBKIT_DISABLE_COMPOSITING_MODE=1 (passed through the driver to the app) measures the page
# itself without that floor.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
skus="${1:-800}"
runs="${2:-5}"

if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$0" "$@"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  scripts/app.sh --build-only >/dev/null
  cargo build --quiet -p forestock-cli
fi
cli="$CARGO_TARGET_DIR/debug/forestock"
app="$CARGO_TARGET_DIR/debug/forestock-app"

work="$(mktemp -d -t forestock-bench-app.XXXXXX)"
driver_pid=""
cleanup() {
  if [ -n "$driver_pid" ]; then kill "$driver_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "merchant: forestock demo --skus $skus, then forestock plan (the app opens a planned merchant)"
"$cli" demo --db "$work/merchant.db" --skus "$skus" >/dev/null
"$cli" plan --db "$work/merchant.db" >/dev/null

port="$(( 5445 + RANDOM % 1000 ))"
export TAURI_WEBVIEW_AUTOMATION=true
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config"
WebKitWebDriver --port="$port" >"$work/driver.log" 2>&1 &
driver_pid=$!
node bench/app-open.mjs "http://127.0.0.1:$port" "$app" "$work/merchant.db" "$runs"
