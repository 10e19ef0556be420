#!/usr/bin/env bash
# Build the debug app with the embedded UI and run the end-to-end suite against it through
# WebKitWebDriver. Called by the project's test script inside xvfb-run + dbus-run-session; run
# alone, it starts them itself. Screenshots land in assets/screenshots/.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ -z "${DISPLAY:-}" ]; then
  # The connect test saves a real secret: give the session a throwaway, unlocked keyring.
  keyring_home="$(mktemp -d -t forestock-e2e-keyring.XXXXXX)"
  status=0
  XDG_DATA_HOME="$keyring_home" xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
    bash -c 'echo -n forestock-e2e | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" "$@"' \
    "$0" "$@" || status=$?
  rm -rf "$keyring_home"
  exit "$status"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
if [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  scripts/app.sh --build-only
fi
cli="$CARGO_TARGET_DIR/debug/forestock"
# The suite starts the store simulator through the CLI.
if [ "${E2E_SKIP_BUILD:-0}" != 1 ] || [ ! -x "$cli" ]; then
  cargo build -p forestock-cli
fi
export FORESTOCK_CLI="$cli"
app="$CARGO_TARGET_DIR/debug/forestock-app"
[ -x "$app" ] || { echo "e2e: $app is missing; build it first" >&2; exit 1; }

work="$(mktemp -d -t forestock-e2e.XXXXXX)"
driver_pid=""
cleanup() {
  if [ -n "$driver_pid" ]; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  # The app's web view can still write to its data folder for a moment after the session ends;
  # a failed cleanup must not turn a passing run into a failure.
  for _ in 1 2 3 4 5; do
    rm -rf "$work" 2>/dev/null && return 0
    sleep 1
  done
  echo "e2e: could not remove $work" >&2
}
trap cleanup EXIT INT TERM

port="${E2E_PORT:-$(( 4445 + RANDOM % 1000 ))}"
# The app refuses WebDriver control unless this is set; the driver passes its env to the app.
export TAURI_WEBVIEW_AUTOMATION=true
# Keep the app's own data (keychain fallbacks, settings) inside the throwaway folder.
export XDG_DATA_HOME="$work/xdg-data" XDG_CONFIG_HOME="$work/xdg-config"
# The recent-merchants list starts empty here, so a session without --db is a first run.
export FORESTOCK_CONFIG_DIR="$work/config"
# Exported PO CSVs land here; the suite reads them back.
export FORESTOCK_EXPORT_DIR="$work/exports"
WebKitWebDriver --port="$port" >"$work/driver.log" 2>&1 &
driver_pid=$!

status=0
node tests/e2e/suite.mjs "http://127.0.0.1:$port" "$app" "$work" "$root/assets/screenshots" || status=$?
if [ "$status" != 0 ]; then
  echo "--- WebKitWebDriver log ---" >&2
  tail -n 50 "$work/driver.log" >&2 || true
fi
exit "$status"
