//! Baselines and level models: seasonal naive, window average, simple exponential smoothing.
//!
//! Every model reads `NaN` as "unknown" and skips it (the state carries over), so stockout days
//! never pull a forecast down.

/// Seasonal naive: each phase repeats its last known value (lag `m`).
pub fn seasonal_naive(y: &[f64], h: usize, m: usize) -> Vec<f64> {
    let m = m.max(1);
    let n = y.len();
    let fallback = last_known(y).unwrap_or(0.0);
    let mut last = vec![f64::NAN; m];
    for (t, v) in y.iter().enumerate() {
        if v.is_finite() {
            last[t % m] = *v;
        }
    }
    (0..h)
        .map(|i| {
            let v = last[(n + i) % m];
            if v.is_finite() {
                v
            } else {
                fallback
            }
        })
        .collect()
}

/// Mean of the last `w` known values, flat.
pub fn window_average(y: &[f64], h: usize, w: usize) -> Vec<f64> {
    let mut sum = 0.0;
    let mut count = 0usize;
    for v in y.iter().rev().filter(|v| v.is_finite()) {
        sum += v;
        count += 1;
        if count >= w {
            break;
        }
    }
    let level = if count > 0 { sum / count as f64 } else { 0.0 };
    vec![level; h]
}

/// Final level of simple exponential smoothing with smoothing `alpha`, and its sum of squared
/// one-step errors. The level starts at the mean of the first few known values.
pub fn ses_level(y: &[f64], alpha: f64) -> (f64, f64) {
    let mut known = y.iter().copied().filter(|v| v.is_finite());
    let first: Vec<f64> = known.by_ref().take(1).collect();
    let Some(&start) = first.first() else {
        return (0.0, 0.0);
    };
    // A short average is a less noisy start than the first value alone.
    let init: Vec<f64> = y
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .take(7)
        .collect();
    let mut level = if init.is_empty() {
        start
    } else {
        init.iter().sum::<f64>() / init.len() as f64
    };
    let mut sse = 0.0;
    for v in y.iter().copied().filter(|v| v.is_finite()) {
        let e = v - level;
        sse += e * e;
        level += alpha * e;
    }
    (level, sse)
}

/// Smoothing parameter of SES minimising the in-sample squared one-step error (golden section
/// search on `[lo, hi]`).
pub fn optimise_alpha(y: &[f64], lo: f64, hi: f64) -> f64 {
    golden_section(|a| ses_level(y, a).1, lo, hi, 16)
}

/// SES with optimised smoothing, flat forecast.
pub fn ses(y: &[f64], h: usize) -> Vec<f64> {
    let alpha = optimise_alpha(y, 0.01, 0.99);
    vec![ses_level(y, alpha).0.max(0.0); h]
}

/// Minimise a unimodal function on `[lo, hi]` by golden section search.
pub fn golden_section(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64, iters: usize) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = hi - g * (hi - lo);
    let mut d = lo + g * (hi - lo);
    let mut fc = f(c);
    let mut fd = f(d);
    for _ in 0..iters {
        if fc < fd {
            hi = d;
            d = c;
            fd = fc;
            c = hi - g * (hi - lo);
            fc = f(c);
        } else {
            lo = c;
            c = d;
            fc = fd;
            d = lo + g * (hi - lo);
            fd = f(d);
        }
    }
    (lo + hi) / 2.0
}

pub fn last_known(y: &[f64]) -> Option<f64> {
    y.iter().rev().copied().find(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasonal_naive_repeats_and_skips_unknown() {
        let y = [1.0, 2.0, 3.0, 4.0, f64::NAN, 6.0];
        // m = 3: phases of t=6,7,8 are 0,1,2 -> last known at phase 0 is 4, phase 1 is 2 (t=4 NaN)
        assert_eq!(seasonal_naive(&y, 3, 3), vec![4.0, 2.0, 6.0]);
    }

    #[test]
    fn window_average_ignores_unknown() {
        let y = [10.0, 2.0, f64::NAN, 4.0];
        assert_eq!(window_average(&y, 2, 2), vec![3.0, 3.0]);
    }

    #[test]
    fn ses_tracks_a_level_shift() {
        let mut y = vec![2.0; 50];
        y.extend(vec![10.0; 50]);
        let f = ses(&y, 1)[0];
        assert!(f > 9.0, "{f}");
    }
}
