//! Supplier lead times learned from the merchant's own receipts, and the supplier on-time /
//! lead-time report.
//!
//! Estimator: every received line is one observation of the lead time, the days from the order
//! date to the day it arrived. Two sources: receipts synced from the store or ERP (`receipts`,
//! dated when they arrived) and the receipts a planner records against a Forestock PO
//! (`po_receipts`, one row per line per receipt, so a PO received in two partial deliveries
//! gives two observations per line, each with its own date against the PO's order date). With
//! at least [`MIN_RECEIPTS_FOR_LEAD_TIME`] observations the lead time is their mean and its
//! spread their sample standard deviation ([`LeadTime::learned`]); with fewer, the supplier's
//! stated lead time stands. A delivery is on time when it arrived on or before its expected
//! date.

use chrono::NaiveDate;
use forestock_core::{Reader, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::error::Result;
use crate::policy::{LeadTime, LeadTimeSource, MIN_RECEIPTS_FOR_LEAD_TIME};
use crate::sql;

/// One received line: when it was ordered, expected and received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub supplier_id: i64,
    pub ordered: NaiveDate,
    pub expected: NaiveDate,
    pub received: NaiveDate,
}

impl Delivery {
    pub fn days(&self) -> i64 {
        (self.received - self.ordered).num_days()
    }
}

/// Every received line of every supplier up to and including `until`, both sources.
pub fn deliveries(r: &Reader<'_>, until: NaiveDate) -> Result<Vec<Delivery>> {
    let mut out = Vec::new();
    for rc in r.receipts()? {
        if let (Some(s), Some(got)) = (rc.supplier_id, rc.received_date) {
            if got <= until {
                out.push(Delivery {
                    supplier_id: s,
                    ordered: rc.ordered_date,
                    expected: rc.expected_date,
                    received: got,
                });
            }
        }
    }
    let mut st = r.conn().prepare(sql::DELIVERIES_SELECT_PO_RECEIPTS)?;
    let rows = st.query_map([until], |row| {
        Ok(Delivery {
            supplier_id: row.get(0)?,
            ordered: row.get(1)?,
            expected: row.get(2)?,
            received: row.get(3)?,
        })
    })?;
    for d in rows {
        out.push(d?);
    }
    Ok(out)
}

/// Observed lead times (days) per supplier up to `until`.
pub fn durations(r: &Reader<'_>, until: NaiveDate) -> Result<HashMap<i64, Vec<f64>>> {
    let mut out: HashMap<i64, Vec<f64>> = HashMap::new();
    for d in deliveries(r, until)? {
        out.entry(d.supplier_id).or_default().push(d.days() as f64);
    }
    Ok(out)
}

/// One supplier's line of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierPerformance {
    pub supplier_id: i64,
    pub supplier: String,
    /// The lead time the supplier states (its setting).
    pub stated_days: f64,
    /// Received lines observed.
    pub deliveries: usize,
    /// The lead time the plan uses: learned from receipts once there are enough, else stated.
    pub lead_time_days: f64,
    pub lead_time_sd_days: f64,
    pub learned: bool,
    /// Share of received lines that arrived on or before their expected date (None: none yet).
    pub on_time_pct: Option<f64>,
    /// Mean days late of the lines that arrived late.
    pub mean_days_late: Option<f64>,
    pub last_received: Option<NaiveDate>,
}

/// The report: every supplier, receipts up to `until`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierReport {
    pub until: NaiveDate,
    /// Observations needed before the learned lead time replaces the stated one.
    pub min_receipts: usize,
    pub suppliers: Vec<SupplierPerformance>,
}

/// The supplier on-time / lead-time report with receipts up to `until`.
pub fn report(store: &Store, until: NaiveDate) -> Result<SupplierReport> {
    let r = store.read();
    let mut by: BTreeMap<i64, Vec<Delivery>> = BTreeMap::new();
    for d in deliveries(&r, until)? {
        by.entry(d.supplier_id).or_default().push(d);
    }
    let mut suppliers = Vec::new();
    for s in r.suppliers()? {
        let ds = by.remove(&s.id).unwrap_or_default();
        let stated = LeadTime {
            mean_days: s.lead_time_mean_days,
            sd_days: s.lead_time_sd_days,
            source: LeadTimeSource::Supplier,
        };
        let days: Vec<f64> = ds.iter().map(|d| d.days() as f64).collect();
        let lt = LeadTime::learned(&days, stated);
        let late: Vec<i64> = ds
            .iter()
            .map(|d| (d.received - d.expected).num_days())
            .filter(|&l| l > 0)
            .collect();
        suppliers.push(SupplierPerformance {
            supplier_id: s.id,
            supplier: s.name,
            stated_days: s.lead_time_mean_days,
            deliveries: ds.len(),
            lead_time_days: lt.mean_days,
            lead_time_sd_days: lt.sd_days,
            learned: matches!(lt.source, LeadTimeSource::Receipts(_)),
            on_time_pct: (!ds.is_empty())
                .then(|| (ds.len() - late.len()) as f64 / ds.len() as f64 * 100.0),
            mean_days_late: (!late.is_empty())
                .then(|| late.iter().sum::<i64>() as f64 / late.len() as f64),
            last_received: ds.iter().map(|d| d.received).max(),
        });
    }
    Ok(SupplierReport {
        until,
        min_receipts: MIN_RECEIPTS_FOR_LEAD_TIME,
        suppliers,
    })
}

/// One receipt recorded against a PO line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoReceipt {
    pub po_id: i64,
    pub variant_id: i64,
    pub sku: String,
    pub quantity: i64,
    pub received_date: NaiveDate,
    pub recorded_at: chrono::NaiveDateTime,
}

/// The receipts recorded against PO `po_id` (every PO with `None`), oldest first.
pub fn po_receipts(store: &Store, po_id: Option<i64>) -> Result<Vec<PoReceipt>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::RECEIPTS_SELECT_PO_RECEIPTS)?;
    let rows = st.query_map([po_id], |row| {
        Ok(PoReceipt {
            po_id: row.get(0)?,
            variant_id: row.get(1)?,
            sku: row.get(2)?,
            quantity: row.get(3)?,
            received_date: row.get(4)?,
            recorded_at: row.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
