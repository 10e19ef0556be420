//! What-if scenarios on the latest plan (`forestock scenario …`, the app's Scenarios page):
//! create with changes, change, apply to the plan, discard. Each is audited once, in the
//! library, with the stamp.

use crate::{AuditStamp, Result};
use forestock_core::Store;
use forestock_plan::scenario::{self, Change, Evaluation, Scenario, Scope};

/// A change as a form sends it: an empty SKU or category means "every line", like an absent
/// one.
fn normalized(change: Change) -> Change {
    let scope = |s: Scope| Scope {
        sku: s.sku.filter(|x| !x.trim().is_empty()),
        category: s.category.filter(|x| !x.trim().is_empty()),
        supplier_id: s.supplier_id,
    };
    match change {
        Change::DemandMultiplier { scope: s, factor } => Change::DemandMultiplier {
            scope: scope(s),
            factor,
        },
        Change::Promotion {
            scope: s,
            start,
            end,
            lift,
        } => Change::Promotion {
            scope: scope(s),
            start,
            end,
            lift,
        },
        Change::ServiceLevel { scope: s, level } => Change::ServiceLevel {
            scope: scope(s),
            level,
        },
        c @ (Change::LeadTime { .. } | Change::SupplierSwitch { .. }) => c,
    }
}

/// Create a draft scenario on the latest plan with its changes (none: an empty draft). The
/// changes are checked against the database before anything is written.
pub fn create(
    store: &mut Store,
    stamp: &AuditStamp,
    name: &str,
    changes: Vec<Change>,
) -> Result<Scenario> {
    let changes: Vec<Change> = changes.into_iter().map(normalized).collect();
    scenario::validate_changes(store, &changes)?;
    let sc = scenario::create(store, name, &stamp.actor, stamp.at)?;
    if changes.is_empty() {
        return Ok(sc);
    }
    set_changes(store, stamp, sc.id, changes)
}

/// Replace a draft scenario's changes (validated; nothing saved on error).
pub fn set_changes(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
    changes: Vec<Change>,
) -> Result<Scenario> {
    let changes = changes.into_iter().map(normalized).collect();
    Ok(scenario::set_changes(
        store,
        id,
        changes,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Write a scenario's recomputed lines into the plan; returns its evaluation.
pub fn apply(store: &mut Store, stamp: &AuditStamp, id: i64) -> Result<Evaluation> {
    Ok(scenario::apply(store, id, &stamp.actor, stamp.at)?)
}

/// Discard a draft scenario; the plan is not touched.
pub fn discard(store: &mut Store, stamp: &AuditStamp, id: i64) -> Result<()> {
    Ok(scenario::discard(store, id, &stamp.actor, stamp.at)?)
}
