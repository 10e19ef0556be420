//! Out-of-sample quantile recalibration (the [`QuantileCalibration`] of each demand group).
//!
//! Every selection origin of every series is a forecast made from that origin's prefix only
//! (see `pipeline::backtest`), and its periods lie inside the history the run was given: the
//! calibration learns from those, never from anything after the run's own origin. For each
//! backtest period (and each window of the first `W` periods) the randomised PIT
//! `F(y−1) + v (F(y) − F(y−1))` of the actual under the series' final distribution is uniform
//! when the count distribution is right (Czado, Gneiting & Held 2009, "Predictive model
//! assessment for count data", Biometrics 65(4)); the level read for `p` is the `p`-quantile of
//! the pooled PITs (quantile recalibration: Kuleshov, Fenner & Ermon 2018; it is the split-
//! conformal quantile of the PIT scores, Romano, Patterson & Candès 2019, with the calibration
//! set being the selection origins). `v` is a fixed low-discrepancy sequence so runs are
//! reproducible.

use super::{group_of, Backtest, ForecastConfig, SeriesIssue, SeriesRun};
use crate::forecast::{
    mixed_cdf, mixed_quantile, LevelMap, QuantileCalibration, Uncertainty, HORIZON_BUCKETS,
    LEVEL_GRID, WINDOW_MAPS,
};
use rayon::prelude::*;

/// Fractional part of the golden ratio: `(i * GOLDEN_FRACTION).fract()` is the additive
/// recurrence (Weyl) low-discrepancy sequence used to randomise PITs reproducibly.
const GOLDEN_FRACTION: f64 = 0.618_033_988_749_894_9;

/// Series whose backtests calibrate the quantile levels (evenly spaced over the run).
const LEVEL_SERIES: usize = 2_000;

/// Prior weight, in PITs, of the uncalibrated levels (`p` itself) in a level map: small runs
/// keep close to the model's own levels.
const LEVEL_PRIOR_PERIODS: f64 = 500.0;

/// Fewest window PITs for a window map (fewer: the window keeps the model's levels).
const MIN_WINDOW_PITS: usize = 30;

/// Randomised PIT of the count `y` under a distribution with CDF `cdf`, `v` in [0, 1).
fn randomised_pit(cdf: &dyn Fn(f64) -> f64, y: f64, v: f64) -> f64 {
    let k = y.max(0.0).round();
    let upper = cdf(k);
    let below = if k > 0.0 { cdf(k - 1.0) } else { 0.0 };
    below + v * (upper - below)
}

/// Level map from pooled PITs: the level for `p` is the `p`-quantile of the PITs, shrunk
/// toward `p` by `n / (n + 500)`. With `free_median` the median moves too (a forecast biased
/// over its backtests gets a shifted p50); otherwise it stays 0.5 and the lower (upper) levels
/// stay below (above) it.
fn level_map(mut u: Vec<f64>, free_median: bool) -> Option<LevelMap> {
    if u.is_empty() {
        return None;
    }
    u.sort_by(f64::total_cmp);
    let n = u.len() as f64;
    let at = |p: f64| u[((p * n).floor() as usize).min(u.len() - 1)];
    let w = n / (n + LEVEL_PRIOR_PERIODS);
    Some(LevelMap::new(LEVEL_GRID.map(|p| {
        let fitted = if free_median {
            at(p)
        } else if p < 0.5 {
            at(p).min(0.5)
        } else if p > 0.5 {
            at(p).max(0.5)
        } else {
            0.5
        };
        w * fitted + (1.0 - w) * p
    })))
}

/// One series' PITs: its demand group, `(horizon bucket, PIT)` per mixture weight, and
/// `(window index, PIT)`.
type SeriesPits = (usize, Vec<Vec<(usize, f64)>>, Vec<(usize, f64)>);

/// Mixture weights of the empirical distribution tried per demand group.
const MIX_GRID: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

/// Levels whose pinball loss picks the mixture weight (the scaled pinball loss's headline).
const PICK_LEVELS: [f64; 3] = [0.1, 0.5, 0.9];

fn pinball(q: f64, y: f64, p: f64) -> f64 {
    if y >= q {
        p * (y - q)
    } else {
        (1.0 - p) * (q - y)
    }
}

/// Per-period PITs of one series' backtests under each mixture weight of `mixes`:
/// `pits[w]` holds `(horizon bucket, PIT)` of each known period.
fn period_pits(
    backtests: &[Backtest],
    unc: Uncertainty,
    h: usize,
    mixes: &[f64],
) -> Vec<Vec<(usize, f64)>> {
    let mut out = vec![Vec::new(); mixes.len()];
    let mut seq = 0usize;
    for b in backtests {
        for (i, (&mu, &y)) in b.forecast.iter().zip(&b.actual).enumerate() {
            if !y.is_finite() {
                continue;
            }
            seq += 1;
            let v = (seq as f64 * GOLDEN_FRACTION).fract();
            let d = unc.period_distribution(mu);
            for (k, &w) in mixes.iter().enumerate() {
                let u = randomised_pit(&|x| mixed_cdf(&d, &b.sample, w, x), y, v);
                out[k].push((QuantileCalibration::bucket(h, i), u));
            }
        }
    }
    out
}

/// Scaled pinball loss (over [`PICK_LEVELS`]) of one series' backtests under each mixture
/// weight, read at that weight's calibrated levels; `None` without a scale.
fn series_loss(
    run: &SeriesRun,
    h: usize,
    mixes: &[f64],
    maps: &[[LevelMap; HORIZON_BUCKETS]],
) -> Option<Vec<f64>> {
    let scale = run.calibration.scale?;
    let unc = run.forecast.uncertainty;
    let mut loss = vec![0.0; mixes.len()];
    let mut n = 0.0;
    for b in &run.calibration.backtests {
        for (i, (&mu, &y)) in b.forecast.iter().zip(&b.actual).enumerate() {
            if !y.is_finite() {
                continue;
            }
            n += 1.0;
            let d = unc.period_distribution(mu);
            let bucket = QuantileCalibration::bucket(h, i);
            for (k, &w) in mixes.iter().enumerate() {
                loss[k] += PICK_LEVELS
                    .iter()
                    .map(|&p| {
                        let level = maps[k][bucket].apply(p);
                        pinball(mixed_quantile(&d, &b.sample, w, level), y, p)
                    })
                    .sum::<f64>();
            }
        }
    }
    (n > 0.0).then(|| loss.iter().map(|l| l / n / scale).collect())
}

/// `(window index, PIT)` of each window of the first `len` periods that is fully known (window
/// distributions are the model's own, never mixed).
fn window_pits(
    backtests: &[Backtest],
    unc: Uncertainty,
    lens: [u32; WINDOW_MAPS],
) -> Vec<(usize, f64)> {
    let mut windows = Vec::new();
    let mut seq = 0usize;
    for b in backtests {
        let (f, a) = (&b.forecast, &b.actual);
        for (k, &len) in lens.iter().enumerate() {
            let len = len as usize;
            if len > f.len() || len > a.len() || a[..len].iter().any(|y| !y.is_finite()) {
                continue;
            }
            seq += 1;
            let total: f64 = f[..len].iter().sum();
            let noise: f64 = f[..len]
                .iter()
                .map(|mu| mu + unc.dispersion * mu * mu)
                .sum();
            let d = unc.distribution(total, noise);
            let y: f64 = a[..len].iter().sum();
            let v = (seq as f64 * GOLDEN_FRACTION).fract();
            windows.push((k, randomised_pit(&|x| d.cdf(x), y, v)));
        }
    }
    windows
}

/// Per demand group (0: smooth/erratic, 1: intermittent/lumpy), the quantile calibration from
/// the selected forecasts' backtests, each read with the series' final distribution. With
/// `mix_empirical`, each mixture weight of [`MIX_GRID`] gets its own level maps and the one
/// with the lowest scaled pinball loss over the group's backtests is kept (all weights judged
/// on the same periods, at their own calibrated levels).
pub(crate) fn quantile_calibrations(
    runs: &[Result<SeriesRun, SeriesIssue>],
    cfg: &ForecastConfig,
) -> [Option<QuantileCalibration>; 2] {
    let h = cfg.horizon;
    let lens = QuantileCalibration::window_lengths(h);
    let mixes: &[f64] = if cfg.mix_empirical {
        &MIX_GRID
    } else {
        &MIX_GRID[..1]
    };
    let usable: Vec<&SeriesRun> = runs
        .iter()
        .flatten()
        .filter(|r| !r.calibration.backtests.is_empty())
        .filter(|r| !matches!(r.forecast.model.as_str(), "zero" | "short_average"))
        .collect();
    let step = usable.len().div_ceil(LEVEL_SERIES).max(1);
    let sampled: Vec<&SeriesRun> = usable.into_iter().step_by(step).collect();
    // (group, per-weight period PITs, window PITs) of every sampled series
    let pits: Vec<SeriesPits> = sampled
        .par_iter()
        .map(|r| {
            let unc = r.forecast.uncertainty;
            let b = &r.calibration.backtests;
            let p = period_pits(b, unc, h, mixes);
            (group_of(r.forecast.class), p, window_pits(b, unc, lens))
        })
        .collect();
    let buckets = if cfg.calibrate_by_horizon {
        HORIZON_BUCKETS
    } else {
        1
    };
    let mut out = [None, None];
    for (g, slot) in out.iter_mut().enumerate() {
        let mine = || pits.iter().filter(move |p| p.0 == g);
        // level maps per mixture weight and horizon bucket
        let mut maps: Vec<[LevelMap; HORIZON_BUCKETS]> = Vec::new();
        for k in 0..mixes.len() {
            let per_bucket: Vec<Option<LevelMap>> = (0..HORIZON_BUCKETS)
                .map(|b| {
                    let u: Vec<f64> = mine()
                        .flat_map(|p| p.1[k].iter())
                        .filter(|(pb, _)| buckets == 1 || *pb == b)
                        .map(|(_, u)| *u)
                        .collect();
                    level_map(u, cfg.calibrate_median)
                })
                .collect();
            match per_bucket[..] {
                [Some(a), Some(b), Some(c)] => maps.push([a, b, c]),
                _ => break,
            }
        }
        if maps.len() < mixes.len() {
            continue;
        }
        let best = if mixes.len() == 1 {
            0
        } else {
            let losses: Vec<Vec<f64>> = sampled
                .par_iter()
                .filter(|r| group_of(r.forecast.class) == g)
                .filter_map(|r| series_loss(r, h, mixes, &maps))
                .collect();
            let total = |k: usize| losses.iter().map(|l| l[k]).sum::<f64>();
            (0..mixes.len())
                .min_by(|&a, &b| total(a).total_cmp(&total(b)).then(a.cmp(&b)))
                .unwrap_or(0)
        };
        let window = std::array::from_fn(|k| {
            let u: Vec<f64> = mine()
                .flat_map(|p| p.2.iter())
                .filter(|(wk, _)| *wk == k)
                .map(|(_, u)| *u)
                .collect();
            if u.len() < MIN_WINDOW_PITS {
                None
            } else {
                level_map(u, true)
            }
        });
        *slot = Some(QuantileCalibration {
            horizon: u32::try_from(h).unwrap_or(u32::MAX),
            period: maps[best],
            window_len: lens,
            window,
            mix: mixes[best],
        });
    }
    out
}
