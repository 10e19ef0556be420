//! The policy simulation's options as a user sets them (`forestock policy-sim`): the replay's
//! set-up, how many windows, and whether to sweep the whole curve.

use super::{SimConfig, WindowsSweep};
use super::{
    COMPARED_COVERS, SWEEP_BUDGETS, SWEEP_COVERS, SWEEP_FILL_RATES, SWEEP_LEVELS,
    SWEEP_STOCKOUT_WORTHS,
};
use crate::error::{Error, Result};
use forestock_forecast::ForecastConfig;

/// With the `clap` feature, the command line's flags (their docs are its help).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SimOptions {
    /// Supplier lead time in days.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 7))]
    pub lead_time: usize,
    /// Review period in days (re-plan and order every R days).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 7))]
    pub review: usize,
    /// Target cycle service level, between 0 and 1.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 0.95))]
    pub service_level: f64,
    /// Days at the end of every series to replay.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 28))]
    pub holdout: usize,
    /// The rule's cover: order up to this many days of the last 28 days' average sales.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 30.0))]
    pub baseline_cover: f64,
    /// Print the whole curve over service levels and cover rules.
    #[cfg_attr(feature = "clap", arg(long))]
    pub sweep: bool,
    /// Replay this many consecutive windows of `--holdout` days, ending at the end of the
    /// file, and report each metric's mean and spread across them (and, with `--sweep`, over
    /// service levels, fill-rate targets, stockout-day worths and stock budgets, whether one
    /// of them beats each cover rule by more than that spread).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 1))]
    pub windows: usize,
    /// Stock every series for at least this expected fill rate (0 = off).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 0.0))]
    pub fill_rate_floor: f64,
    /// Origins of the backtest that selects each series' model at each review.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 3))]
    pub selection_origins: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        let c = SimConfig::default();
        SimOptions {
            lead_time: c.lead_time,
            review: c.review,
            service_level: c.service_level,
            holdout: c.holdout,
            baseline_cover: c.baseline_cover,
            sweep: false,
            windows: 1,
            fill_rate_floor: c.fill_rate_floor,
            selection_origins: c.forecast.selection_origins,
        }
    }
}

impl SimOptions {
    /// The simulation's configuration, validated (a value out of range is an error naming
    /// what it is: the lead time, the review period, `--windows`…).
    pub fn config(&self) -> Result<SimConfig> {
        let cfg = SimConfig {
            lead_time: self.lead_time,
            review: self.review,
            service_level: self.service_level,
            holdout: self.holdout,
            baseline_cover: self.baseline_cover,
            baseline_window: 28,
            fill_rate_floor: self.fill_rate_floor,
            forecast: ForecastConfig {
                selection_origins: self.selection_origins,
                ..ForecastConfig::default()
            },
        };
        cfg.validate()?;
        if self.windows == 0 {
            return Err(Error::invalid("--windows", "must be at least 1 window"));
        }
        Ok(cfg)
    }

    /// The windows to replay and the points to compare: with [`sweep`](Self::sweep) every
    /// grid of the simulation against the compared cover rules, else the one service level
    /// against the one cover rule.
    pub fn windows_sweep(&self) -> WindowsSweep<'_> {
        let (level, cover) = (
            std::slice::from_ref(&self.service_level),
            std::slice::from_ref(&self.baseline_cover),
        );
        match self.sweep {
            true => WindowsSweep {
                skip: 0,
                windows: self.windows,
                levels: &SWEEP_LEVELS,
                fill_rates: &SWEEP_FILL_RATES,
                stockout_worths: &SWEEP_STOCKOUT_WORTHS,
                budgets: &SWEEP_BUDGETS,
                covers: &SWEEP_COVERS,
                compare: &COMPARED_COVERS,
            },
            false => WindowsSweep {
                skip: 0,
                windows: self.windows,
                levels: level,
                fill_rates: &[],
                stockout_worths: &[],
                budgets: &[],
                covers: cover,
                compare: cover,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_make_the_configuration_and_refuse_zero() {
        let o = SimOptions {
            lead_time: 10,
            selection_origins: 2,
            ..SimOptions::default()
        };
        let cfg = o.config().unwrap();
        assert_eq!((cfg.lead_time, cfg.forecast.selection_origins), (10, 2));
        for bad in [
            SimOptions {
                lead_time: 0,
                ..SimOptions::default()
            },
            SimOptions {
                holdout: 0,
                ..SimOptions::default()
            },
            SimOptions {
                windows: 0,
                ..SimOptions::default()
            },
            SimOptions {
                service_level: 1.5,
                ..SimOptions::default()
            },
        ] {
            assert!(bad.config().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_sweep_compares_every_grid_and_a_single_run_its_own_point() {
        let one = SimOptions {
            windows: 3,
            ..SimOptions::default()
        };
        let w = one.windows_sweep();
        assert_eq!(
            (w.windows, w.levels, w.covers, w.compare),
            (3, &[0.95][..], &[30.0][..], &[30.0][..])
        );
        assert!(w.budgets.is_empty() && w.fill_rates.is_empty());
        let all = SimOptions { sweep: true, ..one };
        let w = all.windows_sweep();
        assert_eq!(
            (w.levels.len(), w.compare),
            (SWEEP_LEVELS.len(), &COMPARED_COVERS[..])
        );
    }
}
