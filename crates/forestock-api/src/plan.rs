//! Planning: forecast and compute recommendations for every active SKU×location, stored as a
//! plan run (`forestock plan`, the app's "Sync & run" after its sync stage).

use crate::{AuditStamp, Result};
use chrono::NaiveDate;
use forestock_core::Store;
use forestock_plan::plan::{run_plan_with, PlanRequest};
pub use forestock_plan::plan::{PlanProgress, PlanSummary};

/// The planning date: the one given, else the merchant's as-of date (the demo's "today"),
/// else the local date.
pub fn planning_date(store: &Store, given: Option<NaiveDate>) -> Result<NaiveDate> {
    if let Some(d) = given {
        return Ok(d);
    }
    let merchant = store.read().merchant()?;
    Ok(merchant
        .and_then(|m| m.as_of)
        .unwrap_or_else(|| chrono::Local::now().date_naive()))
}

/// Plan on the data in the database for [`planning_date`]`(today)`, stamping the run with the
/// stamp's time; `progress` is called from worker threads while forecasting.
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
    Ok(run_plan_with(store, &req, progress)?)
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
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        w.set_merchant(&Merchant {
            name: "Test shop".into(),
            currency: "USD".into(),
            timezone: "UTC".into(),
            as_of,
            is_demo: false,
            created_at: d("2025-06-30").and_hms_opt(12, 0, 0).unwrap(),
        })
        .unwrap();
        w.commit().unwrap();
        store
    }

    /// One rule for the CLI's `plan` and the app's "Sync & run": the given date, else the
    /// merchant's as-of date, else today (a synced merchant has no as-of date).
    #[test]
    fn the_planning_date_is_the_given_one_else_as_of_else_today() {
        let demo = store_with(Some(d("2025-06-30")));
        assert_eq!(planning_date(&demo, None).unwrap(), d("2025-06-30"));
        assert_eq!(
            planning_date(&demo, Some(d("2025-01-02"))).unwrap(),
            d("2025-01-02")
        );
        let synced = store_with(None);
        assert_eq!(
            planning_date(&synced, None).unwrap(),
            chrono::Local::now().date_naive()
        );
    }
}
