//! The KPI dashboard's read model (`forestock kpis`, the app's KPIs screen): inventory value,
//! turns, days of cover, stockouts and estimated lost sales, excess and dead stock, and the
//! achieved service level per week. Every figure is a sum over SKU×location lines, and
//! [`lines`] returns those lines for any one of them (their sum is the figure).
//!
//! Money is kept per currency and never added across currencies: a line is valued at the
//! latest plan's unit cost in the plan line's currency (its supplier's), else as the plan
//! would value it (the primary supplier's unit cost, else the SKU's cost, in the supplier's
//! currency; the merchant's without a supplier); a line with no cost is left unvalued and
//! counted.
//!
//! The window is the last [`WINDOW_DAYS`] days of the demand history, ending on the data's
//! last day (the merchant's as-of date, else the last order). Days whose end-of-day stock is
//! unknown (before the first snapshot) are left out of every stock-based figure.

use crate::{Error, Result};
use chrono::{Datelike, Days, NaiveDate};
use forestock_core::{SeriesHistory, Store};
use forestock_plan::line::Recommendation;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The trailing window of every flow figure (turns, stockouts, service level).
pub const WINDOW_DAYS: usize = 365;
/// A line with stock on hand and no sale for this many days is dead stock. 90 days is the
/// planning settings' default "dead mover" age (`PlanSettings::dead_after_days`) and the
/// usual quarter-long test of obsolescence.
pub const DEAD_STOCK_DAYS: usize = 90;
/// Lost sales on a stockout day are estimated from the rate of sale over the in-stock days
/// among the previous 28 (four whole weeks, so every weekday counts equally).
pub const RECENT_RATE_DAYS: usize = 28;
/// Without a plan, a line's daily demand for days of cover is its average over this many
/// trailing days.
pub const COVER_DEMAND_DAYS: usize = 90;

/// An amount in one currency (the plan's: one shape for every per-currency figure).
pub use forestock_plan::money::Money;

/// Inventory turns in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TurnsFigure {
    pub currency: String,
    /// Units sold in the window × unit cost.
    pub cogs: f64,
    /// Mean over the window's days of the end-of-day stock × unit cost.
    pub average_inventory_value: f64,
    /// `cogs / average_inventory_value`; `None` without inventory.
    pub turns: Option<f64>,
}

/// Days of cover in one currency: stock value over the value of a day's demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CoverFigure {
    pub currency: String,
    pub inventory_value: f64,
    pub daily_demand_value: f64,
    /// `None` without demand.
    pub days: Option<f64>,
}

/// One week of the window (weeks start on Monday; the first may be partial).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WeekFigure {
    /// The Monday starting the week.
    pub week_start: NaiveDate,
    /// SKU×location-days in stock / counted (lines that sold in the window, known stock).
    pub in_stock_days: i64,
    pub counted_days: i64,
    /// `in_stock_days / counted_days`; `None` when nothing was counted.
    pub service_level: Option<f64>,
    /// Mean end-of-day inventory value over the week's days, per currency.
    pub inventory_value: Vec<Money>,
}

/// Every headline figure of the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KpiReport {
    /// The last day of the data; `None` without any history.
    pub as_of: Option<NaiveDate>,
    pub window_start: Option<NaiveDate>,
    pub window_days: i64,
    /// On hand on `as_of` × unit cost.
    pub inventory_value: Vec<Money>,
    pub turns: Vec<TurnsFigure>,
    pub days_of_cover: Vec<CoverFigure>,
    /// SKU×location-days in the window that ended with nothing on hand, and on how many lines.
    pub stockout_days: i64,
    pub stockout_lines: i64,
    /// Estimated units and sales (at the day's selling price, merchant currency) lost on them.
    pub lost_units: f64,
    pub lost_sales: Vec<Money>,
    /// Whether a plan backs the excess figure (it needs each line's order-up-to level).
    pub plan_available: bool,
    pub excess_value: Vec<Money>,
    /// The allowance above order-up-to before stock counts as excess, in days of demand.
    pub excess_allowance_days: f64,
    pub dead_stock_value: Vec<Money>,
    pub dead_stock_days: i64,
    /// In-stock rate over the whole window (same definition as the weeks').
    pub service_level: Option<f64>,
    pub weeks: Vec<WeekFigure>,
    /// Lines with stock but no unit cost: left out of every value.
    pub unvalued_lines: i64,
}

/// A figure of the dashboard, to drill into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Kpi {
    InventoryValue,
    Turns,
    DaysOfCover,
    Stockouts,
    ExcessStock,
    DeadStock,
    ServiceLevel,
}

impl Kpi {
    pub const ALL: [Kpi; 7] = [
        Kpi::InventoryValue,
        Kpi::Turns,
        Kpi::DaysOfCover,
        Kpi::Stockouts,
        Kpi::ExcessStock,
        Kpi::DeadStock,
        Kpi::ServiceLevel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kpi::InventoryValue => "inventory_value",
            Kpi::Turns => "turns",
            Kpi::DaysOfCover => "days_of_cover",
            Kpi::Stockouts => "stockouts",
            Kpi::ExcessStock => "excess_stock",
            Kpi::DeadStock => "dead_stock",
            Kpi::ServiceLevel => "service_level",
        }
    }

    /// A KPI by its name (`inventory-value` or `inventory_value`).
    pub fn parse(s: &str) -> Result<Kpi> {
        let want = s.trim().replace('-', "_").to_ascii_lowercase();
        Kpi::ALL
            .into_iter()
            .find(|k| k.as_str() == want)
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "unknown KPI {s:?}: use one of {}",
                    Kpi::ALL.map(|k| k.as_str().replace('_', "-")).join(", ")
                ))
            })
    }
}

/// One SKU×location's share of a figure. What `quantity`, `value` and `ratio` hold is named by
/// the [`KpiDetail`]'s labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KpiLine {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub location: String,
    pub currency: Option<String>,
    pub quantity: f64,
    pub value: f64,
    pub ratio: Option<f64>,
    pub detail: String,
}

/// The lines behind one figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KpiDetail {
    pub kpi: Kpi,
    pub title: String,
    /// How the figure is computed, in words.
    pub method: String,
    pub quantity_label: String,
    pub value_label: String,
    pub ratio_label: Option<String>,
    pub lines: Vec<KpiLine>,
}

/// Everything the figures need from one SKU×location, gathered in one pass over its history.
#[derive(Debug, Clone, Default)]
struct LineFacts {
    variant_id: i64,
    location_id: i64,
    sku: String,
    location: String,
    /// Unit cost and its currency.
    cost: Option<(f64, String)>,
    /// On hand on the window's last day (unknown: 0).
    on_hand: i64,
    sold: f64,
    /// Σ end-of-day on hand over the window's days with a known level.
    stock_unit_days: f64,
    counted_days: i64,
    in_stock_days: i64,
    stockout_days: i64,
    lost_units: f64,
    lost_sales: f64,
    /// Units per day for days of cover, and where it comes from.
    daily_demand: f64,
    demand_source: &'static str,
    /// Days since the last sale (`None`: none in the history) and the history's length.
    last_sale: Option<NaiveDate>,
    history_days: usize,
    /// Excess units over order-up-to + allowance (plan lines only).
    excess_units: Option<f64>,
    order_up_to: Option<f64>,
    /// Per week of the window: in-stock days, counted days, Σ on-hand units.
    weeks: Vec<(i64, i64, f64)>,
}

impl LineFacts {
    fn value_of(&self, units: f64) -> Option<(String, f64)> {
        self.cost.as_ref().map(|(c, cur)| (cur.clone(), units * c))
    }
    fn sells(&self) -> bool {
        self.sold > 0.0
    }
    fn is_dead(&self, as_of: NaiveDate) -> bool {
        self.on_hand > 0
            && self.history_days >= DEAD_STOCK_DAYS
            && self
                .last_sale
                .is_none_or(|d| (as_of - d).num_days() >= DEAD_STOCK_DAYS as i64)
    }
}

struct Gathered {
    as_of: Option<NaiveDate>,
    window_start: Option<NaiveDate>,
    window_days: usize,
    merchant_currency: String,
    plan_available: bool,
    allowance_days: f64,
    lines: Vec<LineFacts>,
    week_starts: Vec<NaiveDate>,
}

/// The Monday on or before `d`.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// What one series is measured against.
struct Frame {
    as_of: NaiveDate,
    /// `as_of` less [`WINDOW_DAYS`] − 1: the earliest day the window can start.
    base: NaiveDate,
    weeks: usize,
    excess_cover_days: f64,
}

/// One SKU×location's facts from its history and its plan line, if any.
fn line_facts(
    s: &SeriesHistory,
    rec: Option<&Recommendation>,
    unplanned_cost: Option<(f64, String)>,
    fr: &Frame,
) -> LineFacts {
    let cost = match rec {
        Some(rec) => Some((rec.unit_cost, rec.currency.clone())),
        None => unplanned_cost,
    };
    let n = s.units.len();
    let week_of =
        |d: NaiveDate| usize::try_from((monday(d) - monday(fr.base)).num_days() / 7).unwrap_or(0);
    let mut f = LineFacts {
        variant_id: s.variant_id,
        location_id: s.location_id,
        sku: s.sku.clone(),
        location: s.location.clone(),
        cost,
        history_days: n,
        weeks: vec![(0, 0, 0.0); fr.weeks],
        ..Default::default()
    };
    // Lost sales: the rate of sale over the in-stock days among the previous
    // RECENT_RATE_DAYS (a rolling sum), else over every in-stock day of the window.
    let in_stock = |i: usize| matches!(s.on_hand[i], Some(x) if x > 0);
    let (mut window_units, mut window_days) = (0.0, 0usize);
    for i in (0..n).filter(|&i| s.date(i) >= fr.base && in_stock(i)) {
        window_units += s.units[i];
        window_days += 1;
    }
    let window_rate = if window_days > 0 {
        window_units / window_days as f64
    } else {
        0.0
    };
    let (mut roll_units, mut roll_days) = (0.0, 0usize);
    for i in 0..n {
        if i >= 1 && in_stock(i - 1) {
            roll_units += s.units[i - 1];
            roll_days += 1;
        }
        if i > RECENT_RATE_DAYS && in_stock(i - 1 - RECENT_RATE_DAYS) {
            roll_units -= s.units[i - 1 - RECENT_RATE_DAYS];
            roll_days -= 1;
        }
        let date = s.date(i);
        if s.units[i] > 0.0 {
            f.last_sale = Some(date);
        }
        if date < fr.base {
            continue;
        }
        f.sold += s.units[i];
        let Some(level) = s.on_hand[i] else { continue };
        let wk = &mut f.weeks[week_of(date).min(fr.weeks.saturating_sub(1))];
        f.counted_days += 1;
        f.stock_unit_days += level.max(0) as f64;
        wk.1 += 1;
        wk.2 += level.max(0) as f64;
        if level > 0 {
            f.in_stock_days += 1;
            wk.0 += 1;
        } else {
            f.stockout_days += 1;
            let rate = if roll_days > 0 {
                roll_units / roll_days as f64
            } else {
                window_rate
            };
            let lost = (rate - s.units[i]).max(0.0);
            f.lost_units += lost;
            f.lost_sales += lost * s.price[i];
        }
    }
    f.on_hand = s.on_hand[n - 1].unwrap_or(0).max(0);
    match rec {
        Some(rec) => {
            f.daily_demand = rec.forecast_30d / 30.0;
            f.demand_source = "plan forecast";
            // The plan's own excess rule (forestock-plan `line.rs`), on hand instead of
            // inventory position: stock above order-up-to plus `excess_cover_days` of the
            // forecast's mean daily demand, whole units.
            let allowance = fr.excess_cover_days * rec.forecast_30d / 30.0;
            f.excess_units = Some(
                (rec.on_hand as f64 - rec.order_up_to - allowance)
                    .max(0.0)
                    .floor(),
            );
            f.order_up_to = Some(rec.order_up_to);
        }
        None => {
            let days = COVER_DEMAND_DAYS.min(n);
            f.daily_demand = s.units[n - days..].iter().sum::<f64>() / days.max(1) as f64;
            f.demand_source = "recent sales";
        }
    }
    f
}

/// One pass over the demand history (series by series, never all of them in memory).
fn gather(store: &Store) -> Result<Gathered> {
    let r = store.read();
    let merchant_currency = r
        .merchant()?
        .map_or_else(|| "USD".to_string(), |m| m.currency);
    let settings = forestock_plan::settings::load_settings(&r)?;
    let plan: HashMap<(i64, i64), Recommendation> =
        match forestock_plan::plan::latest_plan_run(store)? {
            Some(_) => forestock_plan::review::recommendations(store, &Default::default())?
                .into_iter()
                .map(|g| ((g.rec.variant_id, g.rec.location_id), g.rec))
                .collect(),
            None => HashMap::new(),
        };
    // Without a plan line, the plan's own costing (forestock-plan `plan.rs`): the primary
    // supplier's unit cost for the SKU, else the SKU's cost, in the supplier's currency; no
    // supplier: the SKU's cost in the merchant's currency. No cost at all: unvalued (where
    // the plan would guess half the price).
    let suppliers: HashMap<i64, String> = r
        .suppliers()?
        .into_iter()
        .map(|s| (s.id, s.currency))
        .collect();
    let primary: HashMap<i64, (i64, Option<f64>)> = r
        .supplier_skus()?
        .into_iter()
        .filter(|l| l.is_primary)
        .map(|l| (l.variant_id, (l.supplier_id, l.unit_cost)))
        .collect();
    let unplanned_cost: HashMap<i64, (f64, String)> = r
        .skus()?
        .into_iter()
        .filter_map(|s| {
            let link = primary.get(&s.id);
            let cost = link.and_then(|l| l.1).or(s.cost)?;
            let currency = link
                .and_then(|l| suppliers.get(&l.0))
                .unwrap_or(&merchant_currency);
            Some((s.id, (cost, currency.clone())))
        })
        .collect();

    // Every series ends on the same day, the history's last; the frame is set by the first.
    let mut frame: Option<Frame> = None;
    let mut first: Option<NaiveDate> = None;
    let mut lines = Vec::new();
    r.demand_history(|s| {
        let Some(last) = s.units.len().checked_sub(1) else {
            return Ok(());
        };
        let fr = frame.get_or_insert_with(|| {
            let as_of = s.date(last);
            let base = as_of - Days::new(WINDOW_DAYS as u64 - 1);
            let weeks =
                usize::try_from((monday(as_of) - monday(base)).num_days() / 7 + 1).unwrap_or(1);
            Frame {
                as_of,
                base,
                weeks,
                excess_cover_days: settings.excess_cover_days,
            }
        });
        first = Some(first.map_or(s.start, |f| f.min(s.start)));
        let rec = plan.get(&(s.variant_id, s.location_id));
        let cost = unplanned_cost.get(&s.variant_id).cloned();
        lines.push(line_facts(&s, rec, cost, fr));
        Ok(())
    })?;
    let Some(fr) = frame else {
        return Ok(Gathered {
            as_of: None,
            window_start: None,
            window_days: 0,
            merchant_currency: merchant_currency.clone(),
            plan_available: !plan.is_empty(),
            allowance_days: settings.excess_cover_days,
            lines: Vec::new(),
            week_starts: Vec::new(),
        });
    };
    let as_of = fr.as_of;
    // The window starts at the base, or later when the history does.
    let window_start = first.map_or(fr.base, |f| f.max(fr.base));
    let window_days = usize::try_from((as_of - window_start).num_days() + 1).unwrap_or(0);
    let skip =
        usize::try_from((monday(window_start) - monday(fr.base)).num_days() / 7).unwrap_or(0);
    for l in &mut lines {
        l.weeks.drain(..skip.min(l.weeks.len()));
    }
    let mut week_starts = Vec::new();
    let mut w = monday(window_start);
    while w <= as_of {
        week_starts.push(w);
        w = w + Days::new(7);
    }
    Ok(Gathered {
        as_of: Some(as_of),
        window_start: Some(window_start),
        window_days,
        merchant_currency: merchant_currency.clone(),
        plan_available: !plan.is_empty(),
        allowance_days: settings.excess_cover_days,
        lines,
        week_starts,
    })
}

fn per_currency(items: impl Iterator<Item = (String, f64)>) -> Vec<Money> {
    forestock_plan::money::per_currency(items)
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// Every headline figure.
pub fn report(store: &Store) -> Result<KpiReport> {
    let g = gather(store)?;
    let w = g.window_days as f64;
    let mut turns: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut cover: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for l in &g.lines {
        if let Some((c, cur)) = &l.cost {
            let t = turns.entry(cur.clone()).or_default();
            t.0 += l.sold * c;
            t.1 += l.stock_unit_days * c / w;
            let v = cover.entry(cur.clone()).or_default();
            v.0 += l.on_hand as f64 * c;
            v.1 += l.daily_demand * c;
        }
    }
    let (mut in_stock, mut counted) = (0, 0);
    let mut weeks: Vec<WeekFigure> = g
        .week_starts
        .iter()
        .map(|&week_start| WeekFigure {
            week_start,
            in_stock_days: 0,
            counted_days: 0,
            service_level: None,
            inventory_value: Vec::new(),
        })
        .collect();
    for (k, wk) in weeks.iter_mut().enumerate() {
        let days_in_window = g.window_start.zip(g.as_of).map_or(1, |(s, e)| {
            let from = wk.week_start.max(s);
            let to = (wk.week_start + Days::new(6)).min(e);
            (to - from).num_days() + 1
        });
        for l in &g.lines {
            let (i, c, _) = l.weeks[k];
            if l.sells() {
                wk.in_stock_days += i;
                wk.counted_days += c;
            }
        }
        wk.service_level = ratio(wk.in_stock_days as f64, wk.counted_days as f64);
        wk.inventory_value = per_currency(
            g.lines
                .iter()
                .filter_map(|l| l.value_of(l.weeks[k].2 / days_in_window.max(1) as f64)),
        );
        in_stock += wk.in_stock_days;
        counted += wk.counted_days;
    }
    let as_of = g.as_of;
    Ok(KpiReport {
        as_of,
        window_start: g.window_start,
        window_days: g.window_days as i64,
        inventory_value: per_currency(g.lines.iter().filter_map(|l| l.value_of(l.on_hand as f64))),
        turns: turns
            .into_iter()
            .map(|(currency, (cogs, avg))| TurnsFigure {
                currency,
                cogs,
                average_inventory_value: avg,
                turns: ratio(cogs, avg),
            })
            .collect(),
        days_of_cover: cover
            .into_iter()
            .map(|(currency, (value, daily))| CoverFigure {
                currency,
                inventory_value: value,
                daily_demand_value: daily,
                days: ratio(value, daily),
            })
            .collect(),
        stockout_days: g.lines.iter().map(|l| l.stockout_days).sum(),
        stockout_lines: g.lines.iter().filter(|l| l.stockout_days > 0).count() as i64,
        lost_units: g.lines.iter().map(|l| l.lost_units).sum(),
        lost_sales: match as_of {
            Some(_) => vec![Money {
                currency: g.merchant_currency.clone(),
                amount: g.lines.iter().map(|l| l.lost_sales).sum(),
            }],
            None => Vec::new(),
        },
        plan_available: g.plan_available,
        excess_value: per_currency(
            g.lines
                .iter()
                .filter_map(|l| l.excess_units.and_then(|u| l.value_of(u))),
        ),
        excess_allowance_days: g.allowance_days,
        dead_stock_value: per_currency(as_of.into_iter().flat_map(|d| {
            g.lines
                .iter()
                .filter(move |l| l.is_dead(d))
                .filter_map(|l| l.value_of(l.on_hand as f64))
        })),
        dead_stock_days: DEAD_STOCK_DAYS as i64,
        service_level: ratio(in_stock as f64, counted as f64),
        weeks,
        unvalued_lines: g
            .lines
            .iter()
            .filter(|l| l.cost.is_none() && l.on_hand > 0)
            .count() as i64,
    })
}

fn line(l: &LineFacts, quantity: f64, value: f64, ratio: Option<f64>, detail: String) -> KpiLine {
    KpiLine {
        variant_id: l.variant_id,
        location_id: l.location_id,
        sku: l.sku.clone(),
        location: l.location.clone(),
        currency: l.cost.as_ref().map(|c| c.1.clone()),
        quantity,
        value,
        ratio,
        detail,
    }
}

fn cost_of(l: &LineFacts) -> f64 {
    l.cost.as_ref().map_or(0.0, |c| c.0)
}

/// The lines behind one figure, largest contribution first. Their `value`s (per currency)
/// add up to the headline figure; for ratios, their numerators and denominators do.
pub fn lines(store: &Store, kpi: Kpi) -> Result<KpiDetail> {
    let g = gather(store)?;
    let w = (g.window_days as f64).max(1.0);
    let valued = |l: &&LineFacts| l.cost.is_some();
    let (title, method, q, v, rt, mut out): (&str, String, &str, &str, Option<&str>, Vec<KpiLine>) =
        match kpi {
            Kpi::InventoryValue => (
                "Inventory value",
                "On hand at the end of the data's last day × unit cost (the plan line's, else the SKU's), per currency.".into(),
                "on hand",
                "value",
                Some("unit cost"),
                g.lines
                    .iter()
                    .filter(valued)
                    .filter(|l| l.on_hand > 0)
                    .map(|l| {
                        let c = cost_of(l);
                        line(l, l.on_hand as f64, l.on_hand as f64 * c, Some(c), String::new())
                    })
                    .collect(),
            ),
            Kpi::Turns => (
                "Inventory turns",
                format!("Cost of goods sold over the last {} days (units sold × unit cost) ÷ average inventory value (mean end-of-day on hand × unit cost over the same days); the inventory turnover ratio, e.g. APICS Dictionary \"inventory turnover\".", g.window_days),
                "average inventory value",
                "cost of goods sold",
                Some("turns"),
                g.lines
                    .iter()
                    .filter(valued)
                    .filter(|l| l.sold > 0.0 || l.stock_unit_days > 0.0)
                    .map(|l| {
                        let c = cost_of(l);
                        let avg = l.stock_unit_days * c / w;
                        line(l, avg, l.sold * c, ratio(l.sold * c, avg), format!("{} units sold", l.sold))
                    })
                    .collect(),
            ),
            Kpi::DaysOfCover => (
                "Days of cover",
                format!("Inventory value ÷ the value of one day's demand (the plan's 30-day forecast ÷ 30, else the average of the last {COVER_DEMAND_DAYS} days' sales), per currency."),
                "on hand",
                "value",
                Some("days of cover"),
                g.lines
                    .iter()
                    .filter(valued)
                    .filter(|l| l.on_hand > 0 || l.daily_demand > 0.0)
                    .map(|l| {
                        let c = cost_of(l);
                        line(
                            l,
                            l.on_hand as f64,
                            l.on_hand as f64 * c,
                            ratio(l.on_hand as f64, l.daily_demand),
                            format!("{:.2} units/day ({})", l.daily_demand, l.demand_source),
                        )
                    })
                    .collect(),
            ),
            Kpi::Stockouts => (
                "Stockout days and estimated lost sales",
                format!("A stockout day ended with nothing on hand. Lost units that day = the rate of sale over the in-stock days among the previous {RECENT_RATE_DAYS} (else over the window's in-stock days) less the units still sold that day, at least 0; lost sales = lost units × that day's selling price ({}).", g.merchant_currency),
                "stockout days",
                "lost sales",
                Some("lost units"),
                g.lines
                    .iter()
                    .filter(|l| l.stockout_days > 0)
                    .map(|l| KpiLine {
                        currency: Some(g.merchant_currency.clone()),
                        ..line(
                            l,
                            l.stockout_days as f64,
                            l.lost_sales,
                            Some(l.lost_units),
                            format!("{} of {} days counted", l.stockout_days, l.counted_days),
                        )
                    })
                    .collect(),
            ),
            Kpi::ExcessStock => (
                "Excess stock value",
                format!("On hand above the plan line's order-up-to level plus an allowance of {:.0} days of forecast demand (the planning settings' excess cover), whole units × unit cost. Needs a plan.", g.allowance_days),
                "excess units",
                "value",
                Some("order-up-to"),
                g.lines
                    .iter()
                    .filter(valued)
                    .filter_map(|l| l.excess_units.filter(|u| *u > 0.0).map(|u| (l, u)))
                    .map(|(l, u)| line(l, u, u * cost_of(l), l.order_up_to, format!("{} on hand", l.on_hand)))
                    .collect(),
            ),
            Kpi::DeadStock => (
                "Dead stock value",
                format!("Stock on hand with no sale in the last {DEAD_STOCK_DAYS} days (lines with at least that much history) × unit cost."),
                "on hand",
                "value",
                None,
                g.as_of
                    .map(|d| {
                        g.lines
                            .iter()
                            .filter(valued)
                            .filter(|l| l.is_dead(d))
                            .map(|l| {
                                line(
                                    l,
                                    l.on_hand as f64,
                                    l.on_hand as f64 * cost_of(l),
                                    None,
                                    l.last_sale.map_or_else(
                                        || "never sold".to_string(),
                                        |s| format!("last sale {s}"),
                                    ),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            Kpi::ServiceLevel => (
                "Achieved service level",
                format!("In-stock rate: the share of SKU×location-days that ended with stock on hand, over the lines that sold in the last {} days and the days whose stock is known. Worst lines first.", g.window_days),
                "days in stock",
                "days counted",
                Some("in-stock rate"),
                g.lines
                    .iter()
                    .filter(|l| l.sells() && l.counted_days > 0)
                    .map(|l| {
                        line(
                            l,
                            l.in_stock_days as f64,
                            l.counted_days as f64,
                            ratio(l.in_stock_days as f64, l.counted_days as f64),
                            String::new(),
                        )
                    })
                    .collect(),
            ),
        };
    if kpi == Kpi::ServiceLevel {
        out.sort_by(|a, b| a.ratio.unwrap_or(1.0).total_cmp(&b.ratio.unwrap_or(1.0)));
    } else {
        out.sort_by(|a, b| b.value.total_cmp(&a.value));
    }
    Ok(KpiDetail {
        kpi,
        title: title.into(),
        method,
        quantity_label: q.into(),
        value_label: v.into(),
        ratio_label: rt.map(Into::into),
        lines: out,
    })
}
