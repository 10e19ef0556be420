#!/usr/bin/env bash
# Build the UI and the debug desktop app (UI embedded in the binary), then launch it on the
# merchant database: --db PATH / $FORESTOCK_DB (a new path gets the demo merchant), else the
# built-in demo merchant (`--demo`; made on first use). The app itself, started without either,
# opens the merchant opened last, and on first run offers the demo shop or setting up your own.
#   scripts/app.sh [--build-only] [--db PATH]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
# Install what is missing (Debian/Ubuntu packages, the UI's npm packages).
scripts/setup.sh app

build_only=0
args=()
for a in "$@"; do
  case "$a" in
    --build-only) build_only=1 ;;
    *) args+=("$a") ;;
  esac
done

# UI dependencies: install exactly what package-lock.json pins, once per lock change.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  (cd ui && npm ci --no-audit --no-fund)
fi
# What `tauri build --debug --no-bundle` does, spelled out (the Tauri CLI expects tauri.conf.json
# inside src-tauri/; ours sits at the top level, see ui/README.md): build the UI into ui/dist, then
# the app with `custom-protocol` so that UI is embedded in the binary instead of the dev server.
# Debug keeps the build to minutes instead of ~35 on two cores.
npm --prefix ui run build
cargo build -p forestock-app --features custom-protocol

[ "$build_only" = 1 ] && exit 0
# The README's first command opens the demo merchant: unless a database is named.
if [ ${#args[@]} -eq 0 ] && [ -z "${FORESTOCK_DB:-}" ]; then
  args=(--demo)
fi
exec "$CARGO_TARGET_DIR/debug/forestock-app" ${args[@]+"${args[@]}"}
