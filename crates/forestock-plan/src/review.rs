//! Planner review of the latest plan: the grid, overrides with reasons, locks, approve/reject,
//! undo. Every edit is one transaction that also writes the audit log (before/after, reason)
//! and the undo journal.

use crate::sql;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{NewAuditEntry, Reader, Store, Writer};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

use crate::error::{Error, Result};
use crate::line::Recommendation;
use crate::material::Basis;
use crate::plan::{approval_reasons, latest_plan_run};
use crate::settings::load_settings;

/// A line of the latest plan: `(variant_id, location_id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "LineRef"))]
pub struct LineKey {
    pub variant_id: i64,
    pub location_id: i64,
}

/// Review state of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum LineStatus {
    Proposed,
    Approved,
    Rejected,
    Ordered,
}

impl LineStatus {
    fn as_str(self) -> &'static str {
        match self {
            LineStatus::Proposed => "proposed",
            LineStatus::Approved => "approved",
            LineStatus::Rejected => "rejected",
            LineStatus::Ordered => "ordered",
        }
    }
    fn parse(s: &str) -> Result<LineStatus> {
        Ok(match s {
            "proposed" => LineStatus::Proposed,
            "approved" => LineStatus::Approved,
            "rejected" => LineStatus::Rejected,
            "ordered" => LineStatus::Ordered,
            other => {
                return Err(Error::State(format!(
                    "unknown plan line status {other:?} stored (known: proposed, approved, \
                     rejected, ordered)"
                )))
            }
        })
    }
}

/// What the planner grid flags on a line, computed here once (the app's grid and Overview
/// count these; the UI never re-derives them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LineFlag {
    /// The final quantity is past the review thresholds: approving needs a reason.
    NeedsApproval,
    /// [`Recommendation::at_stockout_risk`].
    StockoutRisk,
    /// Stock above what the policy needs ([`Recommendation::excess_units`] > 0).
    Excess,
    /// The SKU (or SKU×location) is locked against edits.
    Locked,
    /// Demand to order but no supplier linked ([`Recommendation::unsupplied_need`] > 0).
    NeedsSupplier,
}

impl LineFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            LineFlag::NeedsApproval => "needs_approval",
            LineFlag::StockoutRisk => "stockout_risk",
            LineFlag::Excess => "excess",
            LineFlag::Locked => "locked",
            LineFlag::NeedsSupplier => "needs_supplier",
        }
    }

    /// The words a planner reads.
    pub fn label(self) -> &'static str {
        match self {
            LineFlag::NeedsApproval => "needs approval",
            LineFlag::StockoutRisk => "stockout risk",
            LineFlag::Excess => "excess",
            LineFlag::Locked => "locked",
            LineFlag::NeedsSupplier => "needs a supplier",
        }
    }

    /// The flags of one line planned on `today`, in display order.
    pub fn of(
        rec: &Recommendation,
        needs_approval: bool,
        locked: bool,
        today: NaiveDate,
    ) -> Vec<LineFlag> {
        let mut out = Vec::new();
        if needs_approval {
            out.push(LineFlag::NeedsApproval);
        }
        if rec.at_stockout_risk(today) {
            out.push(LineFlag::StockoutRisk);
        }
        if rec.excess_units > 0.0 {
            out.push(LineFlag::Excess);
        }
        if locked {
            out.push(LineFlag::Locked);
        }
        if rec.unsupplied_need() > 0 {
            out.push(LineFlag::NeedsSupplier);
        }
        out
    }
}

/// One row of the review grid: the recommendation plus the planner's decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    pub run_id: i64,
    #[serde(flatten)]
    pub rec: Recommendation,
    pub override_qty: Option<i64>,
    pub override_reason: Option<String>,
    /// The quantity that will be ordered: the override if any, else the recommendation.
    pub final_qty: i64,
    pub status: LineStatus,
    pub needs_approval: bool,
    pub locked: bool,
    /// What the grid flags on this line ([`LineFlag::of`]).
    pub flags: Vec<LineFlag>,
}

/// Grid filter; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GridFilter {
    pub sku: Option<String>,
    /// One SKU by its id (read through the plan lines' key, not by parsing every line).
    pub variant_id: Option<i64>,
    pub location_id: Option<i64>,
    pub supplier_id: Option<i64>,
    /// Only lines with something to order.
    pub to_order_only: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EditState {
    override_qty: Option<i64>,
    override_reason: Option<String>,
    status: String,
    #[serde(default)]
    needs_approval: bool,
}

/// Locked `(variant_id, location_id)`; location 0 = every location.
pub fn locks(r: &Reader<'_>) -> Result<HashSet<(i64, i64)>> {
    let mut st = r.conn().prepare(sql::LOCKS_SELECT_PLAN_LOCKS)?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn require_run(store: &Store) -> Result<i64> {
    latest_plan_run(store)?
        .ok_or_else(|| Error::Empty("no plan yet: run `forestock plan` first".into()))
}

/// The review grid of the latest plan run, sorted by SKU then location.
pub fn recommendations(store: &Store, filter: &GridFilter) -> Result<Vec<GridRow>> {
    let run = require_run(store)?;
    let r = store.read();
    let locked = locks(&r)?;
    let mut st = r.conn().prepare(sql::RECOMMENDATIONS_SELECT_PLAN_LINES)?;
    let mut rows = st.query(params![
        run,
        filter.location_id,
        filter.supplier_id,
        filter.variant_id
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let rec: Recommendation = serde_json::from_str(&row.get::<_, String>(0)?)?;
        if filter.sku.as_deref().is_some_and(|s| s != rec.sku) {
            continue;
        }
        let override_qty: Option<i64> = row.get(1)?;
        let final_qty = override_qty.unwrap_or(rec.recommended_qty);
        if filter.to_order_only && final_qty == 0 {
            continue;
        }
        let is_locked = locked.contains(&(rec.variant_id, 0))
            || locked.contains(&(rec.variant_id, rec.location_id));
        let needs_approval: bool = row.get(4)?;
        let today: NaiveDate = row.get(5)?;
        out.push(GridRow {
            run_id: run,
            locked: is_locked,
            override_qty,
            override_reason: row.get(2)?,
            final_qty,
            status: LineStatus::parse(&row.get::<_, String>(3)?)?,
            needs_approval,
            flags: LineFlag::of(&rec, needs_approval, is_locked, today),
            rec,
        });
    }
    out.sort_by(|a, b| {
        a.rec
            .sku
            .cmp(&b.rec.sku)
            .then(a.rec.location.cmp(&b.rec.location))
    });
    Ok(out)
}

/// A text that changes whenever the review grid of the latest plan could: a new run, an audited
/// edit, a lock, an undo, a line's quantity, reason or status. `None` without a plan. Read models
/// built from [`recommendations`] can be kept while it stays the same.
pub fn grid_version(store: &Store) -> Result<Option<String>> {
    let Some(run) = latest_plan_run(store)? else {
        return Ok(None);
    };
    let r = store.read();
    let v: String = r
        .conn()
        .query_row(sql::GRID_VERSION_SELECT, [run], |row| row.get(0))?;
    Ok(Some(format!("{run}/{v}")))
}

/// One line of the latest plan.
pub fn line(store: &Store, key: LineKey) -> Result<GridRow> {
    let run = require_run(store)?;
    let rows = recommendations(
        store,
        &GridFilter {
            variant_id: Some(key.variant_id),
            location_id: Some(key.location_id),
            ..GridFilter::default()
        },
    )?;
    rows.into_iter()
        .find(|g| g.rec.variant_id == key.variant_id && g.rec.location_id == key.location_id)
        .ok_or_else(|| {
            Error::not_found(
                "plan line",
                format!(
                    "variant {} at location {} in plan {run}",
                    key.variant_id, key.location_id
                ),
            )
        })
}

fn state(w: &Writer<'_>, run: i64, key: LineKey) -> Result<EditState> {
    w.tx()
        .query_row(
            sql::STATE_SELECT_PLAN_LINES,
            params![run, key.variant_id, key.location_id],
            |r| {
                Ok(EditState {
                    override_qty: r.get(0)?,
                    override_reason: r.get(1)?,
                    status: r.get(2)?,
                    needs_approval: r.get(3)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| {
            Error::not_found(
                "plan line",
                format!("variant {} at location {}", key.variant_id, key.location_id),
            )
        })
}

#[allow(clippy::too_many_arguments)]
fn apply_edit(
    w: &Writer<'_>,
    run: i64,
    key: LineKey,
    before: &EditState,
    after: &EditState,
    action: &str,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
    journal: Option<i64>,
) -> Result<()> {
    w.tx().execute(
        sql::APPLY_EDIT_UPDATE_PLAN_LINES,
        params![
            run,
            key.variant_id,
            key.location_id,
            after.override_qty,
            after.override_reason,
            after.status,
            after.needs_approval
        ],
    )?;
    if let Some(batch) = journal {
        w.tx().execute(
            sql::APPLY_EDIT_INSERT_PLAN_EDITS,
            params![
                run,
                key.variant_id,
                key.location_id,
                serde_json::to_string(before)?,
                serde_json::to_string(after)?,
                now,
                batch
            ],
        )?;
    }
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: action.into(),
        entity: "plan_line".into(),
        entity_id: format!("{run}:{}:{}", key.variant_id, key.location_id),
        before: Some(serde_json::to_value(before)?),
        after: Some(serde_json::to_value(after)?),
        reason: reason.into(),
    })?;
    Ok(())
}

/// Override a line's quantity (a reason is required). The line returns to `proposed` and is
/// flagged for approval when the change exceeds the configured percent or value thresholds.
pub fn override_qty(
    store: &mut Store,
    key: LineKey,
    qty: i64,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<GridRow> {
    if qty < 0 {
        return Err(Error::invalid(
            "override",
            format!("quantity must be 0 or more (got {qty})"),
        ));
    }
    if reason.trim().is_empty() {
        return Err(Error::invalid("override", "a reason is required"));
    }
    let current = line(store, key)?;
    if current.status == LineStatus::Ordered {
        return Err(Error::State(
            "the line is already on a purchase order".into(),
        ));
    }
    let rec = &current.rec;
    if qty > 0 && rec.supplier_id.is_some() {
        // Honour the supplier's ordering rules; tell the planner rather than silently rounding.
        let inputs_case = line_case_pack(store, current.run_id, key)?;
        if let Some((case, moq)) = inputs_case {
            if qty % case != 0 || qty < moq {
                return Err(Error::invalid(
                    "override",
                    format!(
                        "{qty} is not a whole number of cases of {case} at least the MOQ {moq}"
                    ),
                ));
            }
        }
    }
    let settings = load_settings(&store.read())?;
    let rates = crate::money::Rates::load(&store.read())?;
    let needs = !approval_reasons(rec, qty, &settings, &rates).is_empty();
    let run = current.run_id;
    let w = store.write()?;
    let before = state(&w, run, key)?;
    let after = EditState {
        override_qty: Some(qty),
        override_reason: Some(reason.trim().to_string()),
        status: "proposed".into(),
        needs_approval: needs,
    };
    apply_edit(
        &w,
        run,
        key,
        &before,
        &after,
        "plan.override",
        reason,
        actor,
        now,
        Some(next_batch(&w)?),
    )?;
    // The figures this override is decided on: a re-plan keeps it unless they move
    // materially (crate::material).
    let today: NaiveDate =
        w.tx()
            .query_row(sql::DRAFT_FROM_PLAN_SELECT_PLAN_LINES, [run], |r| r.get(0))?;
    w.tx().execute(
        sql::OVERRIDE_BASIS_UPDATE_PLAN_LINES,
        params![
            run,
            key.variant_id,
            key.location_id,
            serde_json::to_string(&Basis::of(rec, today))?
        ],
    )?;
    w.commit()?;
    line(store, key)
}

/// `(variant, location)` to the first forecast day and the expected units per day.
pub type LineForecasts = HashMap<(i64, i64), (NaiveDate, Vec<f64>)>;

/// Each line's daily forecast in the latest plan: `(variant, location)` to the first forecast
/// day (the day after the planning date) and the expected units per day over the horizon, as
/// the plan used them. `None` before the first plan. One statement for the whole plan.
pub fn latest_forecasts(store: &Store) -> Result<Option<LineForecasts>> {
    let Some(run) = latest_plan_run(store)? else {
        return Ok(None);
    };
    let r = store.read();
    let mut st = r.conn().prepare(sql::LATEST_FORECASTS_SELECT_PLAN_LINES)?;
    let mut rows = st.query([run])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let today: NaiveDate = row.get(2)?;
        let forecast: String = row.get(3)?;
        let forecast: Vec<f64> = serde_json::from_str(&forecast)?;
        out.insert(
            (row.get(0)?, row.get(1)?),
            (today + chrono::Days::new(1), forecast),
        );
    }
    Ok(Some(out))
}

fn line_case_pack(store: &Store, run: i64, key: LineKey) -> Result<Option<(i64, i64)>> {
    let inputs: String = store.read().conn().query_row(
        sql::LINE_CASE_PACK_SELECT_PLAN_LINES,
        params![run, key.variant_id, key.location_id],
        |r| r.get(0),
    )?;
    let inp: crate::line::LineInputs = serde_json::from_str(&inputs)?;
    Ok(Some((inp.rules.case_pack, inp.rules.moq)))
}

/// Approve or reject lines (one transaction; a reason is required to reject).
pub fn decide(
    store: &mut Store,
    keys: &[LineKey],
    approve: bool,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    if !approve && reason.trim().is_empty() {
        return Err(Error::invalid("rejection", "a reason is required"));
    }
    let run = require_run(store)?;
    let w = store.write()?;
    let batch = next_batch(&w)?;
    for &key in keys {
        let before = state(&w, run, key)?;
        if before.status == "ordered" {
            return Err(Error::State(format!(
                "variant {} at location {} is already on a purchase order",
                key.variant_id, key.location_id
            )));
        }
        let after = EditState {
            status: if approve { "approved" } else { "rejected" }.into(),
            ..before.clone()
        };
        let action = if approve {
            "plan.approve"
        } else {
            "plan.reject"
        };
        apply_edit(
            &w,
            run,
            key,
            &before,
            &after,
            action,
            reason,
            actor,
            now,
            Some(batch),
        )?;
    }
    w.commit()?;
    Ok(keys.len())
}

/// Approve every line with something to order that does not need explicit approval, as one
/// action; returns how many lines were approved ([`crate::bulk`] gives the summary first).
pub fn approve_within_thresholds(
    store: &mut Store,
    actor: &str,
    now: NaiveDateTime,
) -> Result<usize> {
    Ok(crate::bulk::approve_within_thresholds(store, actor, now)?.lines)
}

/// Lock a SKU (at one location, or everywhere with `None`): re-plans keep its quantity.
pub fn lock(
    store: &mut Store,
    variant_id: i64,
    location_id: Option<i64>,
    reason: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(Error::invalid("lock", "a reason is required"));
    }
    let w = store.write()?;
    let exists: Option<i64> = w
        .tx()
        .query_row(sql::LOCK_SELECT_VARIANTS, [variant_id], |r| r.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(Error::not_found("SKU", variant_id));
    }
    w.tx().execute(
        sql::LOCK_INSERT_PLAN_LOCKS,
        params![variant_id, location_id.unwrap_or(0), reason, now],
    )?;
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: "plan.lock".into(),
        entity: "sku".into(),
        entity_id: variant_id.to_string(),
        before: None,
        after: Some(serde_json::json!({ "location_id": location_id })),
        reason: reason.into(),
    })?;
    w.commit()?;
    Ok(())
}

/// Remove a lock.
pub fn unlock(
    store: &mut Store,
    variant_id: i64,
    location_id: Option<i64>,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let w = store.write()?;
    let n = w.tx().execute(
        sql::UNLOCK_DELETE_PLAN_LOCKS,
        params![variant_id, location_id.unwrap_or(0)],
    )?;
    if n == 0 {
        return Err(Error::not_found("lock", variant_id));
    }
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: "plan.unlock".into(),
        entity: "sku".into(),
        entity_id: variant_id.to_string(),
        before: Some(serde_json::json!({ "location_id": location_id })),
        after: None,
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(())
}

/// The batch number of a new action: every line it edits is undone together.
fn next_batch(w: &Writer<'_>) -> Result<i64> {
    Ok(w.tx()
        .query_row(sql::NEXT_BATCH_SELECT_PLAN_EDITS, [], |r| r.get(0))?)
}

/// The last action of the latest plan that undo would take back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LastAction {
    /// Lines the action changed (an approve-all is one action over many lines).
    pub lines: usize,
    pub at: NaiveDateTime,
}

/// The last action not yet undone, if any.
pub fn last_action(store: &Store) -> Result<Option<LastAction>> {
    let Some(run) = latest_plan_run(store)? else {
        return Ok(None);
    };
    Ok(store
        .read()
        .conn()
        .query_row(sql::LAST_ACTION_SELECT_PLAN_EDITS, [run], |r| {
            Ok(LastAction {
                lines: usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                at: r.get(2)?,
            })
        })
        .optional()?)
}

/// Undo the last `n` actions of the latest plan (newest first; an action that changed many
/// lines, e.g. approve all within thresholds, is undone whole). Returns how many lines were
/// restored.
pub fn undo(store: &mut Store, n: usize, actor: &str, now: NaiveDateTime) -> Result<usize> {
    let run = require_run(store)?;
    let w = store.write()?;
    let edits: Vec<(i64, i64, i64, String, String)> = {
        let mut st = w.tx().prepare(sql::UNDO_SELECT_PLAN_EDITS)?;
        let rows = st.query_map(params![run, i64::try_from(n).unwrap_or(i64::MAX)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, v, l, before, _after) in &edits {
        let key = LineKey {
            variant_id: *v,
            location_id: *l,
        };
        let target: EditState = serde_json::from_str(before)?;
        let current = state(&w, run, key)?;
        if current.status == "ordered" {
            return Err(Error::State(
                "cannot undo: the line is already on a purchase order".into(),
            ));
        }
        apply_edit(
            &w,
            run,
            key,
            &current,
            &target,
            "plan.undo",
            "undo",
            actor,
            now,
            None,
        )?;
        w.tx().execute(sql::UNDO_UPDATE_PLAN_EDITS, [id])?;
    }
    w.commit()?;
    Ok(edits.len())
}

/// Transfers proposed by the latest plan.
pub fn transfers(store: &Store) -> Result<Vec<crate::plan::Transfer>> {
    let run = require_run(store)?;
    let mut st = store
        .read()
        .conn()
        .prepare(sql::TRANSFERS_SELECT_PLAN_TRANSFERS)?;
    let rows = st.query_map([run], |r| {
        Ok(crate::plan::Transfer {
            variant_id: r.get(0)?,
            sku: r.get(1)?,
            from_location_id: r.get(2)?,
            to_location_id: r.get(3)?,
            quantity: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl LineStatus {
    /// Parse the stored text form.
    pub fn parse_stored(s: &str) -> Result<LineStatus> {
        LineStatus::parse(s)
    }

    /// Text form as stored.
    pub fn text(self) -> &'static str {
        self.as_str()
    }
}
