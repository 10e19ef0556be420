#!/usr/bin/env bash
# The forecasting evaluation protocol (crates/forestock-forecast/examples/protocol.rs): rolling
# origins over the last year or more of each shared data set, the engine trained only on data
# before each origin, tuning origins (older) and reporting origins (the most recent third),
# sanity rows (zero, naive, window average, empirical quantiles). Writes a frozen configuration
# and a report per data set into OUT (default $TMPDIR/forestock-protocol). Reads ../shared/data
# from the repository root; never copies it.
#
#   bench/forecast-protocol.sh            # both data sets
#   bench/forecast-protocol.sh m5|carparts
#   PART=tune bench/forecast-protocol.sh   # only the tuning origins (while tuning)
#   SET="calibrate_median=false" PART=tune bench/forecast-protocol.sh  # a configuration variant
#   SET="global_weight=0.5" PART=tune bench/forecast-protocol.sh   # blend in the global model
#   AVERAGE="0.25 0.5" PART=tune bench/forecast-protocol.sh  # + rows averaging engine and eq quantiles
#   GLOBAL="0.2 0.4" SET="global_scale=\"target\"" PART=tune bench/forecast-protocol.sh m5
#       # + rows `global W`: the global model trained once per origin, blended at each weight
#   PLANNED=1 VARIANTS='nolift:promo_lift="none" global:promo_lift="global"' PART=tune \
#     bench/forecast-protocol.sh m5
#       # each window's promotions told as planned; + a row per variant (the engine rerun with
#       # those fields changed); every row with promotions also scored on promotion days only
#   COLD=7 VARIANTS='gnew:new_products="global"' PART=tune bench/forecast-protocol.sh m5
#       # + rows `new: …`: SKUs launched 7 days before each origin (analogs, own, variants)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${DATA:-../shared/data}
OUT=${OUT:-${TMPDIR:-/tmp}/forestock-protocol}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
# with the global model (cargo feature `global`), so SET="global_weight=..." can try it
cargo build --quiet --profile bench-fast -p forestock-forecast --features global --example protocol
BIN="$CARGO_TARGET_DIR/bench-fast/examples/protocol"
what=${1:-all}
extra=()
for kv in ${SET:-}; do extra+=(--set "$kv"); done
for w in ${AVERAGE:-}; do extra+=(--average "$w"); done
if [[ -n ${GLOBAL:-} ]]; then extra+=(--global-weights "$GLOBAL"); fi
# (split on blanks without pathname expansion: a JSON list's brackets are not a glob here)
read -r -a variants <<< "${VARIANTS:-}"
for v in "${variants[@]}"; do extra+=(--variant "$v"); done
if [[ -n ${PLANNED:-} ]]; then extra+=(--planned-promotions); fi
if [[ -n ${COLD:-} ]]; then extra+=(--cold-start "$COLD"); fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (modified)')"
if [[ $what == all || $what == m5 ]]; then
  # 13 origins x 28 days = the last 364 days; reporting: the 5 most recent, tuning: the 8 older
  "$BIN" --data "$DATA/m5_tiny_daily.csv" --horizon 28 --step 28 --origins 13 --window 28 \
    --out "$OUT" --tag m5 --part "${PART:-all}" "${extra[@]}"
fi
if [[ $what == all || $what == carparts ]]; then
  # 45 months: 8 origins 2 months apart, h = 6 (the last 20 months; the oldest origin keeps 25
  # months of history, two seasons). Reporting: the 3 most recent; tuning: the 3 oldest, whose
  # windows end before the first reporting origin; the 2 in between are neither.
  "$BIN" --data "$DATA/carparts_monthly.csv" --horizon 6 --step 2 --origins 8 --window 12 \
    --out "$OUT" --tag carparts --part "${PART:-all}" "${extra[@]}"
fi
