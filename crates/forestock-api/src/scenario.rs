//! What-if scenarios on the latest plan (`forestock scenario …`, the app's Scenarios page):
//! create with changes (several at once), change, compare side by side, apply to the plan,
//! discard. Each is audited once, in the
//! library, with the stamp.

use crate::kpis::Money;
use crate::{AuditStamp, Result};
use forestock_core::Store;
use forestock_plan::line::Recommendation;
use forestock_plan::scenario::{self, Change, Evaluation, Scenario, Scope};
use std::collections::BTreeMap;

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

/// A scenario's changes as flags give them (`forestock scenario set`): one scope for the
/// demand multiplier and the service level, a supplier's new lead time, and further changes
/// as JSON objects.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ChangeFlags {
    /// Only this SKU (the scope of --demand and --service-level; none: every line).
    #[cfg_attr(feature = "clap", arg(long))]
    pub sku: Option<String>,
    /// Only this category.
    #[cfg_attr(feature = "clap", arg(long))]
    pub category: Option<String>,
    /// Supplier id.
    #[cfg_attr(feature = "clap", arg(long))]
    pub supplier: Option<i64>,
    /// Multiply forecast demand in the scope.
    #[cfg_attr(feature = "clap", arg(long))]
    pub demand: Option<f64>,
    /// Target service level in the scope, between 0 and 1.
    #[cfg_attr(feature = "clap", arg(long))]
    pub service_level: Option<f64>,
    /// New mean lead time (days) of --supplier.
    #[cfg_attr(feature = "clap", arg(long, allow_negative_numbers = true))]
    pub lead_time: Option<f64>,
    /// New lead-time spread (days) with --lead-time.
    #[cfg_attr(
        feature = "clap",
        arg(long, default_value_t = 0.0, allow_negative_numbers = true)
    )]
    pub lead_time_sd: f64,
    /// Further changes as JSON objects, e.g.
    /// '{"kind":"promotion","scope":{"sku":"X"},"start":"2026-12-01","end":"2026-12-07","lift":0.5}'.
    #[cfg_attr(feature = "clap", arg(long = "change", value_name = "JSON"))]
    pub changes: Vec<String>,
}

impl ChangeFlags {
    /// The changes in the order above; refused when there is none, when a lead time has no
    /// supplier, or when a JSON object is not a change.
    pub fn changes(self) -> Result<Vec<Change>> {
        let invalid = |m: String| crate::Error::Invalid(m);
        let scope = Scope {
            sku: self.sku,
            category: self.category,
            supplier_id: self.supplier,
        };
        let mut list = Vec::new();
        if let Some(factor) = self.demand {
            let scope = scope.clone();
            list.push(Change::DemandMultiplier { scope, factor });
        }
        if let Some(level) = self.service_level {
            list.push(Change::ServiceLevel { scope, level });
        }
        if let Some(mean_days) = self.lead_time {
            let supplier_id = self
                .supplier
                .ok_or_else(|| invalid("--lead-time needs --supplier ID".into()))?;
            let sd_days = self.lead_time_sd;
            list.push(Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            });
        }
        for c in &self.changes {
            list.push(
                serde_json::from_str(c)
                    .map_err(|e| invalid(format!("--change {c:?} is not a valid change: {e}")))?,
            );
        }
        if list.is_empty() {
            return Err(invalid(
                "no change given: use --demand, --service-level, --lead-time or --change".into(),
            ));
        }
        Ok(list)
    }
}

/// One supplier's orders in a column of the comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupplierOrders {
    /// The supplier's name; "(no supplier)" for lines without one.
    pub supplier: String,
    pub currency: String,
    pub order_value: f64,
    pub units: i64,
    pub lines: i64,
}

/// The baseline or one scenario, as a column of the side-by-side comparison.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScenarioColumn {
    /// `None` for the baseline (the latest plan as computed).
    pub scenario_id: Option<i64>,
    pub name: String,
    pub changes: i64,
    /// Order value per currency (suppliers may invoice in different currencies).
    pub order_value: Vec<Money>,
    pub units: i64,
    pub lines_to_order: i64,
    pub stockout_risk_lines: i64,
    /// Demand-weighted expected fill rate (forestock-plan's scenario totals).
    pub expected_fill_rate: f64,
    /// Demand-weighted target service level of the lines.
    pub target_service_level: f64,
    /// Position after ordering at cost, per currency.
    pub capital_tied_up: Vec<Money>,
    pub lines_changed: i64,
    /// Per supplier and currency, largest order value first.
    pub suppliers: Vec<SupplierOrders>,
}

/// The baseline and each scenario side by side.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Comparison {
    pub columns: Vec<ScenarioColumn>,
}

fn column(
    scenario_id: Option<i64>,
    changes: usize,
    t: &scenario::Totals,
    recs: &[Recommendation],
) -> ScenarioColumn {
    let ordered = || recs.iter().filter(|r| r.recommended_qty > 0);
    let money = |f: &dyn Fn(&Recommendation) -> f64, only_ordered: bool| {
        let mut m: BTreeMap<String, f64> = BTreeMap::new();
        for r in recs
            .iter()
            .filter(|r| !only_ordered || r.recommended_qty > 0)
        {
            *m.entry(r.currency.clone()).or_default() += f(r);
        }
        m.into_iter()
            .map(|(currency, amount)| Money { currency, amount })
            .collect::<Vec<_>>()
    };
    let mut by_supplier: BTreeMap<(String, String), SupplierOrders> = BTreeMap::new();
    for r in ordered() {
        let name = r.supplier.clone().unwrap_or_else(|| "(no supplier)".into());
        let e = by_supplier
            .entry((name.clone(), r.currency.clone()))
            .or_insert_with(|| SupplierOrders {
                supplier: name,
                currency: r.currency.clone(),
                order_value: 0.0,
                units: 0,
                lines: 0,
            });
        e.order_value += r.order_value;
        e.units += r.recommended_qty;
        e.lines += 1;
    }
    let mut suppliers: Vec<SupplierOrders> = by_supplier.into_values().collect();
    suppliers.sort_by(|a, b| b.order_value.total_cmp(&a.order_value));
    let demand: f64 = recs.iter().map(|r| r.protection_demand).sum();
    ScenarioColumn {
        scenario_id,
        name: t.name.clone(),
        changes: changes as i64,
        order_value: money(&|r| r.order_value, true),
        units: ordered().map(|r| r.recommended_qty).sum(),
        lines_to_order: ordered().count() as i64,
        stockout_risk_lines: t.stockout_risk_lines as i64,
        expected_fill_rate: t.expected_fill_rate,
        target_service_level: if demand > 0.0 {
            recs.iter()
                .map(|r| r.service_level * r.protection_demand)
                .sum::<f64>()
                / demand
        } else {
            0.0
        },
        capital_tied_up: money(
            &|r| (r.inventory_position.max(0) + r.recommended_qty) as f64 * r.unit_cost,
            false,
        ),
        lines_changed: t.lines_changed as i64,
        suppliers,
    }
}

/// The baseline and two or more scenarios (any status) side by side: order value and units,
/// lines at stockout risk, fill rate and service level, capital, and each supplier's orders.
/// Each scenario is evaluated on the latest plan; nothing is written.
pub fn compare(store: &Store, ids: &[i64]) -> Result<Comparison> {
    if ids.is_empty() {
        return Err(crate::Error::Invalid(
            "name at least one scenario to compare".into(),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = ids.iter().find(|id| !seen.insert(**id)) {
        return Err(crate::Error::Invalid(format!(
            "scenario {dup} is named twice"
        )));
    }
    let mut columns = Vec::with_capacity(ids.len() + 1);
    for &id in ids {
        let sc = scenario::get(store, id)?;
        let (e, all) = scenario::evaluate_lines(store, id)?;
        if columns.is_empty() {
            let base = scenario::baseline_lines(store)?;
            columns.push(column(None, 0, &e.baseline, &base));
        }
        columns.push(column(Some(id), sc.changes.len(), &e.scenario, &all));
    }
    Ok(Comparison { columns })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn change_flags_give_their_changes_in_order_and_refuse_what_is_incomplete() {
        let flags = ChangeFlags {
            category: Some("Tents".into()),
            supplier: Some(3),
            demand: Some(1.2),
            lead_time: Some(9.0),
            changes: vec![r#"{"kind":"supplier_switch","sku":"A","supplier_id":4}"#.into()],
            ..ChangeFlags::default()
        };
        let scope = Scope {
            sku: None,
            category: Some("Tents".into()),
            supplier_id: Some(3),
        };
        assert_eq!(
            flags.changes().unwrap(),
            vec![
                Change::DemandMultiplier { scope, factor: 1.2 },
                Change::LeadTime {
                    supplier_id: 3,
                    mean_days: 9.0,
                    sd_days: 0.0
                },
                Change::SupplierSwitch {
                    sku: "A".into(),
                    supplier_id: 4
                },
            ]
        );
        let refused = |f: ChangeFlags| f.changes().unwrap_err().to_string();
        assert!(refused(ChangeFlags::default()).starts_with("no change given"));
        let no_supplier = ChangeFlags {
            lead_time: Some(9.0),
            ..ChangeFlags::default()
        };
        assert_eq!(refused(no_supplier), "--lead-time needs --supplier ID");
        let bad = ChangeFlags {
            changes: vec!["{}".into()],
            ..ChangeFlags::default()
        };
        assert!(refused(bad).starts_with("--change \"{}\" is not a valid change"));
    }
}
