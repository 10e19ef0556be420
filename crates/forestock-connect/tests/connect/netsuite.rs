use crate::support::*;
use forestock_connect::netsuite::{der_to_pem, NetSuiteClient, NsLine, NsPurchaseOrder};
use forestock_connect::{outbox, Credentials, Error, Progress, Secret};
use forestock_core::{AuditFilter, Platform, Store, StoreRecord};
use forestock_sim::{Fault, Platform as Sim};
use serde_json::json;

pub fn p256_pem() -> String {
    use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let rng = ring::rand::SystemRandom::new();
    let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
    der_to_pem(doc.as_ref())
}

pub fn store_rec(url: &str) -> StoreRecord {
    StoreRecord {
        id: 1,
        platform: Platform::NetSuite,
        name: "NetSuite prod".into(),
        base_url: url.into(),
        keychain_ref: None,
        settings: json!({}),
        created_at: demo_now(),
    }
}

pub fn m2m(s: &Served) -> Credentials {
    let c = &s.sim.config().netsuite;
    Credentials::NetSuiteM2m {
        account: c.account_id.clone(),
        client_id: c.client_id.clone(),
        certificate_id: c.certificate_id.clone(),
        private_key_pem: Secret::new(p256_pem()),
    }
}

fn tba(s: &Served, secret: &str) -> Credentials {
    let c = &s.sim.config().netsuite;
    Credentials::NetSuiteTba {
        account: c.account_id.clone(),
        consumer_key: c.consumer_key.clone(),
        consumer_secret: Secret::new(c.consumer_secret.clone()),
        token: Secret::new(c.token_id.clone()),
        token_secret: Secret::new(secret.to_string()),
    }
}

/// A PO for the demo's first supplier and two of its SKUs.
pub fn sample_po(source: &std::path::Path, number: &str) -> NsPurchaseOrder {
    let db = Store::open(source).unwrap();
    let supplier = db.read().suppliers().unwrap().remove(0);
    let skus = db.read().skus().unwrap();
    NsPurchaseOrder {
        number: number.into(),
        supplier: supplier.name,
        vendor_id: None,
        location_id: None,
        subsidiary_id: None,
        order_date: demo_now().date(),
        expected_date: demo_now().date() + chrono::Days::new(14),
        memo: "Draft from Forestock".into(),
        lines: skus
            .iter()
            .take(2)
            .map(|s| NsLine {
                sku: s.sku.clone(),
                item_id: None,
                quantity: 24,
                rate: 3.15,
            })
            .collect(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushing_the_same_po_twice_yields_one_netsuite_po() {
    let s = serve_skus(&[Sim::NetSuite], 10, |_| {}).await;
    let url = s.sim.url(Sim::NetSuite).unwrap();
    let c = NetSuiteClient::from_store(&store_rec(&url), &m2m(&s), &options(), &Progress::none())
        .unwrap();
    let po = sample_po(&s.source, "FCST-PO-2026-000123");
    let a = c.push_purchase_order(&po).await.unwrap();
    // Under the concurrency limit and a 5xx the retry still lands on the same record.
    s.sim.faults(Sim::NetSuite).inject(Fault::RateLimited, 2);
    s.sim
        .faults(Sim::NetSuite)
        .inject(Fault::ServerError(503), 1);
    let b = c.push_purchase_order(&po).await.unwrap();
    assert_eq!(a.internal_id, b.internal_id);
    let pos = s.sim.netsuite().unwrap().purchase_orders();
    assert_eq!(pos.len(), 1, "{pos:?}");
    assert_eq!(pos[0].external_id.as_deref(), Some("FCST-PO-2026-000123"));
    assert_eq!(pos[0].body["item"]["items"].as_array().unwrap().len(), 2);
    // TBA (OAuth 1.0a) reaches the same record too.
    let c = NetSuiteClient::from_store(
        &store_rec(&url),
        &tba(&s, &s.sim.config().netsuite.token_secret),
        &options(),
        &Progress::none(),
    )
    .unwrap();
    let t = c.push_purchase_order(&po).await.unwrap();
    assert_eq!(t.internal_id, a.internal_id);
    assert_eq!(s.sim.netsuite().unwrap().purchase_orders().len(), 1);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_login_unknown_vendor_and_bad_number_are_clear() {
    let s = serve_skus(&[Sim::NetSuite], 10, |_| {}).await;
    let url = s.sim.url(Sim::NetSuite).unwrap();
    let c = NetSuiteClient::from_store(
        &store_rec(&url),
        &tba(&s, "wrong-token-secret"),
        &options(),
        &Progress::none(),
    )
    .unwrap();
    let e = c
        .push_purchase_order(&sample_po(&s.source, "PO-1"))
        .await
        .unwrap_err();
    assert!(
        e.is_auth() && e.to_string().contains("NetSuite prod"),
        "{e}"
    );
    assert!(!e.to_string().contains("wrong-token-secret"));
    let c = NetSuiteClient::from_store(&store_rec(&url), &m2m(&s), &options(), &Progress::none())
        .unwrap();
    let mut po = sample_po(&s.source, "PO-2");
    po.supplier = "No Such Vendor Ltd".into();
    let e = c.push_purchase_order(&po).await.unwrap_err();
    assert!(e.to_string().contains("No Such Vendor Ltd"), "{e}");
    let e = c
        .push_purchase_order(&sample_po(&s.source, "PO|3"))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e}");
    assert!(s.sim.netsuite().unwrap().purchase_orders().is_empty());
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_waits_offline_then_pushes_once_and_audits() {
    let s = serve_skus(&[Sim::NetSuite], 10, |_| {}).await;
    let url = s.sim.url(Sim::NetSuite).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::NetSuite, &url, json!({}));
    let po = sample_po(&s.source, "FCST-PO-7");
    // Approved twice while offline: one queued push.
    outbox::enqueue(&mut db, store_id, &po, "cli:test", demo_now()).unwrap();
    outbox::enqueue(&mut db, store_id, &po, "cli:test", demo_now()).unwrap();
    assert_eq!(
        outbox::items(&db, Some(outbox::OutboxStatus::Pending))
            .unwrap()
            .len(),
        1
    );
    // "Offline": a client pointed at a closed port keeps it pending.
    let offline = NetSuiteClient::from_store(
        &store_rec("http://127.0.0.1:9"),
        &m2m(&s),
        &{
            let mut o = options();
            o.retry.max_attempts = 2;
            o
        },
        &Progress::none(),
    )
    .unwrap();
    let r = outbox::push_pending(&mut db, store_id, &offline, "cli:test", demo_now())
        .await
        .unwrap();
    assert!(r[0].1.is_err());
    assert_eq!(
        outbox::items(&db, Some(outbox::OutboxStatus::Pending))
            .unwrap()
            .len(),
        1
    );
    // Online: pushed, recorded, audited.
    let online =
        NetSuiteClient::from_store(&store_rec(&url), &m2m(&s), &options(), &Progress::none())
            .unwrap();
    let r = outbox::push_pending(&mut db, store_id, &online, "cli:test", demo_now())
        .await
        .unwrap();
    let id = r[0].1.as_ref().unwrap().internal_id.clone();
    assert_eq!(
        outbox::remote_id(&db, store_id, "FCST-PO-7").unwrap(),
        Some(id)
    );
    assert!(
        outbox::push_pending(&mut db, store_id, &online, "cli:test", demo_now())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(s.sim.netsuite().unwrap().purchase_orders().len(), 1);
    let audit = db
        .read()
        .audit_entries(&AuditFilter {
            entity_id: Some("FCST-PO-7".into()),
            ..Default::default()
        })
        .unwrap();
    let actions: Vec<_> = audit.iter().map(|a| a.action.as_str()).collect();
    assert!(
        actions.contains(&"po.push") && actions.contains(&"po.push_failed"),
        "{actions:?}"
    );
    s.sim.shutdown().await;
}
