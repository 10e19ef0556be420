//! The nightly job (`forestock nightly`, run by a user timer): sync, forecast, plan and alerts,
//! the same "Sync & run" the app's button starts, under the database's run lock so it never
//! runs beside the app's own run. It ends with a summary (orders synced, lines to order, order
//! value, alerts by kind), audited once, and sends it as a desktop notification and, when one
//! is set up, to a Slack or Microsoft Teams channel ([`notify`]). [`schedule`] installs the
//! job as a systemd user timer, a launchd agent or a Task Scheduler task.

pub mod notify;
pub mod schedule;

use crate::sync::{RunEvent, RunStage};
use crate::{AuditStamp, Error, Result};
use forestock_connect::lock::RunLock;
use forestock_core::{NewAuditEntry, Store};
use forestock_plan::exceptions::ExceptionFilter;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

/// How many alerts of one kind the run raised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlertCount {
    pub kind: String,
    pub label: String,
    pub count: usize,
}

/// What one nightly run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NightlySummary {
    pub merchant: String,
    pub currency: String,
    /// When it ran (UTC, `YYYY-MM-DD HH:MM`).
    pub at: String,
    /// Orders copied by the sync stage (all stores).
    pub synced_orders: u64,
    /// Stores whose sync failed, each with its reason.
    pub failed_stores: Vec<String>,
    /// Why the sync stage was skipped (no store connected, network down, ...), if it was.
    pub sync_skipped: Option<String>,
    pub lines_to_order: usize,
    /// Per currency (suppliers invoice in their own; never added across currencies).
    pub order_value: Vec<crate::kpis::Money>,
    /// Alerts the plan raised (snoozed and dismissed ones left out), by kind, most first.
    pub alerts: Vec<AlertCount>,
}

impl NightlySummary {
    /// What a webhook test posts (`forestock nightly webhook test`): no run, only a line that
    /// says it is a test, stamped now.
    pub fn test_message(stamp: &crate::AuditStamp) -> Self {
        NightlySummary {
            merchant: "test message".into(),
            currency: String::new(),
            at: stamp.at.format("%Y-%m-%d %H:%M").to_string(),
            synced_orders: 0,
            failed_stores: Vec::new(),
            sync_skipped: Some("this is a test of the webhook".into()),
            lines_to_order: 0,
            order_value: Vec::new(),
            alerts: Vec::new(),
        }
    }

    /// The notification's title.
    pub fn title(&self) -> String {
        format!("Forestock nightly: {}", self.merchant)
    }

    /// The summary in a few lines (the notification's body, the CLI's output).
    pub fn text(&self) -> String {
        let mut out = Vec::new();
        match &self.sync_skipped {
            Some(why) => out.push(format!("Sync skipped: {why}")),
            None => out.push(format!("Synced {} orders", self.synced_orders)),
        }
        for f in &self.failed_stores {
            out.push(format!("Sync failed: {f}"));
        }
        let value: Vec<String> = self
            .order_value
            .iter()
            .map(|m| format!("{:.2} {}", m.amount, m.currency))
            .collect();
        out.push(format!(
            "{} lines to order, order value {}",
            self.lines_to_order,
            if value.is_empty() {
                format!("{:.2} {}", 0.0, self.currency)
            } else {
                value.join(" + ")
            }
        ));
        if self.alerts.is_empty() {
            out.push("No alerts".into());
        } else {
            let total: usize = self.alerts.iter().map(|a| a.count).sum();
            let kinds: Vec<String> = self
                .alerts
                .iter()
                .map(|a| format!("{} {}", a.count, a.label.to_lowercase()))
                .collect();
            out.push(format!("{total} alerts: {}", kinds.join(", ")));
        }
        out.join("\n")
    }
}

/// Run the nightly job on `db`: take the run lock (refused with a clear error while the app's
/// Sync & run or another nightly run holds it), sync, plan (forecasting on the way, alerts
/// with it), count the alerts and audit the run. `progress` sees every event of the run.
pub async fn run(
    db: &mut Store,
    stamp: &AuditStamp,
    progress: impl Fn(&RunEvent) + Send + Sync + 'static,
) -> Result<NightlySummary> {
    let _lock = RunLock::acquire(db)?;
    let events: Arc<Mutex<Vec<RunEvent>>> = Arc::default();
    let seen = Arc::clone(&events);
    let progress = Arc::new(progress);
    let send = move |e: RunEvent| -> Result<()> {
        progress(&e);
        if !matches!(e, RunEvent::Progress { .. }) {
            if let Ok(mut v) = seen.lock() {
                v.push(e);
            }
        }
        Ok(())
    };
    let cancel = Arc::new(AtomicBool::new(false));
    crate::sync::sync_and_plan_locked(db, stamp, cancel, send).await?;
    let events = events
        .lock()
        .map(|v| v.clone())
        .map_err(|_| Error::Internal("the run's event list is poisoned".into()))?;
    let mut summary = NightlySummary {
        merchant: String::new(),
        currency: String::new(),
        at: stamp.at.format("%Y-%m-%d %H:%M").to_string(),
        synced_orders: 0,
        failed_stores: Vec::new(),
        sync_skipped: None,
        lines_to_order: 0,
        order_value: Vec::new(),
        alerts: Vec::new(),
    };
    let mut planned = false;
    for e in events {
        match e {
            RunEvent::Synced { stores } => {
                for s in stores {
                    if s.ok {
                        summary.synced_orders += s.orders;
                    } else {
                        summary
                            .failed_stores
                            .push(format!("{}: {}", s.store, s.message));
                    }
                }
            }
            RunEvent::Skipped {
                stage: RunStage::Sync,
                reason,
            } => summary.sync_skipped = Some(reason),
            RunEvent::Done { plan: Some(p) } => {
                planned = true;
                summary.lines_to_order = p.lines_to_order;
                summary.order_value = p.order_value;
            }
            _ => {}
        }
    }
    if !planned {
        return Err(Error::Internal(
            "the nightly run ended without a plan".into(),
        ));
    }
    let merchant = db.read().merchant()?;
    summary.merchant = merchant
        .as_ref()
        .map_or_else(|| "merchant".into(), |m| m.name.clone());
    summary.currency = merchant.map(|m| m.currency).unwrap_or_default();
    summary.alerts = alert_counts(db, stamp)?;
    let w = db.write()?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "nightly.run".into(),
        entity: "nightly".into(),
        entity_id: stamp.at.date().to_string(),
        before: None,
        after: Some(serde_json::to_value(&summary)?),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(summary)
}

/// The latest plan's alerts (not snoozed or dismissed), counted by kind, most first.
fn alert_counts(db: &Store, stamp: &AuditStamp) -> Result<Vec<AlertCount>> {
    let list = crate::exceptions::list(db, stamp, &ExceptionFilter::default())?;
    let mut by: BTreeMap<String, AlertCount> = BTreeMap::new();
    for e in &list.exceptions {
        let kind = e.alert.alert.kind.as_str().to_string();
        by.entry(kind.clone())
            .or_insert_with(|| AlertCount {
                kind,
                label: e.kind_label.clone(),
                count: 0,
            })
            .count += 1;
    }
    let mut out: Vec<AlertCount> = by.into_values().collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.kind.cmp(&b.kind)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_summary_reads_as_a_few_lines() {
        let s = NightlySummary {
            merchant: "Shop".into(),
            currency: "USD".into(),
            at: "2026-01-02 02:00".into(),
            synced_orders: 12,
            failed_stores: vec![],
            sync_skipped: None,
            lines_to_order: 3,
            order_value: vec![crate::kpis::Money {
                currency: "USD".into(),
                amount: 1234.5,
            }],
            alerts: vec![
                AlertCount {
                    kind: "stockout_risk".into(),
                    label: "Stockout risk".into(),
                    count: 2,
                },
                AlertCount {
                    kind: "sales_spike".into(),
                    label: "Sales spike".into(),
                    count: 1,
                },
            ],
        };
        assert_eq!(
            s.text(),
            "Synced 12 orders\n3 lines to order, order value 1234.50 USD\n3 alerts: 2 stockout risk, 1 sales spike"
        );
        assert_eq!(s.title(), "Forestock nightly: Shop");
    }
}
