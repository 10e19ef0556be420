//! Orders from platforms that name no location on an order (BigCommerce v2, Adobe Commerce)
//! used to be stored without one, and the demand history skips such orders: a synced store had
//! no demand at all. They now go to the store's default location, and the report says how many.

use crate::support::*;
use forestock_connect::{sync_store, Credentials, Secret};
use forestock_core::{Platform, Store};
use forestock_sim::Platform as Sim;
use serde_json::json;
use std::collections::BTreeMap;

/// Units per (sku, day), summed over locations, as the demand history reads them.
fn history_per_sku_day(db: &Store) -> BTreeMap<(String, String), i64> {
    let mut out = BTreeMap::new();
    db.read()
        .demand_history(|s| {
            for (i, u) in s.units.iter().enumerate() {
                if *u != 0.0 {
                    *out.entry((s.sku.clone(), s.date(i).to_string()))
                        .or_insert(0) += *u as i64;
                }
            }
            Ok(())
        })
        .unwrap();
    out
}

fn orders_without_location(db: &Store) -> i64 {
    db.read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE location_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

async fn check(platform: Sim, ours: Platform, creds: impl Fn(&Served) -> Credentials) {
    let s = serve_skus(&[platform], 10, |_| {}).await;
    let url = s.sim.url(platform).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), ours, &url, json!({}));
    let r = sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(
        orders_without_location(&db),
        0,
        "{platform:?}: orders left without a location"
    );
    let stored: i64 = db
        .read()
        .conn()
        .query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert!(stored > 100, "{platform:?}: {stored} orders");
    assert_eq!(
        r.attribution.default_orders as i64, stored,
        "{platform:?}: every order went to the default location and the report counts it"
    );
    assert!(r.attribution.default_units > 0);
    // The platform cannot tell the location: compare per SKU and day.
    let source = Store::open(&s.source).unwrap();
    let want = history_per_sku_day(&source);
    let got = history_per_sku_day(&db);
    assert!(
        !got.is_empty(),
        "{platform:?}: the synced store has no demand history"
    );
    assert_eq!(
        got, want,
        "{platform:?}: units per SKU and day differ from the source"
    );
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bigcommerce_orders_reach_the_demand_history_at_the_default_location() {
    check(Sim::BigCommerce, Platform::BigCommerce, |s| {
        Credentials::BigCommerce {
            token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adobe_orders_reach_the_demand_history_at_the_default_location() {
    check(Sim::Adobe, Platform::Adobe, crate::adobe::creds).await;
}
