#!/usr/bin/env bash
# Forecasting benchmarks on the shared data sets (issue 3): backtests with the protocol of
# ../shared/bench/README.md, the timed backtest-select-forecast run on M5, and the 20,000-series
# demo merchant. Reads ../shared/data from the repository root; never copies it.
#
#   bench/forecast.sh            # all
#   bench/forecast.sh m5|carparts|speed|demo20k
#   GLOBAL=0.5 [GLOBAL_BUDGET=0.5] bench/forecast.sh demo20k   # with the global model blended in
#       at that weight (builds the CLI with the cargo feature `global`)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --quiet --profile bench-fast -p forestock-cli ${GLOBAL:+--features global}
BIN="$CARGO_TARGET_DIR/bench-fast/forestock"
what=${1:-all}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

if [[ $what == all || $what == m5 ]]; then
  echo "== M5 subset: h=28, m=7, 3 origins (sales actuals: stockout inference off, see README)"
  "$BIN" backtest --input "$DATA/m5_tiny_daily.csv" --horizon 28 --origins 3 --season 7 \
    --no-stockout-detection
  echo "== M5 subset, production default (long zero runs read as stockouts)"
  "$BIN" backtest --input "$DATA/m5_tiny_daily.csv" --horizon 28 --origins 3 --season 7
fi
if [[ $what == all || $what == carparts ]]; then
  echo "== car parts: h=6, m=12, 2 origins"
  "$BIN" backtest --input "$DATA/carparts_monthly.csv" --horizon 6 --origins 2 --season 12
fi
if [[ $what == all || $what == speed ]]; then
  out=$(mktemp)
  echo "== M5 backtest-select-forecast, 1 core and all cores"
  /usr/bin/time -f "1 core: %e s wall, %M KB peak" \
    "$BIN" forecast --input "$DATA/m5_tiny_daily.csv" --horizon 28 --output "$out" --force --jobs 1
  /usr/bin/time -f "all cores: %e s wall, %M KB peak" \
    "$BIN" forecast --input "$DATA/m5_tiny_daily.csv" --horizon 28 --output "$out" --force
  rm -f "$out"
fi
if [[ $what == all || $what == demo20k ]]; then
  # DEMO_DB=path reuses a database made by `forestock demo --skus 11000` (making it takes ~6 min);
  # each forecast adds a run to it.
  db=${DEMO_DB:-}
  tmp=
  if [[ -z $db ]]; then
    tmp=$(mktemp -d)
    db=$tmp/big.db
    echo "== demo merchant, 11,000 SKUs (~20,000 SKU×locations), 2 years"
    "$BIN" demo --db "$db" --skus 11000 >/dev/null
  fi
  global=()
  if [[ -n ${GLOBAL:-} ]]; then
    global=(--global-weight "$GLOBAL" ${GLOBAL_BUDGET:+--global-budget "$GLOBAL_BUDGET"})
  fi
  echo "== forecast --db on the demo merchant ${global[*]}, ${RUNS:-3} runs (quote the median)"
  for run in $(seq "${RUNS:-3}"); do
    echo "run $run, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "forecast --db: %e s wall, %U s user + %S s system CPU, %M KB peak" \
      "$BIN" forecast --db "$db" --horizon 28 "${global[@]}"
  done
  if [[ -n $tmp ]]; then rm -rf "$tmp"; fi
fi
