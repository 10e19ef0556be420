#!/usr/bin/env bash
# statsforecast (../shared/bench/baseline.py) on the reporting origins of the forecasting
# protocol (bench/forecast-protocol.sh), then one table per data set with the engine, the sanity
# rows and the statsforecast models: mean ± sd [min–max] over the reporting origins.
# baseline.py's MASE and RMSSE are the protocol's (same scales; its WindowAverage reproduces the
# protocol's `wa` row exactly). It gives point forecasts only: no SPL or coverage for its models.
#
#   PY=/path/to/venv/bin/python bench/statsforecast-protocol.sh
#
# PY: a Python with statsforecast==2.1.1 utilsforecast==0.2.17 pandas, installed outside the
# repository (python3 -m venv DIR && DIR/bin/pip install ...). The protocol's report is read
# from PROTOCOL (default $TMPDIR/forestock-protocol, where bench/forecast-protocol.sh writes).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
BASELINE=${BASELINE:-../shared/bench/baseline.py}
PROTOCOL=${PROTOCOL:-${TMPDIR:-/tmp}/forestock-protocol}
OUT=${OUT:-${TMPDIR:-/tmp}/forestock-statsforecast}
PY=${PY:?set PY to a Python with statsforecast 2.1.1}
mkdir -p "$OUT"
models=snaive,wa,ets,croston,adida,tsb
if [[ ${SKIP_RUN:-0} != 1 ]]; then
  # M5 reporting origins: 0, 28, ..., 112 days before the last 28 (the protocol's origins 0-4)
  for off in 0 28 56 84 112; do
    nice -n 10 "$PY" "$BASELINE" --data "$DATA/m5_tiny_daily.csv" --freq D --h 28 --season 7 \
      --models $models --n-jobs 1 --origin-offset $off --out "$OUT/m5_off$off.json" \
      > "$OUT/m5_off$off.log"
  done
  # car parts reporting origins: 0, 2, 4 months before the last 6
  for off in 0 2 4; do
    nice -n 10 "$PY" "$BASELINE" --data "$DATA/carparts_monthly.csv" --freq MS --h 6 --season 12 \
      --window 12 --weight-window 12 --models $models --n-jobs 1 --origin-offset $off \
      --out "$OUT/carparts_off$off.json" > "$OUT/carparts_off$off.log"
  done
fi
python3 bench/protocol_table.py "$PROTOCOL" "$OUT"
