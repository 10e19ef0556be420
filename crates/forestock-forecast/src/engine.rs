//! Per-series pipeline: prepare, classify, backtest candidates, select or combine, calibrate.

use crate::forecast::{Accuracy, DemandClass, LevelMap, SeriesForecast, Uncertainty, LEVEL_GRID};
use crate::models::{self, Candidate, Context, ModelKind};
use crate::prepare;
use crate::series::{Frequency, Series, SeriesKey};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options of a forecast run. `Default` gives the production settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastConfig {
    /// Periods to forecast.
    pub horizon: usize,
    /// Season length; `None` = 7 for daily, 52 for weekly, 12 for monthly data.
    pub season: Option<usize>,
    /// Rolling origins of the selection backtest.
    pub selection_origins: usize,
    /// Periods between selection origins; `None` = one horizon.
    pub selection_step: Option<usize>,
    /// Candidates computed (and reported by backtests) but never selected.
    pub never_select: Vec<Candidate>,
    /// Multiplier on the backtested level-error variance: in-sample backtests of the selected
    /// models understate the errors to come (tuned so cycle service levels hit their targets).
    pub level_inflation: f64,
    /// Keep every candidate's final forecast (backtest reports); off for production runs.
    #[serde(default)]
    pub keep_candidates: bool,
    /// Lean each series' selection on the candidates' ranking over a pilot of all series.
    pub pool_selection: bool,
    /// Always use the mean of the best `k` candidates (0 = choose between best, top 2, top 3).
    pub always_top: usize,
    /// Window of the window average; `None` = 28 for daily, 12 otherwise.
    pub window: Option<usize>,
    /// Candidate models; `None` = all.
    pub candidates: Option<Vec<Candidate>>,
    /// Try the mean of the best two and three candidates.
    pub combine: bool,
    /// Infer stockouts from implausible zero runs (when no inventory data says so).
    pub detect_stockouts: bool,
    /// Cap one-off spikes.
    pub cap_outliers: bool,
    /// Most recent periods the smoothing models see (ETS is fitted on them too).
    pub max_history: usize,
    /// Likelihood evaluations per ETS specification.
    pub ets_evals: usize,
}

impl Default for ForecastConfig {
    fn default() -> Self {
        Self {
            horizon: 28,
            season: None,
            selection_origins: 3,
            selection_step: None,
            never_select: vec![
                Candidate::plain(ModelKind::SeasonalNaive),
                Candidate::plain(ModelKind::CrostonSba),
            ],
            always_top: 0,
            pool_selection: true,
            keep_candidates: false,
            level_inflation: 1.0,
            window: None,
            candidates: None,
            combine: true,
            detect_stockouts: true,
            cap_outliers: true,
            max_history: 730,
            ets_evals: 80,
        }
    }
}

impl ForecastConfig {
    pub fn with_horizon(horizon: usize) -> Self {
        Self {
            horizon,
            ..Self::default()
        }
    }

    pub fn season_for(&self, f: Frequency) -> usize {
        self.season.unwrap_or_else(|| f.default_season()).max(1)
    }

    pub fn window_for(&self, f: Frequency) -> usize {
        self.window.unwrap_or(match f {
            Frequency::Daily => 28,
            _ => 12,
        })
    }

    /// Check ranges; returns a message for the user.
    pub fn validate(&self) -> crate::Result<()> {
        if self.horizon == 0 {
            return Err(crate::Error::Config("horizon must be at least 1".into()));
        }
        if self.horizon > 3660 {
            return Err(crate::Error::Config(
                "horizon must be at most 3660 periods".into(),
            ));
        }
        if self.season == Some(0) {
            return Err(crate::Error::Config("season must be at least 1".into()));
        }
        // model selection indexes the first candidate: an empty list would panic there
        if self.candidates.as_ref().is_some_and(Vec::is_empty) {
            return Err(crate::Error::Config(
                "the candidate model list is empty".into(),
            ));
        }
        Ok(())
    }

    fn candidate_list(&self, m: usize) -> Vec<Candidate> {
        if let Some(c) = &self.candidates {
            return c.clone();
        }
        let mut out: Vec<Candidate> = ModelKind::ALL
            .iter()
            .map(|k| Candidate::plain(*k))
            .collect();
        if m > 1 {
            for k in [
                ModelKind::WindowAverage,
                ModelKind::Ses,
                ModelKind::Theta,
                ModelKind::Tsb,
            ] {
                out.push(Candidate {
                    kind: k,
                    seasonal: true,
                });
            }
        }
        out
    }
}

/// A series the run could not forecast normally, with the reason (the run goes on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesIssue {
    pub key: SeriesKey,
    pub message: String,
}

/// Raw calibration statistics of one series, pooled across series before use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Calibration {
    dispersion: Option<f64>,
    level_var: Vec<f64>,
    origins: usize,
    /// (forecast, actual) of the selected forecast on every known backtest period.
    periods: Vec<(f64, f64)>,
}

/// Everything the pipeline produced for one series (backtests need the candidates too).
#[derive(Debug, Clone)]
pub(crate) struct SeriesRun {
    pub forecast: SeriesForecast,
    /// Final forecasts of each candidate (name, means) on the full history.
    pub candidates: Vec<(String, Vec<f64>)>,
    pub calibration: Calibration,
    /// Each selectable candidate's backtest error relative to their average (pilot pooling).
    pub relative: Vec<(Candidate, f64)>,
    /// Selection backtests: per origin, every candidate's forecast (only with
    /// `keep_candidates`, for reports and tests).
    pub backtests: Vec<(usize, Vec<Vec<f64>>)>,
}

/// Syntetos–Boylan classification over the last year of known periods.
pub fn classify(y: &[f64], frequency: Frequency) -> DemandClass {
    let span = match frequency {
        Frequency::Daily => 365,
        Frequency::Weekly => 104,
        Frequency::Monthly => 48,
    };
    let from = y.len().saturating_sub(span);
    let known: Vec<f64> = y[from..]
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if known.len() < 2 {
        return DemandClass::Short;
    }
    let nz: Vec<f64> = known.iter().copied().filter(|v| *v > 0.0).collect();
    if nz.is_empty() {
        return DemandClass::Zero;
    }
    let adi = known.len() as f64 / nz.len() as f64;
    let mean = nz.iter().sum::<f64>() / nz.len() as f64;
    let var = nz.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / nz.len() as f64;
    let cv2 = var / (mean * mean);
    match (adi > 1.32, cv2 > 0.49) {
        (false, false) => DemandClass::Smooth,
        (false, true) => DemandClass::Erratic,
        (true, false) => DemandClass::Intermittent,
        (true, true) => DemandClass::Lumpy,
    }
}

fn mae(f: &[f64], a: &[f64]) -> Option<f64> {
    let mut s = 0.0;
    let mut n = 0usize;
    for (x, y) in f.iter().zip(a) {
        if y.is_finite() {
            s += (x - y).abs();
            n += 1;
        }
    }
    (n > 0).then(|| s / n as f64)
}

fn mean_of(rows: &[&Vec<f64>]) -> Vec<f64> {
    let h = rows.first().map_or(0, |r| r.len());
    (0..h)
        .map(|i| rows.iter().map(|r| r[i]).sum::<f64>() / rows.len() as f64)
        .collect()
}

/// Prior knowledge shared across series (pooled promotion lift).
#[derive(Debug, Clone, Default)]
pub(crate) struct Priors {
    pub promo_lift: Option<f64>,
    /// Mean relative backtest error of each candidate over a pilot of series, per demand group
    /// (0: smooth/erratic, 1: intermittent/lumpy).
    pub global: Option<[BTreeMap<Candidate, f64>; 2]>,
}

fn group_of(class: DemandClass) -> usize {
    match class {
        DemandClass::Intermittent | DemandClass::Lumpy => 1,
        _ => 0,
    }
}

/// Weight of the pilot's ranking, in origins, against the series' own backtest.
const GLOBAL_WEIGHT: f64 = 3.0;

/// A history after preparation, with the promotion lift taken out of it.
pub(crate) struct Prepared {
    pub y: Vec<f64>,
    pub lift: f64,
    pub notes: Vec<String>,
}

/// Prepare `units` (with its promotion flags): stockout inference, outlier caps, promotion
/// lift. Reads nothing but its arguments, so preparing a prefix of a history (a selection
/// origin) never sees the periods after it.
pub(crate) fn prepare_history(
    units: &[f64],
    promo: &[bool],
    frequency: Frequency,
    cfg: &ForecastConfig,
    priors: &Priors,
) -> Prepared {
    let mut notes = Vec::new();
    let mut y = units.to_vec();
    if cfg.detect_stockouts {
        let (runs, periods) = prepare::censor_zero_runs(&mut y, frequency);
        if runs > 0 {
            notes.push(format!(
                "{periods} days in {runs} zero runs treated as stockouts"
            ));
        }
    }
    if cfg.cap_outliers {
        let (capped, cap) = prepare::cap_outliers(&mut y);
        if let Some(cap) = cap {
            notes.push(format!("{capped} spikes capped at {cap}"));
        }
    }
    let mut lift = 1.0;
    let promo = &promo[..promo.len().min(y.len())];
    if !promo.is_empty() {
        if let Some((on, off, days)) = prepare::promo_stats(&y, promo, 365) {
            if off > 0.0 {
                // shrink the series' own lift toward the pooled one (10 promotion days' weight)
                let own = (on / off).clamp(0.5, 5.0);
                let prior = priors.promo_lift.unwrap_or(1.0);
                let w = days as f64;
                lift = (w * own + 10.0 * prior) / (w + 10.0);
            }
        }
        if (lift - 1.0).abs() > 1e-9 {
            for (v, p) in y.iter_mut().zip(promo) {
                if *p && v.is_finite() {
                    *v /= lift;
                }
            }
        }
    }
    Prepared { y, lift, notes }
}

/// AutoETS on the recent part of `y` (phase-aligned), when the candidates include it and the
/// demand class is worth its cost: it rarely wins on intermittent demand, where SES (its
/// ETS(A,N,N) special case) stands in for it.
fn fit_ets(
    y: &[f64],
    m: usize,
    class: DemandClass,
    cands: &[Candidate],
    cfg: &ForecastConfig,
) -> Option<models::ets::Fit> {
    let worth_it = !matches!(class, DemandClass::Intermittent | DemandClass::Lumpy);
    if !worth_it || !cands.iter().any(|c| c.kind == ModelKind::Ets) {
        return None;
    }
    let cut = y.len().saturating_sub(cfg.max_history);
    models::ets::auto(&y[cut - cut % m.max(1)..], m, cfg.ets_evals)
}

/// Selection loss of one backtest forecast: the mean squared error over its known periods.
/// The selected forecast is used as the *mean* of the demand distribution, and the mean is what
/// minimises squared error; the MAE is minimised by the median, which on intermittent demand is
/// 0, so ranking on MAE rewards forecasts biased low (`../shared/bench/README.md`, "Metrics
/// that a zero forecast cannot win"). Within one series, ranking on scaled squared error (RMSSE)
/// and on MSE is the same.
fn selection_loss(f: &[f64], a: &[f64]) -> Option<f64> {
    let mut s = 0.0;
    let mut n = 0usize;
    for (x, y) in f.iter().zip(a) {
        if y.is_finite() {
            s += (x - y).powi(2);
            n += 1;
        }
    }
    (n > 0).then(|| s / n as f64)
}

/// Run the pipeline on one series.
pub(crate) fn run_series(
    series: &Series,
    cfg: &ForecastConfig,
    priors: &Priors,
) -> Result<SeriesRun, SeriesIssue> {
    let issue = |m: String| SeriesIssue {
        key: series.key.clone(),
        message: m,
    };
    let h = cfg.horizon;
    let m = cfg.season_for(series.frequency);
    let first_date = series.end();
    let mut notes = Vec::new();
    if series.units.is_empty() {
        return Err(issue("no history".into()));
    }
    if series.units.iter().any(|v| v.is_finite() && *v < 0.0) {
        return Err(issue("negative units in the history".into()));
    }
    // --- preparation (the same function prepares each selection origin's prefix)
    let Prepared {
        y,
        lift,
        notes: prep_notes,
    } = prepare_history(&series.units, &series.promo, series.frequency, cfg, priors);
    notes.extend(prep_notes);
    let class = classify(&y, series.frequency);
    let known = y.iter().filter(|v| v.is_finite()).count();
    let finish = |mean: Vec<f64>,
                  model: String,
                  class: DemandClass,
                  uncertainty: Uncertainty,
                  accuracy: Option<Accuracy>,
                  mut notes: Vec<String>,
                  candidates: Vec<(String, Vec<f64>)>,
                  calibration: Calibration| {
        let mut mean = mean;
        for (i, v) in mean.iter_mut().enumerate() {
            if series.future_promo.get(i).copied().unwrap_or(false) {
                *v *= lift;
            }
            if let Some(stop) = series.meta.discontinue {
                if series.frequency.add(first_date, i as i64) >= stop {
                    *v = 0.0;
                }
            }
            if !v.is_finite() || *v < 0.0 {
                *v = 0.0;
            }
        }
        if let Some(stop) = series.meta.discontinue {
            if stop <= series.frequency.add(first_date, h as i64) {
                notes.push(format!(
                    "discontinued from {stop}: no demand forecast after it"
                ));
            }
        }
        if (lift - 1.0).abs() > 1e-9 {
            notes.push(format!("promotion lift {lift:.2}"));
        }
        SeriesRun {
            forecast: SeriesForecast {
                key: series.key.clone(),
                frequency: series.frequency,
                first_date,
                mean,
                model,
                class,
                season: m,
                uncertainty,
                accuracy,
                notes,
            },
            candidates,
            calibration,
            relative: Vec::new(),
            backtests: Vec::new(),
        }
    };
    if class == DemandClass::Zero {
        notes.push("nothing sold in the history: forecast is zero".into());
        let unc = Uncertainty {
            dispersion: 0.0,
            level_cv: 0.0,
            period_levels: None,
        };
        return Ok(finish(
            vec![0.0; h],
            "zero".into(),
            class,
            unc,
            None,
            notes,
            vec![],
            Calibration::default(),
        ));
    }
    if known < 2 * m.max(7) || class == DemandClass::Short {
        let w = known.max(1);
        let f = models::simple::window_average(&y, h, w);
        notes.push(format!(
            "only {known} known periods: average of all of them, wide interval"
        ));
        let unc = Uncertainty {
            dispersion: 1.0,
            level_cv: 0.8,
            period_levels: None,
        };
        return Ok(finish(
            f,
            "short_average".into(),
            DemandClass::Short,
            unc,
            None,
            notes,
            vec![],
            Calibration::default(),
        ));
    }

    // --- models
    let cands = cfg.candidate_list(m);
    let ets = fit_ets(&y, m, class, &cands, cfg);
    let ctx = Context {
        m,
        window: cfg.window_for(series.frequency),
        ets,
        max_history: cfg.max_history,
    };
    let n = y.len();
    let min_train = 2 * m.max(7);
    let step = cfg.selection_step.unwrap_or(h).max(1);
    let origins: Vec<usize> = (0..cfg.selection_origins)
        .map(|k| n as i64 - h as i64 - (step * k) as i64)
        .filter(|o| *o >= min_train as i64)
        .map(|o| o as usize)
        .collect();
    // Backtest forecasts per candidate per origin. Each origin is forecast exactly as a run
    // ending there would be: its prefix of the raw history is prepared on its own (stockout
    // inference, outlier caps and promotion lift read no later period) and AutoETS is refitted
    // on it (model and parameters chosen on the prefix only). No value after an origin reaches
    // its forecast.
    let per_origin: Vec<Vec<Vec<f64>>> = origins
        .iter()
        .map(|&o| {
            let prefix = &series.units[..o];
            let promo = &series.promo[..series.promo.len().min(o)];
            let yo = prepare_history(prefix, promo, series.frequency, cfg, priors).y;
            let class_o = classify(&yo, series.frequency);
            let ctx_o = Context {
                ets: fit_ets(&yo, m, class_o, &cands, cfg),
                ..ctx.clone()
            };
            cands
                .iter()
                .map(|c| models::predict(*c, &yo, h.min(n - o), &ctx_o))
                .collect()
        })
        .collect();
    let bt: Vec<Vec<Vec<f64>>> = (0..cands.len())
        .map(|c| per_origin.iter().map(|fs| fs[c].clone()).collect())
        .collect();
    // Root of the mean over origins of each origin's mean squared error (see `selection_loss`).
    let score = |fs: &[Vec<f64>]| -> f64 {
        let errs: Vec<f64> = fs
            .iter()
            .zip(&origins)
            .filter_map(|(f, &o)| selection_loss(f, &y[o..o + f.len()]))
            .collect();
        if errs.is_empty() {
            f64::INFINITY
        } else {
            (errs.iter().sum::<f64>() / errs.len() as f64).sqrt()
        }
    };
    let mae_of = |fs: &[Vec<f64>]| -> f64 {
        let errs: Vec<f64> = fs
            .iter()
            .zip(&origins)
            .filter_map(|(f, &o)| mae(f, &y[o..o + f.len()]))
            .collect();
        if errs.is_empty() {
            f64::NAN
        } else {
            errs.iter().sum::<f64>() / errs.len() as f64
        }
    };
    let scores: Vec<f64> = bt.iter().map(|fs| score(fs)).collect();
    let mut order: Vec<usize> = (0..cands.len())
        .filter(|&i| !cfg.never_select.contains(&cands[i]))
        .collect();
    if order.is_empty() {
        order = (0..cands.len()).collect();
    }
    // relative errors (1 = the average selectable candidate), for pooling across series
    let finite: Vec<f64> = order
        .iter()
        .map(|&i| scores[i])
        .filter(|v| v.is_finite())
        .collect();
    let avg = finite.iter().sum::<f64>() / finite.len().max(1) as f64;
    let relative: Vec<(Candidate, f64)> = if avg > 0.0 && finite.len() == order.len() {
        order.iter().map(|&i| (cands[i], scores[i] / avg)).collect()
    } else {
        Vec::new()
    };
    // shrink each candidate's own backtest toward how it ranks over all series of its group
    let adjusted: Vec<f64> = match (&priors.global, relative.is_empty()) {
        (Some(g), false) => {
            let k = origins.len() as f64;
            let g = &g[group_of(class)];
            (0..cands.len())
                .map(
                    |i| match (g.get(&cands[i]), relative.iter().find(|r| r.0 == cands[i])) {
                        (Some(gv), Some((_, own))) => {
                            (k * own + GLOBAL_WEIGHT * gv) / (k + GLOBAL_WEIGHT)
                        }
                        _ => scores[i] / avg,
                    },
                )
                .collect()
        }
        _ => scores.clone(),
    };
    order.sort_by(|&a, &b| adjusted[a].total_cmp(&adjusted[b]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = order.iter().take(1).copied().collect();
    let mut chosen_bt: Vec<Vec<f64>> = bt.get(chosen[0]).cloned().unwrap_or_default();
    let mut best = scores.get(chosen[0]).copied().unwrap_or(f64::INFINITY);
    let tops: Vec<usize> = if cfg.always_top > 0 {
        best = f64::INFINITY;
        vec![cfg.always_top.min(order.len())]
    } else {
        vec![2, 3]
    };
    if (cfg.combine || cfg.always_top > 0) && !origins.is_empty() {
        for j in tops {
            if j > order.len() {
                break;
            }
            let members = &order[..j];
            let comb: Vec<Vec<f64>> = (0..origins.len())
                .map(|k| mean_of(&members.iter().map(|&c| &bt[c][k]).collect::<Vec<_>>()))
                .collect();
            let s = score(&comb);
            if s < best - 1e-12 || (cfg.always_top > 0 && j == cfg.always_top.min(order.len())) {
                best = s;
                chosen = members.to_vec();
                chosen_bt = comb;
            }
        }
    }
    // every candidate's final forecast only when a backtest report wants them
    let finals: Vec<Vec<f64>> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if cfg.keep_candidates || chosen.contains(&i) {
                models::predict(*c, &y, h, &ctx)
            } else {
                Vec::new()
            }
        })
        .collect();
    let mean = mean_of(&chosen.iter().map(|&c| &finals[c]).collect::<Vec<_>>());
    let name = chosen
        .iter()
        .map(|&c| cands[c].name())
        .collect::<Vec<_>>()
        .join("+");
    let name = match (
        &ctx.ets,
        chosen.iter().any(|&c| cands[c].kind == ModelKind::Ets),
    ) {
        (Some(fit), true) => name.replace("ets", &fit.spec.name()),
        _ => name,
    };

    // --- calibration from the chosen forecast's backtest errors
    let mut cal = Calibration {
        origins: origins.len(),
        ..Calibration::default()
    };
    let (mut num, mut den) = (0.0, 0.0);
    let mut acc = Accuracy {
        origins: origins.len() as u32,
        ..Accuracy::default()
    };
    let scale = seasonal_naive_mae(&y, m).filter(|s| *s > 0.0);
    let mut sum_f = 0.0;
    let mut sum_a = 0.0;
    let mut sum_abs = 0.0;
    for (f, &o) in chosen_bt.iter().zip(&origins) {
        let a = &y[o..o + f.len()];
        let (mut ff, mut aa) = (0.0, 0.0);
        for (x, v) in f.iter().zip(a) {
            if v.is_finite() {
                ff += x;
                aa += v;
                sum_abs += (x - v).abs();
                cal.periods.push((x.max(0.0), *v));
            }
        }
        sum_f += ff;
        sum_a += aa;
        if ff > 1e-9 {
            let ratio = aa / ff;
            for (x, v) in f.iter().zip(a) {
                if v.is_finite() {
                    let mu = x * ratio;
                    num += (v - mu).powi(2) - mu;
                    den += mu * mu;
                }
            }
        }
    }
    if den > 0.0 {
        cal.dispersion = Some((num / den).max(0.0));
    }
    let disp = cal.dispersion.unwrap_or(0.5);
    // The selected forecast's own backtest errors are optimistic (it won on them): the level
    // error is measured on the best few candidates' backtests as well.
    let mut sets: Vec<&Vec<Vec<f64>>> = vec![&chosen_bt];
    sets.extend(order.iter().take(CALIBRATION_CANDIDATES).map(|&c| &bt[c]));
    for (f, &o) in sets.iter().flat_map(|set| set.iter().zip(&origins)) {
        let a = &y[o..o + f.len()];
        let (mut ff, mut aa, mut noise) = (0.0, 0.0, 0.0);
        for (x, v) in f.iter().zip(a) {
            if v.is_finite() {
                ff += x;
                aa += v;
                noise += x + disp * x * x;
            }
        }
        // a forecast of almost nothing says nothing about relative level errors
        if ff > 0.5 {
            cal.level_var
                .push((((aa - ff).powi(2) - noise) / (ff * ff)).clamp(0.0, 4.0));
        }
    }
    if !origins.is_empty() {
        acc.mase = scale.map_or(f64::NAN, |s| mae_of(&chosen_bt) / s);
        acc.wape = if sum_a > 0.0 {
            sum_abs / sum_a
        } else {
            f64::NAN
        };
        acc.bias = if sum_a > 0.0 {
            (sum_f - sum_a) / sum_a
        } else {
            f64::NAN
        };
        acc.rmsse = f64::NAN;
    }
    let candidates = cands
        .iter()
        .map(|c| c.name())
        .zip(finals)
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let unc = Uncertainty::default();
    let accuracy = (!origins.is_empty()).then_some(acc);
    let mut run = finish(mean, name, class, unc, accuracy, notes, candidates, cal);
    run.relative = relative;
    if cfg.keep_candidates {
        run.backtests = origins.into_iter().zip(per_origin).collect();
    }
    Ok(run)
}

/// In-sample MAE of the seasonal naive forecast (lag `m`) over known pairs.
pub fn seasonal_naive_mae(y: &[f64], m: usize) -> Option<f64> {
    let m = m.max(1);
    let mut s = 0.0;
    let mut n = 0usize;
    for t in m..y.len() {
        if y[t].is_finite() && y[t - m].is_finite() {
            s += (y[t] - y[t - m]).abs();
            n += 1;
        }
    }
    (n > 0).then(|| s / n as f64)
}

fn mean_finite(v: Vec<f64>) -> Option<f64> {
    let v: Vec<f64> = v.into_iter().filter(|x| x.is_finite()).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[k]
    } else {
        (v[k - 1] + v[k]) / 2.0
    })
}

/// Pooled promotion lift per group (category, else SKU) from the series' own promotion days.
fn pooled_promo(series: &[Series]) -> BTreeMap<String, f64> {
    let mut groups: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for s in series {
        if s.promo.is_empty() {
            continue;
        }
        if let Some((on, off, days)) = prepare::promo_stats(&s.units, &s.promo, 365) {
            if off > 0.0 {
                let g = s.meta.category.clone().unwrap_or_else(|| s.key.sku.clone());
                let e = groups.entry(g).or_default();
                e.0 += days as f64 * (on / off).clamp(0.5, 5.0);
                e.1 += days as f64;
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, (_, w))| *w > 0.0)
        .map(|(g, (s, w))| (g, s / w))
        .collect()
}

/// Candidates whose backtest errors calibrate the level error besides the selected one.
const CALIBRATION_CANDIDATES: usize = 4;

/// Series in the selection pilot.
const PILOT_SERIES: usize = 150;

/// Level-error prior weight (in origins) when pooling a series' calibration with all series'.
const POOL_WEIGHT: f64 = 4.0;

/// Run every series in parallel, then pool the calibration across series.
pub(crate) fn run_all(
    series: &[Series],
    cfg: &ForecastConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Result<SeriesRun, SeriesIssue>> {
    let lifts = pooled_promo(series);
    let group = |s: &Series| s.meta.category.clone().unwrap_or_else(|| s.key.sku.clone());
    // Pilot: an evenly spaced sample of series ranks the candidates per demand group; each
    // series' selection then leans on that ranking (its own 3 origins are a noisy judge).
    let global = if cfg.pool_selection && cfg.candidates.as_ref().is_none_or(|c| c.len() > 1) {
        let step = series.len().div_ceil(PILOT_SERIES).max(1);
        let pilot: Vec<&Series> = series.iter().step_by(step).collect();
        let rel: Vec<(usize, Vec<(Candidate, f64)>)> = pilot
            .par_iter()
            .filter_map(|s| {
                let priors = Priors {
                    promo_lift: lifts.get(&group(s)).copied(),
                    global: None,
                };
                let r = run_series(s, cfg, &priors).ok()?;
                Some((group_of(r.forecast.class), r.relative))
            })
            .collect();
        let mut sums: [BTreeMap<Candidate, (f64, f64)>; 2] = Default::default();
        for (g, rs) in rel {
            for (c, v) in rs {
                let e = sums[g].entry(c).or_default();
                e.0 += v;
                e.1 += 1.0;
            }
        }
        let [a, b] = sums.map(|m| m.into_iter().map(|(c, (s, n))| (c, s / n)).collect());
        Some([a, b])
    } else {
        None
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut runs: Vec<Result<SeriesRun, SeriesIssue>> = series
        .par_iter()
        .map(|s| {
            let priors = Priors {
                promo_lift: lifts.get(&group(s)).copied(),
                global: global.clone(),
            };
            let r = run_series(s, cfg, &priors);
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(d);
            r
        })
        .collect();
    let disp0 = median(
        runs.iter()
            .filter_map(|r| r.as_ref().ok()?.calibration.dispersion)
            .collect(),
    )
    .unwrap_or(0.5);
    let lv0 = mean_finite(
        runs.iter()
            .filter_map(|r| r.as_ref().ok())
            .filter(|r| !r.calibration.level_var.is_empty())
            .map(|r| {
                let v = &r.calibration.level_var;
                v.iter().sum::<f64>() / v.len() as f64
            })
            .collect(),
    )
    .unwrap_or(0.25);
    for run in runs.iter_mut().flatten() {
        finalize_uncertainty(run, disp0, lv0);
        if !matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            run.forecast.uncertainty.level_cv *= cfg.level_inflation.max(0.0).sqrt();
        }
    }
    let maps = level_maps(&runs);
    for run in runs.iter_mut().flatten() {
        if !matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            run.forecast.uncertainty.period_levels = maps[group_of(run.forecast.class)];
        }
    }
    runs
}

/// Series whose backtest periods calibrate the quantile levels (evenly spaced over the run).
const LEVEL_SERIES: usize = 2_000;

/// Prior weight, in backtest periods, of the uncalibrated levels (`p` itself) in a level map.
const LEVEL_PRIOR_PERIODS: f64 = 500.0;

/// Per demand group, the recalibration of per-period quantile levels from the selected
/// forecasts' backtest periods (out of sample: each was forecast from its origin's prefix
/// only), each read with the series' final distribution (see [`LevelMap`]). The level for `p`
/// is the `p`-quantile of the periods' randomised PITs `F(y-1) + v (F(y) - F(y-1))` (Czado,
/// Gneiting & Held 2009: uniform when the count distribution is right), with `v` a fixed
/// low-discrepancy sequence so runs are reproducible. The median level stays 0.5. Shrunk
/// toward the identity by `n / (n + 500)` for small runs.
fn level_maps(runs: &[Result<SeriesRun, SeriesIssue>]) -> [Option<LevelMap>; 2] {
    let usable: Vec<&SeriesRun> = runs
        .iter()
        .flatten()
        .filter(|r| !r.calibration.periods.is_empty())
        .filter(|r| !matches!(r.forecast.model.as_str(), "zero" | "short_average"))
        .collect();
    let step = usable.len().div_ceil(LEVEL_SERIES).max(1);
    // (group, randomised PIT) of every backtest period
    let pits: Vec<(usize, f64)> = usable
        .par_iter()
        .step_by(step)
        .flat_map_iter(|r| {
            let g = group_of(r.forecast.class);
            let unc = r.forecast.uncertainty;
            r.calibration
                .periods
                .iter()
                .enumerate()
                .map(move |(i, &(mu, y))| {
                    let d = unc.period_distribution(mu);
                    let k = y.max(0.0).round();
                    let upper = d.cdf(k);
                    let below = if k > 0.0 { d.cdf(k - 1.0) } else { 0.0 };
                    let v = ((i as f64 + 1.0) * 0.618_033_988_749_894_9).fract();
                    (g, below + v * (upper - below))
                })
        })
        .collect();
    let mut out = [None, None];
    for (g, slot) in out.iter_mut().enumerate() {
        let mut u: Vec<f64> = pits.iter().filter(|p| p.0 == g).map(|p| p.1).collect();
        if u.is_empty() {
            continue;
        }
        u.sort_by(f64::total_cmp);
        let n = u.len() as f64;
        let at = |p: f64| u[((p * n).floor() as usize).min(u.len() - 1)];
        let w = n / (n + LEVEL_PRIOR_PERIODS);
        let levels = LEVEL_GRID.map(|p| {
            let fitted = if p < 0.5 {
                at(p).min(0.5)
            } else if p > 0.5 {
                at(p).max(0.5)
            } else {
                0.5
            };
            w * fitted + (1.0 - w) * p
        });
        *slot = Some(LevelMap::new(levels));
    }
    out
}

pub(crate) fn finalize_uncertainty(run: &mut SeriesRun, disp0: f64, lv0: f64) {
    let c = &run.calibration;
    match run.forecast.model.as_str() {
        "zero" => return,
        "short_average" => {
            run.forecast.uncertainty = Uncertainty {
                dispersion: disp0.max(0.5),
                level_cv: lv0.sqrt().max(0.8),
                period_levels: None,
            };
            return;
        }
        _ => {}
    }
    let k = c.origins as f64;
    let disp = match c.dispersion {
        Some(d) => (k * d + POOL_WEIGHT * disp0) / (k + POOL_WEIGHT),
        None => disp0,
    };
    let own = if c.level_var.is_empty() {
        lv0
    } else {
        c.level_var.iter().sum::<f64>() / c.level_var.len() as f64
    };
    let lv = (k * own + POOL_WEIGHT * lv0) / (k + POOL_WEIGHT);
    run.forecast.uncertainty = Uncertainty {
        dispersion: disp.max(0.0),
        level_cv: lv.sqrt(),
        period_levels: None,
    };
}

/// Forecast every series. The result has one entry per input series, in input order; a series
/// that cannot be forecast gives a [`SeriesIssue`] and the others go on. `progress(done)` is
/// called from worker threads after each series.
pub fn forecast_all(
    series: &[Series],
    cfg: &ForecastConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Result<SeriesForecast, SeriesIssue>> {
    let mut out: Vec<_> = run_all(series, cfg, progress)
        .into_iter()
        .map(|r| r.map(|r| r.forecast))
        .collect();
    crate::analogs::apply_analogs(series, &mut out);
    out
}

/// Forecast one series on its own (uncertainty pooled only with built-in priors).
pub fn forecast_series(
    series: &Series,
    cfg: &ForecastConfig,
) -> Result<SeriesForecast, SeriesIssue> {
    let mut run = run_series(series, cfg, &Priors::default())?;
    finalize_uncertainty(&mut run, 0.5, 0.1);
    Ok(run.forecast)
}

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
