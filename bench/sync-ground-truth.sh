#!/usr/bin/env bash
# Ground truth and sync speed for every platform: a seeded demo merchant (default 800 SKUs)
# served by each simulator at the real plans' rate limits (Shopify Standard, BigCommerce
# Standard 150 requests / 30 s; the paged Shopify case at Plus limits), synced into a new
# database (Shopify in bulk and page by page),
# synced again unchanged, and the synced demand history compared with the source row by row:
# per SKU x location x day where the platform names the fulfilling location, per SKU x day
# where it cannot (the report names which; Adobe Commerce by order: shipped orders per
# location, unshipped ones per SKU x day, with the orders and units of each). The unchanged
# re-sync starts with Shopify's cost bucket refilled and is timed per pass. Exits non-zero if
# any row differs.
#
#   bench/sync-ground-truth.sh [SKUS] [shopify|shopify-paged|bigcommerce|adobe|all]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/cache/forestock/target}
cargo build --quiet --profile bench-fast -p forestock-connect --example ground_truth
exec "$CARGO_TARGET_DIR/bench-fast/examples/ground_truth" --skus "${1:-800}" --platform "${2:-all}"
