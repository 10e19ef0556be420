#!/usr/bin/env bash
# Install what Forestock needs and is missing, on Debian or Ubuntu. Safe to run again: it only
# installs what is not there yet.
#   scripts/setup.sh app    what building and running the desktop app needs
#   scripts/setup.sh test   that, plus what the test suite needs (Xvfb, WebDriver, keyring, …)
set -euo pipefail
mode="${1:-test}"
root="$(cd "$(dirname "$0")/.." && pwd)"

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi

# Debian packages. App: WebKitGTK and friends for Tauri; fontconfig + DejaVu for chart text.
pkgs=(build-essential pkg-config libssl-dev libdbus-1-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev libxdo-dev patchelf
  libfontconfig1-dev fonts-dejavu-core nodejs npm dbus dbus-x11 gnome-keyring)
if [ "$mode" = test ]; then
  pkgs+=(webkit2gtk-driver xvfb xauth keyutils imagemagick sqlite3)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# A Node.js that did not come from Debian (e.g. /usr/local) is fine as long as it is 20 or newer.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
  done
  missing=(${filtered[@]+"${filtered[@]}"})
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is needed for the UI build (found ${node_major}); install it and run again" >&2
  exit 1
fi

# Rust tools.
if [ "$mode" = test ] && ! cargo nextest --version >/dev/null 2>&1; then
  cargo install cargo-nextest --locked
fi

# Builds go outside the clone so repeated runs reuse them.
target="${CARGO_TARGET_DIR:-/var/cache/forestock/target}"
if ! mkdir -p "$target" 2>/dev/null; then
  "${sudo_cmd[@]}" mkdir -p "$target"
  "${sudo_cmd[@]}" chown "$(id -u):$(id -g)" "$target"
fi

# UI dependencies, exactly as package-lock.json pins them (only when the lock changed).
if [ ! -d "$root/ui/node_modules" ] || [ "$root/ui/package-lock.json" -nt "$root/ui/node_modules/.package-lock.json" ]; then
  (cd "$root/ui" && npm ci --no-audit --no-fund)
fi
