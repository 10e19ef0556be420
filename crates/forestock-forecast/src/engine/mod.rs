//! Per-series pipeline: prepare, classify, backtest candidates, select or combine, calibrate.

use crate::forecast::{DemandClass, SeriesForecast, Uncertainty};
use crate::models::{Candidate, ModelKind};
use crate::series::{Frequency, Series, SeriesKey};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod levels;
mod pipeline;
mod yearly;
pub(crate) use pipeline::{bounded_lift, run_series};
use pipeline::{DEFAULT_DISPERSION, PROMO_WINDOW_DAYS, SHORT_LEVEL_CV};

/// Options of a forecast run. `Default` gives the production settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastConfig {
    /// Periods to forecast.
    pub horizon: usize,
    /// Season length; `None` = 7 for daily, 52 for weekly, 12 for monthly data.
    pub season: Option<usize>,
    /// Rolling origins of the selection backtest.
    pub selection_origins: usize,
    /// Periods between selection origins; `None` = one horizon.
    pub selection_step: Option<usize>,
    /// Fewest periods of history before a selection origin; `None` = one season (of at least
    /// a week). A series still needs two seasons of known history to be selected on backtests
    /// at all; this only lets its earlier origins start sooner (car parts' 2–3 years of months
    /// had no selection origin, hence no calibration, with two seasons).
    #[serde(default)]
    pub selection_min_history: Option<usize>,
    /// Fewest known backtest periods (over all selection origins) to select among the
    /// candidates; with fewer, the window average is kept and its backtests only calibrate
    /// the distribution. `None` = two seasons (of at least a week).
    #[serde(default)]
    pub selection_min_periods: Option<usize>,
    /// Candidates computed (and reported by backtests) but never selected.
    pub never_select: Vec<Candidate>,
    /// Multiplier on the backtested level-error variance: in-sample backtests of the selected
    /// models understate the errors to come (tuned so cycle service levels hit their targets).
    pub level_inflation: f64,
    /// Keep every candidate's final forecast (backtest reports); off for production runs.
    #[serde(default)]
    pub keep_candidates: bool,
    /// Lean each series' selection on the candidates' ranking over a pilot of all series.
    pub pool_selection: bool,
    /// Always use the mean of the best `k` candidates (0 = choose between best, top 2, top 3).
    pub always_top: usize,
    /// Window of the window average; `None` = 28 for daily, 12 otherwise.
    pub window: Option<usize>,
    /// Candidate models; `None` = all.
    pub candidates: Option<Vec<Candidate>>,
    /// Try the mean of the best two and three candidates.
    pub combine: bool,
    /// Infer stockouts from implausible zero runs (when no inventory data says so).
    pub detect_stockouts: bool,
    /// Cap one-off spikes.
    pub cap_outliers: bool,
    /// Rescale each seasonally adjusted history to the raw history's total before the `_s`
    /// variants smooth it (`models::predict`): a profile fitted to noise otherwise biases them
    /// low on intermittent series (car parts, selecting on its tuning origins: pooled bias −23%
    /// without the rescaling, +1% with it).
    #[serde(default = "on")]
    pub profile_keep_level: bool,
    /// Most recent periods the smoothing models see (ETS is fitted on them too).
    pub max_history: usize,
    /// Likelihood evaluations per ETS specification.
    pub ets_evals: usize,
    /// Recalibrate per-period quantile levels per horizon bucket (thirds of the horizon)
    /// instead of once for all periods.
    #[serde(default = "on")]
    pub calibrate_by_horizon: bool,
    /// Let the recalibration move the median too (a forecast biased over its backtests gets a
    /// shifted p50); otherwise p50 is the distribution's own median.
    #[serde(default = "on")]
    pub calibrate_median: bool,
    /// Let the calibration mix each period's count distribution with the empirical
    /// distribution of the recent window, at the weight the backtests' pinball loss picks per
    /// demand group (0 = the model's distribution only).
    #[serde(default = "on")]
    pub mix_empirical: bool,
    /// Weight of the global gradient-boosted model's mean in every forecast, `(1 − w)·local +
    /// w·global` (0 = off, the default: it was not shown to beat the local models on the protocol's
    /// tuning origins, see the forecasting README). Needs the cargo feature `global`.
    #[serde(default)]
    pub global_weight: f64,
    /// The global model's complexity budget (perpetual's single hyper-parameter).
    #[serde(default = "global_budget")]
    pub global_budget: f64,
    /// Tweedie power of the global model's loss; 1 = Poisson.
    #[serde(default = "poisson")]
    pub global_tweedie_power: f64,
    /// How the global model sees each series' level (`global::features`): raw units, level
    /// features divided by the series' recent level, or the target divided by it too.
    #[serde(default)]
    pub global_scale: GlobalScale,
    /// Most training rows of each global model: origins are thinned past it (every k-th,
    /// staggered across series), bounding training time and memory on large merchants.
    #[serde(default = "global_rows")]
    pub global_rows: usize,
    /// Where the lift of a planned promotion comes from (`PromoLift`): the series' own
    /// promotion days shrunk toward its category's (the default), the global model, or none.
    #[serde(default)]
    pub promo_lift: PromoLift,
    /// How a product with too little history to select a model on is forecast: from its
    /// analogs (the default) or by the global model (`NewProducts`).
    #[serde(default)]
    pub new_products: NewProducts,
    /// Multiply each daily forecast by last year's ratio of the upcoming days to the days of
    /// the recent window, shrunk toward the category's and the run's ratio (`engine/yearly.rs`).
    #[serde(default)]
    pub yearly_adjust: bool,
    /// Prior weight, in expected units over the horizon, of the category's ratio against a
    /// series' own (the category's against the run's: ten times this).
    #[serde(default = "yearly_prior_units")]
    pub yearly_prior_units: f64,
    /// Days per block of the horizon with its own yearly ratio (0 = one ratio for the horizon).
    #[serde(default)]
    pub yearly_block: usize,
}

/// How the global model's rows relate to each series' level `L` (the mean of its last 28 days,
/// or 6 months, before the origin, shrunk toward its yearly mean: `global::features::level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GlobalScale {
    /// Features and target in units (the trees must learn every level from the rolling means).
    #[default]
    None,
    /// Level features (lags, rolling means, deviation, series mean) divided by `L`, `ln L` a
    /// feature of its own; the target in units.
    Features,
    /// As `Features`, and the target divided by `L` with sample weight `L`: for the Poisson
    /// loss this is the Poisson model with offset `ln L` (deviance of `y` at mean `L·μ` equals
    /// `L` times that of `y/L` at `μ`; McCullagh & Nelder, *Generalized Linear Models* §6.2.3),
    /// so the trees learn a ratio to the series' own level and start from the pooled ratio
    /// (Tweedie power `p`: weight `L^(2−p)`, the deviance's scaling).
    Target,
}

/// The lift put on a planned promotion's forecast (history's promotion days are always brought
/// back to baseline with the series' pooled lift before the models see them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PromoLift {
    /// The series' own lift (sales on promotion days over the days around them), shrunk toward
    /// the pooled lift of its category (of its SKU's other locations without a category).
    #[default]
    Pooled,
    /// The global model's counterfactual ratio for each planned day: its mean with the day
    /// promoted over its mean without (cargo feature `global`; trains the global model even
    /// at `global_weight = 0` when a series has a planned promotion). Where the global model
    /// does not run (it could not be trained; one series forecast on its own) the pooled lift.
    Global,
    /// No lift: planned promotions are forecast as ordinary days (for measuring the lift).
    None,
}

/// The forecast of a product with too little history to select a model on (fewer than two
/// seasons of known periods: `short_average`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NewProducts {
    /// The mean rate of its analogs (same category and location, narrowed to vendor and price
    /// band) blended with its own first sales, weighted by the spread of rates within
    /// categories (`analogs.rs`).
    #[default]
    Analogs,
    /// The global model's forecast from its first periods and its category, location and
    /// price (cargo feature `global`; trains the global model for every run).
    Global,
}

impl std::str::FromStr for GlobalScale {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s {
            "none" => Ok(Self::None),
            "features" => Ok(Self::Features),
            "target" => Ok(Self::Target),
            _ => Err(format!(
                "global scale must be none, features or target, got {s:?}"
            )),
        }
    }
}

/// Serde default of [`ForecastConfig::yearly_prior_units`].
fn yearly_prior_units() -> f64 {
    5000.0
}

/// Serde default of [`ForecastConfig::global_budget`].
fn global_budget() -> f64 {
    0.5
}

/// Serde default of [`ForecastConfig::global_rows`].
fn global_rows() -> usize {
    30_000
}

/// Serde default of [`ForecastConfig::global_tweedie_power`]: Poisson.
fn poisson() -> f64 {
    1.0
}

/// Serde default of the calibration switches: a configuration stored before they existed gets
/// the production calibration.
fn on() -> bool {
    true
}

impl Default for ForecastConfig {
    fn default() -> Self {
        Self {
            horizon: 28,
            season: None,
            selection_origins: 3,
            selection_step: None,
            selection_min_history: None,
            selection_min_periods: None,
            never_select: vec![
                Candidate::plain(ModelKind::SeasonalNaive),
                Candidate::plain(ModelKind::CrostonSba),
            ],
            always_top: 0,
            pool_selection: true,
            keep_candidates: false,
            level_inflation: 1.0,
            window: None,
            candidates: None,
            combine: true,
            detect_stockouts: true,
            cap_outliers: true,
            max_history: 730,
            profile_keep_level: true,
            ets_evals: 80,
            calibrate_by_horizon: true,
            calibrate_median: true,
            mix_empirical: true,
            global_weight: 0.0,
            global_budget: global_budget(),
            global_tweedie_power: poisson(),
            global_scale: GlobalScale::None,
            global_rows: global_rows(),
            promo_lift: PromoLift::Pooled,
            new_products: NewProducts::Analogs,
            yearly_adjust: false,
            yearly_prior_units: yearly_prior_units(),
            yearly_block: 0,
        }
    }
}

impl ForecastConfig {
    pub fn with_horizon(horizon: usize) -> Self {
        Self {
            horizon,
            ..Self::default()
        }
    }

    pub fn season_for(&self, f: Frequency) -> usize {
        self.season.unwrap_or_else(|| f.default_season()).max(1)
    }

    pub fn window_for(&self, f: Frequency) -> usize {
        self.window.unwrap_or(match f {
            Frequency::Daily => 28,
            _ => 12,
        })
    }

    /// Check ranges; returns a message for the user.
    pub fn validate(&self) -> crate::Result<()> {
        if self.horizon == 0 {
            return Err(crate::Error::Config("horizon must be at least 1".into()));
        }
        if self.horizon > 3660 {
            return Err(crate::Error::Config(
                "horizon must be at most 3660 periods".into(),
            ));
        }
        if self.season == Some(0) {
            return Err(crate::Error::Config("season must be at least 1".into()));
        }
        // model selection indexes the first candidate: an empty list would panic there
        if self.candidates.as_ref().is_some_and(Vec::is_empty) {
            return Err(crate::Error::Config(
                "the candidate model list is empty".into(),
            ));
        }
        if !(0.0..=1.0).contains(&self.global_weight) {
            return Err(crate::Error::Config(format!(
                "global_weight must lie in [0, 1], got {}",
                self.global_weight
            )));
        }
        if self.global_weight > 0.0 && !cfg!(feature = "global") {
            return Err(crate::Error::Config(
                "global_weight needs the global model, which this build leaves out \
                 (cargo feature `global` of forestock-forecast; the CLI: \
                 `cargo build -p forestock-cli --features global`)"
                    .into(),
            ));
        }
        let wants_global = [
            (self.promo_lift == PromoLift::Global, "promo_lift"),
            (self.new_products == NewProducts::Global, "new_products"),
        ];
        if let Some((_, field)) = wants_global.iter().find(|(on, _)| *on) {
            if !cfg!(feature = "global") {
                return Err(crate::Error::Config(format!(
                    "{field} = \"global\" needs the global model, which this build leaves \
                     out (cargo feature `global` of forestock-forecast)"
                )));
            }
        }
        // (`!(x > 0)` also refuses a NaN budget; an infinite one is refused by name)
        let budget_ok = self.global_budget > 0.0 && self.global_budget.is_finite();
        if !(1.0..2.0).contains(&self.global_tweedie_power) || !budget_ok {
            return Err(crate::Error::Config(format!(
                "global model: Tweedie power {} must lie in [1, 2) and budget {} above 0",
                self.global_tweedie_power, self.global_budget
            )));
        }
        Ok(())
    }

    fn candidate_list(&self, m: usize) -> Vec<Candidate> {
        if let Some(c) = &self.candidates {
            return c.clone();
        }
        let mut out: Vec<Candidate> = ModelKind::ALL
            .iter()
            .map(|k| Candidate::plain(*k))
            .collect();
        if m > 1 {
            for k in [
                ModelKind::WindowAverage,
                ModelKind::Ses,
                ModelKind::Theta,
                ModelKind::Tsb,
            ] {
                out.push(Candidate {
                    kind: k,
                    seasonal: true,
                });
            }
        }
        out
    }
}

/// A series the run could not forecast normally, with the reason (the run goes on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesIssue {
    pub key: SeriesKey,
    pub message: String,
}

/// Raw calibration statistics of one series, pooled across series before use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Calibration {
    dispersion: Option<f64>,
    level_var: Vec<f64>,
    origins: usize,
    /// The selected forecast at each selection origin (out of sample: forecast from the
    /// origin's prefix only).
    pub(crate) backtests: Vec<Backtest>,
    /// Scale of the scaled pinball loss (in-sample mean absolute first difference).
    scale: Option<f64>,
}

/// One selection origin's out-of-sample forecast, for the quantile calibration.
#[derive(Debug, Clone, Default)]
pub(crate) struct Backtest {
    /// Periods of the prepared history before the origin (read by the test that the
    /// calibration never sees the holdout).
    #[cfg_attr(not(test), allow(dead_code))]
    pub origin: usize,
    /// Selected forecast's means, period by period from the origin.
    pub forecast: Vec<f64>,
    /// Prepared history from the origin (NaN: unknown).
    pub actual: Vec<f64>,
    /// The recent known periods before the origin, sorted (`pipeline::recent_sample`).
    pub sample: Vec<f64>,
}

/// Everything the pipeline produced for one series (backtests need the candidates too).
#[derive(Debug, Clone)]
pub(crate) struct SeriesRun {
    pub forecast: SeriesForecast,
    /// Final forecasts of each candidate (name, means) on the full history.
    pub candidates: Vec<(String, Vec<f64>)>,
    pub calibration: Calibration,
    /// Each selectable candidate's backtest error relative to their average (pilot pooling).
    pub relative: Vec<(Candidate, f64)>,
    /// Selection backtests: per origin, every candidate's forecast (only with
    /// `keep_candidates`, for reports and tests).
    pub backtests: Vec<(usize, Vec<Vec<f64>>)>,
    /// The lift put back on the series' planned promotions when it was assembled: its pooled
    /// lift, or 1 with `PromoLift::None` (the global lift replaces it later); 1 without
    /// promotion data.
    #[cfg_attr(not(feature = "global"), allow(dead_code))]
    pub promo_lift: f64,
}

/// Demand-class cut-offs on the average inter-demand interval and the squared coefficient of
/// variation of demand sizes (Syntetos, Boylan & Croston 2005, "On the categorization of
/// demand patterns", JORS 56(5)).
const ADI_CUTOFF: f64 = 1.32;
const CV2_CUTOFF: f64 = 0.49;

/// Syntetos–Boylan classification over the last year of known periods.
pub fn classify(y: &[f64], frequency: Frequency) -> DemandClass {
    let span = match frequency {
        Frequency::Daily => 365,
        Frequency::Weekly => 104,
        Frequency::Monthly => 48,
    };
    let from = y.len().saturating_sub(span);
    let known: Vec<f64> = y[from..]
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    if known.len() < 2 {
        return DemandClass::Short;
    }
    let nz: Vec<f64> = known.iter().copied().filter(|v| *v > 0.0).collect();
    if nz.is_empty() {
        return DemandClass::Zero;
    }
    let adi = known.len() as f64 / nz.len() as f64;
    let mean = nz.iter().sum::<f64>() / nz.len() as f64;
    let var = nz.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / nz.len() as f64;
    let cv2 = var / (mean * mean);
    match (adi > ADI_CUTOFF, cv2 > CV2_CUTOFF) {
        (false, false) => DemandClass::Smooth,
        (false, true) => DemandClass::Erratic,
        (true, false) => DemandClass::Intermittent,
        (true, true) => DemandClass::Lumpy,
    }
}

/// Prior knowledge shared across series (pooled promotion lift).
#[derive(Debug, Clone, Default)]
pub(crate) struct Priors {
    pub promo_lift: Option<f64>,
    /// Mean relative backtest error of each candidate over a pilot of series, per demand group
    /// (0: smooth/erratic, 1: intermittent/lumpy).
    pub global: Option<[BTreeMap<Candidate, f64>; 2]>,
}

fn group_of(class: DemandClass) -> usize {
    match class {
        DemandClass::Intermittent | DemandClass::Lumpy => 1,
        _ => 0,
    }
}

/// In-sample MAE of the seasonal naive forecast (lag `m`) over known pairs.
pub fn seasonal_naive_mae(y: &[f64], m: usize) -> Option<f64> {
    let m = m.max(1);
    let mut s = 0.0;
    let mut n = 0usize;
    for t in m..y.len() {
        if y[t].is_finite() && y[t - m].is_finite() {
            s += (y[t] - y[t - m]).abs();
            n += 1;
        }
    }
    (n > 0).then(|| s / n as f64)
}

fn mean_finite(v: Vec<f64>) -> Option<f64> {
    let v: Vec<f64> = v.into_iter().filter(|x| x.is_finite()).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite());
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[k]
    } else {
        (v[k - 1] + v[k]) / 2.0
    })
}

/// Pooled promotion lift per group (category, else SKU) from the series' own promotion days.
fn pooled_promo(series: &[Series]) -> BTreeMap<String, f64> {
    let mut groups: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for s in series {
        if s.promo.is_empty() {
            continue;
        }
        if let Some((on, off, days)) =
            crate::prepare::promo_stats(&s.units, &s.promo, PROMO_WINDOW_DAYS)
        {
            if off > 0.0 {
                let g = s.meta.category.clone().unwrap_or_else(|| s.key.sku.clone());
                let e = groups.entry(g).or_default();
                e.0 += days as f64 * bounded_lift(on / off);
                e.1 += days as f64;
            }
        }
    }
    groups
        .into_iter()
        .filter(|(_, (_, w))| *w > 0.0)
        .map(|(g, (s, w))| (g, s / w))
        .collect()
}

/// Series in the selection pilot.
const PILOT_SERIES: usize = 150;

/// Level-error prior weight (in origins) when pooling a series' calibration with all series'.
const POOL_WEIGHT: f64 = 4.0;

/// Changes the runs before their uncertainty is pooled (the global model's blend).
pub(crate) type RunHook<'a> = &'a (dyn Fn(&mut [Result<SeriesRun, SeriesIssue>]) + Sync);

/// Run every series in parallel, then pool the calibration across series.
pub(crate) fn run_all(
    series: &[Series],
    cfg: &ForecastConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Result<SeriesRun, SeriesIssue>> {
    run_all_hooked(series, cfg, progress, &|_| {})
}

/// [`run_all`], with `hook` applied to the per-series runs before the calibration is pooled.
pub(crate) fn run_all_hooked(
    series: &[Series],
    cfg: &ForecastConfig,
    progress: &(dyn Fn(usize) + Sync),
    hook: RunHook,
) -> Vec<Result<SeriesRun, SeriesIssue>> {
    let lifts = pooled_promo(series);
    let group = |s: &Series| s.meta.category.clone().unwrap_or_else(|| s.key.sku.clone());
    // Pilot: an evenly spaced sample of series ranks the candidates per demand group; each
    // series' selection then leans on that ranking (its own 3 origins are a noisy judge).
    let global = if cfg.pool_selection && cfg.candidates.as_ref().is_none_or(|c| c.len() > 1) {
        let step = series.len().div_ceil(PILOT_SERIES).max(1);
        let pilot: Vec<&Series> = series.iter().step_by(step).collect();
        let rel: Vec<(usize, Vec<(Candidate, f64)>)> = pilot
            .par_iter()
            .filter_map(|s| {
                let priors = Priors {
                    promo_lift: lifts.get(&group(s)).copied(),
                    global: None,
                };
                let r = run_series(s, cfg, &priors).ok()?;
                Some((group_of(r.forecast.class), r.relative))
            })
            .collect();
        let mut sums: [BTreeMap<Candidate, (f64, f64)>; 2] = Default::default();
        for (g, rs) in rel {
            for (c, v) in rs {
                let e = sums[g].entry(c).or_default();
                e.0 += v;
                e.1 += 1.0;
            }
        }
        let [a, b] = sums.map(|m| m.into_iter().map(|(c, (s, n))| (c, s / n)).collect());
        Some([a, b])
    } else {
        None
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut runs: Vec<Result<SeriesRun, SeriesIssue>> = series
        .par_iter()
        .map(|s| {
            let priors = Priors {
                promo_lift: lifts.get(&group(s)).copied(),
                global: global.clone(),
            };
            let r = run_series(s, cfg, &priors);
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(d);
            r
        })
        .collect();
    hook(&mut runs);
    if cfg.yearly_adjust {
        yearly::adjust(
            series,
            &mut runs,
            cfg.horizon,
            cfg.window_for(Frequency::Daily),
            match cfg.yearly_block {
                0 => cfg.horizon,
                b => b,
            },
            cfg.yearly_prior_units.max(0.0),
        );
    }
    let disp0 = median(
        runs.iter()
            .filter_map(|r| r.as_ref().ok()?.calibration.dispersion)
            .collect(),
    )
    .unwrap_or(DEFAULT_DISPERSION);
    let lv0 = mean_finite(
        runs.iter()
            .filter_map(|r| r.as_ref().ok())
            .filter(|r| !r.calibration.level_var.is_empty())
            .map(|r| {
                let v = &r.calibration.level_var;
                v.iter().sum::<f64>() / v.len() as f64
            })
            .collect(),
    )
    .unwrap_or(DEFAULT_LEVEL_VAR);
    for run in runs.iter_mut().flatten() {
        finalize_uncertainty(run, disp0, lv0);
        if !matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            run.forecast.uncertainty.level_cv *= cfg.level_inflation.max(0.0).sqrt();
        }
    }
    let maps = levels::quantile_calibrations(&runs, cfg);
    for run in runs.iter_mut().flatten() {
        if !matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            run.forecast.uncertainty.calibration = maps[group_of(run.forecast.class)];
        }
    }
    runs
}

/// Pooled level variance when no series measured one: a level CV of 0.5.
const DEFAULT_LEVEL_VAR: f64 = 0.25;

/// Level variance prior of a series forecast on its own ([`forecast_series`], no other series
/// to pool with): a level CV of about 0.32.
const SINGLE_SERIES_LEVEL_VAR: f64 = 0.1;

/// Floor on a short series' pooled dispersion (its own cannot be measured).
const SHORT_MIN_DISPERSION: f64 = 0.5;

pub(crate) fn finalize_uncertainty(run: &mut SeriesRun, disp0: f64, lv0: f64) {
    let c = &run.calibration;
    match run.forecast.model.as_str() {
        "zero" => return,
        "short_average" => {
            run.forecast.uncertainty = Uncertainty {
                dispersion: disp0.max(SHORT_MIN_DISPERSION),
                level_cv: lv0.sqrt().max(SHORT_LEVEL_CV),
                calibration: None,
            };
            return;
        }
        _ => {}
    }
    let k = c.origins as f64;
    let disp = match c.dispersion {
        Some(d) => (k * d + POOL_WEIGHT * disp0) / (k + POOL_WEIGHT),
        None => disp0,
    };
    let own = if c.level_var.is_empty() {
        lv0
    } else {
        c.level_var.iter().sum::<f64>() / c.level_var.len() as f64
    };
    let lv = (k * own + POOL_WEIGHT * lv0) / (k + POOL_WEIGHT);
    run.forecast.uncertainty = Uncertainty {
        dispersion: disp.max(0.0),
        level_cv: lv.sqrt(),
        calibration: None,
    };
}

/// Forecast every series. The result has one entry per input series, in input order; a series
/// that cannot be forecast gives a [`SeriesIssue`] and the others go on. `progress(done)` is
/// called from worker threads after each series.
///
/// With [`ForecastConfig::global_weight`] above 0, [`PromoLift::Global`] and a planned
/// promotion, or [`NewProducts::Global`] (cargo feature `global`), the run first trains the
/// global model on `series`; if it cannot (too little history), every series gets a note, the
/// local forecast, the pooled promotion lift and its analogs.
pub fn forecast_all(
    series: &[Series],
    cfg: &ForecastConfig,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Result<SeriesForecast, SeriesIssue>> {
    #[cfg(feature = "global")]
    if global_wanted(series, cfg) {
        let trained = if cfg.global_weight > 0.0 {
            crate::global::train(series, cfg)
        } else {
            crate::global::train_last(series, cfg)
        };
        return match trained {
            Ok(models) => forecast_all_with_global(series, cfg, &models, progress),
            Err(e) => {
                let note = format!("global model not used: {e}");
                let mut out = finish(series, run_all(series, cfg, progress));
                for f in out.iter_mut().flatten() {
                    f.notes.push(note.clone());
                }
                out
            }
        };
    }
    finish(series, run_all(series, cfg, progress))
}

/// Whether the run needs the global model: blended in, for its planned promotions' lift, or
/// for new products (trained whatever the series: which of them is too short to select on is
/// known only after the engine's preparation).
#[cfg(feature = "global")]
fn global_wanted(series: &[Series], cfg: &ForecastConfig) -> bool {
    cfg.global_weight > 0.0
        || (cfg.promo_lift == PromoLift::Global
            && series.iter().any(|s| s.future_promo.contains(&true)))
        || cfg.new_products == NewProducts::Global
}

/// [`forecast_all`] with global models already trained on `series` (`global::train`): the
/// protocol times training and forecasting apart. The global model gives the planned
/// promotions' lift with `PromoLift::Global` and is blended in with `global_weight` above 0.
#[cfg(feature = "global")]
pub fn forecast_all_with_global(
    series: &[Series],
    cfg: &ForecastConfig,
    models: &crate::global::GlobalModels,
    progress: &(dyn Fn(usize) + Sync),
) -> Vec<Result<SeriesForecast, SeriesIssue>> {
    let hook = |runs: &mut [Result<SeriesRun, SeriesIssue>]| {
        if cfg.promo_lift == PromoLift::Global {
            crate::global::promo_lifts(series, runs, &models.last, cfg);
        }
        if cfg.global_weight > 0.0 {
            crate::global::blend(series, runs, models, cfg);
        }
    };
    let mut out = finish(series, run_all_hooked(series, cfg, progress, &hook));
    if cfg.new_products == NewProducts::Global {
        crate::global::new_products(series, &mut out, &models.last, cfg);
    }
    out
}

fn finish(
    series: &[Series],
    runs: Vec<Result<SeriesRun, SeriesIssue>>,
) -> Vec<Result<SeriesForecast, SeriesIssue>> {
    let mut out: Vec<_> = runs.into_iter().map(|r| r.map(|r| r.forecast)).collect();
    crate::analogs::apply_analogs(series, &mut out);
    out
}

/// Forecast one series on its own (uncertainty pooled only with built-in priors).
pub fn forecast_series(
    series: &Series,
    cfg: &ForecastConfig,
) -> Result<SeriesForecast, SeriesIssue> {
    let mut run = run_series(series, cfg, &Priors::default())?;
    finalize_uncertainty(&mut run, DEFAULT_DISPERSION, SINGLE_SERIES_LEVEL_VAR);
    Ok(run.forecast)
}

#[cfg(test)]
mod tests;
