//! Issue "Concurrency": two syncs of one database, a killed sync's leftovers, throttling that
//! is waited out, bulk cancellation, and records changed while a pass runs.

use crate::support::*;
use forestock_connect::{sync_store, Credentials, Error, Secret};
use forestock_core::{Platform, RunKind, Store};
use forestock_sim::{Fault, Platform as Sim};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn shopify_creds(s: &Served) -> Credentials {
    Credentials::ShopifyToken {
        token: Secret::new(s.sim.config().shopify.admin_token.clone()),
    }
}

fn running_rows(db: &Store) -> (i64, i64) {
    let c = db.read().conn();
    let states = c
        .query_row(
            "SELECT count(*) FROM sync_state WHERE status = 'running'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let runs = c
        .query_row(
            "SELECT count(*) FROM runs WHERE status = 'running'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    (states, runs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_syncs_of_one_database_never_run_at_once() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut first, store_id, path) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    // A second handle on the same file, as a second process would open it.
    let mut second = Store::open(&path).unwrap();
    let creds = shopify_creds(&s);
    let faults = s.sim.faults(Sim::Shopify);
    faults.set_latency(Duration::from_millis(30));
    let opts = options();
    let progress = quiet();
    let (a, b) = tokio::join!(
        sync_store(&mut first, store_id, &creds, &opts, &progress),
        async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            sync_store(&mut second, store_id, &creds, &opts, &progress).await
        }
    );
    a.expect("the first sync runs to the end");
    let e = b.expect_err("the second sync is refused while the first runs");
    assert!(matches!(e, Error::SyncRunning { .. }), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("another sync") && msg.contains(&path.display().to_string()),
        "{msg}"
    );
    assert!(
        msg.contains(&std::process::id().to_string()),
        "names the owner: {msg}"
    );
    // Once the first is done, the second handle syncs normally.
    s.sim.faults(Sim::Shopify).clear();
    sync_store(&mut second, store_id, &creds, &opts, &quiet())
        .await
        .unwrap();
    assert_same(&s.source, &second);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sync_leaves_no_stale_running_state() {
    let s = serve(&[Sim::Shopify], |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, path) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let creds = shopify_creds(&s);
    s.sim
        .faults(Sim::Shopify)
        .set_latency(Duration::from_millis(40));
    let mut opts = options();
    opts.bulk_chunk = 200;
    // Killed mid-pass: the future is dropped, no error path runs (as with SIGKILL).
    let killed = tokio::time::timeout(
        Duration::from_millis(1500),
        sync_store(&mut db, store_id, &creds, &opts, &quiet()),
    )
    .await;
    assert!(killed.is_err(), "the sync was still running when killed");
    // The run header `sync_all` writes before syncing each store, never finished by the
    // killed process.
    {
        let w = db.write().unwrap();
        w.begin_run(RunKind::Sync, &json!({}), demo_now()).unwrap();
        w.commit().unwrap();
    }
    let (states, runs) = running_rows(&db);
    assert!(
        states > 0 && runs == 1,
        "precondition: the killed sync left running rows ({states}, {runs})"
    );
    s.sim.faults(Sim::Shopify).clear();
    // The lock died with the "process": a new sync (another handle) is not blocked ...
    let mut again = Store::open(&path).unwrap();
    drop(db);
    sync_store(&mut again, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    // ... and nothing says a sync is running any more.
    assert_eq!(running_rows(&again), (0, 0));
    let summary: String = again
        .read()
        .conn()
        .query_row("SELECT summary FROM runs WHERE kind = 'sync'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(summary.contains("interrupted"), "{summary}");
    assert_same(&s.source, &again);
    s.sim.shutdown().await;
}

/// The retry waits a sync asked for, in milliseconds, as its progress events report them.
fn recorded_waits() -> (forestock_connect::Progress, Arc<Mutex<Vec<u64>>>) {
    let waits: Arc<Mutex<Vec<u64>>> = Arc::default();
    let w = waits.clone();
    let progress = forestock_connect::Progress::new(move |e| {
        if let forestock_connect::SyncEvent::Retrying { wait_ms, .. } = e {
            w.lock().unwrap().push(*wait_ms);
        }
    });
    (progress, waits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_answers_do_not_count_as_failed_attempts() {
    let s = serve_skus(&[Sim::Shopify], 10, |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let mut opts = options();
    opts.retry.max_attempts = 3;
    // More THROTTLED answers in a row than the whole failure budget.
    s.sim.faults(Sim::Shopify).inject(Fault::RateLimited, 4);
    let report = sync_store(&mut db, store_id, &shopify_creds(&s), &opts, &quiet())
        .await
        .expect("throttled answers are waited out, not counted as failures");
    // The waits are still reported, each as long as Shopify's bucket asked.
    assert!(report.throttled_waits >= 4, "{report:?}");
    assert!(report.throttled_seconds >= 3.5, "{report:?}");
    assert_same(&s.source, &db);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_answers_do_not_count_as_failed_attempts_on_bigcommerce() {
    let s = serve_skus(&[Sim::BigCommerce], 10, |_| {}).await;
    let url = s.sim.url(Sim::BigCommerce).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::BigCommerce, &url, json!({}));
    let mut opts = options();
    opts.retry.max_attempts = 2;
    let f = s.sim.faults(Sim::BigCommerce);
    f.inject(Fault::RateLimited, 2);
    f.inject(Fault::TooManyRequests, 2);
    let creds = Credentials::BigCommerce {
        token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
    };
    sync_store(&mut db, store_id, &creds, &opts, &quiet())
        .await
        .expect("429s are waited out, not counted as failures");
    assert_same(&s.source, &db);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_as_an_http_date_is_honoured() {
    let s = serve_skus(&[Sim::BigCommerce], 10, |_| {}).await;
    let url = s.sim.url(Sim::BigCommerce).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::BigCommerce, &url, json!({}));
    // `Retry-After: <HTTP-date two seconds ahead>`: whole seconds, so 1–2 s from now.
    s.sim
        .faults(Sim::BigCommerce)
        .inject(Fault::TooManyRequestsUntil(2), 1);
    let creds = Credentials::BigCommerce {
        token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
    };
    let (progress, waits) = recorded_waits();
    let started = std::time::Instant::now();
    sync_store(&mut db, store_id, &creds, &options(), &progress)
        .await
        .unwrap();
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(
        (900..=2000).contains(&waits[0]),
        "waited until the date, not a backoff of a few ms: {waits:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_same(&s.source, &db);
    s.sim.shutdown().await;
}
