//! Distribution of total demand over a window of days.
//!
//! Demand is a count, so the distribution is a negative binomial matched to the window's mean and
//! variance (a Poisson when the variance does not exceed the mean, a normal approximation for
//! very large means). To let the planner work with fractional stock levels and targets, the
//! count distribution is extended to a continuous one by linear interpolation of its CDF between
//! integers: `cdf(k)` is exact at every integer `k`, and `quantile(p).ceil()` is the usual
//! discrete quantile (smallest `k` with `P(D <= k) >= p`). Nothing is ever negative.

use serde::{Deserialize, Serialize};

/// Above this mean the count distribution is replaced by a normal approximation.
const NORMAL_ABOVE_MEAN: f64 = 20_000.0;

/// Largest squared coefficient of variation kept.
const MAX_CV2: f64 = 25.0;

/// Largest support of the tabulated count distribution.
const MAX_SUPPORT: f64 = 400_000.0;

/// Distribution of total demand over a window (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandDistribution {
    mean: f64,
    variance: f64,
    shape: Shape,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Shape {
    /// All mass at zero.
    Zero,
    /// Probability mass on 0..pmf.len(); the tail beyond is negligible (< 1e-12).
    Counts { pmf: Vec<f64>, cdf: Vec<f64> },
    /// Normal approximation (truncated at zero) for very large means.
    Normal,
}

impl DemandDistribution {
    /// A count distribution with the given mean and variance (negative binomial when
    /// `variance > mean`, Poisson otherwise). Non-finite or negative inputs are treated as zero.
    pub fn from_moments(mean: f64, variance: f64) -> Self {
        let mean = if mean.is_finite() && mean > 0.0 {
            mean
        } else {
            0.0
        };
        let variance = if variance.is_finite() {
            variance.max(mean)
        } else {
            mean
        };
        // Coefficient of variation at most 5: beyond that a count distribution is all tail and
        // no planning decision changes.
        let variance = variance.min(mean + MAX_CV2 * mean * mean);
        if mean < 1e-9 {
            return Self {
                mean: 0.0,
                variance: 0.0,
                shape: Shape::Zero,
            };
        }
        if mean > NORMAL_ABOVE_MEAN || mean + 12.0 * variance.sqrt() > MAX_SUPPORT {
            return Self {
                mean,
                variance,
                shape: Shape::Normal,
            };
        }
        let pmf = count_pmf(mean, variance);
        let mut cdf = Vec::with_capacity(pmf.len());
        let mut acc = 0.0;
        for p in &pmf {
            acc += p;
            cdf.push(acc.min(1.0));
        }
        if let Some(last) = cdf.last_mut() {
            *last = 1.0;
        }
        Self {
            mean,
            variance,
            shape: Shape::Counts { pmf, cdf },
        }
    }

    /// All demand is zero (no forecast after end of life, or nothing ever sold).
    pub fn zero() -> Self {
        Self {
            mean: 0.0,
            variance: 0.0,
            shape: Shape::Zero,
        }
    }

    /// Expected total demand.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Variance of total demand.
    pub fn variance(&self) -> f64 {
        self.variance
    }

    /// Standard deviation of total demand.
    pub fn std_dev(&self) -> f64 {
        self.variance.sqrt()
    }

    /// `P(D <= x)`; exact at integers, linear in between, 0 below zero.
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if x < 0.0 {
            return 0.0;
        }
        match &self.shape {
            Shape::Zero => 1.0,
            Shape::Normal => normal_cdf((x + 0.5 - self.mean) / self.std_dev().max(1e-9)),
            Shape::Counts { cdf, .. } => {
                let lo = x.floor();
                let frac = x - lo;
                let k = lo as usize;
                let at = |i: usize| cdf.get(i).copied().unwrap_or(1.0);
                if frac == 0.0 {
                    at(k)
                } else {
                    at(k) + frac * (at(k + 1) - at(k))
                }
            }
        }
    }

    /// Smallest `x >= 0` with `cdf(x) >= p` (continuous extension; `ceil()` gives the discrete
    /// quantile). `p` is clamped to `[0, 1]`.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.5
        };
        match &self.shape {
            Shape::Zero => 0.0,
            Shape::Normal => (self.mean - 0.5
                + self.std_dev() * normal_quantile(p.clamp(1e-12, 1.0 - 1e-12)))
            .max(0.0),
            Shape::Counts { cdf, .. } => {
                if p <= cdf[0] {
                    return 0.0;
                }
                // first k with cdf[k] >= p; then interpolate inside (k-1, k]
                let k = cdf.partition_point(|&c| c < p);
                if k >= cdf.len() {
                    return (cdf.len() - 1) as f64;
                }
                let below = cdf[k - 1];
                let step = cdf[k] - below;
                if step <= 0.0 {
                    k as f64
                } else {
                    (k - 1) as f64 + (p - below) / step
                }
            }
        }
    }

    /// The discrete quantile: the smallest integer `k >= 0` with `P(D <= k) >= p` (read on the
    /// count CDF itself, so it is exact at integers, not rounded from the continuous extension).
    pub fn discrete_quantile(&self, p: f64) -> f64 {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.5
        };
        match &self.shape {
            Shape::Zero => 0.0,
            Shape::Normal => self.quantile(p).ceil(),
            Shape::Counts { cdf, .. } => cdf.partition_point(|&c| c < p).min(cdf.len() - 1) as f64,
        }
    }

    /// Expected unmet demand `E[(D - stock)+]` when `stock` units are available for the window
    /// (the standard loss function; fill rate = 1 - expected_shortage / mean).
    pub fn expected_shortage(&self, stock: f64) -> f64 {
        let s = if stock.is_finite() {
            stock.max(0.0)
        } else {
            0.0
        };
        match &self.shape {
            Shape::Zero => 0.0,
            Shape::Normal => {
                let sd = self.std_dev().max(1e-9);
                let z = (s - self.mean) / sd;
                sd * (normal_pdf(z) - z * (1.0 - normal_cdf(z)))
            }
            Shape::Counts { pmf, .. } => {
                // E[(D-s)+] = E[D] - E[min(D, s)], with E[D] the stated mean: the pmf stops
                // where its tail is negligible, so its own mean falls short of E[D] by the
                // tail's part (which sits above any stock the pmf reaches, and is short).
                let mut below = 0.0;
                for (k, p) in pmf.iter().enumerate() {
                    let kf = k as f64;
                    below += p * kf.min(s);
                    if kf >= s {
                        // the remaining mass contributes s each
                        let tail: f64 = pmf[k + 1..].iter().sum();
                        below += tail * s;
                        break;
                    }
                }
                (self.mean - below).max(0.0)
            }
        }
    }

    /// Expected units sold `E[min(D, stock)]`.
    pub fn expected_sales(&self, stock: f64) -> f64 {
        (self.mean - self.expected_shortage(stock)).max(0.0)
    }
}

/// Probability mass of a negative binomial (or Poisson) with the given moments, on `0..K` where
/// the tail beyond `K` is below 1e-12. Computed by the ratio recurrence from the mode outwards
/// (one `ln_gamma` per distribution), so it stays cheap for large means.
fn count_pmf(mean: f64, variance: f64) -> Vec<f64> {
    let poisson = variance <= mean * (1.0 + 1e-9);
    // log pmf at k, and the ratio p(k+1)/p(k)
    let (q, r) = if poisson {
        (1.0, 0.0)
    } else {
        (mean / variance, mean * mean / (variance - mean))
    };
    let log_at = |k: f64| -> f64 {
        if poisson {
            k * mean.ln() - mean - ln_gamma(k + 1.0)
        } else {
            ln_gamma(k + r) - ln_gamma(r) - ln_gamma(k + 1.0) + r * q.ln() + k * (1.0 - q).ln()
        }
    };
    let ratio = |k: f64| -> f64 {
        if poisson {
            mean / (k + 1.0)
        } else {
            (k + r) / (k + 1.0) * (1.0 - q)
        }
    };
    let mode = if poisson {
        mean.floor()
    } else if r > 1.0 {
        ((r - 1.0) * (1.0 - q) / q).floor()
    } else {
        0.0
    };
    let sd = variance.sqrt();
    let upper = (mean + 12.0 * sd + 30.0).ceil() as usize;
    let mode = (mode.max(0.0) as usize).min(upper);
    let mut pmf = vec![0.0; upper + 1];
    pmf[mode] = log_at(mode as f64).exp();
    if !(pmf[mode].is_finite() && pmf[mode] > 0.0) {
        pmf[mode] = 1.0; // normalised below
    }
    for k in mode..upper {
        let next = pmf[k] * ratio(k as f64);
        pmf[k + 1] = next;
        if next < 1e-300 {
            break;
        }
    }
    for k in (0..mode).rev() {
        let prev = pmf[k + 1] / ratio(k as f64);
        if !(prev.is_finite()) || prev < 1e-300 {
            break;
        }
        pmf[k] = prev;
    }
    let total: f64 = pmf.iter().sum();
    if total > 0.0 && total.is_finite() {
        for p in &mut pmf {
            *p /= total;
        }
    }
    // trim the negligible tail
    let mut acc = 0.0;
    let mut keep = pmf.len();
    for (k, p) in pmf.iter().enumerate() {
        acc += p;
        if k >= mode && 1.0 - acc < 1e-12 {
            keep = k + 1;
            break;
        }
    }
    pmf.truncate(keep.max(1));
    pmf
}

/// Natural log of the gamma function (Lanczos approximation, g = 7, n = 9; Numerical Recipes).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // reflection
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

pub(crate) fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Standard normal CDF via erfc (W. J. Cody's rational approximation through `erfc_approx`).
pub(crate) fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Complementary error function, Numerical Recipes `erfcc` (fractional error < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9).
pub(crate) fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let lo = 0.02425;
    if p < lo {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - lo {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_moments_and_quantiles() {
        let d = DemandDistribution::from_moments(4.0, 4.0);
        assert!((d.cdf(0.0) - (-4.0f64).exp()).abs() < 1e-9);
        let q = d.quantile(0.9);
        assert!(d.cdf(q) >= 0.9 - 1e-9);
        assert_eq!(q.ceil(), 7.0); // Poisson(4): P(<=6)=0.889, P(<=7)=0.949
    }

    #[test]
    fn negative_binomial_matches_moments() {
        let d = DemandDistribution::from_moments(3.0, 12.0);
        if let Shape::Counts { pmf, .. } = &d.shape {
            let m: f64 = pmf.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
            let v: f64 = pmf
                .iter()
                .enumerate()
                .map(|(k, p)| (k as f64 - m).powi(2) * p)
                .sum();
            assert!((m - 3.0).abs() < 1e-6, "{m}");
            assert!((v - 12.0).abs() < 1e-4, "{v}");
        } else {
            panic!("expected counts");
        }
    }

    #[test]
    fn shortage_is_mean_at_zero_stock_and_decreasing() {
        let d = DemandDistribution::from_moments(10.0, 30.0);
        assert!((d.expected_shortage(0.0) - 10.0).abs() < 1e-6);
        let mut prev = f64::INFINITY;
        for s in 0..60 {
            let e = d.expected_shortage(s as f64 + 0.5);
            assert!(e <= prev + 1e-12);
            prev = e;
        }
        assert!(prev < 1e-6);
    }

    #[test]
    fn normal_approximation_for_large_means() {
        let d = DemandDistribution::from_moments(50_000.0, 100_000.0);
        let q = d.quantile(0.5);
        assert!((q - 50_000.0).abs() < 2.0);
        assert!((d.cdf(q) - 0.5).abs() < 0.01);
        assert!(d.expected_shortage(50_000.0) > 0.0);
    }

    #[test]
    fn zero_distribution() {
        let d = DemandDistribution::from_moments(0.0, 0.0);
        assert_eq!(d.quantile(0.99), 0.0);
        assert_eq!(d.cdf(0.0), 1.0);
        assert_eq!(d.expected_shortage(0.0), 0.0);
    }

    #[test]
    fn normal_helpers() {
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-6);
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-10);
    }
}
