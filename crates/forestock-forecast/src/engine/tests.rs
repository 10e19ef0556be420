//! Tests of the per-series pipeline's selection and calibration (defects of the forecasting
//! accuracy issue: selection loss, look-ahead inside selection, count quantiles).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use super::*;
use crate::series::SeriesKey;
use chrono::NaiveDate;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 2).unwrap()
}

fn daily(name: &str, units: Vec<f64>) -> Series {
    Series::new(SeriesKey::new(name, "L1"), Frequency::Daily, start(), units)
}

/// Deterministic pseudo-random numbers in [0, 1) (xorshift; no global RNG).
fn uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn poisson(seed: u64, n: usize, mean: f64) -> Vec<f64> {
    let mut u = uniforms(seed);
    (0..n).map(|_| poisson_draw(u(), mean)).collect()
}

/// The Poisson(`mean`) count at uniform `target`, by inversion of the cdf (capped at 1000).
fn poisson_draw(target: f64, mean: f64) -> f64 {
    let (mut k, mut p) = (0.0, (-mean).exp());
    let mut cdf = p;
    while target > cdf && k < 1000.0 {
        k += 1.0;
        p *= mean / k;
        cdf += p;
    }
    k
}

#[test]
fn select_on_squared_error_not_mae() {
    // 14 units every 14th day, never in the 7 days before a selection origin: the seasonal
    // naive forecast is 0 at every origin. Its MAE (1.0/day) beats the window average's
    // (1.86/day) because the MAE is minimised by the median, 0 here; but the forecast is the
    // mean of the demand distribution, and the window average (1/day, the true mean) has the
    // lower squared error (13 vs 14). Ranked on MAE, the all-zero forecast won.
    let units: Vec<f64> = (0..280)
        .map(|t| if t % 14 == 3 { 14.0 } else { 0.0 })
        .collect();
    let cfg = ForecastConfig {
        horizon: 28,
        candidates: Some(vec![
            Candidate::plain(ModelKind::SeasonalNaive),
            Candidate::plain(ModelKind::WindowAverage),
        ]),
        never_select: vec![],
        pool_selection: false,
        combine: false,
        detect_stockouts: false,
        cap_outliers: false,
        ..ForecastConfig::default()
    };
    let run = run_series(&daily("spiky", units), &cfg, &Priors::default()).unwrap();
    assert_eq!(run.forecast.model, "wa");
    let total: f64 = run.forecast.mean.iter().sum();
    assert!((total - 28.0).abs() < 1e-9, "mean over 28 days: {total}");
}

/// A smooth seasonal seller with a trend, a stockout-like zero run and a spike: every step of
/// the pipeline (stockout inference, outlier caps, AutoETS) has something to do.
fn busy_series() -> Vec<f64> {
    let mut u = uniforms(99);
    let mut y: Vec<f64> = (0..400)
        .map(|t| {
            let week = [1.0, 0.9, 0.9, 1.0, 1.2, 1.6, 1.4][t % 7];
            (week * (8.0 + 0.01 * t as f64) * (0.7 + 0.6 * u())).round()
        })
        .collect();
    for v in &mut y[300..312] {
        *v = 0.0;
    }
    y[250] = 200.0;
    y
}

#[test]
fn no_value_after_the_origin_changes_the_forecast() {
    // Inside selection, the backtest forecast at each origin must be the forecast a run ending
    // at that origin would make: AutoETS chosen and fitted, stockouts inferred and spikes capped
    // on the prefix only. Change every value after an origin; no candidate's forecast from that
    // origin may change. (AutoETS used to be fitted once on the whole history and reused.)
    let y = busy_series();
    let cfg = ForecastConfig {
        horizon: 28,
        keep_candidates: true,
        ..ForecastConfig::default()
    };
    let base = run_series(&daily("busy", y.clone()), &cfg, &Priors::default()).unwrap();
    assert_eq!(base.backtests.len(), 3);
    assert!(
        base.forecast.class == DemandClass::Smooth,
        "{:?}",
        base.forecast.class
    );
    let n = y.len();
    for (origin, forecasts) in &base.backtests {
        let mut changed = y.clone();
        let mut u = uniforms(*origin as u64);
        for (t, v) in changed.iter_mut().enumerate().skip(*origin) {
            // a level shift, a new spike and a zero run after the origin
            *v = if t % 50 < 9 {
                0.0
            } else {
                (*v * 3.0 + 40.0 * u()).round()
            };
        }
        changed[n - 1] = 500.0;
        let other = run_series(&daily("busy", changed), &cfg, &Priors::default()).unwrap();
        let (o2, f2) = other
            .backtests
            .iter()
            .find(|(o, _)| o == origin)
            .expect("same origins");
        assert_eq!(o2, origin);
        let names: Vec<String> = cfg.candidate_list(7).iter().map(|c| c.name()).collect();
        for ((a, b), name) in forecasts.iter().zip(f2).zip(&names) {
            assert_eq!(a, b, "{name} from origin {origin} saw later values");
        }
    }
}

#[test]
fn quantiles_are_true_count_quantiles() {
    // Daily quantiles are quantiles of the period's count distribution, read at their
    // calibrated levels: integers, p10 = 0 when P(0) >= its level (they used to be read at a
    // level near 0.5-0.6 for p10 and interpolated between integers).
    let input: Vec<Series> = (0..60)
        .map(|k| daily(&format!("P{k}"), poisson(7 + k, 240, 0.2 + 0.1 * k as f64)))
        .collect();
    let cfg = ForecastConfig {
        horizon: 28,
        ets_evals: 40,
        ..ForecastConfig::default()
    };
    let runs = run_all(&input, &cfg, &|_| {});
    let mut zero_p10 = 0;
    for run in runs.iter().flatten() {
        let f = &run.forecast;
        for i in 0..f.horizon() {
            let ps = [0.1, 0.5, 0.9];
            let qs = f.period_quantiles(i, ps);
            // the period's count distribution (the empirical mixture included)
            let cdf = |x: f64| f.period_cdf(i, x);
            assert!(qs[0] <= qs[1] && qs[1] <= qs[2]);
            for (p, q) in ps.into_iter().zip(qs) {
                assert_eq!(q, q.round(), "{}: day {i}: {q} is not a count", f.key);
                // the smallest count k with P(D <= k) >= the calibrated level
                let level = f
                    .uncertainty
                    .calibration
                    .map_or(p, |c| c.period_level(i, p));
                assert!(cdf(q) >= level, "{}: day {i}", f.key);
                assert!(q == 0.0 || cdf(q - 1.0) < level, "{}: day {i}", f.key);
            }
            let level = f
                .uncertainty
                .calibration
                .map_or(0.1, |c| c.period_level(i, 0.1));
            assert!(level <= 0.5, "p10 read at level {level}");
            if i == 0 && cdf(0.0) >= level {
                assert_eq!(qs[0], 0.0);
                zero_p10 += 1;
            }
        }
    }
    assert!(zero_p10 >= 10, "low-count series have p10 = 0: {zero_p10}");
}

#[test]
fn the_quantile_calibration_never_sees_the_holdout() {
    // The protocol (and a forecast run) cuts every series at the origin; the quantile
    // calibration learns only from the selection backtests inside that prefix. Change every
    // value after the origin (the holdout): the calibration is unchanged. Change the days just
    // before the origin (the last backtest window): it changes, so it does read the backtests.
    let h = 28;
    let origin = 300;
    let full: Vec<Series> = (0..40)
        .map(|k| {
            let mean = 0.3 + 0.2 * k as f64;
            daily(&format!("C{k}"), poisson(11 + k, origin + h, mean))
        })
        .collect();
    let cfg = ForecastConfig {
        horizon: h,
        ets_evals: 30,
        ..ForecastConfig::default()
    };
    let calibrations = |series: &[Series]| -> Vec<Option<crate::QuantileCalibration>> {
        let cut: Vec<Series> = series.iter().map(|s| s.truncated(origin)).collect();
        let runs = run_all(&cut, &cfg, &|_| {});
        for (s, run) in cut.iter().zip(&runs) {
            let run = run.as_ref().unwrap();
            // every backtest the calibration reads ends inside the prefix the run was given
            assert_eq!(run.calibration.backtests.len(), 3, "{}", s.key);
            for b in &run.calibration.backtests {
                let end = b.origin + b.actual.len().max(b.forecast.len());
                assert!(end <= origin, "{}: backtest ends at {end}", s.key);
                assert!(b.sample.len() <= b.origin, "{}", s.key);
            }
        }
        runs.iter()
            .map(|r| r.as_ref().unwrap().forecast.uncertainty.calibration)
            .collect()
    };
    let base = calibrations(&full);
    assert!(base.iter().all(Option::is_some), "every series calibrated");
    let mut holdout_changed = full.clone();
    let mut u = uniforms(5);
    for s in &mut holdout_changed {
        for v in &mut s.units[origin..] {
            *v = (50.0 * u()).round();
        }
    }
    assert_eq!(calibrations(&holdout_changed), base);
    let mut before_changed = full.clone();
    for s in &mut before_changed {
        for v in &mut s.units[origin - h..origin] {
            *v = (*v * 3.0).round();
        }
    }
    assert_ne!(calibrations(&before_changed), base);
}

fn monthly(name: &str, units: Vec<f64>) -> Series {
    let start = NaiveDate::from_ymd_opt(1998, 1, 1).unwrap();
    Series::new(SeriesKey::new(name, "L1"), Frequency::Monthly, start, units)
}

/// A slow mover whose demand dies out, as car parts' series do.
fn dying(seed: u64, n: usize) -> Vec<f64> {
    let mut u = uniforms(seed);
    (0..n)
        .map(|t| {
            let rate = 2.0 * (1.0 - t as f64 / (1.5 * n as f64));
            if u() < 0.4 {
                (rate * 2.0 * u()).round()
            } else {
                0.0
            }
        })
        .collect()
}

#[test]
fn short_monthly_series_keep_the_window_average_and_are_calibrated_without_look_ahead() {
    // 30 months, h = 6: the selection origins need one season before them (12 months), so
    // there are three (months 12, 18, 24) and the quantiles are calibrated; their 18 backtest
    // months are fewer than two seasons, too few to rank a dozen candidates on, so the window
    // average is kept. Nothing after a selection origin reaches its backtest forecasts, and
    // nothing after the run's own origin reaches the calibration.
    let (h, origin) = (6, 30);
    let full: Vec<Series> = (0..60)
        .map(|k| monthly(&format!("M{k}"), dying(31 + k, origin + h)))
        .collect();
    let cfg = ForecastConfig {
        horizon: h,
        keep_candidates: true,
        ..ForecastConfig::default()
    };
    let cut =
        |series: &[Series]| -> Vec<Series> { series.iter().map(|s| s.truncated(origin)).collect() };
    let runs = run_all(&cut(&full), &cfg, &|_| {});
    let mut checked = 0;
    for (s, run) in full.iter().zip(&runs) {
        let run = run.as_ref().unwrap();
        if matches!(run.forecast.model.as_str(), "zero" | "short_average") {
            continue;
        }
        checked += 1;
        assert_eq!(run.forecast.model, "wa", "{}", s.key);
        let origins: Vec<usize> = run.backtests.iter().map(|(o, _)| *o).collect();
        assert_eq!(origins, vec![24, 18, 12], "{}", s.key);
        assert!(run.forecast.uncertainty.calibration.is_some(), "{}", s.key);
        // change every value after each selection origin: its backtests are unchanged
        for (o, forecasts) in &run.backtests {
            let mut changed = s.truncated(origin);
            let mut u = uniforms(*o as u64);
            for v in &mut changed.units[*o..] {
                *v = (20.0 * u()).round();
            }
            let other = run_series(&changed, &cfg, &Priors::default()).unwrap();
            let (_, f2) = other.backtests.iter().find(|(o2, _)| o2 == o).unwrap();
            assert_eq!(forecasts, f2, "{}: origin {o} saw later values", s.key);
        }
    }
    assert!(checked >= 40, "series selected on backtests: {checked}");
    // change every value after the run's origin: forecasts and calibration are unchanged
    let mut later = full.clone();
    let mut u = uniforms(7);
    for s in &mut later {
        for v in &mut s.units[origin..] {
            *v = (30.0 * u()).round();
        }
    }
    let again = run_all(&cut(&later), &cfg, &|_| {});
    for (a, b) in runs.iter().zip(&again) {
        let (a, b) = (&a.as_ref().unwrap().forecast, &b.as_ref().unwrap().forecast);
        // (the whole forecast but its accuracy, whose RMSSE is NaN and never equal)
        assert_eq!(
            (&a.mean, &a.model, &a.uncertainty, &a.notes, &a.recent),
            (&b.mean, &b.model, &b.uncertainty, &b.notes, &b.recent),
            "{}",
            a.key
        );
        assert_eq!(a.quantiles(0.9), b.quantiles(0.9), "{}", a.key);
    }
}

#[test]
fn enough_backtest_periods_still_select_among_the_candidates() {
    // Daily series have 3 × 28 backtest days, far above two weeks: selection runs as before
    // (the spiky series of `select_on_squared_error_not_mae` picks the window average over
    // the seasonal naive forecast on its own merits, and a trending one picks something else).
    let y: Vec<f64> = (0..300).map(|t| (5.0 + 0.2 * t as f64).round()).collect();
    let cfg = ForecastConfig {
        horizon: 28,
        ..ForecastConfig::default()
    };
    let run = run_series(&daily("trend", y), &cfg, &Priors::default()).unwrap();
    assert_ne!(run.forecast.model, "wa");
    assert!(
        !run.forecast
            .notes
            .iter()
            .any(|n| n.contains("not selected")),
        "{:?}",
        run.forecast.notes
    );
}

/// Three years of daily demand with a yearly wave (peak near day 91 of each 364-day year) on
/// a level of `level` units a day, Poisson noise.
fn yearly_wave(seed: u64, n: usize, level: f64) -> Vec<f64> {
    let mut u = uniforms(seed);
    (0..n)
        .map(|t| {
            let mean = level * (1.0 + 0.6 * (std::f64::consts::TAU * t as f64 / 364.0).sin());
            poisson_draw(u(), mean)
        })
        .collect()
}

fn yearly_runs(series: &[Series], cfg: &ForecastConfig) -> Vec<Result<SeriesRun, SeriesIssue>> {
    series
        .iter()
        .map(|s| run_series(s, cfg, &Priors::default()))
        .collect()
}

fn category(mut s: Series, c: &str) -> Series {
    s.meta.category = Some(c.into());
    s
}

#[test]
fn the_yearly_ratio_reads_only_data_before_the_origin() {
    // Each selection backtest is adjusted by last year's ratio at its own origin, pooled over
    // the series of its category and of the run: change every value after an origin, in every
    // series, and the adjusted backtest from that origin (and from every older one) must not
    // change. The run's own forecast may (its origin is the end of the history).
    let n = 3 * 364 + 20;
    let series: Vec<Series> = (0..4)
        .map(|i| {
            let s = daily(&format!("s{i}"), yearly_wave(11 + i, n, 2.0 + i as f64));
            category(s, if i < 2 { "a" } else { "b" })
        })
        .collect();
    let cfg = ForecastConfig {
        horizon: 28,
        yearly_adjust: true,
        ..ForecastConfig::default()
    };
    let base = yearly_runs(&series, &cfg);
    let origins: Vec<usize> = base[0]
        .as_ref()
        .unwrap()
        .calibration
        .backtests
        .iter()
        .map(|b| b.origin)
        .collect();
    assert_eq!(origins.len(), 3);
    let mut adjusted = base.clone();
    yearly::adjust(&series, &mut adjusted, 28, 28, 28, cfg.yearly_prior_units);
    for &cut in &origins {
        let changed: Vec<Series> = series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut s = s.clone();
                let mut u = uniforms(cut as u64 + i as u64);
                for v in s.units.iter_mut().skip(cut) {
                    *v = (*v * 4.0 + 30.0 * u()).round();
                }
                s
            })
            .collect();
        // the same pipeline runs (selection is not under test here), other data after `cut`
        let mut other = base.clone();
        yearly::adjust(&changed, &mut other, 28, 28, 28, cfg.yearly_prior_units);
        for (a, b) in adjusted.iter().zip(&other) {
            let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
            for (x, y) in a.calibration.backtests.iter().zip(&b.calibration.backtests) {
                if x.origin <= cut {
                    assert_eq!(
                        x.forecast, y.forecast,
                        "origin {} saw data after {cut}",
                        x.origin
                    );
                }
            }
        }
        // while last year's days ahead of `cut` (before it) do move its backtest: the test can fail
        let earlier: Vec<Series> = series
            .iter()
            .map(|s| {
                let mut s = s.clone();
                for v in &mut s.units[cut - 364..cut - 364 + 28] {
                    *v *= 4.0;
                }
                s
            })
            .collect();
        let mut moved = base.clone();
        yearly::adjust(&earlier, &mut moved, 28, 28, 28, cfg.yearly_prior_units);
        let find = |r: &Result<SeriesRun, SeriesIssue>| {
            let r = r.as_ref().unwrap();
            r.calibration
                .backtests
                .iter()
                .find(|b| b.origin == cut)
                .unwrap()
                .forecast
                .clone()
        };
        assert_ne!(find(&adjusted[0]), find(&moved[0]));
    }
}

#[test]
fn the_yearly_adjustment_follows_last_years_ramp() {
    // Origin a quarter of a year before the wave's peak: last year the 28 days ahead sold
    // clearly more than the 28 days behind, so the forecast and the backtests are raised;
    // with the option off nothing changes.
    let n = 3 * 364 + 40;
    let series: Vec<Series> = (0..6)
        .map(|i| category(daily(&format!("s{i}"), yearly_wave(31 + i, n, 4.0)), "a"))
        .collect();
    let cfg = ForecastConfig {
        horizon: 28,
        ..ForecastConfig::default()
    };
    let on = ForecastConfig {
        yearly_adjust: true,
        ..cfg.clone()
    };
    let plain = run_all(&series, &cfg, &|_| {});
    let adjusted = run_all(&series, &on, &|_| {});
    let (mut before, mut after) = (0.0, 0.0);
    for (p, a) in plain.iter().zip(&adjusted) {
        let (p, a) = (p.as_ref().unwrap(), a.as_ref().unwrap());
        before += p.forecast.mean.iter().sum::<f64>();
        after += a.forecast.mean.iter().sum::<f64>();
        assert!(a
            .forecast
            .notes
            .iter()
            .any(|n| n.starts_with("yearly adjustment")));
        assert!(!p
            .forecast
            .notes
            .iter()
            .any(|n| n.starts_with("yearly adjustment")));
    }
    // expected ratio of the wave's means over the same days last year
    let wave = |t: usize| 1.0 + 0.6 * (std::f64::consts::TAU * t as f64 / 364.0).sin();
    let at = n - 364;
    let up: f64 = (at..at + 28).map(wave).sum();
    let base: f64 = (at - 28..at).map(wave).sum();
    let expected = up / base;
    assert!(expected > 1.15, "the test series must ramp up: {expected}");
    let got = after / before;
    assert!(
        (got - expected).abs() < 0.1,
        "forecast raised ×{got:.3}, last year's ratio ×{expected:.3}"
    );
    // one ratio per week of the horizon: four factors, rising toward last year's peak
    let weekly = ForecastConfig {
        yearly_block: 7,
        ..on
    };
    let by_week = run_all(&series, &weekly, &|_| {});
    let mut after = 0.0;
    for (p, a) in plain.iter().zip(&by_week) {
        let (p, a) = (p.as_ref().unwrap(), a.as_ref().unwrap());
        after += a.forecast.mean.iter().sum::<f64>();
        let note = a
            .forecast
            .notes
            .iter()
            .find(|n| n.starts_with("yearly adjustment"))
            .unwrap();
        assert_eq!(note.matches('×').count(), 4, "{note}");
        let r: Vec<f64> = (0..4)
            .map(|k| a.forecast.mean[7 * k] / p.forecast.mean[7 * k])
            .collect();
        assert!(r[3] > r[0], "{r:?}");
    }
    let got = after / before;
    assert!(
        (got - expected).abs() < 0.1,
        "forecast raised ×{got:.3} by week, last year's ratio ×{expected:.3}"
    );
}

#[test]
fn the_yearly_ratio_needs_a_year_and_a_window_of_history() {
    let y = vec![1.0; 364 + 27];
    assert_eq!(yearly::last_year(&y, y.len(), 28, 28, 28), None);
    let y = vec![1.0; 364 + 28];
    assert_eq!(
        yearly::last_year(&y, y.len(), 28, 28, 28),
        Some(vec![(28.0, 28.0)])
    );
    // mostly unknown days last year: no ratio
    let mut y = vec![1.0; 400];
    y[400 - 364..400 - 364 + 20]
        .iter_mut()
        .for_each(|v| *v = f64::NAN);
    assert_eq!(yearly::last_year(&y, y.len(), 28, 28, 28), None);
}

#[test]
fn yearly_ratios_pool_only_series_cut_on_the_same_day() {
    // A file's series may end on different days: a flat series must not take the ramp of a
    // series of its category whose history ends 100 days later (another calendar window).
    let n = 3 * 364 + 40;
    let flat = category(daily("flat", vec![3.0; n - 100]), "a");
    let wave = category(daily("wave", yearly_wave(5, n, 4.0)), "a");
    let series = vec![flat, wave];
    let cfg = ForecastConfig {
        horizon: 28,
        yearly_adjust: true,
        ..ForecastConfig::default()
    };
    let plain = yearly_runs(&series, &cfg);
    let mut adjusted = plain.clone();
    yearly::adjust(&series, &mut adjusted, 28, 28, 28, cfg.yearly_prior_units);
    let ratio = |i: usize| {
        let a: f64 = adjusted[i].as_ref().unwrap().forecast.mean.iter().sum();
        let p: f64 = plain[i].as_ref().unwrap().forecast.mean.iter().sum();
        a / p
    };
    assert!((ratio(0) - 1.0).abs() < 1e-9, "flat series ×{}", ratio(0));
    assert!(ratio(1) > 1.1, "ramping series ×{}", ratio(1));
}

#[test]
fn the_global_switches_need_a_build_with_the_global_model() {
    // A switch that would silently do nothing is refused by name in a build without the
    // global model; with it, the same configuration is valid.
    let switches = [
        ForecastConfig {
            promo_lift: PromoLift::Global,
            ..ForecastConfig::default()
        },
        ForecastConfig {
            new_products: NewProducts::Global,
            ..ForecastConfig::default()
        },
    ];
    let built = cfg!(feature = "global");
    for (cfg, field) in switches.iter().zip(["promo_lift", "new_products"]) {
        let checked = cfg.validate();
        assert_eq!(checked.is_ok(), built, "{field}: {checked:?}");
        if let Err(e) = checked {
            assert!(e.to_string().contains(field), "{e}");
            assert!(e.to_string().contains("feature `global`"), "{e}");
        }
    }
    // the defaults need nothing
    assert!(ForecastConfig::default().validate().is_ok());
    // and none of them takes a bad budget
    let bad = ForecastConfig {
        promo_lift: PromoLift::None,
        global_budget: f64::NAN,
        ..ForecastConfig::default()
    };
    assert!(bad.validate().is_err());
}
