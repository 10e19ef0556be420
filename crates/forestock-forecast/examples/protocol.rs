//! The evaluation protocol of `../shared/bench/README.md` on many rolling origins, with the
//! sanity rows that any forecast must beat. Run through `bench/forecast-protocol.sh`.
//!
//! ```text
//! protocol --data FILE --horizon H --step S --origins N --window W --out DIR [--tag NAME]
//!          [--part tune|report|all] [--set FIELD=JSON ...]
//! ```
//!
//! `--set` overrides one field of the engine configuration (e.g. `--set calibrate_median=false`)
//! while tuning; the frozen configuration file records the result.
//!
//! Origin `k` (0 = most recent) is `H + k*S` periods before the end of the file. At each origin
//! the engine (default configuration, as `forestock forecast` runs it) sees only the periods
//! before the origin: every series is cut there, so nothing after the origin can reach it. The
//! most recent third of the origins are the **reporting** origins; the older origins whose
//! evaluation window ends at or before the first reporting origin are the **tuning** origins
//! (any in between are shown but belong to neither). Tune on the tuning summary only.
//!
//! Metrics, per origin (series with a zero in-sample scale are left out of the scaled ones):
//! - MASE: MAE over the horizon / in-sample seasonal-naive MAE (lag m), mean over series;
//! - RMSSE: sqrt(MSE / in-sample mean squared first difference after the first non-zero), mean
//!   over series (M5's accuracy metric, unweighted);
//! - SPL: pinball loss averaged over the horizon and the levels / in-sample mean absolute first
//!   difference after the first non-zero, mean over series (M5's uncertainty metric, unweighted);
//!   `spl3` over p10/p50/p90 (headline), `spl7` over 0.05 0.1 0.25 0.5 0.75 0.9 0.95;
//! - bias: (Σ forecast − Σ actual) / Σ actual, pooled; `cov`: share of actuals in [p10, p90],
//!   `below` / `above`: share strictly below p10 / above p90. For count quantiles `below` and
//!   `above` are each at most 10% when calibrated, and `cov` is then at least 80% (actuals equal
//!   to a bound count as inside); `rcov`: share of actuals whose randomised PIT (Czado,
//!   Gneiting & Held 2009) lies in the forecast's calibrated [0.1, 0.9] band — 80% for a
//!   calibrated count forecast, whatever the mass at each count.
//!
//! Cycle service: for windows of a quarter, a half and all of the horizon from the origin, the
//! share of series whose actual total stays at or below the engine's order-up-to level (the
//! window's count quantile at the calibrated window level, as `forestock plan` reads it; in
//! brackets at the nominal level) for targets 0.5, 0.9, 0.95, 0.99.
//!
//! Sanity rows: `zero`; `naive` (last known value); `wa` (mean of the last W known periods, its
//! quantiles equal to the mean); `eq` (empirical quantiles of the last W known periods; its mean
//! is `wa`'s, so its point metrics equal `wa`'s).
//!
//! `--average A` (repeatable) adds a row `avg A`: the engine's quantiles averaged level by level
//! with `eq`'s, `(1 − A)·engine + A·eq`, and so its mean (quantile averaging, "Vincentization":
//! Lichtendahl, Grushka-Cockayne & Winkler 2013, "Is it better to average probabilities or
//! quantiles?", Management Science 59(7)); its `rcov` is left out (NaN): the averaged
//! distribution has no CDF at hand.
//!
//! `--global-weights "W1 W2 …"` (needs the cargo feature `global`) trains the global model once
//! per origin (with the configuration's `global_*` settings) and adds a row `global W` per
//! weight: the whole engine (selection, blend, calibration) rerun with `global_weight = W` on
//! the same trained models. With it, every engine and `global W` row is also scored per demand
//! class of the series (`engine smooth`, `global 0.3 intermittent`, …: the class the engine
//! gave the series at that origin), to choose a weight per class on the tuning origins.
//!
//! `--variant NAME:FIELD=JSON[;FIELD=JSON…]` (repeatable) adds a row `NAME`: the engine rerun
//! at the same origins with those fields of its configuration changed, so two configurations
//! are compared on the same origins in one run (e.g. `--variant 'gl:promo_lift="global"'`).
//!
//! `--planned-promotions` gives the engine each series' promotions of the forecast window, as
//! a merchant's planned promotions (by default the engine is told of none). Whenever the data
//! has promotions, the engine, every variant, `wa` and `eq` are also scored on the promoted
//! days of the forecast windows only (`… on promotion days`: the other days left out of the
//! errors; the scales are the series' own as for every row).
//!
//! `--cold-start D` scores new products: at each origin, in turn for each fold of SKUs (the
//! `k`-th SKU of every category, the category being the SKU up to its last `_`, as M5's
//! department: `FOODS_3_080` → `FOODS_3`), the fold's series are cut to their last `D` periods
//! before the origin, as if launched then, and the engine (every series given its category and
//! last price, so the analogs of a new product are the same category's other SKUs at its
//! location) runs on them with every other series whole. Rows `new: engine` (the engine's
//! forecast of the launched series: its analogs blended with its own `D` periods), `new: own`
//! (the mean of its own `D` periods) and `new: NAME` per variant, scored on the launched
//! series only, with the scales of their whole history before the origin.
//!
//! Writes `DIR/<tag>.config.json` (the frozen engine configuration, the data file's FNV-1a hash,
//! the origins and their split) and `DIR/<tag>.report.json` (every origin's metrics).

use chrono::NaiveDate;
use forestock_forecast::{
    forecast_all, io::read_history_file, seasonal_naive_mae, ForecastConfig, QuantileCalibration,
    Series,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

const LEVELS: [f64; 7] = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];
const HEADLINE: [usize; 3] = [1, 3, 5];
/// Cycle service targets checked on window totals.
const SERVICE: [f64; 4] = [0.5, 0.9, 0.95, 0.99];
const METRICS: [&str; 9] = [
    "mase", "rmsse", "spl3", "spl7", "bias", "cov", "below", "above", "rcov",
];

struct Args {
    data: PathBuf,
    horizon: usize,
    step: usize,
    origins: usize,
    window: usize,
    out: PathBuf,
    tag: String,
    /// `tune`, `report` or `all`: the origins run (tune without looking at the reporting ones).
    part: String,
    /// Overrides of engine configuration fields: (field, JSON value).
    set: Vec<(String, serde_json::Value)>,
    /// Weights of `eq` in the quantile-averaged rows.
    average: Vec<f64>,
    /// Weights of the global model in the `global W` rows.
    global_weights: Vec<f64>,
    /// Engine reruns with configuration changes: (row name, overrides).
    variants: Vec<(String, Vec<(String, serde_json::Value)>)>,
    /// Tell the engine the promotions of each forecast window.
    planned_promotions: bool,
    /// Periods of history of the launched series in the new-product rows (0: no such rows).
    cold_start: usize,
}

/// The category of an M5-style SKU: up to its last `_` (`FOODS_3_080` → `FOODS_3`).
fn sku_category(sku: &str) -> String {
    sku.rsplit_once('_').map_or(sku, |(c, _)| c).to_string()
}

/// `s` (cut at the origin) kept to its last `days` periods, as a product launched then; its
/// planned promotions kept.
fn launched(s: &Series, days: usize) -> Series {
    let mut t = s.clone();
    let a = t.units.len().saturating_sub(days);
    t.units.drain(..a.min(t.units.len()));
    t.price.drain(..a.min(t.price.len()));
    t.promo.drain(..a.min(t.promo.len()));
    t.start = s.frequency.add(s.start, a as i64);
    t
}

/// Every series given its category (from the SKU) and its last known price before `n`.
fn with_meta(s: &mut Series) {
    s.meta.category = Some(sku_category(&s.key.sku));
    s.meta.price = s.price.iter().rev().copied().find(|p| p.is_finite());
}

/// `FIELD=JSON` as an override of one configuration field.
fn field_value(v: &str, what: &str) -> Result<(String, serde_json::Value), String> {
    let (field, value) = v
        .split_once('=')
        .ok_or(format!("{what} needs FIELD=JSON, got {v}"))?;
    let value = serde_json::from_str(value)
        .map_err(|e| format!("{what} {field}: not JSON: {value}: {e}"))?;
    Ok((field.to_string(), value))
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        data: PathBuf::new(),
        horizon: 28,
        step: 28,
        origins: 13,
        window: 28,
        out: PathBuf::from("."),
        tag: "protocol".into(),
        part: "all".into(),
        set: Vec::new(),
        average: Vec::new(),
        global_weights: Vec::new(),
        variants: Vec::new(),
        planned_promotions: false,
        cold_start: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--planned-promotions" {
            a.planned_promotions = true;
            continue;
        }
        let v = it.next().ok_or(format!("{k} needs a value"))?;
        let num = || {
            v.parse::<usize>()
                .map_err(|_| format!("{k}: not a number: {v}"))
        };
        match k.as_str() {
            "--data" => a.data = v.clone().into(),
            "--horizon" => a.horizon = num()?,
            "--step" => a.step = num()?,
            "--origins" => a.origins = num()?,
            "--window" => a.window = num()?,
            "--cold-start" => a.cold_start = num()?,
            "--out" => a.out = v.clone().into(),
            "--tag" => a.tag = v.clone(),
            "--average" => a.average.push(
                v.parse::<f64>()
                    .ok()
                    .filter(|w| (0.0..=1.0).contains(w))
                    .ok_or(format!("--average: not a weight in [0, 1]: {v}"))?,
            ),
            "--global-weights" => {
                for w in v.split_whitespace() {
                    a.global_weights.push(
                        w.parse::<f64>()
                            .ok()
                            .filter(|w| *w > 0.0 && *w <= 1.0)
                            .ok_or(format!("--global-weights: not a weight in (0, 1]: {w}"))?,
                    );
                }
            }
            "--part" if ["tune", "report", "all"].contains(&v.as_str()) => a.part = v.clone(),
            "--set" => a.set.push(field_value(&v, "--set")?),
            "--variant" => {
                let (name, sets) = v
                    .split_once(':')
                    .ok_or(format!("--variant needs NAME:FIELD=JSON[;…], got {v}"))?;
                let sets = sets
                    .split(';')
                    .map(|kv| field_value(kv, "--variant"))
                    .collect::<Result<Vec<_>, _>>()?;
                a.variants.push((name.to_string(), sets));
            }
            _ => return Err(format!("unknown option {k}")),
        }
    }
    if a.data.as_os_str().is_empty() {
        return Err("--data FILE is required".into());
    }
    Ok(a)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Whether the randomised PIT of an actual falls inside the forecast's own calibrated
/// `[0.1, 0.9]` band: `(period, actual, v in [0, 1)) -> inside`.
type Band<'a> = Box<dyn Fn(usize, f64, f64) -> bool + 'a>;

/// A forecast to score: per period the mean and the quantiles at [`LEVELS`], and its band.
struct Fc<'a> {
    mean: Vec<f64>,
    q: Vec<[f64; 7]>,
    band: Band<'a>,
}

/// Randomised PIT `F(y−1) + v (F(y) − F(y−1))` of a count `y` (Czado, Gneiting & Held 2009):
/// uniform when the count distribution is right, so the share inside `[0.1, 0.9]` is 80% for
/// a calibrated forecast whatever the mass at each count (the `cov` of the integer quantiles
/// counts actuals equal to a bound as inside, and exceeds 80% on low counts).
fn rpit(cdf: &dyn Fn(f64) -> f64, y: f64, v: f64) -> f64 {
    let k = y.max(0.0).round();
    let below = if k > 0.0 { cdf(k - 1.0) } else { 0.0 };
    below + v * (cdf(k) - below)
}

fn inside(u: f64, lo: f64, hi: f64) -> bool {
    (lo..=hi).contains(&u)
}

fn flat<'a>(v: f64, h: usize) -> Fc<'a> {
    Fc {
        mean: vec![v; h],
        q: vec![[v; 7]; h],
        band: Box::new(move |_, y, r| inside(rpit(&|x| f64::from(x >= v), y, r), 0.1, 0.9)),
    }
}

/// Sums over series of one method at one origin.
#[derive(Default, Clone)]
struct Acc {
    mase: (f64, f64),
    rmsse: (f64, f64),
    spl3: (f64, f64),
    spl7: (f64, f64),
    sum_f: f64,
    sum_a: f64,
    inside: f64,
    below: f64,
    above: f64,
    known: f64,
    rinside: f64,
}

impl Acc {
    fn get(&self, m: &str) -> f64 {
        let r = |p: (f64, f64)| if p.1 > 0.0 { p.0 / p.1 } else { f64::NAN };
        match m {
            "mase" => r(self.mase),
            "rmsse" => r(self.rmsse),
            "spl3" => r(self.spl3),
            "spl7" => r(self.spl7),
            // (no sales at all: no relative bias)
            "bias" if self.sum_a > 0.0 => (self.sum_f - self.sum_a) / self.sum_a,
            "bias" => f64::NAN,
            "below" => self.below / self.known,
            "above" => self.above / self.known,
            "rcov" => self.rinside / self.known,
            _ => self.inside / self.known,
        }
    }
}

fn pinball(q: f64, y: f64, p: f64) -> f64 {
    if y >= q {
        p * (y - q)
    } else {
        (1.0 - p) * (q - y)
    }
}

/// In-sample scales after the first non-zero: (mean squared, mean absolute) first difference.
fn diff_scales(y: &[f64]) -> (Option<f64>, Option<f64>) {
    let Some(first) = y.iter().position(|v| v.is_finite() && *v > 0.0) else {
        return (None, None);
    };
    let (mut sq, mut ab, mut n) = (0.0, 0.0, 0.0);
    for w in y[first..].windows(2) {
        if w[0].is_finite() && w[1].is_finite() {
            sq += (w[1] - w[0]).powi(2);
            ab += (w[1] - w[0]).abs();
            n += 1.0;
        }
    }
    let ok = |s: f64| (n > 0.0 && s > 0.0).then(|| s / n);
    (ok(sq), ok(ab))
}

fn score(acc: &mut Acc, fc: &Fc, train: &[f64], actual: &[f64], m: usize) {
    let mase_scale = seasonal_naive_mae(train, m).filter(|s| *s > 0.0);
    let (sq_scale, ab_scale) = diff_scales(train);
    let (mut ae, mut se, mut p3, mut p7, mut n) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (i, &y) in actual.iter().enumerate() {
        if !y.is_finite() {
            continue;
        }
        let f = fc.mean[i].max(0.0);
        ae += (f - y).abs();
        se += (f - y).powi(2);
        let q = fc.q[i];
        p7 += LEVELS
            .iter()
            .zip(q)
            .map(|(p, q)| pinball(q, y, *p))
            .sum::<f64>()
            / LEVELS.len() as f64;
        p3 += HEADLINE
            .iter()
            .map(|&j| pinball(q[j], y, LEVELS[j]))
            .sum::<f64>()
            / 3.0;
        acc.sum_f += f;
        acc.sum_a += y;
        acc.known += 1.0;
        let v = ((acc.known + 1.0) * 0.618_033_988_749_894_9).fract();
        acc.rinside += f64::from((fc.band)(i, y, v));
        if y < q[1] {
            acc.below += 1.0;
        } else if y > q[5] {
            acc.above += 1.0;
        } else {
            acc.inside += 1.0;
        }
        n += 1.0;
    }
    if n == 0.0 {
        return;
    }
    if let Some(s) = mase_scale {
        acc.mase.0 += ae / n / s;
        acc.mase.1 += 1.0;
    }
    if let Some(s) = sq_scale {
        acc.rmsse.0 += (se / n / s).sqrt();
        acc.rmsse.1 += 1.0;
    }
    if let Some(s) = ab_scale {
        acc.spl3.0 += p3 / n / s;
        acc.spl3.1 += 1.0;
        acc.spl7.0 += p7 / n / s;
        acc.spl7.1 += 1.0;
    }
}

/// Type-1 empirical quantile (an observed value): smallest v with share(<= v) >= p.
fn empirical(sorted: &[f64], p: f64) -> f64 {
    let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[k - 1]
}

fn sanity<'a>(train: &[f64], h: usize, w: usize) -> Vec<(&'static str, Fc<'a>)> {
    let known: Vec<f64> = train.iter().copied().filter(|v| v.is_finite()).collect();
    let last = known.last().copied().unwrap_or(0.0);
    let recent = &known[known.len().saturating_sub(w)..];
    let avg = if recent.is_empty() {
        0.0
    } else {
        recent.iter().sum::<f64>() / recent.len() as f64
    };
    let mut sorted = recent.to_vec();
    sorted.sort_by(f64::total_cmp);
    let eq = if sorted.is_empty() {
        flat(0.0, h)
    } else {
        Fc {
            mean: vec![avg; h],
            q: vec![LEVELS.map(|p| empirical(&sorted, p)); h],
            band: Box::new(move |_, y, r| {
                let n = sorted.len() as f64;
                let cdf = |x: f64| sorted.partition_point(|v| *v <= x) as f64 / n;
                inside(rpit(&cdf, y, r), 0.1, 0.9)
            }),
        }
    };
    vec![
        ("zero", flat(0.0, h)),
        ("naive", flat(last, h)),
        ("wa", flat(avg, h)),
        ("eq", eq),
    ]
}

/// An engine forecast to score (an all-zero one where the engine gave none).
fn engine_fc(
    f: &Result<forestock_forecast::SeriesForecast, forestock_forecast::SeriesIssue>,
    h: usize,
) -> Fc<'_> {
    match f {
        Ok(f) => Fc {
            mean: f.mean.clone(),
            q: (0..h).map(|i| f.period_quantiles(i, LEVELS)).collect(),
            // the raw PIT inside the calibrated levels of p10 and p90 (the level map is
            // monotone, so this is the calibrated PIT inside [0.1, 0.9])
            band: Box::new(move |i, y, r| {
                let [lo, hi] = [0.1, 0.9].map(|p| {
                    f.uncertainty
                        .calibration
                        .map_or(p, |c| c.period_level(i, p))
                });
                inside(rpit(&|x| f.period_cdf(i, x), y, r), lo, hi)
            }),
        },
        Err(_) => flat(0.0, h),
    }
}

fn mean_sd_min_max(v: &[f64]) -> (f64, f64, f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (mean, sd, min, max)
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("protocol: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&a) {
        eprintln!("protocol: {e}");
        std::process::exit(1);
    }
}

/// The engine configuration with the `--set` overrides applied (an unknown field is refused).
fn configure(
    cfg: ForecastConfig,
    set: &[(String, serde_json::Value)],
) -> Result<ForecastConfig, String> {
    let mut v = serde_json::to_value(cfg).map_err(|e| e.to_string())?;
    for (field, value) in set {
        let slot = v
            .get_mut(field)
            .ok_or(format!("--set: no configuration field {field}"))?;
        *slot = value.clone();
    }
    let cfg: ForecastConfig =
        serde_json::from_value(v).map_err(|e| format!("--set/--variant: {e}"))?;
    cfg.validate().map_err(|e| e.to_string())?;
    Ok(cfg)
}

type Forecasts = Vec<Result<forestock_forecast::SeriesForecast, forestock_forecast::SeriesIssue>>;

/// The engine's forecasts at one origin and, with the global model, a note of its training and
/// forecasting times (trained here, apart, to time it).
fn forecast(train: &[Series], cfg: &ForecastConfig) -> Result<(Forecasts, String), String> {
    #[cfg(feature = "global")]
    if cfg.global_weight > 0.0 {
        let t0 = std::time::Instant::now();
        let models = forestock_forecast::global::train(train, cfg).map_err(|e| e.to_string())?;
        let fit = t0.elapsed().as_secs_f64();
        let t1 = std::time::Instant::now();
        let out = forestock_forecast::forecast_all_with_global(train, cfg, &models, &|_| {});
        let note = format!(
            " (global: 2 models trained in {fit:.1} s on {} and {} rows; local models, blend and \
             calibration {:.1} s)",
            models.last.rows,
            models.early.as_ref().map_or(0, |m| m.rows),
            t1.elapsed().as_secs_f64()
        );
        return Ok((out, note));
    }
    if cfg.global_weight > 0.0 {
        return Err("global_weight needs the global model: build with --features global".into());
    }
    Ok((forecast_all(train, cfg, &|_| {}), String::new()))
}

/// The engine rerun with the global model blended in at each weight, the models trained once.
fn global_variants(
    train: &[Series],
    cfg: &ForecastConfig,
    weights: &[f64],
) -> Result<(Vec<Forecasts>, String), String> {
    if weights.is_empty() {
        return Ok((Vec::new(), String::new()));
    }
    #[cfg(feature = "global")]
    {
        let t0 = std::time::Instant::now();
        let models = forestock_forecast::global::train(train, cfg).map_err(|e| e.to_string())?;
        let fit = t0.elapsed().as_secs_f64();
        let t1 = std::time::Instant::now();
        let out = weights
            .iter()
            .map(|&w| {
                let cfg = ForecastConfig {
                    global_weight: w,
                    ..cfg.clone()
                };
                forestock_forecast::forecast_all_with_global(train, &cfg, &models, &|_| {})
            })
            .collect();
        let note = format!(
            " (global rows: 2 models trained in {fit:.1} s on {} and {} rows, {:?}; {} engine \
             runs with the blend {:.1} s)",
            models.last.rows,
            models.early.as_ref().map_or(0, |m| m.rows),
            models.last,
            weights.len(),
            t1.elapsed().as_secs_f64()
        );
        Ok((out, note))
    }
    #[cfg(not(feature = "global"))]
    {
        let _ = (train, cfg);
        Err("--global-weights needs the global model: build with --features global".into())
    }
}

type Forecast = Result<forestock_forecast::SeriesForecast, forestock_forecast::SeriesIssue>;

/// A launched series' forecasts: the mean of its own periods, the engine's, each variant's.
type Launch = (f64, Forecast, Vec<Forecast>);

/// The new-product runs of one origin: per launched series (its index in `train`), the mean of
/// its own `days` periods, the engine's forecast and each variant's.
fn cold_start(
    train: &[Series],
    actuals: &[Vec<f64>],
    cfg: &ForecastConfig,
    variants: &[ForecastConfig],
    days: usize,
) -> Result<Vec<(usize, Launch)>, String> {
    // fold of a SKU: its rank among its category's SKUs
    let mut skus: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in train {
        let v = skus.entry(sku_category(&s.key.sku)).or_default();
        if !v.contains(&s.key.sku) {
            v.push(s.key.sku.clone());
        }
    }
    let fold = |sku: &str| {
        skus[&sku_category(sku)]
            .iter()
            .position(|k| k == sku)
            .unwrap_or(0)
    };
    let folds = skus.values().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for f in 0..folds {
        let mut run: Vec<Series> = train.to_vec();
        let mut cut = Vec::new();
        for (i, s) in run.iter_mut().enumerate() {
            with_meta(s);
            let known = actuals[i].iter().any(|y| y.is_finite());
            if fold(&s.key.sku) == f && known && s.units.len() > days {
                *s = launched(s, days);
                cut.push(i);
            }
        }
        if cut.is_empty() {
            continue;
        }
        let engine = forecast(&run, cfg)?.0;
        let others: Vec<Forecasts> = variants
            .iter()
            .map(|c| forecast(&run, c).map(|(o, _)| o))
            .collect::<Result<_, _>>()?;
        for i in cut {
            let known: Vec<f64> = run[i]
                .units
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            let own = known.iter().sum::<f64>() / known.len().max(1) as f64;
            let vs = others.iter().map(|o| o[i].clone()).collect();
            out.push((i, (own, engine[i].clone(), vs)));
        }
    }
    Ok(out)
}

fn run(a: &Args) -> Result<(), String> {
    let bytes = std::fs::read(&a.data).map_err(|e| format!("{}: {e}", a.data.display()))?;
    let hash = format!("{:016x}", fnv1a(&bytes));
    drop(bytes);
    let hist = read_history_file(&a.data).map_err(|e| e.to_string())?;
    let series = hist.series;
    let freq = series.first().ok_or("no series in the file")?.frequency;
    let end = series.iter().map(Series::end).max().ok_or("no series")?;
    let h = a.horizon;
    let cfg = configure(ForecastConfig::with_horizon(h), &a.set)?;
    let m = cfg.season_for(freq);
    let origins: Vec<NaiveDate> = (0..a.origins)
        .map(|k| freq.add(end, -((h + k * a.step) as i64)))
        .collect();
    let n_report = a.origins.div_ceil(3);
    let first_report = origins[n_report - 1];
    let role = |k: usize| -> &'static str {
        if k < n_report {
            "report"
        } else if freq.add(origins[k], h as i64) <= first_report {
            "tune"
        } else {
            "gap"
        }
    };
    std::fs::create_dir_all(&a.out).map_err(|e| e.to_string())?;
    let config = serde_json::json!({
        "engine": cfg,
        "engine_note": if a.planned_promotions {
            "ForecastConfig::with_horizon(h): the defaults of `forestock forecast`; each \
             window's promotions given as planned promotions"
        } else {
            "ForecastConfig::with_horizon(h): the defaults of `forestock forecast`; no planned \
             promotions after the origin"
        },
        "variants": a.variants.iter()
            .map(|(n, sets)| (n.clone(), sets.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>()))
            .collect::<BTreeMap<_, _>>(),
        "overrides": a.set.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
        "data": a.data.display().to_string(),
        "data_fnv1a64": hash,
        "series": series.len(),
        "frequency": freq.as_str(),
        "horizon": h, "step": a.step, "window": a.window, "season": m,
        "origins": origins.iter().enumerate()
            .map(|(k, o)| serde_json::json!({"origin": o.to_string(), "role": role(k)}))
            .collect::<Vec<_>>(),
        "levels": LEVELS,
        "part": a.part,
    });
    let cfg_path = a.out.join(format!("{}.config.json", a.tag));
    std::fs::write(
        &cfg_path,
        serde_json::to_string_pretty(&config).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;

    let averaged: Vec<String> = a.average.iter().map(|w| format!("avg {w}")).collect();
    let globals: Vec<String> = a
        .global_weights
        .iter()
        .map(|w| format!("global {w}"))
        .collect();
    // per demand class: the engine's and each global row's
    const CLASSES: [&str; 4] = ["smooth", "erratic", "intermittent", "lumpy"];
    let by_class: Vec<String> = if globals.is_empty() {
        Vec::new()
    } else {
        std::iter::once("engine")
            .chain(globals.iter().map(String::as_str))
            .flat_map(|m| CLASSES.map(|c| format!("{m} {c}")))
            .collect()
    };
    let variants: Vec<String> = a.variants.iter().map(|(n, _)| n.clone()).collect();
    let variant_cfgs: Vec<ForecastConfig> = a
        .variants
        .iter()
        .map(|(_, sets)| configure(cfg.clone(), sets))
        .collect::<Result<_, _>>()?;
    // rows scored on the promoted days of the forecast windows only
    const ON_PROMO: &str = " on promotion days";
    let promoted = series.iter().any(|s| s.promo.contains(&true));
    // the names of a subset's rows (when `on`): its fixed methods, then every variant
    let subset_rows = |on: bool, fixed: &[&str], name: &dyn Fn(&str) -> String| -> Vec<String> {
        if !on {
            return Vec::new();
        }
        let all = fixed
            .iter()
            .copied()
            .chain(variants.iter().map(String::as_str));
        all.map(name).collect()
    };
    let on_promo = subset_rows(promoted, &["engine", "wa", "eq"], &|m| {
        format!("{m}{ON_PROMO}")
    });
    let cold = subset_rows(a.cold_start > 0, &["engine", "own"], &|m| {
        format!("new: {m}")
    });
    let mut methods = vec!["engine", "zero", "naive", "wa", "eq"];
    methods.extend(averaged.iter().map(String::as_str));
    methods.extend(variants.iter().map(String::as_str));
    methods.extend(globals.iter().map(String::as_str));
    methods.extend(on_promo.iter().map(String::as_str));
    methods.extend(cold.iter().map(String::as_str));
    methods.extend(by_class.iter().map(String::as_str));
    // per origin, per method
    let mut table: Vec<BTreeMap<&str, Acc>> = Vec::new();
    // per origin: [window][target] = (hits at the calibrated level, hits at the nominal, cases)
    let lens = QuantileCalibration::window_lengths(h);
    let mut service: Vec<Vec<Vec<(f64, f64, f64)>>> = Vec::new();
    let started = std::time::Instant::now();
    let wanted = |k: usize| a.part == "all" || a.part == role(k);
    let ks: Vec<usize> = (0..origins.len()).filter(|&k| wanted(k)).collect();
    for &k in &ks {
        let origin = origins[k];
        let mut train: Vec<Series> = Vec::new();
        let mut actuals: Vec<Vec<f64>> = Vec::new();
        // per series, the window's days with a promotion
        let mut plans: Vec<Vec<bool>> = Vec::new();
        for s in &series {
            let Some(n) = freq.periods_between(s.start, origin) else {
                continue;
            };
            if n <= 0 {
                continue;
            }
            let n = (n as usize).min(s.units.len());
            let act: Vec<f64> = (0..h)
                .map(|i| s.units.get(n + i).copied().unwrap_or(f64::NAN))
                .collect();
            if !act.iter().any(|v| v.is_finite()) {
                continue;
            }
            let mut t = s.truncated(n);
            if !t.promo.is_empty() {
                t.future_promo.resize(h, false);
            }
            plans.push(t.future_promo.clone());
            if !a.planned_promotions {
                t.future_promo.clear();
            }
            train.push(t);
            actuals.push(act);
        }
        let t0 = std::time::Instant::now();
        let (out, global_note) = forecast(&train, &cfg)?;
        let secs = t0.elapsed().as_secs_f64();
        let (global_out, variants_note) = global_variants(&train, &cfg, &a.global_weights)?;
        let variant_out: Vec<Forecasts> = variant_cfgs
            .iter()
            .map(|c| forecast(&train, c).map(|(out, _)| out))
            .collect::<Result<_, _>>()?;
        let mut accs: BTreeMap<&str, Acc> = methods.iter().map(|m| (*m, Acc::default())).collect();
        let no_band = |_: usize, _: f64, _: f64| false;
        let mut svc = vec![vec![(0.0, 0.0, 0.0); SERVICE.len()]; lens.len()];
        let mut promo_days = 0;
        for (act, f) in actuals.iter().zip(&out) {
            let Ok(f) = f else { continue };
            for (wi, &w) in lens.iter().enumerate() {
                let w = w as usize;
                let total: f64 = act[..w].iter().sum();
                if !total.is_finite() {
                    continue;
                }
                let d = f.window(0, w);
                for (ti, &t) in SERVICE.iter().enumerate() {
                    let cell = &mut svc[wi][ti];
                    // order up to the window quantile (as `forestock plan` does)
                    cell.0 += f64::from(total <= d.discrete_quantile(f.window_level(w, t)));
                    cell.1 += f64::from(total <= d.discrete_quantile(t));
                    cell.2 += 1.0;
                }
            }
        }
        service.push(svc);
        for (si, ((s, act), f)) in train.iter().zip(&actuals).zip(&out).enumerate() {
            let fc = engine_fc(f, h);
            if let Some(acc) = accs.get_mut("engine") {
                score(acc, &fc, &s.units, act, m);
            }
            let class = f.as_ref().map_or("", |f| f.class.as_str());
            if let Some(acc) = accs.get_mut(format!("engine {class}").as_str()) {
                score(acc, &fc, &s.units, act, m);
            }
            // the window's actuals on its promoted days only
            let promo_act: Vec<f64> = act
                .iter()
                .zip(&plans[si])
                .map(|(y, p)| if *p { *y } else { f64::NAN })
                .collect();
            let on_promo_days = promoted && promo_act.iter().any(|y| y.is_finite());
            promo_days += promo_act.iter().filter(|y| y.is_finite()).count();
            let score_on_promo = |accs: &mut BTreeMap<&str, Acc>, name: &str, fc: &Fc| {
                if !on_promo_days {
                    return;
                }
                if let Some(acc) = accs.get_mut(format!("{name}{ON_PROMO}").as_str()) {
                    score(acc, fc, &s.units, &promo_act, m);
                }
            };
            score_on_promo(&mut accs, "engine", &fc);
            for (name, v) in variants.iter().zip(&variant_out) {
                let vfc = engine_fc(&v[si], h);
                score_on_promo(&mut accs, name, &vfc);
                if let Some(acc) = accs.get_mut(name.as_str()) {
                    score(acc, &vfc, &s.units, act, m);
                }
            }
            for (name, v) in globals.iter().zip(&global_out) {
                let gfc = engine_fc(&v[si], h);
                if let Some(acc) = accs.get_mut(name.as_str()) {
                    score(acc, &gfc, &s.units, act, m);
                }
                if let Some(acc) = accs.get_mut(format!("{name} {class}").as_str()) {
                    score(acc, &gfc, &s.units, act, m);
                }
            }
            let sane = sanity(&s.units, h, a.window);
            for (w, name) in a.average.iter().zip(&averaged) {
                let eq = &sane[3].1;
                let mix = |x: f64, e: f64| (1.0 - w) * x + w * e;
                let avg = Fc {
                    mean: fc
                        .mean
                        .iter()
                        .zip(&eq.mean)
                        .map(|(x, e)| mix(*x, *e))
                        .collect(),
                    q: fc
                        .q
                        .iter()
                        .zip(&eq.q)
                        .map(|(x, e)| std::array::from_fn(|j| mix(x[j], e[j])))
                        .collect(),
                    band: Box::new(no_band),
                };
                if let Some(acc) = accs.get_mut(name.as_str()) {
                    score(acc, &avg, &s.units, act, m);
                    acc.rinside = f64::NAN;
                }
            }
            for (name, fc) in sane {
                score_on_promo(&mut accs, name, &fc);
                if let Some(acc) = accs.get_mut(name) {
                    score(acc, &fc, &s.units, act, m);
                }
            }
        }
        if a.cold_start > 0 {
            let t1 = std::time::Instant::now();
            let launches = cold_start(&train, &actuals, &cfg, &variant_cfgs, a.cold_start)?;
            for (si, fcs) in launches {
                let own = flat(fcs.0, h);
                let scale_from = &train[si].units;
                let mut put = |name: String, fc: &Fc| {
                    if let Some(acc) = accs.get_mut(name.as_str()) {
                        score(acc, fc, scale_from, &actuals[si], m);
                    }
                };
                put("new: own".into(), &own);
                put("new: engine".into(), &engine_fc(&fcs.1, h));
                for (name, f) in variants.iter().zip(&fcs.2) {
                    put(format!("new: {name}"), &engine_fc(f, h));
                }
            }
            eprintln!(
                "origin {origin}: new products ({} periods of history) in {:.1} s",
                a.cold_start,
                t1.elapsed().as_secs_f64()
            );
        }
        // the empirical mixture weight the calibration picked, per demand class
        let mut mixes: BTreeMap<String, f64> = BTreeMap::new();
        for f in out.iter().flatten() {
            if let Some(c) = f.uncertainty.calibration {
                mixes.insert(f.class.as_str().to_string(), c.mix);
            }
        }
        eprintln!(
            "origin {origin} ({}): {} series, engine {secs:.1} s{global_note}{variants_note}, \
             mixture weight {mixes:?}{}",
            role(k),
            train.len(),
            if promoted {
                format!(", {promo_days} promotion days in the windows")
            } else {
                String::new()
            }
        );
        table.push(accs);
    }

    let mut report = serde_json::json!({
        "config": cfg_path.display().to_string(), "part": a.part, "origins": [],
    });
    let mut rows = Vec::new();
    for (&k, accs) in ks.iter().zip(&table) {
        let per: serde_json::Map<String, serde_json::Value> = accs
            .iter()
            .map(|(name, acc)| {
                let v: serde_json::Map<String, serde_json::Value> = METRICS
                    .iter()
                    .map(|m| (m.to_string(), serde_json::json!(acc.get(m))))
                    .collect();
                (name.to_string(), serde_json::Value::Object(v))
            })
            .collect();
        let r = rows.len();
        let svc: Vec<serde_json::Value> = lens
            .iter()
            .enumerate()
            .flat_map(|(wi, w)| {
                let cells = &service[r][wi];
                SERVICE.iter().zip(cells).map(move |(t, c)| {
                    serde_json::json!({"window": w, "target": t, "calibrated": c.0 / c.2,
                                       "nominal": c.1 / c.2, "cases": c.2})
                })
            })
            .collect();
        rows.push(serde_json::json!({
            "origin": origins[k].to_string(), "role": role(k), "methods": per,
            "service": svc,
        }));
    }
    report["origins"] = serde_json::Value::Array(rows);
    let rep_path = a.out.join(format!("{}.report.json", a.tag));
    std::fs::write(
        &rep_path,
        serde_json::to_string_pretty(&report).unwrap_or_default(),
    )
    .map_err(|e| e.to_string())?;

    println!(
        "data {} (fnv1a64 {hash}), {} series, h={h}, step={}, window={}, m={m}; {} origins \
         {}..{}; engine time {:.1} s",
        a.data.display(),
        series.len(),
        a.step,
        a.window,
        origins.len(),
        origins[origins.len() - 1],
        origins[0],
        started.elapsed().as_secs_f64()
    );
    for part in ["tune", "report"] {
        let rows: Vec<usize> = (0..ks.len()).filter(|&r| role(ks[r]) == part).collect();
        if rows.is_empty() {
            continue;
        }
        let dates: Vec<String> = rows.iter().map(|&r| origins[ks[r]].to_string()).collect();
        println!(
            "\n{part} origins ({}): {}\nmean ± sd [min–max] over origins",
            rows.len(),
            dates.join(" ")
        );
        println!(
            "| method | {} |\n|---|{}",
            METRICS.join(" | "),
            "---|".repeat(METRICS.len())
        );
        for &name in &methods {
            let cells: Vec<String> = METRICS
                .iter()
                .map(|m| {
                    let v: Vec<f64> = rows.iter().map(|&r| table[r][name].get(m)).collect();
                    let (mean, sd, lo, hi) = mean_sd_min_max(&v);
                    format!("{mean:.3} ± {sd:.3} [{lo:.3}–{hi:.3}]")
                })
                .collect();
            println!("| {name} | {} |", cells.join(" | "));
        }
        println!(
            "\ncycle service of the engine's order-up-to level (window quantile), pooled over \
             these origins: calibrated window level (nominal level)\n| window | {} |\n|---|{}",
            SERVICE.map(|t| format!("{t}")).join(" | "),
            "---|".repeat(SERVICE.len())
        );
        for (wi, w) in lens.iter().enumerate() {
            let cells: Vec<String> = (0..SERVICE.len())
                .map(|ti| {
                    let c = rows.iter().fold((0.0, 0.0, 0.0), |acc, &r| {
                        let x = service[r][wi][ti];
                        (acc.0 + x.0, acc.1 + x.1, acc.2 + x.2)
                    });
                    format!("{:.3} ({:.3})", c.0 / c.2, c.1 / c.2)
                })
                .collect();
            println!("| {w} | {} |", cells.join(" | "));
        }
    }
    println!("\nwrote {} and {}", cfg_path.display(), rep_path.display());
    Ok(())
}
