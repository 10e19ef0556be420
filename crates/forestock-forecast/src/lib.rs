//! Forestock's forecasting engine: demand series in, probabilistic forecasts out. Pure: no
//! database, no clock, no global random state — the same input gives byte-identical output.
//!
//! # Pipeline (per series, in parallel across series)
//! 1. **Preparation** ([`prepare`]): out-of-stock periods (`on_hand == 0`, or implausibly long
//!    zero runs in a selling item when there is no inventory data) become *unknown* (`NaN`), never
//!    zero demand; one-off spikes are capped; promotion days are taken back to baseline with a
//!    lift pooled across the category (or across the SKU's locations).
//! 2. **Classification** ([`classify`]): Syntetos–Boylan (ADI 1.32, CV² 0.49).
//! 3. **Candidates** ([`models`]): seasonal naive, window average, SES, AutoETS (error, trend,
//!    damping and season chosen by AICc), Theta, Croston-SBA, TSB, ADIDA, IMAPA, and
//!    seasonal-profile variants (`_s`) of the flat ones.
//! 4. **Selection**: rolling-origin backtest on the series' own history (default 3 origins, one
//!    horizon apart), lowest squared error wins (the forecast is the distribution's mean; the MAE
//!    would reward forecasts biased low); the mean of the best two or three replaces it when that
//!    backtests better. Each origin is prepared and AutoETS refitted on the history before it
//!    only: no later value reaches a backtest forecast.
//! 5. **Calibration**: the selected forecast's multi-step backtest errors give a count
//!    dispersion and a persistent level error per series, pooled with all series of the run;
//!    the per-period quantile levels are recalibrated on the pooled randomised PITs of the
//!    backtests, and per-period quantiles are true (integer) quantiles of the count distribution.
//!
//! # API for the planning engine (stable)
//! [`forecast_all`] returns one [`SeriesForecast`] per series. For a series `f`:
//! - `f.mean[i]` — expected demand in period `i` (period 0 = `f.first_date`, the first period
//!   after the history); `f.quantile(i, p)` — any quantile of period `i`, an integer count
//!   (levels recalibrated on the run's pooled backtest PITs, see [`LevelMap`]; reporting only —
//!   stock decisions use windows);
//! - `f.window(start, len)` → [`DemandDistribution`] of **total demand over periods
//!   `start..start+len`** (e.g. lead time + review period), with `mean()`, `variance()`,
//!   `std_dev()`, `quantile(p)`, `cdf(x)`, `expected_shortage(stock)` (= E[(D − stock)+], the
//!   loss function for fill-rate maths) and `expected_sales(stock)`. Windows may reach beyond the
//!   horizon (the last seasonal cycle repeats).
//! - `f.accuracy` — backtest MASE/WAPE/bias of the selected model; `f.model`, `f.class`,
//!   `f.notes` explain the forecast.
//!
//! The distribution is a negative binomial matched to the window's mean and variance (see
//! [`Uncertainty`]), extended continuously between integers: `cdf(k)` is exact at integers and
//! `quantile(p).ceil()` is the smallest integer stock level with `P(D <= stock) >= p` — order up
//! to it for a cycle service level `p`. All values are finite and `>= 0`.
//!
//! ```
//! use chrono::NaiveDate;
//! use forestock_forecast::{forecast_all, ForecastConfig, Frequency, Series, SeriesKey};
//!
//! let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
//! let units: Vec<f64> = (0..200).map(|t| if t % 7 == 5 { 9.0 } else { 3.0 }).collect();
//! let series = vec![Series::new(SeriesKey::new("SKU-1", "main"), Frequency::Daily, start, units)];
//! let cfg = ForecastConfig::with_horizon(28);
//! let out = forecast_all(&series, &cfg, &|_done| {});
//! let f = out[0].as_ref().unwrap();
//! // Demand over a 10-day lead time + 7-day review period starting tomorrow:
//! let d = f.window(0, 17);
//! let order_up_to = d.quantile(0.95).ceil();
//! assert!(order_up_to >= d.mean());
//! assert!(d.expected_shortage(order_up_to) < 0.05 * d.mean());
//! ```
//!
//! File mode (the CLI's `forecast --input` and `backtest`): [`io::read_history_file`],
//! [`io::write_forecasts`], [`backtest::backtest`].

pub mod analogs;
pub mod backtest;
pub mod dist;
mod engine;
mod error;
pub mod forecast;
#[cfg(feature = "global")]
pub mod global;
pub mod io;
pub mod models;
mod options;
pub mod prepare;
pub mod series;

pub use dist::DemandDistribution;
#[cfg(feature = "global")]
pub use engine::forecast_all_with_global;
pub use engine::{
    classify, forecast_all, forecast_series, seasonal_naive_mae, ForecastConfig, GlobalScale,
    NewProducts, PromoLift, SeriesIssue,
};
pub use error::{Error, Result};
pub use forecast::{
    Accuracy, DemandClass, LevelMap, QuantileCalibration, SeriesForecast, Uncertainty, LEVEL_GRID,
};
pub use models::{Candidate, ModelKind};
pub use options::{run_on, EngineOptions};
pub use series::{Frequency, Series, SeriesKey, SeriesMeta};

/// Run `f` on a pool of `threads` workers (`None`: one per core). The engine's parallel loops
/// inside `f` use that pool; results do not depend on the number of threads.
pub fn with_threads<R: Send>(threads: Option<usize>, f: impl FnOnce() -> R + Send) -> Result<R> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(t) = threads {
        b = b.num_threads(t.max(1));
    }
    let pool = b
        .build()
        .map_err(|e| Error::Config(format!("cannot start worker threads: {e}")))?;
    Ok(pool.install(f))
}
