//! Alerts: the few exceptions a planner should look at today, each with a severity, the
//! SKU×location (or order), the evidence as numbers and in words, and a suggested action.
//!
//! Kinds:
//! - **stockout risk** — the line runs out (mean forecast against available stock and dated
//!   inbound) before an order placed today can arrive (its lead time);
//! - **sales spike / drop** — last week's sales fall outside the forecast's central interval
//!   for a week (`alert_interval`, default 98%: below the 1% or above the 99% quantile of the
//!   forecast engine's calibrated negative-binomial window distribution); weeks with a
//!   promotion just before or after, and drops while out of stock, are explained and skipped;
//! - **inventory drift** — on hand moved by more than sales, receipts and restocked returns
//!   explain over the last `drift_days` (shrinkage, damage, miscounts, unrecorded transfers);
//! - **forecast accuracy** — the selected model's backtest MASE rose by 30% or more since the
//!   previous plan (degrading), or is 1.5 or worse on an A-class line (no better than half as
//!   good as a seasonal naive; Hyndman & Koehler 2006 for the scale);
//! - **PO overdue** — an open supplier order (synced receipts or our own exported POs) is past
//!   its expected date by more than `po_grace_days`;
//! - **needs a supplier** — lines with demand to order but no supplier linked, which order
//!   nothing: one alert for the whole plan (a store synced without suppliers would otherwise
//!   fill the list), naming the SKUs with the most value at stake.
//!
//! The list stays short: candidates are ranked by severity, then by the money at stake in the
//! merchant's currency; one alert per SKU×location is kept (the others are folded into its
//! evidence as "also: …"), at most `alerts_max_per_kind` per kind and `alerts_max` in all. The
//! run summary counts everything found, so a capped list says how much it left out.
//!
//! [`compute`] is pure (inputs in, ranked list out); [`gather_facts`] reads what it needs
//! beyond the plan lines; the plan run stores the result in the same transaction as the plan
//! (an `alerts` run naming its plan run); [`refresh`] recomputes from the stored plan after POs
//! change; [`latest`] is the read API.

use crate::sql;
use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::{RunKind, RunStatus, Store, Writer};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::{Error, Result};
use crate::line::{LineInputs, Recommendation};
use crate::money::Rates;
use crate::plan::latest_plan_run;
use crate::settings::{load_settings, PlanSettings};

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(
    feature = "clap",
    derive(clap::ValueEnum),
    value(rename_all = "snake_case")
)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    StockoutRisk,
    SalesSpike,
    SalesDrop,
    InventoryDrift,
    ForecastAccuracy,
    PoOverdue,
    NeedsSupplier,
    Excess,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::StockoutRisk => "stockout_risk",
            AlertKind::SalesSpike => "sales_spike",
            AlertKind::SalesDrop => "sales_drop",
            AlertKind::InventoryDrift => "inventory_drift",
            AlertKind::ForecastAccuracy => "forecast_accuracy",
            AlertKind::PoOverdue => "po_overdue",
            AlertKind::NeedsSupplier => "needs_supplier",
            AlertKind::Excess => "excess",
        }
    }

    /// The words a planner reads.
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::StockoutRisk => "stockout risk",
            AlertKind::SalesSpike => "sales spike",
            AlertKind::SalesDrop => "sales drop",
            AlertKind::InventoryDrift => "inventory drift",
            AlertKind::ForecastAccuracy => "forecast accuracy",
            AlertKind::PoOverdue => "overdue PO",
            AlertKind::NeedsSupplier => "needs a supplier",
            AlertKind::Excess => "excess stock",
        }
    }

    pub fn parse(s: &str) -> Result<AlertKind> {
        Ok(match s {
            "stockout_risk" => AlertKind::StockoutRisk,
            "sales_spike" => AlertKind::SalesSpike,
            "sales_drop" => AlertKind::SalesDrop,
            "inventory_drift" => AlertKind::InventoryDrift,
            "forecast_accuracy" => AlertKind::ForecastAccuracy,
            "po_overdue" => AlertKind::PoOverdue,
            "needs_supplier" => AlertKind::NeedsSupplier,
            "excess" => AlertKind::Excess,
            other => return Err(Error::State(format!("unknown alert kind {other:?} stored"))),
        })
    }
}

/// How urgent an alert is. Orders high before medium before low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Result<Severity> {
        Ok(match s {
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            other => return Err(Error::State(format!("unknown severity {other:?} stored"))),
        })
    }

    fn down(self) -> Severity {
        match self {
            Severity::High => Severity::Medium,
            _ => Severity::Low,
        }
    }
}

fn by_class(abc: char) -> Severity {
    match abc {
        'A' => Severity::High,
        'B' => Severity::Medium,
        _ => Severity::Low,
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Alert {
    pub kind: AlertKind,
    pub severity: Severity,
    pub variant_id: Option<i64>,
    pub sku: Option<String>,
    pub location_id: Option<i64>,
    pub location: Option<String>,
    /// Our purchase order, when the alert is about one.
    pub po_id: Option<i64>,
    /// The order reference (our PO number or the supplier order's reference).
    pub reference: String,
    /// One line a planner scans.
    pub title: String,
    /// The numbers behind it, in words.
    pub evidence: String,
    /// What to do about it.
    pub action: String,
    /// Money at stake in the merchant's currency: the ranking key within a severity.
    pub score: f64,
    /// The evidence as numbers.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub data: serde_json::Value,
}

/// On-hand movement of one SKU×location over the drift window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub variant_id: i64,
    pub location_id: i64,
    pub from: NaiveDate,
    pub start_on_hand: i64,
    pub end_on_hand: i64,
    /// Units ordered (net of cancellations), received from suppliers, and returned to stock.
    pub sold: i64,
    pub received: i64,
    pub restocked: i64,
}

impl Drift {
    /// On-hand change that sales, receipts and returns do not explain (negative: stock vanished).
    pub fn unexplained(&self) -> i64 {
        (self.end_on_hand - self.start_on_hand) - (self.received - self.sold + self.restocked)
    }
}

/// An open supplier order past its expected date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueOrder {
    pub po_id: Option<i64>,
    pub reference: String,
    pub supplier: Option<String>,
    pub location_id: i64,
    pub location: String,
    pub expected: NaiveDate,
    /// `(variant_id, sku, open units, unit cost)`.
    pub lines: Vec<(i64, String, i64, f64)>,
    /// Currency of the unit costs (the PO's, or the supplier's for a synced receipt priced
    /// from its catalog); `None`: the merchant's.
    #[serde(default)]
    pub currency: Option<String>,
}

/// What the alerts read beyond the plan lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertFacts {
    pub drift: Vec<Drift>,
    pub overdue: Vec<OverdueOrder>,
    /// The merchant's currency and the rates entered: every score (the ranking key) is in the
    /// merchant's currency, as the alerts table says.
    #[serde(skip)]
    pub rates: Rates,
}

/// `amount` of `currency` as a score in the merchant's currency, and a note for the evidence
/// when it is foreign: " ≈ 1087 USD" at the rate entered, or that no rate is entered (the
/// amount then ranks at face value).
fn in_merchant(rates: &Rates, currency: &str, amount: f64) -> (f64, String) {
    if currency == rates.merchant {
        return (amount, String::new());
    }
    match rates.to_merchant(currency, amount) {
        Some(v) => (v, format!(" ≈ {v:.0} {}", rates.merchant)),
        None => (
            amount,
            format!(
                "; no exchange rate for {currency} entered: ranked as if in {}",
                rates.merchant
            ),
        ),
    }
}

/// Counts of an alerts run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AlertStats {
    /// Candidates found per kind, before deduplication and caps.
    pub found: BTreeMap<String, usize>,
    pub total_found: usize,
    /// Alerts kept, and how many of each severity.
    pub kept: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

/// Read the drift and overdue-order facts as of `today`.
pub fn gather_facts(
    store: &Store,
    today: NaiveDate,
    settings: &PlanSettings,
) -> Result<AlertFacts> {
    let r = store.read();
    let from = today - Days::new(u64::from(settings.drift_days));
    let day_after = |d: NaiveDate| d + Days::new(1);
    let start: HashMap<(i64, i64), i64> = r
        .inventory_on(from)?
        .into_iter()
        .map(|s| ((s.variant_id, s.location_id), s.on_hand))
        .collect();
    let sum_by_key = |sql: &str| -> Result<HashMap<(i64, i64), i64>> {
        let mut st = r.conn().prepare(sql)?;
        let rows = st.query_map(params![day_after(from), day_after(today)], |row| {
            Ok(((row.get(0)?, row.get(1)?), row.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    // Timestamps compare as text: "YYYY-MM-DD" sorts before any time on that day.
    let sold = sum_by_key(sql::GATHER_FACTS_SOLD)?;
    let received = sum_by_key(sql::GATHER_FACTS_RECEIVED)?;
    let restocked = sum_by_key(sql::GATHER_FACTS_RESTOCKED)?;
    let mut drift = Vec::new();
    for s in r.inventory_on(today)? {
        let key = (s.variant_id, s.location_id);
        // No level known at the start of the window: nothing to compare with.
        let Some(&start_on_hand) = start.get(&key) else {
            continue;
        };
        drift.push(Drift {
            variant_id: s.variant_id,
            location_id: s.location_id,
            from,
            start_on_hand,
            end_on_hand: s.on_hand,
            sold: sold.get(&key).copied().unwrap_or(0),
            received: received.get(&key).copied().unwrap_or(0),
            restocked: restocked.get(&key).copied().unwrap_or(0),
        });
    }

    let rates = Rates::load(&r)?;
    let due_before = today - Days::new(u64::from(settings.po_grace_days));
    let mut orders: BTreeMap<(Option<i64>, String, i64), OverdueOrder> = BTreeMap::new();
    let mut add = |po_id: Option<i64>,
                   reference: String,
                   supplier: Option<String>,
                   location_id: i64,
                   location: String,
                   expected: NaiveDate,
                   line: (i64, String, i64, f64),
                   currency: Option<String>| {
        orders
            .entry((po_id, reference.clone(), location_id))
            .or_insert_with(|| OverdueOrder {
                po_id,
                reference,
                supplier,
                location_id,
                location,
                expected,
                lines: Vec::new(),
                currency,
            })
            .lines
            .push(line);
    };
    {
        let mut st = r.conn().prepare(sql::GATHER_FACTS_SELECT_RECEIPTS)?;
        let mut rows = st.query([due_before])?;
        while let Some(row) = rows.next()? {
            // A synced receipt is valued in its supplier's currency: a catalog price is in it
            // already, the store's cost (in the merchant's) is converted into it, as the plan
            // costs a line; a receipt without a supplier is in the merchant's currency.
            let (cost, from_catalog, currency): (f64, bool, Option<String>) =
                (row.get(8)?, row.get(9)?, row.get(10)?);
            let cost = match &currency {
                Some(c) if !from_catalog => rates.merchant_cost_in(c, cost),
                _ => cost,
            };
            add(
                None,
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                (row.get(5)?, row.get(6)?, row.get(7)?, cost),
                currency,
            );
        }
    }
    {
        let mut st = r.conn().prepare(sql::GATHER_FACTS_SELECT_PURCHASE_ORDERS)?;
        let mut rows = st.query([due_before])?;
        while let Some(row) = rows.next()? {
            add(
                Some(row.get(0)?),
                row.get(1)?,
                Some(row.get(2)?),
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                (row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?),
                row.get(10)?,
            );
        }
    }
    Ok(AlertFacts {
        drift,
        overdue: orders.into_values().collect(),
        rates,
    })
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

fn base(kind: AlertKind, severity: Severity, inp: &LineInputs) -> Alert {
    Alert {
        kind,
        severity,
        variant_id: Some(inp.variant_id),
        sku: Some(inp.sku.clone()),
        location_id: Some(inp.location_id),
        location: Some(inp.location.clone()),
        po_id: None,
        reference: String::new(),
        title: String::new(),
        evidence: String::new(),
        action: String::new(),
        score: 0.0,
        data: serde_json::Value::Null,
    }
}

fn stockout_risk(inp: &LineInputs, rec: &Recommendation, currency: &str) -> Option<Alert> {
    if !rec.at_stockout_risk(inp.today) {
        return None;
    }
    let out = rec.stockout_date?;
    let in_days = days(inp.today, out);
    let arrival = inp.today + Days::new(rec.lead_time_days.round().max(0.0) as u64);
    // Days without stock until an order placed today arrives, at the forecast rate.
    let gap_days = (rec.lead_time_days - in_days as f64 + 1.0).max(1.0);
    let lost_units = rec.daily_demand * gap_days;
    let at_risk = lost_units * inp.price;
    let available = rec.on_hand - rec.committed;
    let mut severity = by_class(rec.abc);
    if available <= 0 && severity == Severity::Medium {
        severity = Severity::High;
    }
    let mut action = if rec.transfer_in > 0 {
        severity = severity.down();
        format!(
            "Confirm the proposed transfer of {} units into {} (see the plan's transfers)",
            rec.transfer_in, rec.location
        )
    } else if rec.recommended_qty > 0 {
        format!(
            "Approve the order of {} now and ask {} to expedite: a normal order arrives around {arrival}",
            rec.recommended_qty,
            rec.supplier.as_deref().unwrap_or("the supplier")
        )
    } else if rec.supplier_id.is_none() {
        "Link a supplier to this SKU so it can be ordered".to_string()
    } else {
        format!(
            "Check the open orders: they arrive too late to cover {}",
            rec.location
        )
    };
    if rec.on_order > 0 {
        action.push_str(&format!("; {} units already on order", rec.on_order));
    }
    let mut a = base(AlertKind::StockoutRisk, severity, inp);
    a.title = if in_days <= 1 && available <= 0 {
        format!(
            "Out of stock now; an order takes {:.0} days",
            rec.lead_time_days
        )
    } else {
        format!(
            "Runs out in {in_days} days ({out}), before an order can arrive ({:.0} days)",
            rec.lead_time_days
        )
    };
    a.evidence = format!(
        "available {available} (on hand {} − committed {}), on order {}, forecast {:.1}/day → short from {out}; \
         lead time {:.0}±{:.1} d; about {lost_units:.0} units ({at_risk:.0} {currency}) of sales at risk",
        rec.on_hand,
        rec.committed,
        rec.on_order,
        rec.daily_demand,
        rec.lead_time_days,
        rec.lead_time_sd_days
    );
    a.action = action;
    a.score = at_risk;
    a.data = serde_json::json!({
        "stockout_date": out, "days_to_stockout": in_days, "lead_time_days": rec.lead_time_days,
        "available": available, "on_order": rec.on_order, "daily_demand": rec.daily_demand,
        "units_at_risk": lost_units, "value_at_risk": at_risk, "abc": rec.abc.to_string(),
    });
    Some(a)
}

fn spike_or_drop(
    inp: &LineInputs,
    rec: &Recommendation,
    settings: &PlanSettings,
    currency: &str,
) -> Option<Alert> {
    let s = &inp.signals;
    // A promotion last week explains a spike; one next week lifts the forecast, so a drop
    // against it would be an artefact.
    if s.last_week.len() != 7 || s.promo_recent || inp.forecast.is_empty() {
        return None;
    }
    let actual: f64 = s.last_week.iter().sum();
    let dist = inp.series_forecast().window(0, 7);
    let mean = dist.mean();
    let tail = (1.0 - settings.alert_interval) / 2.0;
    let (lo, hi) = (
        dist.quantile(tail).floor(),
        dist.quantile(1.0 - tail).ceil(),
    );
    let spike = actual > hi;
    let drop = actual < lo && s.stockout_days == 0 && !s.promo_next;
    if !(spike || drop) || mean < 1.0 {
        return None;
    }
    let ratio = if mean > 0.0 { actual / mean } else { 0.0 };
    let value = (actual - mean).abs() * inp.price;
    let mut a;
    if spike {
        let rate = actual / 7.0;
        let position = (rec.inventory_position.max(0)) as f64;
        let short_soon = rate > 0.0 && position / rate < rec.lead_time_days;
        let severity = if short_soon {
            Severity::High
        } else if rec.abc == 'A' {
            Severity::Medium
        } else {
            Severity::Low
        };
        a = base(AlertKind::SalesSpike, severity, inp);
        a.title = format!(
            "Sold {actual:.0} last week, above the {:.0}% forecast range {lo:.0}–{hi:.0}",
            settings.alert_interval * 100.0
        );
        a.action = format!(
            "Find the cause (marketing, a listing change, a bulk buyer); if it lasts, evaluate a scenario \
             with demand ×{ratio:.1} before approving{}",
            if short_soon {
                format!(
                    " — at last week's rate the position of {} lasts {:.0} days, less than the lead time",
                    rec.inventory_position,
                    position / rate
                )
            } else {
                String::new()
            }
        );
    } else {
        let severity = if rec.abc != 'C' && rec.recommended_qty > 0 {
            Severity::Medium
        } else {
            Severity::Low
        };
        a = base(AlertKind::SalesDrop, severity, inp);
        a.title = format!(
            "Sold {actual:.0} last week, below the {:.0}% forecast range {lo:.0}–{hi:.0}",
            settings.alert_interval * 100.0
        );
        a.action = if rec.recommended_qty > 0 {
            format!(
                "Check the listing, price and availability; consider holding the proposed order of {} \
                 ({:.0} {}) until sales recover",
                rec.recommended_qty, rec.order_value, rec.currency
            )
        } else {
            "Check the listing, price and availability".to_string()
        };
    }
    a.evidence = format!(
        "last 7 days {:?} = {actual:.0} units; forecast for a week {mean:.1} (model {}), interval {lo:.0}–{hi:.0}; \
         {:.0}% of forecast, {value:.0} {currency} of sales off forecast; no promotion last week",
        s.last_week.iter().map(|u| u.round() as i64).collect::<Vec<_>>(),
        inp.model,
        ratio * 100.0
    );
    a.score = value;
    a.data = serde_json::json!({
        "last_week": s.last_week, "actual": actual, "forecast_mean": mean, "low": lo, "high": hi,
        "interval": settings.alert_interval, "ratio": ratio,
    });
    Some(a)
}

fn accuracy(inp: &LineInputs, rec: &Recommendation, currency: &str) -> Option<Alert> {
    let acc = inp.signals.accuracy?;
    let mase = acc.mase?;
    if rec.forecast_30d < 1.0 {
        return None;
    }
    let (severity, title) = match inp.signals.previous_mase {
        Some(prev) if prev.is_finite() && mase > 1.0 && mase >= prev * 1.3 => (
            by_class(rec.abc),
            format!("Forecast accuracy degrading: MASE {prev:.2} → {mase:.2} since the last plan"),
        ),
        _ if mase >= 1.5 && rec.abc == 'A' => (
            Severity::Medium,
            format!("Forecast is unreliable: MASE {mase:.2} on an A item"),
        ),
        _ => return None,
    };
    let mut a = base(AlertKind::ForecastAccuracy, severity, inp);
    // Money the forecast error moves over a month: WAPE of 30 days of demand.
    let wape = acc.wape.unwrap_or(0.0).max(0.0);
    let value = wape * rec.forecast_30d * inp.price;
    a.title = title;
    a.evidence = format!(
        "backtest over {} origins: MASE {mase:.2}, WAPE {:.0}%, bias {} (model {}); 30-day forecast {:.0} units, \
         about {value:.0} {currency} of it in error",
        acc.origins,
        wape * 100.0,
        acc.bias.map_or("n/a".into(), |b| format!("{:+.0}%", b * 100.0)),
        inp.model,
        rec.forecast_30d
    );
    a.action =
        "Look at this SKU's recent history for a change (new channel, price, listing, stockouts); \
                review its quantity by hand or lock it until the forecast settles"
            .into();
    a.score = value;
    a.data = serde_json::json!({
        "mase": mase, "previous_mase": inp.signals.previous_mase, "wape": acc.wape, "bias": acc.bias,
        "origins": acc.origins,
    });
    Some(a)
}

/// Stock beyond the order-up-to level plus the excess cover: the plan's one excess rule
/// ([`Recommendation::excess_units`], `line.rs`: inventory position above order-up-to plus
/// `excess_cover_days` of the 30-day forecast rate; the KPI dashboard's excess figure reads the
/// same rule), ranked by its value at cost.
fn excess(
    inp: &LineInputs,
    rec: &Recommendation,
    settings: &PlanSettings,
    rates: &Rates,
) -> Option<Alert> {
    if rec.excess_units <= 0.0 {
        return None;
    }
    // Nothing sold for 90 days: the stock may never sell, a decision to take now.
    let severity = if rec.movement == crate::line::Movement::Dead {
        Severity::Medium
    } else {
        Severity::Low
    };
    let cover = rec.forecast_30d / 30.0 * settings.excess_cover_days;
    let (score, note) = in_merchant(rates, &rec.currency, rec.excess_value);
    let mut a = base(AlertKind::Excess, severity, inp);
    a.title = format!(
        "{:.0} units ({:.0} {}{note}) beyond the order-up-to level and {:.0} days of cover",
        rec.excess_units, rec.excess_value, rec.currency, settings.excess_cover_days
    );
    a.evidence = format!(
        "on hand {} + on order {} − committed {} = position {}; order-up-to {:.0} + {:.0} days at {:.2}/day ({cover:.0})          leaves {:.0} units excess at {:.2} {} each",
        rec.on_hand,
        rec.on_order,
        rec.committed,
        rec.inventory_position,
        rec.order_up_to,
        settings.excess_cover_days,
        rec.forecast_30d / 30.0,
        rec.excess_units,
        rec.unit_cost,
        rec.currency
    );
    a.action = if rec.on_order > 0 {
        format!(
            "Reduce or cancel the {} units on order; consider a transfer to a location that needs it, or a promotion",
            rec.on_order
        )
    } else {
        "Consider a transfer to a location that needs it, a promotion or a return to the supplier"
            .into()
    };
    a.score = score;
    a.data = serde_json::json!({
        "excess_units": rec.excess_units, "excess_value": rec.excess_value,
        "order_up_to": rec.order_up_to, "position": rec.inventory_position,
        "cover_days": settings.excess_cover_days, "currency": rec.currency,
    });
    Some(a)
}

fn drift_alert(
    d: &Drift,
    inp: &LineInputs,
    rec: &Recommendation,
    settings: &PlanSettings,
    rates: &Rates,
) -> Option<Alert> {
    let u = d.unexplained();
    let flow = (d.start_on_hand.max(0) + d.received).max(1);
    if u.unsigned_abs() < u64::from(settings.drift_min_units)
        || (u.abs() as f64) < 0.05 * flow as f64
    {
        return None;
    }
    // The unit cost is in the line's (its supplier's) currency.
    let value = u.abs() as f64 * rec.unit_cost;
    let (score, note) = in_merchant(rates, &rec.currency, value);
    let currency = &rec.currency;
    let severity = if u < 0 && rec.stockout_date.is_some() {
        Severity::High
    } else if u < 0 {
        Severity::Medium
    } else {
        Severity::Low
    };
    let mut a = base(AlertKind::InventoryDrift, severity, inp);
    let window = days(d.from, inp.today);
    a.title = format!(
        "{} units {} in {window} days without orders or receipts",
        u.abs(),
        if u < 0 { "vanished" } else { "appeared" }
    );
    a.evidence = format!(
        "on hand {} on {} → {} on {}; sold {}, received {}, returned to stock {}: expected {}, difference {u:+} \
         ({value:.0} {currency} at cost{note})",
        d.start_on_hand,
        d.from,
        d.end_on_hand,
        inp.today,
        d.sold,
        d.received,
        d.restocked,
        d.start_on_hand + d.received - d.sold + d.restocked
    );
    a.action = format!(
        "Count the stock at {}; record damage or theft, or correct the count in the store, so the plan orders from true stock",
        inp.location
    );
    a.score = score;
    a.data = serde_json::to_value(d).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = a.data.as_object_mut() {
        obj.insert("unexplained".into(), u.into());
    }
    Some(a)
}

fn overdue_alert(
    o: &OverdueOrder,
    lines: &HashMap<(i64, i64), &Recommendation>,
    today: NaiveDate,
    rates: &Rates,
) -> Alert {
    let late = days(o.expected, today);
    let value: f64 = o.lines.iter().map(|l| l.2 as f64 * l.3).sum();
    let currency = o.currency.as_deref().unwrap_or(&rates.merchant);
    let (score, note) = in_merchant(rates, currency, value);
    let units: i64 = o.lines.iter().map(|l| l.2).sum();
    // Lines of this order at its location that run short within a week.
    let short: Vec<(&str, NaiveDate)> = o
        .lines
        .iter()
        .filter_map(|l| {
            let rec = lines.get(&(l.0, o.location_id))?;
            let d = rec.stockout_date?;
            (days(today, d) <= 7).then_some((l.1.as_str(), d))
        })
        .collect();
    let severity = if !short.is_empty() {
        Severity::High
    } else if late >= 14 {
        Severity::Medium
    } else {
        Severity::Low
    };
    let supplier = o.supplier.as_deref().unwrap_or("the supplier");
    let (variant_id, sku) = match o.lines.as_slice() {
        [one] => (Some(one.0), Some(one.1.clone())),
        _ => (None, None),
    };
    Alert {
        kind: AlertKind::PoOverdue,
        severity,
        variant_id,
        sku,
        location_id: Some(o.location_id),
        location: Some(o.location.clone()),
        po_id: o.po_id,
        reference: o.reference.clone(),
        title: format!(
            "{} from {supplier} is {late} days late ({} lines, {units} units)",
            o.reference,
            o.lines.len()
        ),
        evidence: format!(
            "expected at {} on {}, not received by {today}; open {units} units worth {value:.0} {currency}{note}{}",
            o.location,
            o.expected,
            if short.is_empty() {
                String::new()
            } else {
                format!(
                    "; runs short within a week: {}",
                    short
                        .iter()
                        .map(|(s, d)| format!("{s} on {d}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
        action: if short.is_empty() {
            format!("Ask {supplier} for a new delivery date and update the order")
        } else {
            format!("Chase {supplier} today or cover the short SKUs by a transfer")
        },
        score,
        data: serde_json::json!({
            "expected": o.expected, "days_late": late, "open_units": units, "open_value": value,
            "lines": o.lines.iter().map(|l| serde_json::json!({"variant_id": l.0, "sku": l.1, "open": l.2})).collect::<Vec<_>>(),
        }),
    }
}

fn order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    a.severity
        .cmp(&b.severity)
        .then(b.score.total_cmp(&a.score))
        .then(a.kind.cmp(&b.kind))
        .then(a.sku.cmp(&b.sku))
        .then(a.location.cmp(&b.location))
        .then(a.reference.cmp(&b.reference))
}

/// The recommendations in the order of `inputs`.
fn recs_in<'a>(
    inputs: &[LineInputs],
    recs: &HashMap<(i64, i64), &'a Recommendation>,
) -> Vec<&'a Recommendation> {
    inputs
        .iter()
        .filter_map(|i| recs.get(&(i.variant_id, i.location_id)).copied())
        .collect()
}

/// One alert for every line that needs a supplier ([`Recommendation::unsupplied_need`]):
/// high when an A-class line is among them, the value at stake (need × unit cost, in the
/// merchant's currency as the cost is) as its score, the costliest SKUs named.
fn needs_supplier(
    inputs: &[LineInputs],
    recs: Vec<&Recommendation>,
    currency: &str,
) -> Option<Alert> {
    let mut lines: Vec<(&LineInputs, &Recommendation, i64)> = inputs
        .iter()
        .zip(recs)
        .map(|(i, r)| (i, r, r.unsupplied_need()))
        .filter(|(_, _, n)| *n > 0)
        .collect();
    if lines.is_empty() {
        return None;
    }
    let value = |(_, r, n): &(&LineInputs, &Recommendation, i64)| *n as f64 * r.unit_cost;
    lines.sort_by(|a, b| {
        value(b)
            .total_cmp(&value(a))
            .then(a.1.sku.cmp(&b.1.sku))
            .then(a.1.location.cmp(&b.1.location))
    });
    let units: i64 = lines.iter().map(|l| l.2).sum();
    let total: f64 = lines.iter().map(value).sum();
    let mut skus: Vec<&str> = Vec::new();
    for (_, r, _) in &lines {
        if !skus.contains(&r.sku.as_str()) {
            skus.push(&r.sku);
        }
    }
    let severity = if lines.iter().any(|l| l.1.abc == 'A') {
        Severity::High
    } else {
        Severity::Medium
    };
    let mut a = base(AlertKind::NeedsSupplier, severity, lines[0].0);
    (a.variant_id, a.sku, a.location_id, a.location) = (None, None, None, None);
    a.title = format!(
        "{} SKU×locations need a supplier: {units} units cannot be ordered",
        lines.len()
    );
    let shown: Vec<&str> = skus.iter().take(10).copied().collect();
    a.evidence = format!(
        "{} SKUs have demand to order and no supplier ({total:.0} {currency} at cost): {}{}",
        skus.len(),
        shown.join(", "),
        if skus.len() > shown.len() {
            format!(" and {} more", skus.len() - shown.len())
        } else {
            String::new()
        }
    );
    a.action =
        "Link these SKUs to a supplier (Suppliers: suggest, assign or import a catalog CSV), \
                then plan again"
            .into();
    a.score = total;
    a.data = serde_json::json!({
        "lines": lines.len(), "units": units, "value": total, "skus": skus,
    });
    Some(a)
}

/// Find, rank, deduplicate and cap the alerts of a plan. Pure: the same lines and facts give
/// the same list.
pub fn compute(
    inputs: &[LineInputs],
    recs: &[Recommendation],
    facts: &AlertFacts,
    settings: &PlanSettings,
    today: NaiveDate,
    currency: &str,
) -> (Vec<Alert>, AlertStats) {
    // Facts built by hand (tests) carry no rates: the merchant's currency alone.
    let rates = if facts.rates.merchant.is_empty() {
        Rates::new(currency, std::iter::empty())
    } else {
        facts.rates.clone()
    };
    let mut found: Vec<Alert> = Vec::new();
    let by_key: HashMap<(i64, i64), (&LineInputs, &Recommendation)> = inputs
        .iter()
        .zip(recs)
        .map(|(i, r)| ((i.variant_id, i.location_id), (i, r)))
        .collect();
    for (inp, rec) in inputs.iter().zip(recs) {
        found.extend(stockout_risk(inp, rec, currency));
        found.extend(spike_or_drop(inp, rec, settings, currency));
        found.extend(accuracy(inp, rec, currency));
        found.extend(excess(inp, rec, settings, &rates));
    }
    for d in &facts.drift {
        if let Some((inp, rec)) = by_key.get(&(d.variant_id, d.location_id)) {
            found.extend(drift_alert(d, inp, rec, settings, &rates));
        }
    }
    let recs: HashMap<(i64, i64), &Recommendation> =
        by_key.iter().map(|(k, (_, r))| (*k, *r)).collect();
    for o in &facts.overdue {
        found.push(overdue_alert(o, &recs, today, &rates));
    }
    found.extend(needs_supplier(inputs, recs_in(inputs, &recs), currency));
    let mut stats = AlertStats {
        total_found: found.len(),
        ..AlertStats::default()
    };
    for a in &found {
        *stats.found.entry(a.kind.as_str().to_string()).or_default() += 1;
    }
    found.sort_by(order);

    // One alert per SKU×location: the most severe; the others become "also: …".
    let mut kept: Vec<Alert> = Vec::new();
    let mut at: HashMap<(i64, i64), usize> = HashMap::new();
    for a in found {
        let key = match (a.kind, a.variant_id, a.location_id) {
            (AlertKind::PoOverdue, ..) => None,
            (_, Some(v), Some(l)) => Some((v, l)),
            _ => None,
        };
        match key.and_then(|k| at.get(&k).copied()) {
            Some(i) => {
                let first = &mut kept[i];
                first.evidence.push_str(&format!("; also: {}", a.title));
                if let Some(obj) = first.data.as_object_mut() {
                    let also = obj.entry("also").or_insert_with(|| serde_json::json!([]));
                    if let Some(list) = also.as_array_mut() {
                        list.push(serde_json::json!({"kind": a.kind, "title": a.title}));
                    }
                }
            }
            None => {
                if let Some(k) = key {
                    at.insert(k, kept.len());
                }
                kept.push(a);
            }
        }
    }
    // The same exception of one SKU at several locations is one decision (one supplier, one
    // order): keep the worst location and list the others.
    let mut folded: Vec<Alert> = Vec::new();
    let mut sku_at: HashMap<(AlertKind, i64), usize> = HashMap::new();
    for a in kept {
        let key = match (a.kind, a.variant_id) {
            (AlertKind::PoOverdue, _) | (_, None) => None,
            (k, Some(v)) => Some((k, v)),
        };
        match key.and_then(|k| sku_at.get(&k).copied()) {
            Some(i) => {
                let first = &mut folded[i];
                first.evidence.push_str(&format!(
                    "; also at {}: {}",
                    a.location.as_deref().unwrap_or("?"),
                    a.title
                ));
                first.score += a.score;
                if let Some(obj) = first.data.as_object_mut() {
                    let also = obj
                        .entry("other_locations")
                        .or_insert_with(|| serde_json::json!([]));
                    if let Some(list) = also.as_array_mut() {
                        list.push(serde_json::json!({
                            "location_id": a.location_id, "location": a.location,
                            "title": a.title, "data": a.data,
                        }));
                    }
                }
            }
            None => {
                if let Some(k) = key {
                    sku_at.insert(k, folded.len());
                }
                folded.push(a);
            }
        }
    }
    folded.sort_by(order);
    let kept = folded;
    let mut per_kind: HashMap<AlertKind, u32> = HashMap::new();
    let mut out = Vec::new();
    for a in kept {
        if out.len() >= settings.alerts_max as usize {
            break;
        }
        let n = per_kind.entry(a.kind).or_default();
        if *n >= settings.alerts_max_per_kind {
            continue;
        }
        *n += 1;
        out.push(a);
    }
    stats.kept = out.len();
    for a in &out {
        match a.severity {
            Severity::High => stats.high += 1,
            Severity::Medium => stats.medium += 1,
            Severity::Low => stats.low += 1,
        }
    }
    (out, stats)
}

/// Store an alerts run for a plan run (inside the caller's transaction).
pub(crate) fn write(
    w: &Writer<'_>,
    plan_run: i64,
    today: NaiveDate,
    alerts: &[Alert],
    stats: &AlertStats,
    now: NaiveDateTime,
) -> Result<i64> {
    let run = w.begin_run(
        RunKind::Alerts,
        &serde_json::json!({ "plan_run_id": plan_run, "today": today }),
        now,
    )?;
    let mut ins = w.tx().prepare(sql::WRITE_INSERT_ALERTS)?;
    for (rank, a) in alerts.iter().enumerate() {
        ins.execute(params![
            run,
            rank as i64 + 1,
            a.kind.as_str(),
            a.severity.as_str(),
            a.variant_id,
            a.location_id,
            a.po_id,
            a.reference,
            a.title,
            a.evidence,
            a.action,
            a.score,
            serde_json::to_string(&a.data)?,
        ])?;
    }
    w.finish_run(run, RunStatus::Ok, &serde_json::to_value(stats)?, now)?;
    Ok(run)
}

/// A stored alert with its rank (1 = look at it first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredAlert {
    pub id: i64,
    pub rank: i64,
    #[serde(flatten)]
    pub alert: Alert,
}

/// The latest alerts run, as the app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertList {
    pub run_id: i64,
    pub plan_run_id: Option<i64>,
    pub today: Option<NaiveDate>,
    pub stats: AlertStats,
    pub alerts: Vec<StoredAlert>,
}

/// The latest alerts (ranked), or `None` before the first plan.
pub fn latest(store: &Store) -> Result<Option<AlertList>> {
    let r = store.read();
    let Some(run) = r.last_run(RunKind::Alerts)? else {
        return Ok(None);
    };
    let mut st = r.conn().prepare(sql::LATEST_SELECT_ALERTS)?;
    let mut rows = st.query([run.id])?;
    let mut alerts = Vec::new();
    while let Some(row) = rows.next()? {
        alerts.push(StoredAlert {
            id: row.get(0)?,
            rank: row.get(1)?,
            alert: Alert {
                kind: AlertKind::parse(&row.get::<_, String>(2)?)?,
                severity: Severity::parse(&row.get::<_, String>(3)?)?,
                variant_id: row.get(4)?,
                sku: row.get(5)?,
                location_id: row.get(6)?,
                location: row.get(7)?,
                po_id: row.get(8)?,
                reference: row.get(9)?,
                title: row.get(10)?,
                evidence: row.get(11)?,
                action: row.get(12)?,
                score: row.get(13)?,
                data: serde_json::from_str(&row.get::<_, String>(14)?)?,
            },
        });
    }
    Ok(Some(AlertList {
        run_id: run.id,
        plan_run_id: run.params.get("plan_run_id").and_then(|v| v.as_i64()),
        today: run
            .params
            .get("today")
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
        stats: serde_json::from_value(run.summary).unwrap_or_default(),
        alerts,
    }))
}

/// Recompute the alerts from the latest stored plan (e.g. after purchase orders were exported
/// or received) and store them as a new alerts run. Returns the new run's id and counts.
pub fn refresh(store: &mut Store, now: NaiveDateTime) -> Result<(i64, AlertStats)> {
    let plan = latest_plan_run(store)?
        .ok_or_else(|| Error::Empty("no plan yet: run `forestock plan` first".into()))?;
    let settings = load_settings(&store.read())?;
    let lines = crate::scenario::load_lines(store, plan)?;
    let today = lines
        .first()
        .map(|l| l.0.today)
        .ok_or_else(|| Error::Empty("the latest plan has no lines".into()))?;
    let currency = merchant_currency(store)?;
    let facts = gather_facts(store, today, &settings)?;
    let (inputs, recs): (Vec<LineInputs>, Vec<Recommendation>) = lines.into_iter().unzip();
    let (alerts, stats) = compute(&inputs, &recs, &facts, &settings, today, &currency);
    let w = store.write()?;
    let run = write(&w, plan, today, &alerts, &stats, now)?;
    w.commit()?;
    Ok((run, stats))
}

pub(crate) fn merchant_currency(store: &Store) -> Result<String> {
    Ok(store
        .read()
        .merchant()?
        .map_or_else(|| "USD".to_string(), |m| m.currency))
}

/// Keys of SKU×locations with an alert of a kind in the latest run (for the review grid).
pub fn flagged(store: &Store, kind: AlertKind) -> Result<HashSet<(i64, i64)>> {
    let r = store.read();
    let Some(run) = r.last_run(RunKind::Alerts)? else {
        return Ok(HashSet::new());
    };
    let mut st = r.conn().prepare(sql::FLAGGED_SELECT_ALERTS)?;
    let rows = st.query_map(params![run.id, kind.as_str()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::compute_line;
    use crate::line::tests::inputs;

    fn today() -> NaiveDate {
        inputs().today
    }

    fn run(lines: Vec<LineInputs>, facts: &AlertFacts) -> (Vec<Alert>, AlertStats) {
        let settings = PlanSettings::default();
        let recs: Vec<Recommendation> = lines.iter().map(|i| compute_line(i, &settings)).collect();
        compute(&lines, &recs, facts, &settings, today(), "USD")
    }

    fn quiet(mut i: LineInputs) -> LineInputs {
        // Sales last week as forecast, enough stock to cover the lead time and not so much
        // that it is excess (order-up-to plus 60 days at 4/day is about 320): nothing to say.
        i.signals.last_week = vec![4.0; 7];
        i.on_hand = 200;
        i
    }

    /// Issue 15: stock beyond order-up-to plus the excess cover is an "excess" alert, by the
    /// plan's own excess rule, ranked by its value at cost.
    #[test]
    fn stock_beyond_order_up_to_and_the_excess_cover_is_an_excess_alert_ranked_by_value() {
        let mut big = quiet(inputs());
        big.on_hand = 2000;
        let mut small = quiet(inputs());
        small.variant_id = 2;
        small.sku = "SKU-2".into();
        small.on_hand = 600;
        let settings = PlanSettings::default();
        let (alerts, stats) = run(
            vec![small.clone(), big.clone(), quiet(inputs())],
            &AlertFacts::default(),
        );
        let excess: Vec<&Alert> = alerts
            .iter()
            .filter(|a| a.kind == AlertKind::Excess)
            .collect();
        assert_eq!(excess.len(), 2, "{alerts:#?}");
        assert_eq!(stats.found.get("excess"), Some(&2));
        assert_eq!(excess[0].sku.as_deref(), Some("SKU-1"));
        for (a, line) in excess.iter().zip([&big, &small]) {
            let rec = compute_line(line, &settings);
            assert!(rec.excess_units > 0.0);
            assert_eq!(a.score, rec.excess_value);
            assert_eq!(a.data["excess_units"], rec.excess_units);
            assert!(
                a.title.contains(&format!("{:.0} units", rec.excess_units)),
                "{}",
                a.title
            );
        }
        assert!(excess[0].score > excess[1].score);
    }

    /// Scores rank in the merchant's currency (the alerts table's `score`): an excess priced
    /// in a supplier's euros is converted at the rate entered, and says so; without a rate it
    /// ranks at face value and says that instead.
    #[test]
    fn excess_in_a_suppliers_currency_is_ranked_at_the_entered_rate() {
        let settings = PlanSettings::default();
        let mut usd = quiet(inputs());
        usd.on_hand = 1000;
        let mut eur = quiet(inputs());
        (eur.variant_id, eur.sku, eur.currency) = (2, "SKU-EUR".into(), "EUR".into());
        eur.on_hand = 900;
        let recs: Vec<Recommendation> = [&usd, &eur]
            .iter()
            .map(|i| compute_line(i, &settings))
            .collect();
        assert!(recs[1].excess_value < recs[0].excess_value, "fewer euros");
        // At 1.5 USD a euro the euro line is worth more in dollars.
        assert!(recs[1].excess_value * 1.5 > recs[0].excess_value);
        let facts = AlertFacts {
            rates: Rates::new("USD", [("EUR".to_string(), 1.5)]),
            ..AlertFacts::default()
        };
        let lines = vec![usd.clone(), eur.clone()];
        let (alerts, _) = compute(&lines, &recs, &facts, &settings, today(), "USD");
        let excess: Vec<&Alert> = alerts
            .iter()
            .filter(|a| a.kind == AlertKind::Excess)
            .collect();
        assert_eq!(excess[0].sku.as_deref(), Some("SKU-EUR"), "{excess:#?}");
        assert!((excess[0].score - recs[1].excess_value * 1.5).abs() < 1e-9);
        assert!(excess[0].title.contains("EUR ≈ "), "{}", excess[0].title);
        assert_eq!(excess[1].score, recs[0].excess_value);

        let no_rate = AlertFacts {
            rates: Rates::new("USD", std::iter::empty()),
            ..AlertFacts::default()
        };
        let (alerts, _) = compute(&lines, &recs, &no_rate, &settings, today(), "USD");
        let eur_alert = alerts
            .iter()
            .find(|a| a.sku.as_deref() == Some("SKU-EUR"))
            .unwrap();
        assert_eq!(eur_alert.score, recs[1].excess_value);
        assert!(
            eur_alert.title.contains("no exchange rate for EUR"),
            "{}",
            eur_alert.title
        );
    }

    #[test]
    fn a_healthy_line_raises_nothing() {
        let (alerts, stats) = run(vec![quiet(inputs())], &AlertFacts::default());
        assert!(alerts.is_empty(), "{alerts:#?}");
        assert_eq!(stats.total_found, 0);
    }

    #[test]
    fn the_grid_flag_and_the_alert_list_agree_on_stockout_risk() {
        // The Overview counts the grid's flag; the alert list raises its own: one rule for both.
        let settings = PlanSettings::default();
        let mut seen = (0, 0);
        for on_hand in (0..=120).step_by(2) {
            for eol in [None, Some(today() + Days::new(3))] {
                let mut i = quiet(inputs());
                i.on_hand = on_hand;
                i.inbound.clear();
                i.discontinue = eol;
                let rec = compute_line(&i, &settings);
                let (alerts, _) = run(vec![i.clone()], &AlertFacts::default());
                let alerted = alerts.iter().any(|a| a.kind == AlertKind::StockoutRisk);
                let flagged = crate::review::LineFlag::of(&rec, false, false, i.today)
                    .contains(&crate::review::LineFlag::StockoutRisk);
                assert_eq!(
                    alerted, flagged,
                    "on hand {on_hand}, end of life {eol:?}: {rec:#?}"
                );
                if flagged {
                    seen.0 += 1;
                } else {
                    seen.1 += 1;
                }
            }
        }
        assert!(seen.0 > 0 && seen.1 > 0, "both cases covered: {seen:?}");
    }

    #[test]
    fn running_out_within_the_lead_time_is_a_stockout_risk_graded_by_class() {
        let mut i = quiet(inputs());
        i.on_hand = 10;
        i.inbound.clear();
        let (alerts, _) = run(vec![i.clone()], &AlertFacts::default());
        let a = &alerts[0];
        assert_eq!(a.kind, AlertKind::StockoutRisk);
        assert_eq!(a.severity, Severity::High);
        assert_eq!(a.sku.as_deref(), Some("SKU-1"));
        assert!(a.evidence.contains("available 8"), "{}", a.evidence);
        assert!(a.action.contains("expedite"), "{}", a.action);
        assert!(a.score > 0.0);
        i.abc = 'C';
        let (alerts, _) = run(vec![i], &AlertFacts::default());
        assert_eq!(alerts[0].severity, Severity::Low);
    }

    #[test]
    fn sales_outside_the_forecast_interval_are_a_spike_or_a_drop_unless_explained() {
        let mut i = quiet(inputs());
        i.signals.last_week = vec![15.0; 7];
        let (alerts, _) = run(vec![i.clone()], &AlertFacts::default());
        assert_eq!(alerts[0].kind, AlertKind::SalesSpike, "{alerts:#?}");
        assert!(alerts[0].title.contains("Sold 105"), "{}", alerts[0].title);
        i.signals.promo_recent = true;
        assert!(run(vec![i], &AlertFacts::default()).0.is_empty());

        let mut i = quiet(inputs());
        i.signals.last_week = vec![0.0; 7];
        let (alerts, _) = run(vec![i.clone()], &AlertFacts::default());
        assert_eq!(alerts[0].kind, AlertKind::SalesDrop);
        // Out of stock last week: the drop is explained.
        i.signals.stockout_days = 3;
        assert!(run(vec![i], &AlertFacts::default()).0.is_empty());
    }

    #[test]
    fn accuracy_alerts_when_mase_degrades_since_the_last_plan() {
        let mut i = quiet(inputs());
        i.signals.accuracy = Some(crate::line::ForecastAccuracy {
            mase: Some(1.4),
            wape: Some(0.5),
            bias: Some(0.1),
            origins: 3,
        });
        i.signals.previous_mase = Some(0.8);
        let (alerts, _) = run(vec![i.clone()], &AlertFacts::default());
        assert_eq!(alerts[0].kind, AlertKind::ForecastAccuracy);
        assert!(
            alerts[0].title.contains("0.80 → 1.40"),
            "{}",
            alerts[0].title
        );
        i.signals.previous_mase = Some(1.3);
        assert!(run(vec![i], &AlertFacts::default()).0.is_empty());
    }

    #[test]
    fn unexplained_stock_movement_is_drift_and_small_noise_is_not() {
        let i = quiet(inputs());
        let drift = |end| Drift {
            variant_id: 1,
            location_id: 1,
            from: today() - Days::new(28),
            start_on_hand: 500,
            end_on_hand: end,
            sold: 112,
            received: 12,
            restocked: 0,
        };
        let facts = AlertFacts {
            drift: vec![drift(360)],
            ..AlertFacts::default()
        };
        let (alerts, _) = run(vec![i.clone()], &facts);
        assert_eq!(alerts[0].kind, AlertKind::InventoryDrift);
        assert!(
            alerts[0].title.contains("40 units vanished"),
            "{}",
            alerts[0].title
        );
        assert!(
            alerts[0].evidence.contains("difference -40"),
            "{}",
            alerts[0].evidence
        );
        let facts = AlertFacts {
            drift: vec![drift(398)],
            ..AlertFacts::default()
        };
        assert!(run(vec![i], &facts).0.is_empty());
    }

    #[test]
    fn an_open_order_past_its_date_is_overdue_and_high_when_stock_runs_short() {
        let mut i = quiet(inputs());
        let order = OverdueOrder {
            po_id: None,
            reference: "PO-7".into(),
            supplier: Some("Acme".into()),
            location_id: 1,
            location: "WH".into(),
            expected: today() - Days::new(20),
            lines: vec![(1, "SKU-1".into(), 12, 5.0)],
            currency: None,
        };
        let facts = AlertFacts {
            overdue: vec![order],
            ..AlertFacts::default()
        };
        let (alerts, _) = run(vec![i.clone()], &facts);
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].kind, AlertKind::PoOverdue);
        assert_eq!(alerts[0].severity, Severity::Medium);
        assert!(
            alerts[0].title.contains("20 days late"),
            "{}",
            alerts[0].title
        );
        i.on_hand = 3;
        let (alerts, _) = run(vec![i], &facts);
        let po = alerts
            .iter()
            .find(|a| a.kind == AlertKind::PoOverdue)
            .unwrap();
        assert_eq!(po.severity, Severity::High);
    }

    #[test]
    fn the_list_is_deduplicated_ranked_and_capped() {
        let mut lines = Vec::new();
        for v in 0..60 {
            for l in 0..2 {
                let mut i = quiet(inputs());
                i.variant_id = v + 1;
                i.location_id = l + 1;
                i.sku = format!("SKU-{v:02}");
                i.location = format!("L{l}");
                i.on_hand = 10 + v % 20;
                i.inbound.clear();
                // Also a spike on the same lines: folded into the stockout alert.
                i.signals.last_week = vec![15.0; 7];
                lines.push(i);
            }
        }
        let (alerts, stats) = run(lines, &AlertFacts::default());
        let settings = PlanSettings::default();
        assert_eq!(stats.total_found, 240);
        let cap = settings.alerts_max_per_kind as usize;
        for kind in [AlertKind::StockoutRisk, AlertKind::SalesSpike] {
            let n = alerts.iter().filter(|a| a.kind == kind).count();
            assert!(n <= cap, "{kind:?}: {n}");
        }
        assert!(alerts.len() >= cap && alerts.len() <= 2 * cap);
        // One alert per SKU: the other location and the other kind are folded in.
        let skus: HashSet<_> = alerts.iter().map(|a| a.sku.clone()).collect();
        assert_eq!(skus.len(), alerts.len());
        for a in &alerts {
            assert!(a.evidence.contains("also at"), "{}", a.evidence);
            assert!(a.evidence.contains("also: "), "{}", a.evidence);
        }
        assert!(alerts
            .windows(2)
            .all(|w| (w[0].severity, -w[0].score) <= (w[1].severity, -w[1].score)));
    }
}
