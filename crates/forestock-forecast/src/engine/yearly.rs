//! Yearly adjustment of daily forecasts ("same period last year" growth).
//!
//! The local models see the recent level (a 28-day window, exponential smoothing with a weekly
//! season): none of them knows that the weeks ahead sold more (Q4) or less (January) than the
//! weeks just behind, last year. With at least a year plus the window `w` of history before
//! an origin `o`, the forecast over the horizon is multiplied by
//!
//! ```text
//!   r = rate(o − 364 .. o − 364 + h) / rate(o − 364 − w .. o − 364)
//! ```
//!
//! the ratio of last year's demand over the same upcoming days to last year's demand over the
//! days matching the recent window `w` (364 days keep the weekdays aligned). This is the
//! "same period last year" seasonal index of classical decomposition applied to a level
//! forecast: the seasonal factor of the target period over that of the base period (Hyndman &
//! Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., §3.4 classical
//! decomposition and §12.1 complex seasonality; Makridakis, Wheelwright & Hyndman 1998,
//! *Forecasting: Methods and Applications*, ratio-to-moving-average seasonal indices).
//!
//! A series' own ratio is noise for a slow mover, so it is shrunk toward its category's ratio,
//! and the category's toward the ratio of all series of the run, as a ratio of sums with a
//! prior of `K` expected units (a gamma–Poisson posterior mean of a rate ratio: the prior
//! counts as `K` units observed at the pooled ratio):
//!
//! ```text
//!   r_series = (U + K·r_cat) / (B + K),   r_cat = (ΣU + K_cat·r_all) / (ΣB + K_cat)
//! ```
//!
//! with `U` last year's units over the upcoming days and `B` last year's base rate times `h`
//! (the units expected over the upcoming days at a ratio of 1); the run's ratio is shrunk
//! toward 1 with a prior of 100 units, and the applied ratio kept in [0.5, 2]. With a block
//! length below `h`, each block of the horizon gets its own ratio (same base, its priors the
//! block's share of `K`). Only periods before the origin
//! are read (test `the_yearly_ratio_reads_only_data_before_the_origin`). The selection
//! backtests are adjusted the same way, each at its own origin, so the quantile calibration
//! learns on forecasts made as the run makes them.

use super::{SeriesIssue, SeriesRun};
use crate::series::{Frequency, Series};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Days in a year, rounded to whole weeks so that weekdays line up.
pub(crate) const YEAR: usize = 364;

/// Prior weight, in units, of a ratio of 1 against the ratio pooled over the whole run.
const RUN_PRIOR_UNITS: f64 = 100.0;

/// Bounds of the applied ratio: a shop closed for weeks last year must not zero the forecast.
const RATIO_MIN: f64 = 0.5;
const RATIO_MAX: f64 = 2.0;

/// Last year's units over the upcoming days (`U`) and at a ratio of 1 (`B`), for one series at
/// one origin, per block of `block` days of the horizon (one block when `block >= h`); `None`
/// when the history is too short or mostly unknown.
pub(crate) fn last_year(
    units: &[f64],
    origin: usize,
    h: usize,
    w: usize,
    block: usize,
) -> Option<Vec<(f64, f64)>> {
    if h == 0 || w == 0 || h > YEAR || origin > units.len() || origin < YEAR + w {
        return None;
    }
    let at = origin - YEAR;
    let rate = |a: usize, b: usize| {
        let known: Vec<f64> = units[a..b]
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        // at least half the days known (stockout days are unknown demand)
        (2 * known.len() >= b - a).then(|| known.iter().sum::<f64>() / known.len() as f64)
    };
    let base = rate(at - w, at)?;
    let block = block.clamp(1, h);
    (0..h)
        .step_by(block)
        .map(|k| {
            let len = block.min(h - k);
            let upcoming = rate(at + k, at + k + len)?;
            Some((upcoming * len as f64, base * len as f64))
        })
        .collect()
}

/// Last year's figures of one block at one origin of a series: (index of the origin, 0 = the
/// run's own and `1 + b` = backtest `b`; its date; block; `U`; `B`).
type Entry = (usize, NaiveDate, usize, f64, f64);

/// Shrunk ratio of sums: `(ΣU + k·prior) / (ΣB + k)`.
fn shrunk(u: f64, b: f64, k: f64, prior: f64) -> f64 {
    if b + k <= 0.0 {
        return prior;
    }
    (u + k * prior) / (b + k)
}

/// Multiply each daily series' forecast (and its selection backtests) by its shrunk yearly
/// ratio. Ratios are pooled across series by the date of the origin, so that a category's
/// pooled ratio at a backtest origin uses only data before that date too, also when the
/// series of a file end on different days.
pub(crate) fn adjust(
    series: &[Series],
    runs: &mut [Result<SeriesRun, SeriesIssue>],
    h: usize,
    w: usize,
    block: usize,
    prior_units: f64,
) {
    let eligible = |s: &Series, r: &SeriesRun| {
        s.frequency == Frequency::Daily
            && !matches!(r.forecast.model.as_str(), "zero" | "short_average")
    };
    // per series: one entry per block of the final origin and of each backtest origin
    let stats: Vec<Vec<Entry>> = series
        .iter()
        .zip(runs.iter())
        .map(|(s, r)| {
            let Ok(r) = r else { return Vec::new() };
            if !eligible(s, r) {
                return Vec::new();
            }
            let mut origins = vec![s.units.len()];
            origins.extend(r.calibration.backtests.iter().map(|b| b.origin));
            origins
                .iter()
                .enumerate()
                .flat_map(|(i, &o)| {
                    let date = s.frequency.add(s.start, o as i64);
                    let bh = if i == 0 {
                        h
                    } else {
                        r.calibration.backtests[i - 1].forecast.len()
                    };
                    last_year(&s.units, o, bh, w, block)
                        .unwrap_or_default()
                        .into_iter()
                        .enumerate()
                        .map(move |(k, (u, b))| (i, date, k, u, b))
                })
                .collect()
        })
        .collect();
    let group = |s: &Series| s.meta.category.clone().unwrap_or_default();
    let mut all: BTreeMap<(NaiveDate, usize), (f64, f64)> = BTreeMap::new();
    let mut cats: BTreeMap<(String, NaiveDate, usize), (f64, f64)> = BTreeMap::new();
    for (s, st) in series.iter().zip(&stats) {
        for &(_, date, k, u, b) in st {
            let e = all.entry((date, k)).or_default();
            e.0 += u;
            e.1 += b;
            let e = cats.entry((group(s), date, k)).or_default();
            e.0 += u;
            e.1 += b;
        }
    }
    // the category prior is worth ten series' priors
    // the priors are units over the horizon: a block's share of them
    let k = prior_units * block.clamp(1, h.max(1)) as f64 / h.max(1) as f64;
    let k_cat = 10.0 * k;
    for ((s, st), run) in series.iter().zip(&stats).zip(runs.iter_mut()) {
        let Ok(run) = run else { continue };
        let block = block.max(1);
        let mut own = Vec::new();
        for &(i, date, j, u, b) in st {
            let (au, ab) = all[&(date, j)];
            let r_all = shrunk(au, ab, RUN_PRIOR_UNITS, 1.0);
            let (cu, cb) = cats[&(group(s), date, j)];
            let r_cat = shrunk(cu, cb, k_cat, r_all);
            let r = shrunk(u, b, k, r_cat).clamp(RATIO_MIN, RATIO_MAX);
            let v = if i == 0 {
                own.push(format!("×{r:.2}"));
                &mut run.forecast.mean
            } else {
                &mut run.calibration.backtests[i - 1].forecast
            };
            v.iter_mut()
                .skip(j * block)
                .take(block)
                .for_each(|x| *x *= r);
        }
        if !own.is_empty() {
            run.forecast.notes.push(format!(
                "yearly adjustment {} per {} days (same period last year)",
                own.join(" "),
                block.min(h)
            ));
        }
    }
}
