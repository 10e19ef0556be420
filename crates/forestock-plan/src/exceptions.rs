//! The exceptions list: the latest ranked alerts with what a planner filters them by (kind,
//! supplier, location, category), minus the alerts the planner snoozed or dismissed.
//!
//! Alerts are rebuilt by every alerts run, so a snooze or dismissal is kept by what the alert
//! is about (kind, SKU, location, reference), not by its row. A muted alert stays hidden until
//! the snooze ends, or until the inputs change: its severity rises, or the line's inputs moved
//! materially since it was muted ([`crate::material`]).

use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{NewAuditEntry, Store};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

use crate::alerts::{latest, AlertKind, AlertStats, Severity, StoredAlert};
use crate::error::{Error, Result};
use crate::material::{material_change, Basis};
use crate::review::LineStatus;
use crate::sql;

/// How an alert is muted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MuteAction {
    /// Hidden until a date.
    Snooze,
    /// Hidden until the inputs change.
    Dismiss,
}

impl MuteAction {
    pub fn as_str(self) -> &'static str {
        match self {
            MuteAction::Snooze => "snooze",
            MuteAction::Dismiss => "dismiss",
        }
    }

    /// What the alert was: `snoozed` or `dismissed`.
    pub fn past(self) -> &'static str {
        match self {
            MuteAction::Snooze => "snoozed",
            MuteAction::Dismiss => "dismissed",
        }
    }
}

/// A snooze or dismissal in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Mute {
    pub id: i64,
    pub action: MuteAction,
    pub until: Option<NaiveDate>,
    pub reason: String,
    pub at: NaiveDateTime,
    pub actor: String,
}

/// Filters of the exceptions list; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
#[serde(default)]
pub struct ExceptionFilter {
    // The CLI's help is given as `help`: a doc comment would also reach the TypeScript.
    #[cfg_attr(feature = "clap", arg(long, value_enum, help = "Only this kind."))]
    pub kind: Option<AlertKind>,
    #[cfg_attr(feature = "clap", arg(long, help = "Only this supplier (name)."))]
    pub supplier: Option<String>,
    #[cfg_attr(feature = "clap", arg(long, help = "Only this location code."))]
    pub location: Option<String>,
    #[cfg_attr(feature = "clap", arg(long, help = "Only this category."))]
    pub category: Option<String>,
    /// Show snoozed and dismissed alerts too (with their mute).
    #[cfg_attr(feature = "clap", arg(long = "muted"))]
    pub include_muted: bool,
}

/// One exception: the alert, what it is filtered by, and the line it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Exception {
    #[serde(flatten)]
    pub alert: StoredAlert,
    pub kind_label: String,
    pub supplier: Option<String>,
    pub category: Option<String>,
    /// The plan line's review state and quantity to order, when the alert is about one line.
    pub line_status: Option<LineStatus>,
    pub line_qty: Option<i64>,
    /// Set when the alert is snoozed or dismissed (only listed with `include_muted`).
    pub muted: Option<Mute>,
}

/// The exceptions list as the app shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExceptionList {
    pub plan_run_id: Option<i64>,
    pub today: Option<NaiveDate>,
    /// Counts of the alerts run (found per kind, kept, per severity).
    pub stats: AlertStats,
    pub exceptions: Vec<Exception>,
    /// Alerts of the run hidden by a snooze or dismissal.
    pub hidden: usize,
    /// What the filters offer (from the whole list, before filtering).
    pub kinds: Vec<AlertKind>,
    pub suppliers: Vec<String>,
    pub locations: Vec<String>,
    pub categories: Vec<String>,
    /// What "the inputs changed materially" means ([`crate::material::rule`]).
    pub material_rule: String,
}

struct LineFacts {
    supplier: Option<String>,
    category: String,
    status: LineStatus,
    qty: i64,
    basis: Basis,
}

struct StoredMute {
    mute: Mute,
    kind: String,
    variant_id: Option<i64>,
    location_id: Option<i64>,
    reference: String,
    severity: Severity,
    basis: Option<Basis>,
}

fn line_facts(store: &Store, plan: i64, alerts_run: i64) -> Result<HashMap<(i64, i64), LineFacts>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::EXCEPTIONS_SELECT_PLAN_LINES)?;
    let mut rows = st.query(params![plan, alerts_run])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        out.insert(
            (row.get(0)?, row.get(1)?),
            LineFacts {
                supplier: row.get(2)?,
                category: row.get(3)?,
                basis: Basis {
                    today: row.get(4)?,
                    protection_demand: row.get(5)?,
                    daily_demand: row.get(6)?,
                    on_hand: row.get(7)?,
                },
                status: LineStatus::parse_stored(&row.get::<_, String>(8)?)?,
                qty: row.get(9)?,
            },
        );
    }
    Ok(out)
}

fn mutes(store: &Store) -> Result<Vec<StoredMute>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::MUTES_SELECT_ALERT_MUTES)?;
    let mut rows = st.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let action = match row.get::<_, String>(5)?.as_str() {
            "snooze" => MuteAction::Snooze,
            _ => MuteAction::Dismiss,
        };
        out.push(StoredMute {
            mute: Mute {
                id: row.get(0)?,
                action,
                until: row.get(6)?,
                reason: row.get(7)?,
                at: row.get(10)?,
                actor: row.get(11)?,
            },
            kind: row.get(1)?,
            variant_id: row.get(2)?,
            location_id: row.get(3)?,
            reference: row.get(4)?,
            severity: Severity::parse(&row.get::<_, String>(8)?)?,
            basis: row
                .get::<_, Option<String>>(9)?
                .map(|b| serde_json::from_str(&b))
                .transpose()?,
        });
    }
    Ok(out)
}

fn same_subject(m: &StoredMute, a: &StoredAlert) -> bool {
    m.kind == a.alert.kind.as_str()
        && m.variant_id == a.alert.variant_id
        && m.location_id == a.alert.location_id
        && m.reference == a.alert.reference
}

/// The mute hiding `a` on `today`, if one is in force: the snooze has not ended, the severity
/// has not risen, and the line's inputs have not moved materially since.
fn muting<'m>(
    mutes: &'m [StoredMute],
    a: &StoredAlert,
    line: Option<&LineFacts>,
    today: NaiveDate,
) -> Option<&'m StoredMute> {
    mutes.iter().rev().find(|m| {
        same_subject(m, a)
            && m.mute.until.is_none_or(|u| today < u)
            && a.alert.severity >= m.severity
            && match (&m.basis, line) {
                (Some(then), Some(l)) => material_change(then, &l.basis).is_none(),
                _ => true,
            }
    })
}

fn po_suppliers(store: &Store, alerts_run: i64) -> Result<HashMap<i64, String>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::EXCEPTIONS_SELECT_PO_SUPPLIERS)?;
    let rows = st.query_map([alerts_run], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The exceptions of the latest alerts run on `today` (the caller's date: snoozes end on it),
/// filtered. `None` before the first plan.
pub fn exceptions(
    store: &Store,
    filter: &ExceptionFilter,
    today: NaiveDate,
) -> Result<Option<ExceptionList>> {
    let Some(list) = latest(store)? else {
        return Ok(None);
    };
    let lines = match list.plan_run_id {
        Some(p) => line_facts(store, p, list.run_id)?,
        None => HashMap::new(),
    };
    let pos = po_suppliers(store, list.run_id)?;
    let mutes = mutes(store)?;
    let (mut kinds, mut suppliers, mut locations, mut categories) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    let mut hidden = 0;
    let mut out = Vec::new();
    for a in list.alerts {
        let line = match (a.alert.variant_id, a.alert.location_id) {
            (Some(v), Some(l)) => lines.get(&(v, l)),
            _ => None,
        };
        let supplier = line
            .and_then(|l| l.supplier.clone())
            .or_else(|| a.alert.po_id.and_then(|p| pos.get(&p).cloned()));
        let category = line.map(|l| l.category.clone());
        kinds.insert(a.alert.kind);
        suppliers.extend(supplier.clone());
        locations.extend(a.alert.location.clone());
        categories.extend(category.clone());
        let muted = muting(&mutes, &a, line, today).map(|m| m.mute.clone());
        if muted.is_some() {
            hidden += 1;
            if !filter.include_muted {
                continue;
            }
        }
        let keep = filter.kind.is_none_or(|k| k == a.alert.kind)
            && filter
                .supplier
                .as_ref()
                .is_none_or(|s| supplier.as_ref() == Some(s))
            && filter
                .location
                .as_ref()
                .is_none_or(|s| a.alert.location.as_ref() == Some(s))
            && filter
                .category
                .as_ref()
                .is_none_or(|s| category.as_ref() == Some(s));
        if !keep {
            continue;
        }
        out.push(Exception {
            kind_label: a.alert.kind.label().to_string(),
            supplier,
            category,
            line_status: line.map(|l| l.status),
            line_qty: line.map(|l| l.qty),
            muted,
            alert: a,
        });
    }
    Ok(Some(ExceptionList {
        plan_run_id: list.plan_run_id,
        today: list.today,
        stats: list.stats,
        exceptions: out,
        hidden,
        kinds: kinds.into_iter().collect(),
        suppliers: suppliers.into_iter().collect(),
        locations: locations.into_iter().collect(),
        categories: categories.into_iter().collect(),
        material_rule: crate::material::rule(),
    }))
}

/// Snooze (until a date after `today`) or dismiss alert `alert_id` of the latest alerts run,
/// with a reason; audited as `alert.snooze` / `alert.dismiss`.
#[allow(clippy::too_many_arguments)]
pub fn mute(
    store: &mut Store,
    alert_id: i64,
    action: MuteAction,
    until: Option<NaiveDate>,
    reason: &str,
    today: NaiveDate,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Mute> {
    if reason.trim().is_empty() {
        return Err(Error::invalid(
            "alert",
            format!(
                "say why the alert is {}d (a reason is required)",
                action.as_str()
            ),
        ));
    }
    let until =
        match (action, until) {
            (MuteAction::Snooze, None) => {
                return Err(Error::invalid("snooze", "give the date the snooze ends"))
            }
            (MuteAction::Snooze, Some(u)) if u <= today => {
                return Err(Error::invalid(
                    "snooze",
                    format!("the snooze must end after today ({today}); got {u}"),
                ))
            }
            (MuteAction::Dismiss, Some(_)) => return Err(Error::invalid(
                "dismiss",
                "a dismissal has no end date (it lasts until the inputs change); snooze instead",
            )),
            (_, u) => u,
        };
    let list =
        latest(store)?.ok_or_else(|| Error::Empty("no alerts yet: run a plan first".into()))?;
    let a = list
        .alerts
        .iter()
        .find(|a| a.id == alert_id)
        .ok_or_else(|| Error::not_found("alert", format!("{alert_id} in the latest alerts")))?;
    let basis = match (list.plan_run_id, a.alert.variant_id, a.alert.location_id) {
        (Some(p), Some(v), Some(l)) => line_facts(store, p, list.run_id)?
            .remove(&(v, l))
            .map(|f| f.basis),
        _ => None,
    };
    let subject = match (&a.alert.sku, &a.alert.location) {
        (Some(s), Some(l)) => format!("{} {s} @ {l}", a.alert.kind.label()),
        _ if !a.alert.reference.is_empty() => {
            format!("{} {}", a.alert.kind.label(), a.alert.reference)
        }
        _ => a.alert.kind.label().to_string(),
    };
    let w = store.write()?;
    w.tx().execute(
        sql::MUTE_INSERT_ALERT_MUTES,
        params![
            a.alert.kind.as_str(),
            a.alert.variant_id,
            a.alert.location_id,
            a.alert.reference,
            action.as_str(),
            until,
            reason.trim(),
            a.alert.severity.as_str(),
            basis.map(|b| serde_json::to_string(&b)).transpose()?,
            now,
            actor,
        ],
    )?;
    let id = w.tx().last_insert_rowid();
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: format!("alert.{}", action.as_str()),
        entity: "alert".into(),
        entity_id: subject,
        before: None,
        after: Some(serde_json::json!({
            "title": a.alert.title, "severity": a.alert.severity, "until": until,
        })),
        reason: reason.trim().into(),
    })?;
    w.commit()?;
    Ok(Mute {
        id,
        action,
        until,
        reason: reason.trim().into(),
        at: now,
        actor: actor.into(),
    })
}

/// Bring back alert `alert_id` of the latest alerts run that is snoozed or dismissed on
/// `today`: its snooze or dismissal (and any earlier one of the same subject) is lifted, so it
/// is listed again; audited as `alert.unsnooze` / `alert.undismiss` with the mute as before.
/// Returns the mute lifted; an alert that is not muted is refused.
pub fn unmute(
    store: &mut Store,
    alert_id: i64,
    today: NaiveDate,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Mute> {
    let list =
        latest(store)?.ok_or_else(|| Error::Empty("no alerts yet: run a plan first".into()))?;
    let a = list
        .alerts
        .iter()
        .find(|a| a.id == alert_id)
        .ok_or_else(|| Error::not_found("alert", format!("{alert_id} in the latest alerts")))?;
    let line = match (list.plan_run_id, a.alert.variant_id, a.alert.location_id) {
        (Some(p), Some(v), Some(l)) => line_facts(store, p, list.run_id)?.remove(&(v, l)),
        _ => None,
    };
    let mutes = mutes(store)?;
    let m = muting(&mutes, a, line.as_ref(), today).ok_or_else(|| {
        Error::State(format!(
            "alert {alert_id} ({}) is neither snoozed nor dismissed",
            a.alert.title
        ))
    })?;
    let undo = match m.mute.action {
        MuteAction::Snooze => "unsnooze",
        MuteAction::Dismiss => "undismiss",
    };
    let subject = match (&a.alert.sku, &a.alert.location) {
        (Some(s), Some(l)) => format!("{} {s} @ {l}", a.alert.kind.label()),
        _ if !a.alert.reference.is_empty() => {
            format!("{} {}", a.alert.kind.label(), a.alert.reference)
        }
        _ => a.alert.kind.label().to_string(),
    };
    let w = store.write()?;
    w.tx().execute(
        sql::UNMUTE_UPDATE_ALERT_MUTES,
        params![
            a.alert.kind.as_str(),
            a.alert.variant_id,
            a.alert.location_id,
            a.alert.reference,
        ],
    )?;
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: format!("alert.{undo}"),
        entity: "alert".into(),
        entity_id: subject,
        before: Some(serde_json::json!({
            "title": a.alert.title, "severity": a.alert.severity, "muted": m.mute.action,
            "until": m.mute.until, "reason": m.mute.reason, "by": m.mute.actor,
        })),
        after: None,
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(m.mute.clone())
}
