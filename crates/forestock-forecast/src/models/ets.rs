//! Exponential smoothing state space models and their automatic selection (AutoETS).
//!
//! Hyndman, Koehler, Ord & Snyder (2008), *Forecasting with Exponential Smoothing*, Springer:
//! error (A/M) × trend (N/A/Ad) × season (N/A/M), smoothing parameters by maximum likelihood
//! (Nelder–Mead), the model by AICc. Point forecasts of additive- and multiplicative-error models
//! follow the same recursions (error-correction form, Table 2.3); the error type changes the
//! likelihood. Multiplicative forms are only tried on strictly positive series, as in the
//! `forecast` R package. Unknown (`NaN`) observations propagate the state without correction.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Component {
    None,
    Additive,
    AdditiveDamped,
    Multiplicative,
}

/// One ETS specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub multiplicative_error: bool,
    pub trend: Component,
    pub season: Component,
}

impl Spec {
    pub fn name(&self) -> String {
        let e = if self.multiplicative_error { "M" } else { "A" };
        let t = match self.trend {
            Component::None => "N",
            Component::Additive => "A",
            Component::AdditiveDamped => "Ad",
            Component::Multiplicative => "M",
        };
        let s = match self.season {
            Component::None => "N",
            Component::Multiplicative => "M",
            _ => "A",
        };
        format!("ETS({e},{t},{s})")
    }
}

/// A fitted ETS model: specification and parameters (initial states are re-derived from data).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    pub spec: Spec,
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
    pub aicc: f64,
}

struct State {
    level: f64,
    trend: f64,
    season: Vec<f64>,
}

fn initial_state(y: &[f64], spec: &Spec, m: usize) -> Option<State> {
    let known: Vec<(usize, f64)> = y
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .collect();
    if known.is_empty() {
        return None;
    }
    let seasonal = spec.season != Component::None && m > 1;
    let span = if seasonal {
        (2 * m).min(y.len())
    } else {
        7.min(y.len())
    }
    .max(1);
    let first: Vec<f64> = y[..span]
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let level = if first.is_empty() {
        known[0].1
    } else {
        first.iter().sum::<f64>() / first.len() as f64
    };
    let mut season = vec![
        if spec.season == Component::Multiplicative {
            1.0
        } else {
            0.0
        };
        m
    ];
    if seasonal {
        // average deviation (ratio) of each phase over the first few cycles
        let cycles = (y.len() / m).clamp(1, 4);
        let mut sums = vec![0.0; m];
        let mut counts = vec![0usize; m];
        for c in 0..cycles {
            let block = &y[c * m..(c + 1) * m];
            let kn: Vec<f64> = block.iter().copied().filter(|v| v.is_finite()).collect();
            if kn.is_empty() {
                continue;
            }
            let mean = kn.iter().sum::<f64>() / kn.len() as f64;
            for (j, v) in block.iter().enumerate() {
                if v.is_finite() {
                    if spec.season == Component::Multiplicative {
                        if mean > 0.0 {
                            sums[j] += v / mean;
                            counts[j] += 1;
                        }
                    } else {
                        sums[j] += v - mean;
                        counts[j] += 1;
                    }
                }
            }
        }
        for j in 0..m {
            if counts[j] > 0 {
                season[j] = sums[j] / counts[j] as f64;
            }
        }
        if spec.season == Component::Multiplicative {
            let avg = season.iter().sum::<f64>() / m as f64;
            if avg > 0.0 {
                for s in &mut season {
                    *s = (*s / avg).max(0.05);
                }
            }
        }
    }
    Some(State {
        level,
        trend: 0.0,
        season,
    })
}

/// Run the filter over `y`; returns the final state and the likelihood term.
fn filter(y: &[f64], fit: &Fit, m: usize) -> Option<(State, f64, usize)> {
    let spec = fit.spec;
    let mut st = initial_state(y, &spec, m)?;
    let m = st.season.len().max(1);
    let seasonal = spec.season != Component::None && m > 1;
    let mult_season = spec.season == Component::Multiplicative;
    let phi = match spec.trend {
        Component::None => 0.0,
        Component::AdditiveDamped => fit.phi,
        _ => 1.0,
    };
    let mut sse = 0.0;
    let mut log_abs = 0.0;
    let mut n = 0usize;
    for (t, &v) in y.iter().enumerate() {
        let j = t % m;
        let s = if seasonal {
            st.season[j]
        } else if mult_season {
            1.0
        } else {
            0.0
        };
        let base = st.level + phi * st.trend;
        let yhat = if mult_season { base * s } else { base + s };
        let e = if v.is_finite() { v - yhat } else { 0.0 };
        if v.is_finite() {
            n += 1;
            if spec.multiplicative_error {
                if yhat <= 1e-9 {
                    return None;
                }
                let r = e / yhat;
                sse += r * r;
                log_abs += yhat.abs().ln();
            } else {
                sse += e * e;
            }
        }
        if mult_season {
            let s_safe = s.max(1e-6);
            st.level = base + fit.alpha * e / s_safe;
            st.trend = phi * st.trend + fit.beta * e / s_safe;
            if seasonal {
                st.season[j] = (s + fit.gamma * e / base.max(1e-6)).max(1e-4);
            }
        } else {
            st.level = base + fit.alpha * e;
            st.trend = phi * st.trend + fit.beta * e;
            if seasonal {
                st.season[j] = s + fit.gamma * e;
            }
        }
        if !st.level.is_finite() || st.level.abs() > 1e12 {
            return None;
        }
    }
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let lik = nf * (sse / nf).max(1e-300).ln() + 2.0 * log_abs;
    Some((st, lik, n))
}

/// Point forecasts `h` periods ahead from the state after `y` (the history to forecast from;
/// may be a prefix of what the model was fitted on).
pub fn forecast(y: &[f64], fit: &Fit, m: usize, h: usize) -> Vec<f64> {
    let Some((st, _, _)) = filter(y, fit, m) else {
        return vec![super::simple::last_known(y).unwrap_or(0.0).max(0.0); h];
    };
    let m = st.season.len().max(1);
    let seasonal = fit.spec.season != Component::None && m > 1;
    let phi = match fit.spec.trend {
        Component::None => 0.0,
        Component::AdditiveDamped => fit.phi,
        _ => 1.0,
    };
    let n = y.len();
    let mut damp = 0.0;
    let mut pow = 1.0;
    (0..h)
        .map(|i| {
            pow *= phi;
            damp += pow;
            let base = st.level + damp * st.trend;
            let f = if !seasonal {
                base
            } else if fit.spec.season == Component::Multiplicative {
                base * st.season[(n + i) % m]
            } else {
                base + st.season[(n + i) % m]
            };
            if f.is_finite() {
                f.max(0.0)
            } else {
                0.0
            }
        })
        .collect()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn params_of(x: &[f64], spec: &Spec) -> (f64, f64, f64, f64) {
    let alpha = 0.0001 + 0.9998 * sigmoid(x[0]);
    let mut i = 1;
    let beta = if spec.trend != Component::None {
        i += 1;
        alpha * 0.999 * sigmoid(x[i - 1])
    } else {
        0.0
    };
    let gamma = if spec.season != Component::None {
        i += 1;
        (1.0 - alpha) * 0.999 * sigmoid(x[i - 1])
    } else {
        0.0
    };
    let phi = if spec.trend == Component::AdditiveDamped {
        0.8 + 0.18 * sigmoid(x[i])
    } else {
        1.0
    };
    (alpha, beta, gamma, phi)
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

/// Fit one specification by maximum likelihood.
pub fn fit_spec(y: &[f64], spec: Spec, m: usize, max_evals: usize) -> Option<Fit> {
    let mut x0 = vec![logit(0.1)];
    if spec.trend != Component::None {
        x0.push(logit(0.1));
    }
    if spec.season != Component::None {
        x0.push(logit(0.05));
    }
    if spec.trend == Component::AdditiveDamped {
        x0.push(logit(0.8));
    }
    let objective = |x: &[f64]| -> f64 {
        let (alpha, beta, gamma, phi) = params_of(x, &spec);
        let fit = Fit {
            spec,
            alpha,
            beta,
            gamma,
            phi,
            aicc: 0.0,
        };
        match filter(y, &fit, m) {
            Some((_, lik, _)) if lik.is_finite() => lik,
            _ => f64::INFINITY,
        }
    };
    let (x, lik) = nelder_mead(objective, &x0, max_evals);
    if !lik.is_finite() {
        return None;
    }
    let (alpha, beta, gamma, phi) = params_of(&x, &spec);
    let n = y.iter().filter(|v| v.is_finite()).count() as f64;
    let states =
        1.0 + if spec.trend != Component::None {
            1.0
        } else {
            0.0
        } + if spec.season != Component::None {
            (m.max(1) - 1) as f64
        } else {
            0.0
        };
    let k = x0.len() as f64 + states + 1.0;
    let aicc = if n - k - 1.0 > 0.0 {
        lik + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0)
    } else {
        f64::INFINITY
    };
    Some(Fit {
        spec,
        alpha,
        beta,
        gamma,
        phi,
        aicc,
    })
}

/// AutoETS: fit every admissible specification and keep the lowest AICc.
pub fn auto(y: &[f64], m: usize, max_evals: usize) -> Option<Fit> {
    let n_known = y.iter().filter(|v| v.is_finite()).count();
    let positive = y.iter().filter(|v| v.is_finite()).all(|v| *v > 0.0);
    let seasonal_ok = m > 1 && n_known >= 2 * m + 4 && y.len() >= 2 * m;
    let mut specs = Vec::new();
    for &me in if positive {
        &[false, true][..]
    } else {
        &[false][..]
    } {
        for trend in [
            Component::None,
            Component::Additive,
            Component::AdditiveDamped,
        ] {
            let mut seasons = vec![Component::None];
            if seasonal_ok {
                seasons.push(Component::Additive);
                if positive {
                    seasons.push(Component::Multiplicative);
                }
            }
            for season in seasons {
                // additive error with multiplicative season is numerically unstable (HKOS 2008)
                if !me && season == Component::Multiplicative {
                    continue;
                }
                specs.push(Spec {
                    multiplicative_error: me,
                    trend,
                    season,
                });
            }
        }
    }
    specs
        .into_iter()
        .filter_map(|s| fit_spec(y, s, m, max_evals))
        .filter(|f| f.aicc.is_finite())
        .min_by(|a, b| a.aicc.total_cmp(&b.aicc))
}

/// Nelder–Mead simplex minimisation (standard coefficients 1, 2, 0.5, 0.5).
pub fn nelder_mead(f: impl Fn(&[f64]) -> f64, x0: &[f64], max_evals: usize) -> (Vec<f64>, f64) {
    let d = x0.len();
    let mut pts: Vec<Vec<f64>> = vec![x0.to_vec()];
    for i in 0..d {
        let mut p = x0.to_vec();
        p[i] += 1.0;
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(|p| f(p)).collect();
    let mut evals = d + 1;
    while evals < max_evals {
        let mut order: Vec<usize> = (0..=d).collect();
        order.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = order.iter().map(|&i| pts[i].clone()).collect();
        vals = order.iter().map(|&i| vals[i]).collect();
        if (vals[d] - vals[0]).abs() <= 1e-7 * (vals[0].abs() + 1e-9) {
            break;
        }
        let centroid: Vec<f64> = (0..d)
            .map(|j| pts[..d].iter().map(|p| p[j]).sum::<f64>() / d as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&pts[d])
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };
        let xr = along(1.0);
        let fr = f(&xr);
        evals += 1;
        if fr < vals[0] {
            let xe = along(2.0);
            let fe = f(&xe);
            evals += 1;
            if fe < fr {
                pts[d] = xe;
                vals[d] = fe;
            } else {
                pts[d] = xr;
                vals[d] = fr;
            }
        } else if fr < vals[d - 1] {
            pts[d] = xr;
            vals[d] = fr;
        } else {
            let xc = if fr < vals[d] {
                along(0.5)
            } else {
                along(-0.5)
            };
            let fc = f(&xc);
            evals += 1;
            if fc < vals[d].min(fr) {
                pts[d] = xc;
                vals[d] = fc;
            } else {
                for i in 1..=d {
                    let shrunk: Vec<f64> = pts[0]
                        .iter()
                        .zip(&pts[i])
                        .map(|(b, p)| b + 0.5 * (p - b))
                        .collect();
                    pts[i] = shrunk;
                    vals[i] = f(&pts[i]);
                }
                evals += d;
            }
        }
    }
    let best = (0..=d)
        .min_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .unwrap_or(0);
    (pts[best].clone(), vals[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_up_weekly_season() {
        let y: Vec<f64> = (0..140)
            .map(|t| 10.0 + if t % 7 == 5 { 8.0 } else { 0.0 })
            .collect();
        let fit = auto(&y, 7, 200).unwrap();
        assert_ne!(fit.spec.season, Component::None, "{}", fit.spec.name());
        let f = forecast(&y, &fit, 7, 7);
        // period 140 has phase 0; phase 5 is index 5
        assert!((f[5] - 18.0).abs() < 1.0, "{f:?}");
        assert!((f[0] - 10.0).abs() < 1.0, "{f:?}");
    }

    #[test]
    fn follows_a_trend() {
        let y: Vec<f64> = (0..60).map(|t| 5.0 + 0.5 * t as f64).collect();
        let fit = auto(&y, 1, 300).unwrap();
        let f = forecast(&y, &fit, 1, 3);
        assert!(f[2] > 33.0, "{f:?} {}", fit.spec.name());
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let (x, v) = nelder_mead(
            |x| (x[0] - 1.0).powi(2) + (x[1] + 2.0).powi(2),
            &[0.0, 0.0],
            400,
        );
        assert!(v < 1e-6 && (x[0] - 1.0).abs() < 1e-2 && (x[1] + 2.0).abs() < 1e-2);
    }
}
