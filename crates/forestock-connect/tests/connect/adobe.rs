use crate::support::*;
use forestock_connect::{sync_store, Credentials, Error, Secret};
use forestock_core::Platform;
use forestock_sim::{Fault, Platform as Sim};
use serde_json::json;

pub(crate) fn creds(s: &Served) -> Credentials {
    let c = &s.sim.config().adobe;
    Credentials::AdobeOAuth1 {
        consumer_key: c.consumer_key.clone(),
        consumer_secret: Secret::new(c.consumer_secret.clone()),
        access_token: Secret::new(c.access_token.clone()),
        access_token_secret: Secret::new(c.access_token_secret.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_sync_reproduces_every_sku_and_order_under_faults() {
    let s = serve_skus(&[Sim::Adobe], 10, |_| {}).await;
    let url = s.sim.url(Sim::Adobe).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Adobe, &url, json!({}));
    let f = s.sim.faults(Sim::Adobe);
    f.inject(Fault::RateLimited, 1);
    f.inject(Fault::ServerError(502), 2);
    f.inject(Fault::DropConnection, 1);
    f.inject(Fault::MalformedJson, 1);
    let r = sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    f.clear();
    assert!(r.orders > 1000, "{r:?}");
    assert_same_per_sku(&s.source, &db);
    let before = fingerprint(&db);
    let mut opts = options();
    opts.stop_after_pages = Some(1);
    let _ = sync_store(&mut db, store_id, &creds(&s), &opts, &quiet()).await;
    sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(fingerprint(&db), before);
    let c = &s.sim.config().adobe;
    assert_not_in_files(s.dir.path(), &[&c.consumer_secret, &c.access_token_secret]);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_secret_and_refused_bearer_are_auth_errors() {
    let s = serve_skus(&[Sim::Adobe], 10, |_| {}).await;
    let url = s.sim.url(Sim::Adobe).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Adobe, &url, json!({}));
    let c = s.sim.config().adobe.clone();
    let bad = Credentials::AdobeOAuth1 {
        consumer_key: c.consumer_key.clone(),
        consumer_secret: Secret::new("not-the-secret"),
        access_token: Secret::new(c.access_token.clone()),
        access_token_secret: Secret::new(c.access_token_secret.clone()),
    };
    let e = sync_store(&mut db, store_id, &bad, &options(), &quiet())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Auth { .. }), "{e}");
    assert!(!e.to_string().contains("not-the-secret"));
    // The integration token as a bearer is refused unless the admin allowed it.
    let bearer = Credentials::AdobeBearer {
        token: Secret::new(c.access_token.clone()),
    };
    let e = sync_store(&mut db, store_id, &bearer, &options(), &quiet())
        .await
        .unwrap_err();
    assert!(e.is_auth(), "{e}");
    s.sim.shutdown().await;
}

/// API-NOTES 5b: an Adobe Commerce line belongs to the MSI source that shipped it
/// (`GET /V1/shipments`, `extension_attributes.source_code`), split when two sources shipped
/// it; an order not shipped yet goes to the store's unattributed-demand location.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_lines_go_to_the_source_that_shipped_them_and_unshipped_orders_to_the_default() {
    let s = serve_shaped(
        &[Sim::Adobe],
        10,
        |db| {
            let n = forestock_sim::scenario::split_lines_across_locations(db, 5).unwrap();
            assert!(n > 10, "{n} lines split");
        },
        |_| {},
    )
    .await;
    let url = s.sim.url(Sim::Adobe).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Adobe, &url, json!({}));
    let r = sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    let a = &r.attribution;
    assert!(a.fulfillment_orders > 0 && a.default_orders > 0, "{a:?}");
    assert_eq!(a.fulfillment_orders + a.default_orders, r.orders, "{a:?}");
    // Shipped orders: every line's units at the location that shipped them, as in the source.
    let by_order = |db: &forestock_core::Store, shipped_only: bool| {
        let r = db.read();
        let mut st = r
            .conn()
            .prepare(
                "SELECT o.name, ol.sku, l.name, sum(ol.quantity) FROM order_lines ol \
                 JOIN orders o ON o.id = ol.order_id \
                 JOIN locations l ON l.id = coalesce(ol.location_id, o.location_id) \
                 WHERE NOT ?1 OR o.located_by_default = 0 GROUP BY 1, 2, 3",
            )
            .unwrap();
        st.query_map([shipped_only], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect::<std::collections::BTreeMap<(String, String, String), i64>>()
    };
    let synced = by_order(&db, true);
    let src = forestock_core::Store::open(&s.source).unwrap();
    let source = by_order(&src, false);
    assert!(synced.len() > 500, "{}", synced.len());
    for (k, v) in &synced {
        assert_eq!(source.get(k), Some(v), "{k:?}");
    }
    let split: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM order_lines WHERE location_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(split > 10, "{split} lines shipped from a second source");
    // Unshipped orders: at the default location, marked so.
    let unshipped: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE located_by_default = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unshipped as u64, a.default_orders);
    // All of it, per SKU and day (an unshipped split line is one row at the default
    // location, so row counts differ from the source's by those lines).
    let c = forestock_sim::truth::compare(&src, &db, &|_| false).unwrap();
    assert!(c.is_match(), "{}", c.summary());
    s.sim.shutdown().await;
}
