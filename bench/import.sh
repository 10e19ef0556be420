#!/usr/bin/env bash
# Import benchmark (issue 14): a generated file of 10 million order lines (2,000 SKUs x 20
# locations over two years, one row per order line with a time of day) imported into a new
# merchant with `forestock import history`: wall time, peak memory (/usr/bin/time -v) and rows
# per second. The file is generated into a temporary folder and removed afterwards.
#
#   bench/import.sh            # 10,000,000 lines
#   LINES=1000000 bench/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${LINES:-10000000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --quiet --profile bench-fast -p forestock-cli
BIN="$CARGO_TARGET_DIR/bench-fast/forestock"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

# Deterministic lines: order n sells SKU (n*7919 mod 2000) at location (n mod 20) on day
# n*730/LINES of 2023-2024, 1-3 units.
awk -v lines="$LINES" 'BEGIN {
  print "order_id,created_at,sku,location,quantity";
  for (n = 0; n < lines; n++) {
    day = int(n * 730 / lines); t = 1672531200 + day * 86400 + (n % 86400);
    printf "O%d,%s,SKU-%04d,LOC-%02d,%d\n", n, strftime("%Y-%m-%dT%H:%M:%SZ", t, 1),
      (n * 7919) % 2000, n % 20, 1 + (n % 3);
  }
}' > "$work/orders.csv"
echo "file: $LINES order lines, $(du -h "$work/orders.csv" | cut -f1)"

/usr/bin/time -v "$BIN" import history "$work/orders.csv" --db "$work/m.db" --unknown create \
  2> "$work/time.txt" | tail -1
wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
peak_kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
echo "wall: ${wall} (${secs} s), peak memory: $((peak_kb / 1024)) MiB, rows/s: $(awk -v l="$LINES" -v s="$secs" 'BEGIN { printf "%.0f", l / s }')"
