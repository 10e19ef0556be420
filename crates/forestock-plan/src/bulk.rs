//! Review at speed: what "approve every line within the review thresholds" will do, shown
//! before it is done, and the action itself over exactly the lines the summary counted.

use chrono::NaiveDateTime;
use forestock_core::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::Result;
use crate::plan::approval_reasons;
use crate::review::{decide, recommendations, GridFilter, LineKey, LineStatus};
use crate::settings::load_settings;

/// Why a line with something to order is left out of "approve all within thresholds".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Order value above the approval value threshold: approve it on its own, with a reason.
    AboveValueThreshold,
    /// The override moved the recommendation by more than the approval percentage.
    OverrideBeyondChangeLimit,
    /// Already approved or rejected.
    AlreadyDecided,
    /// Already on a purchase order.
    Ordered,
    /// Demand to order but no supplier linked: nothing can be ordered yet.
    NeedsSupplier,
    /// In a supplier's currency with no exchange rate entered: its value cannot be compared
    /// with the threshold (in the merchant's currency).
    NoExchangeRate,
}

impl Exclusion {
    /// The words a planner reads.
    pub fn label(self) -> &'static str {
        match self {
            Exclusion::AboveValueThreshold => "order value above the approval threshold",
            Exclusion::OverrideBeyondChangeLimit => "override beyond the approval change limit",
            Exclusion::AlreadyDecided => "already approved or rejected",
            Exclusion::Ordered => "already on a purchase order",
            Exclusion::NeedsSupplier => "needs a supplier",
            Exclusion::NoExchangeRate => "no exchange rate for its currency",
        }
    }
}

/// Order value of the lines to approve in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrencyValue {
    pub currency: String,
    pub lines: usize,
    pub value: f64,
}

/// Lines left out for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Excluded {
    pub reason: Exclusion,
    pub label: String,
    pub lines: usize,
}

/// What approving every line within the review thresholds will do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalPreview {
    pub lines: usize,
    pub units: i64,
    /// Value per currency (suppliers price in their own currency; values are never summed
    /// across currencies).
    pub value: Vec<CurrencyValue>,
    pub excluded: Vec<Excluded>,
    /// The review thresholds applied (from the planning settings).
    pub value_threshold: f64,
    pub change_pct: f64,
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub keys: Vec<LineKey>,
}

/// The summary of "approve all within thresholds", without changing anything.
pub fn preview_within_thresholds(store: &Store) -> Result<ApprovalPreview> {
    let settings = load_settings(&store.read())?;
    let rates = crate::money::Rates::load(&store.read())?;
    let rows = recommendations(store, &GridFilter::default())?;
    let mut keys = Vec::new();
    let mut units = 0;
    let mut value: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let mut excluded: BTreeMap<Exclusion, usize> = BTreeMap::new();
    for g in &rows {
        let why = if g.final_qty == 0 {
            if g.rec.unsupplied_need() > 0 {
                Some(Exclusion::NeedsSupplier)
            } else {
                continue;
            }
        } else {
            match g.status {
                LineStatus::Ordered => Some(Exclusion::Ordered),
                LineStatus::Approved | LineStatus::Rejected => Some(Exclusion::AlreadyDecided),
                LineStatus::Proposed if g.needs_approval => {
                    let why = approval_reasons(&g.rec, g.final_qty, &settings, &rates);
                    let value_over = why.iter().any(|r| r.starts_with("order value"));
                    let no_rate = why.iter().any(|r| r.starts_with("no exchange rate"));
                    Some(if no_rate {
                        Exclusion::NoExchangeRate
                    } else if value_over || g.override_qty.is_none() {
                        Exclusion::AboveValueThreshold
                    } else {
                        Exclusion::OverrideBeyondChangeLimit
                    })
                }
                LineStatus::Proposed => None,
            }
        };
        match why {
            Some(e) => *excluded.entry(e).or_default() += 1,
            None => {
                keys.push(LineKey {
                    variant_id: g.rec.variant_id,
                    location_id: g.rec.location_id,
                });
                units += g.final_qty;
                let v = value.entry(g.rec.currency.clone()).or_default();
                v.0 += 1;
                v.1 += g.final_qty as f64 * g.rec.unit_cost;
            }
        }
    }
    Ok(ApprovalPreview {
        lines: keys.len(),
        units,
        value: value
            .into_iter()
            .map(|(currency, (lines, value))| CurrencyValue {
                currency,
                lines,
                value,
            })
            .collect(),
        excluded: excluded
            .into_iter()
            .map(|(reason, lines)| Excluded {
                reason,
                label: reason.label().to_string(),
                lines,
            })
            .collect(),
        value_threshold: settings.approval_value_threshold,
        change_pct: settings.approval_change_pct,
        keys,
    })
}

/// Approve exactly the lines [`preview_within_thresholds`] counts, as one action (undone
/// whole by one undo). Returns the summary of what was done.
pub fn approve_within_thresholds(
    store: &mut Store,
    actor: &str,
    now: NaiveDateTime,
) -> Result<ApprovalPreview> {
    let preview = preview_within_thresholds(store)?;
    if !preview.keys.is_empty() {
        decide(
            store,
            &preview.keys,
            true,
            "within review thresholds",
            actor,
            now,
        )?;
    }
    Ok(preview)
}
