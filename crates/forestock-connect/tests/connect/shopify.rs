use crate::support::*;
use forestock_connect::{sync_store, Credentials, Error, Secret};
use forestock_core::Platform;
use forestock_sim::{Fault, Platform as Sim};
use serde_json::json;

fn token_creds(s: &Served) -> Credentials {
    Credentials::ShopifyToken {
        token: Secret::new(s.sim.config().shopify.admin_token.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_sync_reproduces_the_merchant_then_incremental_adds_nothing() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(
        s.dir.path(),
        Platform::Shopify,
        &url,
        json!({"api_version": "2026-01"}),
    );
    let creds = token_creds(&s);
    let report = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert!(report.orders > 1000, "{report:?}");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_same(&s.source, &db);
    // Bulk operations did the first sync: variants, inventory, orders.
    assert_eq!(s.sim.shopify().unwrap().bulk_operations().len(), 3);

    // A second sync is incremental (paged by updated_at) and changes nothing.
    let before = fingerprint(&db);
    let again = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(fingerprint(&db), before);
    assert_eq!(
        s.sim.shopify().unwrap().bulk_operations().len(),
        4,
        "only inventory is bulk"
    );
    assert!(again.requests < report.requests + 20, "{again:?}");
    assert_not_in_files(s.dir.path(), &[&s.sim.config().shopify.admin_token]);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_under_throttling_and_faults_completes() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let cfg = s.sim.config().shopify.clone();
    let creds = Credentials::ShopifyClient {
        client_id: cfg.client_id.clone(),
        client_secret: Secret::new(cfg.client_secret.clone()),
    };
    let f = s.sim.faults(Sim::Shopify);
    f.inject(Fault::RateLimited, 2);
    f.inject(Fault::TooManyRequests, 1);
    f.inject(Fault::ServerError(503), 2);
    f.inject(Fault::DropConnection, 1);
    f.inject(Fault::MalformedJson, 1);
    f.every(7, Fault::ServerError(502));
    // Every progress event (the app's log) is kept and grepped for the secret below.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = log.clone();
    let progress = forestock_connect::Progress::new(move |e| {
        sink.lock().unwrap().push(serde_json::to_string(e).unwrap());
    });
    sync_store(&mut db, store_id, &creds, &options(), &progress)
        .await
        .unwrap();
    let log = log.lock().unwrap().join("\n");
    assert!(
        log.contains("retrying") || log.contains("Retrying") || log.contains("retry"),
        "faults were retried"
    );
    assert!(!log.contains(&cfg.client_secret));
    assert!(!log.contains("shpat_"), "no access token in events");
    f.clear();
    assert_same(&s.source, &db);
    assert_not_in_files(s.dir.path(), &[&cfg.client_secret]);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_sync_resumes_without_duplicates() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = token_creds(&s);
    let mut opts = options();
    opts.bulk_chunk = 300;
    // Stop after 1, 2, 3… committed pages, each run resuming where the last stopped.
    let mut runs = 0;
    for stop in [1u64, 2, 1, 3, 2, 5] {
        opts.stop_after_pages = Some(stop);
        runs += 1;
        match sync_store(&mut db, store_id, &creds, &opts, &quiet()).await {
            Err(Error::Cancelled { .. }) => {}
            Ok(_) => break,
            Err(e) => panic!("{e}"),
        }
    }
    opts.stop_after_pages = None;
    sync_store(&mut db, store_id, &creds, &opts, &quiet())
        .await
        .unwrap();
    assert!(runs >= 3);
    assert_same(&s.source, &db);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_token_stops_with_a_message_naming_the_store() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = Credentials::ShopifyToken {
        token: Secret::new("shpat_wrong_token_value"),
    };
    let before = fingerprint(&db);
    let e = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap_err();
    assert!(e.is_auth() && !e.is_retryable(), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("Test shop"), "{msg}");
    assert!(!msg.contains("shpat_wrong_token_value"), "{msg}");
    assert_eq!(fingerprint(&db), before);
    // Revoked mid-way: the same clear stop.
    s.sim
        .faults(Sim::Shopify)
        .revoke(&s.sim.config().shopify.admin_token);
    let e = sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
        .await
        .unwrap_err();
    assert!(e.is_auth(), "{e}");
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_read_all_orders_is_detected_and_explained() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    s.sim.shopify().unwrap().add_token(
        "shpat_limited",
        &[
            "read_products",
            "read_inventory",
            "read_orders",
            "read_locations",
            "read_merchant_managed_fulfillment_orders",
        ],
        None,
    );
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = Credentials::ShopifyToken {
        token: Secret::new("shpat_limited"),
    };
    let r = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(r.warnings.len(), 1, "{r:?}");
    assert!(r.warnings[0].contains("read_all_orders"));
    let oldest: chrono::NaiveDateTime = db
        .read()
        .conn()
        .query_row("SELECT min(created_at) FROM orders", [], |r| r.get(0))
        .unwrap();
    assert!(demo_now() - oldest <= chrono::Duration::days(60));
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_a_store_and_bad_version_are_clear() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(
        s.dir.path(),
        Platform::Shopify,
        &format!("{url}/not-a-shop/x/"),
        json!({}),
    );
    let e = sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotAStore { .. }), "{e}");
    let (mut db, store_id, _) = target(
        s.dir.path(),
        Platform::Shopify,
        &url,
        json!({"api_version": "latest"}),
    );
    let e = sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e}");
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metafields_are_written_in_calls_of_25() {
    use forestock_connect::http::RetryPolicy;
    use forestock_connect::shopify::{MetafieldWrite, ShopifyAuth, ShopifyClient};
    let s = serve_skus(&[Sim::Shopify], 10, |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let client = ShopifyClient::new(
        "Test shop",
        &url,
        "2026-01",
        ShopifyAuth::Token(Secret::new(s.sim.config().shopify.admin_token.clone())),
        RetryPolicy::default(),
        quiet(),
    )
    .unwrap();
    let variants: Vec<i64> = forestock_core::Store::open(&s.source)
        .unwrap()
        .read()
        .skus()
        .unwrap()
        .iter()
        .map(|v| v.id)
        .collect();
    let writes: Vec<MetafieldWrite> = (0..30)
        .map(|i| MetafieldWrite {
            owner_id: format!(
                "gid://shopify/ProductVariant/{}",
                variants[i % variants.len()]
            ),
            namespace: "forestock".into(),
            key: if i < 10 {
                "reorder_point".into()
            } else {
                format!("forecast_{i}")
            },
            kind: "number_integer".into(),
            value: (i * 3).to_string(),
        })
        .collect();
    assert_eq!(client.set_metafields(&writes).await.unwrap(), 30);
    let stored = s.sim.shopify().unwrap().metafields();
    assert_eq!(stored.len(), 30);
    assert!(stored
        .iter()
        .any(|m| m.key == "forecast_29" && m.value == "87"));
    let bad = vec![MetafieldWrite {
        key: "x".into(),
        ..writes[0].clone()
    }];
    assert!(matches!(
        client.set_metafields(&bad).await,
        Err(Error::Invalid { .. })
    ));
    s.sim.shutdown().await;
}

/// API-NOTES 5b: online orders carry no point-of-sale location; they belong to the
/// location that fulfils them. Bulk (first sync) and paged (later syncs) both attribute them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_orders_are_attributed_to_their_fulfilling_location() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let r = sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
        .await
        .unwrap();
    let a = &r.attribution;
    assert!(a.fulfillment_orders > 0 && a.pos_orders > 0, "{a:?}");
    assert_eq!(a.default_orders, 0, "{a:?}");
    assert_eq!(a.pos_orders + a.fulfillment_orders, r.orders, "{a:?}");
    let unplaced: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE location_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unplaced, 0);
    // Per SKU x location x day units equal the demo's.
    assert_same(&s.source, &db);
    let src = forestock_core::Store::open(&s.source).unwrap();
    assert_eq!(
        units_by_sku_location_day(&src),
        units_by_sku_location_day(&db)
    );
    s.sim.shutdown().await;
}

/// API-NOTES 5b: a line fulfilled from two locations (fulfillment orders at A and B, each
/// with its share of the line's `totalQuantity`) gives each location its units, in bulk
/// (first sync) and page by page (later syncs).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_line_split_across_fulfilment_locations_gives_each_location_its_units() {
    for paged in [false, true] {
        let s = serve_shaped(
            &[Sim::Shopify],
            12,
            |db| {
                let n = forestock_sim::scenario::split_lines_across_locations(db, 5).unwrap();
                assert!(n > 10, "{n} lines split");
            },
            |_| {},
        )
        .await;
        let url = s.sim.url(Sim::Shopify).unwrap();
        let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
        if paged {
            db.read()
                .conn()
                .execute(
                    "INSERT INTO sync_state (store_id, resource, updated_since) \
                     VALUES (?1, 'orders', '2000-01-01T00:00:00Z')",
                    [store_id],
                )
                .unwrap();
        }
        sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
            .await
            .unwrap();
        // One synced line became two rows, the second at the other location, and the
        // order's units are all there.
        let (parts, lines_split): (i64, i64) = db
            .read()
            .conn()
            .query_row(
                "SELECT count(*), count(DISTINCT p.order_id) FROM order_lines p \
                 JOIN orders o ON o.id = p.order_id \
                 WHERE p.location_id IS NOT NULL AND p.location_id <> o.location_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(
            parts > 10 && lines_split > 10,
            "paged {paged}: {parts} parts"
        );
        let src = forestock_core::Store::open(&s.source).unwrap();
        assert_eq!(
            units_by_sku_location_day(&src),
            units_by_sku_location_day(&db),
            "paged {paged}"
        );
        s.sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pos_orders_use_retail_location() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let r = sync_store(&mut db, store_id, &token_creds(&s), &options(), &quiet())
        .await
        .unwrap();
    let (pos, pos_at_retail): (i64, i64) = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*), sum(l.kind = 'retail') FROM orders o JOIN locations l ON l.id = o.location_id \
             WHERE o.channel = 'pos'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(pos > 0);
    assert_eq!(pos, pos_at_retail);
    assert_eq!(pos as u64, r.attribution.pos_orders);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_fulfillment_scopes_falls_back_to_the_default_location_and_says_so() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    s.sim.shopify().unwrap().add_token(
        "shpat_no_fo",
        &[
            "read_products",
            "read_inventory",
            "read_orders",
            "read_all_orders",
            "read_locations",
        ],
        None,
    );
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = Credentials::ShopifyToken {
        token: Secret::new("shpat_no_fo"),
    };
    let r = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("read_merchant_managed_fulfillment_orders")),
        "{r:?}"
    );
    let a = &r.attribution;
    assert!(a.default_orders > 0 && a.pos_orders > 0, "{a:?}");
    assert_eq!(a.fulfillment_orders, 0);
    assert_eq!(
        a.pos_orders + a.default_orders,
        r.orders,
        "nothing dropped: {a:?}"
    );
    let unplaced: i64 = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE location_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unplaced, 0);
    s.sim.shutdown().await;
}

/// Units sold per (SKU, location name, day): the ground truth of where demand happened.
fn units_by_sku_location_day(
    db: &forestock_core::Store,
) -> std::collections::BTreeMap<(String, String, String), i64> {
    let r = db.read();
    let mut st = r
        .conn()
        .prepare(
            "SELECT v.sku, l.name, date(o.created_at), sum(ol.quantity) FROM order_lines ol \
             JOIN orders o ON o.id = ol.order_id JOIN variants v ON v.id = ol.variant_id \
             JOIN locations l ON l.id = coalesce(ol.location_id, o.location_id) GROUP BY 1, 2, 3",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

/// Bad input (issue: a token lacking a needed scope): without `read_all_orders` and without
/// any fulfillment-order scope, the simulator answers `fulfillmentOrders` with an
/// ACCESS_DENIED error as Shopify does; the sync names both scopes and what is missing
/// without each, and still brings in the last 60 days of orders, all placed somewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_missing_both_order_scopes_is_told_each_one_and_still_syncs_what_it_can() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    s.sim.shopify().unwrap().add_token(
        "shpat_bare",
        &[
            "read_products",
            "read_inventory",
            "read_orders",
            "read_locations",
        ],
        None,
    );
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = Credentials::ShopifyToken {
        token: Secret::new("shpat_bare"),
    };
    let r = sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(r.warnings.len(), 2, "{r:?}");
    let all = r
        .warnings
        .iter()
        .find(|w| w.contains("read_all_orders"))
        .unwrap();
    assert!(all.contains("60 days"), "{all}");
    let fo = r
        .warnings
        .iter()
        .find(|w| w.contains("read_merchant_managed_fulfillment_orders"))
        .unwrap();
    assert!(fo.contains("default location"), "{fo}");
    assert!(r.orders > 0);
    let (n, unplaced, oldest): (i64, i64, chrono::NaiveDateTime) = db
        .read()
        .conn()
        .query_row(
            "SELECT count(*), sum(location_id IS NULL), min(created_at) FROM orders",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(n as u64, r.orders);
    assert_eq!(unplaced, 0);
    assert!(demo_now() - oldest <= chrono::Duration::days(60));
    s.sim.shutdown().await;
}
