//! Property tests of the engine's invariants (issue 3), on small synthetic series.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use chrono::NaiveDate;
use forestock_forecast::io::write_forecasts;
use forestock_forecast::{
    forecast_all, Candidate, DemandDistribution, ForecastConfig, Frequency, Series, SeriesKey,
};
use proptest::prelude::*;

/// Small deterministic pseudo-random counts (xorshift; no global RNG).
fn counts(seed: u64, n: usize, level: f64, zero_share: f64) -> Vec<f64> {
    let mut x = seed | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|t| {
            if next() < zero_share {
                0.0
            } else {
                let weekly = if t % 7 >= 5 { 1.5 } else { 1.0 };
                (level * weekly * (0.5 + next())).round()
            }
        })
        .collect()
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()
}

fn series(name: &str, units: Vec<f64>) -> Series {
    Series::new(SeriesKey::new(name, "L1"), Frequency::Daily, start(), units)
}

fn cfg() -> ForecastConfig {
    ForecastConfig {
        horizon: 14,
        ets_evals: 60,
        ..ForecastConfig::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn forecasts_are_finite_non_negative_and_ordered(
        seed in 1u64..u64::MAX,
        n in 1usize..160,
        level in 0.0f64..30.0,
        zero_share in 0.0f64..1.0,
        holes in proptest::collection::vec(0usize..160, 0..10),
    ) {
        let mut units = counts(seed, n, level, zero_share);
        for h in holes {
            if h < n {
                units[h] = f64::NAN;
            }
        }
        let out = forecast_all(&[series("A", units)], &cfg(), &|_| {});
        let f = out[0].as_ref().unwrap();
        prop_assert_eq!(f.horizon(), 14);
        for i in 0..f.horizon() {
            let (q10, q50, q90) = (f.quantile(i, 0.1), f.quantile(i, 0.5), f.quantile(i, 0.9));
            prop_assert!(f.mean[i].is_finite() && f.mean[i] >= 0.0);
            prop_assert!(q10.is_finite() && q10 >= 0.0);
            prop_assert!(q10 <= q50 && q50 <= q90, "{} {} {}", q10, q50, q90);
            // any set of levels on request stays ordered
            let qs = f.period_quantiles(i, [0.005, 0.01, 0.03, 0.1, 0.3, 0.5, 0.7, 0.9, 0.97, 0.995]);
            prop_assert!(qs.windows(2).all(|w| w[0] <= w[1]), "{:?}", qs);
            prop_assert!(qs.iter().all(|q| q.is_finite() && *q >= 0.0));
        }
        let w = f.window(3, 20);
        prop_assert!(w.mean() >= 0.0 && w.variance() >= 0.0);
        prop_assert!(w.quantile(0.05) <= w.quantile(0.95));
        prop_assert!(w.expected_shortage(w.quantile(0.9)) <= w.mean() + 1e-9);
    }

    #[test]
    fn same_input_gives_byte_identical_output(seed in 1u64..u64::MAX, level in 0.5f64..20.0) {
        let input: Vec<Series> = (0..4)
            .map(|k| series(&format!("S{k}"), counts(seed.wrapping_add(k), 120, level, 0.3)))
            .collect();
        let render = || {
            let out: Vec<_> =
                forecast_all(&input, &cfg(), &|_| {}).into_iter().map(|r| r.unwrap()).collect();
            let mut buf = Vec::new();
            write_forecasts(&mut buf, &out, str::to_string).unwrap();
            buf
        };
        let a = render();
        // a different thread count must not change a byte either
        let b = forestock_forecast::with_threads(Some(1), render).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn a_stockout_period_does_not_pull_the_forecast_down(
        seed in 1u64..u64::MAX,
        level in 2.0f64..25.0,
        at in 60usize..137,
    ) {
        let n = 150;
        let units = counts(seed, n, level, 0.05);
        let mut as_zero = units.clone();
        let mut as_unknown = units.clone();
        for t in at..(at + 12).min(n - 2) {
            as_zero[t] = 0.0;
            as_unknown[t] = f64::NAN; // on_hand == 0: demand unknown
        }
        let mut c = cfg();
        c.detect_stockouts = false; // the known stockout alone must do it
        let total = |u: &[f64], c: &ForecastConfig| {
            let out = forecast_all(&[series("A", u.to_vec())], c, &|_| {});
            out[0].as_ref().unwrap().mean.iter().sum::<f64>()
        };
        // model by model, unknown days never give a lower forecast than zero days
        // (models that fit a smoothing weight may pick another one: they are held to the truth)
        for name in ["wa", "wa_s", "tsb", "croston_sba"] {
            let mut one = c.clone();
            one.candidates = Some(vec![Candidate::parse(name).unwrap()]);
            let censored = total(&as_unknown, &one);
            let zeros = total(&as_zero, &one);
            // (1%: the seasonal profile is re-normalised, so phases can trade a little)
            prop_assert!(censored >= zeros * 0.99 - 1e-9, "{}: censored {} < zeros {}", name, censored, zeros);
        }
        // and the selected forecast stays near what it would be without the stockout
        let truth = total(&units, &c);
        let censored = total(&as_unknown, &c);
        prop_assert!(censored >= truth * 0.8, "censored {} far below truth {}", censored, truth);
    }

    #[test]
    fn window_distribution_is_consistent(mean in 0.0f64..500.0, extra in 0.0f64..5.0) {
        let d = DemandDistribution::from_moments(mean, mean * (1.0 + extra));
        let mut prev = 0.0;
        for k in 0..20 {
            let p = 0.025 + 0.05 * k as f64;
            let q = d.quantile(p);
            prop_assert!(q >= prev);
            prop_assert!(d.cdf(q) >= p - 1e-9);
            prev = q;
        }
        prop_assert!((d.expected_shortage(0.0) - d.mean()).abs() < 1e-6 * (1.0 + d.mean()));
    }
}

#[test]
fn inferred_stockouts_keep_a_steady_seller_up() {
    // regression for issue 3: no inventory data, a two-week zero run in a daily seller
    let mut units = counts(7, 200, 10.0, 0.0);
    for v in &mut units[150..164] {
        *v = 0.0;
    }
    let out = forecast_all(&[series("A", units)], &cfg(), &|_| {});
    let f = out[0].as_ref().unwrap();
    let avg = f.mean.iter().sum::<f64>() / f.horizon() as f64;
    assert!(avg > 8.0, "{avg} {:?}", f.notes);
    assert!(f.notes.iter().any(|n| n.contains("stockouts")));
}

#[test]
fn bad_series_do_not_stop_the_run() {
    let input = vec![
        series("empty", vec![]),
        series("negative", vec![1.0, -3.0, 2.0]),
        series("one", vec![4.0]),
        series("zeros", vec![0.0; 60]),
        series("ok", counts(3, 90, 5.0, 0.2)),
    ];
    let out = forecast_all(&input, &cfg(), &|_| {});
    assert!(out[0].is_err());
    assert!(out[1].is_err());
    let one = out[2].as_ref().unwrap();
    assert!(one.mean[0] > 3.0 && one.quantile(0, 0.9) > one.mean[0]);
    assert!(out[3].as_ref().unwrap().mean.iter().all(|v| *v == 0.0));
    assert!(out[4].is_ok());
}

#[test]
fn end_of_life_stops_the_forecast() {
    let mut s = series("eol", counts(5, 100, 6.0, 0.1));
    s.meta.discontinue = Some(start() + chrono::Days::new(105));
    let out = forecast_all(&[s], &cfg(), &|_| {});
    let f = out[0].as_ref().unwrap();
    assert!(f.mean[..5].iter().all(|v| *v > 0.0));
    assert!(f.mean[5..].iter().all(|v| *v == 0.0));
}

#[test]
fn planned_promotions_lift_the_forecast() {
    let n = 200;
    let mut s = series("promo", counts(9, n, 5.0, 0.0));
    s.promo = (0..n).map(|t| t % 30 < 4).collect();
    for t in 0..n {
        if s.promo[t] {
            s.units[t] *= 2.0;
        }
    }
    s.future_promo = (0..14).map(|i| i < 3).collect();
    let out = forecast_all(std::slice::from_ref(&s), &cfg(), &|_| {});
    let f = out[0].as_ref().unwrap();
    let promo = f.mean[..3].iter().sum::<f64>() / 3.0;
    let base = f.mean[7..10].iter().sum::<f64>() / 3.0;
    assert!(promo > 1.4 * base, "{promo} vs {base}");
    // without a lift (`promo_lift = "none"`, for measuring it) the planned days are ordinary
    let unlifted = ForecastConfig {
        promo_lift: forestock_forecast::PromoLift::None,
        ..cfg()
    };
    let out = forecast_all(&[s], &unlifted, &|_| {});
    let g = out[0].as_ref().unwrap();
    for i in 0..3 {
        assert!(
            (g.mean[i] * 1.4 < f.mean[i]),
            "day {i}: {} vs {}",
            g.mean[i],
            f.mean[i]
        );
    }
    assert_eq!(g.mean[3..], f.mean[3..]);
}

/// Stationary Poisson counts (inversion of the CDF with the xorshift generator above).
fn poisson(seed: u64, n: usize, mean: f64) -> Vec<f64> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            let (mut k, mut p) = (0.0, (-mean).exp());
            let mut cdf = p;
            while u > cdf && k < 1000.0 {
                k += 1.0;
                p *= mean / k;
                cdf += p;
            }
            k
        })
        .collect()
}

#[test]
fn daily_band_of_low_counts_is_calibrated_not_just_wide() {
    // Daily quantiles are true quantiles of a count distribution: with low counts P(0) > 10%,
    // so p10 is 0 and nothing can fall below it. Calibrated count quantiles put at most 10% of
    // actuals strictly below p10 and at most 10% strictly above p90 (the band then holds at
    // least 80%, the actuals equal to a bound included), and, not just wide, close to 10% above
    // p90 on these exactly-Poisson series. (This test used to demand 10% below p10 too, which
    // forced p10 to be read at levels near 0.5 and to take fractional values.)
    let input: Vec<Series> = (0..120)
        .map(|k| {
            let mean = 0.2 + 0.05 * k as f64;
            series(&format!("P{k}"), poisson(7 + k as u64, 240, mean))
        })
        .collect();
    let cfg = ForecastConfig {
        horizon: 28,
        ets_evals: 40,
        ..ForecastConfig::default()
    };
    let r = forestock_forecast::backtest::backtest(&input, &cfg, 2, &|_| {}).unwrap();
    let sel = r.models.iter().find(|m| m.model == "selected").unwrap();
    eprintln!(
        "below p10 {} above p90 {} coverage {}",
        sel.below_p10, sel.above_p90, sel.coverage80
    );
    assert!(sel.below_p10 <= 0.11, "below p10: {}", sel.below_p10);
    assert!(
        (0.04..=0.11).contains(&sel.above_p90),
        "above p90: {}",
        sel.above_p90
    );
    assert!(
        (0.80..=0.93).contains(&sel.coverage80),
        "{}",
        sel.coverage80
    );
}
