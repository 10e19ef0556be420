//! Domain types as stored in the merchant database.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::Error;

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(Error::invalid(stringify!($name), format!("unknown value {other:?}"))),
                }
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                s.parse().map_err(|e: Error| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }
    };
}

text_enum!(
    /// Where a store's data comes from.
    Platform { Shopify => "shopify", BigCommerce => "bigcommerce", Adobe => "adobe", NetSuite => "netsuite", Demo => "demo" }
);
text_enum!(
    /// What a location is used for.
    LocationKind { Warehouse => "warehouse", Retail => "retail" }
);
text_enum!(
    /// A product's status on the store.
    ProductStatus { Active => "active", Draft => "draft", Archived => "archived" }
);
text_enum!(
    /// A SKU's life-cycle status.
    SkuStatus { Active => "active", Discontinued => "discontinued", Draft => "draft" }
);
text_enum!(
    /// What a run computed.
    RunKind { Sync => "sync", Forecast => "forecast", Plan => "plan", Alerts => "alerts" }
);
text_enum!(
    /// How a run ended.
    RunStatus { Running => "running", Ok => "ok", Failed => "failed", Cancelled => "cancelled" }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merchant {
    pub name: String,
    pub currency: String,
    pub timezone: String,
    /// The date the data is complete up to; `None` for a live store (today).
    pub as_of: Option<NaiveDate>,
    pub is_demo: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreRecord {
    pub id: i64,
    pub platform: Platform,
    pub name: String,
    pub base_url: String,
    /// Keychain service/account naming where the secret lives; never the secret.
    pub keychain_ref: Option<String>,
    pub settings: serde_json::Value,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewStore {
    pub platform: Platform,
    pub name: String,
    pub base_url: String,
    pub keychain_ref: Option<String>,
    pub settings: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub id: i64,
    pub store_id: Option<i64>,
    pub external_id: Option<String>,
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewLocation {
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub store_id: Option<i64>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProduct {
    pub store_id: Option<i64>,
    pub external_id: Option<String>,
    pub title: String,
    pub category: String,
    pub vendor: String,
    pub status: ProductStatus,
    pub created_at: NaiveDateTime,
}

/// A sellable SKU (a product variant) with the product fields planners filter on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sku {
    pub id: i64,
    pub product_id: i64,
    pub external_id: Option<String>,
    pub sku: String,
    pub title: String,
    pub product_title: String,
    pub category: String,
    pub vendor: String,
    pub barcode: Option<String>,
    pub price: f64,
    pub cost: Option<f64>,
    pub attributes: serde_json::Value,
    pub status: SkuStatus,
    pub created_date: NaiveDate,
    pub discontinue_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewVariant {
    pub product_id: i64,
    pub external_id: Option<String>,
    pub sku: String,
    pub title: String,
    pub barcode: Option<String>,
    pub price: f64,
    pub cost: Option<f64>,
    pub attributes: serde_json::Value,
    pub status: SkuStatus,
    pub created_date: NaiveDate,
    pub discontinue_date: Option<NaiveDate>,
}

/// A supplier's quantity price break: from `min_qty` units on one line, the unit cost is
/// lowered by `discount_pct` percent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriceBreak {
    pub min_qty: i64,
    pub discount_pct: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supplier {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub price_breaks: Vec<PriceBreak>,
    pub email: Option<String>,
    pub external_id: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSupplier {
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub price_breaks: Vec<PriceBreak>,
    pub email: Option<String>,
    pub notes: String,
}

impl NewSupplier {
    /// Check the values a planner typed before they reach the database.
    pub fn validate(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("supplier", "name is empty"));
        }
        if self.currency.len() != 3 || !self.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(Error::invalid(
                "supplier",
                format!(
                    "{}: currency {:?} is not a 3-letter ISO code",
                    self.name, self.currency
                ),
            ));
        }
        if !(self.lead_time_mean_days.is_finite() && self.lead_time_mean_days > 0.0) {
            return Err(Error::invalid(
                "supplier",
                format!("{}: lead time must be more than 0 days", self.name),
            ));
        }
        if !(self.lead_time_sd_days.is_finite() && self.lead_time_sd_days >= 0.0) {
            return Err(Error::invalid(
                "supplier",
                format!("{}: lead-time spread must be 0 or more", self.name),
            ));
        }
        if self.case_pack < 1 || self.moq < 1 {
            return Err(Error::invalid(
                "supplier",
                format!("{}: MOQ and case pack must be at least 1", self.name),
            ));
        }
        if self.moq % self.case_pack != 0 {
            return Err(Error::invalid(
                "supplier",
                format!(
                    "{}: MOQ {} is not a multiple of the case pack {}",
                    self.name, self.moq, self.case_pack
                ),
            ));
        }
        if self
            .price_breaks
            .windows(2)
            .any(|w| w[0].min_qty >= w[1].min_qty)
            || self
                .price_breaks
                .iter()
                .any(|b| b.min_qty < 1 || !(0.0..100.0).contains(&b.discount_pct))
        {
            return Err(Error::invalid(
                "supplier",
                format!(
                    "{}: price breaks must ascend by quantity with discounts of 0–99%",
                    self.name
                ),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierSku {
    pub supplier_id: i64,
    pub variant_id: i64,
    pub supplier_sku: Option<String>,
    pub unit_cost: Option<f64>,
    pub is_primary: bool,
    /// This SKU's minimum order quantity at this supplier; `None`: the supplier's.
    #[serde(default)]
    pub moq: Option<i64>,
    /// This SKU's case pack at this supplier; `None`: the supplier's.
    #[serde(default)]
    pub case_pack: Option<i64>,
    /// This SKU's lead time from this supplier in days; `None`: the supplier's.
    #[serde(default)]
    pub lead_time_days: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InventorySnapshot {
    pub variant_id: i64,
    pub location_id: i64,
    pub date: NaiveDate,
    pub on_hand: i64,
    pub committed: i64,
    pub incoming: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrder {
    pub store_id: Option<i64>,
    pub external_id: Option<String>,
    pub name: String,
    pub location_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub currency: String,
    pub channel: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrderLine {
    pub external_id: Option<String>,
    pub variant_id: Option<i64>,
    pub sku: String,
    pub quantity: i64,
    pub unit_price: f64,
    pub discount: f64,
    pub cancelled_qty: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRefund {
    pub order_id: i64,
    pub order_line_id: i64,
    pub external_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub quantity: i64,
    pub amount: f64,
    pub restocked: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub id: i64,
    pub supplier_id: Option<i64>,
    pub variant_id: i64,
    pub location_id: i64,
    pub reference: String,
    pub ordered_date: NaiveDate,
    pub expected_date: NaiveDate,
    pub received_date: Option<NaiveDate>,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewReceipt {
    pub supplier_id: Option<i64>,
    pub variant_id: i64,
    pub location_id: i64,
    pub reference: String,
    pub ordered_date: NaiveDate,
    pub expected_date: NaiveDate,
    pub received_date: Option<NaiveDate>,
    pub quantity: i64,
}

/// A promotion or campaign, past or planned. `variant_id` and `category` both `None` means
/// the whole store; `location_id` `None` means every location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    pub id: i64,
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub discount_pct: f64,
    pub variant_id: Option<i64>,
    pub category: Option<String>,
    pub location_id: Option<i64>,
    pub expected_lift: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPromotion {
    pub name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub discount_pct: f64,
    pub variant_id: Option<i64>,
    pub category: Option<String>,
    pub location_id: Option<i64>,
    pub expected_lift: Option<f64>,
}

impl Promotion {
    /// Whether this promotion applies to a SKU (by id and category) at a location on a date.
    pub fn covers(
        &self,
        variant_id: i64,
        category: &str,
        location_id: i64,
        date: NaiveDate,
    ) -> bool {
        date >= self.start_date
            && date <= self.end_date
            && self.variant_id.is_none_or(|v| v == variant_id)
            && self.category.as_deref().is_none_or(|c| c == category)
            && self.location_id.is_none_or(|l| l == location_id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub store_id: i64,
    pub resource: String,
    pub cursor: Option<String>,
    pub updated_since: Option<String>,
    pub last_synced_at: Option<NaiveDateTime>,
    pub status: String,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: i64,
    pub kind: RunKind,
    pub started_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub status: RunStatus,
    pub params: serde_json::Value,
    pub summary: serde_json::Value,
}

/// Dates are stored as ISO `YYYY-MM-DD`; timestamps as `YYYY-MM-DD HH:MM:SS` in UTC.
pub const DATE_FMT: &str = "%Y-%m-%d";
