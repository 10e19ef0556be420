//! Feature rows of the global model: one row per (series, origin `t`, horizon `k`), built from
//! the periods **before** `t` only (test `features_at_an_origin_use_only_data_before_it`), plus
//! what is known in advance about the target period (its calendar position, the horizon and
//! whether a promotion is planned on it).
//!
//! Target: the demand of period `t + k − 1`. Unknown periods (stockouts censored as in the
//! engine's preparation, rows marked unknown in the file) are never targets and are skipped by
//! every statistic (stock-out-censored targets, as in the M5 winners' use of "available" days).

use crate::engine::GlobalScale;
use crate::prepare;
use crate::series::{Frequency, Series};
use chrono::Datelike;
use std::collections::BTreeMap;

/// Feature names, in column order (test messages name the feature that saw later data).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const NAMES: [&str; NF] = [
    "horizon",
    "target_season_pos",
    "target_day_of_month",
    "target_month",
    "last_value",
    "seasonal_lag",
    "mean_w1",
    "mean_w2",
    "mean_w3",
    "mean_w4",
    "sd_w2",
    "zero_share_w2",
    "since_nonzero",
    "same_pos_mean",
    "same_pos_index",
    "trend_w1_w2",
    "mean_all",
    "adi_w4",
    "cv2_w4",
    "age",
    "price",
    "relative_price",
    "price_change_w2",
    "promo_last",
    "promo_share_w2",
    "sku_id",
    "location_id",
    "category_id",
    "log_level",
    "target_promo",
];

/// Number of features.
pub(crate) const NF: usize = 30;

/// Column of the target period's planned promotion (1 promoted, 0 not, NaN: the series has no
/// promotion data). The only column read from after the origin: a promotion plan is known in
/// advance, like the calendar.
pub(crate) const TARGET_PROMO: usize = 29;

/// Columns in units of demand: divided by the series' level `L` when the model is scaled
/// ([`GlobalScale::Features`] or [`GlobalScale::Target`]).
const LEVEL_COLUMNS: [usize; 9] = [4, 5, 6, 7, 8, 9, 10, 13, 16];

/// Prior weight, in periods, of the yearly mean in the level `L` (the last 28 days or 6 months
/// shrunk toward the last year): a week of days, a month of months.
const LEVEL_PRIOR: f64 = 7.0;

/// Smallest level `L`, in units per period: a series that sold nothing in its last year still
/// gets a finite ratio (its scaled target is 0 and its weight near 0).
pub(crate) const LEVEL_FLOOR: f64 = 0.01;

/// Columns read as categories (ids), not as ordered numbers.
pub(crate) const CATEGORICAL: [usize; 3] = [25, 26, 27];

/// Most distinct values an id column may have to be used (a part number over thousands of
/// series is noise to the trees; the series' own statistics describe it).
const MAX_IDS: usize = 250;

/// Seasons looked back for the same-position mean.
const SAME_POS_SEASONS: usize = 4;

/// Rolling windows, in periods: a week, four weeks, a quarter and a year for daily data (the
/// M5 winners' 7/28/… rolling means); a quarter, half a year, a year, two for monthly.
pub(crate) fn windows(freq: Frequency) -> [usize; 4] {
    match freq {
        Frequency::Daily => [7, 28, 91, 364],
        Frequency::Weekly => [4, 13, 26, 52],
        Frequency::Monthly => [3, 6, 12, 24],
    }
}

/// Ids of the categorical columns, fixed for a run (the same map trains and predicts).
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    sku: Option<BTreeMap<String, f64>>,
    location: Option<BTreeMap<String, f64>>,
    category: Option<BTreeMap<String, f64>>,
}

impl Ids {
    pub(crate) fn new(series: &[Series]) -> Self {
        fn map<'a>(it: impl Iterator<Item = &'a str>) -> Option<BTreeMap<String, f64>> {
            let mut m: BTreeMap<String, f64> = BTreeMap::new();
            for v in it {
                let n = m.len() as f64;
                m.entry(v.to_string()).or_insert(n);
            }
            (m.len() > 1 && m.len() <= MAX_IDS).then_some(m)
        }
        Self {
            sku: map(series.iter().map(|s| s.key.sku.as_str())),
            location: map(series.iter().map(|s| s.key.location.as_str())),
            category: map(series.iter().filter_map(|s| s.meta.category.as_deref())),
        }
    }

    fn of(&self, s: &Series) -> [f64; 3] {
        let get = |m: &Option<BTreeMap<String, f64>>, k: Option<&str>| {
            m.as_ref()
                .zip(k)
                .and_then(|(m, k)| m.get(k).copied())
                .unwrap_or(f64::NAN)
        };
        [
            get(&self.sku, Some(&s.key.sku)),
            get(&self.location, Some(&s.key.location)),
            get(&self.category, s.meta.category.as_deref()),
        ]
    }
}

/// Demand history cleaned the way the engine's preparation cleans it (implausible zero runs
/// censored as stockouts, one-off spikes capped), on `units[..cut]` only: nothing after `cut`
/// reaches it. Promotion days keep their sales (the promotion is a feature here).
pub(crate) fn clean(units: &[f64], freq: Frequency, stockouts: bool, cap: bool) -> Vec<f64> {
    let mut y = units.to_vec();
    if stockouts {
        prepare::censor_zero_runs(&mut y, freq);
    }
    if cap {
        prepare::cap_outliers(&mut y);
    }
    y
}

/// Prefix sums over the cleaned history, so each window statistic costs O(1).
pub(crate) struct Prefix<'a> {
    pub(crate) s: &'a Series,
    /// Cleaned demand (NaN: unknown); its length is the cut.
    pub(crate) y: Vec<f64>,
    ids: [f64; 3],
    sum: Vec<f64>,
    sq: Vec<f64>,
    n: Vec<f64>,
    nz: Vec<f64>,
    /// Last known value before `i` and the index of the last non-zero before `i`.
    last: Vec<f64>,
    last_nz: Vec<Option<usize>>,
    /// Price: prefix sums of known prices and the last known price before `i`.
    psum: Vec<f64>,
    pn: Vec<f64>,
    plast: Vec<f64>,
    promo: Vec<f64>,
}

impl<'a> Prefix<'a> {
    pub(crate) fn new(s: &'a Series, y: Vec<f64>, ids: &Ids) -> Self {
        let len = y.len();
        let mut p = Prefix {
            s,
            ids: ids.of(s),
            sum: vec![0.0; len + 1],
            sq: vec![0.0; len + 1],
            n: vec![0.0; len + 1],
            nz: vec![0.0; len + 1],
            last: vec![f64::NAN; len + 1],
            last_nz: vec![None; len + 1],
            psum: vec![0.0; len + 1],
            pn: vec![0.0; len + 1],
            plast: vec![f64::NAN; len + 1],
            promo: vec![0.0; len + 1],
            y,
        };
        for i in 0..len {
            let v = p.y[i];
            let known = v.is_finite();
            p.sum[i + 1] = p.sum[i] + if known { v } else { 0.0 };
            p.sq[i + 1] = p.sq[i] + if known { v * v } else { 0.0 };
            p.n[i + 1] = p.n[i] + f64::from(known);
            p.nz[i + 1] = p.nz[i] + f64::from(known && v > 0.0);
            p.last[i + 1] = if known { v } else { p.last[i] };
            p.last_nz[i + 1] = if known && v > 0.0 {
                Some(i)
            } else {
                p.last_nz[i]
            };
            let pr = s.price.get(i).copied().unwrap_or(f64::NAN);
            let pk = pr.is_finite();
            p.psum[i + 1] = p.psum[i] + if pk { pr } else { 0.0 };
            p.pn[i + 1] = p.pn[i] + f64::from(pk);
            p.plast[i + 1] = if pk { pr } else { p.plast[i] };
            let pm = s.promo.get(i).copied().unwrap_or(false);
            p.promo[i + 1] = p.promo[i] + f64::from(pm);
        }
        p
    }

    /// (mean, sd, zero share, non-zero count, known count) of the known periods in `[t−w, t)`.
    fn window(&self, t: usize, w: usize) -> (f64, f64, f64, f64, f64) {
        let a = t.saturating_sub(w);
        let n = self.n[t] - self.n[a];
        if n == 0.0 {
            return (f64::NAN, f64::NAN, f64::NAN, 0.0, 0.0);
        }
        let mean = (self.sum[t] - self.sum[a]) / n;
        let var = ((self.sq[t] - self.sq[a]) / n - mean * mean).max(0.0);
        let nz = self.nz[t] - self.nz[a];
        (mean, var.sqrt(), 1.0 - nz / n, nz, n)
    }

    fn price_mean(&self, t: usize, w: usize) -> f64 {
        let a = t.saturating_sub(w);
        let n = self.pn[t] - self.pn[a];
        if n == 0.0 {
            f64::NAN
        } else {
            (self.psum[t] - self.psum[a]) / n
        }
    }
}

/// The features of origin `t` that do not depend on the horizon (computed once per origin).
pub(crate) struct AtOrigin {
    base: [f64; NF],
    /// The series' level `L` at the origin (see [`level`]).
    pub(crate) level: f64,
    /// Whether the level columns are divided by `level`.
    scaled: bool,
}

/// The series' level at origin `t`: the mean of its known periods in the second window (28
/// days, 6 months) shrunk toward the mean of the last year with [`LEVEL_PRIOR`] periods of
/// weight, at least [`LEVEL_FLOOR`]. Reads `p.y[..t]` only.
pub(crate) fn level(p: &Prefix, t: usize, freq: Frequency) -> f64 {
    let w = windows(freq);
    let a = t.saturating_sub(w[1]);
    let (sum, n) = (p.sum[t] - p.sum[a], p.n[t] - p.n[a]);
    let (m4, _, _, _, n4) = p.window(t, w[3]);
    let l = if n4 > 0.0 {
        (sum + LEVEL_PRIOR * m4) / (n + LEVEL_PRIOR)
    } else {
        0.0
    };
    l.max(LEVEL_FLOOR)
}

/// Horizon-independent features at origin `t` (`t <= p.y.len()`): only `p.y[..t]`, the
/// promotions and prices before `t` are read. With `scale` other than `None`, the level
/// columns are divided by the series' level (`level`).
pub(crate) fn at_origin(p: &Prefix, t: usize, freq: Frequency, scale: GlobalScale) -> AtOrigin {
    let w = windows(freq);
    let mut f = [f64::NAN; NF];
    let (m1, _, _, _, _) = p.window(t, w[0]);
    let (m2, sd2, z2, _, _) = p.window(t, w[1]);
    let (m3, _, _, _, _) = p.window(t, w[2]);
    let (m4, _, _, nz4, n4) = p.window(t, w[3]);
    f[4] = p.last[t];
    f[6] = m1;
    f[7] = m2;
    f[8] = m3;
    f[9] = m4;
    f[10] = sd2;
    f[11] = z2;
    f[12] = p.last_nz[t].map_or(t as f64, |i| (t - i) as f64);
    f[15] = if m2 > 0.0 { m1 / m2 } else { f64::NAN };
    f[16] = if p.n[t] > 0.0 {
        p.sum[t] / p.n[t]
    } else {
        f64::NAN
    };
    // Syntetos–Boylan statistics over the last year (engine::classify uses the same cut-offs)
    f[17] = if nz4 > 0.0 { n4 / nz4 } else { f64::NAN };
    f[18] = {
        let a = t.saturating_sub(w[3]);
        let sizes: Vec<f64> = p.y[a..t]
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        if sizes.len() < 2 {
            f64::NAN
        } else {
            let mean = sizes.iter().sum::<f64>() / sizes.len() as f64;
            let var = sizes.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / sizes.len() as f64;
            var / (mean * mean)
        }
    };
    f[19] = p.n[t];
    let price = p.plast[t];
    f[20] = price;
    f[21] = price / p.price_mean(t, w[3]);
    let before = t.saturating_sub(w[1]);
    f[22] = price / p.plast[before];
    f[23] = if t > 0 && t <= p.s.promo.len() {
        f64::from(p.s.promo[t - 1])
    } else {
        f64::NAN
    };
    f[24] = if p.s.promo.is_empty() {
        f64::NAN
    } else {
        let a = t.saturating_sub(w[1]);
        (p.promo[t] - p.promo[a]) / (t - a).max(1) as f64
    };
    f[25..28].copy_from_slice(&p.ids);
    let level = level(p, t, freq);
    let scaled = scale != GlobalScale::None;
    if scaled {
        for j in LEVEL_COLUMNS {
            f[j] /= level;
        }
        f[28] = level.ln();
    }
    AtOrigin {
        base: f,
        level,
        scaled,
    }
}

/// Whether period `i` of `s` is promoted as planned: its promotion flag inside the history,
/// the planned promotions (`future_promo`) after its end; NaN when the series has no
/// promotion data at all.
pub(crate) fn planned_promo(s: &Series, i: usize) -> f64 {
    if s.promo.is_empty() && s.future_promo.is_empty() {
        return f64::NAN;
    }
    let promoted = if i < s.units.len() {
        s.promo.get(i).copied()
    } else {
        Some(s.planned(i - s.units.len()))
    };
    f64::from(promoted.unwrap_or(false))
}

/// One feature row: origin `t`, horizon `k >= 1` (the target is period `t + k − 1`), season `m`.
pub(crate) fn row(p: &Prefix, o: &AtOrigin, t: usize, k: usize, m: usize) -> [f64; NF] {
    let mut f = o.base;
    let target = t + k - 1;
    f[0] = k as f64;
    let date = p.s.frequency.add(p.s.start, target as i64);
    f[1] = match p.s.frequency {
        Frequency::Daily => f64::from(date.weekday().num_days_from_monday()),
        Frequency::Weekly => f64::from(date.iso_week().week()),
        Frequency::Monthly => f64::from(date.month0()),
    };
    f[2] = match p.s.frequency {
        Frequency::Daily => f64::from(date.day()),
        _ => f64::NAN,
    };
    f[3] = f64::from(date.month0());
    // the same position in earlier seasons, before the origin: the seasonal lag and the mean
    // of the last few
    let m = m.max(1);
    let first_back = (target - t) / m + 1;
    let mut same = Vec::with_capacity(SAME_POS_SEASONS);
    for j in first_back..first_back + SAME_POS_SEASONS {
        let Some(i) = target.checked_sub(j * m) else {
            break;
        };
        debug_assert!(i < t);
        let v = p.y[i];
        if v.is_finite() {
            same.push(v);
        }
    }
    f[5] = same.first().copied().unwrap_or(f64::NAN);
    f[13] = if same.is_empty() {
        f64::NAN
    } else {
        same.iter().sum::<f64>() / same.len() as f64
    };
    f[14] = if f[9] > 0.0 { f[13] / f[9] } else { f64::NAN };
    f[TARGET_PROMO] = planned_promo(p.s, target);
    if o.scaled {
        // the two columns set per horizon (the others were divided in `at_origin`); the index
        // above is a ratio of two scaled columns, unchanged
        f[5] /= o.level;
        f[13] /= o.level;
    }
    f
}
