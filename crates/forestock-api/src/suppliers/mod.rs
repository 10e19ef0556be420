//! Suppliers for a real store (`forestock suppliers …`, the app's Suppliers screen): list,
//! create, edit, merge and delete suppliers; link SKUs to them in bulk with per-SKU terms;
//! suggest suppliers from what the platform knows (the product's vendor, brand or
//! manufacturer, synced into `products.vendor`) and accept the suggestions; import and export
//! a supplier catalog CSV ([`catalog`]). Each change is one transaction with one audit entry.

pub mod catalog;
pub mod screen;
mod suggest;

pub use suggest::{accept, suggest, AcceptReport, AcceptSuggestions, SuggestedSku, Suggestion};

use crate::{AuditStamp, Error, Result};
use forestock_core::{
    MergeCounts, NewAuditEntry, NewSupplier, Sku, Store, Supplier, SupplierChange, SupplierSku,
    Writer,
};
use serde::{Deserialize, Serialize};

/// A supplier with how many SKUs it supplies and how many of its POs are open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierRow {
    pub supplier: Supplier,
    pub skus: usize,
    pub open_pos: usize,
}

/// Every supplier by name, with its SKU count.
pub fn list(store: &Store) -> Result<Vec<SupplierRow>> {
    let r = store.read();
    let counts = r.supplier_sku_counts()?;
    let mut out = Vec::new();
    for s in r.suppliers()? {
        let open_pos = r
            .supplier_purchase_orders(s.id)?
            .iter()
            .filter(|p| p.is_open())
            .count();
        out.push(SupplierRow {
            skus: counts.get(&s.id).copied().unwrap_or(0),
            open_pos,
            supplier: s,
        });
    }
    Ok(out)
}

/// The supplier `id`, or `NotFound`.
pub(crate) fn supplier(store: &Store, id: i64) -> Result<Supplier> {
    store
        .read()
        .suppliers()?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| {
            Error::Core(forestock_core::Error::NotFound {
                what: "supplier",
                key: id.to_string(),
            })
        })
}

/// Refuse a name another supplier already has (compared without case or outer spaces).
fn check_name_free(store: &Store, name: &str, except: Option<i64>) -> Result<()> {
    let key = name.trim().to_lowercase();
    if let Some(other) = store
        .read()
        .suppliers()?
        .into_iter()
        .find(|s| Some(s.id) != except && s.name.trim().to_lowercase() == key)
    {
        return Err(Error::Invalid(format!(
            "a supplier named {:?} already exists (id {})",
            other.name, other.id
        )));
    }
    Ok(())
}

fn audit(
    w: &Writer<'_>,
    stamp: &AuditStamp,
    action: &str,
    id: impl ToString,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
    reason: &str,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: action.into(),
        entity: "supplier".into(),
        entity_id: id.to_string(),
        before,
        after,
        reason: reason.trim().into(),
    })?;
    Ok(())
}

/// A supplier's name and terms as a planner types them (the CLI's flags, the app's forms).
/// Unset fields keep the supplier's current value when editing and take the merchant's
/// defaults when creating (its currency, the plan settings' lead time, MOQ and case pack 1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SupplierInput {
    /// (The CLI takes it as the verb's own argument.)
    #[cfg_attr(feature = "clap", arg(skip))]
    pub name: Option<String>,
    /// ISO 4217 currency of its prices (default: the merchant's).
    #[cfg_attr(feature = "clap", arg(long))]
    pub currency: Option<String>,
    /// Mean lead time in days.
    #[cfg_attr(feature = "clap", arg(long = "lead-time", value_name = "DAYS"))]
    pub lead_time_mean_days: Option<f64>,
    /// Lead-time standard deviation in days.
    #[cfg_attr(feature = "clap", arg(long = "lead-time-sd", value_name = "DAYS"))]
    pub lead_time_sd_days: Option<f64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub moq: Option<i64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub case_pack: Option<i64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub email: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub notes: Option<String>,
}

impl SupplierInput {
    /// The supplier these values describe, over `base` (editing) or the merchant's defaults
    /// (creating): names trimmed, currencies upper-cased, an empty e-mail as none.
    pub fn resolve(self, store: &Store, base: Option<&Supplier>) -> Result<NewSupplier> {
        let name = match (self.name, base) {
            (Some(n), _) => n.trim().to_string(),
            (None, Some(b)) => b.name.clone(),
            (None, None) => return Err(Error::Invalid("a new supplier needs a name".into())),
        };
        let currency = match (self.currency, base) {
            (Some(c), _) => c.trim().to_uppercase(),
            (None, Some(b)) => b.currency.clone(),
            (None, None) => store
                .read()
                .merchant()?
                .map(|m| m.currency)
                .unwrap_or_default(),
        };
        let lead_time_mean_days = match (self.lead_time_mean_days, base) {
            (Some(d), _) => d,
            (None, Some(b)) => b.lead_time_mean_days,
            (None, None) => {
                forestock_plan::settings::load_settings(&store.read())?.default_lead_time_days
            }
        };
        let email = match self.email {
            Some(e) => Some(e.trim().to_string()).filter(|e| !e.is_empty()),
            None => base.and_then(|b| b.email.clone()),
        };
        Ok(NewSupplier {
            name,
            currency,
            lead_time_mean_days,
            lead_time_sd_days: self
                .lead_time_sd_days
                .or(base.map(|b| b.lead_time_sd_days))
                .unwrap_or(0.0),
            moq: self.moq.or(base.map(|b| b.moq)).unwrap_or(1),
            case_pack: self.case_pack.or(base.map(|b| b.case_pack)).unwrap_or(1),
            price_breaks: base.map(|b| b.price_breaks.clone()).unwrap_or_default(),
            email,
            notes: self
                .notes
                .or(base.map(|b| b.notes.clone()))
                .unwrap_or_default(),
        })
    }
}

/// A supplier by id or by exact name (without case).
pub fn find(store: &Store, key: &str) -> Result<Supplier> {
    let key = key.trim();
    store
        .read()
        .suppliers()?
        .into_iter()
        .find(|s| s.id.to_string() == key || s.name.eq_ignore_ascii_case(key))
        .ok_or_else(|| Error::NotFound(format!("supplier {key} not found")))
}

/// Create a supplier (`supplier.create`). The name must be new; the terms are validated.
pub fn create(store: &mut Store, stamp: &AuditStamp, new: &NewSupplier) -> Result<Supplier> {
    new.validate()?;
    check_name_free(store, &new.name, None)?;
    let w = store.write()?;
    let id = w.insert_supplier(&NewSupplier {
        name: new.name.trim().into(),
        ..new.clone()
    })?;
    let created = w
        .read()
        .suppliers()?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::Invalid(format!("supplier {id} vanished while created")))?;
    audit(
        &w,
        stamp,
        "supplier.create",
        id,
        None,
        Some(serde_json::to_value(&created)?),
        "",
    )?;
    w.commit()?;
    Ok(created)
}

/// Change supplier `id`'s name and terms (`supplier.update`, with before and after; a reason
/// is required).
pub fn edit(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    new: &NewSupplier,
    reason: &str,
) -> Result<Supplier> {
    new.validate()?;
    check_name_free(store, &new.name, Some(id))?;
    Ok(store.update_supplier(
        id,
        new,
        &SupplierChange {
            actor: &stamp.actor,
            at: stamp.at,
            reason,
        },
    )?)
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeReport {
    pub from: Supplier,
    pub into: Supplier,
    pub moved: MergeCounts,
}

/// Merge supplier `from` into `into` (`supplier.merge`): SKU links, purchase orders (their
/// numbers, lines and states kept), receipts and plan lines move to `into`, then `from` is
/// deleted. Refused when the two trade in different currencies (the moved unit costs would
/// be read in the wrong one).
pub fn merge(
    store: &mut Store,
    stamp: &AuditStamp,
    from: i64,
    into: i64,
    reason: &str,
) -> Result<MergeReport> {
    if from == into {
        return Err(Error::Invalid(
            "a supplier cannot be merged into itself".into(),
        ));
    }
    let (src, dst) = (supplier(store, from)?, supplier(store, into)?);
    if src.currency != dst.currency {
        return Err(Error::Invalid(format!(
            "{} trades in {} and {} in {}: change one's currency before merging",
            src.name, src.currency, dst.name, dst.currency
        )));
    }
    let w = store.write()?;
    let moved = w.merge_supplier(from, into)?;
    let report = MergeReport {
        from: src,
        into: dst,
        moved,
    };
    audit(
        &w,
        stamp,
        "supplier.merge",
        into,
        Some(serde_json::to_value(&report.from)?),
        Some(serde_json::to_value(&report)?),
        reason,
    )?;
    w.commit()?;
    Ok(report)
}

/// What a deletion did: the supplier, and the SKUs it leaves without any supplier (they
/// show as "needs a supplier" in the next plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeleteReport {
    pub supplier: Supplier,
    pub skus_unlinked: usize,
    pub skus_without_supplier: Vec<String>,
}

/// Delete supplier `id` and its SKU links (`supplier.delete`). Refused while purchase orders
/// name it: open ones must be received or cancelled first, and past ones keep their history
/// only if the supplier is merged into another instead.
pub fn delete(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    reason: &str,
) -> Result<DeleteReport> {
    let s = supplier(store, id)?;
    let pos = store.read().supplier_purchase_orders(id)?;
    let open: Vec<String> = pos
        .iter()
        .filter(|p| p.is_open())
        .map(|p| format!("{} ({})", p.number, p.status))
        .collect();
    if !open.is_empty() {
        return Err(Error::Invalid(format!(
            "{} has open purchase orders: {}; receive or cancel them first, or merge {} into \
             another supplier",
            s.name,
            open.join(", "),
            s.name
        )));
    }
    if !pos.is_empty() {
        return Err(Error::Invalid(format!(
            "{} has {} past purchase orders ({}); merge it into another supplier to keep their \
             history",
            s.name,
            pos.len(),
            pos.iter()
                .map(|p| p.number.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let all = store.read().supplier_skus()?;
    let mine: Vec<i64> = all
        .iter()
        .filter(|l| l.supplier_id == id)
        .map(|l| l.variant_id)
        .collect();
    let orphaned: std::collections::HashSet<i64> = mine
        .iter()
        .copied()
        .filter(|v| {
            !all.iter()
                .any(|l| l.variant_id == *v && l.supplier_id != id)
        })
        .collect();
    let skus_without_supplier: Vec<String> = store
        .read()
        .skus()?
        .into_iter()
        .filter(|s| orphaned.contains(&s.id))
        .map(|s| s.sku)
        .collect();
    let w = store.write()?;
    w.delete_supplier(id)?;
    let report = DeleteReport {
        supplier: s,
        skus_unlinked: mine.len(),
        skus_without_supplier,
    };
    audit(
        &w,
        stamp,
        "supplier.delete",
        id,
        Some(serde_json::to_value(&report)?),
        None,
        reason,
    )?;
    w.commit()?;
    Ok(report)
}

/// Which SKUs a bulk assignment covers: every given criterion must match (vendor and
/// category compared without case; search text found in the SKU code, variant or product
/// title), plus any SKU codes listed. At least one criterion is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SkuSelection {
    /// The product's vendor (brand, manufacturer), without case.
    #[cfg_attr(feature = "clap", arg(long))]
    pub vendor: Option<String>,
    /// The product's category, without case.
    #[cfg_attr(feature = "clap", arg(long))]
    pub category: Option<String>,
    /// Text found in the SKU code or title.
    #[cfg_attr(feature = "clap", arg(long))]
    pub search: Option<String>,
    /// A SKU code (repeatable).
    #[cfg_attr(feature = "clap", arg(long = "sku", value_name = "SKU"))]
    pub skus: Vec<String>,
    /// Only SKUs no supplier is linked to yet.
    #[serde(default)]
    #[cfg_attr(feature = "clap", arg(long = "unlinked"))]
    pub unlinked_only: bool,
}

impl SkuSelection {
    fn criteria(&self) -> bool {
        [&self.vendor, &self.category, &self.search]
            .iter()
            .any(|c| c.as_deref().is_some_and(|s| !s.trim().is_empty()))
    }

    fn matches(&self, s: &Sku) -> bool {
        let eq = |want: &Option<String>, have: &str| {
            want.as_deref()
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .is_none_or(|w| w.eq_ignore_ascii_case(have.trim()))
        };
        let found = self
            .search
            .as_deref()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .is_none_or(|t| {
                [&s.sku, &s.title, &s.product_title]
                    .iter()
                    .any(|f| f.to_lowercase().contains(&t))
            });
        eq(&self.vendor, &s.vendor) && eq(&self.category, &s.category) && found
    }

    /// The SKUs selected, by code; an unknown listed code is refused by name.
    pub fn resolve(&self, store: &Store) -> Result<Vec<Sku>> {
        if !self.criteria() && self.skus.is_empty() {
            return Err(Error::Invalid(
                "say which SKUs: by vendor, category, search text or SKU codes".into(),
            ));
        }
        let r = store.read();
        let all = r.skus()?;
        let linked: std::collections::HashSet<i64> =
            r.supplier_skus()?.iter().map(|l| l.variant_id).collect();
        let unknown: Vec<&str> = self
            .skus
            .iter()
            .map(|c| c.trim())
            .filter(|c| !all.iter().any(|s| s.sku == *c))
            .collect();
        if !unknown.is_empty() {
            return Err(Error::Invalid(format!(
                "unknown SKU: {}",
                unknown.join(", ")
            )));
        }
        let out: Vec<Sku> = all
            .into_iter()
            .filter(|s| {
                (self.criteria() && self.matches(s)) || self.skus.iter().any(|c| c.trim() == s.sku)
            })
            .filter(|s| !self.unlinked_only || !linked.contains(&s.id))
            .collect();
        if out.is_empty() {
            return Err(Error::Invalid("no SKU matches the selection".into()));
        }
        Ok(out)
    }
}

/// Terms of SKUs at a supplier; `None` keeps what is set (a new link: the supplier's terms,
/// the SKU's synced cost).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct SkuTerms {
    /// The supplier's code for the item (one SKU only).
    #[cfg_attr(feature = "clap", arg(long))]
    pub supplier_sku: Option<String>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub unit_cost: Option<f64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub moq: Option<i64>,
    #[cfg_attr(feature = "clap", arg(long))]
    pub case_pack: Option<i64>,
    #[cfg_attr(feature = "clap", arg(long = "lead-time", value_name = "DAYS"))]
    pub lead_time_days: Option<f64>,
}

impl SkuTerms {
    /// Refuse impossible terms, naming the field and value.
    pub fn validate(&self) -> Result<()> {
        if let Some(c) = self.unit_cost {
            if !(c.is_finite() && c >= 0.0) {
                return Err(Error::Invalid(format!("unit cost {c} must be 0 or more")));
            }
        }
        if let Some(m) = self.moq.filter(|m| *m < 1) {
            return Err(Error::Invalid(format!("MOQ {m} must be at least 1")));
        }
        if let Some(c) = self.case_pack.filter(|c| *c < 1) {
            return Err(Error::Invalid(format!("case pack {c} must be at least 1")));
        }
        if let Some(l) = self.lead_time_days {
            if !(l.is_finite() && l > 0.0) {
                return Err(Error::Invalid(format!(
                    "lead time {l} days must be more than 0"
                )));
            }
        }
        Ok(())
    }
}

/// What an assignment did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AssignedView"))]
pub struct AssignReport {
    pub supplier: String,
    pub skus: Vec<String>,
    /// Links created, and existing links whose terms changed.
    pub linked: usize,
    pub updated: usize,
}

/// Link the selected SKUs to supplier `id` with `terms` (`supplier.assign`): the supplier
/// becomes the one each SKU is ordered from. A supplier SKU names one item, so it is refused
/// for a selection of several SKUs.
pub fn assign(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    selection: &SkuSelection,
    terms: &SkuTerms,
) -> Result<AssignReport> {
    terms.validate()?;
    let s = supplier(store, id)?;
    let skus = selection.resolve(store)?;
    if skus.len() > 1 && terms.supplier_sku.is_some() {
        return Err(Error::Invalid(format!(
            "a supplier SKU names one item, but the selection has {} SKUs",
            skus.len()
        )));
    }
    let existing: std::collections::HashMap<i64, SupplierSku> = store
        .read()
        .supplier_skus()?
        .into_iter()
        .filter(|l| l.supplier_id == id)
        .map(|l| (l.variant_id, l))
        .collect();
    let (mut linked, mut updated) = (0, 0);
    let w = store.write()?;
    for sku in &skus {
        let old = existing.get(&sku.id);
        let link = SupplierSku {
            supplier_id: id,
            variant_id: sku.id,
            supplier_sku: terms
                .supplier_sku
                .clone()
                .filter(|t| !t.trim().is_empty())
                .or_else(|| old.and_then(|o| o.supplier_sku.clone())),
            unit_cost: terms
                .unit_cost
                .or_else(|| old.and_then(|o| o.unit_cost))
                .or(sku.cost),
            is_primary: true,
            moq: terms.moq.or_else(|| old.and_then(|o| o.moq)),
            case_pack: terms.case_pack.or_else(|| old.and_then(|o| o.case_pack)),
            lead_time_days: terms
                .lead_time_days
                .or_else(|| old.and_then(|o| o.lead_time_days)),
        };
        let moq = link.moq.unwrap_or(s.moq);
        let case = link.case_pack.unwrap_or(s.case_pack);
        if moq % case != 0 {
            return Err(Error::Invalid(format!(
                "{}: MOQ {moq} is not a multiple of the case pack {case}",
                sku.sku
            )));
        }
        match old {
            None => linked += 1,
            Some(o) if *o != link => updated += 1,
            Some(_) => {}
        }
        w.link_supplier_sku(&link)?;
        w.make_primary_supplier(id, sku.id)?;
    }
    let report = AssignReport {
        supplier: s.name.clone(),
        skus: skus.iter().map(|s| s.sku.clone()).collect(),
        linked,
        updated,
    };
    audit(
        &w,
        stamp,
        "supplier.assign",
        id,
        None,
        Some(serde_json::json!({"selection": selection, "terms": terms, "report": report})),
        "",
    )?;
    w.commit()?;
    Ok(report)
}
