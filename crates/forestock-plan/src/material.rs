//! When a line's inputs changed "materially": the one rule behind two decisions.
//!
//! - A re-plan keeps the planner's override and its reason on a line unless the line's inputs
//!   changed materially since the plan the override was made on (then the override is dropped
//!   and the line's rationale says why).
//! - A snoozed or dismissed alert about a line comes back before its time when the line's inputs
//!   changed materially since it was muted.
//!
//! Material means either:
//! - the mean forecast demand over the protection interval (lead time + review period, the
//!   demand the order covers: [`Recommendation::protection_demand`]) moved by more than
//!   [`MATERIAL_DEMAND_CHANGE_PCT`] percent, or
//! - on hand differs by more than [`MATERIAL_ON_HAND_CHANGE_UNITS`] units from what the earlier
//!   plan expected it to be by now (its on hand minus its forecast daily demand times the days
//!   between the two plans), i.e. a receipt, a stock count, shrinkage or sales far from the
//!   forecast, not the sales the forecast already expected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::line::Recommendation;

/// Percent change of demand over the protection interval that counts as material. A 20% move
/// shifts the order-up-to level by about as much as a whole class step of service level on a
/// typical line (z 1.28 → 1.64), a change the planner should look at again.
pub const MATERIAL_DEMAND_CHANGE_PCT: f64 = 20.0;

/// Units of on hand, beyond what the forecast expected to sell, that count as material: about
/// one case on this shop's smallest packs, so a single stray unit never discards a decision.
pub const MATERIAL_ON_HAND_CHANGE_UNITS: i64 = 10;

/// The figures of a line at the time a decision was made on it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    pub today: NaiveDate,
    pub protection_demand: f64,
    pub daily_demand: f64,
    pub on_hand: i64,
}

impl Basis {
    pub fn of(rec: &Recommendation, today: NaiveDate) -> Basis {
        Basis {
            today,
            protection_demand: rec.protection_demand,
            daily_demand: rec.daily_demand,
            on_hand: rec.on_hand,
        }
    }
}

/// Why the line's inputs changed materially since `then`, or `None` when they did not.
pub fn material_change(then: &Basis, now: &Basis) -> Option<String> {
    let base = then.protection_demand.max(1.0);
    let pct = (now.protection_demand - then.protection_demand).abs() / base * 100.0;
    if pct > MATERIAL_DEMAND_CHANGE_PCT {
        return Some(format!(
            "demand over the protection interval moved {pct:.0}% ({:.1} → {:.1} units; limit \
             {MATERIAL_DEMAND_CHANGE_PCT:.0}%)",
            then.protection_demand, now.protection_demand
        ));
    }
    let days = (now.today - then.today).num_days().max(0) as f64;
    let expected = then.on_hand as f64 - then.daily_demand * days;
    let off = (now.on_hand as f64 - expected).abs();
    if off > MATERIAL_ON_HAND_CHANGE_UNITS as f64 {
        return Some(format!(
            "on hand is {} where {expected:.0} was expected ({off:.0} units off; limit \
             {MATERIAL_ON_HAND_CHANGE_UNITS})",
            now.on_hand
        ));
    }
    None
}

/// The rule in one sentence, as the app and the README show it.
pub fn rule() -> String {
    format!(
        "Overrides and their reasons are kept by a re-plan, and snoozed or dismissed alerts stay \
         hidden, unless the line's inputs changed materially: demand over the protection \
         interval moved by more than {MATERIAL_DEMAND_CHANGE_PCT:.0}%, or on hand is more than \
         {MATERIAL_ON_HAND_CHANGE_UNITS} units away from what the forecast expected."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(demand: f64, on_hand: i64, day: u32) -> Basis {
        Basis {
            today: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            protection_demand: demand,
            daily_demand: 2.0,
            on_hand,
        }
    }

    #[test]
    fn demand_moving_past_twenty_percent_is_material_and_below_is_not() {
        let then = basis(100.0, 50, 20);
        assert_eq!(material_change(&then, &basis(119.0, 50, 20)), None);
        assert_eq!(material_change(&then, &basis(81.0, 50, 20)), None);
        let why = material_change(&then, &basis(121.0, 50, 20)).unwrap();
        assert!(why.contains("21%"), "{why}");
        assert!(material_change(&then, &basis(79.0, 50, 20)).is_some());
    }

    #[test]
    fn on_hand_falling_by_the_forecast_sales_is_not_material_but_a_receipt_is() {
        // Five days at 2/day: 50 → 40 is what the forecast expected.
        let then = basis(100.0, 50, 20);
        assert_eq!(material_change(&then, &basis(100.0, 40, 25)), None);
        assert_eq!(material_change(&then, &basis(100.0, 30, 25)), None);
        let why = material_change(&then, &basis(100.0, 29, 25)).unwrap();
        assert!(why.contains("11 units off"), "{why}");
        assert!(material_change(&then, &basis(100.0, 90, 25)).is_some());
    }
}
