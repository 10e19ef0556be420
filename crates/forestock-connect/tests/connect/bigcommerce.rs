use crate::support::*;
use forestock_connect::{sync_store, Credentials, Error, Secret};
use forestock_core::Platform;
use forestock_sim::{Fault, Platform as Sim};
use serde_json::json;

fn creds(s: &Served) -> Credentials {
    Credentials::BigCommerce {
        token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_reproduces_the_merchant_under_rate_limits_and_faults() {
    let s = serve_skus(&[Sim::BigCommerce], 10, |_| {}).await;
    let url = s.sim.url(Sim::BigCommerce).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::BigCommerce, &url, json!({}));
    let f = s.sim.faults(Sim::BigCommerce);
    f.inject(Fault::RateLimited, 2);
    f.inject(Fault::TooManyRequests, 1);
    f.inject(Fault::ServerError(500), 1);
    f.inject(Fault::DropConnection, 1);
    f.inject(Fault::MalformedJson, 1);
    f.every(50, Fault::ServerError(503));
    let r = sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    f.clear();
    assert!(r.orders > 1000, "{r:?}");
    assert_same_refunds_per_line(&s.source, &db);
    // Incremental: nothing new, nothing duplicated.
    let before = fingerprint(&db);
    sync_store(&mut db, store_id, &creds(&s), &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(fingerprint(&db), before);
    assert_not_in_files(s.dir.path(), &[&s.sim.config().bigcommerce.access_token]);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_then_resumed_and_bad_token() {
    let s = serve_skus(&[Sim::BigCommerce], 10, |_| {}).await;
    let url = s.sim.url(Sim::BigCommerce).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::BigCommerce, &url, json!({}));
    let bad = Credentials::BigCommerce {
        token: Secret::new("bc_wrong_token"),
    };
    let e = sync_store(&mut db, store_id, &bad, &options(), &quiet())
        .await
        .unwrap_err();
    assert!(
        e.is_auth()
            && e.to_string().contains("Test shop")
            && !e.to_string().contains("bc_wrong_token"),
        "{e}"
    );
    let mut opts = options();
    for stop in [2u64, 3, 1, 4] {
        opts.stop_after_pages = Some(stop);
        match sync_store(&mut db, store_id, &creds(&s), &opts, &quiet()).await {
            Err(Error::Cancelled { .. }) | Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    opts.stop_after_pages = None;
    sync_store(&mut db, store_id, &creds(&s), &opts, &quiet())
        .await
        .unwrap();
    assert_same_refunds_per_line(&s.source, &db);
    s.sim.shutdown().await;
}
