#!/usr/bin/env bash
# Diagnosis of the global model on one M5 origin (crates/forestock-forecast/examples/global_check.rs):
# the global model's mean alone against the local engine's and the actuals. Reads ../shared/data.
#
#   bench/global-check.sh [BACK [BUDGET [SCALE]]]   # origin = 28 + BACK days before the end
#       # (224: 2015-07-20); SCALE = none | features | target (ForecastConfig::global_scale)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --quiet --profile bench-fast -p forestock-forecast --features global --example global_check
"$CARGO_TARGET_DIR/bench-fast/examples/global_check" "$DATA/m5_tiny_daily.csv" "${1:-224}" "${2:-0.5}" "${3:-none}"
