//! Changing a supplier's settings as a planner does it: validated, written and audited in one
//! transaction, so the log always holds what the supplier looked like before and after.

use crate::audit::NewAuditEntry;
use crate::db::{Reader, Store, Writer};
use crate::error::{Error, Result};
use crate::model::{NewSupplier, Supplier};
use crate::sql;
use chrono::NaiveDateTime;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Who changes a supplier, when and why (the audit entry's context).
#[derive(Debug, Clone, PartialEq)]
pub struct SupplierChange<'a> {
    pub actor: &'a str,
    pub at: NaiveDateTime,
    pub reason: &'a str,
}

impl Store {
    /// Validate `new` (lead time > 0, spread >= 0, MOQ a multiple of the case pack, a 3-letter
    /// currency code, …), update supplier `id` and append a `supplier.update` audit entry with
    /// the supplier before and after, all in one transaction. A reason is required. On any
    /// error nothing is written. Returns the supplier as stored.
    pub fn update_supplier(
        &mut self,
        id: i64,
        new: &NewSupplier,
        change: &SupplierChange<'_>,
    ) -> Result<Supplier> {
        new.validate()?;
        let reason = change.reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "supplier",
                "say why the supplier changes (the reason goes to the audit log)",
            ));
        }
        let before = supplier_by_id(&self.read(), id)?;
        let w = self.write()?;
        w.update_supplier(id, new)?;
        let after = supplier_by_id(&w.read(), id)?;
        w.audit(&NewAuditEntry {
            at: change.at,
            actor: change.actor.into(),
            action: "supplier.update".into(),
            entity: "supplier".into(),
            entity_id: id.to_string(),
            before: Some(serde_json::to_value(&before)?),
            after: Some(serde_json::to_value(&after)?),
            reason: reason.into(),
        })?;
        w.commit()?;
        Ok(after)
    }
}

/// One supplier by id, or `NotFound`.
fn supplier_by_id(r: &Reader<'_>, id: i64) -> Result<Supplier> {
    r.suppliers()?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::NotFound {
            what: "supplier",
            key: id.to_string(),
        })
}

/// What merging one supplier into another moved (see [`Writer::merge_supplier`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeCounts {
    /// SKU links moved to the surviving supplier.
    pub links_moved: usize,
    /// SKU links dropped because the surviving supplier already had that SKU (its terms win).
    pub links_dropped: usize,
    /// Purchase orders, receipts and plan lines now under the surviving supplier.
    pub purchase_orders: usize,
    pub receipts: usize,
    pub plan_lines: usize,
}

/// A purchase order naming a supplier: its number and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplierPo {
    pub number: String,
    pub status: String,
}

impl SupplierPo {
    /// Open: still to be sent, received or closed (`draft` to `partially_received`).
    pub fn is_open(&self) -> bool {
        !matches!(self.status.as_str(), "received" | "cancelled")
    }
}

impl Reader<'_> {
    /// How many SKUs each supplier is linked to (suppliers without SKUs are absent).
    pub fn supplier_sku_counts(&self) -> Result<HashMap<i64, usize>> {
        let mut st = self.conn().prepare(sql::SUPPLIER_SKU_COUNTS)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, n) = row?;
            out.insert(id, usize::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }

    /// The purchase orders of supplier `id`, by number.
    pub fn supplier_purchase_orders(&self, id: i64) -> Result<Vec<SupplierPo>> {
        let mut st = self.conn().prepare(sql::SUPPLIER_PURCHASE_ORDERS)?;
        let rows = st.query_map([id], |r| {
            Ok(SupplierPo {
                number: r.get(0)?,
                status: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Writer<'_> {
    /// Move everything of supplier `from` to supplier `into` and delete `from`: its SKU links
    /// (where `into` already has the SKU, `into`'s link and terms are kept), its purchase
    /// orders (numbers, lines and states unchanged: their history stays, under the surviving
    /// supplier), its receipts and its plan lines. A moved link stays primary only if the SKU
    /// has no primary link to `into` already.
    pub fn merge_supplier(&self, from: i64, into: i64) -> Result<MergeCounts> {
        if from == into {
            return Err(Error::invalid(
                "supplier merge",
                "a supplier cannot be merged into itself",
            ));
        }
        let tx = self.tx();
        let links_dropped =
            tx.execute(sql::MERGE_SUPPLIER_DROP_SHARED_LINKS, params![from, into])?;
        let links_moved = tx.execute(sql::MERGE_SUPPLIER_MOVE_LINKS, params![from, into])?;
        let purchase_orders = tx.execute(sql::MERGE_SUPPLIER_MOVE_POS, params![from, into])?;
        let receipts = tx.execute(sql::MERGE_SUPPLIER_MOVE_RECEIPTS, params![from, into])?;
        let plan_lines = tx.execute(sql::MERGE_SUPPLIER_MOVE_PLAN_LINES, params![from, into])?;
        self.delete_supplier(from)?;
        Ok(MergeCounts {
            links_moved,
            links_dropped,
            purchase_orders,
            receipts,
            plan_lines,
        })
    }

    /// Delete supplier `id` and its SKU links. Refused while a purchase order names it
    /// (merge it into another supplier to keep that history).
    pub fn delete_supplier(&self, id: i64) -> Result<()> {
        let pos = self.read().supplier_purchase_orders(id)?;
        if !pos.is_empty() {
            return Err(Error::invalid(
                "supplier",
                format!(
                    "supplier {id} has {} purchase orders; merge it into another supplier instead",
                    pos.len()
                ),
            ));
        }
        let n = self.tx().execute(sql::DELETE_SUPPLIER, [id])?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "supplier",
                key: id.to_string(),
            });
        }
        Ok(())
    }

    /// Make supplier `supplier_id` the one SKU `variant_id` is ordered from: its link becomes
    /// primary and the SKU's other links secondary.
    pub fn make_primary_supplier(&self, supplier_id: i64, variant_id: i64) -> Result<()> {
        self.tx()
            .execute(sql::MAKE_PRIMARY_SUPPLIER, params![supplier_id, variant_id])?;
        Ok(())
    }
}
