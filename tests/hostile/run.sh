#!/usr/bin/env bash
# Hostile runs: replay bad inputs against the release `forestock` CLI and the loopback
# simulators, and print per case the exit code, whether anything was written, and at the end
# how many bytes of the secrets used were found in databases, logs, exports and events.
#   tests/hostile/run.sh            build the release CLI, then run every case
#   FORESTOCK=path tests/hostile/run.sh   use that binary instead of building
# The cases are in tests/hostile/cases/*.sh; tests/hostile/lib.sh explains how to add one.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

# Connecting stores saves real secrets: run in a private D-Bus session with a throwaway,
# unlocked keyring unless one is already given.
if [ -z "${HOSTILE_IN_SESSION:-}" ]; then
  keyring_home="$(mktemp -d -t forestock-hostile-keyring.XXXXXX)"
  status=0
  HOSTILE_IN_SESSION=1 XDG_DATA_HOME="$keyring_home" dbus-run-session -- \
    bash -c 'echo -n forestock-hostile | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$0" "$@"' \
    "$0" "$@" || status=$?
  rm -rf "$keyring_home"
  exit "$status"
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
if [ -z "${FORESTOCK:-}" ]; then
  cargo build --release --locked -p forestock-cli >&2
  FORESTOCK="$CARGO_TARGET_DIR/release/forestock"
fi
FORESTOCK="$(realpath "$FORESTOCK")"
export FORESTOCK

HOSTILE_WORK="$(mktemp -d -t forestock-hostile.XXXXXX)"
export HOSTILE_WORK
mkdir -p "$HOSTILE_WORK/.logs" "$HOSTILE_WORK/events"
# shellcheck source=lib.sh
source tests/hostile/lib.sh
trap 'hostile_stop_sims; rm -rf "$HOSTILE_WORK"' EXIT

for f in tests/hostile/cases/*.sh; do
  [ -e "$f" ] || continue
  HOSTILE_ROWS+=("| **$(basename "$f" .sh)** | | | | | |")
  # shellcheck disable=SC1090
  source "$f"
  hostile_stop_sims
done

echo "| case | exit | expected | refused cleanly | written | message |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${HOSTILE_ROWS[@]+"${HOSTILE_ROWS[@]}"}"
echo
echo "cases tried: $HOSTILE_TRIED; refused cleanly (expected exit, no panic, nothing written): $HOSTILE_CLEAN"
echo "secret bytes found: $(hostile_secret_scan | head -1)"
hostile_secret_scan | tail -n +2
echo "binary: $FORESTOCK; machine: $(nproc) cores, $(uname -sr)"
