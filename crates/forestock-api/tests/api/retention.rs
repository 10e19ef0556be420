//! Forecast runs are pruned after each plan: the newest run of each of the `forecast_runs_kept`
//! most recent as-of dates and the run the latest plan was made from stay, with their stored
//! days; the others go.

use chrono::{Days, NaiveDate};
use forestock_api::{plan, review, AuditStamp};
use forestock_core::Store;

fn stamp() -> AuditStamp {
    crate::app_stamp()
}

fn demo() -> (tempfile::TempDir, Store) {
    crate::small_demo(12, 400)
}

fn forecast_runs(store: &Store) -> Vec<i64> {
    let conn = store.read().conn();
    let mut st = conn
        .prepare("SELECT id FROM runs WHERE kind = 'forecast' ORDER BY id")
        .unwrap();
    let ids = st.query_map([], |r| r.get(0)).unwrap();
    ids.collect::<rusqlite::Result<_>>().unwrap()
}

fn stored_days(store: &Store, run: i64) -> i64 {
    store
        .read()
        .conn()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM forecast_days WHERE run_id = ?1) \
                  + (SELECT COUNT(*) FROM forecast_series WHERE run_id = ?1)",
            [run],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn plans_keep_the_newest_runs_and_the_latest_plans_own_run() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    let as_of: NaiveDate = store.read().merchant().unwrap().unwrap().as_of.unwrap();
    let mut settings = forestock_plan::settings::load_settings(&store.read()).unwrap();
    assert_eq!(settings.forecast_runs_kept, 14, "the default");
    settings.forecast_runs_kept = 2;
    review::save_settings(&mut store, &stamp, &settings).unwrap();

    let mut plan_runs = Vec::new();
    for back in [3u64, 2, 1, 0] {
        let s = plan::plan(&mut store, &stamp, Some(as_of - Days::new(back)), &|_| {}).unwrap();
        plan_runs.push(s.forecast_run_id.expect("the plan stored its forecast run"));
    }
    let kept = forecast_runs(&store);
    assert_eq!(
        kept,
        plan_runs[2..].to_vec(),
        "the two newest dates' runs stay"
    );
    for old in &plan_runs[..2] {
        assert_eq!(
            stored_days(&store, *old),
            0,
            "run {old}'s days went with it"
        );
    }
    for run in &kept {
        assert!(stored_days(&store, *run) > 0, "run {run} is whole");
    }

    // A re-plan on the same day replaces that day's run; the day before keeps its own.
    let again = plan::plan(&mut store, &stamp, Some(as_of), &|_| {})
        .unwrap()
        .forecast_run_id
        .unwrap();
    assert_eq!(forecast_runs(&store), vec![plan_runs[2], again]);
    plan_runs[3] = again;

    // A forecast made outside a plan (e.g. `forestock forecast --db`) is newer than the
    // latest plan's run: with one run kept, the plan's own run still stays.
    let cfg = forestock_forecast::ForecastConfig::with_horizon(30);
    let now = chrono::Utc::now().naive_utc();
    let extra = forestock_demand::forecast_merchant(&mut store, &cfg, now, &|_| {})
        .unwrap()
        .run_id;
    forestock_demand::prune_runs(&mut store, 1).unwrap();
    assert_eq!(forecast_runs(&store), vec![plan_runs[3], extra]);
}

#[test]
fn keeping_no_runs_is_refused_naming_the_setting() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    let mut settings = forestock_plan::settings::load_settings(&store.read()).unwrap();
    settings.forecast_runs_kept = 0;
    let err = review::save_settings(&mut store, &stamp, &settings).unwrap_err();
    assert!(err.to_string().contains("forecast_runs_kept"), "{err}");
    let stored = forestock_plan::settings::load_settings(&store.read()).unwrap();
    assert_eq!(stored.forecast_runs_kept, 14, "nothing was saved");
}
