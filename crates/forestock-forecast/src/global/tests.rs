use super::features::{self, Ids, Prefix};
use super::*;
use crate::engine::run_all_hooked;
use crate::series::{Frequency, SeriesKey};
use crate::GlobalScale;
use chrono::NaiveDate;

/// Deterministic uniforms in [0, 1) (a 64-bit LCG, Knuth's MMIX constants).
fn uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Poisson draw by inversion (Knuth), small means only.
fn poisson(u: &mut impl FnMut() -> f64, mean: f64) -> f64 {
    let l = (-mean).exp();
    let (mut k, mut p) = (0.0, 1.0);
    loop {
        p *= u();
        if p <= l {
            return k;
        }
        k += 1.0;
    }
}

/// `n` daily series sharing a weekday profile (weekend ×2), with prices and promotions that
/// lift sales by half.
fn shop(n: usize, days: usize) -> Vec<Series> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(); // a Monday
    (0..n)
        .map(|k| {
            let mut u = uniforms(k as u64 + 1);
            let level = 1.0 + (k % 5) as f64;
            let promo: Vec<bool> = (0..days).map(|t| (t + 3 * k) % 30 < 4).collect();
            let units = (0..days)
                .map(|t| {
                    let dow = if t % 7 >= 5 { 2.0 } else { 1.0 };
                    let lift = if promo[t] { 1.5 } else { 1.0 };
                    poisson(&mut u, level * dow * lift)
                })
                .collect();
            let mut s = Series::new(
                SeriesKey::new(format!("SKU{}", k % 6), format!("S{}", k % 3)),
                Frequency::Daily,
                start,
                units,
            );
            s.price = promo.iter().map(|p| if *p { 4.0 } else { 5.0 }).collect();
            s.promo = promo;
            s
        })
        .collect()
}

fn cfg() -> ForecastConfig {
    ForecastConfig {
        horizon: 7,
        max_history: 56,
        ets_evals: 20,
        global_weight: 0.5,
        ..ForecastConfig::default()
    }
}

/// [`cfg`] with no blend: the global model only where a switch asks for it.
fn unblended() -> ForecastConfig {
    ForecastConfig {
        global_weight: 0.0,
        ..cfg()
    }
}

/// Every value observed from period `t` on changed: units and prices. The promotion plan is
/// kept: it is known in advance (see [`replanned`]).
fn scrambled(s: &Series, t: usize) -> Series {
    let mut c = s.clone();
    let mut u = uniforms(t as u64 + 99);
    for i in t..c.units.len() {
        c.units[i] = if i % 9 == 0 {
            0.0
        } else {
            (40.0 * u()).round()
        };
        c.price[i] = 1.0 + 9.0 * u();
    }
    c
}

/// [`scrambled`], and every promotion from period `t` on turned over.
fn replanned(s: &Series, t: usize) -> Series {
    let mut c = scrambled(s, t);
    for p in &mut c.promo[t..] {
        *p = !*p;
    }
    c
}

#[test]
fn features_at_an_origin_use_only_data_before_it() {
    let series = shop(4, 300);
    let ids = Ids::new(&series);
    for scale in [
        GlobalScale::None,
        GlobalScale::Features,
        GlobalScale::Target,
    ] {
        for s in &series {
            for t in [10, 150, 299] {
                let other = replanned(s, t);
                let rows = |s: &Series| {
                    let y = features::clean(&s.units[..t], s.frequency, true, true);
                    let p = Prefix::new(s, y, &ids);
                    let o = features::at_origin(&p, t, s.frequency, scale);
                    let rows = (1..=28)
                        .map(|k| features::row(&p, &o, t, k, 7))
                        .collect::<Vec<_>>();
                    (rows, o.level)
                };
                let ((a, la), (b, lb)) = (rows(s), rows(&other));
                assert!(la.to_bits() == lb.to_bits(), "{scale:?}: level at {t}");
                for (k, (ra, rb)) in a.iter().zip(&b).enumerate() {
                    // the one column read after the origin: the target period's promotion plan
                    let j = features::TARGET_PROMO;
                    assert_eq!(j, features::NF - 1, "the plan is the last column");
                    let plan = |s: &Series| s.promo.get(t + k).map_or(0.0, |p| f64::from(*p));
                    assert_eq!((ra[j], rb[j]), (plan(s), plan(&other)), "plan at {t}+{k}");
                    for (j, (x, y)) in ra.iter().zip(rb).enumerate().take(j) {
                        assert!(
                            x.to_bits() == y.to_bits(),
                            "{scale:?}: feature {} at origin {t}, horizon {} saw later values: \
                             {x} vs {y}",
                            features::NAMES[j],
                            k + 1
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_model_trained_before_a_cut_and_its_forecast_never_see_later_periods() {
    for scale in [GlobalScale::None, GlobalScale::Target] {
        let cfg = ForecastConfig {
            global_scale: scale,
            ..cfg()
        };
        let series = shop(8, 150);
        let cut = 120;
        let changed: Vec<Series> = series.iter().map(|s| scrambled(s, cut)).collect();
        let a = GlobalModel::train_before(&series, &cfg, &|_| cut).unwrap();
        let b = GlobalModel::train_before(&changed, &cfg, &|_| cut).unwrap();
        assert_eq!(a.rows, b.rows);
        for (s, c) in series.iter().zip(&changed) {
            let (fa, fb) = (a.forecast_at(s, cut, &cfg), b.forecast_at(c, cut, &cfg));
            assert_eq!(
                fa, fb,
                "{scale:?}: {} forecast from {cut} saw later values",
                s.key
            );
        }
    }
}

/// `n` daily series of levels spread geometrically from 0.3 to 26 units a day, each with
/// the same weekday profile (weekend ×2) and Poisson noise, no prices or promotions.
fn levels(n: usize, days: usize) -> Vec<(f64, Series)> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(); // a Monday
    (0..n)
        .map(|k| {
            let level = 0.3 * (26.0_f64 / 0.3).powf(k as f64 / (n - 1) as f64);
            let mut u = uniforms(1000 + k as u64);
            let units = (0..days)
                .map(|t| {
                    let dow = if t % 7 >= 5 { 2.0 } else { 1.0 };
                    // mean over a week: level (5·1 + 2·2 = 9 weekday units per 7 days)
                    poisson(&mut u, level * dow * 7.0 / 9.0)
                })
                .collect();
            let s = Series::new(
                SeriesKey::new(format!("SKU{k}"), "S".to_string()),
                Frequency::Daily,
                start,
                units,
            );
            (level, s)
        })
        .collect()
}

#[test]
#[ignore = "fails: the scaled model forecasts the 0.3-a-day series at 0.07 a day against a \
            recent level of 0.28 (forecasting README, \"Scaling by each series' level\")"]
fn the_scaled_global_model_keeps_each_series_level() {
    // A model shared by series from 0.3 to 26 units a day must forecast each at its own level.
    // With the target in units, a few coarse trees put the small series near the pooled mean
    // (M5: the median series' global total was 1.67 times the local one, "Diagnosis of the M5
    // over-forecast" in the README); with the target divided by the level (Poisson offset
    // ln L) the trees start from each series' level and learn only the ratio to it.
    let data = levels(12, 200);
    let series: Vec<Series> = data.iter().map(|(_, s)| s.clone()).collect();
    let cfg = ForecastConfig {
        horizon: 28,
        global_scale: GlobalScale::Target,
        ..cfg()
    };
    let model = GlobalModel::train_before(&series, &cfg, &|s| s.units.len()).unwrap();
    let ids = Ids::new(&series);
    for (level, s) in &data {
        let f = model.forecast_at(s, s.units.len(), &cfg);
        let mean = f.iter().sum::<f64>() / f.len() as f64;
        // the level the model sees: the last 28 days shrunk toward the year (at 0.3 a day
        // that is ~8 units, a standard error of ~35% around the true level, so the forecast
        // is compared with it, not with the level the data were drawn at)
        let n = s.units.len();
        let y = features::clean(&s.units, s.frequency, true, true);
        let seen = features::level(&Prefix::new(s, y, &ids), n, s.frequency);
        assert!(
            (mean / seen - 1.0).abs() < 0.25,
            "{}: global forecast {mean:.2} a day for a recent level of {seen:.2} (drawn at \
             {level:.2})",
            s.key
        );
    }
}

#[test]
fn no_value_after_a_selection_origin_changes_the_global_backtest() {
    // The engine's look-ahead test (`no_value_after_the_origin_changes_the_forecast`, every
    // local candidate) extended to the global model: its forecast at each selection origin,
    // blended into the backtests that calibrate the quantiles, is the same when every value of
    // every series from that origin on changes. (Which local candidate is chosen depends on all
    // origins' errors, as selection must.)
    let cfg = cfg();
    let series = shop(8, 150);
    let base = train(&series, &cfg).unwrap();
    let early = base.early.as_ref().unwrap();
    let runs = run_all_hooked(&series, &cfg, &|_| {}, &|runs| {
        blend(&series, runs, &base, &cfg);
    });
    let first = runs[0].as_ref().unwrap();
    assert!(first.forecast.model.ends_with("+global"));
    let origins: Vec<usize> = first
        .calibration
        .backtests
        .iter()
        .map(|b| b.origin)
        .collect();
    assert_eq!(origins.len(), 3);
    for &o in &origins {
        let changed: Vec<Series> = series.iter().map(|s| scrambled(s, o)).collect();
        let other = train(&changed, &cfg).unwrap();
        let other = other.early.as_ref().unwrap();
        for (s, c) in series.iter().zip(&changed) {
            assert_eq!(
                early.forecast_at(s, o, &cfg),
                other.forecast_at(c, o, &cfg),
                "{}: global backtest from {o} saw later values",
                s.key
            );
        }
    }
}

#[test]
fn the_global_model_learns_the_shared_weekday_pattern() {
    // Every series sells twice as much at weekends; the model must carry that profile into a
    // 7-day forecast (a flat forecast has a ratio of 1; on 8 weeks of 8 series the boosted
    // model, shrunk by its budget, recovers most of the 2).
    let cfg = cfg();
    let series = shop(8, 150);
    let model = GlobalModel::train_before(&series, &cfg, &|s| s.units.len()).unwrap();
    let (mut weekend, mut weekday) = (0.0, 0.0);
    for (k, s) in series.iter().enumerate() {
        let f = model.forecast_at(s, s.units.len(), &cfg);
        assert_eq!(f.len(), 7);
        assert!(f.iter().all(|v| v.is_finite() && *v >= 0.0));
        let level = 1.0 + (k % 5) as f64;
        // period t is a weekend day when t % 7 >= 5 (the series start on a Monday)
        for (i, v) in f.iter().enumerate() {
            let t = s.units.len() + i;
            if t % 7 >= 5 {
                weekend += v / level;
            } else {
                weekday += v / level;
            }
        }
    }
    let ratio = (weekend / 2.0) / (weekday / 5.0);
    assert!(
        (1.4..2.4).contains(&ratio),
        "weekend / weekday forecast ratio {ratio:.2}, the data's is 2"
    );
}

#[test]
fn training_twice_gives_identical_forecasts() {
    let cfg = cfg();
    let series = shop(6, 150);
    let a = GlobalModel::train_before(&series, &cfg, &|s| s.units.len()).unwrap();
    let b = GlobalModel::train_before(&series, &cfg, &|s| s.units.len()).unwrap();
    for s in &series {
        let n = s.units.len();
        assert_eq!(a.forecast_at(s, n, &cfg), b.forecast_at(s, n, &cfg));
    }
}

/// The global model's mean is bounded by the series' own history: on the demo merchant the
/// unscaled model forecast up to 96 million units a day for series that had sold a few
/// hundred at most. Never more than three times the best period seen (at least 1 unit), an
/// overflow included; never negative; a NaN is 0.
#[test]
fn a_global_forecast_never_exceeds_three_times_the_best_period_seen() {
    use super::model::bound_to_history;
    let history = [0.0, 4.0, f64::NAN, 12.0, 7.0];
    let mut means = [5.0, 36.0, 9.6e7, f64::INFINITY, f64::NAN, -1.0];
    bound_to_history(&mut means, &history);
    assert_eq!(means, [5.0, 36.0, 36.0, 36.0, 0.0, 0.0]);
    // a series that never sold: at most 3 units a period
    let mut means = [0.4, 50.0];
    bound_to_history(&mut means, &[0.0, 0.0, f64::NAN]);
    assert_eq!(means, [0.4, 3.0]);
}

/// `shop`'s series with their promotions of the next `h` days planned (the same every-30-days
/// pattern as their history).
fn with_plan(series: &[Series], h: usize) -> Vec<Series> {
    series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut s = s.clone();
            let n = s.units.len();
            s.future_promo = (n..n + h).map(|t| (t + 3 * k) % 30 < 4).collect();
            s
        })
        .collect()
}

#[test]
fn the_global_model_reads_a_planned_promotions_lift() {
    // `shop` sells half as much again on promotion days, whatever the series' level or
    // weekday: the model's counterfactual ratio (promoted over not) must find that lift.
    let cfg = unblended();
    let series = with_plan(&shop(8, 300), cfg.horizon);
    let model = GlobalModel::train_before(&series, &cfg, &|s| s.units.len()).unwrap();
    let lifts: Vec<f64> = series
        .iter()
        .flat_map(|s| model.promo_lift_at(s, s.units.len(), &cfg))
        .collect();
    let mean = lifts.iter().sum::<f64>() / lifts.len() as f64;
    assert!((1.25..1.8).contains(&mean), "mean lift {mean} (true 1.5)");
    // a series without promotion data gets no lift
    let mut bare = series[0].clone();
    bare.promo.clear();
    bare.future_promo.clear();
    assert_eq!(
        model.promo_lift_at(&bare, 300, &cfg),
        vec![1.0; cfg.horizon]
    );
}

#[test]
fn a_global_promotion_lift_moves_only_the_planned_days() {
    // PromoLift::Global against PromoLift::None on the same run: the unplanned days are the
    // same forecast, the planned ones lifted by the model's ratio (within the pooled lift's
    // bounds), and the forecast says where its lift came from.
    let base = unblended();
    let series = with_plan(&shop(8, 300), base.horizon);
    let run = |promo_lift| {
        crate::forecast_all(
            &series,
            &ForecastConfig {
                promo_lift,
                ..base.clone()
            },
            &|_| {},
        )
    };
    let (none, global) = (run(crate::PromoLift::None), run(crate::PromoLift::Global));
    // the same model as the run's (training is deterministic)
    let model = GlobalModel::train_before(&series, &base, &|s| s.units.len()).unwrap();
    let mut lifted = 0;
    for ((s, a), b) in series.iter().zip(&none).zip(&global) {
        let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
        let want = model.promo_lift_at(s, s.units.len(), &base);
        for (i, (x, y)) in a.mean.iter().zip(&b.mean).enumerate() {
            if s.future_promo[i] {
                // the model's lift once, in place of the pooled lift (not on top of it)
                let (r, w) = (y / x, bounded_lift(want[i]));
                assert!(
                    (r - w).abs() < 1e-9,
                    "{}: day {i} lifted {r}, model {w}",
                    s.key
                );
                assert!(r > 1.15, "{}: day {i} lifted only {r}", s.key);
                lifted += 1;
            } else {
                assert_eq!(x, y, "{}: day {i} has no promotion", s.key);
            }
        }
        if s.future_promo.contains(&true) {
            assert!(
                b.notes
                    .iter()
                    .any(|n| n.contains("promotion lift from the global model")),
                "{:?}",
                b.notes
            );
        }
    }
    let planned = series
        .iter()
        .flat_map(|s| &s.future_promo)
        .filter(|p| **p)
        .count();
    assert!(
        planned > 0 && lifted == planned,
        "{lifted} of {planned} planned days"
    );
}

#[test]
fn a_new_product_can_be_forecast_by_the_global_model() {
    // Eight established series of one category and a product launched five days before the
    // origin at the same store: with NewProducts::Global its forecast is the model's (not its
    // analogs'), a daily mean in the range the category sells, nothing after its end of life.
    let base = unblended();
    let mut series = shop(8, 300);
    for s in &mut series {
        s.meta.category = Some("tees".into());
    }
    let mut new = series[0].clone();
    new.key = SeriesKey::new("NEW", series[0].key.location.clone());
    new.start = series[0].frequency.add(series[0].start, 295);
    new.units = series[0].units[295..].to_vec();
    new.price = series[0].price[295..].to_vec();
    new.promo = series[0].promo[295..].to_vec();
    new.meta.discontinue = Some(new.frequency.add(new.start, 5 + 4));
    series.push(new);
    let run = |new_products| {
        let cfg = ForecastConfig {
            new_products,
            ..base.clone()
        };
        crate::forecast_all(&series, &cfg, &|_| {})
    };
    let analogs = run(crate::NewProducts::Analogs);
    assert_eq!(analogs[8].as_ref().unwrap().model, "analogs");
    let global = run(crate::NewProducts::Global);
    let f = global[8].as_ref().unwrap();
    assert_eq!(f.model, "global_new");
    assert!(
        f.notes.iter().any(|n| n.contains("global model")),
        "{:?}",
        f.notes
    );
    // the category sells 1–5 a weekday, twice that at weekends
    assert!(
        f.mean[..4].iter().all(|v| (0.5..15.0).contains(v)),
        "{:?}",
        f.mean
    );
    assert!(
        f.mean[4..].iter().all(|v| *v == 0.0),
        "after end of life: {:?}",
        f.mean
    );
    // the established series are the same forecasts either way
    for (a, b) in analogs.iter().zip(&global).take(8) {
        assert_eq!(a.as_ref().unwrap().mean, b.as_ref().unwrap().mean);
    }
}
