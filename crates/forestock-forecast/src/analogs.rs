//! New products: forecasts from analogs (same category, then vendor and price band), scaled by
//! the product's own first sales as they arrive.

use crate::engine::SeriesIssue;
use crate::forecast::SeriesForecast;
use crate::series::Series;

/// Days of the analogs' rate the blend counts as prior evidence: after four weeks of its own
/// sales a product's own rate weighs as much as its analogs'.
const PRIOR_DAYS: f64 = 28.0;

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let k = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[k]
    } else {
        (v[k - 1] + v[k]) / 2.0
    })
}

/// Replace the forecast of every series with too little history (`short_average`) by a blend of
/// its own rate and the median rate of its analogs: the same category at the same location,
/// narrowed to the same vendor and a price within half to double when at least three such
/// analogs exist. Series without a category are left alone. `series` and `forecasts` are
/// parallel (the output of [`crate::forecast_all`]).
pub fn apply_analogs(series: &[Series], forecasts: &mut [Result<SeriesForecast, SeriesIssue>]) {
    let rates: Vec<Option<f64>> = forecasts
        .iter()
        .map(|f| match f {
            Ok(f) if f.model != "short_average" && f.model != "zero" && f.horizon() > 0 => {
                Some(f.mean.iter().sum::<f64>() / f.horizon() as f64)
            }
            _ => None,
        })
        .collect();
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
        let Some(analog) = median(pool.clone()) else {
            continue;
        };
        let own_days = s.units.iter().filter(|v| v.is_finite()).count() as f64;
        let own_units: f64 = s.units.iter().filter(|v| v.is_finite()).sum();
        let rate = (own_units + PRIOR_DAYS * analog) / (own_days + PRIOR_DAYS);
        if let Ok(f) = &mut forecasts[i] {
            for v in f.mean.iter_mut() {
                *v = rate;
            }
            // keep the end of life cut-off
            if let Some(stop) = s.meta.discontinue {
                for d in 0..f.horizon() {
                    if f.date(d) >= stop {
                        f.mean[d] = 0.0;
                    }
                }
            }
            f.model = "analogs".into();
            f.notes.push(format!(
                "new product: {} analogs by {how} ({analog:.2}/period) blended with {own_days:.0} periods of its own sales",
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

    #[test]
    fn a_new_product_starts_from_its_category() {
        let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let meta = SeriesMeta {
            category: Some("tees".into()),
            ..SeriesMeta::default()
        };
        let mut series: Vec<Series> = (0..3)
            .map(|k| {
                let mut s = Series::new(
                    SeriesKey::new(format!("old{k}"), "L"),
                    Frequency::Daily,
                    start,
                    vec![4.0 + k as f64; 120],
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
        series.push(new);
        let out = forecast_all(&series, &ForecastConfig::with_horizon(7), &|_| {});
        let f = out[3].as_ref().unwrap();
        assert_eq!(f.model, "analogs");
        // (3 units + 28 days x 5/day) / (3 + 28) days
        assert!((f.mean[0] - 143.0 / 31.0).abs() < 0.2, "{:?}", f.mean);
        assert!(f.quantile(0, 0.9) > 1.5 * f.mean[0]);
    }
}
