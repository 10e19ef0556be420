//! Every SQL statement of this crate, named, against the tables whose migrations live in
//! `forestock-core/migrations`. The test below prepares each one on a freshly migrated
//! database, so a renamed column fails a test, not a planner.

/// The POs (one with `?1` its id, or every one with `?1` NULL), newest first.
pub const PO_HEADERS: &str =
    "SELECT p.id, p.number, p.supplier_id, s.name, p.location_id, l.code, \
     p.status, p.currency, p.order_date, p.expected_date, p.notes FROM purchase_orders p \
     JOIN suppliers s ON s.id = p.supplier_id JOIN locations l ON l.id = p.location_id \
     WHERE ?1 IS NULL OR p.id = ?1 ORDER BY p.id DESC";
/// The lines of the POs [`PO_HEADERS`] reads, with the supplier's SKU of each.
pub const PO_LINES: &str = "SELECT pl.po_id, pl.variant_id, v.sku, ss.supplier_sku, v.barcode, \
     trim(pr.title || ' ' || v.title), pl.quantity, pl.unit_cost, pl.received_qty, pl.notes \
     FROM po_lines pl JOIN purchase_orders p ON p.id = pl.po_id \
     JOIN variants v ON v.id = pl.variant_id JOIN products pr ON pr.id = v.product_id \
     LEFT JOIN supplier_skus ss ON ss.variant_id = pl.variant_id AND ss.supplier_id = p.supplier_id \
     WHERE ?1 IS NULL OR pl.po_id = ?1 ORDER BY pl.po_id, v.sku";
/// What the plan drafted for each line of the given draft POs (`?1`: a JSON array of PO
/// ids): the quantity and the recommendation's detail, in one read for a whole list.
pub const PO_PLANNED_LINES: &str = "SELECT p.id, pl.variant_id, \
     coalesce(pl.override_qty, pl.recommended_qty), pl.detail FROM purchase_orders p \
     JOIN plan_lines pl ON pl.run_id = p.run_id AND pl.location_id = p.location_id \
     JOIN po_lines l ON l.po_id = p.id AND l.variant_id = pl.variant_id \
     WHERE p.id IN (SELECT value FROM json_each(?1))";

// po.rs
pub const DRAFT_FROM_PLAN_SELECT_PURCHASE_ORDERS: &str =
    "SELECT coalesce(max(id), 0) FROM purchase_orders";
pub const DRAFT_FROM_PLAN_SELECT_PLAN_LINES: &str =
    "SELECT json_extract(inputs, '$.today') FROM plan_lines WHERE run_id = ?1 LIMIT 1";
pub const DRAFT_FROM_PLAN_INSERT_PURCHASE_ORDERS: &str = "INSERT INTO purchase_orders (number, supplier_id, location_id, run_id, status, currency, \
     order_date, expected_date, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?7, ?8, ?8)";
pub const DRAFT_FROM_PLAN_INSERT_PO_LINES: &str = "INSERT INTO po_lines (po_id, variant_id, quantity, unit_cost, notes) VALUES (?1, ?2, ?3, ?4, ?5)";
pub const DRAFT_FROM_PLAN_UPDATE_PLAN_LINES: &str = "UPDATE plan_lines SET status = 'ordered' WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
pub const SET_STATUS_UPDATE_PURCHASE_ORDERS: &str =
    "UPDATE purchase_orders SET status = ?2, updated_at = ?3 WHERE id = ?1";
pub const RECEIVE_UPDATE_PO_LINES: &str =
    "UPDATE po_lines SET received_qty = received_qty + ?3 WHERE po_id = ?1 AND variant_id = ?2";
pub const RECEIVE_SELECT_PO_LINES: &str =
    "SELECT count(*) FROM po_lines WHERE po_id = ?1 AND received_qty < quantity";
pub const SET_LINE_QUANTITY_SELECT_SUPPLIERS: &str =
    "SELECT COALESCE(ss.moq, s.moq), COALESCE(ss.case_pack, s.case_pack) FROM suppliers s \
     LEFT JOIN supplier_skus ss ON ss.supplier_id = s.id AND ss.variant_id = ?2 \
     WHERE s.id = ?1";
pub const SET_LINE_QUANTITY_UPDATE_PO_LINES: &str =
    "UPDATE po_lines SET quantity = ?3 WHERE po_id = ?1 AND variant_id = ?2";
pub const SET_LINE_QUANTITY_UPDATE_PURCHASE_ORDERS: &str =
    "UPDATE purchase_orders SET updated_at = ?2 WHERE id = ?1";
pub const REMOVE_LINE_DELETE_PO_LINES: &str =
    "DELETE FROM po_lines WHERE po_id = ?1 AND variant_id = ?2";
pub const REMOVE_LINE_UPDATE_PLAN_LINES: &str =
    "UPDATE plan_lines SET status = 'proposed' WHERE status = 'ordered' AND variant_id = ?2 \
     AND location_id = ?3 AND run_id = (SELECT run_id FROM purchase_orders WHERE id = ?1)";
pub const EXPORT_CSV_MANY_WITH_UPDATE_PURCHASE_ORDERS: &str =
    "UPDATE purchase_orders SET status = ?3, updated_at = ?2 WHERE id = ?1";
pub const FIND_SELECT_PURCHASE_ORDERS: &str =
    "SELECT id FROM purchase_orders WHERE number = ?1 COLLATE NOCASE \
     OR CAST(id AS TEXT) = ?1";

// plan.rs
pub const GATHER_WITH_SELECT_PO_LINES: &str =
    "SELECT l.variant_id, p.location_id, p.expected_date, l.quantity - l.received_qty \
     FROM po_lines l JOIN purchase_orders p ON p.id = l.po_id \
     WHERE p.status IN ('approved','exported','pushed','partially_received') \
     AND l.quantity > l.received_qty";
pub const PREVIOUS_LINES_SELECT_RUNS: &str =
    "SELECT id FROM runs WHERE kind = 'plan' AND status = 'ok' \
     AND json_extract(params, '$.today') < ?1 ORDER BY id DESC LIMIT 1";
pub const PREVIOUS_LINES_SELECT_PLAN_LINES: &str =
    "SELECT variant_id, location_id, json_extract(inputs, '$.today'), \
     json_extract(detail, '$.safety_stock'), json_extract(inputs, '$.signals.accuracy.mase') \
     FROM plan_lines WHERE run_id = ?1";
pub const LATEST_PLAN_RUN_SELECT_RUNS: &str =
    "SELECT id FROM runs WHERE kind = 'plan' AND status = 'ok' ORDER BY id DESC LIMIT 1";
pub const WRITE_RUN_INSERT_PLAN_LINES: &str =
    "INSERT INTO plan_lines (run_id, variant_id, location_id, supplier_id, recommended_qty, \
     override_qty, override_reason, needs_approval, order_value, inputs, detail, override_basis) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
pub const WRITE_RUN_SELECT_PLAN_LINES: &str =
    "SELECT coalesce(override_qty, recommended_qty) FROM plan_lines \
     WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
/// The overrides of a plan run, with the figures each was decided on (carried by a re-plan
/// unless the inputs changed materially).
pub const WRITE_RUN_SELECT_OVERRIDES: &str =
    "SELECT variant_id, location_id, override_qty, override_reason, override_basis, \
     json_extract(inputs, '$.today'), json_extract(detail, '$.protection_demand'), \
     json_extract(detail, '$.daily_demand'), json_extract(detail, '$.on_hand'), status \
     FROM plan_lines WHERE run_id = ?1 AND override_qty IS NOT NULL";
pub const OVERRIDE_BASIS_UPDATE_PLAN_LINES: &str = "UPDATE plan_lines SET override_basis = ?4 \
     WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
pub const WRITE_RUN_INSERT_PLAN_TRANSFERS: &str = "INSERT INTO plan_transfers (run_id, variant_id, from_location_id, to_location_id, quantity, reason) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

// review.rs
pub const LOCKS_SELECT_PLAN_LOCKS: &str = "SELECT variant_id, location_id FROM plan_locks";
pub const RECOMMENDATIONS_SELECT_PLAN_LINES: &str =
    "SELECT detail, override_qty, override_reason, status, needs_approval, \
     json_extract(inputs, '$.today') FROM plan_lines \
     WHERE run_id = ?1 AND (?2 IS NULL OR location_id = ?2) AND (?3 IS NULL OR supplier_id = ?3) \
     AND (?4 IS NULL OR variant_id = ?4)";
/// What the review grid of plan `?1` is made of, as one text: the latest run and audit entry,
/// the locks, the undo journal and the lines' review state. Every write a planner makes changes
/// it, so a read model kept beside it is current while it is unchanged.
pub const GRID_VERSION_SELECT: &str = "SELECT \
     (SELECT coalesce(max(id), 0) FROM runs) || '/' || \
     (SELECT coalesce(max(id), 0) FROM audit_log) || '/' || \
     (SELECT count(*) || ':' || coalesce(max(locked_at), '') FROM plan_locks) || '/' || \
     (SELECT coalesce(max(id), 0) || ':' || coalesce(sum(undone), 0) FROM plan_edits) || '/' || \
     (SELECT count(*) || ':' || total(coalesce(override_qty, -1) * (variant_id % 9973 + location_id)) \
      || ':' || total(length(override_reason)) || ':' || total(CASE status WHEN 'approved' THEN 1 WHEN 'rejected' THEN 2 \
      WHEN 'ordered' THEN 3 ELSE 0 END * (variant_id * 7 + location_id)) \
      || ':' || total(needs_approval * (variant_id % 9973 + location_id)) \
      FROM plan_lines WHERE run_id = ?1)";
pub const STATE_SELECT_PLAN_LINES: &str =
    "SELECT override_qty, override_reason, status, needs_approval FROM plan_lines \
     WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
pub const APPLY_EDIT_UPDATE_PLAN_LINES: &str =
    "UPDATE plan_lines SET override_qty = ?4, override_reason = ?5, status = ?6, \
     needs_approval = ?7 \
     WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
pub const APPLY_EDIT_INSERT_PLAN_EDITS: &str =
    "INSERT INTO plan_edits (run_id, variant_id, location_id, before, after, at, batch) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/// The next action's batch number: above every batch and every older (unbatched) edit.
pub const NEXT_BATCH_SELECT_PLAN_EDITS: &str =
    "SELECT coalesce(max(coalesce(batch, id)), 0) + 1 FROM plan_edits";
pub const LINE_CASE_PACK_SELECT_PLAN_LINES: &str =
    "SELECT inputs FROM plan_lines WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3";
pub const FRESH_FORECAST_RUN_SELECT_AUDIT_LOG: &str =
    "SELECT count(*) FROM audit_log WHERE at >= ?1 AND entity IN ('promotion', 'import_batch')";
pub const LATEST_FORECASTS_SELECT_PLAN_LINES: &str =
    "SELECT variant_id, location_id, json_extract(inputs, '$.today'), \
     json_extract(inputs, '$.forecast') FROM plan_lines WHERE run_id = ?1";
// forecast_overrides.rs
pub const FORECAST_OVERRIDES_SELECT: &str =
    "SELECT id, variant_id, category, location_id, start_date, end_date, kind, value, reason, \
     created_at, created_by FROM forecast_overrides ORDER BY start_date, id";
pub const FORECAST_OVERRIDE_SELECT: &str =
    "SELECT id, variant_id, category, location_id, start_date, end_date, kind, value, reason, \
     created_at, created_by FROM forecast_overrides WHERE id = ?1";
pub const FORECAST_OVERRIDE_INSERT: &str = "INSERT INTO forecast_overrides (variant_id, \
     category, location_id, start_date, end_date, kind, value, reason, created_at, created_by) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
pub const FORECAST_OVERRIDE_UPDATE: &str = "UPDATE forecast_overrides SET variant_id = ?2, \
     category = ?3, location_id = ?4, start_date = ?5, end_date = ?6, kind = ?7, value = ?8, \
     reason = ?9 WHERE id = ?1";
pub const FORECAST_OVERRIDE_DELETE: &str = "DELETE FROM forecast_overrides WHERE id = ?1";
pub const LOCK_SELECT_VARIANTS: &str = "SELECT id FROM variants WHERE id = ?1";
pub const LOCK_INSERT_PLAN_LOCKS: &str = "INSERT OR REPLACE INTO plan_locks (variant_id, location_id, reason, locked_at) VALUES (?1, ?2, ?3, ?4)";
pub const UNLOCK_DELETE_PLAN_LOCKS: &str =
    "DELETE FROM plan_locks WHERE variant_id = ?1 AND location_id = ?2";
/// The edits of the last `?2` actions (batches) not yet undone, newest first.
pub const UNDO_SELECT_PLAN_EDITS: &str =
    "SELECT id, variant_id, location_id, before, after FROM plan_edits \
     WHERE run_id = ?1 AND undone = 0 AND coalesce(batch, id) IN \
     (SELECT DISTINCT coalesce(batch, id) AS b FROM plan_edits WHERE run_id = ?1 AND undone = 0 \
     ORDER BY b DESC LIMIT ?2) ORDER BY id DESC";
/// The last action not yet undone: its batch, how many lines it touched and when.
pub const LAST_ACTION_SELECT_PLAN_EDITS: &str =
    "SELECT coalesce(batch, id) AS b, count(*), max(at) FROM plan_edits \
     WHERE run_id = ?1 AND undone = 0 GROUP BY b ORDER BY b DESC LIMIT 1";
pub const UNDO_UPDATE_PLAN_EDITS: &str = "UPDATE plan_edits SET undone = 1 WHERE id = ?1";
pub const TRANSFERS_SELECT_PLAN_TRANSFERS: &str = "SELECT t.variant_id, v.sku, t.from_location_id, t.to_location_id, t.quantity, t.reason \
     FROM plan_transfers t JOIN variants v ON v.id = t.variant_id WHERE t.run_id = ?1 ORDER BY t.id";

// scenario.rs
pub const LOAD_LINES_SELECT_PLAN_LINES: &str =
    "SELECT inputs, detail FROM plan_lines WHERE run_id = ?1 ORDER BY variant_id, location_id";
pub const VALIDATE_CHANGES_SELECT_VARIANTS: &str = "SELECT id FROM variants WHERE sku = ?1";
pub const VALIDATE_CHANGES_SELECT_SUPPLIERS: &str = "SELECT id FROM suppliers WHERE id = ?1";
pub const CREATE_SELECT_SCENARIOS: &str =
    "SELECT id FROM scenarios WHERE name = ?1 AND status = 'draft'";
pub const CREATE_INSERT_SCENARIOS: &str =
    "INSERT INTO scenarios (name, base_run_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)";
pub const GET_SELECT_SCENARIOS: &str =
    "SELECT id, name, status, base_run_id, changes FROM scenarios WHERE id = ?1";
pub const LIST_SELECT_SCENARIOS: &str = "SELECT id FROM scenarios ORDER BY id DESC";
pub const SET_CHANGES_UPDATE_SCENARIOS: &str =
    "UPDATE scenarios SET changes = ?2, updated_at = ?3 WHERE id = ?1";
pub const APPLY_UPDATE_PLAN_LINES: &str = "UPDATE plan_lines SET recommended_qty = ?4, supplier_id = ?5, order_value = ?6, inputs = ?7, \
     detail = ?8, status = 'proposed' WHERE run_id = ?1 AND variant_id = ?2 AND location_id = ?3 AND status != 'ordered'";
pub const APPLY_UPDATE_SCENARIOS: &str =
    "UPDATE scenarios SET status = 'applied', updated_at = ?2 WHERE id = ?1";
pub const DISCARD_UPDATE_SCENARIOS: &str =
    "UPDATE scenarios SET status = 'discarded', updated_at = ?2 WHERE id = ?1";

// settings.rs
pub const LOAD_SETTINGS_SELECT_PLAN_SETTINGS: &str =
    "SELECT settings FROM plan_settings WHERE id = 1";
pub const SAVE_SETTINGS_INSERT_PLAN_SETTINGS: &str =
    "INSERT INTO plan_settings (id, settings) VALUES (1, ?1) \
     ON CONFLICT(id) DO UPDATE SET settings = excluded.settings";

// alerts.rs
pub const GATHER_FACTS_SELECT_RECEIPTS: &str = "SELECT r.reference, s.name, r.location_id, l.code, r.expected_date, r.variant_id, v.sku, \
     r.quantity, coalesce(ss.unit_cost, v.cost, v.price * 0.5), ss.unit_cost IS NOT NULL, s.currency \
     FROM receipts r JOIN locations l ON l.id = r.location_id JOIN variants v ON v.id = r.variant_id \
     LEFT JOIN suppliers s ON s.id = r.supplier_id \
     LEFT JOIN supplier_skus ss ON ss.variant_id = r.variant_id AND ss.supplier_id = r.supplier_id \
     WHERE r.received_date IS NULL AND r.expected_date < ?1 \
     ORDER BY r.reference, r.location_id, v.sku";
pub const GATHER_FACTS_SELECT_PURCHASE_ORDERS: &str =
    "SELECT p.id, p.number, s.name, p.location_id, l.code, p.expected_date, pl.variant_id, v.sku, \
     pl.quantity - pl.received_qty, pl.unit_cost, p.currency \
     FROM purchase_orders p JOIN po_lines pl ON pl.po_id = p.id \
     JOIN suppliers s ON s.id = p.supplier_id JOIN locations l ON l.id = p.location_id \
     JOIN variants v ON v.id = pl.variant_id \
     WHERE p.status IN ('exported','pushed','partially_received') \
     AND pl.quantity > pl.received_qty AND p.expected_date < ?1 \
     ORDER BY p.id, v.sku";
pub const WRITE_INSERT_ALERTS: &str = "INSERT INTO alerts (run_id, rank, kind, severity, variant_id, location_id, po_id, reference, \
     title, evidence, action, score, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
pub const LATEST_SELECT_ALERTS: &str = "SELECT a.id, a.rank, a.kind, a.severity, a.variant_id, v.sku, a.location_id, l.code, a.po_id, \
     a.reference, a.title, a.evidence, a.action, a.score, a.data \
     FROM alerts a LEFT JOIN variants v ON v.id = a.variant_id LEFT JOIN locations l ON l.id = a.location_id \
     WHERE a.run_id = ?1 ORDER BY a.rank";
pub const FLAGGED_SELECT_ALERTS: &str =
    "SELECT variant_id, location_id FROM alerts WHERE run_id = ?1 AND kind = ?2 \
     AND variant_id IS NOT NULL AND location_id IS NOT NULL";

// transfers.rs
pub const TRANSFERS_LIST_SELECT_PLAN_TRANSFERS: &str = "SELECT t.id, t.variant_id, v.sku, \
     trim(pr.title || ' ' || v.title), t.from_location_id, lf.code, t.to_location_id, lt.code, \
     t.quantity, t.reason, t.status FROM plan_transfers t \
     JOIN variants v ON v.id = t.variant_id JOIN products pr ON pr.id = v.product_id \
     JOIN locations lf ON lf.id = t.from_location_id JOIN locations lt ON lt.id = t.to_location_id \
     WHERE t.run_id = ?1 ORDER BY lf.code, lt.code, v.sku, t.id";
pub const TRANSFERS_UPDATE_STATUS: &str = "UPDATE plan_transfers SET status = ?2 WHERE id = ?1";

// lead_times.rs: one row per received PO line per receipt, up to `?1`
pub const DELIVERIES_SELECT_PO_RECEIPTS: &str = "SELECT p.supplier_id, p.order_date, \
     p.expected_date, r.received_date FROM po_receipts r JOIN purchase_orders p ON p.id = r.po_id \
     WHERE r.received_date <= ?1 ORDER BY r.id";
pub const RECEIVE_INSERT_PO_RECEIPTS: &str =
    "INSERT INTO po_receipts (po_id, variant_id, quantity, \
     received_date, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)";
pub const RECEIPTS_SELECT_PO_RECEIPTS: &str = "SELECT r.po_id, r.variant_id, v.sku, r.quantity, \
     r.received_date, r.recorded_at FROM po_receipts r JOIN variants v ON v.id = r.variant_id \
     WHERE ?1 IS NULL OR r.po_id = ?1 ORDER BY r.po_id, r.received_date, r.id";

// exceptions.rs
/// The lines of plan run `?1` that alerts run `?2` is about, with what the list filters by.
pub const EXCEPTIONS_SELECT_PLAN_LINES: &str = "SELECT variant_id, location_id, \
     json_extract(detail, '$.supplier'), json_extract(detail, '$.category'), \
     json_extract(inputs, '$.today'), json_extract(detail, '$.protection_demand'), \
     json_extract(detail, '$.daily_demand'), json_extract(detail, '$.on_hand'), status, \
     coalesce(override_qty, recommended_qty) FROM plan_lines WHERE run_id = ?1 \
     AND variant_id IN (SELECT variant_id FROM alerts WHERE run_id = ?2)";
pub const EXCEPTIONS_SELECT_PO_SUPPLIERS: &str = "SELECT p.id, s.name FROM purchase_orders p \
     JOIN suppliers s ON s.id = p.supplier_id \
     WHERE p.id IN (SELECT po_id FROM alerts WHERE run_id = ?1)";
pub const MUTES_SELECT_ALERT_MUTES: &str = "SELECT id, kind, variant_id, location_id, reference, \
     action, until, reason, severity, basis, at, actor FROM alert_mutes WHERE lifted = 0 ORDER BY id";
/// Lift every mute of one subject (kind, SKU, location, reference): the alert shows again.
pub const UNMUTE_UPDATE_ALERT_MUTES: &str = "UPDATE alert_mutes SET lifted = 1 WHERE lifted = 0 \
     AND kind = ?1 AND variant_id IS ?2 AND location_id IS ?3 AND reference = ?4";
pub const MUTE_INSERT_ALERT_MUTES: &str =
    "INSERT INTO alert_mutes (kind, variant_id, location_id, \
     reference, action, until, reason, severity, basis, at, actor) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

// alerts.rs: drift facts, summed per SKU×location over a window (`?1` ≤ day < `?2`)
pub const GATHER_FACTS_SOLD: &str =
    "SELECT l.variant_id, coalesce(l.location_id, o.location_id), sum(l.quantity - l.cancelled_qty) \
     FROM orders o JOIN order_lines l ON l.order_id = o.id \
     WHERE o.created_at >= ?1 AND o.created_at < ?2 \
     AND l.variant_id IS NOT NULL AND coalesce(l.location_id, o.location_id) IS NOT NULL \
     GROUP BY 1, 2";
pub const GATHER_FACTS_RECEIVED: &str =
    "SELECT variant_id, location_id, sum(quantity) FROM receipts \
     WHERE received_date >= ?1 AND received_date < ?2 GROUP BY 1, 2";
pub const GATHER_FACTS_RESTOCKED: &str = "SELECT l.variant_id, coalesce(l.location_id, o.location_id), sum(f.quantity) \
     FROM refunds f JOIN order_lines l ON l.id = f.order_line_id JOIN orders o ON o.id = l.order_id \
     WHERE f.restocked = 1 AND f.created_at >= ?1 AND f.created_at < ?2 \
     AND l.variant_id IS NOT NULL AND coalesce(l.location_id, o.location_id) IS NOT NULL \
     GROUP BY 1, 2";

/// Every statement above, by name (checked by the test below).
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    ("PO_HEADERS", PO_HEADERS),
    ("PO_LINES", PO_LINES),
    ("PO_PLANNED_LINES", PO_PLANNED_LINES),
    (
        "DRAFT_FROM_PLAN_SELECT_PURCHASE_ORDERS",
        DRAFT_FROM_PLAN_SELECT_PURCHASE_ORDERS,
    ),
    (
        "DRAFT_FROM_PLAN_SELECT_PLAN_LINES",
        DRAFT_FROM_PLAN_SELECT_PLAN_LINES,
    ),
    (
        "DRAFT_FROM_PLAN_INSERT_PURCHASE_ORDERS",
        DRAFT_FROM_PLAN_INSERT_PURCHASE_ORDERS,
    ),
    (
        "DRAFT_FROM_PLAN_INSERT_PO_LINES",
        DRAFT_FROM_PLAN_INSERT_PO_LINES,
    ),
    (
        "DRAFT_FROM_PLAN_UPDATE_PLAN_LINES",
        DRAFT_FROM_PLAN_UPDATE_PLAN_LINES,
    ),
    (
        "SET_STATUS_UPDATE_PURCHASE_ORDERS",
        SET_STATUS_UPDATE_PURCHASE_ORDERS,
    ),
    ("RECEIVE_UPDATE_PO_LINES", RECEIVE_UPDATE_PO_LINES),
    ("RECEIVE_SELECT_PO_LINES", RECEIVE_SELECT_PO_LINES),
    (
        "SET_LINE_QUANTITY_SELECT_SUPPLIERS",
        SET_LINE_QUANTITY_SELECT_SUPPLIERS,
    ),
    (
        "SET_LINE_QUANTITY_UPDATE_PO_LINES",
        SET_LINE_QUANTITY_UPDATE_PO_LINES,
    ),
    (
        "SET_LINE_QUANTITY_UPDATE_PURCHASE_ORDERS",
        SET_LINE_QUANTITY_UPDATE_PURCHASE_ORDERS,
    ),
    ("REMOVE_LINE_DELETE_PO_LINES", REMOVE_LINE_DELETE_PO_LINES),
    (
        "REMOVE_LINE_UPDATE_PLAN_LINES",
        REMOVE_LINE_UPDATE_PLAN_LINES,
    ),
    (
        "EXPORT_CSV_MANY_WITH_UPDATE_PURCHASE_ORDERS",
        EXPORT_CSV_MANY_WITH_UPDATE_PURCHASE_ORDERS,
    ),
    ("FIND_SELECT_PURCHASE_ORDERS", FIND_SELECT_PURCHASE_ORDERS),
    ("GATHER_WITH_SELECT_PO_LINES", GATHER_WITH_SELECT_PO_LINES),
    ("PREVIOUS_LINES_SELECT_RUNS", PREVIOUS_LINES_SELECT_RUNS),
    (
        "PREVIOUS_LINES_SELECT_PLAN_LINES",
        PREVIOUS_LINES_SELECT_PLAN_LINES,
    ),
    ("LATEST_PLAN_RUN_SELECT_RUNS", LATEST_PLAN_RUN_SELECT_RUNS),
    ("WRITE_RUN_INSERT_PLAN_LINES", WRITE_RUN_INSERT_PLAN_LINES),
    ("WRITE_RUN_SELECT_PLAN_LINES", WRITE_RUN_SELECT_PLAN_LINES),
    ("WRITE_RUN_SELECT_OVERRIDES", WRITE_RUN_SELECT_OVERRIDES),
    (
        "OVERRIDE_BASIS_UPDATE_PLAN_LINES",
        OVERRIDE_BASIS_UPDATE_PLAN_LINES,
    ),
    (
        "WRITE_RUN_INSERT_PLAN_TRANSFERS",
        WRITE_RUN_INSERT_PLAN_TRANSFERS,
    ),
    ("LOCKS_SELECT_PLAN_LOCKS", LOCKS_SELECT_PLAN_LOCKS),
    (
        "RECOMMENDATIONS_SELECT_PLAN_LINES",
        RECOMMENDATIONS_SELECT_PLAN_LINES,
    ),
    ("GRID_VERSION_SELECT", GRID_VERSION_SELECT),
    ("STATE_SELECT_PLAN_LINES", STATE_SELECT_PLAN_LINES),
    ("APPLY_EDIT_UPDATE_PLAN_LINES", APPLY_EDIT_UPDATE_PLAN_LINES),
    ("APPLY_EDIT_INSERT_PLAN_EDITS", APPLY_EDIT_INSERT_PLAN_EDITS),
    (
        "FRESH_FORECAST_RUN_SELECT_AUDIT_LOG",
        FRESH_FORECAST_RUN_SELECT_AUDIT_LOG,
    ),
    (
        "LATEST_FORECASTS_SELECT_PLAN_LINES",
        LATEST_FORECASTS_SELECT_PLAN_LINES,
    ),
    (
        "LINE_CASE_PACK_SELECT_PLAN_LINES",
        LINE_CASE_PACK_SELECT_PLAN_LINES,
    ),
    ("LOCK_SELECT_VARIANTS", LOCK_SELECT_VARIANTS),
    ("LOCK_INSERT_PLAN_LOCKS", LOCK_INSERT_PLAN_LOCKS),
    ("UNLOCK_DELETE_PLAN_LOCKS", UNLOCK_DELETE_PLAN_LOCKS),
    ("UNDO_SELECT_PLAN_EDITS", UNDO_SELECT_PLAN_EDITS),
    ("NEXT_BATCH_SELECT_PLAN_EDITS", NEXT_BATCH_SELECT_PLAN_EDITS),
    (
        "LAST_ACTION_SELECT_PLAN_EDITS",
        LAST_ACTION_SELECT_PLAN_EDITS,
    ),
    ("UNDO_UPDATE_PLAN_EDITS", UNDO_UPDATE_PLAN_EDITS),
    (
        "TRANSFERS_SELECT_PLAN_TRANSFERS",
        TRANSFERS_SELECT_PLAN_TRANSFERS,
    ),
    ("LOAD_LINES_SELECT_PLAN_LINES", LOAD_LINES_SELECT_PLAN_LINES),
    (
        "VALIDATE_CHANGES_SELECT_VARIANTS",
        VALIDATE_CHANGES_SELECT_VARIANTS,
    ),
    (
        "VALIDATE_CHANGES_SELECT_SUPPLIERS",
        VALIDATE_CHANGES_SELECT_SUPPLIERS,
    ),
    ("CREATE_SELECT_SCENARIOS", CREATE_SELECT_SCENARIOS),
    ("CREATE_INSERT_SCENARIOS", CREATE_INSERT_SCENARIOS),
    ("GET_SELECT_SCENARIOS", GET_SELECT_SCENARIOS),
    ("LIST_SELECT_SCENARIOS", LIST_SELECT_SCENARIOS),
    ("SET_CHANGES_UPDATE_SCENARIOS", SET_CHANGES_UPDATE_SCENARIOS),
    ("APPLY_UPDATE_PLAN_LINES", APPLY_UPDATE_PLAN_LINES),
    ("APPLY_UPDATE_SCENARIOS", APPLY_UPDATE_SCENARIOS),
    ("DISCARD_UPDATE_SCENARIOS", DISCARD_UPDATE_SCENARIOS),
    (
        "LOAD_SETTINGS_SELECT_PLAN_SETTINGS",
        LOAD_SETTINGS_SELECT_PLAN_SETTINGS,
    ),
    (
        "SAVE_SETTINGS_INSERT_PLAN_SETTINGS",
        SAVE_SETTINGS_INSERT_PLAN_SETTINGS,
    ),
    ("GATHER_FACTS_SELECT_RECEIPTS", GATHER_FACTS_SELECT_RECEIPTS),
    (
        "GATHER_FACTS_SELECT_PURCHASE_ORDERS",
        GATHER_FACTS_SELECT_PURCHASE_ORDERS,
    ),
    ("WRITE_INSERT_ALERTS", WRITE_INSERT_ALERTS),
    ("LATEST_SELECT_ALERTS", LATEST_SELECT_ALERTS),
    ("FLAGGED_SELECT_ALERTS", FLAGGED_SELECT_ALERTS),
    ("GATHER_FACTS_SOLD", GATHER_FACTS_SOLD),
    ("EXCEPTIONS_SELECT_PLAN_LINES", EXCEPTIONS_SELECT_PLAN_LINES),
    (
        "DELIVERIES_SELECT_PO_RECEIPTS",
        DELIVERIES_SELECT_PO_RECEIPTS,
    ),
    ("RECEIVE_INSERT_PO_RECEIPTS", RECEIVE_INSERT_PO_RECEIPTS),
    ("RECEIPTS_SELECT_PO_RECEIPTS", RECEIPTS_SELECT_PO_RECEIPTS),
    (
        "TRANSFERS_LIST_SELECT_PLAN_TRANSFERS",
        TRANSFERS_LIST_SELECT_PLAN_TRANSFERS,
    ),
    ("TRANSFERS_UPDATE_STATUS", TRANSFERS_UPDATE_STATUS),
    (
        "EXCEPTIONS_SELECT_PO_SUPPLIERS",
        EXCEPTIONS_SELECT_PO_SUPPLIERS,
    ),
    ("MUTES_SELECT_ALERT_MUTES", MUTES_SELECT_ALERT_MUTES),
    ("MUTE_INSERT_ALERT_MUTES", MUTE_INSERT_ALERT_MUTES),
    ("UNMUTE_UPDATE_ALERT_MUTES", UNMUTE_UPDATE_ALERT_MUTES),
    ("GATHER_FACTS_RECEIVED", GATHER_FACTS_RECEIVED),
    ("GATHER_FACTS_RESTOCKED", GATHER_FACTS_RESTOCKED),
    ("RATES_SELECT_EXCHANGE_RATES", RATES_SELECT_EXCHANGE_RATES),
    ("RATE_SELECT_EXCHANGE_RATES", RATE_SELECT_EXCHANGE_RATES),
    ("DELETE_RATE_EXCHANGE_RATES", DELETE_RATE_EXCHANGE_RATES),
    ("FORECAST_OVERRIDES_SELECT", FORECAST_OVERRIDES_SELECT),
    ("FORECAST_OVERRIDE_SELECT", FORECAST_OVERRIDE_SELECT),
    ("FORECAST_OVERRIDE_INSERT", FORECAST_OVERRIDE_INSERT),
    ("FORECAST_OVERRIDE_UPDATE", FORECAST_OVERRIDE_UPDATE),
    ("FORECAST_OVERRIDE_DELETE", FORECAST_OVERRIDE_DELETE),
];

// money.rs
/// The planner's exchange rates, by currency code.
pub const RATES_SELECT_EXCHANGE_RATES: &str =
    "SELECT currency, rate, updated_at, updated_by FROM exchange_rates ORDER BY currency";
/// One currency's rate.
pub const RATE_SELECT_EXCHANGE_RATES: &str =
    "SELECT currency, rate, updated_at, updated_by FROM exchange_rates WHERE currency = ?1";
pub const DELETE_RATE_EXCHANGE_RATES: &str = "DELETE FROM exchange_rates WHERE currency = ?1";

#[cfg(test)]
mod tests {
    forestock_core::sql_owner_tests!(super::ALL, &["sql.rs"]);
}
