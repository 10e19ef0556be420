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

/// Unlock lines (each SKU at its location): the next plan recommends their quantity again.
/// Each unlock is audited; a line that is not locked there is refused, naming it, and the lines
/// before it stay unlocked. Returns how many were unlocked.
pub fn unlock_lines(store: &mut Store, stamp: &AuditStamp, lines: &[(i64, i64)]) -> Result<usize> {
    for &(variant_id, location_id) in lines {
        unlock(store, stamp, variant_id, Some(location_id)).map_err(|e| match e {
            Error::Plan(forestock_plan::Error::NotFound { .. }) => {
                let r = store.read();
                let sku = r
                    .skus()
                    .ok()
                    .and_then(|s| s.into_iter().find(|s| s.id == variant_id))
                    .map_or_else(|| format!("#{variant_id}"), |s| s.sku);
                let loc = r
                    .locations()
                    .ok()
                    .and_then(|l| l.into_iter().find(|l| l.id == location_id))
                    .map_or_else(|| format!("#{location_id}"), |l| l.code);
                Error::NotFound(format!("{sku} at {loc} is not locked"))
            }
            other => other,
        })?;
    }
    Ok(lines.len())
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{AuditFilter, Classify, ErrorKind, FrontDoor};
    use forestock_plan::review::{recommendations, GridFilter};

    /// Issue 15: a line locked in the grid can be unlocked from the app; the unlock is audited
    /// and the grid no longer flags it; a line that is not locked is refused by name.
    #[test]
    fn a_locked_line_is_unlocked_and_audited_and_an_unlocked_one_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 6,
            days: 120,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let mut store = Store::open(&path).unwrap();
        let stamp = AuditStamp::at(
            FrontDoor::App,
            Some("ana"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        crate::plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
        let rows = recommendations(&store, &GridFilter::default()).unwrap();
        let (a, b) = (&rows[0].rec, &rows[1].rec);
        lock(
            &mut store,
            &stamp,
            a.variant_id,
            Some(a.location_id),
            "count pending",
        )
        .unwrap();
        let locked = |store: &Store| {
            recommendations(store, &GridFilter::default())
                .unwrap()
                .into_iter()
                .filter(|r| r.locked)
                .count()
        };
        assert_eq!(locked(&store), 1);
        let n = unlock_lines(&mut store, &stamp, &[(a.variant_id, a.location_id)]).unwrap();
        assert_eq!(n, 1);
        assert_eq!(locked(&store), 0);
        let e = unlock_lines(&mut store, &stamp, &[(b.variant_id, b.location_id)]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            format!("{} at {} is not locked", b.sku, b.location)
        );
        let log = store
            .read()
            .audit_entries(&AuditFilter {
                entity: Some("sku".into()),
                ..AuditFilter::default()
            })
            .unwrap();
        let actions: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(
            actions,
            [("plan.unlock", "app:ana"), ("plan.lock", "app:ana")]
        );
    }
}
