//! The types that cross the IPC boundary, exported to TypeScript by ts-rs into
//! `ui/src/lib/bindings.ts` (see `bindings_are_current` below; `UPDATE_BINDINGS=1 cargo test -p
//! forestock-app bindings` rewrites the file). They mirror library types field for field; the
//! `From` impls are the only code here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the window's header and the Overview show about the open merchant.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MerchantSummary {
    pub name: String,
    pub currency: String,
    /// The date the data is complete up to (the demo's "today"), ISO `YYYY-MM-DD`.
    pub as_of: Option<String>,
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
        db_path: String,
        created_demo: bool,
    ) -> Self {
        let s = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let t = |d: Option<chrono::NaiveDateTime>| d.map(|d| d.format("%Y-%m-%d %H:%M").to_string());
        MerchantSummary {
            name: info.merchant.unwrap_or_else(|| "Unnamed merchant".into()),
            currency: info.currency.unwrap_or_else(|| "USD".into()),
            as_of: s(info.as_of),
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
                .map(|b| PriceBreakView { min_qty: b.min_qty, discount_pct: b.discount_pct })
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
    pub fn to_new(&self, price_breaks: Vec<forestock_core::PriceBreak>) -> forestock_core::NewSupplier {
        forestock_core::NewSupplier {
            name: self.name.trim().to_string(),
            currency: self.currency.trim().to_uppercase(),
            lead_time_mean_days: self.lead_time_mean_days,
            lead_time_sd_days: self.lead_time_sd_days,
            moq: self.moq,
            case_pack: self.case_pack,
            price_breaks,
            email: self.email.clone().filter(|e| !e.trim().is_empty()),
            notes: self.notes.clone(),
        }
    }
}

/// Which audit entries to list; empty fields match everything.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

impl From<AuditQuery> for forestock_core::AuditFilter {
    fn from(q: AuditQuery) -> Self {
        let f = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        forestock_core::AuditFilter {
            entity: f(q.entity),
            entity_id: f(q.entity_id),
            action: f(q.action),
            limit: q.limit,
        }
    }
}

/// One audit-log entry; `before`/`after` are the stored JSON, as text.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AuditView {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
}

impl From<forestock_core::AuditEntry> for AuditView {
    fn from(e: forestock_core::AuditEntry) -> Self {
        AuditView {
            id: e.id,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: e.actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before.map(|v| v.to_string()),
            after: e.after.map(|v| v.to_string()),
            reason: e.reason,
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

/// Every type exported to the UI, in file order.
#[cfg(test)]
fn declarations() -> Vec<String> {
    use crate::error::{ApiError, ErrorCode};
    // serde_json writes i64 as a JSON number; every count here is far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    vec![
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
        MerchantSummary::decl(&cfg),
        OpenProgress::decl(&cfg),
        PriceBreakView::decl(&cfg),
        SupplierView::decl(&cfg),
        SupplierEdit::decl(&cfg),
        AuditQuery::decl(&cfg),
        AuditView::decl(&cfg),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render() -> String {
        let mut out = String::from(
            "// Generated from src-tauri/src/dto.rs by ts-rs. Do not edit by hand:\n\
             // UPDATE_BINDINGS=1 cargo test -p forestock-app bindings\n\n",
        );
        for d in declarations() {
            out.push_str("export ");
            out.push_str(d.trim());
            out.push_str("\n\n");
        }
        out.trim_end().to_string() + "\n"
    }

    #[test]
    fn bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date; run UPDATE_BINDINGS=1 cargo test -p forestock-app bindings"
        );
    }
}
