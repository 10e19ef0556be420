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
        (r.attribution.default_orders + r.attribution.fulfillment_orders) as i64,
        stored,
        "{platform:?}: every order went to its pickup location or the default location, and the report counts it"
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

/// Orders a location count per location id, for the store's orders placed by default.
fn defaulted_by_location(db: &Store) -> BTreeMap<i64, i64> {
    let c = db.read();
    let mut st = c
        .conn()
        .prepare("SELECT location_id, count(*) FROM orders WHERE located_by_default = 1 GROUP BY 1")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows
}

/// The planner says where unattributable demand goes: the orders already placed by default
/// move there (and only they: pickups stay at their store), it is audited, a later sync
/// follows the setting, and a bad location is refused naming the ones that exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_planner_moves_unattributed_demand_to_another_location_and_later_syncs_follow() {
    let s = serve_skus(&[Sim::BigCommerce], 10, |_| {}).await;
    let url = s.sim.url(Sim::BigCommerce).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::BigCommerce, &url, json!({}));
    let creds = Credentials::BigCommerce {
        token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
    };
    let r = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    let before = defaulted_by_location(&db);
    assert_eq!(before.len(), 1, "all defaulted orders at one location");
    assert_eq!(
        before.values().sum::<i64>() as u64,
        r.attribution.default_orders
    );
    let pickups_before: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE located_by_default = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let locations = db.read().locations().unwrap();
    let default_id = *before.keys().next().unwrap();
    let other = locations
        .iter()
        .find(|l| l.id != default_id && l.active)
        .expect("a second location");

    // Refused, nothing changes: an unknown code, with the store's codes listed.
    let e = forestock_connect::stores::set_unattributed_location(
        &mut db,
        &store_id.to_string(),
        "NOPE",
        &demo_stamp(),
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("NOPE") && msg.contains(&other.code), "{msg}");
    assert_eq!(defaulted_by_location(&db), before);

    let moved = forestock_connect::stores::set_unattributed_location(
        &mut db,
        &store_id.to_string(),
        &other.code,
        &demo_stamp(),
    )
    .unwrap();
    assert_eq!(moved.orders, r.attribution.default_orders);
    assert_eq!(moved.units, r.attribution.default_units);
    let after = defaulted_by_location(&db);
    assert_eq!(after.keys().copied().collect::<Vec<_>>(), vec![other.id]);
    let pickups_after: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE located_by_default = 0 AND location_id != ?1",
            [other.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        pickups_after, pickups_before,
        "pickups stay where they were"
    );
    let audit = db
        .read()
        .audit_entries(&forestock_core::AuditFilter {
            action: Some("store.unattributed_location".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, "cli:test");

    // A sync from scratch into a second database with the setting made first: defaulted
    // orders land at the chosen location directly.
    let (mut db2, store2, _) = target(
        s.dir.path(),
        Platform::BigCommerce,
        &url,
        json!({ "unattributed_location": other.code }),
    );
    sync_store(&mut db2, store2, &creds, &options(), &quiet())
        .await
        .unwrap();
    let names = |db: &Store, m: &BTreeMap<i64, i64>| -> Vec<String> {
        let locs = db.read().locations().unwrap();
        m.keys()
            .map(|id| locs.iter().find(|l| l.id == *id).unwrap().code.clone())
            .collect()
    };
    assert_eq!(
        names(&db2, &defaulted_by_location(&db2)),
        vec![other.code.clone()]
    );
    s.sim.shutdown().await;
}
