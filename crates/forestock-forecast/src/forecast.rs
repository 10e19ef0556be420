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
}

impl Default for Uncertainty {
    fn default() -> Self {
        Self {
            dispersion: 0.5,
            level_cv: 0.5,
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
        let level = self.uncertainty.level_cv * total;
        DemandDistribution::from_moments(total, noise + level * level)
    }

    /// Quantile `p` of demand in period `i`.
    pub fn quantile(&self, i: usize, p: f64) -> f64 {
        self.window(i, 1).quantile(p)
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
            },
            accuracy: None,
            notes: vec![],
        }
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
