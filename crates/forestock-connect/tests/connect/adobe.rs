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
