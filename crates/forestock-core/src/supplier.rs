//! Changing a supplier's settings as a planner does it: validated, written and audited in one
//! transaction, so the log always holds what the supplier looked like before and after.

use crate::audit::NewAuditEntry;
use crate::db::{Reader, Store};
use crate::error::{Error, Result};
use crate::model::{NewSupplier, Supplier};
use chrono::NaiveDateTime;

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
