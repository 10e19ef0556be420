//! New products: forecasts from analogs (same category, then vendor and price band), scaled by
//! the product's own first sales as they arrive.

use crate::engine::SeriesIssue;
use crate::forecast::SeriesForecast;
use crate::series::Series;

/// Most days of the analogs' rate the blend counts as prior evidence (when the analogs sell at
/// nearly the same rate): after four weeks of its own sales a product's own rate weighs at
/// least as much as its analogs'.
const PRIOR_DAYS: f64 = 28.0;

/// Prior weight, in periods, of the analogs' rate `mu` when the rates of the products of one
/// category at one location spread with squared coefficient of variation `cv2` (pooled over the
/// run's categories, [`pooled_cv2`]): the Gamma prior with mean `mu` and variance `cv2·mu²` has
/// rate `1 / (cv2·mu)`, and the Poisson posterior mean of a product that sold `u` units in `d`
/// periods is `(u + mu/(cv2·mu²)·mu) / (d + 1/(cv2·mu))` (the Gamma–Poisson empirical Bayes
/// estimate: Casella 1985, "An introduction to empirical Bayes data analysis", The American
/// Statistician 39(2); Bühlmann's credibility weight). When a category's products sell at very
/// different rates its analogs say little about a new one, whose own first sales soon
/// dominate. At most [`PRIOR_DAYS`]; [`PRIOR_DAYS`] when no spread could be measured.
///
/// Measured on M5 (forecasting README, "New products"): with a fixed 28-day prior, a product
/// launched 7 days before the origin was forecast far worse than by its own 7 days' mean; a
/// spread measured on a new product's 2–4 analogs alone was still too narrow (they may agree
/// with each other and not with it), and the analogs' median instead of their mean biased it
/// low (−9% against −4%).
fn prior_periods(mu: f64, cv2: Option<f64>) -> f64 {
    match cv2 {
        // (as `mu` falls to 0 the weight rises to the cap: analogs that sell nothing weigh most)
        Some(cv2) if cv2 > 0.0 && mu > 0.0 => (1.0 / (cv2 * mu)).min(PRIOR_DAYS),
        _ => PRIOR_DAYS,
    }
}

/// Squared coefficient of variation of the established products' rates within each
/// (category, location), averaged over the groups of at least two products whose mean rate is
/// above 0; `None` without such a group.
fn pooled_cv2(series: &[Series], rates: &[Option<f64>]) -> Option<f64> {
    let mut groups: std::collections::BTreeMap<(&str, &str), Vec<f64>> = Default::default();
    for (s, r) in series.iter().zip(rates) {
        if let (Some(c), Some(r)) = (s.meta.category.as_deref(), r) {
            groups.entry((c, &s.key.location)).or_default().push(*r);
        }
    }
    let cv2s: Vec<f64> = groups
        .values()
        .filter(|v| v.len() >= 2)
        .filter_map(|v| {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1.0);
            (mean > 0.0).then(|| var / (mean * mean))
        })
        .collect();
    (!cv2s.is_empty()).then(|| cv2s.iter().sum::<f64>() / cv2s.len() as f64)
}

/// The analogs' rate: their mean (the Gamma prior's mean in [`prior_periods`]).
fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Replace the forecast of every series with too little history (`short_average`) by a blend of
/// its own rate and the mean rate of its analogs: the same category at the same location,
/// narrowed to the same vendor and a price within half to double when at least three such
/// analogs exist. The analogs weigh as many periods as the spread of products' rates within
/// categories warrants (`prior_periods`); a rate is a forecast's mean over its ordinary days
/// (not promoted, before any end of life). Series without a category are left alone.
/// `series` and `forecasts` are parallel (the output of [`crate::forecast_all`]).
pub fn apply_analogs(series: &[Series], forecasts: &mut [Result<SeriesForecast, SeriesIssue>]) {
    // an established product's rate: its forecast over the days it sells as usual (neither
    // discontinued nor promoted)
    let rates: Vec<Option<f64>> = forecasts
        .iter()
        .zip(series)
        .map(|(f, s)| match f {
            Ok(f) if f.model != "short_average" && f.model != "zero" => {
                let usual: Vec<f64> = (0..f.horizon())
                    .filter(|&d| !s.planned(d) && !s.stopped(d))
                    .map(|d| f.mean[d])
                    .collect();
                mean(&usual)
            }
            _ => None,
        })
        .collect();
    let cv2 = pooled_cv2(series, &rates);
    for i in 0..series.len() {
        let s = &series[i];
        let Some(category) = s.meta.category.as_deref() else {
            continue;
        };
        let short = matches!(&forecasts[i], Ok(f) if f.model == "short_average");
        if !short {
            continue;
        }
        let peers = |narrow: bool| -> Vec<f64> {
            series
                .iter()
                .zip(&rates)
                .filter(|(p, r)| {
                    r.is_some()
                        && p.meta.category.as_deref() == Some(category)
                        && p.key.location == s.key.location
                        && (!narrow
                            || (p.meta.vendor == s.meta.vendor
                                && match (p.meta.price, s.meta.price) {
                                    (Some(a), Some(b)) if b > 0.0 => a / b >= 0.5 && a / b <= 2.0,
                                    _ => false,
                                }))
                })
                .filter_map(|(_, r)| *r)
                .collect()
        };
        let narrow = peers(true);
        let (pool, how) = if narrow.len() >= 3 {
            (narrow, "vendor and price band")
        } else {
            (peers(false), "category")
        };
        let Some(analog) = mean(&pool) else {
            continue;
        };
        let own_days = s.units.iter().filter(|v| v.is_finite()).count() as f64;
        let own_units: f64 = s.units.iter().filter(|v| v.is_finite()).sum();
        let prior = prior_periods(analog, cv2);
        let rate = if own_days + prior > 0.0 {
            (own_units + prior * analog) / (own_days + prior)
        } else {
            analog
        };
        if let Ok(f) = &mut forecasts[i] {
            // keep the shape of its own forecast (planned promotions' lift, nothing from its
            // end of life): its flat level on an ordinary day scaled to the blended rate
            let usual = (0..f.horizon()).find(|&d| !s.planned(d)).map(|d| f.mean[d]);
            for (d, v) in f.mean.iter_mut().enumerate() {
                *v = match usual {
                    _ if s.stopped(d) => 0.0,
                    Some(u) if u > 0.0 && s.planned(d) => rate * *v / u,
                    _ => rate,
                };
            }
            f.model = "analogs".into();
            f.notes.push(format!(
                "new product: {} analogs by {how} ({analog:.2}/period, weighing {prior:.1} \
                 periods) blended with {own_days:.0} periods of its own sales",
                pool.len()
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{forecast_all, ForecastConfig, Frequency, SeriesKey, SeriesMeta};
    use chrono::NaiveDate;

    /// Three established tees selling `rates` a day and a product launched three days before
    /// the origin (3 units sold), all at one store: the new product's 7-day forecast.
    fn launch(rates: [f64; 3]) -> SeriesForecast {
        launch_with(rates, |_| {})
    }

    /// [`launch`], the new product changed by `change` first.
    fn launch_with(rates: [f64; 3], change: impl Fn(&mut Series)) -> SeriesForecast {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let meta = SeriesMeta {
            category: Some("tees".into()),
            ..SeriesMeta::default()
        };
        let mut series: Vec<Series> = rates
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let mut s = Series::new(
                    SeriesKey::new(format!("old{k}"), "L"),
                    Frequency::Daily,
                    start,
                    vec![*r; 120],
                );
                s.meta = meta.clone();
                s
            })
            .collect();
        let mut new = Series::new(
            SeriesKey::new("new", "L"),
            Frequency::Daily,
            start,
            vec![0.0; 0],
        );
        new.start = start + chrono::Days::new(117);
        new.units = vec![1.0, 0.0, 2.0];
        new.meta = meta;
        change(&mut new);
        series.push(new);
        let out = forecast_all(&series, &ForecastConfig::with_horizon(7), &|_| {});
        out[3].clone().unwrap()
    }

    #[test]
    fn a_new_product_starts_from_its_category() {
        // analogs that agree (4.9–5.1 a day: variance 0.01) weigh the full 28 days:
        // (3 units + 28 days × 5/day) / (3 + 28) days
        let f = launch([4.9, 5.0, 5.1]);
        assert_eq!(f.model, "analogs");
        assert!((f.mean[0] - 143.0 / 31.0).abs() < 0.05, "{:?}", f.mean);
        assert!(f.quantile(0, 0.9) > 1.5 * f.mean[0]);
        assert!(
            f.notes.iter().any(|n| n.contains("weighing 28.0 periods")),
            "{:?}",
            f.notes
        );
    }

    #[test]
    fn a_new_product_keeps_its_planned_promotion_and_end_of_life() {
        // promoted on its first two sales days (sold twice as much there) and planned again
        // on the first forecast day; discontinued from the fifth
        let f = launch_with([4.9, 5.0, 5.1], |s| {
            s.units = vec![2.0, 2.0, 1.0, 1.0];
            s.promo = vec![true, true, false, false];
            s.future_promo = vec![true];
            s.meta.discontinue = Some(s.start + chrono::Days::new(4 + 4));
        });
        assert_eq!(f.model, "analogs");
        assert!(f.mean[0] > 1.2 * f.mean[1], "no lift kept: {:?}", f.mean);
        assert!(f.mean[1] > 0.0 && f.mean[1] == f.mean[2], "{:?}", f.mean);
        assert!(
            f.mean[4..].iter().all(|v| *v == 0.0),
            "after end of life: {:?}",
            f.mean
        );
    }

    #[test]
    fn analogs_that_disagree_weigh_less_than_the_products_own_sales() {
        // analogs selling 1, 5 and 9 a day (mean 5, CV² 16/25): a Gamma prior of rate
        // 1/(0.64 × 5) = 0.3125 periods, so (3 units + 0.3125 × 5) / (3 + 0.3125) days ≈ 1.38,
        // near the product's own 1 a day rather than the analogs' 5
        let f = launch([1.0, 5.0, 9.0]);
        let expect = (3.0 + 0.3125 * 5.0) / (3.0 + 0.3125);
        assert!(
            (f.mean[0] - expect).abs() < 0.05,
            "{:?} vs {expect}",
            f.mean
        );
    }

    #[test]
    fn the_prior_weight_follows_the_spread_within_categories() {
        assert_eq!(prior_periods(5.0, None), PRIOR_DAYS, "no spread measured");
        assert_eq!(prior_periods(5.0, Some(0.0)), PRIOR_DAYS, "no spread");
        assert_eq!(prior_periods(5.0, Some(0.1)), 2.0, "1 / (0.1 × 5)");
        assert_eq!(
            prior_periods(0.0, Some(0.5)),
            PRIOR_DAYS,
            "analogs that sell nothing: the limit as their rate falls to 0"
        );
        // two stores' tees: CV² 0 at one (2, 2) and 2 at the other (0, 2): the mean is 1
        let key = |sku: &str, loc: &str| {
            let mut s = Series::new(
                SeriesKey::new(sku, loc),
                Frequency::Daily,
                NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                vec![],
            );
            s.meta.category = Some("tees".into());
            s
        };
        let series = [
            key("a", "L1"),
            key("b", "L1"),
            key("a", "L2"),
            key("b", "L2"),
        ];
        let rates = [Some(2.0), Some(2.0), Some(0.0), Some(2.0)];
        assert_eq!(pooled_cv2(&series, &rates), Some(1.0));
        assert_eq!(
            pooled_cv2(&series[..1], &rates[..1]),
            None,
            "one product per group"
        );
    }
}
