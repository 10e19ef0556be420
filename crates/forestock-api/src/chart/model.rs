//! The SKU chart's read model: what the chart of one SKU×location shows, computed once here for
//! the app's SKU detail, its PNG/SVG export and the CLI.
//!
//! - history over the last [`CHART_DAYS`] days, daily or summed per ISO week, with stockout
//!   days (ended with nothing on hand) and promotion days marked;
//! - the latest stored forecast of the series: its mean with the p10–p90 band over the horizon;
//! - what earlier forecasts said for days that are now history, beside what sold;
//! - the on-hand projection over the horizon (today's stock, less the forecast mean, plus the
//!   open purchase orders and expected receipts on their dates), with the plan's safety stock
//!   and reorder point;
//! - the model behind the forecast, its backtest accuracy and the plan's rationale.

use super::CHART_DAYS;
use crate::{Error, Result};
use chrono::{Datelike, Days, NaiveDate};
use forestock_core::{Reader, SeriesHistory, Store};
use forestock_plan::po::PoStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Days or ISO weeks (Monday to Sunday, ISO 8601) on the chart's time axis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Granularity {
    #[default]
    Daily,
    Weekly,
}

impl Granularity {
    /// `daily` or `weekly`; anything else is bad input naming the value.
    pub fn parse(s: &str) -> Result<Granularity> {
        match s {
            "daily" | "day" => Ok(Granularity::Daily),
            "weekly" | "week" => Ok(Granularity::Weekly),
            other => Err(Error::Invalid(format!(
                "chart granularity {other:?}: choose daily or weekly"
            ))),
        }
    }

    /// The first day of the period `d` falls in: `d` itself, or the Monday of its ISO week.
    pub fn period_start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Granularity::Daily => d,
            Granularity::Weekly => d - Days::new(u64::from(d.weekday().num_days_from_monday())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Daily => "daily",
            Granularity::Weekly => "weekly",
        }
    }
}

/// One period of history: units sold, stock at its end, and how many of its days ran out of
/// stock or were on promotion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryPoint {
    /// The period's first day (a Monday for weeks).
    pub date: NaiveDate,
    /// Days of history in the period (fewer than 7 for a week cut by the chart's ends).
    pub days: u32,
    pub units: f64,
    /// Units on hand at the end of the period's last day, when known.
    pub on_hand: Option<i64>,
    /// Days that ended with nothing on hand.
    pub stockout_days: u32,
    pub promo_days: u32,
}

/// One period of the latest forecast: the mean and the 10th–90th percentile band of demand in
/// the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForecastPoint {
    pub date: NaiveDate,
    pub days: u32,
    pub mean: f64,
    pub p10: f64,
    pub p90: f64,
    /// A planned promotion covers at least one of its days.
    pub promo: bool,
}

/// What an earlier forecast said for a period that is now history, and what sold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PastForecastPoint {
    pub date: NaiveDate,
    /// Days of the period an earlier forecast covered (the sums are over these days).
    pub days: u32,
    pub forecast: f64,
    pub actual: f64,
    /// The run whose forecast the period's last covered day comes from.
    pub run_id: i64,
}

/// Projected units on hand at the end of a period (the first point is today's stock).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectionPoint {
    pub date: NaiveDate,
    pub on_hand: f64,
}

/// Units expected in: an open purchase order's line or a synced expected receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Incoming {
    pub date: NaiveDate,
    pub quantity: i64,
    /// The PO number (or the store's receipt reference).
    pub reference: String,
    /// Expected before the first forecast day and not yet received: counted on that day.
    pub overdue: bool,
}

/// The forecast behind the chart: its run, model and backtest accuracy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForecastInfo {
    pub run_id: i64,
    /// When the run started (UTC, `YYYY-MM-DD HH:MM`).
    pub made_at: String,
    pub model: String,
    /// Demand class (smooth, erratic, intermittent, lumpy, zero, short).
    pub class: String,
    /// Rolling-origin backtest accuracy of the chosen model (Hyndman & Koehler 2006 for MASE;
    /// WAPE = Σ|error| / Σ actual); `None` when the series was too short to backtest.
    pub mase: Option<f64>,
    pub wape: Option<f64>,
    pub bias: Option<f64>,
    pub origins: u32,
}

/// Everything the SKU chart draws and the panel beside it shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChartModel {
    pub title: String,
    pub sku: String,
    pub location: String,
    pub granularity: Granularity,
    /// The last day of history (the projection starts from its stock).
    pub today: Option<NaiveDate>,
    pub history: Vec<HistoryPoint>,
    pub forecast: Vec<ForecastPoint>,
    pub past_forecast: Vec<PastForecastPoint>,
    /// WAPE of the earlier forecasts over the days shown in `past_forecast`, daily.
    pub past_wape: Option<f64>,
    pub projection: Vec<ProjectionPoint>,
    pub incoming: Vec<Incoming>,
    /// The plan's figures for the line, when a plan has run.
    pub safety_stock: Option<f64>,
    pub reorder_point: Option<f64>,
    pub forecast_info: Option<ForecastInfo>,
    /// The plan's rationale for the line: why the numbers are what they are.
    pub rationale: Vec<String>,
}

/// The plan's figures for one line that the chart shows (from the planner grid's row).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanFacts {
    pub on_hand: i64,
    pub safety_stock: Option<f64>,
    pub reorder_point: Option<f64>,
    pub rationale: Vec<String>,
}

/// The chart of one SKU×location at a granularity, read from the database.
pub fn chart_model(
    store: &Store,
    variant_id: i64,
    location_id: i64,
    granularity: Granularity,
) -> Result<ChartModel> {
    let row = crate::views::planner_row(store, variant_id, location_id)?;
    let facts = PlanFacts {
        on_hand: row.on_hand,
        safety_stock: row.safety_stock,
        reorder_point: row.reorder_point,
        rationale: row.rationale.clone(),
    };
    let r = store.read();
    let history = super::history(&r, variant_id, location_id)?;
    build(
        store,
        &r,
        (variant_id, location_id),
        (&row.sku, &row.location),
        history.as_ref(),
        &facts,
        granularity,
    )
}

/// The model from what the caller has already read: the series' history and the plan's facts.
pub(crate) fn build(
    store: &Store,
    r: &Reader<'_>,
    (variant_id, location_id): (i64, i64),
    (sku, location): (&str, &str),
    history: Option<&SeriesHistory>,
    facts: &PlanFacts,
    granularity: Granularity,
) -> Result<ChartModel> {
    let stored = forestock_demand::series_days(store, variant_id, location_id)?;
    // The latest run that forecast this series (a later run may have failed on it).
    let latest = stored.iter().map(|d| d.run_id).max();
    let today = history.map(|h| h.date(h.units.len().saturating_sub(1)));
    let hist_points = history.map_or_else(Vec::new, |h| history_points(h, granularity));
    let window_start = hist_points.first().map(|p| p.date);

    // Earlier forecasts for days now in history: per day, the latest run that covered it.
    let mut past: BTreeMap<NaiveDate, (i64, f64)> = BTreeMap::new();
    if let (Some(h), Some(from), Some(end)) = (history, window_start, today) {
        for d in &stored {
            if d.date >= from && d.date <= end && day_index(h, d.date).is_some() {
                past.insert(d.date, (d.run_id, d.mean));
            }
        }
    }
    let (past_forecast, past_wape) = match history {
        Some(h) => past_points(h, &past, granularity),
        None => (Vec::new(), None),
    };

    let (mut forecast, mut forecast_info, mut days) = (Vec::new(), None, Vec::new());
    if let Some(run) = latest {
        days = stored
            .iter()
            .filter(|d| d.run_id == run && today.is_none_or(|t| d.date > t))
            .copied()
            .collect::<Vec<_>>();
        let promos = r.promotions()?;
        let category = r
            .skus()?
            .into_iter()
            .find(|s| s.id == variant_id)
            .map(|s| s.category);
        // Same matching as the forecaster's planned promotions (forestock-demand `load_series`).
        let promo_on = |d: NaiveDate| {
            promos.iter().any(|p| {
                p.start_date <= d
                    && d <= p.end_date
                    && p.variant_id.is_none_or(|v| v == variant_id)
                    && p.category
                        .as_deref()
                        .is_none_or(|c| Some(c) == category.as_deref())
                    && p.location_id.is_none_or(|l| l == location_id)
            })
        };
        let mut stored_run =
            forestock_demand::load_run_forecast(store, run, variant_id, location_id)?;
        if let (Some(f), Some(cat)) = (stored_run.as_mut(), category.as_deref()) {
            with_overrides(
                r,
                (variant_id, cat, location_id),
                &mut f.forecast,
                &mut days,
            )?;
        }
        forecast = forecast_points(&days, stored_run.as_ref(), granularity, &promo_on);
        if let Some(f) = stored_run {
            let made_at = forestock_demand::latest_run(store)?
                .filter(|(id, _)| *id == run)
                .map(|(_, t)| t.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            let fc = f.forecast;
            let acc = fc.accuracy;
            let finite = |x: f64| x.is_finite().then_some(x);
            forecast_info = Some(ForecastInfo {
                run_id: run,
                made_at,
                model: fc.model.clone(),
                class: fc.class.as_str().to_string(),
                mase: acc.and_then(|a| finite(a.mase)),
                wape: acc.and_then(|a| finite(a.wape)),
                bias: acc.and_then(|a| finite(a.bias)),
                origins: acc.map_or(0, |a| a.origins),
            });
        }
    }

    let first_day = days
        .first()
        .map(|d| d.date)
        .or_else(|| today.map(|t| t + Days::new(1)));
    let incoming = incoming(store, r, variant_id, location_id, first_day)?;
    let start_stock = if facts.on_hand != 0 {
        facts.on_hand
    } else {
        history
            .and_then(|h| h.on_hand.last().copied().flatten())
            .unwrap_or(0)
    };
    let projection = match today {
        Some(t) => projection(t, start_stock, &days, &incoming, granularity),
        None => Vec::new(),
    };
    Ok(ChartModel {
        title: super::title(sku, location),
        sku: sku.to_string(),
        location: location.to_string(),
        granularity,
        today,
        history: hist_points,
        forecast,
        past_forecast,
        past_wape,
        projection,
        incoming,
        safety_stock: facts.safety_stock,
        reorder_point: facts.reorder_point,
        forecast_info,
        rationale: facts.rationale.clone(),
    })
}

/// The planner's forecast overrides applied to the stored forecast the way the plan applies
/// them (`forestock_plan::forecast_overrides`), so the chart draws the forecast the plan used:
/// an overridden day's mean is the adjusted one, and its p10/p90 are read again from the
/// forecaster's own distribution at that mean (the count noise and level error of the model,
/// as the plan's windows read them).
fn with_overrides(
    r: &Reader<'_>,
    line: (i64, &str, i64),
    fc: &mut forestock_forecast::SeriesForecast,
    days: &mut [forestock_demand::StoredDay],
) -> Result<()> {
    let overrides = forestock_plan::forecast_overrides::list(r)?;
    let mut mean = fc.mean.clone();
    if forestock_plan::forecast_overrides::apply(&overrides, line, fc.first_date, &mut mean)
        .is_empty()
    {
        return Ok(());
    }
    let changed: Vec<bool> = fc.mean.iter().zip(&mean).map(|(a, b)| a != b).collect();
    fc.mean = mean;
    for d in days.iter_mut() {
        let Ok(i) = usize::try_from((d.date - fc.first_date).num_days()) else {
            continue;
        };
        if changed.get(i).copied().unwrap_or(false) {
            let [p10, p50, p90] = fc.period_quantiles(i, [0.1, 0.5, 0.9]);
            d.mean = fc.mean[i];
            (d.p10, d.p50, d.p90) = (p10, p50, p90);
        }
    }
    Ok(())
}

fn day_index(h: &SeriesHistory, d: NaiveDate) -> Option<usize> {
    let i = usize::try_from((d - h.start).num_days()).ok()?;
    (i < h.units.len()).then_some(i)
}

/// The last [`CHART_DAYS`] days of history as periods. Weekly, the window starts on a Monday
/// (up to six days earlier, when history reaches that far) so the first week is whole.
pub fn history_points(h: &SeriesHistory, g: Granularity) -> Vec<HistoryPoint> {
    let n = h.units.len();
    let mut from = n.saturating_sub(CHART_DAYS);
    while from > 0 && g.period_start(h.date(from)) != h.date(from) {
        from -= 1;
    }
    let mut out: Vec<HistoryPoint> = Vec::new();
    for i in from..n {
        let d = h.date(i);
        let start = g.period_start(d);
        if out.last().is_none_or(|p| p.date != start) {
            out.push(HistoryPoint {
                date: start,
                days: 0,
                units: 0.0,
                on_hand: None,
                stockout_days: 0,
                promo_days: 0,
            });
        }
        if let Some(p) = out.last_mut() {
            p.days += 1;
            p.units += h.units[i];
            p.on_hand = h.on_hand[i];
            p.stockout_days += u32::from(h.on_hand[i] == Some(0));
            p.promo_days += u32::from(h.promo[i]);
        }
    }
    out
}

/// Earlier forecasts against what sold, per period, and their WAPE over the days covered
/// (Σ|forecast − actual| / Σ actual; `None` when nothing sold on those days).
fn past_points(
    h: &SeriesHistory,
    past: &BTreeMap<NaiveDate, (i64, f64)>,
    g: Granularity,
) -> (Vec<PastForecastPoint>, Option<f64>) {
    let mut out: Vec<PastForecastPoint> = Vec::new();
    let (mut abs_err, mut sold) = (0.0, 0.0);
    for (d, (run, mean)) in past {
        let Some(i) = day_index(h, *d) else { continue };
        let actual = h.units[i];
        abs_err += (mean - actual).abs();
        sold += actual;
        let start = g.period_start(*d);
        if out.last().is_none_or(|p| p.date != start) {
            out.push(PastForecastPoint {
                date: start,
                days: 0,
                forecast: 0.0,
                actual: 0.0,
                run_id: *run,
            });
        }
        if let Some(p) = out.last_mut() {
            p.days += 1;
            p.forecast += mean;
            p.actual += actual;
            p.run_id = *run;
        }
    }
    (out, (sold > 0.0).then(|| abs_err / sold))
}

/// The latest forecast per period. Daily: the stored mean, p10 and p90. Weekly (whole weeks at
/// the horizon's end): the summed mean,
/// and the 10th/90th percentiles of the week's total demand from the forecaster's own window
/// distribution (quantiles of daily demand do not add up to those of a week's).
fn forecast_points(
    days: &[forestock_demand::StoredDay],
    stored: Option<&forestock_demand::StoredForecast>,
    g: Granularity,
    promo_on: &dyn Fn(NaiveDate) -> bool,
) -> Vec<ForecastPoint> {
    let mut out: Vec<ForecastPoint> = Vec::new();
    for d in days {
        let start = g.period_start(d.date);
        if out.last().is_none_or(|p| p.date != start) {
            out.push(ForecastPoint {
                date: start,
                days: 0,
                mean: 0.0,
                p10: 0.0,
                p90: 0.0,
                promo: false,
            });
        }
        if let Some(p) = out.last_mut() {
            p.days += 1;
            p.mean += d.mean;
            p.p10 += d.p10;
            p.p90 += d.p90;
            p.promo |= promo_on(d.date);
        }
    }
    if g == Granularity::Weekly {
        // The horizon ends where it ends, usually inside a week: that week's sum covers only
        // some of its days and would show as a fall in demand at the right edge, so it is
        // left off. (The first week is kept: its other days are history, drawn beside it.)
        if out.len() > 1 && out.last().is_some_and(|p| p.days < 7) {
            out.pop();
        }
        if let (Some(f), Some(first)) = (stored.map(|s| &s.forecast), days.first()) {
            for p in &mut out {
                let from = p.date.max(first.date);
                let Ok(i) = usize::try_from((from - f.first_date).num_days()) else {
                    continue;
                };
                let len = p.days as usize;
                let w = f.window(i, len);
                p.p10 = w.quantile(f.window_level(len, 0.1));
                p.p90 = w.quantile(f.window_level(len, 0.9)).max(p.p10);
            }
        }
    }
    out
}

/// Open purchase-order lines (approved, exported, pushed or partly received) and synced
/// receipts not yet received, for this SKU at this location, by date. Those due before
/// `first_day` are overdue.
fn incoming(
    store: &Store,
    r: &Reader<'_>,
    variant_id: i64,
    location_id: i64,
    first_day: Option<NaiveDate>,
) -> Result<Vec<Incoming>> {
    let overdue = |d: NaiveDate| first_day.is_some_and(|f| d < f);
    let mut out = Vec::new();
    for po in forestock_plan::po::list(store)? {
        let open = matches!(
            po.status,
            PoStatus::Approved
                | PoStatus::Exported
                | PoStatus::Pushed
                | PoStatus::PartiallyReceived
        );
        if !open || po.location_id != location_id {
            continue;
        }
        for l in po.lines.iter().filter(|l| l.variant_id == variant_id) {
            let quantity = l.quantity - l.received_qty;
            if quantity > 0 {
                out.push(Incoming {
                    date: po.expected_date,
                    quantity,
                    reference: po.number.clone(),
                    overdue: overdue(po.expected_date),
                });
            }
        }
    }
    for rc in r.receipts()? {
        if rc.received_date.is_none()
            && rc.variant_id == variant_id
            && rc.location_id == location_id
            && rc.quantity > 0
        {
            out.push(Incoming {
                date: rc.expected_date,
                quantity: rc.quantity,
                reference: rc.reference,
                overdue: overdue(rc.expected_date),
            });
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.reference.cmp(&b.reference)));
    Ok(out)
}

/// Units on hand projected day by day from `today`'s stock: each day's forecast mean leaves,
/// what is due that day arrives (overdue units on the first day). Sales cannot take stock below
/// zero (lost sales: a shop cannot sell what it does not have), so the projection stops at 0.
/// Weekly, each week's point is its last day's.
fn projection(
    today: NaiveDate,
    on_hand: i64,
    days: &[forestock_demand::StoredDay],
    incoming: &[Incoming],
    g: Granularity,
) -> Vec<ProjectionPoint> {
    let mut arrivals: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let first = days.first().map(|d| d.date);
    for inc in incoming {
        let on = if inc.overdue {
            first.unwrap_or(inc.date)
        } else {
            inc.date
        };
        *arrivals.entry(on).or_default() += inc.quantity;
    }
    let mut level = on_hand.max(0) as f64;
    let mut out = vec![ProjectionPoint {
        date: today,
        on_hand: level,
    }];
    for d in days {
        let arriving = arrivals.get(&d.date).copied().unwrap_or(0) as f64;
        level = (level + arriving - d.mean).max(0.0);
        let point = ProjectionPoint {
            date: d.date,
            on_hand: level,
        };
        let same_period = out.len() > 1
            && out
                .last()
                .is_some_and(|p| g.period_start(p.date) == g.period_start(d.date));
        match out.last_mut() {
            Some(last) if same_period => *last = point,
            _ => out.push(point),
        }
    }
    out
}

/// [`chart_model`] for a SKU code and a location code (the CLI's way of naming a line); an
/// unknown code is bad input naming it.
pub fn chart_model_by_code(
    store: &Store,
    sku: &str,
    location: &str,
    granularity: Granularity,
) -> Result<ChartModel> {
    let r = store.read();
    let variant = r
        .skus()?
        .into_iter()
        .find(|s| s.sku == sku)
        .ok_or_else(|| Error::NotFound(format!("SKU {sku:?} not found")))?;
    let loc = r
        .locations()?
        .into_iter()
        .find(|l| l.code.eq_ignore_ascii_case(location))
        .ok_or_else(|| Error::NotFound(format!("location {location:?} not found")))?;
    chart_model(store, variant.id, loc.id, granularity)
}
