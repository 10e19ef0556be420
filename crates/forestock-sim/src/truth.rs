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
//!
//! Where the platform places some orders and not others (Adobe Commerce: a shipped line by
//! the source that shipped it, an unshipped order nowhere), the split is by order instead
//! ([`compare_by_order`]): the placed orders' units per SKU × location × day, the others' per
//! SKU × day, with the count of orders and units in each class.

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
    /// When the split is by order ([`compare_by_order`]): how many orders and units of each
    /// side the platform placed, and how many it could not.
    pub classes: Option<OrderClasses>,
}

/// Orders (with any line for a known SKU) and net units of one class on one side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCount {
    pub orders: usize,
    pub units: i64,
}

/// The two classes of [`compare_by_order`], counted in the source and in the synced store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderClasses {
    /// Orders the platform places (compared per SKU × location × day).
    pub located_source: ClassCount,
    pub located_synced: ClassCount,
    /// Orders it cannot place (compared per SKU × day).
    pub unlocated_source: ClassCount,
    pub unlocated_synced: ClassCount,
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
            if self.classes.is_some() {
                "by order, not by location (below)".to_string()
            } else {
                list_or_none(&self.pooled_locations)
            },
        );
        if let Some(c) = &self.classes {
            s.push_str(&format!(
                "orders the platform places (per SKU × location × day): source {} orders, {} units; synced {} orders, {} units\n\
                 orders it cannot place (per SKU × day): source {} orders, {} units; synced {} orders, {} units\n",
                c.located_source.orders,
                c.located_source.units,
                c.located_synced.orders,
                c.located_synced.units,
                c.unlocated_source.orders,
                c.unlocated_source.units,
                c.unlocated_synced.orders,
                c.unlocated_synced.units,
            ));
        }
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
    diff(&a, &b, &oh_a, &oh_b, &mut out);
    Ok(out)
}

/// Net units of the orders `unlocated` picks, per (sku, location name, day) as the demand
/// history counts them (line quantity less cancelled units, less refunded units, on the
/// order's day, at the line's location or else the order's), and the class counts of both
/// classes. `unlocated(order id, located_by_default)`.
fn unlocated_units(
    db: &Store,
    unlocated: &dyn Fn(i64, bool) -> bool,
) -> Result<(Units, ClassCount, ClassCount)> {
    let r = db.read();
    let mut units = Units::new();
    let (mut orders_in, mut orders_out) = (BTreeSet::new(), BTreeSet::new());
    let (mut units_in, mut units_out) = (0i64, 0i64);
    for q in [
        "SELECT o.id, o.located_by_default, v.sku, loc.name, date(o.created_at), \
         l.quantity - l.cancelled_qty FROM order_lines l JOIN orders o ON o.id = l.order_id \
         JOIN variants v ON v.id = l.variant_id \
         JOIN locations loc ON loc.id = coalesce(l.location_id, o.location_id)",
        "SELECT o.id, o.located_by_default, v.sku, loc.name, date(o.created_at), -f.quantity \
         FROM refunds f JOIN order_lines l ON l.id = f.order_line_id \
         JOIN orders o ON o.id = l.order_id JOIN variants v ON v.id = l.variant_id \
         JOIN locations loc ON loc.id = coalesce(l.location_id, o.location_id)",
    ] {
        let mut st = r.conn().prepare(q)?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let (id, by_default): (i64, bool) = (row.get(0)?, row.get(1)?);
            let u: i64 = row.get(5)?;
            if unlocated(id, by_default) {
                orders_in.insert(id);
                units_in += u;
                *units
                    .entry((row.get(2)?, row.get(3)?, row.get(4)?))
                    .or_insert(0) += u;
            } else {
                orders_out.insert(id);
                units_out += u;
            }
        }
    }
    Ok((
        units,
        ClassCount {
            orders: orders_out.len(),
            units: units_out,
        },
        ClassCount {
            orders: orders_in.len(),
            units: units_in,
        },
    ))
}

/// The demand history with the orders `unlocated` picks moved from their location to
/// [`POOLED`] (per SKU × day); the located and unlocated class counts.
fn split_by_order(
    db: &Store,
    unlocated: &dyn Fn(i64, bool) -> bool,
) -> Result<(Units, OnHand, ClassCount, ClassCount)> {
    let (mut all, on_hand) = read(db, &|_| true)?;
    let (moved, located, unlocated) = unlocated_units(db, unlocated)?;
    for ((sku, loc, day), u) in moved {
        *all.entry((sku.clone(), loc, day.clone())).or_insert(0) -= u;
        *all.entry((sku, POOLED.to_string(), day)).or_insert(0) += u;
    }
    all.retain(|_, u| *u != 0);
    Ok((all, on_hand, located, unlocated))
}

/// Compare `synced` with the `source` it was served from, splitting by order where the
/// platform places some orders and cannot place others: the source's orders in
/// `unlocated_in_source` (what the simulator serves without a location) and the synced
/// store's orders it stored at its default location for want of one (`located_by_default`)
/// are compared per SKU × day; every other order per SKU × location × day. Latest on hand
/// per SKU × location as in [`compare`].
pub fn compare_by_order(
    source: &Store,
    synced: &Store,
    unlocated_in_source: &BTreeSet<i64>,
) -> Result<Comparison> {
    let (a, oh_a, la, ua) = split_by_order(source, &|id, _| unlocated_in_source.contains(&id))?;
    let (b, oh_b, lb, ub) = split_by_order(synced, &|_, by_default| by_default)?;
    let mut out = Comparison {
        exact_locations: source
            .read()
            .locations()?
            .into_iter()
            .map(|l| l.name)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        classes: Some(OrderClasses {
            located_source: la,
            located_synced: lb,
            unlocated_source: ua,
            unlocated_synced: ub,
        }),
        ..Comparison::default()
    };
    diff(&a, &b, &oh_a, &oh_b, &mut out);
    Ok(out)
}

/// The orders the Adobe Commerce simulator serves without a shipment (so without a source)
/// from the merchant database at `path`: the `unlocated_in_source` of [`compare_by_order`].
pub fn adobe_unshipped_orders(path: &std::path::Path) -> crate::Result<BTreeSet<i64>> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let m = crate::data::Merchant::load(conn, None)?;
    crate::adobe::unshipped_orders(&m)
}

fn diff(a: &Units, b: &Units, oh_a: &OnHand, oh_b: &OnHand, out: &mut Comparison) {
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
