//! Cleaning a history before the models see it: likely stockouts become unknown, one-off
//! spikes are capped, promotion days are taken back to baseline.

use crate::series::Frequency;

/// What preparation changed, for the run's notes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preparation {
    /// Periods turned unknown because a long zero run was implausible for the series' rate.
    pub censored_runs: usize,
    pub censored_periods: usize,
    /// Values capped, and the cap.
    pub capped: usize,
    pub cap: Option<f64>,
    /// Promotion lift applied (1 = none).
    pub promo_lift: f64,
}

/// Turn implausible zero runs into unknowns (no inventory data: infer stockouts).
///
/// A run of `L` zeros is implausible when `p0^L < 1e-6`, with `p0` the share of zero periods in
/// the 8 weeks around it. A run at the very end is left alone: it may be real (discontinued), and
/// the decaying intermittent models handle it.
pub fn censor_zero_runs(y: &mut [f64], frequency: Frequency) -> (usize, usize) {
    if frequency != Frequency::Daily {
        return (0, 0);
    }
    let n = y.len();
    let mut runs = Vec::new();
    let mut t = 0;
    while t < n {
        if y[t] == 0.0 {
            let a = t;
            while t < n && y[t] == 0.0 {
                t += 1;
            }
            if t < n && t - a >= 7 {
                runs.push((a, t));
            }
        } else {
            t += 1;
        }
    }
    let mut periods = 0;
    let mut count = 0;
    for (a, b) in runs {
        let len = b - a;
        let lo = a.saturating_sub(56);
        let hi = (b + 56).min(n);
        let mut zeros = 0.0;
        let mut known = 0.0;
        for (i, v) in y[lo..hi].iter().enumerate() {
            let i = i + lo;
            if (a..b).contains(&i) || !v.is_finite() {
                continue;
            }
            known += 1.0;
            if *v == 0.0 {
                zeros += 1.0;
            }
        }
        if known < 14.0 {
            continue;
        }
        // one pseudo-zero keeps p0 away from 0 for series that always sell
        let p0: f64 = (zeros + 1.0) / (known + 2.0);
        if (len as f64) * p0.ln() < (1e-6f64).ln() {
            for v in &mut y[a..b] {
                *v = f64::NAN;
            }
            periods += len;
            count += 1;
        }
    }
    (count, periods)
}

/// Cap one-off spikes (bulk orders) at three times the 95th percentile of the non-zero values.
pub fn cap_outliers(y: &mut [f64]) -> (usize, Option<f64>) {
    let mut nz: Vec<f64> = y
        .iter()
        .copied()
        .filter(|v| v.is_finite() && *v > 0.0)
        .collect();
    if nz.len() < 10 {
        return (0, None);
    }
    nz.sort_by(f64::total_cmp);
    let q95 = nz[((nz.len() - 1) as f64 * 0.95).round() as usize];
    let cap = (3.0 * q95).max(5.0);
    let mut capped = 0;
    for v in y.iter_mut() {
        if v.is_finite() && *v > cap {
            *v = cap;
            capped += 1;
        }
    }
    (capped, (capped > 0).then_some(cap))
}

/// Promotion lift: mean demand on promotion days over mean demand on other days in the last
/// `span` periods, with the number of promotion days observed (for pooling).
pub fn promo_stats(y: &[f64], promo: &[bool], span: usize) -> Option<(f64, f64, usize)> {
    if promo.len() != y.len() {
        return None;
    }
    let from = y.len().saturating_sub(span);
    let (mut sp, mut np, mut so, mut no) = (0.0, 0usize, 0.0, 0usize);
    for (v, p) in y[from..].iter().zip(&promo[from..]) {
        if !v.is_finite() {
            continue;
        }
        if *p {
            sp += v;
            np += 1;
        } else {
            so += v;
            no += 1;
        }
    }
    if np == 0 || no == 0 {
        return None;
    }
    Some((sp / np as f64, so / no as f64, np))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_zero_run_in_a_steady_seller_is_censored() {
        let mut y: Vec<f64> = (0..120)
            .map(|t| if t % 5 == 0 { 0.0 } else { 3.0 })
            .collect();
        for v in &mut y[50..62] {
            *v = 0.0;
        }
        let (runs, periods) = censor_zero_runs(&mut y, Frequency::Daily);
        assert_eq!((runs, periods), (1, 12));
        assert!(y[55].is_nan());
    }

    #[test]
    fn zero_runs_of_a_slow_mover_stay() {
        let mut y: Vec<f64> = (0..120)
            .map(|t| if t % 10 == 0 { 1.0 } else { 0.0 })
            .collect();
        let (runs, _) = censor_zero_runs(&mut y, Frequency::Daily);
        assert_eq!(runs, 0);
    }

    #[test]
    fn trailing_run_is_not_censored() {
        let mut y = vec![5.0; 100];
        for v in &mut y[80..] {
            *v = 0.0;
        }
        assert_eq!(censor_zero_runs(&mut y, Frequency::Daily).0, 0);
    }

    #[test]
    fn a_bulk_order_is_capped() {
        let mut y: Vec<f64> = (0..60).map(|t| (t % 3) as f64).collect();
        y[30] = 400.0;
        let (n, cap) = cap_outliers(&mut y);
        assert_eq!(n, 1);
        assert_eq!(cap, Some(6.0));
    }
}
