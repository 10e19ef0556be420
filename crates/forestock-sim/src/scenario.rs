//! Shapes of a real store that a generated demo merchant lacks, written into the merchant
//! database a simulator serves (so the ground truth, which compares against that database,
//! knows them too).

use forestock_core::{Result, Store};
use rusqlite::params;

/// Split some online order lines across two fulfilling locations, as a shop does when one
/// location cannot ship the whole line (API-NOTES 5b: "a line split across locations"):
/// for every `every`-th eligible line, half its units (rounded down) move to a part row at
/// another active location (`order_lines.location_id`), the rest stay at the order's. Only
/// lines of at least 2 units, of orders neither cancelled nor refunded, at a warehouse
/// (online orders; point-of-sale sales are not shipped), are split. Returns the lines split.
pub fn split_lines_across_locations(store: &mut Store, every: i64) -> Result<usize> {
    let w = store.write()?;
    let rows: Vec<(i64, i64, i64, i64)> = {
        let mut st = w.tx().prepare(
            "SELECT l.id, l.quantity, o.location_id, \
                    (SELECT x.id FROM locations x WHERE x.active AND x.id <> o.location_id \
                     ORDER BY (x.kind = 'warehouse') DESC, x.id LIMIT 1) \
             FROM order_lines l JOIN orders o ON o.id = l.order_id \
             JOIN locations h ON h.id = o.location_id \
             WHERE h.kind = 'warehouse' AND o.cancelled_at IS NULL AND l.quantity >= 2 \
               AND l.cancelled_qty = 0 AND l.location_id IS NULL \
               AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) \
             ORDER BY l.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<i64>>(3)?))
        })?;
        let mut out = Vec::new();
        for (i, row) in rows.enumerate() {
            let (id, q, home, other) = row?;
            if let (Some(other), true) = (other, i as i64 % every.max(1) == 0) {
                out.push((id, q, home, other));
            }
        }
        out
    };
    for (id, q, _, other) in &rows {
        let moved = q / 2;
        w.tx().execute(
            "INSERT INTO order_lines (order_id, external_id, variant_id, sku, quantity, \
             unit_price, discount, cancelled_qty, location_id) \
             SELECT order_id, external_id || '@split', variant_id, sku, ?2, unit_price, \
                    discount * ?2 / quantity, 0, ?3 FROM order_lines WHERE id = ?1",
            params![id, moved, other],
        )?;
        w.tx().execute(
            "UPDATE order_lines SET quantity = quantity - ?2, \
             discount = discount - discount * ?2 / quantity WHERE id = ?1",
            params![id, moved],
        )?;
    }
    w.commit()?;
    Ok(rows.len())
}
