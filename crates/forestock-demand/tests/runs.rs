//! A forecast run on a small demo merchant: stored, versioned, read back identically.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests

use chrono::NaiveDate;
use forestock_core::Store;
use forestock_demand::{forecast_merchant, latest_run, load_forecast, load_forecasts};
use forestock_forecast::ForecastConfig;

fn demo(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::create(&dir.path().join("m.db")).unwrap();
    let cfg = forestock_demo::DemoConfig {
        skus: 12,
        days: 200,
        ..Default::default()
    };
    forestock_demo::generate(&mut store, &cfg, &mut |_| {}).unwrap();
    store
}

#[test]
fn a_run_is_stored_for_every_active_series_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(&dir);
    let now = NaiveDate::from_ymd_opt(2026, 11, 26)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap();
    let cfg = ForecastConfig {
        horizon: 21,
        ets_evals: 40,
        ..ForecastConfig::default()
    };
    let first = forecast_merchant(&mut store, &cfg, now, &|_| {}).unwrap();
    assert!(first.series > 0);
    assert_eq!(first.forecast + first.failed, first.series);
    let (run_id, started) = latest_run(&store).unwrap().unwrap();
    assert_eq!((run_id, started), (first.run_id, now));
    let stored = load_forecasts(&store, run_id).unwrap();
    assert_eq!(stored.len(), first.forecast);
    for s in &stored {
        assert_eq!(s.forecast.horizon(), 21);
        assert!(s.forecast.mean.iter().all(|v| v.is_finite() && *v >= 0.0));
        let w = s.forecast.window(0, 14);
        assert!(w.quantile(0.95) >= w.quantile(0.5));
    }
    let one = &stored[0];
    let again = load_forecast(&store, one.variant_id, one.location_id)
        .unwrap()
        .unwrap();
    assert_eq!(again.forecast.mean, one.forecast.mean);
    // the stored daily p10/p50/p90 are the read-back forecast's, calibrated levels included
    assert!(stored
        .iter()
        .any(|s| s.forecast.uncertainty.calibration.is_some()));
    let reader = store.read();
    let mut st = reader
        .conn()
        .prepare(
            "SELECT variant_id, location_id, day, p10, p50, p90 FROM forecast_days \
             WHERE run_id = ?1 ORDER BY variant_id, location_id, day",
        )
        .unwrap();
    let days: Vec<(i64, i64, usize, [f64; 3])> = st
        .query_map([run_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get::<_, i64>(2)? as usize,
                [r.get(3)?, r.get(4)?, r.get(5)?],
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(days.len(), 21 * stored.len());
    for (v, l, day, q) in days {
        let s = stored
            .iter()
            .find(|s| (s.variant_id, s.location_id) == (v, l))
            .unwrap();
        // (the levels go through the run summary's JSON: equal to ~1e-15)
        let again = s.forecast.period_quantiles(day, [0.1, 0.5, 0.9]);
        for (a, b) in again.iter().zip(q) {
            assert!((a - b).abs() <= 1e-9 * (1.0 + b.abs()), "{again:?} {q:?}");
        }
    }
    drop(st);
    // a second run is a new version; the first stays
    let second = forecast_merchant(&mut store, &cfg, now, &|_| {}).unwrap();
    assert!(second.run_id > first.run_id);
    let old = load_forecasts(&store, first.run_id).unwrap();
    let new = load_forecasts(&store, second.run_id).unwrap();
    let view = |v: &[forestock_demand::StoredForecast]| -> Vec<_> {
        v.iter()
            .map(|s| {
                (
                    s.variant_id,
                    s.location_id,
                    s.forecast.mean.clone(),
                    s.forecast.model.clone(),
                )
            })
            .collect()
    };
    assert_eq!(view(&old), view(&new), "same data, same forecasts");
}

/// A run made as of an earlier day reads no history after it: its series end there, its first
/// forecast day is the day after, and the run header says so (what the accuracy report reads).
#[test]
fn a_run_as_of_an_earlier_day_forecasts_the_days_after_it() {
    use forestock_demand::{forecast_merchant_as_of, recent_runs, run_days};
    let dir = tempfile::tempdir().unwrap();
    let mut store = demo(&dir);
    let now = NaiveDate::from_ymd_opt(2026, 11, 26)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap();
    let cfg = ForecastConfig {
        horizon: 7,
        ets_evals: 40,
        ..ForecastConfig::default()
    };
    let full = forecast_merchant(&mut store, &cfg, now, &|_| {}).unwrap();
    let end = full.as_of.unwrap();
    let cut = end - chrono::Days::new(10);
    let early = forecast_merchant_as_of(&mut store, &cfg, Some(cut), now, &|_| {}).unwrap();
    assert_eq!(early.as_of, Some(cut));
    let runs = recent_runs(&store, 5).unwrap();
    assert_eq!(
        runs.iter().map(|r| (r.id, r.as_of)).collect::<Vec<_>>(),
        [(early.run_id, Some(cut)), (full.run_id, Some(end))]
    );
    let (series, days) = run_days(&store, early.run_id).unwrap();
    assert_eq!(series.len(), early.forecast);
    assert!(series.iter().all(|s| s.history_end == cut && s.season >= 1));
    assert_eq!(days.len(), 7 * series.len());
    assert!(days.iter().all(|d| d.date > cut
        && d.date <= cut + chrono::Days::new(7)
        && d.p10 <= d.mean.max(d.p10)
        && d.p10 <= d.p90));
    assert_eq!(recent_runs(&store, 1).unwrap().len(), 1);
}
