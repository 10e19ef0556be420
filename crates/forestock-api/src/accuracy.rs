//! Forecast accuracy: the stored forecast runs (forestock-demand) against what then sold (the
//! demand history), per SKU×location, category, supplier or location, and in total.
//!
//! Over every day a run forecast whose demand is known (a day with nothing on hand and no sale,
//! or one that sold out during the day, is left out: its demand is unknown or only a lower
//! bound, as the forecaster treats it — `forestock_demand::day_stock`), with F the forecast mean,
//! A the units sold, and sums over the group's days of every run:
//! - WAPE = Σ|F − A| / ΣA (weighted absolute percentage error);
//! - bias = (ΣF − ΣA) / ΣA (positive: forecast too high), as the engine's backtests report it;
//! - MASE = the mean over series×run of MAE(F, A) / the in-sample seasonal-naive MAE, that is
//!   mean |y_t − y_{t−m}| over the series' history up to the run's last day with m its stored
//!   season length (Hyndman & Koehler 2006, "Another look at measures of forecast accuracy";
//!   the scaling of `shared/bench/README.md`); series whose naive MAE is 0 have no MASE;
//! - p10–p90 coverage = the share of days with p10 ≤ A ≤ p90 (80% when the bands are calibrated).

use crate::grid::natural;
use crate::{Error, Result};
use chrono::NaiveDate;
use forestock_core::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// How the report groups the series.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum AccuracyBy {
    /// Per SKU×location (the unit the forecaster forecasts).
    #[default]
    Sku,
    Category,
    Supplier,
    Location,
}

impl AccuracyBy {
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sku" => Ok(Self::Sku),
            "category" => Ok(Self::Category),
            "supplier" => Ok(Self::Supplier),
            "location" => Ok(Self::Location),
            other => Err(Error::Invalid(format!(
                "cannot group accuracy by `{other}`: use sku, category, supplier or location"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sku => "sku",
            Self::Category => "category",
            Self::Supplier => "supplier",
            Self::Location => "location",
        }
    }
}

/// The most runs one report reads.
pub const MAX_RUNS: usize = 50;

/// One group's accuracy (or the total).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccuracyRow {
    /// The SKU and location (`SKU · LOC`), category, supplier (`—` for none) or location code;
    /// `Total` for the total.
    pub key: String,
    /// The SKU×location of a per-SKU row (to open its detail).
    pub variant_id: Option<i64>,
    pub location_id: Option<i64>,
    /// SKU×locations, and forecast days compared with sales (summed over runs).
    pub series: u32,
    pub days: u32,
    /// Units sold and units forecast over those days.
    pub actual: f64,
    pub forecast: f64,
    /// `None` where undefined (nothing sold; no series with a naive error).
    pub wape: Option<f64>,
    pub bias: Option<f64>,
    pub mase: Option<f64>,
    pub coverage: Option<f64>,
}

/// A run the report read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccuracyRun {
    pub id: i64,
    pub started_at: String,
    /// The last day of history the run used.
    pub as_of: Option<String>,
    /// Forecast days of it compared with sales (0: none of its days has happened yet).
    pub days: u32,
}

/// Forecast against actual over the last stored forecast runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccuracyReport {
    pub by: AccuracyBy,
    pub runs: Vec<AccuracyRun>,
    /// The last day of sales known.
    pub actuals_to: Option<String>,
    /// Groups in natural order of their key.
    pub rows: Vec<AccuracyRow>,
    pub total: AccuracyRow,
    /// How each figure is computed, in words.
    pub method: String,
}

/// The formulas, as the report states them.
pub const METHOD: &str =
    "WAPE = Σ|forecast − actual| / Σ actual; bias = (Σ forecast − Σ actual) / Σ actual \
     (positive: too high); MASE = mean over series of MAE / in-sample seasonal-naive MAE \
     (lag = the series' season, history up to the run's date); coverage = share of days with \
     p10 ≤ actual ≤ p90. Days with nothing on hand and no sale, and days that sold out short \
     of a usual day, are left out.";

/// Sums of one group.
#[derive(Debug, Default)]
struct Acc {
    abs: f64,
    f: f64,
    a: f64,
    days: u32,
    covered: u32,
    mase_sum: f64,
    mase_n: u32,
    series: HashSet<(i64, i64)>,
}

/// One series×run's comparison.
#[derive(Debug, Default, Clone, Copy)]
struct Eval {
    abs: f64,
    f: f64,
    a: f64,
    days: u32,
    covered: u32,
}

impl Acc {
    fn add(&mut self, key: (i64, i64), e: &Eval, scale: Option<f64>) {
        self.abs += e.abs;
        self.f += e.f;
        self.a += e.a;
        self.days += e.days;
        self.covered += e.covered;
        if let Some(s) = scale {
            self.mase_sum += e.abs / f64::from(e.days) / s;
            self.mase_n += 1;
        }
        self.series.insert(key);
    }

    fn row(&self, key: String, ids: Option<(i64, i64)>) -> AccuracyRow {
        let per_actual = |x: f64| (self.a > 0.0).then(|| x / self.a);
        AccuracyRow {
            key,
            variant_id: ids.map(|k| k.0),
            location_id: ids.map(|k| k.1),
            series: u32::try_from(self.series.len()).unwrap_or(u32::MAX),
            days: self.days,
            actual: self.a,
            forecast: self.f,
            wape: per_actual(self.abs),
            bias: per_actual(self.f - self.a),
            mase: (self.mase_n > 0).then(|| self.mase_sum / f64::from(self.mase_n)),
            coverage: (self.days > 0).then(|| f64::from(self.covered) / f64::from(self.days)),
        }
    }
}

/// The in-sample seasonal-naive MAE of `y` with lag `m`: mean |y_t − y_{t−m}| over the pairs
/// whose both days are known; `None` when there is no pair or it is 0 (no scale).
pub fn naive_mae(y: &[f64], m: usize) -> Option<f64> {
    let m = m.max(1);
    let (mut sum, mut n) = (0.0, 0u32);
    for t in m..y.len() {
        if y[t].is_finite() && y[t - m].is_finite() {
            sum += (y[t] - y[t - m]).abs();
            n += 1;
        }
    }
    (n > 0 && sum > 0.0).then(|| sum / f64::from(n))
}

/// A forecast day: (date, mean, p10, p90).
type Day = (NaiveDate, f64, f64, f64);

struct SeriesRun {
    run: usize,
    end: NaiveDate,
    season: usize,
    days: Vec<Day>,
}

/// Accuracy of the last `runs` forecast runs grouped `by`; see the module's formulas. Runs made
/// on the last day of sales have nothing to compare yet (their `days` is 0).
pub fn accuracy(store: &Store, by: AccuracyBy, runs: usize) -> Result<AccuracyReport> {
    if runs == 0 || runs > MAX_RUNS {
        return Err(Error::Invalid(format!(
            "runs must be between 1 and {MAX_RUNS}, not {runs}"
        )));
    }
    let headers = forestock_demand::recent_runs(store, runs)?;
    let mut wanted: HashMap<(i64, i64), Vec<SeriesRun>> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let (series, days) = forestock_demand::run_days(store, h.id)?;
        let mut by_key: HashMap<(i64, i64), Vec<Day>> = HashMap::new();
        for d in days {
            by_key
                .entry((d.variant_id, d.location_id))
                .or_default()
                .push((d.date, d.mean, d.p10, d.p90));
        }
        for s in series {
            let key = (s.variant_id, s.location_id);
            wanted.entry(key).or_default().push(SeriesRun {
                run: i,
                end: s.history_end,
                season: s.season,
                days: by_key.remove(&key).unwrap_or_default(),
            });
        }
    }

    let r = store.read();
    let skus: HashMap<i64, forestock_core::Sku> =
        r.skus()?.into_iter().map(|s| (s.id, s)).collect();
    let suppliers: HashMap<i64, String> =
        r.suppliers()?.into_iter().map(|s| (s.id, s.name)).collect();
    let primary: HashMap<i64, String> = r
        .supplier_skus()?
        .into_iter()
        .filter(|l| l.is_primary)
        .filter_map(|l| Some((l.variant_id, suppliers.get(&l.supplier_id)?.clone())))
        .collect();

    let mut groups: BTreeMap<String, (Acc, (i64, i64))> = BTreeMap::new();
    let mut total = Acc::default();
    let mut run_days = vec![0u32; headers.len()];
    let mut actuals_to: Option<NaiveDate> = None;
    r.demand_history(|h| {
        let key = (h.variant_id, h.location_id);
        let Some(list) = wanted.get(&key) else {
            return Ok(());
        };
        // Units sold per day; a censored day (out of stock, or sold out during the day) has
        // unknown demand, as the forecaster reads it.
        let y: Vec<f64> = forestock_demand::demand_units(&h.units, &h.on_hand);
        if !y.is_empty() {
            let last = h.date(y.len() - 1);
            actuals_to = Some(actuals_to.map_or(last, |d| d.max(last)));
        }
        let index = |d: NaiveDate| usize::try_from((d - h.start).num_days()).ok();
        for sr in list {
            let mut e = Eval::default();
            for &(d, mean, p10, p90) in &sr.days {
                let Some(a) = index(d).and_then(|i| y.get(i)).copied() else {
                    continue;
                };
                if !a.is_finite() || d <= sr.end {
                    continue;
                }
                e.abs += (mean - a).abs();
                e.f += mean;
                e.a += a;
                e.days += 1;
                if p10 <= a && a <= p90 {
                    e.covered += 1;
                }
            }
            if e.days == 0 {
                continue;
            }
            let in_sample = index(sr.end).map_or(0, |i| (i + 1).min(y.len()));
            let scale = naive_mae(&y[..in_sample], sr.season);
            let sku = skus.get(&h.variant_id);
            let name = match by {
                AccuracyBy::Sku => format!("{} · {}", h.sku, h.location),
                AccuracyBy::Category => sku.map_or_else(|| "—".into(), |s| s.category.clone()),
                AccuracyBy::Supplier => primary
                    .get(&h.variant_id)
                    .cloned()
                    .unwrap_or_else(|| "—".into()),
                AccuracyBy::Location => h.location.clone(),
            };
            groups
                .entry(name)
                .or_insert_with(|| (Acc::default(), key))
                .0
                .add(key, &e, scale);
            total.add(key, &e, scale);
            run_days[sr.run] += e.days;
        }
        Ok(())
    })?;

    let mut rows: Vec<AccuracyRow> = groups
        .into_iter()
        .map(|(name, (acc, ids))| acc.row(name, (by == AccuracyBy::Sku).then_some(ids)))
        .collect();
    rows.sort_by(|a, b| natural(&a.key, &b.key));
    Ok(AccuracyReport {
        by,
        runs: headers
            .iter()
            .zip(run_days)
            .map(|(h, days)| AccuracyRun {
                id: h.id,
                started_at: h.started_at.format("%Y-%m-%d %H:%M").to_string(),
                as_of: h.as_of.map(|d| d.to_string()),
                days,
            })
            .collect(),
        actuals_to: actuals_to.map(|d| d.to_string()),
        rows,
        total: total.row("Total".into(), None),
        method: METHOD.into(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_naive_scale_skips_unknown_days_and_refuses_a_flat_series() {
        // Lag 1 over [2, 4, NaN, 4, 6]: pairs (2,4) and (4,6) → (2 + 2) / 2.
        assert_eq!(naive_mae(&[2.0, 4.0, f64::NAN, 4.0, 6.0], 1), Some(2.0));
        // Lag 2 over [1, 5, 3, 9]: |3 − 1| and |9 − 5| → 3.
        assert_eq!(naive_mae(&[1.0, 5.0, 3.0, 9.0], 2), Some(3.0));
        assert_eq!(naive_mae(&[3.0, 3.0, 3.0], 1), None);
        assert_eq!(naive_mae(&[3.0], 7), None);
    }

    #[test]
    fn grouping_names_parse_and_bad_ones_are_refused() {
        assert_eq!(AccuracyBy::parse("Category").unwrap(), AccuracyBy::Category);
        let e = AccuracyBy::parse("colour").unwrap_err().to_string();
        assert!(e.contains("colour") && e.contains("supplier"), "{e}");
    }
}
