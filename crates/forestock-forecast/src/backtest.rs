//! Rolling-origin evaluation of every candidate and of the selected forecast.
//!
//! Protocol (as `../shared/bench/README.md`): origin `k` (0-based) holds out the `h` periods
//! ending `k * h` periods before the end of each series; everything before is the training data,
//! on which the whole pipeline (preparation, selection backtests, calibration) runs again.
//! Errors are against the raw actuals. MASE: MAE over the horizon / in-sample seasonal naive MAE
//! (lag `m`), averaged over series; RMSSE: M5 definition (lag-1 naive, from the first sale);
//! WAPE and bias pooled; pinball: mean of the 0.1/0.5/0.9 pinball losses scaled like MASE;
//! coverage: share of actuals inside `[p10, p90]` (inclusive), with the misses split into
//! below p10 and above p90.

use crate::engine::{run_all, seasonal_naive_mae, ForecastConfig, SeriesIssue};
use crate::series::Series;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Accuracy of one model over all series of one origin (or averaged over origins).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelScore {
    pub model: String,
    pub mase: f64,
    pub rmsse: f64,
    pub wape: f64,
    pub bias: f64,
    pub pinball: f64,
    pub coverage80: f64,
    /// Share of actuals below p10 (the rest of the misses are above p90).
    #[serde(default)]
    pub below_p10: f64,
    /// Share of actuals above p90.
    #[serde(default)]
    pub above_p90: f64,
    /// Series in the MASE average (series with a zero scale are left out).
    pub series: usize,
}

/// Cycle service level achieved by ordering up to the `target` quantile of total demand over the
/// first `window` periods of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceCheck {
    pub window: usize,
    pub target: f64,
    pub achieved: f64,
    pub cases: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub horizon: usize,
    pub season: usize,
    pub origins: usize,
    pub series: usize,
    /// Averages over origins; the last row is `selected`.
    pub models: Vec<ModelScore>,
    pub per_origin: Vec<Vec<ModelScore>>,
    pub service: Vec<ServiceCheck>,
    /// How often each model (or combination) was selected, over all origins.
    pub selected_models: BTreeMap<String, usize>,
    pub issues: Vec<SeriesIssue>,
}

/// The `n` models selected most, most first (ties by name): "ets 120, tsb 80".
pub fn most_selected(counts: &BTreeMap<String, usize>, n: usize) -> String {
    let mut sel: Vec<(&String, &usize)> = counts.iter().collect();
    sel.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = sel
        .iter()
        .take(n)
        .map(|(m, c)| format!("{m} {c}"))
        .collect();
    top.join(", ")
}

impl BacktestReport {
    /// The report as text: accuracy per model (mean over origins, and MASE per origin), the
    /// cycle service level the selected forecast achieved, the models selected most; `input`
    /// and `seconds` name the file and the wall time.
    pub fn text(&self, input: &std::path::Path, seconds: f64) -> String {
        let r = self;
        let mut o = format!(
            "backtest of {} series from {}: horizon {}, season {}, {} origins (mean over origins)\n",
            r.series,
            input.display(),
            r.horizon,
            r.season,
            r.origins
        );
        o.push_str(&format!(
            "{:<14} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7} {:>6} {:>6}  MASE per origin\n",
            "model", "MASE", "RMSSE", "WAPE", "bias", "pinball", "cov80", "<p10", ">p90"
        ));
        for m in &r.models {
            let per: Vec<String> = r
                .per_origin
                .iter()
                .filter_map(|o| o.iter().find(|x| x.model == m.model))
                .map(|x| format!("{:.3}", x.mase))
                .collect();
            o.push_str(&format!(
                "{:<14} {:>7.3} {:>7.3} {:>7.3} {:>+7.3} {:>8.4} {:>6.1}% {:>5.1}% {:>5.1}%  [{}]\n",
                m.model,
                m.mase,
                m.rmsse,
                m.wape,
                m.bias,
                m.pinball,
                100.0 * m.coverage80,
                100.0 * m.below_p10,
                100.0 * m.above_p90,
                per.join(" ")
            ));
        }
        o.push_str("cycle service level of the selected forecast (order up to the quantile of total demand over the first W periods):\n");
        let windows: std::collections::BTreeSet<usize> =
            r.service.iter().map(|s| s.window).collect();
        for w in windows {
            let cells: Vec<String> = r
                .service
                .iter()
                .filter(|s| s.window == w)
                .map(|s| format!("{:.0}%→{:.1}%", 100.0 * s.target, 100.0 * s.achieved))
                .collect();
            o.push_str(&format!("  W={w:<3} {}\n", cells.join("  ")));
        }
        o.push_str(&format!(
            "most selected: {}\n",
            most_selected(&r.selected_models, 8)
        ));
        if !r.issues.is_empty() {
            o.push_str(&format!(
                "{} series could not be forecast (see warnings)\n",
                r.issues.len()
            ));
        }
        o.push_str(&format!("wall time {seconds:.2} s\n"));
        o
    }
}

#[derive(Default, Clone)]
struct Acc {
    mase: f64,
    mase_n: usize,
    rmsse: f64,
    rmsse_n: usize,
    abs: f64,
    err: f64,
    actual: f64,
    pinball: f64,
    pinball_n: usize,
    covered: usize,
    below: usize,
    above: usize,
    days: usize,
}

impl Acc {
    fn score(&self, model: &str) -> ModelScore {
        let div = |a: f64, n: usize| if n > 0 { a / n as f64 } else { f64::NAN };
        ModelScore {
            model: model.to_string(),
            mase: div(self.mase, self.mase_n),
            rmsse: div(self.rmsse, self.rmsse_n),
            wape: if self.actual > 0.0 {
                self.abs / self.actual
            } else {
                f64::NAN
            },
            bias: if self.actual > 0.0 {
                self.err / self.actual
            } else {
                f64::NAN
            },
            pinball: div(self.pinball, self.pinball_n),
            coverage80: div(self.covered as f64, self.days),
            below_p10: div(self.below as f64, self.days),
            above_p90: div(self.above as f64, self.days),
            series: self.mase_n,
        }
    }
}

fn lag1_scale(y: &[f64]) -> Option<f64> {
    let start = y.iter().position(|v| *v > 0.0)?;
    let mut s = 0.0;
    let mut n = 0usize;
    for t in start + 1..y.len() {
        if y[t].is_finite() && y[t - 1].is_finite() {
            s += (y[t] - y[t - 1]).powi(2);
            n += 1;
        }
    }
    (n > 0 && s > 0.0).then(|| s / n as f64)
}

const SERVICE_TARGETS: [f64; 4] = [0.5, 0.9, 0.95, 0.99];

/// Evaluate on `origins` rolling origins. `progress(done)` counts series-origins.
///
/// Every origin needs at least one series long enough to hold it out (`h * (k + 1) + 2`
/// periods for origin `k`); otherwise the report would average over nothing, so that is
/// [`Error::BadInput`] naming the longest series and what it takes.
pub fn backtest(
    series: &[Series],
    cfg: &ForecastConfig,
    origins: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<BacktestReport> {
    let h = cfg.horizon;
    if origins == 0 {
        return Err(Error::Config("a backtest needs at least one origin".into()));
    }
    let need = h * origins + 2;
    let longest = series.iter().map(|s| s.units.len()).max().unwrap_or(0);
    if longest < need {
        return Err(Error::BadInput(format!(
            "no series is long enough for {origins} origin{} of horizon {h}: that takes at least \
             {need} periods and the longest of the {} series has {longest}; lower --origins or \
             --horizon, or give a longer history",
            if origins == 1 { "" } else { "s" },
            series.len()
        )));
    }
    let mut per_origin = Vec::new();
    let mut issues = Vec::new();
    let mut selected_models: BTreeMap<String, usize> = BTreeMap::new();
    let windows: Vec<usize> = {
        let mut w = vec![1, 7.min(h), h];
        w.dedup();
        w
    };
    let mut service_hits = vec![[0usize; SERVICE_TARGETS.len()]; windows.len()];
    let mut service_cases = vec![0usize; windows.len()];
    let done_before = std::sync::atomic::AtomicUsize::new(0);
    for k in 0..origins {
        let base = done_before.load(std::sync::atomic::Ordering::Relaxed);
        let mut trains = Vec::new();
        let mut actuals = Vec::new();
        for s in series {
            let n = s.units.len();
            let Some(cut) = n.checked_sub(h * (k + 1)) else {
                continue;
            };
            if cut < 2 {
                continue;
            }
            trains.push(s.truncated(cut));
            actuals.push(s.units[cut..cut + h].to_vec());
        }
        let cfg = &ForecastConfig {
            keep_candidates: true,
            ..cfg.clone()
        };
        let runs = run_all(&trains, cfg, &|d| progress(base + d));
        done_before.fetch_add(trains.len(), std::sync::atomic::Ordering::Relaxed);
        let rows: Vec<Option<Vec<(String, Acc)>>> = runs
            .par_iter()
            .zip(trains.par_iter().zip(actuals.par_iter()))
            .map(|(run, (train, actual))| {
                let run = run.as_ref().ok()?;
                let m = run.forecast.season;
                let scale = seasonal_naive_mae(&train.units, m).filter(|s| *s > 0.0);
                let scale2 = lag1_scale(&train.units);
                let mut out = Vec::new();
                let mut models: Vec<(String, Vec<f64>)> = run.candidates.clone();
                models.push(("selected".into(), run.forecast.mean.clone()));
                for (name, mean) in models {
                    let mut fc = run.forecast.clone();
                    fc.mean = mean;
                    let mut a = Acc::default();
                    let (mut sae, mut sse, mut cnt, mut pin) = (0.0, 0.0, 0usize, 0.0);
                    for (i, y) in actual.iter().enumerate() {
                        if !y.is_finite() {
                            continue;
                        }
                        let f = fc.mean[i];
                        sae += (f - y).abs();
                        sse += (f - y).powi(2);
                        cnt += 1;
                        a.abs += (f - y).abs();
                        a.err += f - y;
                        a.actual += y;
                        let q = fc.period_quantiles(i, [0.1, 0.5, 0.9]);
                        for (p, qv) in [0.1, 0.5, 0.9].iter().zip(q) {
                            pin += if *y >= qv {
                                p * (y - qv)
                            } else {
                                (1.0 - p) * (qv - y)
                            };
                        }
                        if *y < q[0] {
                            a.below += 1;
                        } else if *y > q[2] {
                            a.above += 1;
                        } else {
                            a.covered += 1;
                        }
                        a.days += 1;
                    }
                    if cnt > 0 {
                        if let Some(s) = scale {
                            a.mase = sae / cnt as f64 / s;
                            a.mase_n = 1;
                            a.pinball = pin / (3.0 * cnt as f64) / s;
                            a.pinball_n = 1;
                        }
                        if let Some(s2) = scale2 {
                            a.rmsse = (sse / cnt as f64 / s2).sqrt();
                            a.rmsse_n = 1;
                        }
                    }
                    out.push((name, a));
                }
                Some(out)
            })
            .collect();
        let mut accs: BTreeMap<String, Acc> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for row in rows.iter().flatten() {
            for (name, a) in row {
                if !accs.contains_key(name) {
                    order.push(name.clone());
                }
                let e = accs.entry(name.clone()).or_default();
                e.mase += a.mase;
                e.mase_n += a.mase_n;
                e.rmsse += a.rmsse;
                e.rmsse_n += a.rmsse_n;
                e.abs += a.abs;
                e.err += a.err;
                e.actual += a.actual;
                e.pinball += a.pinball;
                e.pinball_n += a.pinball_n;
                e.covered += a.covered;
                e.below += a.below;
                e.above += a.above;
                e.days += a.days;
            }
        }
        // service level checks on the selected forecast
        for (run, actual) in runs.iter().zip(&actuals) {
            match run {
                Ok(run) => {
                    *selected_models
                        .entry(run.forecast.model.clone())
                        .or_default() += 1;
                    for (wi, &w) in windows.iter().enumerate() {
                        let total: f64 = actual[..w].iter().sum();
                        if !total.is_finite() {
                            continue;
                        }
                        let d = run.forecast.window(0, w);
                        service_cases[wi] += 1;
                        for (ti, t) in SERVICE_TARGETS.iter().enumerate() {
                            // the order-up-to level as the planner reads it
                            if total <= d.quantile(run.forecast.window_level(w, *t)).ceil() {
                                service_hits[wi][ti] += 1;
                            }
                        }
                    }
                }
                Err(e) => {
                    if k == 0 {
                        issues.push(e.clone());
                    }
                }
            }
        }
        // model rows first (in candidate order), `selected` last
        order.retain(|n| n != "selected");
        order.push("selected".into());
        // `selected` has no accumulator when every series of this origin failed: empty scores
        per_origin.push(
            order
                .iter()
                .map(|n| accs.get(n).cloned().unwrap_or_default().score(n))
                .collect::<Vec<_>>(),
        );
    }
    let mut models: Vec<ModelScore> = Vec::new();
    if let Some(first) = per_origin.first() {
        for row in first {
            let all: Vec<&ModelScore> = per_origin
                .iter()
                .filter_map(|o| o.iter().find(|r| r.model == row.model))
                .collect();
            let avg = |f: &dyn Fn(&ModelScore) -> f64| {
                all.iter().map(|r| f(r)).sum::<f64>() / all.len() as f64
            };
            models.push(ModelScore {
                model: row.model.clone(),
                mase: avg(&|r| r.mase),
                rmsse: avg(&|r| r.rmsse),
                wape: avg(&|r| r.wape),
                bias: avg(&|r| r.bias),
                pinball: avg(&|r| r.pinball),
                coverage80: avg(&|r| r.coverage80),
                below_p10: avg(&|r| r.below_p10),
                above_p90: avg(&|r| r.above_p90),
                series: row.series,
            });
        }
    }
    let mut service = Vec::new();
    for (wi, &w) in windows.iter().enumerate() {
        for (ti, t) in SERVICE_TARGETS.iter().enumerate() {
            service.push(ServiceCheck {
                window: w,
                target: *t,
                achieved: if service_cases[wi] > 0 {
                    service_hits[wi][ti] as f64 / service_cases[wi] as f64
                } else {
                    f64::NAN
                },
                cases: service_cases[wi],
            });
        }
    }
    Ok(BacktestReport {
        horizon: h,
        season: series.first().map_or(1, |s| cfg.season_for(s.frequency)),
        origins,
        series: series.len(),
        models,
        per_origin,
        service,
        selected_models,
        issues,
    })
}
