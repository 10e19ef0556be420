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
    /// Recalibrated levels of the per-period quantiles ([`SeriesForecast::quantile`]); `None`
    /// uses the model's levels as they are. Window distributions never use it.
    #[serde(default)]
    pub period_levels: Option<LevelMap>,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Self {
            dispersion: 0.5,
            level_cv: 0.5,
            period_levels: None,
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
    /// `P(0) >= level`), read at the recalibrated level (see [`LevelMap`]). The median (`p =
    /// 0.5`) is the distribution's own median. For stock decisions use [`SeriesForecast::window`].
    pub fn quantile(&self, i: usize, p: f64) -> f64 {
        self.period_quantiles(i, [p])[0]
    }

    /// Several quantiles of period `i` at once (one distribution built).
    pub fn period_quantiles<const N: usize>(&self, i: usize, ps: [f64; N]) -> [f64; N] {
        let d = self.window(i, 1);
        ps.map(|p| {
            let level = match &self.uncertainty.period_levels {
                Some(m) => m.apply(p),
                None => p,
            };
            d.discrete_quantile(level)
        })
    }

    /// Quantile `p` of every period over the horizon.
    pub fn quantiles(&self, p: f64) -> Vec<f64> {
        (0..self.horizon()).map(|i| self.quantile(i, p)).collect()
    }
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
                period_levels: None,
            },
            accuracy: None,
            notes: vec![],
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
    fn calibrated_levels_move_the_daily_quantiles_only() {
        let mut f = sample();
        let plain = f.period_quantiles(2, [0.1, 0.5, 0.9]);
        let w = f.window(0, 7);
        // (quantiles are integer counts: the shifts are large enough to move them a step)
        f.uncertainty.period_levels = Some(LevelMap::new([
            0.02, 0.05, 0.1, 0.35, 0.5, 0.98, 0.985, 0.99, 0.995,
        ]));
        let cal = f.period_quantiles(2, [0.1, 0.5, 0.9]);
        assert!(cal[0] > plain[0] && cal[2] > plain[2]);
        assert_eq!(cal[1], plain[1]);
        assert_eq!(f.window(0, 7), w);
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
