//! The exceptions screen and `forestock alerts`: the ranked alerts, filtered, and what a
//! planner does from the list (approve the line, snooze with a reason until a date, dismiss with
//! a reason). Each action is audited once, in the library, with the stamp.

use crate::{AuditStamp, Error, Result};
use chrono::NaiveDate;
use forestock_core::Store;
use forestock_plan::exceptions::{self, ExceptionFilter, ExceptionList, Mute, MuteAction};
use forestock_plan::review::{self, LineKey};

/// The exceptions of the latest plan on the stamp's date (snoozes end on it), filtered.
pub fn list(store: &Store, stamp: &AuditStamp, filter: &ExceptionFilter) -> Result<ExceptionList> {
    exceptions::exceptions(store, filter, stamp.at.date())?.ok_or_else(|| {
        Error::Invalid("no alerts yet: run `forestock plan` (the app: Sync & run) first".into())
    })
}

/// Hide alert `alert_id` until `until` (after today), with a reason.
pub fn snooze(
    store: &mut Store,
    stamp: &AuditStamp,
    alert_id: i64,
    until: NaiveDate,
    reason: &str,
) -> Result<Mute> {
    Ok(exceptions::mute(
        store,
        alert_id,
        MuteAction::Snooze,
        Some(until),
        reason,
        stamp.at.date(),
        &stamp.actor,
        stamp.at,
    )?)
}

/// Hide alert `alert_id` until its inputs change, with a reason.
pub fn dismiss(store: &mut Store, stamp: &AuditStamp, alert_id: i64, reason: &str) -> Result<Mute> {
    Ok(exceptions::mute(
        store,
        alert_id,
        MuteAction::Dismiss,
        None,
        reason,
        stamp.at.date(),
        &stamp.actor,
        stamp.at,
    )?)
}

/// Bring back a snoozed or dismissed alert (audited); returns the snooze or dismissal lifted.
pub fn unmute(store: &mut Store, stamp: &AuditStamp, alert_id: i64) -> Result<Mute> {
    Ok(exceptions::unmute(
        store,
        alert_id,
        stamp.at.date(),
        &stamp.actor,
        stamp.at,
    )?)
}

/// Approve the plan line alert `alert_id` is about (an alert about a PO or several SKUs has
/// no single line: refused, naming why).
pub fn approve_line(store: &mut Store, stamp: &AuditStamp, alert_id: i64) -> Result<usize> {
    let list = list(
        store,
        stamp,
        &ExceptionFilter {
            include_muted: true,
            ..ExceptionFilter::default()
        },
    )?;
    let e = list
        .exceptions
        .iter()
        .find(|e| e.alert.id == alert_id)
        .ok_or_else(|| Error::NotFound(format!("alert {alert_id} is not in the latest alerts")))?;
    let (Some(variant_id), Some(location_id)) =
        (e.alert.alert.variant_id, e.alert.alert.location_id)
    else {
        return Err(Error::Invalid(format!(
            "alert {alert_id} ({}) is not about one plan line: open it instead",
            e.kind_label
        )));
    };
    Ok(review::decide(
        store,
        &[LineKey {
            variant_id,
            location_id,
        }],
        true,
        "",
        &stamp.actor,
        stamp.at,
    )?)
}
