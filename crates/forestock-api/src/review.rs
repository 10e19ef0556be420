//! The planner's review of the latest plan (`forestock review …`, the app's planner grid):
//! override a line's quantity with a reason, approve or reject lines, lock SKUs, undo, and the
//! planning settings. Each action is audited once, in the library, with the stamp.

use crate::{AuditStamp, Error, Result};
use forestock_core::Store;
use forestock_plan::bulk;
use forestock_plan::review;
use forestock_plan::settings::{self, PlanSettings};

pub use forestock_plan::bulk::ApprovalPreview;
pub use forestock_plan::review::{GridRow, LastAction, LineKey};

/// The database id of SKU `code`.
pub fn variant_id(store: &Store, code: &str) -> Result<i64> {
    store.read().sku_by_code(code).map(|s| s.id).map_err(|e| {
        if e.is_bad_input() {
            Error::NotFound(format!("SKU {code:?} not found"))
        } else {
            e.into()
        }
    })
}

/// The database id of location `code` (any case); the error lists the known codes.
pub fn location_id(store: &Store, code: &str) -> Result<i64> {
    let locs = store.read().locations()?;
    locs.iter()
        .find(|l| l.code.eq_ignore_ascii_case(code))
        .map(|l| l.id)
        .ok_or_else(|| {
            Error::NotFound(format!(
                "location {code:?} not found (known: {})",
                locs.iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// The plan line of SKU `sku` at location `location` (codes, as a planner types them).
pub fn line_key(store: &Store, sku: &str, location: &str) -> Result<LineKey> {
    Ok(LineKey {
        variant_id: variant_id(store, sku)?,
        location_id: location_id(store, location)?,
    })
}

/// Override a line's quantity (whole cases, at least the MOQ); a reason is required. The
/// line returns to `proposed`, flagged for approval past the review thresholds.
pub fn override_line(
    store: &mut Store,
    stamp: &AuditStamp,
    key: LineKey,
    qty: i64,
    reason: &str,
) -> Result<GridRow> {
    Ok(review::override_qty(
        store,
        key,
        qty,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Approve lines, or reject them (a reason is required to reject); returns how many changed.
pub fn decide(
    store: &mut Store,
    stamp: &AuditStamp,
    keys: &[LineKey],
    approve: bool,
    reason: &str,
) -> Result<usize> {
    Ok(review::decide(
        store,
        keys,
        approve,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// What approving every line within the review thresholds will do (count, units, value per
/// currency, lines left out and why), without changing anything.
pub fn preview_within_thresholds(store: &Store) -> Result<ApprovalPreview> {
    Ok(bulk::preview_within_thresholds(store)?)
}

/// Approve every proposed line within the review thresholds as one action (one undo takes it
/// back); returns the summary of what it did.
pub fn approve_within_thresholds(store: &mut Store, stamp: &AuditStamp) -> Result<ApprovalPreview> {
    Ok(bulk::approve_within_thresholds(
        store,
        &stamp.actor,
        stamp.at,
    )?)
}

/// The action undo would take back next, if any.
pub fn last_action(store: &Store) -> Result<Option<LastAction>> {
    Ok(review::last_action(store)?)
}

/// What "the inputs changed materially" means, in one sentence.
pub fn material_rule() -> String {
    forestock_plan::material::rule()
}

/// Lock a SKU (at one location, or everywhere): re-plans keep its quantity.
pub fn lock(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: Option<i64>,
    reason: &str,
) -> Result<()> {
    Ok(review::lock(
        store,
        variant_id,
        location_id,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Remove a lock.
pub fn unlock(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: Option<i64>,
) -> Result<()> {
    Ok(review::unlock(
        store,
        variant_id,
        location_id,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Undo the last `steps` actions of the latest plan (an approve-all or a selection is one
/// action); returns how many lines were restored.
pub fn undo(store: &mut Store, stamp: &AuditStamp, steps: usize) -> Result<usize> {
    Ok(review::undo(store, steps, &stamp.actor, stamp.at)?)
}

/// Save the planning settings (validated; audited before/after; bad values save nothing)
/// and return them as stored; the next plan reads them.
pub fn save_settings(
    store: &mut Store,
    stamp: &AuditStamp,
    new: &PlanSettings,
) -> Result<PlanSettings> {
    settings::save_settings(store, new, &stamp.actor, stamp.at)?;
    Ok(settings::load_settings(&store.read())?)
}
