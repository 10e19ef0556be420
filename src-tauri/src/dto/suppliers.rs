//! The Suppliers screen's types.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PriceBreakView {
    pub min_qty: i64,
    pub discount_pct: f64,
}

/// A supplier as the Suppliers screen shows and edits it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SupplierView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub price_breaks: Vec<PriceBreakView>,
    pub email: Option<String>,
    pub notes: String,
    /// SKUs this supplier is the primary source of.
    pub primary_skus: i64,
}

impl SupplierView {
    pub fn new(s: forestock_core::Supplier, primary_skus: i64) -> Self {
        SupplierView {
            id: s.id,
            name: s.name,
            currency: s.currency,
            lead_time_mean_days: s.lead_time_mean_days,
            lead_time_sd_days: s.lead_time_sd_days,
            moq: s.moq,
            case_pack: s.case_pack,
            price_breaks: s
                .price_breaks
                .iter()
                .map(|b| PriceBreakView {
                    min_qty: b.min_qty,
                    discount_pct: b.discount_pct,
                })
                .collect(),
            email: s.email,
            notes: s.notes,
            primary_skus,
        }
    }
}

/// The editable settings of a supplier, with the planner's reason for the change.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupplierEdit {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub email: Option<String>,
    pub notes: String,
    pub reason: String,
}

impl SupplierEdit {
    /// The values typed, every one set: the library trims and checks them.
    pub fn input(&self) -> forestock_api::suppliers::SupplierInput {
        forestock_api::suppliers::SupplierInput {
            name: Some(self.name.clone()),
            currency: Some(self.currency.clone()),
            lead_time_mean_days: Some(self.lead_time_mean_days),
            lead_time_sd_days: Some(self.lead_time_sd_days),
            moq: Some(self.moq),
            case_pack: Some(self.case_pack),
            email: Some(self.email.clone().unwrap_or_default()),
            notes: Some(self.notes.clone()),
        }
    }
}
