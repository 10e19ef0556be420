//! Ground truth for every platform: a demo merchant served by each simulator (Shopify bulk and
//! paged, BigCommerce, Adobe Commerce), synced into a new database, and its demand history
//! compared with the source row by row (`forestock_sim::truth`): the same units per SKU ×
//! location × day where the platform says where an order was fulfilled, per SKU × day where it
//! cannot (BigCommerce's shipped orders, Adobe Commerce's unshipped ones), and the same latest
//! on hand per SKU × location.

use crate::support::*;
use forestock_connect::{sync_store, Credentials, Secret, SyncReport};
use forestock_core::{Platform, Store};
use forestock_sim::truth::{compare, Comparison};
use forestock_sim::Platform as Sim;
use serde_json::json;

const SKUS: usize = 12;

/// Retail locations: the demo sells there over the counter (Shopify point of sale) or, on
/// BigCommerce, as pickups collected in store.
fn retail(db: &Store) -> Vec<String> {
    db.read()
        .locations()
        .unwrap()
        .into_iter()
        .filter(|l| l.kind == forestock_core::LocationKind::Retail)
        .map(|l| l.name)
        .collect()
}

/// Every `SPLIT_EVERY`-th eligible online line of the served merchant is fulfilled from two
/// locations (`forestock_sim::scenario::split_lines_across_locations`).
const SPLIT_EVERY: i64 = 7;

fn split(db: &mut Store) {
    let n = forestock_sim::scenario::split_lines_across_locations(db, SPLIT_EVERY).unwrap();
    assert!(n > 20, "only {n} lines split");
}

async fn run(
    platform: Sim,
    ours: Platform,
    settings: serde_json::Value,
    creds: impl Fn(&Served) -> Credentials,
    shape: impl FnOnce(&mut Store),
    before_sync: impl Fn(&Store, i64),
    exact: impl Fn(&Store, &str) -> bool,
) -> (Comparison, SyncReport, usize) {
    let s = serve_shaped(&[platform], SKUS, shape, |_| {}).await;
    let url = s.sim.url(platform).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), ours, &url, settings);
    before_sync(&db, store_id);
    let report = sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    let source = Store::open(&s.source).unwrap();
    let c = compare(&source, &db, &|name| exact(&source, name)).unwrap();
    let bulk = s.sim.shopify().map_or(0, |x| x.bulk_operations().len());
    s.sim.shutdown().await;
    (c, report, bulk)
}

fn assert_truth(what: &str, c: &Comparison) {
    assert!(c.rows > 500, "{what}: only {} rows compared", c.rows);
    assert!(c.units_source > 0);
    assert!(c.is_match(), "{what}: {}", c.summary());
}

fn shopify_creds(s: &Served) -> Credentials {
    Credentials::ShopifyToken {
        token: Secret::new(s.sim.config().shopify.admin_token.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_store_synced_in_bulk_has_the_source_history_per_sku_location_and_day() {
    let (c, r, bulk) = run(
        Sim::Shopify,
        Platform::Shopify,
        json!({"api_version": "2026-01"}),
        shopify_creds,
        split,
        |_, _| {},
        |_, _| true,
    )
    .await;
    assert_truth("Shopify bulk", &c);
    assert!(c.pooled_locations.is_empty());
    assert_eq!(bulk, 3, "variants, inventory and orders in bulk");
    assert!(
        r.attribution.pos_orders > 0 && r.attribution.fulfillment_orders > 0,
        "{r:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_store_synced_page_by_page_has_the_source_history_per_sku_location_and_day() {
    let (c, r, bulk) = run(
        Sim::Shopify,
        Platform::Shopify,
        json!({"api_version": "2026-01"}),
        shopify_creds,
        split,
        // Orders already marked as synced up to the start of the history window: the sync
        // takes the incremental path (paged `orders(query: "updated_at:>=…")`) for all of it.
        |db, store_id| {
            db.read()
                .conn()
                .execute(
                    "INSERT INTO sync_state (store_id, resource, updated_since) \
                     VALUES (?1, 'orders', '2000-01-01T00:00:00Z')",
                    [store_id],
                )
                .unwrap();
        },
        |_, _| true,
    )
    .await;
    assert_truth("Shopify paged", &c);
    assert!(r.orders > 500, "{r:?}");
    assert_eq!(
        bulk, 2,
        "orders were paged: only variants and inventory in bulk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bigcommerce_store_has_the_source_history_pickups_per_location_the_rest_per_sku_and_day()
{
    let (c, r, _) = run(
        Sim::BigCommerce,
        Platform::BigCommerce,
        json!({}),
        |s| Credentials::BigCommerce {
            token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
        },
        |_| {},
        |_, _| {},
        // Pickup consignments name their location; shipped orders name none.
        |source, name| retail(source).iter().any(|r| r == name),
    )
    .await;
    assert_truth("BigCommerce", &c);
    assert!(!c.exact_locations.is_empty() && !c.pooled_locations.is_empty());
    assert!(r.attribution.fulfillment_orders > 0, "pickups: {r:?}");
    assert!(r.attribution.default_orders > 0, "shipped: {r:?}");
    // Lines come with the orders: one request per page of orders, not one per order.
    assert!(
        r.requests < r.orders / 10,
        "{} requests for {} orders",
        r.requests,
        r.orders
    );
}

/// Adobe Commerce places a shipped line by the MSI source of its shipment (one source per
/// shipment; a line shipped from two sources is in two shipments) and an unshipped order
/// nowhere: shipped orders are compared per SKU × location × day, unshipped ones per SKU ×
/// day, and both classes are counted on both sides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adobe_commerce_store_has_the_source_history_shipped_per_location_unshipped_per_sku_and_day(
) {
    let s = serve_shaped(&[Sim::Adobe], SKUS, split, |_| {}).await;
    let url = s.sim.url(Sim::Adobe).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Adobe, &url, json!({}));
    let r = sync_store(
        &mut db,
        store_id,
        &crate::adobe::creds(&s),
        &options(),
        &quiet(),
    )
    .await
    .unwrap();
    let unshipped = forestock_sim::truth::adobe_unshipped_orders(&s.source).unwrap();
    let source = Store::open(&s.source).unwrap();
    let c = forestock_sim::truth::compare_by_order(&source, &db, &unshipped).unwrap();
    s.sim.shutdown().await;
    assert_truth("Adobe Commerce", &c);
    assert!(c.pooled_locations.is_empty());
    let k = c.classes.clone().unwrap();
    // The same orders in each class on both sides, and what the sync reported.
    assert_eq!(k.located_source, k.located_synced, "{}", c.summary());
    assert_eq!(k.unlocated_source, k.unlocated_synced, "{}", c.summary());
    assert!(
        k.located_source.units > 0 && k.unlocated_source.units > 0,
        "{k:?}"
    );
    assert_eq!(
        r.attribution.fulfillment_orders + r.attribution.default_orders,
        r.orders
    );
    assert_eq!(
        r.attribution.default_orders as usize, k.unlocated_synced.orders,
        "{r:?}"
    );
    // Most of the demand is placed: only the unshipped orders are pooled.
    assert!(
        k.located_source.units > 5 * k.unlocated_source.units,
        "{k:?}"
    );
    // Rows at a second source (split lines) are among those compared per location.
    let split_rows: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM order_lines WHERE location_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        split_rows > 20,
        "{split_rows} lines shipped from a second source"
    );
}
