//! The engine options a user sets for a run (`forestock forecast`, on a history file or the
//! merchant database, and `forestock backtest`): season, candidates, stockout detection,
//! worker threads, the global model's weight and budget.

use crate::{with_threads, Candidate, Error, ForecastConfig, Result};

/// Options over [`ForecastConfig`]'s defaults; with the `clap` feature, the command line's
/// flags (their docs are its help).
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct EngineOptions {
    /// Season length (default: 7 daily, 52 weekly, 12 monthly).
    #[cfg_attr(feature = "clap", arg(long))]
    pub season: Option<usize>,
    /// Only these candidates (comma separated, e.g. `ets,tsb,wa_s`).
    #[cfg_attr(feature = "clap", arg(long, value_delimiter = ','))]
    pub models: Option<Vec<String>>,
    /// Do not infer stockouts from long zero runs.
    #[cfg_attr(feature = "clap", arg(long))]
    pub no_stockout_detection: bool,
    /// Worker threads (default: all cores).
    #[cfg_attr(feature = "clap", arg(long))]
    pub jobs: Option<usize>,
    /// Weight of the global gradient-boosted model in every forecast, 0 to 1 (default 0: off;
    /// it has not beaten the local models yet, see the forecasting README). Needs a build with
    /// the cargo feature `global`.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = 0.0))]
    pub global_weight: f64,
    /// The global model's complexity budget (perpetual's one hyper-parameter; default 0.5).
    #[cfg_attr(feature = "clap", arg(long))]
    pub global_budget: Option<f64>,
}

impl EngineOptions {
    /// The forecast configuration for `horizon`, each series' model selected by a backtest
    /// over `selection_origins` origins; an unknown model or a value out of range is an error
    /// naming it.
    pub fn config(&self, horizon: usize, selection_origins: usize) -> Result<ForecastConfig> {
        if self.global_budget.is_some() && self.global_weight == 0.0 {
            return Err(Error::Config(
                "--global-budget needs --global-weight above 0 (the global model is off)".into(),
            ));
        }
        let cfg = ForecastConfig {
            horizon,
            season: self.season,
            selection_origins,
            candidates: self
                .models
                .as_deref()
                .map(Candidate::parse_list)
                .transpose()?,
            detect_stockouts: !self.no_stockout_detection,
            global_weight: self.global_weight,
            ..ForecastConfig::default()
        };
        let cfg = ForecastConfig {
            global_budget: self.global_budget.unwrap_or(cfg.global_budget),
            ..cfg
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// Run `f` on [`jobs`](Self::jobs) worker threads ([`with_threads`]); zero is refused.
    pub fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> Result<R> {
        run_on(self.jobs, f)
    }
}

/// Run `f` on `jobs` worker threads (`None`: one per core); `Some(0)` is a configuration
/// error, not silently one thread.
pub fn run_on<R: Send>(jobs: Option<usize>, f: impl FnOnce() -> R + Send) -> Result<R> {
    if jobs == Some(0) {
        return Err(Error::Config("--jobs must be at least 1".into()));
    }
    with_threads(jobs, f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_make_a_validated_configuration() {
        let o = EngineOptions {
            season: Some(12),
            models: Some(vec!["ets".into(), " tsb".into()]),
            no_stockout_detection: true,
            jobs: Some(1),
            global_weight: 0.0,
            global_budget: None,
        };
        let cfg = o.config(14, 2).unwrap();
        assert_eq!(
            (cfg.horizon, cfg.season, cfg.selection_origins),
            (14, Some(12), 2)
        );
        assert_eq!(cfg.candidates.as_ref().map(Vec::len), Some(2));
        assert!(!cfg.detect_stockouts);
        assert_eq!((cfg.global_weight, cfg.global_budget), (0.0, 0.5));
        // A weight outside 0–1 is refused; one above 0 needs the global model compiled in.
        let weight = |w| EngineOptions {
            global_weight: w,
            ..EngineOptions::default()
        };
        assert!(weight(1.5).config(28, 3).is_err());
        // a budget alone would be ignored: refused; a budget that is not a positive number too
        let budget = |w, b| EngineOptions {
            global_weight: w,
            global_budget: Some(b),
            ..EngineOptions::default()
        };
        let alone = budget(0.0, 1.0).config(28, 3).unwrap_err().to_string();
        assert!(alone.contains("--global-weight"), "{alone}");
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(budget(0.5, bad).config(28, 3).is_err(), "{bad}");
        }
        if cfg!(feature = "global") {
            let cfg = budget(0.5, 1.5).config(28, 3).unwrap();
            assert_eq!((cfg.global_weight, cfg.global_budget), (0.5, 1.5));
        }
        assert_eq!(weight(0.3).config(28, 3).is_ok(), cfg!(feature = "global"));
        let bad = EngineOptions {
            models: Some(vec!["nope".into()]),
            ..EngineOptions::default()
        };
        assert!(bad.config(28, 3).unwrap_err().to_string().contains("nope"));
        assert!(EngineOptions::default().config(0, 3).is_err());
    }

    #[test]
    fn zero_jobs_is_refused_and_one_runs() {
        let zero = EngineOptions {
            jobs: Some(0),
            ..EngineOptions::default()
        };
        assert!(zero.run(|| ()).unwrap_err().to_string().contains("--jobs"));
        assert_eq!(run_on(Some(1), rayon::current_num_threads).unwrap(), 1);
    }
}
