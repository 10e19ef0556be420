//! Secrets stay secret: the URL rule (https except loopback, no user:password), the
//! pre-signed bulk-download URL kept out of every error and event, and keychain entries that
//! are not ours left alone. Over real HTTP against the simulators.

use crate::support::*;
use forestock_connect::credentials::Backend;
use forestock_connect::stores::{
    connect_store, credentials_for, remove_store, ConnectRequest, KeychainCleanup,
};
use forestock_connect::{
    sync_all, sync_store, Credentials, Error, Keychain, KeychainRef, Progress, Secret, SyncEvent,
};
use forestock_core::{NewStore, Platform, Store};
use forestock_sim::Platform as Sim;
use serde_json::json;
use std::sync::{Arc, Mutex};

fn shopify_req(url: &str, token: &str) -> ConnectRequest {
    ConnectRequest {
        platform: Platform::Shopify,
        name: None,
        base_url: url.to_string(),
        settings: json!({"api_version": "2026-01"}),
        credentials: Credentials::ShopifyToken {
            token: Secret::new(token),
        },
    }
}

/// Every platform's connect request for `url` (credentials that would work on the simulator).
fn every_platform(url: &str) -> Vec<ConnectRequest> {
    vec![
        shopify_req(url, "shpat_forestock_demo_admin_token"),
        ConnectRequest {
            platform: Platform::BigCommerce,
            name: Some("BC".into()),
            base_url: url.to_string(),
            settings: json!({}),
            credentials: Credentials::BigCommerce {
                token: Secret::new("bc_forestock_demo_access_token"),
            },
        },
        ConnectRequest {
            platform: Platform::Adobe,
            name: None,
            base_url: url.to_string(),
            settings: json!({}),
            credentials: Credentials::AdobeBearer {
                token: Secret::new("adobe-token"),
            },
        },
        ConnectRequest {
            platform: Platform::NetSuite,
            name: Some("NetSuite 1234567".into()),
            base_url: url.to_string(),
            settings: json!({"account": "1234567"}),
            credentials: Credentials::NetSuiteTba {
                account: "1234567".into(),
                consumer_key: "ck".into(),
                consumer_secret: Secret::new("cs"),
                token: Secret::new("tk"),
                token_secret: Secret::new("ts"),
            },
        },
    ]
}

/// Never touched when the URL is refused (the rule runs before the keychain).
fn untouched_keychain() -> Keychain {
    Keychain::new(Backend::Native)
}

fn assert_nothing_stored(db: &Store) {
    assert!(db.read().stores().unwrap().is_empty());
    assert!(db.read().merchant().unwrap().is_none());
    let audits: i64 = db
        .read()
        .conn()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(audits, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_store_url_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Store::create(&dir.path().join("shop.db")).unwrap();
    for url in [
        "http://example.com",
        "http://shop.myshopify.com",
        "http://10.1.2.3:8080/stores/abc",
        "ftp://example.com",
    ] {
        for req in every_platform(url) {
            let platform = req.platform;
            let e = connect_store(
                &mut db,
                &untouched_keychain(),
                req,
                &demo_stamp(),
                Default::default(),
            )
            .await
            .unwrap_err();
            assert!(matches!(e, Error::Invalid { .. }), "{platform} {url}: {e}");
            if url.starts_with("http:") {
                assert!(e.to_string().contains("https://"), "{e}");
            }
        }
    }
    assert_nothing_stored(&db);

    // A store row written by an older version with a plain-http URL is refused at use: no
    // request is sent with the token.
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let (mut db, id, _) = target(
        s.dir.path(),
        Platform::Shopify,
        "http://example.com",
        json!({}),
    );
    let e = sync_store(
        &mut db,
        id,
        &Credentials::ShopifyToken {
            token: Secret::new(s.sim.config().shopify.admin_token.clone()),
        },
        &options(),
        &quiet(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e}");
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_in_a_store_url_is_refused_and_never_stored() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let password = "pw-hunter2-in-url";
    let path = s.dir.path().join("shop.db");
    let mut db = Store::create(&path).unwrap();
    let token = s.sim.config().shopify.admin_token.clone();
    // Loopback http is allowed, but not with a user name or password in it.
    let with_pw = url.replacen("http://", &format!("http://admin:{password}@"), 1);
    let with_user = url.replacen("http://", &format!("http://{password}@"), 1);
    for bad in [
        with_pw.clone(),
        with_user,
        format!("https://admin:{password}@shop.example.com"),
    ] {
        for req in every_platform(&bad) {
            let e = connect_store(
                &mut db,
                &untouched_keychain(),
                req,
                &demo_stamp(),
                Default::default(),
            )
            .await
            .unwrap_err();
            assert!(matches!(e, Error::Invalid { .. }), "{e}");
            assert!(!e.to_string().contains(password), "{e}");
            assert!(e.to_string().contains("user name or password"), "{e}");
        }
    }
    assert_nothing_stored(&db);
    assert_eq!(
        s.sim.faults(Sim::Shopify).request_count(),
        0,
        "no request was sent"
    );

    // A row an older version stored with the password: never used to send the token, and
    // the error does not repeat the password.
    let (mut old, id, _) = target(s.dir.path(), Platform::Shopify, &with_pw, json!({}));
    let creds = Credentials::ShopifyToken {
        token: Secret::new(token.clone()),
    };
    let e = sync_store(&mut old, id, &creds, &options(), &quiet())
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Invalid { .. }), "{e}");
    assert!(!e.to_string().contains(password), "{e}");
    assert!(e.to_string().contains("connect it again"), "{e}");
    assert_eq!(s.sim.faults(Sim::Shopify).request_count(), 0);
    let rec = old.read().stores().unwrap().remove(0);
    let e = forestock_connect::stores::verify(&rec, &creds, Default::default())
        .await
        .unwrap_err();
    assert!(!e.to_string().contains(password), "{e}");
    assert_eq!(s.sim.faults(Sim::Shopify).request_count(), 0);
    // Shown without it.
    let shown = forestock_connect::remote_url::display_stored_url(&rec.base_url);
    assert!(!shown.contains(password), "{shown}");
    assert!(shown.starts_with("http://127.0.0.1:"), "{shown}");

    drop(db);
    // The connect attempts wrote nothing with it (the old-style rows live in target-*.db).
    for entry in std::fs::read_dir(s.dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.to_string_lossy().contains("shop.db") {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !bytes
                    .windows(password.len())
                    .any(|w| w == password.as_bytes()),
                "password found in {}",
                p.display()
            );
        }
    }
    s.sim.shutdown().await;
}

/// The bulk result URL is pre-signed (its query string is the credential). Serve it from an
/// origin where nothing listens, so the download fails with a transport error whose reqwest
/// text carries the whole URL; none of it may reach the returned error, the stored sync error,
/// the run summary, the progress events or the database file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bulk_download_url_never_reaches_errors_or_events() {
    let s = serve_skus(&[Sim::Shopify], 10, |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let control = s.sim.shopify().unwrap();
    // Port 9 (discard) on loopback: connection refused.
    control.set_bulk_origin(Some("http://127.0.0.1:9".into()));
    let path = s.dir.path().join("shop.db");
    let mut db = Store::create(&path).unwrap();
    let kc = Keychain::from_env().unwrap();
    let token = s.sim.config().shopify.admin_token.clone();
    let rec = connect_store(
        &mut db,
        &kc,
        shopify_req(&url, &token),
        &demo_stamp(),
        Default::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("connect failed (is a keychain backend running?): {e}"));

    let events: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = Arc::clone(&events);
    let progress = Progress::new(move |e: &SyncEvent| {
        sink.lock().unwrap().push(serde_json::to_string(e).unwrap());
    });
    let mut opts = options();
    opts.retry.max_attempts = 3;
    let results = sync_all(&mut db, &kc, &opts, &progress).await.unwrap();
    let err = results[0].1.as_ref().unwrap_err();

    let ops = control.bulk_operations();
    assert!(!ops.is_empty(), "the sync ran a bulk operation");
    let signatures: Vec<String> = ops.iter().map(|o| o.key.clone()).collect();
    let mut texts = vec![err.to_string(), format!("{err:?}")];
    let state = db.read().sync_states().unwrap();
    let stored: Vec<String> = state.iter().filter_map(|s| s.last_error.clone()).collect();
    assert!(!stored.is_empty(), "the failure was recorded");
    texts.extend(stored);
    let summary: String = db
        .read()
        .conn()
        .query_row(
            "SELECT summary FROM runs WHERE kind = 'sync' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    texts.push(summary);
    let events = events.lock().unwrap().clone();
    assert!(
        events.iter().any(|e| e.contains("\"retrying\"")),
        "the download was retried: {events:?}"
    );
    texts.extend(events);
    // The download was the failing request: the error names its host and path.
    assert!(err.to_string().contains("127.0.0.1:9/_bulk/"), "{err}");
    assert_eq!(err.code(), "network", "{err}");
    for t in &texts {
        for sig in &signatures {
            assert!(!t.contains(sig.as_str()), "signature leaked: {t}");
        }
        assert!(!t.contains("X-Goog"), "query string leaked: {t}");
    }
    remove_store(&mut db, &kc, rec.id, &demo_stamp()).unwrap();
    drop(db);
    let sig_refs: Vec<&str> = signatures.iter().map(String::as_str).collect();
    assert_not_in_files(s.dir.path(), &sig_refs);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_keychain_entry_is_never_deleted() {
    let kc = Keychain::from_env().unwrap();
    // Another application's entry, named by a tampered (or foreign) database row.
    let foreign = KeychainRef {
        service: "forestock-test-other-app".into(),
        account: format!("victim-{:016x}", rand_u64()),
    };
    let creds = Credentials::BigCommerce {
        token: Secret::new("someone-elses-secret"),
    };
    if let Err(e) = kc.save(&foreign, &creds) {
        panic!("no usable keychain backend: {e}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut db = Store::create(&dir.path().join("shop.db")).unwrap();
    let w = db.write().unwrap();
    let id = w
        .insert_store(
            &NewStore {
                platform: Platform::BigCommerce,
                name: "Tampered".into(),
                base_url: "https://api.bigcommerce.com/stores/abc".into(),
                keychain_ref: Some(foreign.to_string()),
                settings: json!({}),
            },
            demo_now(),
        )
        .unwrap();
    w.commit().unwrap();

    // Not read either: a sync would otherwise send another app's secret to the store URL.
    let rec = db.read().stores().unwrap().remove(0);
    let e = credentials_for(&kc, &rec).unwrap_err();
    assert!(e.to_string().contains("does not create"), "{e}");

    let removed = remove_store(&mut db, &kc, id, &demo_stamp()).unwrap();
    assert_eq!(
        removed.keychain,
        KeychainCleanup::LeftForeign(foreign.to_string())
    );
    assert!(db.read().stores().unwrap().is_empty(), "the row is removed");
    // The foreign entry is still there.
    let still = kc.load(&foreign, "other app").unwrap();
    assert_eq!(still.secret_values(), vec!["someone-elses-secret"]);
    kc.delete(&foreign).unwrap();
}

fn rand_u64() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7)
}
