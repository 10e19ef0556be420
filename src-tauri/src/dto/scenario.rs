//! The Scenarios screen's types.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which lines a scenario change applies to; empty fields match all.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct ScopeInput {
    pub sku: Option<String>,
    pub category: Option<String>,
    pub supplier_id: Option<i64>,
}

/// One what-if change (mirrors `forestock_plan::scenario::Change`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeInput {
    DemandMultiplier {
        scope: ScopeInput,
        factor: f64,
    },
    Promotion {
        scope: ScopeInput,
        start: String,
        end: String,
        lift: f64,
    },
    LeadTime {
        supplier_id: i64,
        mean_days: f64,
        sd_days: f64,
    },
    ServiceLevel {
        scope: ScopeInput,
        level: f64,
    },
    SupplierSwitch {
        sku: String,
        supplier_id: i64,
    },
}

impl ChangeInput {
    pub fn into_change(self) -> Result<forestock_plan::scenario::Change, String> {
        use forestock_plan::scenario::{Change, Scope};
        let scope = |s: ScopeInput| Scope {
            sku: s.sku,
            category: s.category,
            supplier_id: s.supplier_id,
        };
        let date = |d: &str| {
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| format!("{d:?} is not a date (YYYY-MM-DD)"))
        };
        Ok(match self {
            ChangeInput::DemandMultiplier { scope: s, factor } => Change::DemandMultiplier {
                scope: scope(s),
                factor,
            },
            ChangeInput::Promotion {
                scope: s,
                start,
                end,
                lift,
            } => Change::Promotion {
                scope: scope(s),
                start: date(&start)?,
                end: date(&end)?,
                lift,
            },
            ChangeInput::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } => Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            },
            ChangeInput::ServiceLevel { scope: s, level } => Change::ServiceLevel {
                scope: scope(s),
                level,
            },
            ChangeInput::SupplierSwitch { sku, supplier_id } => {
                Change::SupplierSwitch { sku, supplier_id }
            }
        })
    }

    pub fn from_change(c: forestock_plan::scenario::Change) -> Self {
        use forestock_plan::scenario::Change;
        let scope = |s: forestock_plan::scenario::Scope| ScopeInput {
            sku: s.sku,
            category: s.category,
            supplier_id: s.supplier_id,
        };
        match c {
            Change::DemandMultiplier { scope: s, factor } => ChangeInput::DemandMultiplier {
                scope: scope(s),
                factor,
            },
            Change::Promotion {
                scope: s,
                start,
                end,
                lift,
            } => ChangeInput::Promotion {
                scope: scope(s),
                start: start.to_string(),
                end: end.to_string(),
                lift,
            },
            Change::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            } => ChangeInput::LeadTime {
                supplier_id,
                mean_days,
                sd_days,
            },
            Change::ServiceLevel { scope: s, level } => ChangeInput::ServiceLevel {
                scope: scope(s),
                level,
            },
            Change::SupplierSwitch { sku, supplier_id } => {
                ChangeInput::SupplierSwitch { sku, supplier_id }
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ScenarioView {
    pub id: i64,
    pub name: String,
    pub status: forestock_plan::scenario::ScenarioStatus,
    pub changes: Vec<ChangeInput>,
}

impl From<forestock_plan::scenario::Scenario> for ScenarioView {
    fn from(s: forestock_plan::scenario::Scenario) -> Self {
        ScenarioView {
            id: s.id,
            name: s.name,
            status: s.status,
            changes: s
                .changes
                .into_iter()
                .map(ChangeInput::from_change)
                .collect(),
        }
    }
}

/// A scenario beside the baseline.
#[derive(Debug, Clone, Serialize, TS)]
pub struct EvaluationView {
    pub baseline: forestock_plan::scenario::Totals,
    pub scenario: forestock_plan::scenario::Totals,
    /// SKU×location lines the changes touch, with their new suggested quantity.
    pub changed: Vec<(String, String, i64)>,
}

impl From<forestock_plan::scenario::Evaluation> for EvaluationView {
    fn from(e: forestock_plan::scenario::Evaluation) -> Self {
        EvaluationView {
            baseline: e.baseline,
            scenario: e.scenario,
            changed: e
                .changed
                .into_iter()
                .take(200)
                .map(|r| (r.sku, r.location, r.recommended_qty))
                .collect(),
        }
    }
}
