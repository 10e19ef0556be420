//! Setting up a new merchant: what is still missing before its first plan can be trusted,
//! computed from the database alone. The app shows it as a checklist whose items link to the
//! screen that fixes each one; the steps are ordered as a new merchant takes them: connect a
//! store → initial sync → suppliers and lead times → first plan.

use crate::plan::planning_basis;
use crate::Result;
use forestock_core::{Platform, SkuStatus, Store};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A step of setting up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SetupStep {
    Connect,
    Sync,
    Suppliers,
    Plan,
}

/// The screen where a step is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SetupScreen {
    Connect,
    Suppliers,
    Planner,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistItem {
    pub step: SetupStep,
    pub label: String,
    pub done: bool,
    /// What is there, or what is still missing, in a sentence.
    pub detail: String,
    pub screen: SetupScreen,
}

/// The set-up checklist of the open merchant, with the date its plans are made for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checklist {
    /// False for the demo merchant: it comes set up, with its fixed date.
    pub applies: bool,
    pub items: Vec<ChecklistItem>,
    /// Every item is done.
    pub complete: bool,
    /// The date the next plan is made for, ISO `YYYY-MM-DD` ([`planning_basis`]).
    pub planning_date: String,
    /// Why that date ("the last successful sync", "the merchant's as-of date", …).
    pub planning_basis: String,
}

/// How many SKU codes a "still missing" sentence names before "and N more".
const NAMED: usize = 3;

/// The checklist of the merchant in `store`.
///
/// - **Connect**: a store to sync from (Shopify, BigCommerce, Adobe Commerce) is connected.
/// - **Sync**: a sync has finished ([`forestock_core::Reader::last_sync`]) and brought SKUs.
/// - **Suppliers**: every active SKU has a supplier, and a lead time from it (the SKU's own
///   from that supplier, else the supplier's); a line without one is never ordered.
/// - **Plan**: with the suppliers step done, a plan has been made since the last sync and since
///   the last supplier change, so it orders from what is there now.
pub fn checklist(store: &Store) -> Result<Checklist> {
    let r = store.read();
    let merchant = r.merchant()?;
    let (date, basis) = planning_basis(&r, None)?;
    let applies = !merchant.as_ref().is_some_and(|m| m.is_demo);

    let syncable: Vec<_> = r
        .stores()?
        .into_iter()
        .filter(|s| {
            matches!(
                s.platform,
                Platform::Shopify | Platform::BigCommerce | Platform::Adobe
            )
        })
        .collect();
    let connect = ChecklistItem {
        step: SetupStep::Connect,
        label: "Connect a store".into(),
        done: !syncable.is_empty(),
        detail: if syncable.is_empty() {
            "No store connected yet: connect your Shopify, BigCommerce or Adobe Commerce store."
                .into()
        } else {
            let names: Vec<String> = syncable
                .iter()
                .map(|s| format!("{} ({})", s.name, s.platform))
                .collect();
            format!("Connected: {}.", names.join(", "))
        },
        screen: SetupScreen::Connect,
    };

    let last_sync = r.last_sync()?;
    let skus = r.skus()?;
    let active: Vec<_> = skus
        .iter()
        .filter(|s| s.status == SkuStatus::Active)
        .collect();
    let sync = ChecklistItem {
        step: SetupStep::Sync,
        label: "Initial sync".into(),
        done: last_sync.is_some() && !skus.is_empty(),
        detail: match last_sync {
            None if syncable.is_empty() => "Not synced: connect a store first.".into(),
            None => "Not synced yet: run Sync & run to copy the catalog, stock and orders.".into(),
            Some(at) if skus.is_empty() => format!(
                "The sync of {} UTC brought no SKUs: check the store has products.",
                at.format("%Y-%m-%d %H:%M")
            ),
            Some(at) => format!(
                "Last successful sync {} UTC: {} SKUs.",
                at.format("%Y-%m-%d %H:%M"),
                skus.len()
            ),
        },
        screen: SetupScreen::Connect,
    };

    let suppliers: HashMap<i64, f64> = r
        .suppliers()?
        .into_iter()
        .map(|s| (s.id, s.lead_time_mean_days))
        .collect();
    let mut linked: HashSet<i64> = HashSet::new();
    let mut with_lead: HashSet<i64> = HashSet::new();
    for l in r.supplier_skus()? {
        linked.insert(l.variant_id);
        let lead = l
            .lead_time_days
            .or_else(|| suppliers.get(&l.supplier_id).copied());
        if lead.is_some_and(|d| d > 0.0) {
            with_lead.insert(l.variant_id);
        }
    }
    let no_supplier: Vec<&str> = active
        .iter()
        .filter(|s| !linked.contains(&s.id))
        .map(|s| s.sku.as_str())
        .collect();
    let no_lead: Vec<&str> = active
        .iter()
        .filter(|s| linked.contains(&s.id) && !with_lead.contains(&s.id))
        .map(|s| s.sku.as_str())
        .collect();
    let suppliers_item = ChecklistItem {
        step: SetupStep::Suppliers,
        label: "Suppliers and lead times".into(),
        done: !active.is_empty() && no_supplier.is_empty() && no_lead.is_empty(),
        detail: if active.is_empty() {
            "No active SKUs yet: sync a store first.".into()
        } else if no_supplier.is_empty() && no_lead.is_empty() {
            format!(
                "All {} active SKUs have a supplier and a lead time.",
                active.len()
            )
        } else {
            let mut parts = Vec::new();
            if !no_supplier.is_empty() {
                parts.push(format!(
                    "{} of {} active SKUs have no supplier ({}) and are not ordered",
                    no_supplier.len(),
                    active.len(),
                    named(&no_supplier)
                ));
            }
            if !no_lead.is_empty() {
                parts.push(format!(
                    "{} have a supplier without a lead time ({})",
                    no_lead.len(),
                    named(&no_lead)
                ));
            }
            format!(
                "{}: import a supplier catalog or assign them.",
                parts.join("; ")
            )
        },
        screen: SetupScreen::Suppliers,
    };

    let last_plan = r
        .last_run(forestock_core::RunKind::Plan)?
        .map(|p| p.started_at);
    let last_supplier_change = r
        .audit_entries(&forestock_core::AuditFilter {
            entity: Some("supplier".into()),
            limit: Some(50),
            ..Default::default()
        })?
        .into_iter()
        // Exporting the catalog changes nothing.
        .find(|e| e.action != "supplier.catalog_export")
        .map(|e| e.at);
    let plan = ChecklistItem {
        step: SetupStep::Plan,
        label: "First plan".into(),
        // A plan made while SKUs still lack a supplier orders none of them: not the first
        // plan a merchant can act on yet.
        done: suppliers_item.done
            && last_plan.is_some_and(|p| {
                last_sync.is_none_or(|s| p >= s) && last_supplier_change.is_none_or(|c| p >= c)
            }),
        detail: match last_plan {
            None => format!(
                "No plan yet: plan for {date} ({}).",
                basis.describe()
            ),
            Some(p) if last_sync.is_some_and(|s| p < s) => format!(
                "The last plan ({}) is older than the last sync: plan again.",
                p.format("%Y-%m-%d %H:%M")
            ),
            Some(p) if last_supplier_change.is_some_and(|c| p < c) => format!(
                "The last plan ({}) is older than the supplier changes: plan again to order from them.",
                p.format("%Y-%m-%d %H:%M")
            ),
            Some(p) if !suppliers_item.done => format!(
                "Planned {} UTC, but SKUs without a supplier (or lead time) are not ordered: \
                 plan again once they have one.",
                p.format("%Y-%m-%d %H:%M")
            ),
            Some(p) => format!(
                "Planned {} UTC, for {date} ({}).",
                p.format("%Y-%m-%d %H:%M"),
                basis.describe()
            ),
        },
        screen: SetupScreen::Planner,
    };

    let items = vec![connect, sync, suppliers_item, plan];
    Ok(Checklist {
        applies,
        complete: items.iter().all(|i| i.done),
        items,
        planning_date: date.to_string(),
        planning_basis: basis.describe().to_string(),
    })
}

fn named(skus: &[&str]) -> String {
    let mut s = skus
        .iter()
        .take(NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if skus.len() > NAMED {
        s.push_str(&format!(" and {} more", skus.len() - NAMED));
    }
    s
}
