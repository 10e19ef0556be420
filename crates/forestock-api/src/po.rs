//! The purchase-order lifecycle: draft from the approved plan lines, then approve, cancel or
//! receive (`forestock po …`, the app's Orders page). Each change is audited with the stamp.

use crate::{AuditStamp, Error, Result};
use forestock_core::Store;
use forestock_plan::po::{self, PoStatus, PurchaseOrder};

/// Draft POs per supplier × location from the latest plan's approved lines.
pub fn draft(store: &mut Store, stamp: &AuditStamp) -> Result<Vec<PurchaseOrder>> {
    Ok(po::draft_from_plan(store, &stamp.actor, stamp.at)?)
}

/// Move PO `id` to `to` (approve, cancel, mark received); the library enforces the state
/// machine and the review thresholds. A cancellation needs a reason, from either door.
pub fn set_status(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    to: PoStatus,
    reason: &str,
) -> Result<PurchaseOrder> {
    if to == PoStatus::Cancelled && reason.trim().is_empty() {
        return Err(Error::Invalid("a reason is required to cancel".into()));
    }
    Ok(po::set_status(
        store,
        id,
        to,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{Classify, ErrorKind, FrontDoor};

    #[test]
    fn a_po_is_never_cancelled_without_a_reason() {
        let mut store = Store::in_memory().unwrap();
        let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
        let e = set_status(&mut store, &stamp, 1, PoStatus::Cancelled, "  ").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert_eq!(e.to_string(), "a reason is required to cancel");
        assert!(store
            .read()
            .audit_entries(&forestock_core::AuditFilter::default())
            .unwrap()
            .is_empty());
    }
}
