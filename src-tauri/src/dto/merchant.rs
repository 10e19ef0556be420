//! The open merchant: the window's header, the Overview, opening progress.

use serde::Serialize;
use ts_rs::TS;

/// What the window's header and the Overview show about the open merchant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MerchantSummary {
    pub name: String,
    pub currency: String,
    /// The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// The date plans are made for ([`forestock_api::plan::planning_basis`]): the demo's fixed
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

impl MerchantSummary {
    pub fn new(
        info: forestock_core::MerchantInfo,
        m: Option<&forestock_core::Merchant>,
        plans_as_of: (chrono::NaiveDate, forestock_api::plan::DateBasis),
        db_path: String,
        created_demo: bool,
    ) -> Self {
        let s = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let t =
            |d: Option<chrono::NaiveDateTime>| d.map(|d| d.format("%Y-%m-%d %H:%M").to_string());
        MerchantSummary {
            name: info.merchant.unwrap_or_else(|| "Unnamed merchant".into()),
            currency: info.currency.unwrap_or_else(|| "USD".into()),
            as_of: s(info.as_of),
            plans_as_of: plans_as_of.0.to_string(),
            plans_as_of_basis: plans_as_of.1.describe().to_string(),
            is_demo: m.is_some_and(|m| m.is_demo),
            db_path,
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
        }
    }
}

/// Progress while opening the merchant; only the first run (creating the demo) reports stages.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum OpenProgress {
    Catalog,
    Simulating { done: usize, total: usize },
    Writing { done: usize, total: usize },
}

/// The merchant files the app knows, for the first-run screen and the merchant switcher.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MerchantFiles {
    /// The open merchant's file, if one is open.
    pub open: Option<String>,
    pub recent: forestock_api::merchants::RecentList,
    /// Where "Explore the demo shop" makes (or finds) the demo merchant.
    pub demo_path: Option<String>,
    /// A new, unused file name offered to "Set up my shop".
    pub suggested_path: Option<String>,
}
