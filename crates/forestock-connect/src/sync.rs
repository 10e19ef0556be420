//! The sync engine: runs each connected store's connector, one resource after another, and
//! records the run.

use crate::credentials::{Credentials, Keychain};
use crate::error::{Error, Result};
use crate::http::RetryPolicy;
use crate::lock::SyncLock;
use crate::progress::Progress;
use crate::shopify::{self, ShopifyAuth, ShopifyClient};
use chrono::{Months, NaiveDateTime};
use forestock_core::{Platform, RunKind, RunStatus, Store, StoreRecord};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// How a sync runs. `now` is passed in (tests pin it); the rest have working defaults.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub now: NaiveDateTime,
    /// Months of order history a first sync takes.
    pub history_months: u32,
    pub retry: RetryPolicy,
    /// Items per page for paged resources (the platform's maximum is applied).
    pub page_size: u32,
    /// Orders per page for paged order queries (orders are expensive per item).
    pub order_page_size: u32,
    /// Top-level bulk-result objects applied per transaction.
    pub bulk_chunk: usize,
    /// Set to stop between pages (the app's cancel button, the CLI's Ctrl-C); a Shopify bulk
    /// operation being waited for is cancelled on Shopify's side too.
    pub cancel: Option<Arc<AtomicBool>>,
    /// A Shopify bulk operation running longer than this is cancelled and the sync fails
    /// (a later sync starts a new one).
    pub bulk_timeout: std::time::Duration,
    /// Stop with [`Error::Cancelled`] after this many committed pages (tests of resumption).
    pub stop_after_pages: Option<u64>,
}

impl SyncOptions {
    pub fn new(now: NaiveDateTime) -> SyncOptions {
        SyncOptions {
            now,
            history_months: 24,
            retry: RetryPolicy::default(),
            page_size: 250,
            order_page_size: 25,
            bulk_chunk: 2000,
            cancel: None,
            // Shopify allows a bulk query 10 days (API-NOTES §1.6); a nightly sync should not
            // wait more than a few hours for one.
            bulk_timeout: std::time::Duration::from_secs(6 * 3600),
            stop_after_pages: None,
        }
    }
}

/// What a sync of one store did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    pub store: String,
    pub locations: u64,
    pub variants: u64,
    pub inventory_levels: u64,
    pub orders: u64,
    pub requests: u64,
    /// Waits for the platform's rate limit (Shopify's cost bucket: before a query that
    /// would not fit, and after a THROTTLED answer) and their total length.
    pub throttled_waits: u64,
    pub throttled_seconds: f64,
    pub seconds: f64,
    pub warnings: Vec<String>,
    /// How synced orders were attributed to locations (API-NOTES 5b): nothing is dropped.
    pub attribution: Attribution,
}

/// Orders and units attributed by each rule in one sync (API-NOTES 5b "report how many
/// orders/units went through each rule").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Attribution {
    /// Point-of-sale orders, by the location that sold them.
    pub pos_orders: u64,
    pub pos_units: i64,
    /// Online orders, by the location that fulfils them: Shopify fulfillment orders' assigned
    /// location, a BigCommerce pickup consignment's location.
    pub fulfillment_orders: u64,
    pub fulfillment_units: i64,
    /// Orders with neither signal, given to the store's default location.
    pub default_orders: u64,
    pub default_units: i64,
}

/// Orders and units a pass wrote at the location the platform named (`located`) and at the
/// store's default location (`defaulted`), summed over its pages.
#[derive(Debug, Default)]
pub(crate) struct Tally(std::cell::Cell<[(u64, i64); 2]>);

impl Tally {
    pub fn add(&self, a: &crate::remote::Applied) {
        let [(lo, lu), (d_o, du)] = self.0.get();
        self.0.set([
            (lo + a.located_orders, lu + a.located_units),
            (d_o + a.defaulted_orders, du + a.defaulted_units),
        ]);
    }
}

/// For a platform whose orders seldom name a location (BigCommerce: only pickups; Adobe
/// Commerce): record how many orders and units went to the location that fulfils them and to
/// the store's default location, in the report and as a note.
pub(crate) fn note_default_attribution(ctx: &Ctx, report: &mut SyncReport, tally: &Tally) {
    let [(lo, lu), (orders, units)] = tally.0.get();
    report.attribution.fulfillment_orders += lo;
    report.attribution.fulfillment_units += lu;
    report.attribution.default_orders += orders;
    report.attribution.default_units += units;
    if orders > 0 {
        ctx.progress.emit(crate::progress::SyncEvent::Note {
            store: ctx.store_name.clone(),
            message: format!(
                "{}: {orders} orders / {units} units named no location and went to the \
                 store's default location (its first active warehouse unless `forestock \
                 connect default-location` names another)",
                ctx.store_name
            ),
        });
    }
}

/// Per-run context handed to a connector.
pub(crate) struct Ctx {
    pub store_id: i64,
    pub store_name: String,
    pub now: NaiveDateTime,
    pub history_from: NaiveDateTime,
    pub progress: Progress,
    pub page_size: u32,
    pub order_page_size: u32,
    pub bulk_chunk: usize,
    pub bulk_timeout: std::time::Duration,
    cancel: Option<Arc<AtomicBool>>,
    stop_after_pages: Option<u64>,
    pages: AtomicU64,
}

impl Ctx {
    /// Stop if the user cancelled.
    pub fn check(&self) -> Result<()> {
        if self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::SeqCst))
        {
            return Err(Error::Cancelled {
                store: self.store_name.clone(),
            });
        }
        Ok(())
    }

    /// A context for unit tests of the pass machinery: no cancel, no page limit.
    #[cfg(test)]
    pub fn for_test(store_id: i64, store_name: &str, now: NaiveDateTime) -> Ctx {
        Ctx {
            store_id,
            store_name: store_name.to_string(),
            now,
            history_from: now,
            progress: Progress::none(),
            page_size: 100,
            order_page_size: 100,
            bulk_chunk: 100,
            bulk_timeout: std::time::Duration::from_secs(60),
            cancel: None,
            stop_after_pages: None,
            pages: AtomicU64::new(0),
        }
    }

    /// Count a committed page (and stop if a test asked to).
    pub fn page_done(&self) -> Result<()> {
        let n = self.pages.fetch_add(1, Ordering::SeqCst) + 1;
        if self.stop_after_pages.is_some_and(|max| n >= max) {
            return Err(Error::Cancelled {
                store: self.store_name.clone(),
            });
        }
        self.check()
    }
}

/// Sync one store with the given credentials. Each page is committed as it arrives; on
/// error the database holds every page before it, and the next sync resumes from there.
/// Refuses with [`Error::SyncRunning`] while another sync of the same database runs.
pub async fn sync_store(
    db: &mut Store,
    store_id: i64,
    creds: &Credentials,
    opts: &SyncOptions,
    progress: &Progress,
) -> Result<SyncReport> {
    let _lock = SyncLock::acquire(db)?;
    crate::lock::clear_stale_running(db, opts.now)?;
    sync_one(db, store_id, creds, opts, progress).await
}

/// [`sync_store`] with the sync lock already held.
async fn sync_one(
    db: &mut Store,
    store_id: i64,
    creds: &Credentials,
    opts: &SyncOptions,
    progress: &Progress,
) -> Result<SyncReport> {
    let store = db
        .read()
        .stores()?
        .into_iter()
        .find(|s| s.id == store_id)
        .ok_or_else(|| Error::invalid("store", format!("no store with id {store_id}")))?;
    let started = std::time::Instant::now();
    let ctx = Ctx {
        store_id,
        store_name: store.name.clone(),
        now: opts.now,
        history_from: opts
            .now
            .checked_sub_months(Months::new(opts.history_months))
            .unwrap_or(opts.now),
        progress: progress.clone(),
        page_size: opts.page_size.max(1),
        order_page_size: opts.order_page_size.max(1),
        bulk_chunk: opts.bulk_chunk,
        bulk_timeout: opts.bulk_timeout,
        cancel: opts.cancel.clone(),
        stop_after_pages: opts.stop_after_pages,
        pages: AtomicU64::new(0),
    };
    let mut report = SyncReport {
        store: store.name.clone(),
        ..Default::default()
    };
    let result = match store.platform {
        Platform::Shopify => {
            let client = shopify_client(&store, creds, opts, progress)?;
            let r = shopify::sync(&client, db, &ctx, &mut report).await;
            report.requests = client.request_count();
            let (waits, waited) = client.throttled();
            report.throttled_waits = waits;
            report.throttled_seconds = waited.as_secs_f64();
            r
        }
        Platform::BigCommerce => {
            let client =
                crate::bigcommerce::BigCommerceClient::from_store(&store, creds, opts, progress)?;
            let r = crate::bigcommerce::sync(&client, db, &ctx, &mut report).await;
            report.requests = client.request_count();
            let (waits, waited) = client.throttled();
            report.throttled_waits = waits;
            report.throttled_seconds = waited.as_secs_f64();
            r
        }
        Platform::Adobe => {
            let client = crate::adobe::AdobeClient::from_store(&store, creds, opts, progress)?;
            let r = crate::adobe::sync(&client, db, &ctx, &mut report).await;
            report.requests = client.request_count();
            r
        }
        Platform::NetSuite | Platform::Demo => Ok(()),
    };
    report.seconds = started.elapsed().as_secs_f64();
    if let Err(e) = &result {
        // Keep the cursor; record what went wrong for the app's status line.
        if let Ok(w) = db.write() {
            let _ignored = crate::state::save_error(&w, store_id, "sync", &e.to_string())
                .and_then(|()| w.commit().map_err(Error::from));
        }
    }
    result.map(|()| report)
}

pub(crate) fn shopify_client(
    store: &StoreRecord,
    creds: &Credentials,
    opts: &SyncOptions,
    progress: &Progress,
) -> Result<ShopifyClient> {
    let auth = match creds {
        Credentials::ShopifyToken { token } => ShopifyAuth::Token(token.clone()),
        Credentials::ShopifyClient {
            client_id,
            client_secret,
        } => ShopifyAuth::ClientCredentials {
            client_id: client_id.clone(),
            client_secret: client_secret.clone(),
        },
        _ => return Err(wrong_creds(store)),
    };
    let version = store
        .settings
        .get("api_version")
        .and_then(|v| v.as_str())
        .unwrap_or(shopify::DEFAULT_API_VERSION);
    ShopifyClient::new(
        &store.name,
        &store.base_url,
        version,
        auth,
        opts.retry,
        progress.clone(),
    )
}

pub(crate) fn wrong_creds(store: &StoreRecord) -> Error {
    Error::Invalid {
        what: "credentials",
        detail: format!(
            "{}: the keychain holds credentials for another platform than {}; reconnect it",
            store.name, store.platform
        ),
    }
}

/// Sync every connected store (NetSuite is push-only and skipped), loading credentials from
/// the keychain, and record the run. Returns each store's result; one store failing does not
/// stop the others. Refuses with [`Error::SyncRunning`] while another sync of the same
/// database runs (the app and a nightly job).
pub async fn sync_all(
    db: &mut Store,
    keychain: &Keychain,
    opts: &SyncOptions,
    progress: &Progress,
) -> Result<Vec<(String, Result<SyncReport>)>> {
    let _lock = SyncLock::acquire(db)?;
    crate::lock::clear_stale_running(db, opts.now)?;
    let stores: Vec<StoreRecord> = db
        .read()
        .stores()?
        .into_iter()
        .filter(|s| {
            matches!(
                s.platform,
                Platform::Shopify | Platform::BigCommerce | Platform::Adobe
            )
        })
        .collect();
    let run_id = {
        let w = db.write()?;
        let id = w.begin_run(
            RunKind::Sync,
            &serde_json::json!({ "stores": stores.iter().map(|s| &s.name).collect::<Vec<_>>() }),
            opts.now,
        )?;
        w.commit()?;
        id
    };
    let mut out = Vec::new();
    for s in stores {
        let r = match crate::stores::credentials_for(keychain, &s) {
            Ok(creds) => sync_one(db, s.id, &creds, opts, progress).await,
            Err(e) => Err(e),
        };
        out.push((s.name, r));
    }
    let failed = out.iter().filter(|(_, r)| r.is_err()).count();
    let summary = serde_json::json!({
        "stores": out.iter().map(|(name, r)| match r {
            Ok(rep) => serde_json::json!({"store": name, "ok": true, "orders": rep.orders,
                "variants": rep.variants, "locations": rep.locations,
                "inventory_levels": rep.inventory_levels, "warnings": rep.warnings}),
            Err(e) => serde_json::json!({"store": name, "ok": false, "error": e.to_string(),
                "code": e.code()}),
        }).collect::<Vec<_>>()
    });
    let w = db.write()?;
    w.finish_run(
        run_id,
        if failed == 0 {
            RunStatus::Ok
        } else {
            RunStatus::Failed
        },
        &summary,
        opts.now,
    )?;
    w.commit()?;
    Ok(out)
}
