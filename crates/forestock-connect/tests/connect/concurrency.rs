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
    assert_same_refunds_per_line(&s.source, &db);
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
    assert_same_refunds_per_line(&s.source, &db);
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_operation_can_be_cancelled() {
    // Bulk operations stay RUNNING until released: the sync is waiting on one.
    let s = serve_skus(&[Sim::Shopify], 10, |c| c.shopify.bulk_manual = true).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let (mut db, store_id, _) = target(s.dir.path(), Platform::Shopify, &url, json!({}));
    let shop = s.sim.shopify().unwrap();
    let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut opts = options();
    opts.cancel = Some(cancel.clone());
    let progress = quiet();
    let creds = shopify_creds(&s);
    // The user presses cancel while the sync waits for its first bulk operation.
    let (r, ()) = tokio::join!(
        sync_store(&mut db, store_id, &creds, &opts, &progress),
        async {
            while !shop.bulk_operations().iter().any(|o| o.status == "RUNNING") {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            cancel.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    );
    assert!(matches!(r, Err(Error::Cancelled { .. })), "{r:?}");
    let ops = shop.bulk_operations();
    assert_eq!(ops.len(), 1);
    assert_eq!(
        ops[0].status, "CANCELED",
        "the remote operation was cancelled"
    );

    // A bulk operation that runs past the timeout is cancelled too, and the sync says so.
    opts.cancel = None;
    opts.bulk_timeout = Duration::from_millis(400);
    let e = sync_store(&mut db, store_id, &creds, &opts, &progress)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("did not finish within"), "{e}");
    let ops = shop.bulk_operations();
    assert_eq!(ops.len(), 2, "the cancelled operation was not resumed");
    assert!(ops.iter().all(|o| o.status == "CANCELED"), "{ops:?}");
    s.sim.shutdown().await;
}

/// Sync once (first sync), then make ten SKUs "recently changed" and sync again three per
/// page. While that pass runs, right after its first page, the merchant edits SKU A (on the
/// page just read) and then SKU B (on the last page). The pass sees B's edit but not A's; the
/// next incremental sync must pick A's up.
async fn changed_during_a_pass(platform: Sim, creds: impl Fn(&Served) -> Credentials) {
    use forestock_connect::SyncEvent;
    use std::sync::atomic::{AtomicBool, Ordering};
    let s = serve_skus(&[platform], 40, |_| {}).await;
    let url = s.sim.url(platform).unwrap();
    let kind = match platform {
        Sim::Shopify => Platform::Shopify,
        _ => Platform::BigCommerce,
    };
    let (mut db, store_id, _) = target(s.dir.path(), kind, &url, json!({}));
    let creds = creds(&s);
    sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    // Ten SKUs edited a minute before the next sync: the first variant of each of the first
    // ten products, so they are in page order on both platforms (Shopify pages variants by
    // id, BigCommerce products by id) and each page holds distinct products.
    let picked: Vec<String> = {
        let src = Store::open(&s.source).unwrap();
        let c = src.read().conn();
        let mut st = c
            .prepare(
                "SELECT sku FROM variants v WHERE id = \
                 (SELECT min(id) FROM variants w WHERE w.product_id = v.product_id) \
                 ORDER BY product_id LIMIT 10",
            )
            .unwrap();
        let rows = st.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let editor = s.sim.editor();
    let now = demo_now();
    assert_eq!(picked.len(), 10, "the demo has ten products");
    for sku in &picked {
        assert!(editor.touch_variant(sku, None, now - chrono::TimeDelta::minutes(1)));
    }
    let (a, b) = (picked[0].clone(), picked[9].clone());
    let fired = Arc::new(AtomicBool::new(false));
    let progress = {
        let (editor, fired, a, b) = (editor.clone(), fired.clone(), a.clone(), b.clone());
        forestock_connect::Progress::new(move |e| {
            if let SyncEvent::Progress { resource, .. } = e {
                if resource == "products" && !fired.swap(true, Ordering::SeqCst) {
                    // A is on the page just committed; B on a page still to come.
                    editor.touch_variant(&a, Some(999.0), now + chrono::TimeDelta::minutes(1));
                    editor.touch_variant(&b, Some(777.0), now + chrono::TimeDelta::minutes(2));
                }
            }
        })
    };
    let mut opts = options();
    opts.page_size = 3;
    sync_store(&mut db, store_id, &creds, &opts, &progress)
        .await
        .unwrap();
    assert!(fired.load(Ordering::SeqCst));
    let price = |db: &Store, sku: &str| -> f64 {
        db.read()
            .conn()
            .query_row("SELECT price FROM variants WHERE sku = ?1", [sku], |r| {
                r.get(0)
            })
            .unwrap()
    };
    // Precondition: the edits landed mid-pass (B's seen on a later page, A's page was read).
    assert_eq!(price(&db, &b), 777.0);
    assert_ne!(price(&db, &a), 999.0);
    sync_store(&mut db, store_id, &creds, &options(), &quiet())
        .await
        .unwrap();
    assert_eq!(
        price(&db, &a),
        999.0,
        "{platform:?}: the edit made during the last pass was skipped"
    );
    s.sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_changed_during_a_pass_is_not_skipped() {
    changed_during_a_pass(Sim::Shopify, shopify_creds).await;
    changed_during_a_pass(Sim::BigCommerce, |s| Credentials::BigCommerce {
        token: Secret::new(s.sim.config().bigcommerce.access_token.clone()),
    })
    .await;
}
