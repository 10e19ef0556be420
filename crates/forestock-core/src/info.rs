//! What a merchant database holds, for `forestock info` and the app's header.

use crate::db::Reader;
use crate::error::Result;
use crate::model::RunKind;
use crate::sql;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MerchantInfo {
    pub merchant: Option<String>,
    pub currency: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub schema_version: i64,
    pub stores: i64,
    pub skus: i64,
    pub active_skus: i64,
    pub products: i64,
    pub locations: i64,
    pub suppliers: i64,
    pub orders: i64,
    pub order_lines: i64,
    pub cancelled_orders: i64,
    pub refunds: i64,
    /// Units sold net of cancellations and refunds.
    pub units_sold: i64,
    pub first_order_date: Option<NaiveDate>,
    pub last_order_date: Option<NaiveDate>,
    pub inventory_snapshots: i64,
    pub promotions: i64,
    pub receipts: i64,
    pub last_sync: Option<NaiveDateTime>,
    pub last_forecast_run: Option<NaiveDateTime>,
    pub last_plan_run: Option<NaiveDateTime>,
}

impl Reader<'_> {
    /// When the last sync that finished its passes ran (UTC). A sync killed mid-pass leaves its
    /// resources `running` (or `interrupted`): that is not a sync the data can be trusted to.
    pub fn last_sync(&self) -> Result<Option<NaiveDateTime>> {
        Ok(self
            .conn
            .query_row(sql::INFO_SELECT_SYNC_STATE, [], |r| r.get(0))
            .optional()?
            .flatten())
    }

    pub fn info(&self) -> Result<MerchantInfo> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |r| r.get(0))?) };
        let merchant = self.merchant()?;
        let (first, last): (Option<String>, Option<String>) =
            self.conn
                .query_row(sql::INFO_SELECT_ORDERS, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let day = |s: Option<String>| {
            s.and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(""), "%Y-%m-%d").ok())
        };
        let last_sync = self.last_sync()?;
        let finished = |k: RunKind| -> Result<Option<NaiveDateTime>> {
            Ok(self.last_run(k)?.and_then(|r| r.finished_at))
        };
        Ok(MerchantInfo {
            merchant: merchant.as_ref().map(|m| m.name.clone()),
            currency: merchant.as_ref().map(|m| m.currency.clone()),
            as_of: merchant.as_ref().and_then(|m| m.as_of),
            schema_version: self
                .conn
                .query_row(sql::INFO_PRAGMA_STMT, [], |r| r.get(0))?,
            stores: count(sql::COUNT_STORES)?,
            skus: count(sql::COUNT_VARIANTS)?,
            active_skus: count(sql::COUNT_VARIANTS_ACTIVE)?,
            products: count(sql::COUNT_PRODUCTS)?,
            locations: count(sql::COUNT_LOCATIONS)?,
            suppliers: count(sql::COUNT_SUPPLIERS)?,
            orders: count(sql::COUNT_ORDERS)?,
            order_lines: count(sql::COUNT_ORDER_LINES)?,
            cancelled_orders: count(sql::COUNT_ORDERS_CANCELLED)?,
            refunds: count(sql::COUNT_REFUNDS)?,
            units_sold: count(sql::UNITS_SOLD)?,
            first_order_date: day(first),
            last_order_date: day(last),
            inventory_snapshots: count(sql::COUNT_INVENTORY_SNAPSHOTS)?,
            promotions: count(sql::COUNT_PROMOTIONS)?,
            receipts: count(sql::COUNT_RECEIPTS)?,
            last_sync,
            last_forecast_run: finished(RunKind::Forecast)?,
            last_plan_run: finished(RunKind::Plan)?,
        })
    }
}
