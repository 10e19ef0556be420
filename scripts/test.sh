#!/usr/bin/env bash
# Install what is missing, then run every check and test: formatting, clippy, the Rust tests
# (against a real Secret Service keyring), the UI's type check and unit tests, and the
# end-to-end suite driving the real app under Xvfb. CI runs exactly this (.ci/run).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh test
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
# the global model (forestock-forecast feature `global`, off in the crates linking the engine)
cargo clippy -p forestock-forecast --features global --all-targets --locked -- -D warnings

step "UI: type check and unit tests"
(cd ui && npm run check && npm test)

# The Rust tests include `bindings_are_current` (src-tauri): the committed TypeScript bindings
# must match the Rust types.
# Everything below runs in a private D-Bus session with a throwaway, unlocked Secret Service
# keyring (tests store and delete real credentials) and a virtual display for the app.
step "Rust tests and end-to-end suite (Xvfb, D-Bus, gnome-keyring)"
keyring_home="$(mktemp -d -t forestock-keyring.XXXXXX)"
trap 'rm -rf "$keyring_home"' EXIT
XDG_DATA_HOME="$keyring_home" xvfb-run -a -s "-screen 0 1280x800x24" \
  dbus-run-session -- bash -c '
    set -euo pipefail
    echo -n forestock-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    cargo nextest run --workspace --locked --no-fail-fast
    cargo nextest run -p forestock-forecast --features global --locked --no-fail-fast
    tests/e2e/run.sh
  '
