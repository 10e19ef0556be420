//! The app's Suppliers screen: its forms and views (exported to TypeScript with `ts`), and the
//! list and edits it shows, over the functions of [`super`] and [`super::catalog`].

use super::{
    catalog, AssignReport, MergeReport, SkuSelection, SkuTerms, Suggestion, SupplierInput,
};
use crate::{AuditStamp, Result};
use forestock_core::{Store, Supplier};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PriceBreakView {
    pub min_qty: i64,
    pub discount_pct: f64,
}

/// A supplier as the Suppliers screen shows and edits it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    fn new(s: Supplier, primary_skus: i64) -> Self {
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

/// SKUs each supplier is the primary source of.
fn primary_skus(store: &Store) -> Result<HashMap<i64, i64>> {
    let mut n = HashMap::new();
    for l in store
        .read()
        .supplier_skus()?
        .iter()
        .filter(|l| l.is_primary)
    {
        *n.entry(l.supplier_id).or_insert(0) += 1;
    }
    Ok(n)
}

fn view(store: &Store, s: Supplier) -> Result<SupplierView> {
    let n = primary_skus(store)?.get(&s.id).copied().unwrap_or(0);
    Ok(SupplierView::new(s, n))
}

/// Every supplier, by name, with the SKUs it is the primary source of.
pub fn list(store: &Store) -> Result<Vec<SupplierView>> {
    let n = primary_skus(store)?;
    let suppliers = store.read().suppliers()?;
    Ok(suppliers
        .into_iter()
        .map(|s| {
            let count = n.get(&s.id).copied().unwrap_or(0);
            SupplierView::new(s, count)
        })
        .collect())
}

/// A new supplier's name and terms.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
    /// The values typed, every one set: [`SupplierInput::resolve`] trims and checks them.
    fn input(&self) -> SupplierInput {
        SupplierInput {
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

/// Create a supplier from the form ([`super::create`]).
pub fn create(store: &mut Store, stamp: &AuditStamp, form: &SupplierForm) -> Result<SupplierView> {
    let new = form.input().resolve(store, None)?;
    let s = super::create(store, stamp, &new)?;
    view(store, s)
}

/// The editable settings of a supplier (the same fields as a new one's), with the planner's
/// reason for the change.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierEdit {
    pub id: i64,
    #[serde(flatten)]
    #[cfg_attr(feature = "ts", ts(flatten))]
    pub form: SupplierForm,
    pub reason: String,
}

/// Change a supplier's settings ([`super::edit`]: validated, written and audited, before and
/// after with the reason, in one transaction; bad input saves nothing).
pub fn update(store: &mut Store, stamp: &AuditStamp, e: &SupplierEdit) -> Result<SupplierView> {
    let before = super::find(store, &e.id.to_string())?;
    let new = e.form.input().resolve(store, Some(&before))?;
    let after = super::edit(store, stamp, e.id, &new, &e.reason)?;
    view(store, after)
}

/// Merge supplier `from` into `into`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MergeForm {
    pub from: i64,
    pub into: i64,
    pub reason: String,
}

/// What a merge moved.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MergedView {
    pub from: String,
    pub into: String,
    pub links_moved: usize,
    pub links_dropped: usize,
    pub purchase_orders: usize,
}

/// Merge as the form says ([`super::merge`]).
pub fn merge(store: &mut Store, stamp: &AuditStamp, f: &MergeForm) -> Result<MergedView> {
    let r: MergeReport = super::merge(store, stamp, f.from, f.into, &f.reason)?;
    Ok(MergedView {
        from: r.from.name,
        into: r.into.name,
        links_moved: r.moved.links_moved,
        links_dropped: r.moved.links_dropped,
        purchase_orders: r.moved.purchase_orders,
    })
}

/// A deleted supplier and the SKUs it left without one.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeletedView {
    pub name: String,
    pub skus_without_supplier: Vec<String>,
}

/// Delete supplier `id` ([`super::delete`]).
pub fn delete(store: &mut Store, stamp: &AuditStamp, id: i64, reason: &str) -> Result<DeletedView> {
    let r = super::delete(store, stamp, id, reason)?;
    Ok(DeletedView {
        name: r.supplier.name,
        skus_without_supplier: r.skus_without_supplier,
    })
}

/// Link SKUs in bulk: which (every given criterion must match; `skus` adds codes) and the
/// terms (`null`: the supplier's, or what is set).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// Link the SKUs the form selects with its terms ([`super::assign`]); blank texts match all.
pub fn assign(store: &mut Store, stamp: &AuditStamp, f: &AssignForm) -> Result<AssignReport> {
    let text = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
    let selection = SkuSelection {
        vendor: text(&f.vendor),
        category: text(&f.category),
        search: text(&f.search),
        skus: f.skus.clone(),
        unlinked_only: f.unlinked_only,
    };
    let terms = SkuTerms {
        supplier_sku: text(&f.supplier_sku),
        unit_cost: f.unit_cost,
        moq: f.moq,
        case_pack: f.case_pack,
        lead_time_days: f.lead_time_days,
    };
    super::assign(store, stamp, f.supplier_id, &selection, &terms)
}

/// A supplier suggested from the store's vendor, brand or manufacturer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SuggestionView {
    pub name: String,
    /// The existing supplier of that name, else `null`: one would be created.
    pub existing_supplier_id: Option<i64>,
    pub skus: Vec<String>,
    pub with_cost: usize,
}

impl From<Suggestion> for SuggestionView {
    fn from(s: Suggestion) -> Self {
        SuggestionView {
            name: s.name,
            existing_supplier_id: s.existing_supplier_id,
            skus: s.skus.into_iter().map(|k| k.sku).collect(),
            with_cost: s.with_cost,
        }
    }
}

/// The suggestions ([`super::suggest`]) as the screen lists them.
pub fn suggestions(store: &Store) -> Result<Vec<SuggestionView>> {
    Ok(super::suggest(store)?.into_iter().map(Into::into).collect())
}

/// What a catalog file does (or would do, on a preview).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogImportView {
    pub rows: usize,
    pub new_suppliers: Vec<String>,
    pub new_links: usize,
    pub changed_links: usize,
    pub unchanged: usize,
    pub errors: Vec<catalog::RowError>,
    pub written: bool,
}

/// Preview (`dry_run`) or import a supplier catalog CSV ([`catalog::import`]).
pub fn import_catalog(
    store: &mut Store,
    stamp: &AuditStamp,
    csv: &str,
    dry_run: bool,
) -> Result<CatalogImportView> {
    let r = catalog::import(store, stamp, csv.as_bytes(), dry_run)?;
    Ok(CatalogImportView {
        rows: r.rows,
        new_suppliers: r.new_suppliers.into_iter().map(|s| s.name).collect(),
        new_links: r.new_links,
        changed_links: r.changed_links,
        unchanged: r.unchanged,
        errors: r.errors,
        written: r.written,
    })
}
