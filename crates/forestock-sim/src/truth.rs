//! Ground truth for a sync: the merchant database a simulator served against the database a
//! sync of it produced, compared row by row on what `forestock export-history` writes (units
//! per SKU × location × day, net of cancellations and refunds) and on the latest units on hand
//! per SKU × location.
//!
//! Locations are matched by name (codes are minted per platform). Where a platform cannot
//! tell where an order was fulfilled (BigCommerce's shipped orders, Adobe Commerce's orders)
//! the synced store holds that demand at its default location, so those locations are pooled:
//! their rows are compared per SKU and day, and the report names which locations were
//! compared one by one and which were pooled.

use forestock_core::{Result, Store};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The name a pooled row carries instead of a location.
pub const POOLED: &str = "(pooled)";

/// One row that differs: `(sku, location or POOLED, day)` with units in the source and in
/// the synced store.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub sku: String,
    pub location: String,
    pub date: String,
    pub source: i64,
    pub synced: i64,
}

/// The outcome of [`compare`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    /// Locations compared one by one, and the ones pooled per SKU and day.
    pub exact_locations: Vec<String>,
    pub pooled_locations: Vec<String>,
    /// Non-zero rows compared (the union of both sides' keys).
    pub rows: usize,
    pub units_source: i64,
    pub units_synced: i64,
    /// Every differing row (units), in key order.
    pub mismatches: Vec<Mismatch>,
    /// SKU × location pairs whose latest on-hand differs: (sku, location, source, synced).
    pub on_hand_mismatches: Vec<(String, String, Option<i64>, Option<i64>)>,
    pub on_hand_pairs: usize,
}

impl Comparison {
    pub fn is_match(&self) -> bool {
        self.mismatches.is_empty() && self.on_hand_mismatches.is_empty()
    }

    /// A few lines for a person: what was compared how, and the first differences.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} rows compared ({} units in the source, {} synced); {} differ. Latest on hand: {} SKU×location pairs, {} differ.\n\
             per SKU × location × day: {}\n\
             per SKU × day (the platform does not say which of them fulfilled an order): {}\n",
            self.rows,
            self.units_source,
            self.units_synced,
            self.mismatches.len(),
            self.on_hand_pairs,
            self.on_hand_mismatches.len(),
            list_or_none(&self.exact_locations),
            list_or_none(&self.pooled_locations),
        );
        for m in self.mismatches.iter().take(10) {
            s.push_str(&format!(
                "  units differ: {} at {} on {}: source {}, synced {}\n",
                m.sku, m.location, m.date, m.source, m.synced
            ));
        }
        for (sku, loc, a, b) in self.on_hand_mismatches.iter().take(10) {
            s.push_str(&format!(
                "  on hand differs: {sku} at {loc}: source {a:?}, synced {b:?}\n"
            ));
        }
        s
    }
}

fn list_or_none(v: &[String]) -> String {
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

type Units = BTreeMap<(String, String, String), i64>;
type OnHand = BTreeMap<(String, String), i64>;

/// Daily units per (sku, location name or [`POOLED`], day) and the latest on hand per
/// (sku, location name), from the demand history the forecaster reads.
fn read(db: &Store, exact: &dyn Fn(&str) -> bool) -> Result<(Units, OnHand)> {
    let r = db.read();
    let names: HashMap<i64, String> = r.locations()?.into_iter().map(|l| (l.id, l.name)).collect();
    let mut units = Units::new();
    let mut on_hand = BTreeMap::new();
    r.demand_history(|s| {
        let name = names.get(&s.location_id).cloned().unwrap_or_default();
        let key = if exact(&name) {
            name.clone()
        } else {
            POOLED.to_string()
        };
        for (i, u) in s.units.iter().enumerate() {
            let u = u.round() as i64;
            if u != 0 {
                *units
                    .entry((s.sku.clone(), key.clone(), s.date(i).to_string()))
                    .or_insert(0) += u;
            }
        }
        if let Some(Some(last)) = s.on_hand.iter().rev().find(|x| x.is_some()) {
            on_hand.insert((s.sku.clone(), name), *last);
        }
        Ok(())
    })?;
    units.retain(|_, u| *u != 0);
    Ok((units, on_hand))
}

/// Compare `synced` with the `source` it was served from. `exact` says, by location name,
/// which locations the platform attributes orders to (compared per SKU × location × day);
/// the others are pooled per SKU × day.
pub fn compare(source: &Store, synced: &Store, exact: &dyn Fn(&str) -> bool) -> Result<Comparison> {
    let (a, oh_a) = read(source, exact)?;
    let (b, oh_b) = read(synced, exact)?;
    let mut out = Comparison::default();
    let mut names = BTreeSet::new();
    for l in source.read().locations()? {
        names.insert(l.name);
    }
    for n in names {
        if exact(&n) {
            out.exact_locations.push(n);
        } else {
            out.pooled_locations.push(n);
        }
    }
    out.units_source = a.values().sum();
    out.units_synced = b.values().sum();
    let keys: BTreeSet<_> = a.keys().chain(b.keys()).collect();
    out.rows = keys.len();
    for k in keys {
        let (x, y) = (
            a.get(k).copied().unwrap_or(0),
            b.get(k).copied().unwrap_or(0),
        );
        if x != y {
            out.mismatches.push(Mismatch {
                sku: k.0.clone(),
                location: k.1.clone(),
                date: k.2.clone(),
                source: x,
                synced: y,
            });
        }
    }
    let pairs: BTreeSet<_> = oh_a.keys().chain(oh_b.keys()).collect();
    out.on_hand_pairs = pairs.len();
    for k in pairs {
        let (x, y) = (oh_a.get(k).copied(), oh_b.get(k).copied());
        // A pair the platform never reported is zero on hand there.
        if x.unwrap_or(0) != y.unwrap_or(0) {
            out.on_hand_mismatches
                .push((k.0.clone(), k.1.clone(), x, y));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn demo(dir: &std::path::Path, name: &str) -> Store {
        let mut store = Store::create(&dir.join(name)).unwrap();
        let cfg = forestock_demo::DemoConfig {
            skus: 6,
            ..Default::default()
        };
        forestock_demo::generate(&mut store, &cfg, &mut |_| {}).unwrap();
        store
    }

    /// The comparison is only worth something if it sees a difference: one unit less on one
    /// order line, and one unit less on hand, are both named.
    #[test]
    fn a_changed_order_line_and_a_changed_level_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let a = demo(dir.path(), "a.db");
        let mut b = demo(dir.path(), "b.db");
        let same = compare(&a, &b, &|_| true).unwrap();
        assert!(same.is_match(), "{}", same.summary());
        assert!(same.rows > 100);
        let w = b.write().unwrap();
        let (sku, day): (String, String) = w
            .tx()
            .query_row(
                "SELECT l.sku, date(o.created_at) FROM order_lines l JOIN orders o ON o.id = l.order_id \
                 WHERE l.quantity > 1 AND l.cancelled_qty = 0 AND o.cancelled_at IS NULL \
                 AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_line_id = l.id) ORDER BY l.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        w.tx()
            .execute(
                "UPDATE order_lines SET quantity = quantity - 1 WHERE id = (SELECT l.id FROM order_lines l \
                 JOIN orders o ON o.id = l.order_id WHERE l.quantity > 1 AND l.cancelled_qty = 0 \
                 AND o.cancelled_at IS NULL AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_line_id = l.id) \
                 ORDER BY l.id LIMIT 1)",
                [],
            )
            .unwrap();
        w.tx()
            .execute(
                "UPDATE inventory_snapshots SET on_hand = on_hand + 1 WHERE (variant_id, location_id, date) IN \
                 (SELECT variant_id, location_id, date FROM inventory_snapshots ORDER BY date DESC, variant_id LIMIT 1)",
                [],
            )
            .unwrap();
        w.commit().unwrap();
        let c = compare(&a, &b, &|_| true).unwrap();
        assert_eq!(c.mismatches.len(), 1, "{}", c.summary());
        assert_eq!((&c.mismatches[0].sku, &c.mismatches[0].date), (&sku, &day));
        assert_eq!(c.mismatches[0].source - c.mismatches[0].synced, 1);
        assert_eq!(c.on_hand_mismatches.len(), 1, "{}", c.summary());
        // Pooled, the location no longer matters but the day still does.
        let pooled = compare(&a, &b, &|_| false).unwrap();
        assert_eq!(pooled.mismatches[0].location, POOLED);
        assert_eq!(pooled.mismatches.len(), 1);
    }
}
