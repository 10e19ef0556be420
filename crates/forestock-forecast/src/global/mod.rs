//! The global model: one gradient-boosted tree model trained across all series of a run
//! (cargo feature `global`; used when [`ForecastConfig::global_weight`] is above 0, and by the
//! `promo_lift` and `new_products` switches).
//!
//! # What it is
//! - **One model for every series**, Poisson loss by default (Tweedie with
//!   `global_tweedie_power` in (1, 2)), as the M5 winners' LightGBM models were. Features
//!   ([`features`]): horizon, the target period's calendar position (weekday, day of month,
//!   month), last value, the seasonal lag and the mean of the same position over the last four
//!   seasons, rolling means over 7/28/91/364 days (3/6/12/24 months), the 28-day standard
//!   deviation and share of zeros, periods since the last sale, trend, series-level statistics
//!   (mean, ADI, CV²), history length, shelf price, price relative to its yearly mean and its
//!   change over 28 days, promotion flags (the last period's, the share over 28 days, and the
//!   target period's planned promotion: known in advance, the one feature read after the
//!   origin), and SKU / location / category ids where there are at most 250 distinct values.
//!   Stockouts are censored as the engine's preparation does and unknown periods are never
//!   targets. Calendar events (holidays) are not features: the engine's input has no event
//!   calendar.
//! - **Each series' level** (`ForecastConfig::global_scale`): with `features`, the level
//!   columns (lags, rolling means, deviation, series mean) are divided by the series' level
//!   `L` at the origin (its last 28 days or 6 months shrunk toward its last year,
//!   `features::level`) and `ln L` is a feature; with `target`, the target is divided by `L`
//!   too, with sample weight `L` (for Poisson: the model with offset `ln L`), so every series
//!   starts from its own level and the trees learn the ratio to it (test
//!   `the_scaled_global_model_keeps_each_series_level`). Unscaled (`none`, the default), a
//!   model stopped after a few trees leaves small series near the pooled mean.
//! - **Direct multi-step, one model**: a row is (series, origin `t`, horizon `k`); every
//!   feature is computed at the origin and the horizon is a feature, so a forecast never feeds
//!   on its own predictions (a recursive model would compound its errors over 28 days and
//!   costs one prediction pass per day), and one model serves all horizons (28 direct models
//!   would cost 28 trainings).
//! - **No look-ahead**: features at origin `t` read the periods before `t` only (test
//!   `features_at_an_origin_use_only_data_before_it`); a model trained for a cut never sees a
//!   period at or after it.
//! - **Quantiles from the engine's calibration**: the global mean is blended into the local
//!   forecast (`(1 − w)·local + w·global`) both for the final forecast and at the selection
//!   origins, where a second model, trained only on the periods before the oldest selection
//!   origin, forecasts out of sample; the engine's PIT recalibration then learns its level maps
//!   from those blended backtests, as for any selected forecast.
//! - **Promotions and new products through the same model**, each behind its own switch:
//!   `PromoLift::Global` puts the model's counterfactual ratio (promoted over not) on each
//!   planned promotion instead of the series' pooled lift ([`promo_lifts`]);
//!   `NewProducts::Global` forecasts a series too short to select on by the model instead of
//!   its analogs ([`new_products`]). Measured on M5 (forecasting README, "Promotions and new
//!   products"): neither beats the rule it would replace, so both stay off.
//!
//! # Why perpetual
//! A pure-Rust GBM with Poisson and Tweedie objectives, native missing values and categorical
//! features, parallel with rayon (already the engine's pool). Compared:
//! - `lightgbm3` (LightGBM bindings): its build runs CMake, bindgen (libclang) and a C++
//!   compilation of LightGBM; none of cmake or libclang is on the build machines, and every
//!   CI run would pay the C++ build.
//! - `gbdt` (0.1.3, last released 2021): squared, LAD and logistic losses, no Poisson.
//! - `forust-ml` (0.8, perpetual's predecessor): squared and log loss only.
//! - `perpetual` 1.x and 2.x need a nightly compiler (`#![feature(array_ptr_get)]`); 3.0.0-rc.2
//!   builds on stable, hence the exact pin in the workspace manifest.
//!
//! It is behind a cargo feature so the crates that link the engine (plan, CLI, the desktop
//! shell) do not compile it unless asked.

pub(crate) mod features;
mod model;

#[cfg(test)]
mod tests;

pub use model::GlobalModel;

use crate::engine::{bounded_lift, SeriesRun};
use crate::series::Series;
use crate::{ForecastConfig, Result, SeriesIssue};

/// The two models of a run: one trained on everything before each series' end (the forecast)
/// and one trained on the periods before the oldest selection origin (the backtests that
/// calibrate the quantiles).
#[derive(Debug)]
pub struct GlobalModels {
    pub last: GlobalModel,
    pub early: Option<GlobalModel>,
}

/// Index of a series' oldest selection origin (as `pipeline::selection_origins` places them).
fn oldest_selection_origin(s: &Series, cfg: &ForecastConfig) -> usize {
    let h = cfg.horizon;
    let step = cfg.selection_step.unwrap_or(h).max(1);
    let back = h + step * cfg.selection_origins.saturating_sub(1);
    s.units.len().saturating_sub(back)
}

/// Train the run's global models on `series` (each seen up to its own end): the early one too
/// whenever the configuration has selection origins, so the models serve a blend at any weight.
pub fn train(series: &[Series], cfg: &ForecastConfig) -> Result<GlobalModels> {
    let last = GlobalModel::train_before(series, cfg, &|s| s.units.len())?;
    let early = if cfg.selection_origins > 0 {
        GlobalModel::train_before(series, cfg, &|s| oldest_selection_origin(s, cfg)).ok()
    } else {
        None
    };
    Ok(GlobalModels { last, early })
}

/// Train only the model of the forecast (no blend, so no backtests to blend: what the
/// promotion lift and the new products need).
pub(crate) fn train_last(series: &[Series], cfg: &ForecastConfig) -> Result<GlobalModels> {
    let last = GlobalModel::train_before(series, cfg, &|s| s.units.len())?;
    Ok(GlobalModels { last, early: None })
}

/// Put the global model's promotion lift (`GlobalModel::promo_lift_at`, bounded like the
/// pooled lift) on every planned promotion of every forecast in place of the series' pooled
/// lift, which the local forecast was assembled with (`PromoLift::Global`; wherever the
/// global model does not run, the pooled lift stays).
pub(crate) fn promo_lifts(
    series: &[Series],
    runs: &mut [std::result::Result<SeriesRun, SeriesIssue>],
    model: &GlobalModel,
    cfg: &ForecastConfig,
) {
    use rayon::prelude::*;
    runs.par_iter_mut().zip(series).for_each(|(run, s)| {
        let Ok(run) = run else { return };
        if !s.future_promo.iter().any(|p| *p) {
            return;
        }
        let lift = model.promo_lift_at(s, s.units.len(), cfg);
        let (mut sum, mut n) = (0.0, 0.0);
        for (i, v) in run.forecast.mean.iter_mut().enumerate() {
            if s.planned(i) {
                let l = bounded_lift(lift[i]);
                *v = *v / run.promo_lift * l;
                sum += l;
                n += 1.0;
            }
        }
        if n == 0.0 {
            return;
        }
        // the pooled lift's note no longer holds
        run.forecast
            .notes
            .retain(|note| !note.starts_with("promotion lift "));
        run.forecast.notes.push(format!(
            "promotion lift from the global model: {:.2} on average over {n} planned periods",
            sum / n
        ));
    });
}

/// The global model's forecast for every product with too little history to select a model
/// on (`NewProducts::Global`): in place of its analogs' rate, the model's mean from its first
/// periods, category, location and price; nothing from its discontinuation date on; the wide
/// interval of a short series is kept.
pub(crate) fn new_products(
    series: &[Series],
    out: &mut [std::result::Result<crate::SeriesForecast, SeriesIssue>],
    model: &GlobalModel,
    cfg: &ForecastConfig,
) {
    use rayon::prelude::*;
    out.par_iter_mut().zip(series).for_each(|(f, s)| {
        let Ok(f) = f else { return };
        if !matches!(f.model.as_str(), "short_average" | "analogs") {
            return;
        }
        let g = model.forecast_at(s, s.units.len(), cfg);
        for (i, (v, gv)) in f.mean.iter_mut().zip(g).enumerate() {
            *v = if s.stopped(i) { 0.0 } else { gv };
        }
        f.model = "global_new".into();
        f.notes.push(format!(
            "new product: the global model's forecast from its {} known periods",
            s.units.iter().filter(|v| v.is_finite()).count()
        ));
    });
}

/// Blend the global forecast into every selected forecast and its selection backtests.
pub(crate) fn blend(
    series: &[Series],
    runs: &mut [std::result::Result<SeriesRun, SeriesIssue>],
    models: &GlobalModels,
    cfg: &ForecastConfig,
) {
    use rayon::prelude::*;
    let w = cfg.global_weight.clamp(0.0, 1.0);
    runs.par_iter_mut().zip(series).for_each(|(run, s)| {
        let Ok(run) = run else { return };
        if matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            return;
        }
        let g = models.last.forecast_at(s, s.units.len(), cfg);
        for (i, (v, gv)) in run.forecast.mean.iter_mut().zip(&g).enumerate() {
            if !s.stopped(i) {
                *v = (1.0 - w) * *v + w * gv;
            }
        }
        run.forecast.model = format!("{}+global", run.forecast.model);
        let Some(early) = &models.early else { return };
        for bt in &mut run.calibration.backtests {
            // at baseline, as the local backtests and the actuals they are scored on (history's
            // promotion days brought back to baseline)
            let g = early.baseline_at(s, bt.origin, cfg);
            for (v, gv) in bt.forecast.iter_mut().zip(&g) {
                *v = (1.0 - w) * *v + w * gv;
            }
        }
    });
}
