//! The per-series forecast object handed to the planning engine.

use crate::dist::DemandDistribution;
use crate::series::{Frequency, SeriesKey};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Demand class after Syntetos–Boylan (ADI cut-off 1.32, CV² cut-off 0.49).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    Smooth,
    Erratic,
    Intermittent,
    Lumpy,
    /// Too little history to classify (new product, single point).
    Short,
    /// Nothing ever sold.
    Zero,
}

impl DemandClass {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Smooth => "smooth",
            Self::Erratic => "erratic",
            Self::Intermittent => "intermittent",
            Self::Lumpy => "lumpy",
            Self::Short => "short",
            Self::Zero => "zero",
        }
    }
}

/// Backtest accuracy of one forecast (rolling origins over the series' own history).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    /// Mean absolute scaled error (scaled by the in-sample seasonal-naive MAE).
    pub mase: f64,
    /// Root mean squared scaled error (M5 definition, lag-1 naive scale).
    pub rmsse: f64,
    /// Weighted absolute percentage error: sum |e| / sum actual.
    pub wape: f64,
    /// (sum forecast - sum actual) / sum actual.
    pub bias: f64,
    /// Number of origins the figures average over.
    pub origins: u32,
}

/// How uncertain the forecast is, calibrated from multi-step backtest errors.
///
/// The variance of total demand over a window `W` with daily means `mu_t` is
/// `sum_t (mu_t + dispersion * mu_t^2) + level_cv^2 * (sum_t mu_t)^2`: count noise around the
/// mean (negative binomial) plus an error in the forecast level that persists over the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// Negative-binomial over-dispersion of one period's demand around its mean (>= 0).
    pub dispersion: f64,
    /// Relative standard error of the forecast level, persisting over a window (>= 0).
    pub level_cv: f64,
    /// Recalibrated quantile levels of single periods ([`SeriesForecast::quantile`]) and of
    /// window totals ([`SeriesForecast::window_level`]); `None` uses the model's levels as they
    /// are.
    #[serde(default)]
    pub calibration: Option<QuantileCalibration>,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Self {
            dispersion: 0.5,
            level_cv: 0.5,
            calibration: None,
        }
    }
}

impl Uncertainty {
    /// Distribution of a window's total demand with mean `total` and count-noise variance
    /// `noise` (`sum_t mu_t + dispersion * mu_t^2`), adding the persistent level error.
    pub fn distribution(&self, total: f64, noise: f64) -> DemandDistribution {
        let level = self.level_cv * total;
        DemandDistribution::from_moments(total, noise + level * level)
    }

    /// Distribution of one period's demand with mean `mu` (= `SeriesForecast::window(i, 1)`).
    pub fn period_distribution(&self, mu: f64) -> DemandDistribution {
        self.distribution(mu, mu + self.dispersion * mu * mu)
    }
}

/// Nominal levels at which a [`LevelMap`] stores its calibrated levels.
pub const LEVEL_GRID: [f64; 9] = [0.01, 0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975, 0.99];

/// Quantile recalibration of one period's demand: the level of the model's distribution to read
/// for a requested level `p` (quantile recalibration from pooled PIT values: Kuleshov, Fenner &
/// Ermon 2018, "Accurate uncertainties for deep learning using calibrated regression").
///
/// Demand is a count, so the PITs are randomised (Czado, Gneiting & Held 2009): uniform when
/// the count distribution is right, whatever `P(0)`. The level for `p` is the `p`-quantile of
/// the pooled out-of-sample backtest PITs, and the quantile read there is still a true
/// (integer) quantile of the count distribution: with `P(0) > 10%` the p10 is 0, as it should
/// be, and the `[p10, p90]` band then holds more than 80% of the actuals (the ones equal to a
/// bound). The median stays the model's own. Piecewise linear between [`LEVEL_GRID`] points and
/// `(0, 0)`, `(1, 1)`; non-decreasing, so quantiles stay ordered.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LevelMap {
    /// Calibrated level at each point of [`LEVEL_GRID`].
    pub levels: [f64; LEVEL_GRID.len()],
}

impl LevelMap {
    /// A map from calibrated levels at [`LEVEL_GRID`], made non-decreasing and kept in (0, 1).
    pub fn new(levels: [f64; LEVEL_GRID.len()]) -> Self {
        let mut out = [0.0; LEVEL_GRID.len()];
        let mut floor = 1e-9;
        for (o, l) in out.iter_mut().zip(levels) {
            let l = if l.is_finite() { l } else { floor };
            let v = l.clamp(floor, 1.0 - 1e-9);
            *o = v;
            floor = v;
        }
        Self { levels: out }
    }

    /// Level of the model's distribution to read for the requested level `p`.
    pub fn apply(&self, p: f64) -> f64 {
        if !p.is_finite() {
            return p;
        }
        let p = p.clamp(0.0, 1.0);
        let (mut x0, mut y0) = (0.0, 0.0);
        for (x1, y1) in LEVEL_GRID
            .iter()
            .copied()
            .zip(self.levels)
            .chain(std::iter::once((1.0, 1.0)))
        {
            if p <= x1 {
                let t = if x1 > x0 { (p - x0) / (x1 - x0) } else { 1.0 };
                return y0 + t * (y1 - y0);
            }
            (x0, y0) = (x1, y1);
        }
        1.0
    }
}

/// Horizon buckets of the per-period calibration: the first, second and last third of the
/// horizon (errors grow with the distance from the origin).
pub const HORIZON_BUCKETS: usize = 3;

/// Window lengths with their own calibration: a quarter, a half and the whole horizon.
pub const WINDOW_MAPS: usize = 3;

/// Out-of-sample quantile recalibration of one demand group (see [`LevelMap`]): learned on the
/// backtest periods of the run's selection origins, which all lie before the forecast origin
/// (`engine::levels`). One map per horizon bucket for single periods, and one per window length
/// for window totals (the order-up-to levels of the planner read the window maps).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantileCalibration {
    /// Horizon the buckets divide (periods `[b·h/3, (b+1)·h/3)` use `period[b]`).
    pub horizon: u32,
    /// Level maps of one period's demand, per horizon bucket.
    pub period: [LevelMap; HORIZON_BUCKETS],
    /// Window lengths (periods from the origin) of the `window` maps, increasing.
    pub window_len: [u32; WINDOW_MAPS],
    /// Level maps of window totals; `None` where too few backtests covered the length.
    pub window: [Option<LevelMap>; WINDOW_MAPS],
    /// Weight of the empirical distribution of the recent window
    /// ([`SeriesForecast::recent`]) in each period's count distribution, picked on the
    /// backtests' pinball loss (0: the model's distribution only). Windows never mix.
    #[serde(default)]
    pub mix: f64,
}

impl QuantileCalibration {
    /// Horizon bucket of period `i` (periods past the horizon use the last bucket).
    pub fn bucket(horizon: usize, i: usize) -> usize {
        (i * HORIZON_BUCKETS / horizon.max(1)).min(HORIZON_BUCKETS - 1)
    }

    /// The calibrated window lengths for a horizon `h`: a quarter, a half and all of it.
    pub fn window_lengths(h: usize) -> [u32; WINDOW_MAPS] {
        let h = h.max(1);
        [h.div_ceil(4), h.div_ceil(2), h].map(|l| u32::try_from(l).unwrap_or(u32::MAX))
    }

    /// Level of the model's distribution to read for level `p` of period `i`.
    pub fn period_level(&self, i: usize, p: f64) -> f64 {
        self.period[Self::bucket(self.horizon as usize, i)].apply(p)
    }

    /// Level of the model's window distribution to read for level `p` of a window of `len`
    /// periods: the map of the calibrated length nearest on a log scale (windows longer than
    /// the horizon use the longest); `p` itself when no map covers the length.
    pub fn window_level(&self, len: usize, p: f64) -> f64 {
        let len = len.max(1) as f64;
        let nearest = (0..WINDOW_MAPS)
            .filter(|&k| self.window[k].is_some())
            .min_by(|&a, &b| {
                let d = |k: usize| (len / f64::from(self.window_len[k].max(1))).ln().abs();
                d(a).total_cmp(&d(b))
            });
        match nearest.and_then(|k| self.window[k]) {
            Some(m) => m.apply(p),
            None => p,
        }
    }
}

/// Forecast of one SKU×location over the horizon, with its distribution.
///
/// Periods are indexed from 0 (= `first_date`, the first period after the history). The
/// distribution of total demand over any window is [`SeriesForecast::window`]; windows that reach
/// beyond the horizon repeat the last seasonal cycle of the mean (or its last value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesForecast {
    pub key: SeriesKey,
    pub frequency: Frequency,
    /// Date of period 0.
    pub first_date: NaiveDate,
    /// Expected demand per period, `horizon()` values, all finite and >= 0.
    pub mean: Vec<f64>,
    /// Name of the selected model (or `a+b` for a combination).
    pub model: String,
    pub class: DemandClass,
    /// Season length used (7 for daily, 12 for monthly, 52 for weekly, 1 = none).
    pub season: usize,
    pub uncertainty: Uncertainty,
    /// Backtest accuracy of the selected model, when there was enough history to backtest.
    pub accuracy: Option<Accuracy>,
    /// Human-readable notes: censored days, capped outliers, fallbacks, end of life.
    pub notes: Vec<String>,
    /// The last known periods of the prepared history (the window average's window), sorted:
    /// the empirical distribution mixed into the per-period quantiles at
    /// [`QuantileCalibration::mix`]. Empty when unknown (then the model's distribution alone).
    #[serde(default)]
    pub recent: Vec<f64>,
}

impl SeriesForecast {
    /// Number of forecast periods.
    pub fn horizon(&self) -> usize {
        self.mean.len()
    }

    /// Date of period `i`.
    pub fn date(&self, i: usize) -> NaiveDate {
        self.frequency.add(self.first_date, i as i64)
    }

    /// Expected demand in period `i` (also beyond the horizon, see the type docs).
    pub fn mean_at(&self, i: usize) -> f64 {
        let h = self.mean.len();
        if h == 0 {
            return 0.0;
        }
        if i < h {
            return self.mean[i];
        }
        let m = self.season.max(1);
        if m <= h && m > 1 {
            let base = h - m;
            self.mean[base + (i - h) % m]
        } else {
            self.mean[h - 1]
        }
    }

    /// Distribution of total demand over periods `start .. start + len`.
    pub fn window(&self, start: usize, len: usize) -> DemandDistribution {
        if len == 0 {
            return DemandDistribution::zero();
        }
        let mut total = 0.0;
        let mut noise = 0.0;
        for i in start..start + len {
            let mu = self.mean_at(i);
            total += mu;
            noise += mu + self.uncertainty.dispersion * mu * mu;
        }
        self.uncertainty.distribution(total, noise)
    }

    /// Quantile `p` of demand in period `i`: a true quantile of the period's count
    /// distribution, an integer (the smallest `k` with `P(D <= k) >= level`; 0 when
    /// `P(0) >= level`), read at the level recalibrated for the period's horizon bucket (see
    /// [`QuantileCalibration`]). For stock decisions use [`SeriesForecast::window`] at
    /// [`SeriesForecast::window_level`].
    pub fn quantile(&self, i: usize, p: f64) -> f64 {
        self.period_quantiles(i, [p])[0]
    }

    /// Several quantiles of period `i` at once (one distribution built).
    pub fn period_quantiles<const N: usize>(&self, i: usize, ps: [f64; N]) -> [f64; N] {
        let d = self.window(i, 1);
        let cal = self.uncertainty.calibration;
        let mix = self.mix_at(i);
        ps.map(|p| {
            let level = cal.map_or(p, |c| c.period_level(i, p));
            mixed_quantile(&d, &self.recent, mix, level)
        })
    }

    /// `P(D <= x)` of period `i`'s count distribution, the empirical mixture included (the
    /// distribution [`SeriesForecast::period_quantiles`] reads at its calibrated levels).
    pub fn period_cdf(&self, i: usize, x: f64) -> f64 {
        mixed_cdf(&self.window(i, 1), &self.recent, self.mix_at(i), x)
    }

    /// Weight of the recent-window sample in period `i`'s distribution: none where the mean is
    /// zero (after a discontinuation date, or nothing expected), so nothing is forecast there.
    fn mix_at(&self, i: usize) -> f64 {
        if self.mean_at(i) > 0.0 {
            self.uncertainty.calibration.map_or(0.0, |c| c.mix)
        } else {
            0.0
        }
    }

    /// Level of [`SeriesForecast::window`]'s distribution to read for a calibrated level `p` of
    /// a window of `len` periods (the order-up-to level for cycle service `p` is the window's
    /// quantile at this level; see [`QuantileCalibration::window_level`]).
    pub fn window_level(&self, len: usize, p: f64) -> f64 {
        match &self.uncertainty.calibration {
            Some(c) => c.window_level(len, p),
            None => p,
        }
    }

    /// Quantile `p` of every period over the horizon.
    pub fn quantiles(&self, p: f64) -> Vec<f64> {
        (0..self.horizon()).map(|i| self.quantile(i, p)).collect()
    }
}

/// CDF of the mixture `(1 − w) · d + w · empirical(sample)` (`sample` sorted; an empty sample
/// or `w = 0` is `d` alone).
pub(crate) fn mixed_cdf(d: &DemandDistribution, sample: &[f64], w: f64, x: f64) -> f64 {
    if w <= 0.0 || sample.is_empty() {
        return d.cdf(x);
    }
    let emp = sample.partition_point(|v| *v <= x) as f64 / sample.len() as f64;
    (1.0 - w) * d.cdf(x) + w * emp
}

/// Smallest count `k >= 0` with `mixed_cdf(k) >= level`: a true quantile of the mixture
/// (between the two components' own quantiles, found by bisection).
pub(crate) fn mixed_quantile(d: &DemandDistribution, sample: &[f64], w: f64, level: f64) -> f64 {
    let model = d.discrete_quantile(level);
    if w <= 0.0 || sample.is_empty() {
        return model;
    }
    let top = sample.last().copied().unwrap_or(0.0).max(0.0).ceil();
    let mut hi = model.max(top);
    let mut lo = -1.0; // mixed_cdf(lo) < level; mixed_cdf(hi) >= level
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if mixed_cdf(d, sample, w, mid) >= level {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SeriesForecast {
        SeriesForecast {
            key: SeriesKey::new("A", "L"),
            frequency: Frequency::Daily,
            first_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            mean: vec![
                1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0,
            ],
            model: "test".into(),
            class: DemandClass::Smooth,
            season: 7,
            uncertainty: Uncertainty {
                dispersion: 0.2,
                level_cv: 0.1,
                calibration: None,
            },
            accuracy: None,
            notes: vec![],
            recent: vec![],
        }
    }

    #[test]
    fn level_map_is_monotone_and_keeps_the_ends() {
        let m = LevelMap::new([0.3, 0.2, 0.35, 0.5, 0.45, 0.97, 0.99, 0.999, 1.0]);
        let mut prev = 0.0;
        for k in 0..=1000 {
            let p = k as f64 / 1000.0;
            let l = m.apply(p);
            assert!(l >= prev && (0.0..=1.0).contains(&l), "{p} {l}");
            prev = l;
        }
        assert_eq!(m.apply(0.0), 0.0);
        assert_eq!(m.apply(1.0), 1.0);
        assert!((m.apply(0.1) - 0.5).abs() < 1e-12);
        // the identity map reads the model's own levels
        let id = LevelMap::new(LEVEL_GRID);
        for p in [0.0, 0.07, 0.1, 0.42, 0.9, 0.995, 1.0] {
            assert!((id.apply(p) - p).abs() < 1e-12, "{p}");
        }
    }

    #[test]
    fn calibrated_levels_move_the_quantiles_of_their_own_bucket_and_window_only() {
        let mut f = sample();
        let plain = f.period_quantiles(2, [0.1, 0.5, 0.9]);
        let late = f.period_quantiles(12, [0.1, 0.5, 0.9]);
        let w = f.window(0, 7);
        let id = LevelMap::new(LEVEL_GRID);
        // (quantiles are integer counts: the shifts are large enough to move them a step)
        let wide = LevelMap::new([0.02, 0.05, 0.1, 0.35, 0.5, 0.98, 0.985, 0.99, 0.995]);
        f.uncertainty.calibration = Some(QuantileCalibration {
            horizon: 14,
            period: [wide, id, id],
            window_len: QuantileCalibration::window_lengths(14),
            window: [None, Some(wide), None],
            mix: 0.0,
        });
        // period 2 is in the first third of the 14-day horizon, period 12 in the last
        let cal = f.period_quantiles(2, [0.1, 0.5, 0.9]);
        assert!(cal[0] > plain[0] && cal[2] > plain[2]);
        assert_eq!(cal[1], plain[1]);
        assert_eq!(f.period_quantiles(12, [0.1, 0.5, 0.9]), late);
        // the distribution itself is unchanged; a 7-day window reads the 7-day map
        assert_eq!(f.window(0, 7), w);
        assert_eq!(QuantileCalibration::window_lengths(14), [4, 7, 14]);
        assert!((f.window_level(7, 0.9) - 0.98).abs() < 1e-12);
        assert!(
            (f.window_level(30, 0.9) - 0.98).abs() < 1e-12,
            "the only map covers all"
        );
    }

    #[test]
    fn the_recent_sample_is_mixed_into_daily_quantiles_but_never_where_nothing_is_expected() {
        let mut f = sample();
        f.mean[3] = 0.0; // e.g. after a discontinuation date
        f.recent = vec![9.0, 10.0, 12.0];
        let id = LevelMap::new(LEVEL_GRID);
        f.uncertainty.calibration = Some(QuantileCalibration {
            horizon: 14,
            period: [id; HORIZON_BUCKETS],
            window_len: QuantileCalibration::window_lengths(14),
            window: [None; WINDOW_MAPS],
            mix: 0.5,
        });
        // day 0 (mean 1): half the mass sits on 9..12, so the p90 is a count from the sample
        let q = f.period_quantiles(0, [0.1, 0.5, 0.9]);
        assert!(q[2] >= 9.0 && q[2] <= 12.0, "{q:?}");
        assert!((f.period_cdf(0, 8.0) - 0.5 * f.window(0, 1).cdf(8.0)).abs() < 1e-12);
        assert_eq!(f.period_quantiles(3, [0.1, 0.5, 0.9]), [0.0; 3]);
        // window distributions are the model's alone
        assert_eq!(f.window(0, 1).mean(), 1.0);
    }

    #[test]
    fn window_beyond_horizon_repeats_the_last_season() {
        let f = sample();
        assert_eq!(f.mean_at(14), 1.0);
        assert_eq!(f.mean_at(20), 7.0);
        let w = f.window(10, 14);
        assert!((w.mean() - 56.0).abs() < 1e-9);
    }

    #[test]
    fn longer_windows_have_more_demand_and_variance() {
        let f = sample();
        let a = f.window(0, 7);
        let b = f.window(0, 14);
        assert!(b.mean() > a.mean());
        assert!(b.variance() > a.variance());
        assert!(b.quantile(0.95) > a.quantile(0.95));
    }
}
