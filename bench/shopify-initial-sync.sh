#!/usr/bin/env bash
# Benchmark: the initial Shopify sync of a large merchant (default 20,000 SKUs, 24 months of
# orders) against the loopback Shopify simulator, through the real CLI flow:
#   forestock demo -> forestock sim -> forestock connect shopify -> forestock sync
# Prints the sync's wall time, CPU time and peak RSS (/usr/bin/time), HTTP requests, throttled
# waits and what was copied. Not a test: it takes a while.
#
# Usage: bench/shopify-initial-sync.sh [SKUS] [WORKDIR]
#   FORESTOCK_BIN   the forestock binary (default: build it with --profile bench-fast)
#   RESTORE_RATE    not used by the CLI; the simulator runs with its defaults (2000-point
#                   bucket, 100 points/s: Shopify's Standard plan)
# The token goes to the kernel keyutils keychain in a fresh session keyring (`keyctl`, from
# the keyutils package); set FORESTOCK_KEYCHAIN=secret-service to use a running Secret Service.
set -euo pipefail

SKUS=${1:-20000}
WORK=${2:-$(mktemp -d -t forestock-bench-XXXXXX)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if [[ -z "${FORESTOCK_BIN:-}" ]]; then
    (cd "$ROOT" && cargo build --profile bench-fast -p forestock-cli --bin forestock >&2)
    FORESTOCK_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/bench-fast/forestock"
fi
F=$FORESTOCK_BIN
mkdir -p "$WORK"
echo "workdir: $WORK" >&2

if [[ ! -f "$WORK/source.db" ]]; then
    echo "generating a $SKUS-SKU demo merchant…" >&2
    /usr/bin/time -f "demo: %e s, %M KB max RSS" "$F" demo --db "$WORK/source.db" --skus "$SKUS" >&2
fi
"$F" info --db "$WORK/source.db" --format json > "$WORK/source-info.json" 2>/dev/null || "$F" info --db "$WORK/source.db" > "$WORK/source-info.txt"

"$F" sim --db "$WORK/source.db" --platform shopify --format json > "$WORK/sim.json" 2> "$WORK/sim.err" &
SIM=$!
# SIGINT: the simulator shuts down cleanly and removes its bulk files (GBs at 20,000 SKUs).
trap 'kill -INT $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    [[ -s "$WORK/sim.json" ]] && break
    sleep 0.5
done
URL=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["shopify"]["url"])' "$WORK/sim.json")
TOKEN=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["shopify"]["token"])' "$WORK/sim.json")
rm -f "$WORK/target.db" "$WORK/target.db-wal" "$WORK/target.db-shm"

run() {
    set -euo pipefail
    echo "$TOKEN" | "$F" connect shopify --db "$WORK/target.db" --url "$URL" >&2
    /usr/bin/time -f "sync: %e s wall, %U s user, %M KB max RSS" \
        "$F" sync --db "$WORK/target.db" --format json --quiet > "$WORK/sync.json"
    "$F" connect remove --db "$WORK/target.db" 1 >&2
}
export -f run
export F WORK URL TOKEN
# The kernel keyutils backend in a fresh session keyring: no daemon, no prompt.
export FORESTOCK_KEYCHAIN=${FORESTOCK_KEYCHAIN:-keyutils}
if [[ "$FORESTOCK_KEYCHAIN" == keyutils ]]; then
    keyctl session - bash -c run
else
    run
fi

python3 - "$WORK/sync.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))[0]
rep = r.get("report", {})
print(json.dumps({"ok": r["ok"], "seconds": round(rep.get("seconds", 0), 1),
                  "requests": rep.get("requests"), "throttled_waits": rep.get("throttled_waits"),
                  "throttled_seconds": round(rep.get("throttled_seconds", 0), 1),
                  "orders": rep.get("orders"),
                  "variants": rep.get("variants"), "inventory_levels": rep.get("inventory_levels"),
                  "locations": rep.get("locations"), "error": r.get("error")}, indent=2))
PY
"$F" info --db "$WORK/target.db" >&2
