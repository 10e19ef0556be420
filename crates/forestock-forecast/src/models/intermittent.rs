//! Models for intermittent demand: Croston (SBA), TSB, ADIDA and IMAPA.
//!
//! Unknown (`NaN`) periods are dropped before fitting: an out-of-stock day is neither a demand
//! nor a zero.

use super::simple::{optimise_alpha, ses_level};

fn known(y: &[f64]) -> Vec<f64> {
    y.iter().copied().filter(|v| v.is_finite()).collect()
}

/// Croston's method with the Syntetos–Boylan approximation (bias correction `1 - alpha/2`);
/// Syntetos & Boylan (2005), IJF 21(2).
pub fn croston_sba(y: &[f64], h: usize, alpha: f64) -> Vec<f64> {
    let y = known(y);
    let mut size = f64::NAN;
    let mut interval = f64::NAN;
    let mut gap = 0.0;
    for v in &y {
        gap += 1.0;
        if *v > 0.0 {
            if size.is_nan() {
                size = *v;
                interval = gap;
            } else {
                size += alpha * (v - size);
                interval += alpha * (gap - interval);
            }
            gap = 0.0;
        }
    }
    let f = if size.is_nan() {
        0.0
    } else {
        (1.0 - alpha / 2.0) * size / interval.max(1.0)
    };
    vec![f.max(0.0); h]
}

/// Teunter–Syntetos–Babai (2011): smooths the demand probability every period, so the forecast
/// decays during long runs without demand (obsolescence).
pub fn tsb(y: &[f64], h: usize, alpha_d: f64, alpha_p: f64) -> Vec<f64> {
    let y = known(y);
    if y.is_empty() {
        return vec![0.0; h];
    }
    let nonzero: Vec<f64> = y.iter().copied().filter(|v| *v > 0.0).collect();
    if nonzero.is_empty() {
        return vec![0.0; h];
    }
    let mut p = nonzero.len() as f64 / y.len() as f64;
    let mut z = nonzero.iter().sum::<f64>() / nonzero.len() as f64;
    for v in &y {
        if *v > 0.0 {
            p += alpha_p * (1.0 - p);
            z += alpha_d * (v - z);
        } else {
            p -= alpha_p * p;
        }
    }
    vec![(p * z).max(0.0); h]
}

/// Mean interval between demands (ADI), over known periods.
pub fn mean_interval(y: &[f64]) -> f64 {
    let y = known(y);
    let demands = y.iter().filter(|v| **v > 0.0).count();
    if demands == 0 {
        return y.len().max(1) as f64;
    }
    y.len() as f64 / demands as f64
}

/// SES on non-overlapping buckets of `k` periods aligned to the end, per period.
fn aggregate_ses(y: &[f64], k: usize) -> f64 {
    let k = k.max(1);
    let buckets: Vec<f64> = y.rchunks_exact(k).rev().map(|c| c.iter().sum()).collect();
    if buckets.is_empty() {
        let n = y.len().max(1) as f64;
        return y.iter().sum::<f64>() / n;
    }
    let alpha = optimise_alpha(&buckets, 0.01, 0.99);
    ses_level(&buckets, alpha).0 / k as f64
}

/// ADIDA (Nikolopoulos et al. 2011): aggregate to buckets of the mean demand interval, forecast
/// the buckets with SES, spread evenly back over the periods.
pub fn adida(y: &[f64], h: usize) -> Vec<f64> {
    let y = known(y);
    if y.is_empty() {
        return vec![0.0; h];
    }
    let k = mean_interval(&y).round().max(1.0) as usize;
    let k = k.min((y.len() / 2).max(1));
    vec![aggregate_ses(&y, k).max(0.0); h]
}

/// IMAPA (Petropoulos & Kourentzes 2015): the mean of SES-on-aggregate forecasts over every
/// aggregation level from 1 to the mean demand interval.
pub fn imapa(y: &[f64], h: usize) -> Vec<f64> {
    let y = known(y);
    if y.is_empty() {
        return vec![0.0; h];
    }
    let top = mean_interval(&y).round().max(1.0) as usize;
    let top = top.min((y.len() / 2).max(1));
    let f = (1..=top).map(|k| aggregate_ses(&y, k)).sum::<f64>() / top as f64;
    vec![f.max(0.0); h]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn croston_on_regular_intermittent_demand() {
        // a demand of 4 every 4th period -> rate 1 per period, SBA shrinks it by alpha/2
        let y: Vec<f64> = (0..40)
            .map(|t| if t % 4 == 3 { 4.0 } else { 0.0 })
            .collect();
        let f = croston_sba(&y, 1, 0.1)[0];
        assert!((f - 0.95).abs() < 1e-9, "{f}");
    }

    #[test]
    fn tsb_decays_after_demand_stops() {
        let mut y: Vec<f64> = (0..40)
            .map(|t| if t % 2 == 0 { 2.0 } else { 0.0 })
            .collect();
        let before = tsb(&y, 1, 0.1, 0.1)[0];
        y.extend(vec![0.0; 30]);
        let after = tsb(&y, 1, 0.1, 0.1)[0];
        assert!(after < before * 0.2, "{before} {after}");
    }

    #[test]
    fn adida_and_imapa_match_rate() {
        let y: Vec<f64> = (0..60)
            .map(|t| if t % 3 == 0 { 3.0 } else { 0.0 })
            .collect();
        assert!((adida(&y, 1)[0] - 1.0).abs() < 0.05);
        assert!((imapa(&y, 1)[0] - 1.0).abs() < 0.1);
    }

    #[test]
    fn unknown_periods_are_skipped() {
        let y = [2.0, f64::NAN, f64::NAN, 2.0, 2.0];
        assert_eq!(tsb(&y, 1, 0.1, 0.1)[0], 2.0);
    }
}
