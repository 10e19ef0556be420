//! The Suppliers screen's types across the IPC boundary (exported to TypeScript with the rest
//! of `dto`): they mirror `forestock_api::suppliers` field for field.

use forestock_api::suppliers::{self as api, catalog};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A new supplier's name and terms.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SupplierForm {
    pub name: String,
    pub currency: String,
    pub lead_time_mean_days: f64,
    pub lead_time_sd_days: f64,
    pub moq: i64,
    pub case_pack: i64,
    pub email: Option<String>,
    pub notes: String,
}

impl SupplierForm {
    /// The values typed, every one set: the library trims and checks them.
    pub fn input(&self) -> api::SupplierInput {
        api::SupplierInput {
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

/// Merge supplier `from` into `into`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MergeForm {
    pub from: i64,
    pub into: i64,
    pub reason: String,
}

/// What a merge moved.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MergedView {
    pub from: String,
    pub into: String,
    pub links_moved: usize,
    pub links_dropped: usize,
    pub purchase_orders: usize,
}

impl From<api::MergeReport> for MergedView {
    fn from(r: api::MergeReport) -> Self {
        MergedView {
            from: r.from.name,
            into: r.into.name,
            links_moved: r.moved.links_moved,
            links_dropped: r.moved.links_dropped,
            purchase_orders: r.moved.purchase_orders,
        }
    }
}

/// A deleted supplier and the SKUs it left without one.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DeletedView {
    pub name: String,
    pub skus_without_supplier: Vec<String>,
}

/// Link SKUs in bulk: which (every given criterion must match; `skus` adds codes) and the
/// terms (`null`: the supplier's, or what is set).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AssignForm {
    pub supplier_id: i64,
    pub vendor: Option<String>,
    pub category: Option<String>,
    pub search: Option<String>,
    pub skus: Vec<String>,
    pub unlinked_only: bool,
    pub supplier_sku: Option<String>,
    pub unit_cost: Option<f64>,
    pub moq: Option<i64>,
    pub case_pack: Option<i64>,
    pub lead_time_days: Option<f64>,
}

impl AssignForm {
    pub fn parts(&self) -> (api::SkuSelection, api::SkuTerms) {
        let text = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        (
            api::SkuSelection {
                vendor: text(&self.vendor),
                category: text(&self.category),
                search: text(&self.search),
                skus: self.skus.clone(),
                unlinked_only: self.unlinked_only,
            },
            api::SkuTerms {
                supplier_sku: text(&self.supplier_sku),
                unit_cost: self.unit_cost,
                moq: self.moq,
                case_pack: self.case_pack,
                lead_time_days: self.lead_time_days,
            },
        )
    }
}

/// A supplier suggested from the store's vendor, brand or manufacturer.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SuggestionView {
    pub name: String,
    /// The existing supplier of that name, else `null`: one would be created.
    pub existing_supplier_id: Option<i64>,
    pub skus: Vec<String>,
    pub with_cost: usize,
}

impl From<api::Suggestion> for SuggestionView {
    fn from(s: api::Suggestion) -> Self {
        SuggestionView {
            name: s.name,
            existing_supplier_id: s.existing_supplier_id,
            skus: s.skus.into_iter().map(|k| k.sku).collect(),
            with_cost: s.with_cost,
        }
    }
}

/// Which suggestions to accept (empty: all) and the new suppliers' currency and lead time.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AcceptForm {
    pub names: Vec<String>,
    pub currency: Option<String>,
    pub lead_time_days: Option<f64>,
}

/// What accepting suggestions did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AcceptedView {
    pub created: Vec<String>,
    pub linked: usize,
}

/// A bad row of a catalog file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RowErrorView {
    pub line: u64,
    pub reason: String,
}

/// What a catalog file does (or would do, on a preview).
#[derive(Debug, Clone, Serialize, TS)]
pub struct CatalogImportView {
    pub rows: usize,
    pub new_suppliers: Vec<String>,
    pub new_links: usize,
    pub changed_links: usize,
    pub unchanged: usize,
    pub errors: Vec<RowErrorView>,
    pub written: bool,
}

impl From<catalog::CatalogImport> for CatalogImportView {
    fn from(r: catalog::CatalogImport) -> Self {
        CatalogImportView {
            rows: r.rows,
            new_suppliers: r.new_suppliers.into_iter().map(|s| s.name).collect(),
            new_links: r.new_links,
            changed_links: r.changed_links,
            unchanged: r.unchanged,
            errors: r
                .errors
                .into_iter()
                .map(|e| RowErrorView {
                    line: e.line,
                    reason: e.reason,
                })
                .collect(),
            written: r.written,
        }
    }
}

/// The declarations of this file, for `dto::declarations`.
#[cfg(test)]
pub fn declarations(cfg: &ts_rs::Config) -> Vec<String> {
    vec![
        SupplierForm::decl(cfg),
        MergeForm::decl(cfg),
        MergedView::decl(cfg),
        DeletedView::decl(cfg),
        AssignForm::decl(cfg),
        SuggestionView::decl(cfg),
        AcceptForm::decl(cfg),
        AcceptedView::decl(cfg),
        RowErrorView::decl(cfg),
        CatalogImportView::decl(cfg),
    ]
}
