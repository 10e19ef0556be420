//! Write-back with approval, over real HTTP against the Shopify and BigCommerce simulators:
//! a store synced, planned, previewed, approved and pushed, and the simulator read back.

use crate::support::*;
use forestock_api::writeback as wb;
use forestock_connect::{sync_store, Credentials, Error, Secret};
use forestock_core::{AuditFilter, Platform, Store, StoreRecord};
use forestock_sim::Platform as Sim;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A store served by the simulator, synced, one product detached from it (as if imported),
/// and planned.
async fn planned(
    platform: Sim,
    tweak: impl FnOnce(&mut forestock_sim::SimConfig),
) -> (Served, Store, StoreRecord, Credentials) {
    let s = serve_skus(&[platform], 12, tweak).await;
    let url = s.sim.url(platform).unwrap();
    let (p, creds) = match platform {
        Sim::Shopify => (
            Platform::Shopify,
            Credentials::ShopifyToken {
                token: Secret::new(s.sim.config().shopify.admin_token.clone()),
            },
        ),
        _ => (
            Platform::BigCommerce,
            Credentials::BigCommerce {
                token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
            },
        ),
    };
    let (mut db, store_id, _) = target(s.dir.path(), p, &url, json!({}));
    sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    // One product as if it came from an import: planned, but not synced from this store.
    let w = db.write().unwrap();
    w.tx()
        .execute(
            "UPDATE products SET store_id = NULL WHERE id = (SELECT min(id) FROM products)",
            [],
        )
        .unwrap();
    w.commit().unwrap();
    forestock_api::plan::plan(&mut db, &demo_stamp(), Some(demo_now().date()), &|_| {}).unwrap();
    let store = db
        .read()
        .stores()
        .unwrap()
        .into_iter()
        .find(|x| x.id == store_id)
        .unwrap();
    (s, db, store, creds)
}

async fn push(
    db: &mut Store,
    store: &StoreRecord,
    creds: &Credentials,
) -> Result<wb::PushReport, forestock_api::Error> {
    wb::push_with(db, &demo_stamp(), store, creds, options()).await
}

fn actions(db: &Store) -> Vec<(String, String, Value)> {
    db.read()
        .audit_entries(&AuditFilter {
            entity: Some("writeback_batch".into()),
            ..AuditFilter::default()
        })
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.actor, e.after.unwrap_or(Value::Null)))
        .collect()
}

/// (owner, key) → value, from the preview.
fn expected(p: &wb::Preview) -> BTreeMap<(String, String), String> {
    p.skus
        .iter()
        .flat_map(|s| {
            s.fields
                .iter()
                .map(|f| ((s.owner.clone(), f.key.clone()), f.value.clone()))
        })
        .collect()
}

fn shopify_held(s: &Served) -> BTreeMap<(String, String), String> {
    s.sim
        .shopify()
        .unwrap()
        .metafields()
        .into_iter()
        .map(|m| {
            assert_eq!(m.namespace, wb::NAMESPACE);
            ((m.owner_id, m.key), m.value)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_writes_only_after_approval_and_a_second_push_writes_nothing() {
    let (s, mut db, store, creds) = planned(Sim::Shopify, |_| {}).await;
    let sim = s.sim.shopify().unwrap();

    // The preview: per SKU what would be written; reading it writes nothing anywhere.
    let p = wb::preview(&db, None).unwrap();
    assert!(p.skus.len() >= 5, "{}", p.skus.len());
    assert!(
        p.skipped_not_synced >= 1,
        "the detached product is skipped and counted"
    );
    assert_eq!(p.to_write as usize, 2 * p.skus.len());
    assert!(p.batch.is_none());
    for sku in &p.skus {
        assert!(
            sku.owner.starts_with("gid://shopify/ProductVariant/"),
            "{}",
            sku.owner
        );
        assert!(
            0.0 <= sku.p10 && sku.p10 <= sku.p90 && sku.units >= 0.0,
            "{sku:?}"
        );
        let conf: Value = serde_json::from_str(&sku.fields[1].value).unwrap();
        assert_eq!(conf["units"].as_f64().unwrap(), sku.units);
        assert_eq!(
            conf["locations"].as_object().unwrap().len() as u32,
            sku.locations
        );
        assert_eq!(sku.fields[0].kind, "number_decimal");
        assert_eq!(sku.fields[1].kind, "json");
    }
    assert!(sim.metafields().is_empty());
    assert!(actions(&db).is_empty());

    // Nothing is sent before approval.
    let e = push(&mut db, &store, &creds).await.unwrap_err();
    assert!(e.to_string().contains("approve"), "{e}");
    assert_eq!(sim.metafield_writes(), 0);

    // Approve what was read: audited with who, when and the content hash.
    let approved = wb::approve(&mut db, &demo_stamp(), None, Some(&p.content_hash)).unwrap();
    let batch = approved.batch.clone().unwrap();
    assert!(approved.batch_matches);
    assert_eq!(batch.content_hash, p.content_hash);
    assert_eq!(batch.approved_by, "cli:test");
    let log = actions(&db);
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].0, "writeback.approve");
    assert_eq!(log[0].1, "cli:test");
    assert_eq!(log[0].2["content_hash"], json!(p.content_hash));
    assert_eq!(sim.metafield_writes(), 0, "approving sends nothing");

    // Push: the simulator holds exactly the previewed values.
    let r = push(&mut db, &store, &creds).await.unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(r.written as usize, 2 * p.skus.len());
    assert_eq!(r.status, "pushed");
    assert_eq!(shopify_held(&s), expected(&p));
    let writes = sim.metafield_writes();
    assert_eq!(writes as usize, 2 * p.skus.len());

    // Again: nothing new is written.
    let again = push(&mut db, &store, &creds).await.unwrap();
    assert_eq!(again.written, 0);
    assert_eq!(again.unchanged as usize, 2 * p.skus.len());
    assert_eq!(sim.metafield_writes(), writes);
    let after = wb::preview(&db, None).unwrap();
    assert_eq!(after.to_write, 0);
    assert!(after.batch_matches);
    assert_eq!(after.batch.unwrap().status, "pushed");
    let log = actions(&db);
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].0, "writeback.push");
    assert_eq!(log[0].2["unchanged"], json!(2 * p.skus.len()));

    // The plan changes (one SKU's forecast): the approved batch no longer matches, so a push
    // is refused until the new preview is approved, and then sends only what changed.
    let target_sku = p.skus[0].clone();
    let w = db.write().unwrap();
    w.tx()
        .execute(
            "UPDATE plan_lines SET inputs = json_set(inputs, '$.forecast[0]', \
             json_extract(inputs, '$.forecast[0]') + 40.0) \
             WHERE variant_id = ?1 AND run_id = (SELECT max(run_id) FROM plan_lines)",
            [target_sku.variant_id],
        )
        .unwrap();
    w.commit().unwrap();
    let changed = wb::preview(&db, None).unwrap();
    assert!(!changed.batch_matches);
    assert_eq!(changed.to_write, 2, "both fields of the one SKU");
    let e = push(&mut db, &store, &creds).await.unwrap_err();
    assert!(e.to_string().contains("approve"), "{e}");
    assert_eq!(sim.metafield_writes(), writes);
    // An approval of a preview read before the change is refused too.
    let e = wb::approve(&mut db, &demo_stamp(), None, Some(&p.content_hash)).unwrap_err();
    assert!(e.to_string().contains("changed"), "{e}");
    wb::approve(&mut db, &demo_stamp(), None, Some(&changed.content_hash)).unwrap();
    let r = push(&mut db, &store, &creds).await.unwrap();
    assert_eq!((r.written, r.failed.len()), (2, 0));
    assert_eq!(sim.metafield_writes(), writes + 2);
    assert_eq!(shopify_held(&s), expected(&changed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopify_validation_errors_are_reported_per_sku_and_the_others_are_written() {
    let (s, mut db, store, creds) = planned(Sim::Shopify, |_| {}).await;
    // One SKU's variant no longer exists on the store: Shopify refuses its owner, and the
    // atomic call is sent again without it.
    let p = wb::preview(&db, None).unwrap();
    let gone = p.skus[1].clone();
    let w = db.write().unwrap();
    w.tx()
        .execute(
            "UPDATE variants SET external_id = 'gid://shopify/ProductVariant/999999999' WHERE id = ?1",
            [gone.variant_id],
        )
        .unwrap();
    w.commit().unwrap();
    wb::approve(&mut db, &demo_stamp(), None, None).unwrap();
    let r = push(&mut db, &store, &creds).await.unwrap();
    assert_eq!(r.status, "partial");
    assert_eq!(r.failed.len(), 2, "{:?}", r.failed);
    assert!(r.failed.iter().all(|f| f.sku == gone.sku));
    assert!(
        r.failed[0].error.contains("Owner does not exist"),
        "{:?}",
        r.failed
    );
    assert_eq!(r.written as usize, 2 * (p.skus.len() - 1));
    assert_eq!(shopify_held(&s).len(), 2 * (p.skus.len() - 1));
    let log = actions(&db);
    assert_eq!(log[0].0, "writeback.push");
    assert_eq!(log[0].2["failed"].as_array().unwrap().len(), 2);
    assert_eq!(log[0].2["failed"][0]["sku"], json!(gone.sku));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopify_token_without_write_products_gets_an_error_naming_the_scope() {
    let (s, mut db, store, _) = planned(Sim::Shopify, |_| {}).await;
    let sim = s.sim.shopify().unwrap();
    sim.add_token(
        "shpat_read_only",
        &[
            "read_products",
            "read_inventory",
            "read_locations",
            "read_orders",
        ],
        None,
    );
    let read_only = Credentials::ShopifyToken {
        token: Secret::new("shpat_read_only"),
    };
    wb::approve(&mut db, &demo_stamp(), None, None).unwrap();
    let e = push(&mut db, &store, &read_only).await.unwrap_err();
    assert!(e.to_string().contains("write_products"), "{e}");
    assert!(
        !e.to_string().contains("shpat_read_only"),
        "no secret in errors: {e}"
    );
    assert!(matches!(
        e,
        forestock_api::Error::Connect(Error::Permission { .. })
    ));
    assert!(sim.metafields().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bigcommerce_writes_variant_metafields_and_a_lost_record_updates_instead_of_duplicating() {
    let (s, mut db, store, creds) = planned(Sim::BigCommerce, |_| {}).await;
    let sim = s.sim.bigcommerce().unwrap();
    let p = wb::preview(&db, None).unwrap();
    assert!(
        p.skus[0].owner.contains('/'),
        "product/variant: {}",
        p.skus[0].owner
    );
    let e = push(&mut db, &store, &creds).await.unwrap_err();
    assert!(e.to_string().contains("approve"), "{e}");
    wb::approve(&mut db, &demo_stamp(), None, Some(&p.content_hash)).unwrap();
    let r = push(&mut db, &store, &creds).await.unwrap();
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    let n = 2 * p.skus.len();
    assert_eq!(r.written as usize, n);
    let held = |sim: &forestock_sim::BigCommerceControl| -> BTreeMap<(String, String), String> {
        sim.metafields()
            .into_iter()
            .map(|m| {
                assert_eq!(m.permission_set, "app_only");
                assert_eq!(m.namespace, wb::NAMESPACE);
                (
                    (format!("{}/{}", m.product_id, m.variant_id), m.key),
                    m.value,
                )
            })
            .collect()
    };
    assert_eq!(held(sim), expected(&p));
    assert_eq!(sim.metafield_writes() as usize, n);
    let again = push(&mut db, &store, &creds).await.unwrap();
    assert_eq!((again.written, again.unchanged as usize), (0, n));
    assert_eq!(sim.metafield_writes() as usize, n);

    // A crash after the store took the values but before they were recorded: the next push
    // finds each metafield (409 on create), updates it by id, and creates no second one.
    let w = db.write().unwrap();
    w.tx().execute("DELETE FROM writeback_written", []).unwrap();
    w.commit().unwrap();
    let resumed = push(&mut db, &store, &creds).await.unwrap();
    assert!(resumed.failed.is_empty(), "{:?}", resumed.failed);
    assert_eq!(resumed.written as usize, n);
    assert_eq!(sim.metafields().len(), n, "no duplicates");
    assert_eq!(held(sim), expected(&p));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bigcommerce_account_without_products_modify_gets_an_error_naming_the_scope() {
    let (s, mut db, store, creds) = planned(Sim::BigCommerce, |c| {
        c.bigcommerce.scopes = vec![
            "store_v2_products_read_only".into(),
            "store_v2_orders_read_only".into(),
            "store_inventory_read_only".into(),
        ];
    })
    .await;
    wb::approve(&mut db, &demo_stamp(), None, None).unwrap();
    let e = push(&mut db, &store, &creds).await.unwrap_err();
    assert!(e.to_string().contains("store_v2_products"), "{e}");
    assert!(s.sim.bigcommerce().unwrap().metafields().is_empty());
}
