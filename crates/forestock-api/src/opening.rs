//! Opening a merchant in the app: what the window's header and the Overview show about it
//! ([`MerchantSummary`]), and the demo merchant made on first use with its progress
//! ([`OpenProgress`]) — the workflow `forestock demo` runs ([`crate::demo::create`]).

use crate::Result;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::Store;
use forestock_demo::{DemoConfig, Progress};
use serde::Serialize;
use std::path::Path;

/// What the window's header and the Overview show about the open merchant.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MerchantSummary {
    pub name: String,
    pub currency: String,
    /// The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// The date plans are made for ([`crate::plan::planning_basis`]): the demo's fixed
    /// date, else the day of the last successful sync, else today.
    pub plans_as_of: String,
    /// Why that date, in words ("the last successful sync").
    pub plans_as_of_basis: String,
    pub is_demo: bool,
    /// Absolute path of the SQLite file.
    pub db_path: String,
    /// True when this call created the demo merchant because no database existed.
    pub created_demo: bool,
    pub skus: i64,
    pub active_skus: i64,
    pub products: i64,
    pub locations: i64,
    pub suppliers: i64,
    pub stores: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub units_sold: i64,
    pub promotions: i64,
    pub first_order_date: Option<String>,
    pub last_order_date: Option<String>,
    pub last_sync: Option<String>,
    pub last_forecast_run: Option<String>,
    pub last_plan_run: Option<String>,
}

/// The summary of the merchant in `store`, opened from `path` (`created_demo`: this opening
/// made the demo there).
pub fn summary(store: &Store, path: &Path, created_demo: bool) -> Result<MerchantSummary> {
    let r = store.read();
    let (plans_as_of, basis) = crate::plan::planning_basis(&r, None)?;
    let info = r.info()?;
    let merchant = r.merchant()?;
    let s = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let t = |d: Option<NaiveDateTime>| d.map(|d| d.format("%Y-%m-%d %H:%M").to_string());
    Ok(MerchantSummary {
        name: info.merchant.unwrap_or_else(|| "Unnamed merchant".into()),
        currency: info.currency.unwrap_or_else(|| "USD".into()),
        as_of: s(info.as_of),
        plans_as_of: plans_as_of.to_string(),
        plans_as_of_basis: basis.describe().to_string(),
        is_demo: merchant.is_some_and(|m| m.is_demo),
        db_path: path.display().to_string(),
        created_demo,
        skus: info.skus,
        active_skus: info.active_skus,
        products: info.products,
        locations: info.locations,
        suppliers: info.suppliers,
        stores: info.stores,
        orders: info.orders,
        order_lines: info.order_lines,
        units_sold: info.units_sold,
        promotions: info.promotions,
        first_order_date: s(info.first_order_date),
        last_order_date: s(info.last_order_date),
        last_sync: t(info.last_sync),
        last_forecast_run: t(info.last_forecast_run),
        last_plan_run: t(info.last_plan_run),
    })
}

/// Progress while opening the merchant; only the first run (creating the demo) reports stages.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum OpenProgress {
    Catalog,
    Simulating { done: usize, total: usize },
    Writing { done: usize, total: usize },
}

/// Generate the demo merchant at `path` (its folder is created first) and open it.
pub fn create_demo(path: &Path, report: &mut dyn FnMut(OpenProgress)) -> Result<Store> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            let at = dir.display();
            forestock_core::Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot create the folder {at}: {e}"),
            ))
        })?;
    }
    crate::demo::create(path, &DemoConfig::default(), &mut |p| {
        report(match p {
            Progress::Catalog => OpenProgress::Catalog,
            Progress::Simulating { done, total } => OpenProgress::Simulating { done, total },
            Progress::Writing { done, total } => OpenProgress::Writing { done, total },
        })
    })?;
    Ok(Store::open(path)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_folder_that_cannot_be_made_is_a_database_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let Err(e) = create_demo(&file.join("sub").join("merchant.db"), &mut |_| {}) else {
            panic!("a demo was made under a file");
        };
        assert_eq!(
            forestock_core::Classify::kind(&e),
            forestock_core::ErrorKind::Database
        );
        let want = format!("cannot create the folder {}", file.join("sub").display());
        assert!(e.to_string().starts_with(&want), "{e}");
    }

    #[test]
    fn a_new_merchant_s_summary_names_it_and_dates_its_plans() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let store = Store::create(&path).unwrap();
        let s = summary(&store, &path, false).unwrap();
        assert_eq!(s.name, "Unnamed merchant");
        assert_eq!(s.currency, "USD");
        assert!(!s.is_demo && !s.created_demo);
        assert_eq!(s.db_path, path.display().to_string());
        assert!(NaiveDate::parse_from_str(&s.plans_as_of, "%Y-%m-%d").is_ok());
        assert!(!s.plans_as_of_basis.is_empty());
        assert_eq!((s.skus, s.orders), (0, 0));
    }
}
