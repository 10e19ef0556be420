//! Policy simulation: replay the recommended policy over the held-out end of a history.
//!
//! Protocol (the same as the peer benchmark `shared/bench/inventory_sim.py`, except that our
//! policy re-plans at every review with only the data known by then):
//! - periodic review every `review` days from the holdout origin; orders arrive `lead_time` days
//!   later at the start of the day; demand is the actual history; unmet demand is lost;
//! - every policy starts with its own first order-up-to level on hand and nothing on order;
//! - our policy: at review day `t` the forecast engine is re-run on the history up to `t`, and the
//!   order-up-to level is a quantile of its distribution of demand over `review + lead_time` days
//!   ([`crate::policy::levels`]), at the level that achieved the target service in the same replay
//!   over the `holdout` days before the holdout ([`crate::calibration`]);
//! - the spreadsheet rule: order up to `baseline_cover` days of the last `baseline_window` days'
//!   average sales (it sees holdout sales as they happen).
//!
//! Metrics are pooled over series: fill rate = units sold / units demanded; stockout days = mean
//! per series of days with lost sales; average on hand = mean end-of-day units (and value at the
//! series' price); cycle service = share of (series, review cycle) pairs without lost sales.

use forestock_forecast::{
    forecast_all, DemandDistribution, ForecastConfig, Series, SeriesForecast,
};
use serde::{Deserialize, Serialize};

use std::sync::OnceLock;

use rayon::prelude::*;

mod options;
pub use options::SimOptions;

use crate::calibration::{grid, LevelCalibration};
use crate::error::{Error, Result};
use crate::policy::{
    check_service_level, check_stockout_day_worth, levels, stock_curve, worth_for_budget, LeadTime,
    StockCurve,
};

/// Options of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    pub lead_time: usize,
    pub review: usize,
    pub service_level: f64,
    pub holdout: usize,
    pub baseline_cover: f64,
    pub baseline_window: usize,
    /// Lowest expected fill rate a series is stocked for ([`crate::policy::levels`]); 0 = off.
    pub fill_rate_floor: f64,
    pub forecast: ForecastConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            lead_time: 7,
            review: 7,
            service_level: 0.95,
            holdout: 28,
            baseline_cover: 30.0,
            baseline_window: 28,
            fill_rate_floor: 0.0,
            forecast: ForecastConfig::default(),
        }
    }
}

impl SimConfig {
    pub fn validate(&self) -> Result<()> {
        if self.lead_time == 0 {
            return Err(Error::invalid("lead time", "must be at least 1 day"));
        }
        if self.review == 0 {
            return Err(Error::invalid("review period", "must be at least 1 day"));
        }
        if self.holdout == 0 {
            return Err(Error::invalid("holdout", "must be at least 1 day"));
        }
        if self.baseline_window == 0 {
            return Err(Error::invalid("baseline window", "must be at least 1 day"));
        }
        if !(self.baseline_cover.is_finite() && self.baseline_cover > 0.0) {
            return Err(Error::invalid(
                "baseline cover",
                format!("must be more than 0 days (got {})", self.baseline_cover),
            ));
        }
        check_fill_rate_floor(self.fill_rate_floor)?;
        check_service_level(self.service_level)
    }
}

/// Cycle-service level under a fill-rate target ([`Prepared::fill_rate_policy`]).
pub const FILL_RATE_BASE_LEVEL: f64 = 0.5;

fn check_fill_rate_floor(f: f64) -> Result<()> {
    if f.is_finite() && (0.0..1.0).contains(&f) {
        Ok(())
    } else {
        Err(Error::invalid(
            "fill-rate floor",
            format!("must be at least 0 (off) and below 1 (got {f})"),
        ))
    }
}

/// Results of one policy over all series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SimMetrics {
    pub fill_rate: f64,
    pub stockout_days: f64,
    pub avg_on_hand_units: f64,
    pub avg_on_hand_value: f64,
    pub cycle_service_level: f64,
    /// Total on hand / total demand: average days of stock.
    pub cover_days: f64,
}

/// Both policies side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimReport {
    pub policy: SimMetrics,
    pub baseline: SimMetrics,
    pub series: usize,
    /// Series skipped because their history is shorter than twice the holdout plus 28 days.
    pub skipped: usize,
    /// Reviews where the forecast engine failed and a 28-day average was used instead.
    pub fallbacks: usize,
}

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub policy: String,
    pub param: f64,
    #[serde(flatten)]
    pub metrics: SimMetrics,
}

/// Forecasts made at every review, reusable across service levels.
pub struct Prepared {
    /// Per series: actual holdout demand, history before the holdout (for the baseline), price.
    demand: Vec<Vec<f64>>,
    before: Vec<Vec<f64>>,
    price: Vec<f64>,
    /// `forecasts[r][i]`: forecast for series `i` made at review `r`.
    forecasts: Vec<Vec<Option<SeriesForecast>>>,
    /// Target service level -> quantile level, learned on the window before the holdout.
    calibration: LevelCalibration,
    /// `curves[i][r]`: stockout days and stock of every order-up-to level of series `i` at
    /// review `r` ([`crate::policy::stock_curve`]), built on first use by the marginal and
    /// budget policies.
    curves: OnceLock<Vec<Vec<StockCurve>>>,
    skipped: usize,
    fallbacks: usize,
    cfg: SimConfig,
}

fn clean(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

/// Forecast every series at every review day of the holdout with only the data known then.
pub fn prepare(series: &[Series], cfg: &SimConfig) -> Result<Prepared> {
    cfg.validate()?;
    // The holdout, the calibration window of the same length before it, and 28 days before that.
    let min_len = 2 * cfg.holdout + 28;
    let usable: Vec<&Series> = series.iter().filter(|s| s.units.len() >= min_len).collect();
    let skipped = series.len() - usable.len();
    if usable.is_empty() {
        return Err(Error::Empty(format!(
            "no series has the {min_len} days of history a {}-day holdout needs",
            cfg.holdout
        )));
    }
    let mut fcfg = cfg.forecast.clone();
    fcfg.horizon = cfg.review + cfg.lead_time;
    fcfg.validate()?;
    let mut demand = Vec::with_capacity(usable.len());
    let mut before = Vec::with_capacity(usable.len());
    let mut price = Vec::with_capacity(usable.len());
    for s in &usable {
        let cut = s.units.len() - cfg.holdout;
        demand.push(s.units[cut..].iter().copied().map(clean).collect());
        before.push(s.units[..cut].iter().copied().map(clean).collect());
        price.push(s.meta.price.map_or(0.0, clean));
    }
    let run = |end: usize, t: usize| -> Vec<Option<SeriesForecast>> {
        let known: Vec<Series> = usable
            .iter()
            .map(|s| s.truncated(s.units.len() - end + t))
            .collect();
        forecast_all(&known, &fcfg, &|_| {})
            .into_iter()
            .map(Result::ok)
            .collect()
    };
    let mut forecasts = Vec::new();
    let mut fallbacks = 0;
    for t in (0..cfg.holdout).step_by(cfg.review) {
        let row = run(cfg.holdout, t);
        fallbacks += row.iter().filter(|f| f.is_none()).count();
        forecasts.push(row);
    }
    // Calibration: the same replay over the `holdout` days just before the holdout, with
    // forecasts made the same way. Reviews whose order would arrive after that window cannot
    // change it, so they are not forecast. No holdout demand is used.
    let mut calib_forecasts = Vec::new();
    for t in (0..cfg.holdout).step_by(cfg.review) {
        if t == 0 || t + cfg.lead_time < cfg.holdout {
            calib_forecasts.push(run(2 * cfg.holdout, t));
        }
    }
    let mut p = Prepared {
        demand,
        before,
        price,
        forecasts,
        calibration: LevelCalibration::default(),
        curves: OnceLock::new(),
        skipped,
        fallbacks,
        cfg: cfg.clone(),
    };
    p.calibration = p.calibrate(&calib_forecasts);
    Ok(p)
}

/// Lost-sales periodic-review replay. `target(i, t, known)` is the order-up-to level of series
/// `i` at review day `t`, given the demand observed so far.
fn replay(p: &Prepared, target: &(dyn Fn(usize, usize) -> f64 + Sync)) -> SimMetrics {
    let demand: Vec<&[f64]> = p.demand.iter().map(Vec::as_slice).collect();
    replay_on(p, &demand, target)
}

/// [`replay`] over any per-series demand window of `holdout` days.
fn replay_on(
    p: &Prepared,
    demand: &[&[f64]],
    target: &(dyn Fn(usize, usize) -> f64 + Sync),
) -> SimMetrics {
    let (review, lead, h) = (p.cfg.review, p.cfg.lead_time, p.cfg.holdout);
    let mut sold_total = 0.0;
    let mut demand_total = 0.0;
    let mut stockout_days = 0usize;
    let mut oh_sum = 0.0;
    let mut value_sum = 0.0;
    let mut cycles = 0usize;
    let mut good_cycles = 0usize;
    for (i, y) in demand.iter().enumerate() {
        let mut arrivals = vec![0.0; h + lead + 1];
        let mut on_order = 0.0;
        let mut on_hand = target(i, 0).max(0.0).ceil();
        let mut cycle_lost = false;
        for (t, &d) in y.iter().enumerate() {
            on_hand += arrivals[t];
            on_order -= arrivals[t];
            if t % review == 0 {
                if t > 0 {
                    cycles += 1;
                    good_cycles += usize::from(!cycle_lost);
                }
                cycle_lost = false;
                let q = (target(i, t) - on_hand - on_order).max(0.0).ceil();
                arrivals[t + lead] += q;
                on_order += q;
            }
            let s = d.min(on_hand);
            sold_total += s;
            demand_total += d;
            if d - s > 0.0 {
                stockout_days += 1;
                cycle_lost = true;
            }
            on_hand -= s;
            oh_sum += on_hand;
            value_sum += on_hand * p.price[i];
        }
        cycles += 1;
        good_cycles += usize::from(!cycle_lost);
    }
    let n = demand.len().max(1) as f64;
    let cells = (demand.len() * h).max(1) as f64;
    SimMetrics {
        fill_rate: if demand_total > 0.0 {
            sold_total / demand_total
        } else {
            1.0
        },
        stockout_days: stockout_days as f64 / n,
        avg_on_hand_units: oh_sum / cells,
        avg_on_hand_value: value_sum / cells,
        cycle_service_level: good_cycles as f64 / cycles.max(1) as f64,
        cover_days: if demand_total > 0.0 {
            oh_sum / demand_total
        } else {
            0.0
        },
    }
}

impl Prepared {
    /// Series replayed.
    pub fn series_count(&self) -> usize {
        self.demand.len()
    }

    /// The service-level calibration learned on the window before the holdout.
    pub fn calibration(&self) -> &LevelCalibration {
        &self.calibration
    }

    /// Order-up-to levels `[series][review]` at quantile level `level` from forecasts made at
    /// the reviews of a window starting `start` days into the history (`forecasts[r][i]`). The
    /// last row is reused for later reviews.
    fn order_up_to(
        &self,
        forecasts: &[Vec<Option<SeriesForecast>>],
        start: &dyn Fn(usize) -> usize,
        level: f64,
        floor: f64,
    ) -> Vec<Vec<f64>> {
        let (review, lead) = (self.cfg.review, self.cfg.lead_time);
        let lt = LeadTime::fixed(lead as f64);
        (0..self.demand.len())
            .map(|i| {
                forecasts
                    .iter()
                    .enumerate()
                    .map(|(r, row)| match &row[i] {
                        // the engine's calibrated window level, as `plan` reads it
                        Some(f) => {
                            let level = f.window_level(review + lead, level);
                            levels(&|s, l| f.window(s, l), review, &lt, level, 0.0, floor)
                                .order_up_to
                        }
                        None => {
                            let at = start(i) + r * review;
                            let w = |_s: usize, l: usize| self.fallback_window(i, at, l);
                            levels(&w, review, &lt, level, 0.0, floor).order_up_to
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Replay the policy over the window before the holdout at every level of
    /// [`grid`] and keep the achieved cycle service curve.
    fn calibrate(&self, forecasts: &[Vec<Option<SeriesForecast>>]) -> LevelCalibration {
        let (review, h) = (self.cfg.review, self.cfg.holdout);
        let demand: Vec<&[f64]> = self.before.iter().map(|b| &b[b.len() - h..]).collect();
        let start = |i: usize| self.before[i].len() - h;
        let curve = grid().into_iter().map(|p| {
            let targets = self.order_up_to(forecasts, &start, p, self.cfg.fill_rate_floor);
            let m = replay_on(self, &demand, &|i, t| {
                let row = &targets[i];
                row[(t / review).min(row.len() - 1)]
            });
            (p, m.cycle_service_level)
        });
        LevelCalibration::from_curve(curve.collect::<Vec<_>>())
    }

    /// Our policy at a target cycle service level: the quantile level used is the calibrated
    /// one ([`LevelCalibration::level`]).
    pub fn policy(&self, service_level: f64) -> Result<SimMetrics> {
        self.policy_with_floor(service_level, self.cfg.fill_rate_floor)
    }

    /// [`Prepared::policy`] with another fill-rate floor than the configuration's.
    pub fn policy_with_floor(
        &self,
        service_level: f64,
        fill_rate_floor: f64,
    ) -> Result<SimMetrics> {
        check_service_level(service_level)?;
        check_fill_rate_floor(fill_rate_floor)?;
        let level = self.calibration.level(service_level);
        let review = self.cfg.review;
        let start = |i: usize| self.before[i].len();
        // Order-up-to levels for every (series, review), computed once.
        let targets = self.order_up_to(&self.forecasts, &start, level, fill_rate_floor);
        Ok(replay(self, &|i, t| targets[i][t / review]))
    }

    /// A fill-rate target: every series stocked to the smallest order-up-to level whose
    /// expected fill rate reaches `fill_rate` ([`crate::policy::levels`]' fill-rate floor over
    /// the cycle-service level [`FILL_RATE_BASE_LEVEL`], which alone stocks less almost
    /// everywhere). `forestock plan` gives the same levels with service levels of 0.5 and the
    /// `fill_rate_floor` setting.
    pub fn fill_rate_policy(&self, fill_rate: f64) -> Result<SimMetrics> {
        self.policy_with_floor(FILL_RATE_BASE_LEVEL, fill_rate)
    }

    /// The [`StockCurve`] of every series at every review, from the same forecasts (or
    /// fallback windows) the other policies read.
    fn stock_curves(&self) -> &[Vec<StockCurve>] {
        self.curves.get_or_init(|| {
            let (review, lead) = (self.cfg.review, self.cfg.lead_time);
            let lt = LeadTime::fixed(lead as f64);
            (0..self.demand.len())
                .into_par_iter()
                .map(|i| {
                    self.forecasts
                        .iter()
                        .enumerate()
                        .map(|(r, row)| match &row[i] {
                            Some(f) => stock_curve(&|s, l| f.window(s, l), review, &lt),
                            None => {
                                let at = self.before[i].len() + r * review;
                                let w = |_s: usize, l: usize| self.fallback_window(i, at, l);
                                stock_curve(&w, review, &lt)
                            }
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// The marginal allocation: every series at every review stocked to the order-up-to
    /// level minimising expected stock + `worth` × expected stockout days
    /// ([`StockCurve::level`]; `worth` in unit-days of stock per stockout day avoided).
    pub fn marginal_policy(&self, worth: f64) -> Result<SimMetrics> {
        check_stockout_day_worth(worth)?;
        if worth <= 0.0 {
            return Err(Error::invalid(
                "stockout-day worth",
                "must be more than 0 for the marginal policy",
            ));
        }
        let review = self.cfg.review;
        let targets: Vec<Vec<f64>> = self
            .stock_curves()
            .iter()
            .map(|row| row.iter().map(|c| c.level(worth)).collect())
            .collect();
        Ok(replay(self, &|i, t| targets[i][t / review]))
    }

    /// A stock budget: at every review, the marginal allocation whose expected stock
    /// ([`StockCurve::on_hand`] summed over series) is at most `units_per_series` × the number
    /// of series, its worth found by bisection ([`crate::policy::worth_for_budget`]). The
    /// budget is in units, as the simulation measures stock.
    pub fn budget_policy(&self, units_per_series: f64) -> Result<SimMetrics> {
        if !(units_per_series.is_finite() && units_per_series > 0.0) {
            return Err(Error::invalid(
                "stock budget",
                format!("must be more than 0 units (got {units_per_series})"),
            ));
        }
        let review = self.cfg.review;
        let curves = self.stock_curves();
        let budget = units_per_series * curves.len() as f64;
        let targets: Vec<Vec<f64>> = (0..self.forecasts.len())
            .map(|r| {
                let at_r: Vec<StockCurve> = curves.iter().map(|row| row[r].clone()).collect();
                let worth = worth_for_budget(&at_r, budget);
                at_r.iter().map(|c| c.level(worth)).collect()
            })
            .collect();
        Ok(replay(self, &|i, t| targets[t / review][i]))
    }

    /// Poisson-like window from the last 28 days known at day `at` of the whole history.
    fn fallback_window(&self, i: usize, at: usize, len: usize) -> DemandDistribution {
        let mut known: Vec<f64> = self.before[i].clone();
        known.extend_from_slice(&self.demand[i]);
        known.truncate(at);
        let tail = &known[known.len().saturating_sub(28)..];
        let rate = tail.iter().sum::<f64>() / tail.len().max(1) as f64;
        let m = rate * len as f64;
        DemandDistribution::from_moments(m, 2.0 * m + 0.25 * m * m)
    }

    /// The spreadsheet rule: order up to `cover` days of the trailing average.
    pub fn baseline(&self, cover: f64) -> SimMetrics {
        let w = self.cfg.baseline_window;
        replay(self, &|i, t| {
            let before = &self.before[i];
            let from_before = w.saturating_sub(t);
            let a = &before[before.len().saturating_sub(from_before)..];
            let b = &self.demand[i][t.saturating_sub(w)..t];
            let n = (a.len() + b.len()).max(1) as f64;
            cover * (a.iter().sum::<f64>() + b.iter().sum::<f64>()) / n
        })
    }

    pub fn report(&self) -> Result<SimReport> {
        Ok(SimReport {
            policy: self.policy(self.cfg.service_level)?,
            baseline: self.baseline(self.cfg.baseline_cover),
            series: self.demand.len(),
            skipped: self.skipped,
            fallbacks: self.fallbacks,
        })
    }

    /// The trade-off curve: our policy over service levels and the rule over cover lengths.
    pub fn sweep(&self, levels: &[f64], covers: &[f64]) -> Result<Vec<SweepPoint>> {
        self.sweep_with_fill_rates(levels, &[], covers)
    }

    /// [`Prepared::sweep`] with our policy at fill-rate targets too (points named
    /// `fill_rate`, [`Prepared::fill_rate_policy`]).
    pub fn sweep_with_fill_rates(
        &self,
        levels: &[f64],
        fill_rates: &[f64],
        covers: &[f64],
    ) -> Result<Vec<SweepPoint>> {
        self.sweep_all(
            &Ours {
                levels,
                fill_rates,
                stockout_worths: &[],
                budgets: &[],
            },
            covers,
        )
    }

    /// Every policy of ours in `ours` (points named `policy`, `fill_rate`, `marginal`
    /// ([`Prepared::marginal_policy`]) and `budget` ([`Prepared::budget_policy`])) and the
    /// rule over `covers` (`baseline`).
    pub fn sweep_all(&self, ours: &Ours<'_>, covers: &[f64]) -> Result<Vec<SweepPoint>> {
        let Ours {
            levels,
            fill_rates,
            stockout_worths,
            budgets,
        } = *ours;
        type Run = fn(&Prepared, f64) -> Result<SimMetrics>;
        let ours: [(&str, &[f64], Run); 4] = [
            ("policy", levels, Prepared::policy),
            ("fill_rate", fill_rates, Prepared::fill_rate_policy),
            ("marginal", stockout_worths, Prepared::marginal_policy),
            ("budget", budgets, Prepared::budget_policy),
        ];
        let mut out = Vec::new();
        for (policy, params, run) in ours {
            for &param in params {
                out.push(SweepPoint {
                    policy: policy.into(),
                    param,
                    metrics: run(self, param)?,
                });
            }
        }
        for &c in covers {
            out.push(SweepPoint {
                policy: "baseline".into(),
                param: c,
                metrics: self.baseline(c),
            });
        }
        Ok(out)
    }
}

/// Our policies of a sweep: cycle-service levels, fill-rate targets, stockout-day worths
/// (unit-days of stock per stockout day avoided) and stock budgets (units per series).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ours<'a> {
    pub levels: &'a [f64],
    pub fill_rates: &'a [f64],
    pub stockout_worths: &'a [f64],
    pub budgets: &'a [f64],
}

/// One policy setting over several replay windows: each metric's mean and spread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowedPoint {
    pub policy: String,
    pub param: f64,
    pub mean: SimMetrics,
    /// Sample standard deviation across windows (0 with one window).
    pub sd: SimMetrics,
    /// Window 0 is the most recent.
    pub per_window: Vec<SimMetrics>,
}

/// Whether some service level beats a cover rule on both stockout days and stock, in every
/// sense the windows allow: the mean paired difference (rule − policy, window by window) of
/// each metric is positive and larger than its spread across windows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleComparison {
    pub cover_days: f64,
    /// Which of our policies `level` is a parameter of: `policy` (a cycle-service level),
    /// `fill_rate` (a fill-rate target), `marginal` (a stockout-day worth in unit-days) or
    /// `budget` (a stock budget in units per series).
    #[serde(default = "policy_name")]
    pub policy: String,
    /// The winning service level with the most fewer stockout days, if any wins.
    pub best_level: Option<f64>,
    /// At that level (or, with no winner, at the level closest to winning): mean and spread
    /// of the paired differences, and the relative changes of the means.
    pub level: f64,
    pub fewer_stockout_days: f64,
    pub fewer_stockout_days_sd: f64,
    pub less_on_hand_units: f64,
    pub less_on_hand_units_sd: f64,
    /// Policy's stockout days and stock as shares of the rule's (means over windows).
    pub stockout_days_ratio: f64,
    pub on_hand_ratio: f64,
}

/// [`Prepared::sweep`] over `windows` consecutive replay windows of `cfg.holdout` days
/// ending at the end of the data (window `w` ends `w × holdout` days before it; each window's
/// policy is calibrated and forecast with only the data before that window's days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowsReport {
    pub windows: usize,
    /// Series replayed in each window (a series too short for a window is skipped there).
    pub series: Vec<usize>,
    pub points: Vec<WindowedPoint>,
    pub rules: Vec<RuleComparison>,
}

fn policy_name() -> String {
    "policy".into()
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len().max(1) as f64;
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

impl SimMetrics {
    fn to_array(self) -> [f64; 6] {
        [
            self.fill_rate,
            self.stockout_days,
            self.avg_on_hand_units,
            self.avg_on_hand_value,
            self.cycle_service_level,
            self.cover_days,
        ]
    }

    fn from_array(a: [f64; 6]) -> Self {
        let [fill_rate, stockout_days, avg_on_hand_units, avg_on_hand_value, cycle_service_level, cover_days] =
            a;
        SimMetrics {
            fill_rate,
            stockout_days,
            avg_on_hand_units,
            avg_on_hand_value,
            cycle_service_level,
            cover_days,
        }
    }
}

/// Each metric's mean and sample standard deviation across windows.
fn metrics_mean_sd(ms: &[SimMetrics]) -> (SimMetrics, SimMetrics) {
    let (mut mean, mut sd) = ([0.0; 6], [0.0; 6]);
    for k in 0..6 {
        let col: Vec<f64> = ms.iter().map(|m| m.to_array()[k]).collect();
        (mean[k], sd[k]) = mean_sd(&col);
    }
    (SimMetrics::from_array(mean), SimMetrics::from_array(sd))
}

/// Compare every service level of `points` with the cover rule `cover` (both must be in
/// `points`); see [`RuleComparison`].
fn compare_with_rule(points: &[WindowedPoint], cover: f64) -> Option<RuleComparison> {
    let rule = points
        .iter()
        .find(|p| p.policy == "baseline" && p.param == cover)?;
    let mut best: Option<RuleComparison> = None;
    for p in points.iter().filter(|p| p.policy != "baseline") {
        let paired = |f: fn(&SimMetrics) -> f64| {
            let d: Vec<f64> = rule
                .per_window
                .iter()
                .zip(&p.per_window)
                .map(|(r, q)| f(r) - f(q))
                .collect();
            mean_sd(&d)
        };
        let (so, so_sd) = paired(|m| m.stockout_days);
        let (oh, oh_sd) = paired(|m| m.avg_on_hand_units);
        let wins = so > 0.0 && oh > 0.0 && so > so_sd && oh > oh_sd;
        let c = RuleComparison {
            cover_days: cover,
            policy: p.policy.clone(),
            best_level: wins.then_some(p.param),
            level: p.param,
            fewer_stockout_days: so,
            fewer_stockout_days_sd: so_sd,
            less_on_hand_units: oh,
            less_on_hand_units_sd: oh_sd,
            stockout_days_ratio: ratio(p.mean.stockout_days, rule.mean.stockout_days),
            on_hand_ratio: ratio(p.mean.avg_on_hand_units, rule.mean.avg_on_hand_units),
        };
        // Winners first, by stockout days saved; without a winner, the level whose worse
        // margin (in spreads) is the least bad.
        let margin = |c: &RuleComparison| {
            ((c.fewer_stockout_days - c.fewer_stockout_days_sd)
                / c.fewer_stockout_days_sd.max(1e-9))
            .min(
                (c.less_on_hand_units - c.less_on_hand_units_sd)
                    / c.less_on_hand_units_sd.max(1e-9),
            )
        };
        let better = match &best {
            None => true,
            Some(b) => match (b.best_level.is_some(), c.best_level.is_some()) {
                (false, true) => true,
                (true, false) => false,
                (true, true) => c.fewer_stockout_days > b.fewer_stockout_days,
                (false, false) => margin(&c) > margin(b),
            },
        };
        if better {
            best = Some(c);
        }
    }
    best
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// Sweep our policy over `levels` and the cover rule over `covers` in `windows` replay
/// windows; `compare` names the covers to compare every level with.
pub fn sweep_windows(
    series: &[Series],
    cfg: &SimConfig,
    windows: usize,
    levels: &[f64],
    covers: &[f64],
    compare: &[f64],
) -> Result<WindowsReport> {
    sweep_windows_before(series, cfg, 0, windows, levels, covers, compare)
}

/// [`sweep_windows`] over the `windows` windows that end `skip` windows before the end of the
/// data: older windows, to make choices on without looking at the reported ones (the report's
/// window 0 is the most recent of these).
pub fn sweep_windows_before(
    series: &[Series],
    cfg: &SimConfig,
    skip: usize,
    windows: usize,
    levels: &[f64],
    covers: &[f64],
    compare: &[f64],
) -> Result<WindowsReport> {
    sweep_windows_with(
        series,
        cfg,
        &WindowsSweep {
            skip,
            windows,
            levels,
            fill_rates: &[],
            stockout_worths: &[],
            budgets: &[],
            covers,
            compare,
        },
    )
}

/// What [`sweep_windows_with`] replays.
#[derive(Debug, Clone, Copy)]
pub struct WindowsSweep<'a> {
    /// Windows left out at the end of the data (see [`sweep_windows_before`]).
    pub skip: usize,
    pub windows: usize,
    /// Cycle-service levels of our policy.
    pub levels: &'a [f64],
    /// Fill-rate targets of our policy ([`Prepared::fill_rate_policy`]).
    pub fill_rates: &'a [f64],
    /// Stockout-day worths of the marginal allocation ([`Prepared::marginal_policy`]).
    pub stockout_worths: &'a [f64],
    /// Stock budgets, units per series ([`Prepared::budget_policy`]).
    pub budgets: &'a [f64],
    /// Cover rules replayed, and those every point of ours is compared with.
    pub covers: &'a [f64],
    pub compare: &'a [f64],
}

/// [`sweep_windows_before`] with fill-rate targets too.
pub fn sweep_windows_with(
    series: &[Series],
    cfg: &SimConfig,
    sweep: &WindowsSweep<'_>,
) -> Result<WindowsReport> {
    let WindowsSweep {
        skip,
        windows,
        levels,
        fill_rates,
        stockout_worths,
        budgets,
        covers,
        compare,
    } = *sweep;
    if windows == 0 {
        return Err(Error::invalid("windows", "must be at least 1"));
    }
    let mut per_window: Vec<Vec<SweepPoint>> = Vec::with_capacity(windows);
    let mut counts = Vec::with_capacity(windows);
    for w in skip..skip + windows {
        let cut = w * cfg.holdout;
        let known: Vec<Series> = series
            .iter()
            .filter(|s| s.units.len() > cut)
            .map(|s| s.truncated(s.units.len() - cut))
            .collect();
        let p = prepare(&known, cfg)?;
        counts.push(p.series_count());
        let ours = Ours {
            levels,
            fill_rates,
            stockout_worths,
            budgets,
        };
        per_window.push(p.sweep_all(&ours, covers)?);
    }
    let points = per_window[0]
        .iter()
        .enumerate()
        .map(|(k, first)| {
            let ms: Vec<SimMetrics> = per_window.iter().map(|w| w[k].metrics).collect();
            let (mean, sd) = metrics_mean_sd(&ms);
            WindowedPoint {
                policy: first.policy.clone(),
                param: first.param,
                mean,
                sd,
                per_window: ms,
            }
        })
        .collect::<Vec<_>>();
    let rules = compare
        .iter()
        .filter_map(|&c| compare_with_rule(&points, c))
        .collect();
    Ok(WindowsReport {
        windows,
        series: counts,
        points,
        rules,
    })
}

/// Prepare and report in one call.
pub fn simulate(series: &[Series], cfg: &SimConfig) -> Result<SimReport> {
    prepare(series, cfg)?.report()
}

/// The service levels and cover rules of a sweep (`forestock policy-sim --sweep`), and the
/// cover rules a windowed sweep compares the levels with.
pub const SWEEP_LEVELS: [f64; 11] = [
    0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
];
pub const SWEEP_COVERS: [f64; 6] = [7.0, 14.0, 21.0, 30.0, 45.0, 60.0];
/// Fill-rate targets of a windowed sweep ([`Prepared::fill_rate_policy`]).
pub const SWEEP_FILL_RATES: [f64; 11] = [
    0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
];
/// Stockout-day worths (unit-days of stock per stockout day avoided) of a windowed sweep
/// ([`Prepared::marginal_policy`]).
/// Chosen on the four windows before the reported ones (see the plan README).
pub const SWEEP_STOCKOUT_WORTHS: [f64; 12] = [
    20.0, 50.0, 100.0, 200.0, 300.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 3000.0, 5000.0,
];
/// Stock budgets (units per series) of a windowed sweep ([`Prepared::budget_policy`]),
/// chosen on the same older windows.
pub const SWEEP_BUDGETS: [f64; 10] = [15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0, 75.0, 90.0, 110.0];
pub const COMPARED_COVERS: [f64; 4] = [14.0, 21.0, 30.0, 45.0];

impl SimReport {
    /// Both policies side by side as JSON, with the options and the wall time.
    pub fn json(&self, cfg: &SimConfig, seconds: f64) -> serde_json::Value {
        serde_json::json!({
            "policy": self.policy, "baseline": self.baseline, "series": self.series,
            "skipped": self.skipped, "fallbacks": self.fallbacks,
            "config": {"lead_time": cfg.lead_time, "review": cfg.review,
                       "service_level": cfg.service_level, "holdout": cfg.holdout,
                       "baseline_cover": cfg.baseline_cover},
            "seconds": seconds,
        })
    }

    /// Both policies side by side as text, with the options and the wall time.
    pub fn text(&self, cfg: &SimConfig, secs: f64) -> String {
        let r = self;
        let mut o = format!(
            "{} series, last {} days replayed, lead time {} d, review {} d ({secs:.1} s)\n",
            r.series, cfg.holdout, cfg.lead_time, cfg.review
        );
        o.push_str(&format!(
            "{:<26} {:>14} {:>14}\n",
            "",
            format!("policy {:.1}%", cfg.service_level * 100.0),
            format!("cover {} d", cfg.baseline_cover)
        ));
        let (p, b) = (&r.policy, &r.baseline);
        let rows: [(&str, f64, f64, usize); 6] = [
            ("fill rate", p.fill_rate, b.fill_rate, 4),
            (
                "stockout days / series",
                p.stockout_days,
                b.stockout_days,
                2,
            ),
            (
                "avg on hand (units)",
                p.avg_on_hand_units,
                b.avg_on_hand_units,
                2,
            ),
            (
                "avg on hand (value)",
                p.avg_on_hand_value,
                b.avg_on_hand_value,
                2,
            ),
            (
                "cycle service achieved",
                p.cycle_service_level,
                b.cycle_service_level,
                4,
            ),
            ("cover (days)", p.cover_days, b.cover_days, 1),
        ];
        for (name, a, b, prec) in rows {
            o.push_str(&format!("{name:<26} {a:>14.prec$} {b:>14.prec$}\n"));
        }
        if r.skipped > 0 || r.fallbacks > 0 {
            o.push_str(&format!(
                "{} series skipped (too short); {} reviews used a 28-day average fallback\n",
                r.skipped, r.fallbacks
            ));
        }
        o
    }
}

/// A sweep as a table, one row per policy setting.
pub fn sweep_text(points: &[SweepPoint]) -> String {
    let mut o = format!(
        "{:<9} {:>6} {:>9} {:>9} {:>9} {:>10} {:>8} {:>7}\n",
        "policy", "param", "fill", "so_days", "on_hand", "value", "CSL", "cover"
    );
    for p in points {
        let m = &p.metrics;
        o.push_str(&format!(
            "{:<9} {:>6} {:>9.4} {:>9.2} {:>9.2} {:>10.2} {:>8.4} {:>7.1}\n",
            p.policy,
            p.param,
            m.fill_rate,
            m.stockout_days,
            m.avg_on_hand_units,
            m.avg_on_hand_value,
            m.cycle_service_level,
            m.cover_days
        ));
    }
    o
}

impl WindowsReport {
    /// Each setting's mean ± spread across the windows, and whether a service level beats
    /// each cover rule by more than that spread.
    pub fn text(&self, holdout: usize) -> String {
        let r = self;
        let series: Vec<String> = r.series.iter().map(ToString::to_string).collect();
        let mut o = format!(
            "{} windows of {holdout} days ending at the end of the data (series per window: {}); \
             mean ± spread (sd) across windows\n",
            r.windows,
            series.join(", ")
        );
        o.push_str(&format!(
            "{:<9} {:>6} {:>15} {:>13} {:>15} {:>15} {:>9}\n",
            "policy", "param", "fill", "so_days", "on_hand", "CSL", "cover"
        ));
        for p in &r.points {
            let (m, s) = (&p.mean, &p.sd);
            o.push_str(&format!(
                "{:<9} {:>6} {:>15} {:>13} {:>15} {:>15} {:>9.1}\n",
                p.policy,
                p.param,
                format!("{:.4}±{:.4}", m.fill_rate, s.fill_rate),
                format!("{:.2}±{:.2}", m.stockout_days, s.stockout_days),
                format!("{:.2}±{:.2}", m.avg_on_hand_units, s.avg_on_hand_units),
                format!("{:.4}±{:.4}", m.cycle_service_level, s.cycle_service_level),
                m.cover_days
            ));
        }
        // A share as a percentage; the rule had none of it when it is not a number.
        let percent = |x: f64| {
            if x.is_finite() {
                format!("{:.0}%", x * 100.0)
            } else {
                "n/a: the rule has none".into()
            }
        };
        for c in &r.rules {
            o.push_str(&format!(
                "cover {} d: {} {} {}: {:.2}±{:.2} fewer stockout days per series ({} of the \
                 rule's) and {:.2}±{:.2} fewer units on hand ({} of the rule's stock)\n",
                c.cover_days,
                if c.best_level.is_some() {
                    "beaten by more than the spread by"
                } else {
                    "not beaten by more than the spread; closest"
                },
                c.policy,
                c.level,
                c.fewer_stockout_days,
                c.fewer_stockout_days_sd,
                percent(c.stockout_days_ratio),
                c.less_on_hand_units,
                c.less_on_hand_units_sd,
                percent(c.on_hand_ratio)
            ));
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use forestock_forecast::{Frequency, SeriesKey};

    fn series(name: &str, units: Vec<f64>, price: f64) -> Series {
        let mut s = Series::new(
            SeriesKey::new(name, "L"),
            Frequency::Daily,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            units,
        );
        s.meta.price = Some(price);
        s
    }

    fn quick() -> SimConfig {
        SimConfig {
            forecast: ForecastConfig {
                selection_origins: 1,
                ets_evals: 20,
                ..ForecastConfig::default()
            },
            ..SimConfig::default()
        }
    }

    #[test]
    fn constant_demand_is_served_fully() {
        let s = vec![series("A", vec![4.0; 120], 2.0)];
        let r = simulate(&s, &quick()).unwrap();
        assert_eq!(r.series, 1);
        assert!(r.policy.fill_rate > 0.999, "{:?}", r.policy);
        assert!(r.baseline.fill_rate > 0.999, "{:?}", r.baseline);
        assert!((r.baseline.avg_on_hand_value - 2.0 * r.baseline.avg_on_hand_units).abs() < 1e-9);
    }

    #[test]
    fn higher_service_levels_hold_more_stock() {
        let units: Vec<f64> = (0..150u32).map(|i| f64::from((i * 7919) % 11)).collect();
        let s = vec![series("A", units, 1.0)];
        let p = prepare(&s, &quick()).unwrap();
        let lo = p.policy(0.6).unwrap();
        let hi = p.policy(0.99).unwrap();
        assert!(hi.avg_on_hand_units > lo.avg_on_hand_units);
        assert!(hi.fill_rate >= lo.fill_rate);
    }

    #[test]
    fn fill_rate_targets_are_the_floor_over_the_base_level() {
        let units: Vec<f64> = (0..150u32)
            .map(|i| if i % 5 == 0 { f64::from(i % 3) } else { 0.0 })
            .collect();
        let s = vec![series("A", units, 1.0)];
        let p = prepare(&s, &quick()).unwrap();
        let lo = p.fill_rate_policy(0.8).unwrap();
        let hi = p.fill_rate_policy(0.99).unwrap();
        assert_eq!(lo, p.policy_with_floor(FILL_RATE_BASE_LEVEL, 0.8).unwrap());
        assert!(hi.avg_on_hand_units >= lo.avg_on_hand_units);
        assert!(hi.fill_rate >= lo.fill_rate);
        assert!(p.fill_rate_policy(1.0).is_err());
        let pts = p
            .sweep_with_fill_rates(&[0.9], &[0.8, 0.99], &[30.0])
            .unwrap();
        let names: Vec<(&str, f64)> = pts.iter().map(|x| (x.policy.as_str(), x.param)).collect();
        assert_eq!(
            names,
            [
                ("policy", 0.9),
                ("fill_rate", 0.8),
                ("fill_rate", 0.99),
                ("baseline", 30.0)
            ]
        );
        assert_eq!(pts[1].metrics, lo);
    }

    #[test]
    fn marginal_and_budget_policies_buy_fewer_stockout_days_with_more_stock() {
        let units: Vec<f64> = (0..150u32).map(|i| f64::from((i * 7919) % 11)).collect();
        let slow: Vec<f64> = (0..150u32)
            .map(|i| if i % 6 == 0 { f64::from(i % 4) } else { 0.0 })
            .collect();
        let s = vec![series("A", units, 1.0), series("B", slow, 1.0)];
        let p = prepare(&s, &quick()).unwrap();
        let lo = p.marginal_policy(5.0).unwrap();
        let hi = p.marginal_policy(2000.0).unwrap();
        assert!(hi.avg_on_hand_units > lo.avg_on_hand_units, "{lo:?} {hi:?}");
        assert!(hi.stockout_days <= lo.stockout_days, "{lo:?} {hi:?}");
        let small = p.budget_policy(2.0).unwrap();
        let big = p.budget_policy(40.0).unwrap();
        assert!(big.avg_on_hand_units > small.avg_on_hand_units);
        assert!(big.stockout_days <= small.stockout_days);
        assert!(p.marginal_policy(0.0).is_err());
        assert!(p.marginal_policy(f64::NAN).is_err());
        assert!(p.budget_policy(0.0).is_err());
        let pts = p
            .sweep_all(
                &Ours {
                    levels: &[0.9],
                    fill_rates: &[],
                    stockout_worths: &[5.0],
                    budgets: &[40.0],
                },
                &[30.0],
            )
            .unwrap();
        let names: Vec<&str> = pts.iter().map(|x| x.policy.as_str()).collect();
        assert_eq!(names, ["policy", "marginal", "budget", "baseline"]);
        assert_eq!((pts[1].metrics, pts[2].metrics), (lo, big));
    }

    #[test]
    fn bad_options_are_named() {
        let s = vec![series("A", vec![1.0; 100], 1.0)];
        let cfg = SimConfig {
            lead_time: 0,
            ..quick()
        };
        assert!(simulate(&s, &cfg)
            .unwrap_err()
            .to_string()
            .contains("lead time"));
        let cfg = SimConfig {
            service_level: 1.5,
            ..quick()
        };
        assert!(simulate(&s, &cfg)
            .unwrap_err()
            .to_string()
            .contains("service level"));
        let short = vec![series("A", vec![1.0; 30], 1.0)];
        assert!(simulate(&short, &quick()).is_err());
    }

    #[test]
    fn lost_sales_replay_matches_a_hand_count() {
        // Demand 10/day, no stock ever ordered (target 0 after the start): starts with 25.
        let p = Prepared {
            demand: vec![vec![10.0; 7]],
            before: vec![vec![10.0; 28]],
            price: vec![1.0],
            forecasts: vec![],
            calibration: LevelCalibration::default(),
            curves: OnceLock::new(),
            skipped: 0,
            fallbacks: 0,
            cfg: SimConfig {
                holdout: 7,
                ..SimConfig::default()
            },
        };
        let m = replay(&p, &|_, t| if t == 0 { 25.0 } else { 0.0 });
        // Sells 10, 10, 5, then nothing: 25 of 70.
        assert!((m.fill_rate - 25.0 / 70.0).abs() < 1e-12);
        assert!((m.stockout_days - 5.0).abs() < 1e-12);
        assert!((m.avg_on_hand_units - (15.0 + 5.0) / 7.0).abs() < 1e-12);
        assert_eq!(m.cycle_service_level, 0.0);
    }

    #[test]
    fn each_replay_window_sees_only_the_data_before_its_days() {
        let units: Vec<f64> = (0..200u32).map(|i| f64::from((i * 7919) % 9)).collect();
        let s = vec![series("A", units.clone(), 2.0)];
        let cfg = quick();
        let r = sweep_windows(&s, &cfg, 2, &[0.9], &[30.0], &[30.0]).unwrap();
        assert_eq!(r.series, vec![1, 1]);
        // Window 1 is the replay of the series cut 28 days short, alone.
        let cut = vec![series("A", units[..200 - 28].to_vec(), 2.0)];
        let alone = prepare(&cut, &cfg).unwrap().sweep(&[0.9], &[30.0]).unwrap();
        for (k, p) in r.points.iter().enumerate() {
            assert_eq!(p.per_window[1], alone[k].metrics, "{}", p.policy);
        }
        let (m, sd) = (r.points[0].mean, r.points[0].sd);
        let w = &r.points[0].per_window;
        assert!((m.stockout_days - (w[0].stockout_days + w[1].stockout_days) / 2.0).abs() < 1e-12);
        let diff = (w[0].stockout_days - w[1].stockout_days).abs();
        assert!((sd.stockout_days - diff / 2f64.sqrt()).abs() < 1e-12);
        assert!(sweep_windows(&s, &cfg, 0, &[0.9], &[30.0], &[]).is_err());
    }

    fn point(policy: &str, param: f64, so: &[f64], oh: &[f64]) -> WindowedPoint {
        let per_window: Vec<SimMetrics> = so
            .iter()
            .zip(oh)
            .map(|(&s, &o)| SimMetrics::from_array([1.0, s, o, o, 1.0, 1.0]))
            .collect();
        let (mean, sd) = metrics_mean_sd(&per_window);
        WindowedPoint {
            policy: policy.into(),
            param,
            mean,
            sd,
            per_window,
        }
    }

    #[test]
    fn a_level_beats_a_rule_only_by_more_than_the_spread_across_windows() {
        let rule = point("baseline", 30.0, &[2.0, 3.0, 2.5], &[60.0, 70.0, 65.0]);
        // Fewer stockout days and less stock in every window, steadily.
        let steady = point("policy", 0.9, &[1.0, 2.1, 1.4], &[55.0, 64.0, 60.0]);
        let steady_copy = steady.clone();
        // Better on average, but one window much worse: the spread swallows the gain.
        let noisy = point("policy", 0.95, &[0.2, 4.0, 0.5], &[50.0, 69.0, 58.0]);
        let pts = vec![rule.clone(), steady_copy, noisy.clone()];
        let c = compare_with_rule(&pts, 30.0).unwrap();
        assert_eq!(c.best_level, Some(0.9));
        assert!((c.fewer_stockout_days - 1.0).abs() < 1e-9, "{c:?}");
        assert!(c.stockout_days_ratio < 1.0 && c.on_hand_ratio < 1.0);
        assert_eq!(c.policy, "policy");
        // A fill-rate target is one of ours too, and named as such when it wins.
        let mut by_fill = steady;
        by_fill.policy = "fill_rate".into();
        by_fill.param = 0.97;
        let c = compare_with_rule(&[rule.clone(), by_fill], 30.0).unwrap();
        assert_eq!((c.policy.as_str(), c.best_level), ("fill_rate", Some(0.97)));
        let only_noisy = compare_with_rule(&[rule, noisy], 30.0).unwrap();
        assert_eq!(only_noisy.best_level, None, "{only_noisy:?}");
        assert_eq!(only_noisy.level, 0.95);
        assert!(
            compare_with_rule(&pts, 14.0).is_none(),
            "no such rule in the sweep"
        );
    }
}
