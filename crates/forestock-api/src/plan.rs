//! Planning: forecast and compute recommendations for every active SKU×location, stored as a
//! plan run (`forestock plan`, the app's "Sync & run" after its sync stage).

use crate::{AuditStamp, Result};
use chrono::NaiveDate;
use forestock_core::Store;
use forestock_plan::plan::{run_plan_with, PlanRequest};
pub use forestock_plan::plan::{PlanProgress, PlanSummary};

/// Why the planning date is what it is (shown beside it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// Given by the planner.
    Given,
    /// The merchant's fixed "today" (the demo's as-of date).
    AsOf,
    /// The day of the store's last finished sync: its data ends there, and planning a later
    /// day would read the days not yet synced as days without sales.
    LastSync,
    /// Nothing synced yet: the local date.
    Today,
}

impl DateBasis {
    pub fn describe(self) -> &'static str {
        match self {
            DateBasis::Given => "the date given",
            DateBasis::AsOf => "the merchant's as-of date",
            DateBasis::LastSync => "the last successful sync",
            DateBasis::Today => "today: nothing synced yet",
        }
    }
}

/// The planning date and why: the one given, else the merchant's as-of date (the demo's
/// "today"), else the shop's day of the last finished sync, else the shop's date today (days
/// in the merchant's time zone).
pub fn planning_basis(
    r: &forestock_core::Reader<'_>,
    given: Option<NaiveDate>,
) -> Result<(NaiveDate, DateBasis)> {
    if let Some(d) = given {
        return Ok((d, DateBasis::Given));
    }
    if let Some(d) = r.merchant()?.and_then(|m| m.as_of) {
        return Ok((d, DateBasis::AsOf));
    }
    // Dates are the shop's: orders are stored on its wall clock, while sync times are UTC; a
    // sync at 02:00 UTC in Los Angeles ends the history on the evening before.
    use forestock_connect::remote::{shop_time, shop_zone};
    let zone = shop_zone(r)?;
    let shop_date = |utc: chrono::NaiveDateTime| shop_time(zone, utc).date();
    if let Some(t) = r.last_sync()? {
        return Ok((shop_date(t), DateBasis::LastSync));
    }
    Ok((shop_date(chrono::Utc::now().naive_utc()), DateBasis::Today))
}

/// The planning date of [`planning_basis`].
pub fn planning_date(store: &Store, given: Option<NaiveDate>) -> Result<NaiveDate> {
    Ok(planning_basis(&store.read(), given)?.0)
}

/// Plan on the data in the database for [`planning_date`]`(today)`, stamping the run with the
/// stamp's time; `progress` is called from worker threads while forecasting.
///
/// The forecast is stored first as a versioned forecast run (forestock-demand), which the plan
/// then reads instead of forecasting again when it is for the planning date (the plan's
/// `reuse_forecast_run` setting): the SKU chart draws the latest run's band, and earlier runs'
/// forecasts for days that are now history beside what sold. With reuse turned off the plan
/// forecasts on its own and no run is stored. After the plan, forecast runs beyond the
/// `forecast_runs_kept` setting are deleted (the plan's own run is always kept).
pub fn plan(
    store: &mut Store,
    stamp: &AuditStamp,
    today: Option<NaiveDate>,
    progress: &(dyn Fn(PlanProgress) + Sync),
) -> Result<PlanSummary> {
    let req = PlanRequest {
        today: Some(planning_date(store, today)?),
        now: stamp.at,
    };
    let settings = forestock_plan::settings::load_settings(&store.read())?;
    if settings.reuse_forecast_run {
        let cfg = forestock_forecast::ForecastConfig::with_horizon(settings.horizon_days as usize);
        // As of the planning date, so that a plan for an earlier day (a given date) is made
        // from the run stored for it, not from a second forecast of its own.
        forestock_demand::forecast_merchant_as_of(store, &cfg, req.today, stamp.at, &|p| {
            if let forestock_demand::Progress::Forecasting { done, total } = p {
                progress(PlanProgress::Forecasting { done, total });
            }
        })?;
    }
    let summary = run_plan_with(store, &req, progress)?;
    if settings.reuse_forecast_run {
        // Housekeeping after the plan is stored: a failure (the database busy) must not turn
        // a finished plan into an error; the next plan prunes again.
        let _ = forestock_demand::prune_runs(store, settings.forecast_runs_kept);
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::Merchant;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn store_with(as_of: Option<NaiveDate>) -> Store {
        store_in(as_of, "UTC")
    }

    fn store_in(as_of: Option<NaiveDate>, timezone: &str) -> Store {
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        w.set_merchant(&Merchant {
            name: "Test shop".into(),
            currency: "USD".into(),
            timezone: timezone.into(),
            as_of,
            is_demo: false,
            created_at: d("2025-06-30").and_hms_opt(12, 0, 0).unwrap(),
        })
        .unwrap();
        w.commit().unwrap();
        store
    }

    /// One rule for the CLI's `plan` and the app's "Sync & run": the given date, else the
    /// merchant's as-of date, else the last finished sync's day (a synced merchant has no
    /// as-of date, and its data ends at its last sync), else today.
    #[test]
    fn the_planning_date_is_the_given_one_else_as_of_else_the_last_sync_else_today() {
        let demo = store_with(Some(d("2025-06-30")));
        assert_eq!(planning_date(&demo, None).unwrap(), d("2025-06-30"));
        assert_eq!(
            planning_date(&demo, Some(d("2025-01-02"))).unwrap(),
            d("2025-01-02")
        );
        let mut synced = store_with(None);
        assert_eq!(
            planning_basis(&synced.read(), None).unwrap(),
            (chrono::Utc::now().date_naive(), DateBasis::Today)
        );
        // A finished sync sets the date; one killed mid-pass (later, still `running`) does not.
        let w = synced.write().unwrap();
        w.tx()
            .execute_batch(
                "INSERT INTO stores (id, platform, name, base_url, created_at) \
                 VALUES (1, 'shopify', 's', 'https://s.myshopify.com', '2025-05-01T00:00:00'); \
                 INSERT INTO sync_state (store_id, resource, last_synced_at, status) \
                 VALUES (1, 'orders', '2025-05-10T12:00:00', 'ok'), \
                        (1, 'inventory', '2025-05-20T12:00:00', 'running');",
            )
            .unwrap();
        w.commit().unwrap();
        assert_eq!(
            planning_basis(&synced.read(), None).unwrap(),
            (d("2025-05-10"), DateBasis::LastSync)
        );
    }

    /// The shop's day, not UTC's: a sync at 02:00 UTC in Los Angeles finished on the evening
    /// before there, and its orders (stored on the shop's clock) end that day.
    #[test]
    fn the_last_sync_day_and_today_are_the_shops_days() {
        let mut la = store_in(None, "America/Los_Angeles");
        let zone: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
        let today = {
            use chrono::TimeZone;
            zone.from_utc_datetime(&chrono::Utc::now().naive_utc())
                .date_naive()
        };
        assert_eq!(
            planning_basis(&la.read(), None).unwrap(),
            (today, DateBasis::Today)
        );
        let w = la.write().unwrap();
        w.tx()
            .execute_batch(
                "INSERT INTO stores (id, platform, name, base_url, created_at) \
                 VALUES (1, 'shopify', 's', 'https://s.myshopify.com', '2025-05-01T00:00:00'); \
                 INSERT INTO sync_state (store_id, resource, last_synced_at, status) \
                 VALUES (1, 'orders', '2025-05-11T02:00:00', 'ok');",
            )
            .unwrap();
        w.commit().unwrap();
        assert_eq!(
            planning_basis(&la.read(), None).unwrap(),
            (d("2025-05-10"), DateBasis::LastSync)
        );
    }
}
