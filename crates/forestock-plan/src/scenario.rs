//! What-if scenarios: named overlays on the latest plan. A scenario stores only its changes;
//! evaluating it recomputes only the lines the changes touch (from the inputs stored with each
//! line, without re-forecasting); applying it writes those lines into the plan; discarding it
//! leaves the plan untouched.

use crate::sql;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{NewAuditEntry, Store};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::line::{compute_line, LineInputs, Recommendation};
use crate::plan::latest_plan_run;
use crate::policy::{check_service_level, LeadTime, LeadTimeSource};
use crate::settings::load_settings;

/// Which lines a change applies to; every given field must match (none = all lines).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    pub sku: Option<String>,
    pub category: Option<String>,
    pub supplier_id: Option<i64>,
}

impl Scope {
    fn matches(&self, i: &LineInputs) -> bool {
        self.sku.as_deref().is_none_or(|s| s == i.sku)
            && self.category.as_deref().is_none_or(|c| c == i.category)
            && self.supplier_id.is_none_or(|s| Some(s) == i.supplier_id)
    }
}

/// One change of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Multiply forecast demand.
    DemandMultiplier { scope: Scope, factor: f64 },
    /// A planned promotion: demand × (1 + lift) between two dates.
    Promotion {
        scope: Scope,
        start: NaiveDate,
        end: NaiveDate,
        lift: f64,
    },
    /// A supplier's lead time changes.
    LeadTime {
        supplier_id: i64,
        mean_days: f64,
        sd_days: f64,
    },
    /// Another target service level.
    ServiceLevel { scope: Scope, level: f64 },
    /// Buy a SKU from another supplier (its lead time, pack sizes and currency).
    SupplierSwitch { sku: String, supplier_id: i64 },
}

/// Where a scenario is: editable draft, or applied to the plan / discarded (both final).
/// Stored as this snake_case text in `scenarios.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ScenarioStatus {
    Draft,
    Applied,
    Discarded,
}

impl ScenarioStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ScenarioStatus::Draft => "draft",
            ScenarioStatus::Applied => "applied",
            ScenarioStatus::Discarded => "discarded",
        }
    }
}

impl std::fmt::Display for ScenarioStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for ScenarioStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl rusqlite::types::ToSql for ScenarioStatus {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for ScenarioStatus {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = value.as_str()?;
        [
            ScenarioStatus::Draft,
            ScenarioStatus::Applied,
            ScenarioStatus::Discarded,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(
                format!("unknown scenario status {s:?} in the database").into(),
            )
        })
    }
}

/// A scenario as the app lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: i64,
    pub name: String,
    pub status: ScenarioStatus,
    pub base_run_id: Option<i64>,
    pub changes: Vec<Change>,
}

/// Totals of a plan or scenario, for side-by-side comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "TotalsView"))]
pub struct Totals {
    pub name: String,
    /// Order value per currency (never added across currencies).
    pub order_value: Vec<crate::money::Money>,
    /// Demand-weighted expected fill rate.
    pub expected_fill_rate: f64,
    /// Position after ordering, valued at cost, per currency.
    pub capital_tied_up: Vec<crate::money::Money>,
    /// Lines projected to run out within their lead time.
    pub stockout_risk_lines: usize,
    pub lines_changed: usize,
}

/// `today` is the plan's date (none when the plan has no lines).
fn totals(
    name: &str,
    recs: &[Recommendation],
    changed: usize,
    today: Option<chrono::NaiveDate>,
) -> Totals {
    let demand: f64 = recs.iter().map(|r| r.protection_demand).sum();
    Totals {
        name: name.into(),
        order_value: crate::money::per_currency(
            recs.iter()
                .filter(|r| r.recommended_qty > 0)
                .map(|r| (r.currency.clone(), r.order_value)),
        ),
        expected_fill_rate: if demand > 0.0 {
            recs.iter()
                .map(|r| r.expected_fill_rate * r.protection_demand)
                .sum::<f64>()
                / demand
        } else {
            1.0
        },
        capital_tied_up: crate::money::per_currency(recs.iter().map(|r| {
            (
                r.currency.clone(),
                (r.inventory_position.max(0) + r.recommended_qty) as f64 * r.unit_cost,
            )
        })),
        stockout_risk_lines: today
            .map_or(0, |t| recs.iter().filter(|r| r.at_stockout_risk(t)).count()),
        lines_changed: changed,
    }
}

pub(crate) fn load_lines(store: &Store, run: i64) -> Result<Vec<(LineInputs, Recommendation)>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::LOAD_LINES_SELECT_PLAN_LINES)?;
    let mut rows = st.query([run])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push((
            serde_json::from_str(&row.get::<_, String>(0)?)?,
            serde_json::from_str(&row.get::<_, String>(1)?)?,
        ));
    }
    Ok(out)
}

/// Check changes against the database: SKUs and suppliers exist, values in range.
pub fn validate_changes(store: &Store, changes: &[Change]) -> Result<()> {
    let r = store.read();
    let sku_exists = |s: &str| -> Result<()> {
        let found: Option<i64> = r
            .conn()
            .query_row(sql::VALIDATE_CHANGES_SELECT_VARIANTS, [s], |r| r.get(0))
            .optional()?;
        found.map(|_| ()).ok_or_else(|| Error::not_found("SKU", s))
    };
    let supplier_exists = |id: i64| -> Result<()> {
        let found: Option<i64> = r
            .conn()
            .query_row(sql::VALIDATE_CHANGES_SELECT_SUPPLIERS, [id], |r| r.get(0))
            .optional()?;
        found
            .map(|_| ())
            .ok_or_else(|| Error::not_found("supplier", id))
    };
    let scope_ok = |s: &Scope| -> Result<()> {
        if let Some(sku) = &s.sku {
            sku_exists(sku)?;
        }
        if let Some(id) = s.supplier_id {
            supplier_exists(id)?;
        }
        Ok(())
    };
    for c in changes {
        match c {
            Change::DemandMultiplier { scope, factor } => {
                scope_ok(scope)?;
                if !(factor.is_finite() && *factor >= 0.0) {
                    return Err(Error::invalid(
                        "demand multiplier",
                        format!("must be 0 or more (got {factor})"),
                    ));
                }
            }
            Change::Promotion {
                scope,
                start,
                end,
                lift,
            } => {
                scope_ok(scope)?;
                if end < start {
                    return Err(Error::invalid(
                        "promotion",
                        format!("ends {end} before it starts {start}"),
                    ));
                }
                if !(lift.is_finite() && *lift > -1.0) {
                    return Err(Error::invalid(
                        "promotion",
                        format!("lift must be more than -100% (got {lift})"),
                    ));
                }
            }
            Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } => {
                supplier_exists(*supplier_id)?;
                LeadTime {
                    mean_days: *mean_days,
                    sd_days: *sd_days,
                    source: LeadTimeSource::Given,
                }
                .validate()?;
            }
            Change::ServiceLevel { scope, level } => {
                scope_ok(scope)?;
                check_service_level(*level)?;
            }
            Change::SupplierSwitch { sku, supplier_id } => {
                sku_exists(sku)?;
                supplier_exists(*supplier_id)?;
            }
        }
    }
    Ok(())
}

/// Apply a scenario's changes to one line's inputs; true when anything changed.
fn overlay(
    inp: &mut LineInputs,
    changes: &[Change],
    suppliers: &[forestock_core::Supplier],
) -> bool {
    let mut touched = false;
    for c in changes {
        match c {
            Change::DemandMultiplier { scope, factor } if scope.matches(inp) => {
                inp.forecast.iter_mut().for_each(|m| *m *= factor);
                touched = true;
            }
            Change::Promotion {
                scope,
                start,
                end,
                lift,
            } if scope.matches(inp) => {
                for (d, m) in inp.forecast.iter_mut().enumerate() {
                    let date = inp.today + chrono::Days::new(d as u64 + 1);
                    if date >= *start && date <= *end {
                        *m *= 1.0 + lift;
                        touched = true;
                    }
                }
            }
            Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } if inp.supplier_id == Some(*supplier_id) => {
                inp.lead_time = LeadTime {
                    mean_days: *mean_days,
                    sd_days: *sd_days,
                    source: LeadTimeSource::Given,
                };
                touched = true;
            }
            Change::ServiceLevel { scope, level } if scope.matches(inp) => {
                inp.service_level = *level;
                touched = true;
            }
            Change::SupplierSwitch { sku, supplier_id } if *sku == inp.sku => {
                if let Some(s) = suppliers.iter().find(|s| s.id == *supplier_id) {
                    inp.supplier_id = Some(s.id);
                    inp.supplier = Some(s.name.clone());
                    inp.currency = s.currency.clone();
                    inp.lead_time = LeadTime {
                        mean_days: s.lead_time_mean_days,
                        sd_days: s.lead_time_sd_days,
                        source: LeadTimeSource::Supplier,
                    };
                    inp.rules.case_pack = s.case_pack;
                    inp.rules.moq = s.moq;
                    inp.rules.price_breaks = s.price_breaks.clone();
                    touched = true;
                }
            }
            _ => {}
        }
    }
    touched
}

fn audit(
    w: &forestock_core::Writer<'_>,
    action: &str,
    id: i64,
    after: serde_json::Value,
    actor: &str,
    now: NaiveDateTime,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: now,
        actor: actor.into(),
        action: action.into(),
        entity: "scenario".into(),
        entity_id: id.to_string(),
        before: None,
        after: Some(after),
        reason: String::new(),
    })?;
    Ok(())
}

/// Create an empty draft scenario on the latest plan.
pub fn create(store: &mut Store, name: &str, actor: &str, now: NaiveDateTime) -> Result<Scenario> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid("scenario", "a name is required"));
    }
    let base = latest_plan_run(store)?
        .ok_or_else(|| Error::Empty("no plan yet: run `forestock plan` first".into()))?;
    let w = store.write()?;
    let dup: Option<i64> = w
        .tx()
        .query_row(sql::CREATE_SELECT_SCENARIOS, [name], |r| r.get(0))
        .optional()?;
    if dup.is_some() {
        return Err(Error::invalid(
            "scenario",
            format!("a draft named {name:?} already exists"),
        ));
    }
    w.tx()
        .execute(sql::CREATE_INSERT_SCENARIOS, params![name, base, now])?;
    let id = w.tx().last_insert_rowid();
    audit(
        &w,
        "scenario.create",
        id,
        serde_json::json!({"name": name}),
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// One scenario.
pub fn get(store: &Store, id: i64) -> Result<Scenario> {
    store
        .read()
        .conn()
        .query_row(sql::GET_SELECT_SCENARIOS, [id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("scenario", id))
        .and_then(|(id, name, status, base_run_id, changes)| {
            Ok(Scenario {
                id,
                name,
                status,
                base_run_id,
                changes: serde_json::from_str(&changes)?,
            })
        })
}

/// Every scenario, newest first.
pub fn list(store: &Store) -> Result<Vec<Scenario>> {
    let ids: Vec<i64> = {
        let r = store.read();
        let mut st = r.conn().prepare(sql::LIST_SELECT_SCENARIOS)?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.into_iter().map(|id| get(store, id)).collect()
}

/// Replace a draft scenario's changes (validated first; nothing saved on error).
pub fn set_changes(
    store: &mut Store,
    id: i64,
    changes: Vec<Change>,
    actor: &str,
    now: NaiveDateTime,
) -> Result<Scenario> {
    let sc = get(store, id)?;
    if sc.status != ScenarioStatus::Draft {
        return Err(Error::State(format!(
            "scenario {:?} is {} and can no longer change",
            sc.name, sc.status
        )));
    }
    validate_changes(store, &changes)?;
    let w = store.write()?;
    w.tx().execute(
        sql::SET_CHANGES_UPDATE_SCENARIOS,
        params![id, serde_json::to_string(&changes)?, now],
    )?;
    audit(
        &w,
        "scenario.edit",
        id,
        serde_json::to_value(&changes)?,
        actor,
        now,
    )?;
    w.commit()?;
    get(store, id)
}

/// Result of evaluating a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub baseline: Totals,
    pub scenario: Totals,
    /// The recomputed lines (only those the changes touch).
    pub changed: Vec<Recommendation>,
}

/// A scenario's evaluation, the inputs and lines it recomputes, and every line of the plan
/// with the scenario in force (the recomputed ones in place of the baseline's).
type Evaluated = (
    Evaluation,
    Vec<(LineInputs, Recommendation)>,
    Vec<Recommendation>,
);

fn evaluate_inner(store: &Store, sc: &Scenario) -> Result<Evaluated> {
    // Changes are re-checked: a SKU deleted since the scenario was written is reported.
    validate_changes(store, &sc.changes)?;
    let run = latest_plan_run(store)?.ok_or_else(|| Error::Empty("no plan yet".into()))?;
    let settings = load_settings(&store.read())?;
    let suppliers = store.read().suppliers()?;
    let lines = load_lines(store, run)?;
    let today = lines.first().map(|l| l.0.today);
    let base: Vec<Recommendation> = lines.iter().map(|l| l.1.clone()).collect();
    let mut all = Vec::with_capacity(lines.len());
    let mut changed = Vec::new();
    let mut touched_lines = Vec::new();
    for (mut inp, rec) in lines {
        if overlay(&mut inp, &sc.changes, &suppliers) {
            let new = compute_line(&inp, &settings);
            changed.push(new.clone());
            all.push(new.clone());
            touched_lines.push((inp, new));
        } else {
            all.push(rec);
        }
    }
    Ok((
        Evaluation {
            baseline: totals("baseline", &base, 0, today),
            scenario: totals(&sc.name, &all, changed.len(), today),
            changed,
        },
        touched_lines,
        all,
    ))
}

/// Evaluate a scenario against the latest plan.
pub fn evaluate(store: &Store, id: i64) -> Result<Evaluation> {
    let sc = get(store, id)?;
    Ok(evaluate_inner(store, &sc)?.0)
}

/// Evaluate a scenario and return, with its evaluation, every line of the latest plan as the
/// scenario would have it (baseline lines where its changes do not reach), for breakdowns
/// (per supplier, units) beyond the totals.
pub fn evaluate_lines(store: &Store, id: i64) -> Result<(Evaluation, Vec<Recommendation>)> {
    let sc = get(store, id)?;
    let (e, _, all) = evaluate_inner(store, &sc)?;
    Ok((e, all))
}

/// The latest plan's lines as computed (the baseline of every scenario).
pub fn baseline_lines(store: &Store) -> Result<Vec<Recommendation>> {
    let run = latest_plan_run(store)?.ok_or_else(|| Error::Empty("no plan yet".into()))?;
    Ok(load_lines(store, run)?.into_iter().map(|l| l.1).collect())
}

/// Baseline and each scenario side by side.
pub fn compare(store: &Store, ids: &[i64]) -> Result<Vec<Totals>> {
    let mut out = Vec::new();
    for &id in ids {
        let e = evaluate(store, id)?;
        if out.is_empty() {
            out.push(e.baseline);
        }
        out.push(e.scenario);
    }
    Ok(out)
}

/// Write a scenario's recomputed lines into the latest plan (they return to `proposed`).
pub fn apply(store: &mut Store, id: i64, actor: &str, now: NaiveDateTime) -> Result<Evaluation> {
    let sc = get(store, id)?;
    if sc.status != ScenarioStatus::Draft {
        return Err(Error::State(format!(
            "scenario {:?} is already {}",
            sc.name, sc.status
        )));
    }
    let (eval, lines, _) = evaluate_inner(store, &sc)?;
    let run = latest_plan_run(store)?.ok_or_else(|| Error::Empty("no plan yet".into()))?;
    let w = store.write()?;
    for (inp, rec) in &lines {
        let n = w.tx().execute(
            sql::APPLY_UPDATE_PLAN_LINES,
            params![
                run,
                rec.variant_id,
                rec.location_id,
                rec.recommended_qty,
                rec.supplier_id,
                rec.order_value,
                serde_json::to_string(inp)?,
                serde_json::to_string(rec)?
            ],
        )?;
        if n == 0 {
            return Err(Error::State(format!(
                "{} at {} is already on a purchase order",
                rec.sku, rec.location
            )));
        }
    }
    w.tx()
        .execute(sql::APPLY_UPDATE_SCENARIOS, params![id, now])?;
    audit(
        &w,
        "scenario.apply",
        id,
        serde_json::to_value(&eval.scenario)?,
        actor,
        now,
    )?;
    w.commit()?;
    Ok(eval)
}

/// Discard a draft scenario; the plan is not touched.
pub fn discard(store: &mut Store, id: i64, actor: &str, now: NaiveDateTime) -> Result<()> {
    let sc = get(store, id)?;
    if sc.status != ScenarioStatus::Draft {
        return Err(Error::State(format!(
            "scenario {:?} is already {}",
            sc.name, sc.status
        )));
    }
    let w = store.write()?;
    w.tx()
        .execute(sql::DISCARD_UPDATE_SCENARIOS, params![id, now])?;
    audit(
        &w,
        "scenario.discard",
        id,
        serde_json::json!({"name": sc.name}),
        actor,
        now,
    )?;
    w.commit()?;
    Ok(())
}
