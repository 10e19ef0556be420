//! Suppliers suggested from what the platform knows: SKUs no supplier is linked to, grouped
//! by their product's vendor (Shopify `Product.vendor`, BigCommerce brand, Adobe Commerce
//! manufacturer, synced into `products.vendor`), with their synced unit costs. The planner
//! accepts the suggestions they agree with; nothing is created before that.

use super::{audit, supplier};
use crate::{AuditStamp, Error, Result};
use forestock_core::{NewSupplier, Store, SupplierSku};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// A SKU a suggestion would link, with its synced unit cost (the store's currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedSku {
    pub variant_id: i64,
    pub sku: String,
    pub unit_cost: Option<f64>,
}

/// One suggested supplier: a vendor name, the supplier it would be (an existing one with
/// that name, else a new one) and the SKUs it would get.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub name: String,
    /// The existing supplier of that name (the SKUs would be linked to it), else `None`:
    /// a new supplier would be created.
    pub existing_supplier_id: Option<i64>,
    pub skus: Vec<SuggestedSku>,
    /// How many of the SKUs have a unit cost from the platform.
    pub with_cost: usize,
}

/// The suggestions, by vendor name; SKUs with a supplier already, or without a vendor, are
/// left out.
pub fn suggest(store: &Store) -> Result<Vec<Suggestion>> {
    let r = store.read();
    let linked: HashSet<i64> = r.supplier_skus()?.iter().map(|l| l.variant_id).collect();
    let suppliers = r.suppliers()?;
    let mut by_vendor: BTreeMap<String, (String, Vec<SuggestedSku>)> = BTreeMap::new();
    for s in r.skus()? {
        let vendor = s.vendor.trim();
        if vendor.is_empty() || linked.contains(&s.id) {
            continue;
        }
        by_vendor
            .entry(vendor.to_lowercase())
            .or_insert_with(|| (vendor.to_string(), Vec::new()))
            .1
            .push(SuggestedSku {
                variant_id: s.id,
                sku: s.sku,
                unit_cost: s.cost,
            });
    }
    Ok(by_vendor
        .into_iter()
        .map(|(key, (name, skus))| Suggestion {
            existing_supplier_id: suppliers
                .iter()
                .find(|s| s.name.trim().to_lowercase() == key)
                .map(|s| s.id),
            with_cost: skus.iter().filter(|s| s.unit_cost.is_some()).count(),
            name,
            skus,
        })
        .collect())
}

/// Which suggestions to accept, and the terms of the suppliers they create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AcceptForm"))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct AcceptSuggestions {
    /// Vendor names to accept (without case); empty: all of them.
    #[cfg_attr(
        feature = "clap",
        arg(help = "Vendor names to accept (default: all suggestions).")
    )]
    pub names: Vec<String>,
    /// New suppliers' currency; `None`: the merchant's (the synced costs are in it).
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            help = "Currency of the new suppliers (default: the merchant's)."
        )
    )]
    pub currency: Option<String>,
    /// New suppliers' lead time in days; `None`: the plan settings' default lead time.
    #[cfg_attr(
        feature = "clap",
        arg(
            long = "lead-time",
            value_name = "DAYS",
            help = "Lead time of the new suppliers in days (default: the plan settings')."
        )
    )]
    pub lead_time_days: Option<f64>,
}

/// What accepting did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "AcceptedView"))]
pub struct AcceptReport {
    /// Suppliers created, and SKUs linked (to new or existing suppliers).
    pub created: Vec<String>,
    pub linked: usize,
}

/// Accept suggestions (`supplier.accept_suggestions`): create the suppliers that do not
/// exist yet (MOQ and case pack 1, lead time and currency as given) and link each SKU to its
/// vendor's supplier with its synced unit cost. All or nothing; a name that is not among the
/// suggestions is refused by name.
pub fn accept(
    store: &mut Store,
    stamp: &AuditStamp,
    req: &AcceptSuggestions,
) -> Result<AcceptReport> {
    let all = suggest(store)?;
    let wanted: Vec<String> = req.names.iter().map(|n| n.trim().to_lowercase()).collect();
    let missing: Vec<&str> = req
        .names
        .iter()
        .zip(&wanted)
        .filter(|(_, w)| !all.iter().any(|s| s.name.to_lowercase() == **w))
        .map(|(n, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Invalid(format!(
            "no suggestion is named {}",
            missing.join(", ")
        )));
    }
    let chosen: Vec<&Suggestion> = all
        .iter()
        .filter(|s| wanted.is_empty() || wanted.contains(&s.name.to_lowercase()))
        .collect();
    if chosen.is_empty() {
        return Err(Error::Invalid(
            "there is nothing to accept: every SKU with a vendor has a supplier".into(),
        ));
    }
    let currency = match &req.currency {
        Some(c) => c.trim().to_uppercase(),
        None => store
            .read()
            .merchant()?
            .map(|m| m.currency)
            .ok_or_else(|| Error::Invalid("the database has no merchant yet".into()))?,
    };
    let lead = match req.lead_time_days {
        Some(l) => l,
        None => forestock_plan::settings::load_settings(&store.read())?.default_lead_time_days,
    };
    if iso_currency::Currency::from_code(&currency).is_none() {
        return Err(Error::Invalid(format!(
            "currency {currency:?} is not an ISO 4217 code"
        )));
    }
    for s in &chosen {
        if let Some(id) = s.existing_supplier_id {
            supplier(store, id)?;
        }
    }
    let w = store.write()?;
    let mut report = AcceptReport {
        created: Vec::new(),
        linked: 0,
    };
    for s in &chosen {
        let id = match s.existing_supplier_id {
            Some(id) => id,
            None => {
                report.created.push(s.name.clone());
                w.insert_supplier(&NewSupplier {
                    name: s.name.clone(),
                    currency: currency.clone(),
                    lead_time_mean_days: lead,
                    lead_time_sd_days: 0.0,
                    moq: 1,
                    case_pack: 1,
                    price_breaks: Vec::new(),
                    email: None,
                    notes: "suggested from the store's vendor".into(),
                })?
            }
        };
        for k in &s.skus {
            w.link_supplier_sku(&SupplierSku {
                supplier_id: id,
                variant_id: k.variant_id,
                supplier_sku: None,
                unit_cost: k.unit_cost,
                is_primary: true,
                moq: None,
                case_pack: None,
                lead_time_days: None,
            })?;
            report.linked += 1;
        }
    }
    audit(
        &w,
        stamp,
        "supplier.accept_suggestions",
        "*",
        None,
        Some(serde_json::json!({
            "currency": currency, "lead_time_days": lead, "created": report.created,
            "suppliers": chosen.iter().map(|s| serde_json::json!({
                "name": s.name, "skus": s.skus.iter().map(|k| &k.sku).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        "",
    )?;
    w.commit()?;
    Ok(report)
}
