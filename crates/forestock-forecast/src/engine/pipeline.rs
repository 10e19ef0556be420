//! The per-series pipeline, stage by stage: [`check_history`] → [`prepare_history`] (+
//! [`classify`]) → [`fallback`] for series too short or empty to select on → [`backtest`] the
//! candidates at the selection origins → [`rank`] them → [`choose`] one or a blend → [`final_forecasts`]
//! on the full history → [`calibrate`] from the chosen backtests → [`assemble`] the result
//! (promotion lift, discontinuation, clean-up). [`run_series`] only chains them.

use super::{
    classify, group_of, Calibration, ForecastConfig, Priors, PromoLift, SeriesIssue, SeriesRun,
};
use crate::forecast::{Accuracy, DemandClass, SeriesForecast, Uncertainty};
use crate::models::{self, Candidate, Context, ModelKind};
use crate::prepare;
use crate::series::{Frequency, Series};

/// Weight of the pilot's ranking, in origins, against the series' own backtest.
const GLOBAL_WEIGHT: f64 = 3.0;

/// Candidates whose backtest errors calibrate the level error besides the selected one.
const CALIBRATION_CANDIDATES: usize = 4;

/// Shortest season used to size the minimum history: a week of days, so daily series without a
/// configured season still need two weeks.
const MIN_SEASON: usize = 7;

/// Seasons of known history a series needs before candidates are selected on backtests (and
/// before the first selection origin): a seasonal model needs one season to start and one to
/// be judged on.
const MIN_TRAIN_SEASONS: usize = 2;

/// Negative-binomial dispersion given to a short series (no backtest to measure it): wide on
/// purpose, the forecast is a plain average of a few periods.
const SHORT_DISPERSION: f64 = 1.0;

/// Level coefficient of variation given to a short series: an 80 % relative level error, wide
/// on purpose (no backtest to measure it).
pub(super) const SHORT_LEVEL_CV: f64 = 0.8;

/// Blend sizes tried after the single best candidate (the top 2, then the top 3 by rank):
/// averaging a few good forecasts rarely loses to the best of them (forecast-combination
/// puzzle; Smith & Wallis 2009, Clemen 1989).
const BLEND_SIZES: [usize; 2] = [2, 3];

/// A blend must beat the current best score by more than this to replace it (so float noise
/// never flips a tie).
const BLEND_TIE: f64 = 1e-12;

/// Below this many units forecast over a backtest origin, the origin says nothing about the
/// dispersion (no ratio actual / forecast to rescale by).
const MIN_ORIGIN_UNITS_DISPERSION: f64 = 1e-9;

/// Dispersion assumed when the backtests cannot measure one (the pooled median replaces it in
/// [`super::run_all`]; the same value is the pool's own fallback).
pub(super) const DEFAULT_DISPERSION: f64 = 0.5;

/// A backtest forecast of fewer units than this says nothing about relative level errors.
const MIN_ORIGIN_UNITS_LEVEL: f64 = 0.5;

/// Cap on one origin's squared relative level error: one freak origin (a forecast 3× off) must
/// not dominate the few others.
const MAX_LEVEL_VAR: f64 = 4.0;

/// Promotion statistics read the last year of days (`prepare::promo_stats`).
pub(super) const PROMO_WINDOW_DAYS: usize = 365;

/// Bounds on a series' own promotion lift (on/off ratio): beyond them it is noise or a data
/// error, not a promotion effect.
const PROMO_LIFT_MIN: f64 = 0.5;
const PROMO_LIFT_MAX: f64 = 5.0;

/// A promotion lift within [`PROMO_LIFT_MIN`, `PROMO_LIFT_MAX`]; a non-finite one is no lift.
pub(crate) fn bounded_lift(l: f64) -> f64 {
    if l.is_finite() {
        l.clamp(PROMO_LIFT_MIN, PROMO_LIFT_MAX)
    } else {
        1.0
    }
}

/// Weight, in promotion days, of the pooled lift against the series' own.
const PROMO_PRIOR_DAYS: f64 = 10.0;

/// A lift closer to 1 than this is no lift (nothing divided out, no note).
const NO_LIFT: f64 = 1e-9;

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
        if let Some((on, off, days)) = prepare::promo_stats(&y, promo, PROMO_WINDOW_DAYS) {
            if off > 0.0 {
                // shrink the series' own lift toward the pooled one
                let own = bounded_lift(on / off);
                let prior = priors.promo_lift.unwrap_or(1.0);
                let w = days as f64;
                lift = (w * own + PROMO_PRIOR_DAYS * prior) / (w + PROMO_PRIOR_DAYS);
            }
        }
        if (lift - 1.0).abs() > NO_LIFT {
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

/// Known periods a series needs before it is selected on backtests (also the shortest prefix
/// a selection origin may have).
fn min_train(m: usize) -> usize {
    MIN_TRAIN_SEASONS * m.max(MIN_SEASON)
}

/// What a stage hands to [`assemble`]: the forecast before lift and discontinuation.
struct Outcome {
    mean: Vec<f64>,
    model: String,
    class: DemandClass,
    uncertainty: Uncertainty,
    accuracy: Option<Accuracy>,
    notes: Vec<String>,
    candidates: Vec<(String, Vec<f64>)>,
    calibration: Calibration,
    /// The recent known periods, sorted ([`recent_sample`]).
    recent: Vec<f64>,
}

/// Stage 0: reject a history that cannot be forecast at all.
fn check_history(series: &Series) -> Result<(), String> {
    if series.units.is_empty() {
        return Err("no history".into());
    }
    if series.units.iter().any(|v| v.is_finite() && *v < 0.0) {
        return Err("negative units in the history".into());
    }
    Ok(())
}

/// Stage 2 (short cut): a series with nothing sold, or too few known periods to backtest, gets
/// a zero forecast or the average of all it has, with a wide interval. `None`: select normally.
fn fallback(
    y: &[f64],
    class: DemandClass,
    known: usize,
    m: usize,
    h: usize,
    notes: &mut Vec<String>,
) -> Option<Outcome> {
    let out = |mean, model: &str, class, uncertainty, notes: &mut Vec<String>| Outcome {
        mean,
        model: model.into(),
        class,
        uncertainty,
        accuracy: None,
        notes: std::mem::take(notes),
        candidates: vec![],
        calibration: Calibration::default(),
        recent: Vec::new(),
    };
    if class == DemandClass::Zero {
        notes.push("nothing sold in the history: forecast is zero".into());
        let unc = Uncertainty {
            dispersion: 0.0,
            level_cv: 0.0,
            calibration: None,
        };
        return Some(out(vec![0.0; h], "zero", class, unc, notes));
    }
    if known < min_train(m) || class == DemandClass::Short {
        let w = known.max(1);
        let f = models::simple::window_average(y, h, w);
        notes.push(format!(
            "only {known} known periods: average of all of them, wide interval"
        ));
        let unc = Uncertainty {
            dispersion: SHORT_DISPERSION,
            level_cv: SHORT_LEVEL_CV,
            calibration: None,
        };
        return Some(out(f, "short_average", DemandClass::Short, unc, notes));
    }
    None
}

/// Selection origins: the last `selection_origins` cut points, `selection_step` (default `h`)
/// apart, each with at least `selection_min_history` (default one season of at least
/// [`MIN_SEASON`]) periods before it.
fn selection_origins(n: usize, h: usize, m: usize, cfg: &ForecastConfig) -> Vec<usize> {
    let step = cfg.selection_step.unwrap_or(h).max(1);
    let min = cfg
        .selection_min_history
        .unwrap_or_else(|| m.max(MIN_SEASON))
        .max(1);
    (0..cfg.selection_origins)
        .map(|k| n as i64 - h as i64 - (step * k) as i64)
        .filter(|o| *o >= min as i64)
        .map(|o| o as usize)
        .collect()
}

/// Stage 3: backtest forecasts, per origin, of every candidate. Each origin is forecast exactly
/// as a run ending there would be: its prefix of the raw history is prepared on its own
/// (stockout inference, outlier caps and promotion lift read no later period) and AutoETS is
/// refitted on it (model and parameters chosen on the prefix only). No value after an origin
/// reaches its forecast. Also returns each origin's [`recent_sample`] (of the same prefix).
#[allow(clippy::too_many_arguments)] // the stage's inputs, each named
fn backtest(
    series: &Series,
    cfg: &ForecastConfig,
    priors: &Priors,
    cands: &[Candidate],
    ctx: &Context,
    origins: &[usize],
    n: usize,
    h: usize,
) -> (Vec<Vec<Vec<f64>>>, Vec<Vec<f64>>) {
    origins
        .iter()
        .map(|&o| {
            let prefix = &series.units[..o];
            let promo = &series.promo[..series.promo.len().min(o)];
            let yo = prepare_history(prefix, promo, series.frequency, cfg, priors).y;
            let class_o = classify(&yo, series.frequency);
            let ctx_o = Context {
                ets: fit_ets(&yo, ctx.m, class_o, cands, cfg),
                ..ctx.clone()
            };
            let fs = cands
                .iter()
                .map(|c| models::predict(*c, &yo, h.min(n - o), &ctx_o))
                .collect();
            (fs, recent_sample(&yo, ctx.window))
        })
        .unzip()
}

/// The last `w` known periods of a prepared history, sorted: the empirical distribution the
/// per-period quantiles may be mixed with ([`crate::QuantileCalibration::mix`]).
pub(super) fn recent_sample(y: &[f64], w: usize) -> Vec<f64> {
    let mut v: Vec<f64> = y
        .iter()
        .rev()
        .filter(|v| v.is_finite())
        .take(w)
        .copied()
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

/// In-sample mean absolute first difference after the first non-zero period (the scale of
/// M5's scaled pinball loss), over known pairs.
fn pinball_scale(y: &[f64]) -> Option<f64> {
    let first = y.iter().position(|v| v.is_finite() && *v > 0.0)?;
    let (mut s, mut n) = (0.0, 0.0);
    for w in y[first..].windows(2) {
        if w[0].is_finite() && w[1].is_finite() {
            s += (w[1] - w[0]).abs();
            n += 1.0;
        }
    }
    (n > 0.0 && s > 0.0).then(|| s / n)
}

/// Scores of backtest forecasts against the prepared history at the selection origins.
struct Scorer<'a> {
    y: &'a [f64],
    origins: &'a [usize],
}

impl Scorer<'_> {
    /// Root of the mean over origins of each origin's mean squared error (see
    /// [`selection_loss`]); infinite when no origin has a known period.
    fn score(&self, fs: &[Vec<f64>]) -> f64 {
        let errs: Vec<f64> = fs
            .iter()
            .zip(self.origins)
            .filter_map(|(f, &o)| selection_loss(f, &self.y[o..o + f.len()]))
            .collect();
        if errs.is_empty() {
            f64::INFINITY
        } else {
            (errs.iter().sum::<f64>() / errs.len() as f64).sqrt()
        }
    }

    /// Mean over origins of each origin's MAE (NaN when no origin has a known period).
    fn mae(&self, fs: &[Vec<f64>]) -> f64 {
        let errs: Vec<f64> = fs
            .iter()
            .zip(self.origins)
            .filter_map(|(f, &o)| mae(f, &self.y[o..o + f.len()]))
            .collect();
        if errs.is_empty() {
            f64::NAN
        } else {
            errs.iter().sum::<f64>() / errs.len() as f64
        }
    }
}

/// Stage 4's result: candidates in rank order (selectable ones only), their own scores, and
/// each selectable candidate's score relative to their average (for the pilot's pooling).
struct Ranking {
    scores: Vec<f64>,
    order: Vec<usize>,
    relative: Vec<(Candidate, f64)>,
}

/// Stage 4: rank the candidates on their backtests, each one's own score shrunk toward how it
/// ranks over all series of its demand group (the pilot, [`Priors::global`]) when known.
fn rank(
    bt: &[Vec<Vec<f64>>],
    scorer: &Scorer,
    cands: &[Candidate],
    class: DemandClass,
    cfg: &ForecastConfig,
    priors: &Priors,
) -> Ranking {
    let scores: Vec<f64> = bt.iter().map(|fs| scorer.score(fs)).collect();
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
            let k = scorer.origins.len() as f64;
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
    Ranking {
        scores,
        order,
        relative,
    }
}

/// Stage 5 (short cut): when the selection backtests cover fewer known periods than
/// `selection_min_periods` (default two seasons), the index of the window average and the
/// number of periods: ranking a dozen candidates on so few periods picks noise (the winner's
/// curse of selection, Smith & Winkler 2006, "The optimizer's curse", Management Science
/// 52(3)); on car parts' tuning origins (6–12 backtest months) every selection lost to the
/// window average in RMSSE and scaled pinball loss (forecasting README).
fn too_few_to_select(
    y: &[f64],
    origins: &[usize],
    h: usize,
    m: usize,
    cands: &[Candidate],
    cfg: &ForecastConfig,
) -> Option<(usize, usize)> {
    let wa = cands
        .iter()
        .position(|c| *c == Candidate::plain(ModelKind::WindowAverage))?;
    let periods: usize = origins
        .iter()
        .map(|&o| {
            y[o..(o + h).min(y.len())]
                .iter()
                .filter(|v| v.is_finite())
                .count()
        })
        .sum();
    let min = cfg.selection_min_periods.unwrap_or_else(|| min_train(m));
    (periods < min && cands.len() > 1).then_some((wa, periods))
}

/// Stage 5: the best-ranked candidate, or a blend of the top few when it backtests better (or
/// always the top `always_top` when configured). Returns the members and their (blended)
/// backtest forecasts per origin.
fn choose(
    ranking: &Ranking,
    bt: &[Vec<Vec<f64>>],
    scorer: &Scorer,
    cfg: &ForecastConfig,
) -> (Vec<usize>, Vec<Vec<f64>>) {
    let order = &ranking.order;
    let origins = scorer.origins;
    let mut chosen: Vec<usize> = order.iter().take(1).copied().collect();
    let mut chosen_bt: Vec<Vec<f64>> = bt.get(chosen[0]).cloned().unwrap_or_default();
    let mut best = ranking
        .scores
        .get(chosen[0])
        .copied()
        .unwrap_or(f64::INFINITY);
    let tops: Vec<usize> = if cfg.always_top > 0 {
        best = f64::INFINITY;
        vec![cfg.always_top.min(order.len())]
    } else {
        BLEND_SIZES.to_vec()
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
            let s = scorer.score(&comb);
            if s < best - BLEND_TIE || (cfg.always_top > 0 && j == cfg.always_top.min(order.len()))
            {
                best = s;
                chosen = members.to_vec();
                chosen_bt = comb;
            }
        }
    }
    (chosen, chosen_bt)
}

/// Stage 6: each candidate's forecast on the full history — the chosen ones always, every one
/// only when a backtest report wants them (`keep_candidates`); empty otherwise.
fn final_forecasts(
    cands: &[Candidate],
    chosen: &[usize],
    y: &[f64],
    h: usize,
    ctx: &Context,
    cfg: &ForecastConfig,
) -> Vec<Vec<f64>> {
    cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if cfg.keep_candidates || chosen.contains(&i) {
                models::predict(*c, y, h, ctx)
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// The model name of a selection: members joined by `+`, with `ets` spelled as the fitted
/// ETS specification.
fn model_name(cands: &[Candidate], chosen: &[usize], ctx: &Context) -> String {
    let name = chosen
        .iter()
        .map(|&c| cands[c].name())
        .collect::<Vec<_>>()
        .join("+");
    match (
        &ctx.ets,
        chosen.iter().any(|&c| cands[c].kind == ModelKind::Ets),
    ) {
        (Some(fit), true) => name.replace("ets", &fit.spec.name()),
        _ => name,
    }
}

/// Stage 7: calibration statistics and accuracy from the chosen forecast's backtest errors.
/// Dispersion: method-of-moments fit of the negative binomial `Var = mu + a mu^2` to the
/// backtest periods, each origin's forecast first rescaled to its actual total (so level errors
/// do not count as dispersion). Level variance: squared relative error of each origin's total,
/// less its Poisson–gamma noise, on the chosen and the best few candidates' backtests.
fn calibrate(
    y: &[f64],
    m: usize,
    scorer: &Scorer,
    chosen_bt: Vec<Vec<f64>>,
    ranking: &Ranking,
    bt: &[Vec<Vec<f64>>],
    samples: &[Vec<f64>],
) -> (Calibration, Accuracy) {
    let origins = scorer.origins;
    let mut cal = Calibration {
        origins: origins.len(),
        scale: pinball_scale(y),
        ..Calibration::default()
    };
    let (mut num, mut den) = (0.0, 0.0);
    let mut acc = Accuracy {
        origins: origins.len() as u32,
        ..Accuracy::default()
    };
    let scale = super::seasonal_naive_mae(y, m).filter(|s| *s > 0.0);
    let mut sum_f = 0.0;
    let mut sum_a = 0.0;
    let mut sum_abs = 0.0;
    for ((f, &o), sample) in chosen_bt.iter().zip(origins).zip(samples) {
        let a = &y[o..o + f.len()];
        cal.backtests.push(super::Backtest {
            origin: o,
            forecast: f.iter().map(|x| x.max(0.0)).collect(),
            actual: a.to_vec(),
            sample: sample.clone(),
        });
        let (mut ff, mut aa) = (0.0, 0.0);
        for (x, v) in f.iter().zip(a) {
            if v.is_finite() {
                ff += x;
                aa += v;
                sum_abs += (x - v).abs();
            }
        }
        sum_f += ff;
        sum_a += aa;
        if ff > MIN_ORIGIN_UNITS_DISPERSION {
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
    let disp = cal.dispersion.unwrap_or(DEFAULT_DISPERSION);
    // The selected forecast's own backtest errors are optimistic (it won on them): the level
    // error is measured on the best few candidates' backtests as well.
    let mut sets: Vec<&Vec<Vec<f64>>> = vec![&chosen_bt];
    sets.extend(
        ranking
            .order
            .iter()
            .take(CALIBRATION_CANDIDATES)
            .map(|&c| &bt[c]),
    );
    for (f, &o) in sets.iter().flat_map(|set| set.iter().zip(origins)) {
        let a = &y[o..o + f.len()];
        let (mut ff, mut aa, mut noise) = (0.0, 0.0, 0.0);
        for (x, v) in f.iter().zip(a) {
            if v.is_finite() {
                ff += x;
                aa += v;
                noise += x + disp * x * x;
            }
        }
        if ff > MIN_ORIGIN_UNITS_LEVEL {
            cal.level_var
                .push((((aa - ff).powi(2) - noise) / (ff * ff)).clamp(0.0, MAX_LEVEL_VAR));
        }
    }
    if !origins.is_empty() {
        acc.mase = scale.map_or(f64::NAN, |s| scorer.mae(&chosen_bt) / s);
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
    (cal, acc)
}

/// Stage 8: the forecast as the caller sees it: promotion lift put back on promoted future
/// periods (`lift`: the series' pooled lift, put back unless `cfg.promo_lift` is `None`),
/// zero from the discontinuation date, negatives and non-finite values cleared, notes.
fn assemble(series: &Series, cfg: &ForecastConfig, m: usize, lift: f64, out: Outcome) -> SeriesRun {
    let h = cfg.horizon;
    let lift = match cfg.promo_lift {
        PromoLift::Pooled | PromoLift::Global => lift,
        PromoLift::None => 1.0,
    };
    let first_date = series.end();
    let Outcome {
        mut mean,
        model,
        class,
        uncertainty,
        accuracy,
        mut notes,
        candidates,
        calibration,
        recent,
    } = out;
    for (i, v) in mean.iter_mut().enumerate() {
        if series.planned(i) {
            *v *= lift;
        }
        if series.stopped(i) {
            *v = 0.0;
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
    if (lift - 1.0).abs() > NO_LIFT {
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
            recent,
        },
        candidates,
        calibration,
        relative: Vec::new(),
        backtests: Vec::new(),
        promo_lift: lift,
    }
}

/// Run the pipeline on one series.
pub(crate) fn run_series(
    series: &Series,
    cfg: &ForecastConfig,
    priors: &Priors,
) -> Result<SeriesRun, SeriesIssue> {
    check_history(series).map_err(|message| SeriesIssue {
        key: series.key.clone(),
        message,
    })?;
    let h = cfg.horizon;
    let m = cfg.season_for(series.frequency);
    // --- stage 1: preparation (the same function prepares each selection origin's prefix)
    let Prepared { y, lift, mut notes } =
        prepare_history(&series.units, &series.promo, series.frequency, cfg, priors);
    let class = classify(&y, series.frequency);
    let known = y.iter().filter(|v| v.is_finite()).count();
    // --- stage 2: series too short or empty to select on
    if let Some(out) = fallback(&y, class, known, m, h, &mut notes) {
        return Ok(assemble(series, cfg, m, lift, out));
    }
    // --- stage 3: candidates, backtested at the selection origins
    let cands = cfg.candidate_list(m);
    let ctx = Context {
        m,
        window: cfg.window_for(series.frequency),
        ets: fit_ets(&y, m, class, &cands, cfg),
        max_history: cfg.max_history,
        keep_level: cfg.profile_keep_level,
    };
    let n = y.len();
    let origins = selection_origins(n, h, m, cfg);
    let (per_origin, samples) = backtest(series, cfg, priors, &cands, &ctx, &origins, n, h);
    let bt: Vec<Vec<Vec<f64>>> = (0..cands.len())
        .map(|c| per_origin.iter().map(|fs| fs[c].clone()).collect())
        .collect();
    let scorer = Scorer {
        y: &y,
        origins: &origins,
    };
    // --- stages 4-6: rank, choose one or a blend, forecast on the full history
    let ranking = rank(&bt, &scorer, &cands, class, cfg, priors);
    let (chosen, chosen_bt) = match too_few_to_select(&y, &origins, h, m, &cands, cfg) {
        Some((wa, periods)) => {
            notes.push(format!(
                "backtests cover only {periods} known periods: window average, not selected"
            ));
            (vec![wa], bt[wa].clone())
        }
        None => choose(&ranking, &bt, &scorer, cfg),
    };
    let finals = final_forecasts(&cands, &chosen, &y, h, &ctx, cfg);
    let mean = mean_of(&chosen.iter().map(|&c| &finals[c]).collect::<Vec<_>>());
    let model = model_name(&cands, &chosen, &ctx);
    // --- stage 7: calibration from the chosen forecast's backtest errors
    let (calibration, acc) = calibrate(&y, m, &scorer, chosen_bt, &ranking, &bt, &samples);
    let candidates = cands
        .iter()
        .map(|c| c.name())
        .zip(finals)
        .filter(|(_, f)| !f.is_empty())
        .collect();
    let accuracy = (!origins.is_empty()).then_some(acc);
    // --- stage 8: assemble
    let out = Outcome {
        mean,
        model,
        class,
        uncertainty: Uncertainty::default(),
        accuracy,
        notes,
        candidates,
        calibration,
        recent: recent_sample(&y, ctx.window),
    };
    let mut run = assemble(series, cfg, m, lift, out);
    run.relative = ranking.relative;
    if cfg.keep_candidates {
        run.backtests = origins.into_iter().zip(per_origin).collect();
    }
    Ok(run)
}
