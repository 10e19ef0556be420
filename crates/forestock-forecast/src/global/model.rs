//! Training and prediction of one gradient-boosted model across all series (perpetual).

use super::features::{self, AtOrigin, Ids, Prefix, CATEGORICAL, NF};
use crate::series::{Frequency, Series};
use crate::{Error, ForecastConfig, GlobalScale, Result};
use perpetual::objective::Objective;
use perpetual::{Matrix, PerpetualBooster};
use rayon::prelude::*;
use std::collections::HashSet;

/// First origin of a training row: at least this many periods of the series' history before it.
const MIN_ORIGIN: usize = 4;

/// A period's global mean is at most this many times the most the series sold in one period
/// before the origin (as cleaned for the model: stockout periods unknown, one-off spikes capped;
/// at least 1 unit). Not from a paper: a sanity bound. On the
/// 19,516-series demo merchant (origin 2026-10-28) the unscaled model at budget 0.5 forecast up
/// to 96 million units a day for series that never sold more than a few hundred; a blend
/// must never carry that into an order.
const MAX_OVER_HISTORY: f64 = 3.0;

/// Bound each predicted mean by [`MAX_OVER_HISTORY`] times the largest period of `history`
/// (finite values only; at least 1 unit); an overflow to infinity is bounded too, a NaN is 0.
pub(crate) fn bound_to_history(means: &mut [f64], history: &[f64]) {
    let most = history
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(1.0_f64, f64::max);
    for m in means {
        *m = if m.is_nan() {
            0.0
        } else {
            m.clamp(0.0, MAX_OVER_HISTORY * most)
        };
    }
}

/// The promotion plan a prediction reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// As planned: the series' promotion flags (history) and planned promotions (future).
    AsPlanned,
    /// No period promoted.
    None,
}

/// A gradient-boosted tree model trained across series on the periods before each series' cut.
pub struct GlobalModel {
    booster: PerpetualBooster,
    ids: Ids,
    /// How the rows were scaled (a model predicts as it was trained, whatever the caller's
    /// configuration says).
    scale: GlobalScale,
    /// Training rows and features (for reports).
    pub rows: usize,
}

impl std::fmt::Debug for GlobalModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlobalModel")
            .field("rows", &self.rows)
            .field("trees", &self.booster.get_prediction_trees().len())
            .finish()
    }
}

/// Origins whose rows train the model for one series with `cut` usable periods: the last
/// `span` periods, every `stride`-th, staggered by `offset`.
fn origins(cut: usize, span: usize, stride: usize, offset: usize) -> impl Iterator<Item = usize> {
    let first = cut.saturating_sub(span).max(MIN_ORIGIN);
    (first..cut).filter(move |t| (t + offset) % stride == 0)
}

fn span(freq: Frequency, cfg: &ForecastConfig) -> usize {
    match freq {
        Frequency::Daily => cfg.max_history,
        // a few years of weeks or months: all of it
        _ => cfg.max_history.max(520),
    }
}

/// One series' training rows: features, targets and sample weights.
type SeriesRows = (Vec<[f64; NF]>, Vec<f64>, Vec<f64>);

impl GlobalModel {
    /// Train on every series' periods before `cut(series)` (targets and features alike):
    /// nothing at or after a series' cut reaches the model.
    pub(crate) fn train_before(
        series: &[Series],
        cfg: &ForecastConfig,
        cut: &(dyn Fn(&Series) -> usize + Sync),
    ) -> Result<Self> {
        let h = cfg.horizon;
        let ids = Ids::new(series);
        let candidates: usize = series
            .iter()
            .map(|s| {
                let c = cut(s).min(s.units.len());
                origins(c, span(s.frequency, cfg), 1, 0).count()
            })
            .sum();
        // most rows `cfg.global_rows`: origins thinned (every `stride`-th, staggered across
        // series), so a 20,000-series merchant trains in bounded time and memory
        let stride = (candidates * h).div_ceil(cfg.global_rows.max(1)).max(1);
        let scale = cfg.global_scale;
        // Tweedie deviance scales as d(y, L·μ) = L^(2−p)·d(y/L, μ) (Jørgensen 1987): the weight
        // that makes a scaled target the model with offset ln L
        let weight_power = 2.0 - cfg.global_tweedie_power;
        let per_series: Vec<SeriesRows> = series
            .par_iter()
            .enumerate()
            .map(|(si, s)| {
                let c = cut(s).min(s.units.len());
                let m = cfg.season_for(s.frequency);
                let y = features::clean(
                    &s.units[..c],
                    s.frequency,
                    cfg.detect_stockouts,
                    cfg.cap_outliers,
                );
                let p = Prefix::new(s, y, &ids);
                let mut xs = Vec::new();
                let mut ys = Vec::new();
                let mut ws = Vec::new();
                for t in origins(c, span(s.frequency, cfg), stride, si % stride) {
                    let o = features::at_origin(&p, t, s.frequency, scale);
                    let (div, w) = match scale {
                        GlobalScale::Target => (o.level, o.level.powf(weight_power)),
                        _ => (1.0, 1.0),
                    };
                    for k in 1..=h.min(c - t) {
                        let target = p.y[t + k - 1];
                        if target.is_finite() {
                            xs.push(features::row(&p, &o, t, k, m));
                            ys.push(target.max(0.0) / div);
                            ws.push(w);
                        }
                    }
                }
                (xs, ys, ws)
            })
            .collect();
        let rows: usize = per_series.iter().map(|(_, y, _)| y.len()).sum();
        if rows == 0 {
            return Err(Error::Config(
                "the global model has no training rows (too little history)".into(),
            ));
        }
        // perpetual's Matrix is column-major
        let mut data = vec![0.0; rows * NF];
        let mut y = Vec::with_capacity(rows);
        let mut weights = Vec::with_capacity(rows);
        let mut r = 0;
        for (xs, ys, ws) in &per_series {
            for x in xs {
                for (j, v) in x.iter().enumerate() {
                    data[j * rows + r] = *v;
                }
                r += 1;
            }
            y.extend_from_slice(ys);
            weights.extend_from_slice(ws);
        }
        let weights = (scale == GlobalScale::Target).then_some(weights.as_slice());
        let matrix = Matrix::new(&data, rows, NF);
        // Poisson is Tweedie with power 1 (Jørgensen 1987); the M5 winners used Tweedie 1.1-1.5
        let objective = if (cfg.global_tweedie_power - 1.0).abs() < 1e-9 {
            Objective::PoissonLoss
        } else {
            Objective::TweedieLoss {
                p: Some(cfg.global_tweedie_power),
            }
        };
        let mut booster = PerpetualBooster::default()
            .set_objective(objective)
            .set_budget(cfg.global_budget as f32)
            .set_num_threads(Some(rayon::current_num_threads()))
            .set_seed(0)
            .set_log_iterations(0)
            .set_categorical_features(Some(CATEGORICAL.into_iter().collect::<HashSet<_>>()));
        booster
            .fit(&matrix, &y, weights, None)
            .map_err(|e| Error::Config(format!("the global model did not train: {e}")))?;
        Ok(Self {
            booster,
            ids,
            scale,
            rows,
        })
    }

    /// The feature rows of periods `t..t+h` of `s` (column-major, as perpetual reads them),
    /// from its periods before `t` only (the series is cleaned on `units[..t]`, so no later
    /// value reaches the features) and the promotion plan of the target periods as `plan`
    /// says, with the unit of the prediction and the cleaned history.
    fn rows_at(
        &self,
        s: &Series,
        t: usize,
        cfg: &ForecastConfig,
        plan: Plan,
    ) -> (Vec<f64>, f64, Vec<f64>) {
        let h = cfg.horizon;
        let m = cfg.season_for(s.frequency);
        let t = t.min(s.units.len());
        let y = features::clean(
            &s.units[..t],
            s.frequency,
            cfg.detect_stockouts,
            cfg.cap_outliers,
        );
        let p = Prefix::new(s, y, &self.ids);
        let o: AtOrigin = features::at_origin(&p, t, s.frequency, self.scale);
        let unit = match self.scale {
            GlobalScale::Target => o.level,
            _ => 1.0,
        };
        let mut data = vec![0.0; h * NF];
        for k in 1..=h {
            for (j, v) in features::row(&p, &o, t, k, m).iter().enumerate() {
                data[j * h + (k - 1)] = *v;
            }
        }
        if plan == Plan::None {
            let col = &mut data[features::TARGET_PROMO * h..(features::TARGET_PROMO + 1) * h];
            for v in col.iter_mut().filter(|v| !v.is_nan()) {
                *v = 0.0;
            }
        }
        (data, unit, p.y)
    }

    /// Expected demand of periods `t..t+h` of `s`, from its periods before `t` only (and the
    /// promotions planned on them).
    pub(crate) fn forecast_at(&self, s: &Series, t: usize, cfg: &ForecastConfig) -> Vec<f64> {
        self.predict(s, t, cfg, Plan::AsPlanned)
    }

    /// [`Self::forecast_at`] with no period promoted: the baseline demand.
    pub(crate) fn baseline_at(&self, s: &Series, t: usize, cfg: &ForecastConfig) -> Vec<f64> {
        self.predict(s, t, cfg, Plan::None)
    }

    fn predict(&self, s: &Series, t: usize, cfg: &ForecastConfig, plan: Plan) -> Vec<f64> {
        let h = cfg.horizon;
        let (data, unit, history) = self.rows_at(s, t, cfg, plan);
        let raw = self.booster.predict(&Matrix::new(&data, h, NF), false);
        // the Poisson/Tweedie models predict the log of the mean (of the ratio to the level
        // when the target was scaled)
        let mut means: Vec<f64> = raw.into_iter().map(|v| v.exp() * unit).collect();
        bound_to_history(&mut means, &history);
        means
    }

    /// The promotion lift the model reads for each of periods `t..t+h` of `s`: its mean with
    /// the period promoted over its mean with the period not promoted, every other feature as
    /// at the origin (a counterfactual of one feature; with a log link the ratio is
    /// `exp(f(x, promo) − f(x, no promo))`, whatever the series' level). 1 when the series has
    /// no promotion data.
    pub(crate) fn promo_lift_at(&self, s: &Series, t: usize, cfg: &ForecastConfig) -> Vec<f64> {
        let h = cfg.horizon;
        let (mut data, _, _) = self.rows_at(s, t, cfg, Plan::AsPlanned);
        let col = features::TARGET_PROMO * h..(features::TARGET_PROMO + 1) * h;
        if data[col.clone()].iter().all(|v| v.is_nan()) {
            return vec![1.0; h];
        }
        data[col.clone()].fill(1.0);
        let on = self.booster.predict(&Matrix::new(&data, h, NF), false);
        data[col].fill(0.0);
        let off = self.booster.predict(&Matrix::new(&data, h, NF), false);
        on.iter().zip(&off).map(|(a, b)| (a - b).exp()).collect()
    }
}
