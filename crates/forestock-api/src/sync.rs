//! Syncing the connected stores into the database (`forestock sync`), and "Sync & run": sync,
//! then plan on what arrived (the app's button), streaming [`RunEvent`]s. Cancelling takes
//! effect between stages (and between a sync's pages); a finished stage is kept.

use crate::{AuditStamp, Result};
use forestock_connect::lock::RunLock;
use forestock_connect::{sync_all, Keychain, Progress, SyncEvent, SyncOptions, SyncReport};
use forestock_core::{Platform, Store};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Each syncable store's name and result (one failing does not stop the others).
pub type StoreResults = Vec<(
    String,
    std::result::Result<SyncReport, forestock_connect::Error>,
)>;

/// Each store's result as `forestock sync --format json` lists it: its report, or its
/// error's code and message.
pub fn results_json(results: &StoreResults) -> serde_json::Value {
    let rows = results.iter().map(|(name, r)| match r {
        Ok(rep) => serde_json::json!({"store": name, "ok": true, "report": rep}),
        Err(e) => serde_json::json!({"store": name, "ok": false, "code": e.code(), "error": e.to_string()}),
    });
    serde_json::Value::Array(rows.collect())
}

/// True when a store a sync copies (Shopify, BigCommerce, Adobe Commerce) is connected;
/// NetSuite is push-only.
pub fn has_syncable_store(db: &Store) -> Result<bool> {
    Ok(db.read().stores()?.iter().any(|s| {
        matches!(
            s.platform,
            Platform::Shopify | Platform::BigCommerce | Platform::Adobe
        )
    }))
}

/// Sync every connected store with the OS keychain's credentials, the run stamped with the
/// stamp's time; `None` when no store to sync is connected (nothing is recorded then).
pub async fn sync(
    db: &mut Store,
    stamp: &AuditStamp,
    opts: SyncOptions,
    progress: &Progress,
) -> Result<Option<StoreResults>> {
    if !has_syncable_store(db)? {
        return Ok(None);
    }
    let opts = SyncOptions {
        now: stamp.at,
        ..opts
    };
    let keychain = Keychain::from_env()?;
    Ok(Some(sync_all(db, &keychain, &opts, progress).await?))
}

use forestock_plan::money::{Converted, Money};

/// A stage of "Sync & run".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RunStage {
    Sync,
    Plan,
}

/// What a finished plan run produced.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanRunSummary {
    pub lines: usize,
    pub lines_to_order: usize,
    /// Per currency: suppliers invoice in their own, and amounts are never added across them.
    pub order_value: Vec<Money>,
    /// The order value in the merchant's currency at the rates the planner entered, when some
    /// of it is foreign and every foreign currency has a rate.
    pub order_value_converted: Option<Converted>,
    pub transfers: usize,
    pub forecast_failures: usize,
    /// Excess stock at cost, per currency.
    pub excess_value: Vec<Money>,
}

impl From<forestock_plan::plan::PlanSummary> for PlanRunSummary {
    fn from(p: forestock_plan::plan::PlanSummary) -> Self {
        PlanRunSummary {
            lines: p.lines,
            lines_to_order: p.lines_to_order,
            order_value: p.order_value,
            order_value_converted: p.order_value_converted,
            transfers: p.transfers,
            forecast_failures: p.forecast_failures,
            excess_value: p.excess_value,
        }
    }
}

/// What one store's sync copied, or why it did not.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoreSyncView {
    pub store: String,
    pub ok: bool,
    /// The error's message when `ok` is false; warnings otherwise.
    pub message: String,
    /// The connect crate's stable error code (`network`, `auth`, …) when `ok` is false.
    pub error_code: Option<String>,
    pub locations: u64,
    pub variants: u64,
    pub inventory_levels: u64,
    pub orders: u64,
    pub seconds: f64,
}

impl StoreSyncView {
    pub fn new(
        store: String,
        r: std::result::Result<SyncReport, forestock_connect::Error>,
    ) -> Self {
        match r {
            Ok(r) => StoreSyncView {
                store,
                ok: true,
                message: r.warnings.join("; "),
                error_code: None,
                locations: r.locations,
                variants: r.variants,
                inventory_levels: r.inventory_levels,
                orders: r.orders,
                seconds: r.seconds,
            },
            Err(e) => StoreSyncView {
                store,
                ok: false,
                message: e.to_string(),
                error_code: Some(e.code().to_string()),
                locations: 0,
                variants: 0,
                inventory_levels: 0,
                orders: 0,
                seconds: 0.0,
            },
        }
    }
}

/// Progress of "Sync & run", streamed over a channel.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    Started {
        stage: RunStage,
    },
    Progress {
        stage: RunStage,
        label: String,
        done: u64,
        total: Option<u64>,
    },
    Skipped {
        stage: RunStage,
        reason: String,
    },
    Finished {
        stage: RunStage,
        elapsed_ms: u64,
    },
    Done {
        plan: Option<PlanRunSummary>,
    },
    Cancelled {
        after: RunStage,
    },
    /// The sync stage's result per store (sent before the sync stage finishes).
    Synced {
        stores: Vec<StoreSyncView>,
    },
}

/// Sync & run: sync the connected stores, then plan on the data in the database for the
/// merchant's planning date. No store, or no network: say so (a `Skipped` event) and plan on
/// the last synced data. `cancel` stops the sync between pages and the run before the plan.
/// `send` delivers each event (also from the connector's threads); its error (the receiver
/// went away) stops the run, except for progress events, which are reported on stderr.
///
/// The whole run holds the database's run lock ([`RunLock`]): a second run of the same
/// database (the app's, or `forestock nightly` from a timer) is refused at once, naming the
/// process that runs.
pub async fn sync_and_plan<S, E>(
    db: &mut Store,
    stamp: &AuditStamp,
    cancel: Arc<AtomicBool>,
    send: S,
) -> std::result::Result<(), E>
where
    S: Fn(RunEvent) -> std::result::Result<(), E> + Clone + Send + Sync + 'static,
    E: From<crate::Error> + std::fmt::Display,
{
    let _lock = RunLock::acquire(db).map_err(crate::Error::from)?;
    sync_and_plan_locked(db, stamp, cancel, send).await
}

/// [`sync_and_plan`] with the run lock already held by the caller.
pub(crate) async fn sync_and_plan_locked<S, E>(
    db: &mut Store,
    stamp: &AuditStamp,
    cancel: Arc<AtomicBool>,
    send: S,
) -> std::result::Result<(), E>
where
    S: Fn(RunEvent) -> std::result::Result<(), E> + Clone + Send + Sync + 'static,
    E: From<crate::Error> + std::fmt::Display,
{
    let elapsed = |t: Instant| u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX);
    if has_syncable_store(db)? {
        send(RunEvent::Started {
            stage: RunStage::Sync,
        })?;
        let t = Instant::now();
        let opts = SyncOptions {
            cancel: Some(Arc::clone(&cancel)),
            ..SyncOptions::new(stamp.at)
        };
        match sync(db, stamp, opts, &sync_progress(send.clone())).await {
            Ok(results) => {
                let stores = results
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(s, r)| StoreSyncView::new(s, r))
                    .collect();
                send(RunEvent::Synced { stores })?;
                send(RunEvent::Finished {
                    stage: RunStage::Sync,
                    elapsed_ms: elapsed(t),
                })?;
            }
            Err(e) => send(RunEvent::Skipped {
                stage: RunStage::Sync,
                reason: format!("{e}; planning on the last synced data"),
            })?,
        }
    } else {
        send(RunEvent::Skipped {
            stage: RunStage::Sync,
            reason: "no store connected: planning on the data already in the database".into(),
        })?;
    }
    if cancel.load(Ordering::SeqCst) {
        return send(RunEvent::Cancelled {
            after: RunStage::Sync,
        });
    }
    send(RunEvent::Started {
        stage: RunStage::Plan,
    })?;
    let t = Instant::now();
    let summary = crate::plan::plan(db, stamp, None, &|_| {})?;
    send(RunEvent::Finished {
        stage: RunStage::Plan,
        elapsed_ms: elapsed(t),
    })?;
    send(RunEvent::Done {
        plan: Some(summary.into()),
    })
}

/// The connector's per-resource events as `Progress` events of the sync stage.
fn sync_progress<S, E>(send: S) -> Progress
where
    S: Fn(RunEvent) -> std::result::Result<(), E> + Send + Sync + 'static,
    E: std::fmt::Display,
{
    Progress::new(move |e: &SyncEvent| {
        let (label, done, total) = match e {
            SyncEvent::Started {
                store,
                resource,
                total,
            } => (format!("{store}: {resource}"), 0, *total),
            SyncEvent::Progress {
                store,
                resource,
                done,
                total,
                ..
            } => (format!("{store}: {resource}"), *done, *total),
            SyncEvent::Finished {
                store,
                resource,
                done,
            } => (format!("{store}: {resource} done"), *done, Some(*done)),
            SyncEvent::Retrying { store, reason, .. } => {
                (format!("{store}: retrying ({reason})"), 0, None)
            }
            SyncEvent::Note { store, message } => (format!("{store}: {message}"), 0, None),
        };
        let event = RunEvent::Progress {
            stage: RunStage::Sync,
            label,
            done,
            total,
        };
        if let Err(e) = send(event) {
            eprintln!("forestock: sync progress not delivered: {e}");
        }
    })
}
