//! Demand history from the merchant database into the forecasting engine, and versioned forecast
//! runs back.
//!
//! [`forecast_merchant`] reads the daily demand of every active SKU×location (order lines net of
//! cancellations and refunds, from `forestock_core`'s demand history), marks out-of-stock days
//! (`on_hand == 0`) and days that sold out short of a usual day (see [`demand_units`]) as unknown demand, attaches promotions (past and planned), category, vendor,
//! price and discontinue date, runs [`forestock_forecast::forecast_all`] and stores the result
//! as one run (`runs.kind = 'forecast'`, tables of migration `0003_forecast_runs.sql`): per
//! series the inputs' snapshot (range, total, checksum), model, calibrated uncertainty and
//! backtest accuracy; per day the mean and p10/p50/p90.
//!
//! Read back with [`latest_run`], [`load_forecasts`] and [`load_forecast`]: they rebuild the
//! engine's [`SeriesForecast`], so the planner gets the same `window(start, len)` distributions
//! as from a fresh computation.
//!
//! Nothing here reads the clock: the caller passes `now` (stored as the run's timestamps).

mod sql;

use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{RunKind, RunStatus, SkuStatus, Store};
use forestock_forecast::{
    forecast_all, Accuracy, DemandClass, ForecastConfig, Frequency, QuantileCalibration, Series,
    SeriesForecast, SeriesKey, SeriesMeta, Uncertainty,
};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] forestock_core::Error),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("bad stored forecast: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Forecast(#[from] forestock_forecast::Error),
}

impl Error {
    /// True when retrying may succeed (the database was busy).
    pub fn is_retryable(&self) -> bool {
        forestock_core::Classify::kind(self) == forestock_core::ErrorKind::Busy
    }
}

impl forestock_core::Classify for Error {
    fn kind(&self) -> forestock_core::ErrorKind {
        use forestock_core::ErrorKind;
        match self {
            Self::Core(e) => e.kind(),
            Self::Sql(e) => forestock_core::Classify::kind(e),
            Self::Corrupt(_) => ErrorKind::Database,
            Self::Forecast(e) => forestock_core::Classify::kind(e),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Progress of a merchant forecast, for progress bars and the desktop app's channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Progress {
    Reading,
    Forecasting { done: usize, total: usize },
    Storing,
}

/// What a forecast run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub run_id: i64,
    /// Last day of history used.
    pub as_of: Option<NaiveDate>,
    pub series: usize,
    pub forecast: usize,
    pub failed: usize,
    /// Mean backtest MASE over the series that could be backtested.
    pub mean_mase: Option<f64>,
    /// How many series each model was selected for.
    pub models: std::collections::BTreeMap<String, usize>,
    /// Quantile recalibration of the run (per-day levels by horizon bucket, window levels by
    /// window length), per demand class (the engine pools them per class group); read back
    /// into each series' [`Uncertainty::calibration`]. Runs stored before it have none.
    #[serde(default)]
    pub calibration: std::collections::BTreeMap<String, QuantileCalibration>,
}

impl RunSummary {
    /// The run in two lines: what was forecast, and the backtest accuracy with the models
    /// selected most.
    pub fn text(&self, horizon: usize) -> String {
        let mut o = format!(
            "forecast run {}: {} SKU×locations ({} forecast, {} could not be), history up to {}, \
             horizon {} days\n",
            self.run_id,
            self.series,
            self.forecast,
            self.failed,
            self.as_of.map_or("-".to_string(), |d| d.to_string()),
            horizon
        );
        if let Some(m) = self.mean_mase {
            let top = forestock_forecast::backtest::most_selected(&self.models, 6);
            o.push_str(&format!("mean backtest MASE {m:.3}; models: {top}\n"));
        }
        o
    }
}

struct Item {
    variant_id: i64,
    location_id: i64,
    history_units: f64,
    history_hash: u64,
}

/// FNV-1a over the history values: a fingerprint of the inputs stored with the run.
fn fingerprint(units: &[f64], start: NaiveDate) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(start.to_string().as_bytes());
    for v in units {
        eat(&v.to_bits().to_le_bytes());
    }
    h
}

/// What a day's end-of-day on-hand level says about its sales as a measure of demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStock {
    /// Stock was left at the end of the day, or no level is known: sales are demand.
    InStock,
    /// Out of stock with no sales: demand unknown.
    OutOfStock,
    /// Sales, and the level fell to zero that day: the shelf emptied during the day, so the
    /// sales are only a lower bound of demand (censored).
    SoldOut,
}

impl DayStock {
    /// The forecasting engine's only censoring mechanism is an unknown value (`NaN`, excluded
    /// from fitting and backtests); both kinds of stockout day use it.
    pub fn censored(self) -> bool {
        self != DayStock::InStock
    }
}

/// Classify day `i` of a history from its end-of-day level and the previous day's.
///
/// A day with sales ends at zero only when it sold everything that was on the shelf (opening
/// level plus anything received): demand was at least the sales and may have been more.
/// The level must have *fallen* to zero that day (the previous day ended with stock, or
/// with no level known): the demand history carries a snapshot forward until the next one, so
/// a zero carried from an earlier day with sales on this one says only that stock arrived
/// without a new snapshot, not how the day ended. Such a day stays observed, as before.
pub fn day_stock(units: &[f64], on_hand: &[Option<i64>], i: usize) -> DayStock {
    let u = units.get(i).copied().unwrap_or(0.0);
    match on_hand.get(i).copied().flatten() {
        Some(0) if u <= 0.0 => DayStock::OutOfStock,
        Some(0) if i == 0 || on_hand.get(i - 1).copied().flatten() != Some(0) => DayStock::SoldOut,
        _ => DayStock::InStock,
    }
}

/// In-stock days whose mean sales a sold-out day is compared with ([`demand_units`]).
pub const SOLD_OUT_REFERENCE_DAYS: usize = 28;

/// Demand per day for the engine: the sales, with censored days unknown (`NaN`). An
/// out-of-stock day is always censored. A sold-out day ([`DayStock::SoldOut`]) is censored
/// when its sales fell short of the mean of the last [`SOLD_OUT_REFERENCE_DAYS`] in-stock days
/// before it: the shelf ran out before the day's usual demand was met. One that sold at least
/// that much is kept as it is — a slow mover kept at one unit sells out on every day it sells,
/// and dropping those days would leave the forecaster only its zeros. Only earlier days are
/// read, so no day's value depends on what came after it (the forecaster's backtests rely on
/// this). With no in-stock day before it, a sold-out day is kept.
pub fn demand_units(units: &[f64], on_hand: &[Option<i64>]) -> Vec<f64> {
    let mut recent: std::collections::VecDeque<f64> = std::collections::VecDeque::new();
    let mut sum = 0.0;
    (0..units.len())
        .map(|i| {
            let u = units[i].max(0.0);
            match day_stock(units, on_hand, i) {
                DayStock::OutOfStock => f64::NAN,
                DayStock::SoldOut => {
                    let usual = sum / recent.len().max(1) as f64;
                    if !recent.is_empty() && u < usual {
                        f64::NAN
                    } else {
                        u
                    }
                }
                DayStock::InStock => {
                    recent.push_back(u);
                    sum += u;
                    if recent.len() > SOLD_OUT_REFERENCE_DAYS {
                        sum -= recent.pop_front().unwrap_or(0.0);
                    }
                    u
                }
            }
        })
        .collect()
}

/// `(variant_id, location_id)` of a series.
pub type SeriesIds = (i64, i64);

/// Read every active SKU×location's history as engine series (with planned promotions over the
/// horizon), in SKU then location order.
pub fn load_series(store: &Store, horizon: usize) -> Result<(Vec<Series>, Vec<SeriesIds>)> {
    load_series_until(store, horizon, None)
}

/// [`load_series`] with the history cut after `until` (inclusive): the series as they stood on
/// that day, so a forecast made from them can be compared with the days that followed.
pub fn load_series_until(
    store: &Store,
    horizon: usize,
    until: Option<NaiveDate>,
) -> Result<(Vec<Series>, Vec<SeriesIds>)> {
    let r = store.read();
    let skus: HashMap<i64, forestock_core::Sku> =
        r.skus()?.into_iter().map(|s| (s.id, s)).collect();
    let locations: HashMap<i64, forestock_core::Location> =
        r.locations()?.into_iter().map(|l| (l.id, l)).collect();
    let promotions = r.promotions()?;
    let mut series = Vec::new();
    let mut ids = Vec::new();
    r.demand_history(|h| {
        let (Some(sku), Some(loc)) = (skus.get(&h.variant_id), locations.get(&h.location_id))
        else {
            return Ok(());
        };
        if !loc.active || sku.status == SkuStatus::Draft {
            return Ok(());
        }
        let mut h = h;
        if let Some(until) = until {
            let Ok(n) = usize::try_from((until - h.start).num_days() + 1) else {
                return Ok(()); // the series starts after the cut
            };
            if n == 0 {
                return Ok(());
            }
            h.units.truncate(n);
            h.on_hand.truncate(n);
            h.promo.truncate(n);
            h.price.truncate(n);
        }
        let units = demand_units(&h.units, &h.on_hand);
        let end = h.start + chrono::Days::new(units.len() as u64);
        let future_promo: Vec<bool> = (0..horizon)
            .map(|i| {
                let d = end + chrono::Days::new(i as u64);
                promotions.iter().any(|p| {
                    p.start_date <= d
                        && d <= p.end_date
                        && p.variant_id.is_none_or(|v| v == sku.id)
                        && p.category.as_deref().is_none_or(|c| c == sku.category)
                        && p.location_id.is_none_or(|l| l == loc.id)
                })
            })
            .collect();
        let mut s = Series::new(
            SeriesKey::new(h.sku.clone(), h.location.clone()),
            Frequency::Daily,
            h.start,
            units,
        );
        s.promo = h.promo.clone();
        s.future_promo = future_promo;
        s.meta = SeriesMeta {
            category: Some(sku.category.clone()),
            vendor: Some(sku.vendor.clone()),
            price: Some(sku.price),
            discontinue: sku.discontinue_date,
        };
        series.push(s);
        ids.push((h.variant_id, h.location_id));
        Ok(())
    })?;
    Ok((series, ids))
}

/// Forecast every active SKU×location of the merchant and store a versioned run.
pub fn forecast_merchant(
    store: &mut Store,
    cfg: &ForecastConfig,
    now: NaiveDateTime,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunSummary> {
    forecast_merchant_as_of(store, cfg, None, now, progress)
}

/// [`forecast_merchant`] from the history up to `as_of` (inclusive; `None`: all of it). A run
/// made as of an earlier day forecasts days whose sales are already known, which is what the
/// accuracy report compares.
pub fn forecast_merchant_as_of(
    store: &mut Store,
    cfg: &ForecastConfig,
    as_of: Option<NaiveDate>,
    now: NaiveDateTime,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<RunSummary> {
    cfg.validate()?;
    progress(Progress::Reading);
    let (series, ids) = load_series_until(store, cfg.horizon, as_of)?;
    let total = series.len();
    let results = forecast_all(&series, cfg, &|done| {
        progress(Progress::Forecasting { done, total })
    });
    progress(Progress::Storing);
    let as_of = series.iter().map(|s| s.end() - chrono::Days::new(1)).max();
    let items: Vec<Item> = series
        .iter()
        .zip(&ids)
        .map(|(s, (v, l))| Item {
            variant_id: *v,
            location_id: *l,
            history_units: s.units.iter().filter(|u| u.is_finite()).sum(),
            history_hash: fingerprint(&s.units, s.start),
        })
        .collect();
    let params =
        serde_json::json!({ "config": cfg, "as_of": as_of, "engine": env!("CARGO_PKG_VERSION") });
    let w = store.write()?;
    let run_id = w.begin_run(RunKind::Forecast, &params, now)?;
    let tx = w.tx();
    let mut summary = RunSummary {
        run_id,
        as_of,
        series: total,
        forecast: 0,
        failed: 0,
        mean_mase: None,
        models: Default::default(),
        calibration: Default::default(),
    };
    let mut mase_sum = 0.0;
    let mut mase_n = 0usize;
    {
        let mut ins_series = tx.prepare(sql::FORECAST_MERCHANT_INSERT_FORECAST_SERIES)?;
        let mut ins_day = tx.prepare(sql::FORECAST_MERCHANT_INSERT_FORECAST_DAYS)?;
        let mut ins_issue = tx.prepare(sql::FORECAST_MERCHANT_INSERT_FORECAST_ISSUES)?;
        for ((s, item), res) in series.iter().zip(&items).zip(&results) {
            match res {
                Ok(f) => {
                    summary.forecast += 1;
                    *summary.models.entry(f.model.clone()).or_default() += 1;
                    if let Some(m) = f.uncertainty.calibration {
                        summary
                            .calibration
                            .entry(f.class.as_str().to_string())
                            .or_insert(m);
                    }
                    let acc = f.accuracy.filter(|a| a.mase.is_finite());
                    if let Some(a) = acc {
                        mase_sum += a.mase;
                        mase_n += 1;
                    }
                    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
                    ins_series.execute(params![
                        run_id,
                        item.variant_id,
                        item.location_id,
                        s.start.to_string(),
                        (s.end() - chrono::Days::new(1)).to_string(),
                        item.history_units,
                        format!("{:016x}", item.history_hash),
                        f.frequency.as_str(),
                        f.first_date.to_string(),
                        f.model,
                        f.class.as_str(),
                        f.season as i64,
                        f.uncertainty.dispersion,
                        f.uncertainty.level_cv,
                        finite(acc.map(|a| a.mase)),
                        finite(acc.map(|a| a.wape)),
                        finite(acc.map(|a| a.bias)),
                        acc.map(|a| i64::from(a.origins)),
                        serde_json::to_string(&f.notes).unwrap_or_else(|_| "[]".into()),
                    ])?;
                    for i in 0..f.horizon() {
                        let [p10, p50, p90] = f.period_quantiles(i, [0.1, 0.5, 0.9]);
                        ins_day.execute(params![
                            run_id,
                            item.variant_id,
                            item.location_id,
                            i as i64,
                            f.date(i).to_string(),
                            f.mean[i],
                            p10,
                            p50,
                            p90
                        ])?;
                    }
                }
                Err(issue) => {
                    summary.failed += 1;
                    ins_issue.execute(params![
                        run_id,
                        item.variant_id,
                        item.location_id,
                        issue.message
                    ])?;
                }
            }
        }
    }
    summary.mean_mase = (mase_n > 0).then(|| mase_sum / mase_n as f64);
    let json = serde_json::to_value(&summary).unwrap_or_default();
    w.finish_run(run_id, RunStatus::Ok, &json, now)?;
    w.commit()?;
    Ok(summary)
}

/// Keep the newest successful forecast run of each of the `keep` as-of dates forecast most
/// recently, and the run the latest plan was made from whatever its age; delete the others
/// (a second run for the same as-of date replaces the first), never a run still in progress.
/// Their stored series and days go with them, by the schema's cascades. Returns how many runs
/// were deleted.
pub fn prune_runs(store: &mut Store, keep: u32) -> Result<usize> {
    let w = store.write()?;
    let n = w
        .tx()
        .execute(sql::PRUNE_RUNS_DELETE_RUNS, params![i64::from(keep.max(1))])?;
    w.commit()?;
    Ok(n)
}

/// The latest successful forecast run: its id and the time it started.
pub fn latest_run(store: &Store) -> Result<Option<(i64, NaiveDateTime)>> {
    let conn = store.read().conn();
    let mut st = conn.prepare(sql::LATEST_RUN_SELECT_RUNS)?;
    let mut rows = st.query([])?;
    match rows.next()? {
        Some(r) => Ok(Some((r.get(0)?, r.get(1)?))),
        None => Ok(None),
    }
}

/// One stored forecast day of one SKU×location: the run it belongs to, its date, the mean and
/// the stored 10th, 50th and 90th percentiles of that day's demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredDay {
    pub run_id: i64,
    pub date: NaiveDate,
    pub mean: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

/// Every stored forecast day of one SKU×location in every successful forecast run, by run then
/// day (one statement): the latest run's days are its forecast, earlier runs' days that are
/// now history are what was forecast for them.
pub fn series_days(store: &Store, variant_id: i64, location_id: i64) -> Result<Vec<StoredDay>> {
    let conn = store.read().conn();
    let mut st = conn.prepare(sql::SERIES_DAYS_SELECT_FORECAST_DAYS)?;
    let mut rows = st.query(params![variant_id, location_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(StoredDay {
            run_id: r.get(0)?,
            date: r.get(1)?,
            mean: r.get(2)?,
            p10: r.get(3)?,
            p50: r.get(4)?,
            p90: r.get(5)?,
        });
    }
    Ok(out)
}

/// A stored run's header: its id, when it ran and the last day of history it used.
#[derive(Debug, Clone, PartialEq)]
pub struct RunHeader {
    pub id: i64,
    pub started_at: NaiveDateTime,
    pub as_of: Option<NaiveDate>,
}

/// The last `n` successful forecast runs, newest first.
pub fn recent_runs(store: &Store, n: usize) -> Result<Vec<RunHeader>> {
    let conn = store.read().conn();
    let mut st = conn.prepare(sql::RECENT_RUNS_SELECT_RUNS)?;
    let rows = st.query_map([i64::try_from(n).unwrap_or(i64::MAX)], |r| {
        Ok(RunHeader {
            id: r.get(0)?,
            started_at: r.get(1)?,
            as_of: r
                .get::<_, Option<String>>(2)?
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One stored series of a run as the accuracy report needs it: the last day of its history and
/// its season length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunSeries {
    pub variant_id: i64,
    pub location_id: i64,
    pub history_end: NaiveDate,
    pub season: usize,
}

/// One forecast day of a stored run: the mean and the p10 / p90 quantiles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunDay {
    pub variant_id: i64,
    pub location_id: i64,
    pub date: NaiveDate,
    pub mean: f64,
    pub p10: f64,
    pub p90: f64,
}

/// Every series and forecast day of a run (days in series then date order).
pub fn run_days(store: &Store, run_id: i64) -> Result<(Vec<RunSeries>, Vec<RunDay>)> {
    let conn = store.read().conn();
    let date = |s: String| {
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|e| Error::Corrupt(format!("forecast date `{s}`: {e}")))
    };
    let mut series = Vec::new();
    {
        let mut st = conn.prepare(sql::RUN_DAYS_SELECT_FORECAST_SERIES)?;
        let mut rows = st.query([run_id])?;
        while let Some(r) = rows.next()? {
            series.push(RunSeries {
                variant_id: r.get(0)?,
                location_id: r.get(1)?,
                history_end: date(r.get(2)?)?,
                season: usize::try_from(r.get::<_, i64>(3)?.max(1)).unwrap_or(1),
            });
        }
    }
    let mut days = Vec::new();
    let mut st = conn.prepare(sql::RUN_DAYS_SELECT_FORECAST_DAYS)?;
    let mut rows = st.query([run_id])?;
    while let Some(r) = rows.next()? {
        days.push(RunDay {
            variant_id: r.get(0)?,
            location_id: r.get(1)?,
            date: date(r.get(2)?)?,
            mean: r.get(3)?,
            p10: r.get(4)?,
            p90: r.get(5)?,
        });
    }
    Ok((series, days))
}

/// A stored forecast with the ids it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredForecast {
    pub variant_id: i64,
    pub location_id: i64,
    pub forecast: SeriesForecast,
}

fn class_of(s: &str) -> DemandClass {
    match s {
        "smooth" => DemandClass::Smooth,
        "erratic" => DemandClass::Erratic,
        "intermittent" => DemandClass::Intermittent,
        "lumpy" => DemandClass::Lumpy,
        "zero" => DemandClass::Zero,
        _ => DemandClass::Short,
    }
}

fn frequency_of(s: &str) -> Frequency {
    match s {
        "weekly" => Frequency::Weekly,
        "monthly" => Frequency::Monthly,
        _ => Frequency::Daily,
    }
}

/// Every series of a run, rebuilt as the engine's forecasts (same distributions).
pub fn load_forecasts(store: &Store, run_id: i64) -> Result<Vec<StoredForecast>> {
    load_where(store, run_id, None)
}

/// One SKU×location's forecast from the latest run, if it has one.
pub fn load_forecast(
    store: &Store,
    variant_id: i64,
    location_id: i64,
) -> Result<Option<StoredForecast>> {
    let Some((run_id, _)) = latest_run(store)? else {
        return Ok(None);
    };
    Ok(load_where(store, run_id, Some((variant_id, location_id)))?
        .into_iter()
        .next())
}

/// One SKU×location's forecast from a given run, if that run forecast it.
pub fn load_run_forecast(
    store: &Store,
    run_id: i64,
    variant_id: i64,
    location_id: i64,
) -> Result<Option<StoredForecast>> {
    Ok(load_where(store, run_id, Some((variant_id, location_id)))?
        .into_iter()
        .next())
}

fn load_where(store: &Store, run_id: i64, only: Option<(i64, i64)>) -> Result<Vec<StoredForecast>> {
    let conn = store.read().conn();
    let (v, l) = only.unwrap_or((-1, -1));
    let summary: Option<String> = conn
        .query_row(sql::LOAD_WHERE_SELECT_RUNS, [run_id], |r| r.get(0))
        .ok();
    let levels: std::collections::BTreeMap<String, QuantileCalibration> = summary
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| serde_json::from_value(v.get("calibration")?.clone()).ok())
        .unwrap_or_default();
    let mut days: HashMap<(i64, i64), Vec<f64>> = HashMap::new();
    {
        let mut st = conn.prepare(sql::LOAD_WHERE_SELECT_FORECAST_DAYS)?;
        let mut rows = st.query(params![run_id, v, l])?;
        while let Some(r) = rows.next()? {
            days.entry((r.get(0)?, r.get(1)?))
                .or_default()
                .push(r.get(2)?);
        }
    }
    let mut st = conn.prepare(sql::LOAD_WHERE_SELECT_FORECAST_SERIES)?;
    let mut rows = st.query(params![run_id, v, l])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let key: (i64, i64) = (r.get(0)?, r.get(1)?);
        let first: String = r.get(5)?;
        let first_date = NaiveDate::parse_from_str(&first, "%Y-%m-%d")
            .map_err(|e| Error::Corrupt(format!("first_date `{first}`: {e}")))?;
        let mase: Option<f64> = r.get(11)?;
        let origins: Option<i64> = r.get(14)?;
        let accuracy = mase.map(|m| Accuracy {
            mase: m,
            rmsse: f64::NAN,
            wape: r
                .get::<_, Option<f64>>(12)
                .ok()
                .flatten()
                .unwrap_or(f64::NAN),
            bias: r
                .get::<_, Option<f64>>(13)
                .ok()
                .flatten()
                .unwrap_or(f64::NAN),
            origins: origins.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32,
        });
        let notes: String = r.get(15)?;
        let class: String = r.get(7)?;
        out.push(StoredForecast {
            variant_id: key.0,
            location_id: key.1,
            forecast: SeriesForecast {
                key: SeriesKey::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
                frequency: frequency_of(&r.get::<_, String>(4)?),
                first_date,
                mean: days.remove(&key).unwrap_or_default(),
                model: r.get(6)?,
                class: class_of(&class),
                season: r.get::<_, i64>(8)?.max(1) as usize,
                uncertainty: Uncertainty {
                    dispersion: r.get(9)?,
                    level_cv: r.get(10)?,
                    calibration: levels.get(&class).copied(),
                },
                accuracy,
                notes: serde_json::from_str(&notes).unwrap_or_default(),
                // not stored: the stored daily p10/p50/p90 were read with it; the window
                // distributions the planner reads never use it
                recent: Vec::new(),
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod day_stock_tests {
    use super::*;

    #[test]
    fn a_day_that_ends_at_zero_with_sales_is_censored_only_when_the_level_fell_that_day() {
        let units = [4.0, 5.0, 0.0, 3.0, 2.0, 6.0];
        let on_hand = [Some(9), Some(0), Some(0), Some(0), None, Some(0)];
        let kinds: Vec<DayStock> = (0..units.len())
            .map(|i| day_stock(&units, &on_hand, i))
            .collect();
        assert_eq!(
            kinds,
            [
                DayStock::InStock,    // stock left
                DayStock::SoldOut,    // 9 -> 0 with 5 sold
                DayStock::OutOfStock, // nothing to sell
                DayStock::InStock,    // zero carried forward: stock came in unseen
                DayStock::InStock,    // no level known
                DayStock::SoldOut,    // unknown -> 0 with sales
            ]
        );
        let d = demand_units(&units, &on_hand);
        assert_eq!(d[0], 4.0);
        // Day 1 sold 5, more than the 4 of the one in-stock day before it: kept. Day 5 sold 6,
        // more than the mean of days 0, 3 and 4 (3): kept.
        assert_eq!((d[1], d[5]), (5.0, 6.0));
        assert!(d[2].is_nan());
        assert_eq!((d[3], d[4]), (3.0, 2.0));
        // The first day has no previous level: ending at zero with sales is a sell-out.
        assert_eq!(day_stock(&[1.0], &[Some(0)], 0), DayStock::SoldOut);
        // Negative net sales (refunds) on an in-stock day count as zero demand.
        assert_eq!(demand_units(&[-2.0], &[Some(3)]), [0.0]);
    }

    /// A fast mover that ran out by noon sold less than its usual day: censored. A slow mover
    /// kept at one unit sells out on every day it sells: those sales are its demand, kept.
    #[test]
    fn a_sell_out_is_censored_only_when_it_sold_less_than_the_usual_day() {
        let fast_units = [10.0, 9.0, 11.0, 4.0, 10.0];
        let fast_stock = [Some(30), Some(21), Some(10), Some(0), Some(40)];
        let d = demand_units(&fast_units, &fast_stock);
        assert!(d[3].is_nan(), "{d:?}");
        assert_eq!([d[0], d[1], d[2], d[4]], [10.0, 9.0, 11.0, 10.0]);

        // One unit on the shelf, restocked the next day; a sale every fifth day.
        let n = 60;
        let units: Vec<f64> = (0..n).map(|i| f64::from(u8::from(i % 5 == 4))).collect();
        let on_hand: Vec<Option<i64>> = (0..n).map(|i| Some(i64::from(i % 5 != 4))).collect();
        assert_eq!(day_stock(&units, &on_hand, 4), DayStock::SoldOut);
        let d = demand_units(&units, &on_hand);
        assert_eq!(d, units, "every sale is kept");
        assert!((d.iter().sum::<f64>() - 12.0).abs() < 1e-9);

        // Only earlier days count: changing what comes after a day never changes its value.
        let mut later = fast_units;
        later[4] = 100.0;
        assert!(demand_units(&later, &fast_stock)[3].is_nan());
    }
}
