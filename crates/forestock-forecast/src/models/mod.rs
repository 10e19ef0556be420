//! The candidate models. Each one maps a history (`NaN` = unknown) to `h` point forecasts.

pub mod ets;
pub mod intermittent;
pub mod simple;

use serde::{Deserialize, Serialize};

/// A model family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    SeasonalNaive,
    WindowAverage,
    Ses,
    Ets,
    Theta,
    CrostonSba,
    Tsb,
    Adida,
    Imapa,
}

impl ModelKind {
    pub const ALL: [ModelKind; 9] = [
        Self::SeasonalNaive,
        Self::WindowAverage,
        Self::Ses,
        Self::Ets,
        Self::Theta,
        Self::CrostonSba,
        Self::Tsb,
        Self::Adida,
        Self::Imapa,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SeasonalNaive => "snaive",
            Self::WindowAverage => "wa",
            Self::Ses => "ses",
            Self::Ets => "ets",
            Self::Theta => "theta",
            Self::CrostonSba => "croston_sba",
            Self::Tsb => "tsb",
            Self::Adida => "adida",
            Self::Imapa => "imapa",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a seasonal-profile variant makes sense (the model itself is flat).
    fn flat(self) -> bool {
        !matches!(self, Self::SeasonalNaive | Self::Ets)
    }
}

/// A candidate: a model, optionally applied to the seasonally adjusted series and re-seasonalised
/// with a multiplicative profile (classical decomposition, as in the Theta method's M3 setup).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Candidate {
    pub kind: ModelKind,
    pub seasonal: bool,
}

impl Candidate {
    pub fn plain(kind: ModelKind) -> Self {
        Self {
            kind,
            seasonal: false,
        }
    }

    pub fn name(&self) -> String {
        if self.seasonal {
            format!("{}_s", self.kind.as_str())
        } else {
            self.kind.as_str().to_string()
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        if let Some(base) = s.strip_suffix("_s") {
            let kind = ModelKind::parse(base)?;
            kind.flat().then_some(Self {
                kind,
                seasonal: true,
            })
        } else {
            ModelKind::parse(s).map(Self::plain)
        }
    }

    /// Candidates by name (`ets`, `tsb`, `wa_s`…); an unknown name is bad input that lists
    /// the known ones.
    pub fn parse_list(names: &[String]) -> crate::Result<Vec<Self>> {
        names
            .iter()
            .map(|n| {
                Self::parse(n.trim()).ok_or_else(|| {
                    crate::Error::BadInput(format!(
                        "unknown model `{n}` (known: snaive, wa, ses, ets, theta, croston_sba, \
                         tsb, adida, imapa, and `_s` seasonal variants of the flat ones)"
                    ))
                })
            })
            .collect()
    }
}

/// What the models need besides the history.
#[derive(Debug, Clone)]
pub struct Context {
    /// Season length (1 = none).
    pub m: usize,
    /// Window of the window average.
    pub window: usize,
    /// Fitted ETS model (parameters fixed for backtests from earlier origins).
    pub ets: Option<ets::Fit>,
    /// Cap on the history length fed to the smoothing models (recent data matter most).
    pub max_history: usize,
    /// Rescale a seasonally adjusted history to the raw history's total (see [`predict`]).
    pub keep_level: bool,
}

/// Multiplicative seasonal profile (mean 1) of `y` with phase `t % m`, shrunk toward 1 by
/// `prior` pseudo-cycles; estimated over the last `span` periods.
pub fn seasonal_profile(y: &[f64], m: usize, span: usize, prior: f64) -> Vec<f64> {
    if m <= 1 {
        return vec![1.0];
    }
    let n = y.len();
    let from = n.saturating_sub(span);
    let mut sums = vec![0.0; m];
    let mut counts = vec![0.0; m];
    for (t, v) in y.iter().enumerate().skip(from) {
        if v.is_finite() {
            sums[t % m] += v;
            counts[t % m] += 1.0;
        }
    }
    let total: f64 = sums.iter().sum();
    let cnt: f64 = counts.iter().sum();
    if total <= 0.0 || cnt == 0.0 {
        return vec![1.0; m];
    }
    let mean = total / cnt;
    let mut f: Vec<f64> = (0..m)
        .map(|j| (sums[j] + prior * mean) / ((counts[j] + prior) * mean))
        .map(|x| x.max(0.05))
        .collect();
    let avg = f.iter().sum::<f64>() / m as f64;
    for x in &mut f {
        *x /= avg;
    }
    f
}

/// Rescale the seasonally adjusted `adjusted` so that its known periods sum to the raw
/// history's. The profile is estimated on the same periods it adjusts: on a noisy (intermittent)
/// series the months that happened to sell get the high factors, so dividing by them shrinks
/// the adjusted level below the raw one, while the future's factors are unrelated to its
/// sales — the re-seasonalised forecast is biased low by the in-sample fit of the profile
/// noise (a ratio estimator's bias, Cochran 1977, "Sampling Techniques", ch. 6).
fn keep_level(raw: &[f64], adjusted: &mut [f64]) {
    let (mut r, mut a) = (0.0, 0.0);
    for (x, y) in raw.iter().zip(adjusted.iter()) {
        if x.is_finite() && y.is_finite() {
            r += x;
            a += y;
        }
    }
    if r > 0.0 && a > 0.0 {
        let k = r / a;
        for v in adjusted.iter_mut() {
            *v *= k;
        }
    }
}

/// Point forecasts of `cand` for `h` periods after `y`.
pub fn predict(cand: Candidate, y: &[f64], h: usize, ctx: &Context) -> Vec<f64> {
    let m = ctx.m.max(1);
    let n = y.len();
    // Smoothing models only look at the recent past; keep the phase aligned to `n`.
    let cut = n.saturating_sub(ctx.max_history);
    let cut = cut - cut % m;
    let recent = &y[cut..];
    if cand.seasonal && m > 1 {
        let profile = seasonal_profile(recent, m, 52 * m.min(7), 3.0);
        let mut adjusted: Vec<f64> = recent
            .iter()
            .enumerate()
            .map(|(t, v)| v / profile[t % m])
            .collect();
        if ctx.keep_level {
            keep_level(recent, &mut adjusted);
        }
        let flat = predict_plain(cand.kind, &adjusted, h, ctx);
        let r = recent.len();
        return flat
            .iter()
            .enumerate()
            .map(|(i, f)| f * profile[(r + i) % m])
            .collect();
    }
    predict_plain(cand.kind, recent, h, ctx)
}

fn predict_plain(kind: ModelKind, y: &[f64], h: usize, ctx: &Context) -> Vec<f64> {
    let m = ctx.m.max(1);
    let out = match kind {
        ModelKind::SeasonalNaive => simple::seasonal_naive(y, h, m),
        ModelKind::WindowAverage => simple::window_average(y, h, ctx.window),
        ModelKind::Ses => simple::ses(y, h),
        ModelKind::Ets => match &ctx.ets {
            Some(fit) => ets::forecast(y, fit, m, h),
            None => simple::ses(y, h),
        },
        ModelKind::Theta => theta(y, h),
        ModelKind::CrostonSba => intermittent::croston_sba(y, h, 0.1),
        ModelKind::Tsb => intermittent::tsb(y, h, 0.1, 0.1),
        ModelKind::Adida => intermittent::adida(y, h),
        ModelKind::Imapa => intermittent::imapa(y, h),
    };
    out.into_iter()
        .map(|v| if v.is_finite() { v.max(0.0) } else { 0.0 })
        .collect()
}

/// The standard Theta method (Assimakopoulos & Nikolopoulos 2000) in the form of Hyndman &
/// Billah (2003): SES plus half the slope of the linear trend, with the SES start-up correction.
pub fn theta(y: &[f64], h: usize) -> Vec<f64> {
    let pts: Vec<(f64, f64)> = y
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(t, v)| (t as f64, *v))
        .collect();
    if pts.len() < 3 {
        return simple::window_average(y, h, 7);
    }
    let nf = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let alpha = simple::optimise_alpha(y, 0.01, 0.99);
    let (level, _) = simple::ses_level(y, alpha);
    let decay = (1.0 - alpha).powf(nf);
    (0..h)
        .map(|i| {
            let step = i as f64 + 1.0;
            level + 0.5 * slope * (step - 1.0 + 1.0 / alpha - decay / alpha)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_names_round_trip() {
        for k in ModelKind::ALL {
            let c = Candidate::plain(k);
            assert_eq!(Candidate::parse(&c.name()), Some(c));
        }
        assert_eq!(
            Candidate::parse("tsb_s"),
            Some(Candidate {
                kind: ModelKind::Tsb,
                seasonal: true
            })
        );
        assert_eq!(Candidate::parse("ets_s"), None);
    }

    #[test]
    fn profile_has_mean_one_and_finds_the_peak() {
        let y: Vec<f64> = (0..140)
            .map(|t| if t % 7 == 6 { 20.0 } else { 10.0 })
            .collect();
        let p = seasonal_profile(&y, 7, 364, 1.0);
        assert!((p.iter().sum::<f64>() / 7.0 - 1.0).abs() < 1e-9);
        assert!(p[6] > 1.5 && p[0] < 1.0);
    }

    #[test]
    fn seasonal_variant_reseasonalises() {
        let y: Vec<f64> = (0..140)
            .map(|t| if t % 7 == 6 { 20.0 } else { 10.0 })
            .collect();
        let ctx = Context {
            m: 7,
            window: 28,
            ets: None,
            max_history: 1000,
            keep_level: false,
        };
        let c = Candidate {
            kind: ModelKind::WindowAverage,
            seasonal: true,
        };
        let f = predict(c, &y, 7, &ctx);
        assert!(f[6] > 18.0 && f[0] < 11.0, "{f:?}");
    }

    #[test]
    fn a_seasonal_profile_fitted_to_noise_keeps_the_level_only_with_keep_level() {
        // 36 months of a flat intermittent rate (sales in ~30% of months, 0.6 a month on
        // average): the monthly profile is pure noise. Dividing by it, fitted on the same
        // months, shrinks the adjusted level, so the window average of the adjusted series,
        // re-seasonalised over a year, falls short of the raw average; keep_level restores it.
        let mut x: u64 = 12345;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let c = Candidate {
            kind: ModelKind::WindowAverage,
            seasonal: true,
        };
        let (mut raw, mut plain, mut kept) = (0.0, 0.0, 0.0);
        for _ in 0..200 {
            let y: Vec<f64> = (0..36)
                .map(|_| {
                    if next() < 0.3 {
                        1.0 + (next() * 2.0).floor()
                    } else {
                        0.0
                    }
                })
                .collect();
            let ctx = |keep_level| Context {
                m: 12,
                window: 36,
                ets: None,
                max_history: 1000,
                keep_level,
            };
            raw += y.iter().sum::<f64>() / 36.0 * 12.0;
            plain += predict(c, &y, 12, &ctx(false)).iter().sum::<f64>();
            kept += predict(c, &y, 12, &ctx(true)).iter().sum::<f64>();
        }
        assert!(
            plain < 0.9 * raw,
            "adjusted without keep_level: {plain} vs {raw}"
        );
        assert!((kept / raw - 1.0).abs() < 1e-9, "kept: {kept} vs {raw}");
    }

    #[test]
    fn theta_extends_a_trend() {
        let y: Vec<f64> = (0..50).map(|t| t as f64).collect();
        let f = theta(&y, 5);
        assert!(f[4] > 50.0, "{f:?}");
    }
}
