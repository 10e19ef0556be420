//! Every SQL statement of the store's typed reads and writes, named, beside the migrations
//! that create their tables (`migrations/`). The test below prepares each one on a freshly
//! migrated database, so a renamed column fails a test, not a planner. (Statements built at
//! run time from column lists, and the migration runner's own, stay beside their code.)

// audit.rs
pub const AUDIT_INSERT_AUDIT_LOG: &str =
    "INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, reason) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub const AUDIT_ENTRIES_SELECT_AUDIT_LOG: &str =
    "SELECT id, at, actor, action, entity, entity_id, before, after, reason FROM audit_log \
     WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) \
     AND (?3 IS NULL OR action = ?3) ORDER BY id DESC LIMIT ?4";
/// Every name an audit entry's entity id can refer to, as (kind, id, name, detail), in one
/// statement: the audit screen resolves a page of entries without a query per row.
pub const AUDIT_NAMES_SELECT: &str =
    "SELECT 'variant', v.id, v.sku, CASE WHEN v.title IN ('', 'Default Title') THEN p.title \
     ELSE p.title || ' — ' || v.title END FROM variants v JOIN products p ON p.id = v.product_id \
     UNION ALL SELECT 'location', id, code, name FROM locations \
     UNION ALL SELECT 'supplier', id, name, NULL FROM suppliers \
     UNION ALL SELECT 'purchase_order', o.id, o.number, s.name FROM purchase_orders o \
     LEFT JOIN suppliers s ON s.id = o.supplier_id \
     UNION ALL SELECT 'scenario', id, name, NULL FROM scenarios \
     UNION ALL SELECT 'store', id, name, platform FROM stores \
     UNION ALL SELECT 'import_batch', id, file_name, kind FROM import_batches";

// history.rs
/// The span of the demand history: synced orders and imported history alike.
pub const DEMAND_HISTORY_SELECT_ORDERS: &str = "SELECT min(f), max(l) FROM ( \
     SELECT date(min(created_at)) AS f, date(max(created_at)) AS l FROM orders \
     UNION ALL SELECT min(date), max(date) FROM imported_demand)";
pub const DEMAND_HISTORY_SELECT_ORDER_LINES: &str =
    "SELECT l.variant_id, coalesce(l.location_id, o.location_id), date(o.created_at), \
     l.quantity - l.cancelled_qty \
     FROM order_lines l NOT INDEXED JOIN orders o ON o.id = l.order_id \
     WHERE l.variant_id IS NOT NULL AND coalesce(l.location_id, o.location_id) IS NOT NULL";
pub const DEMAND_HISTORY_SELECT_REFUNDS: &str = "SELECT l.variant_id, coalesce(l.location_id, o.location_id), date(o.created_at), f.quantity \
     FROM refunds f JOIN order_lines l ON l.id = f.order_line_id JOIN orders o ON o.id = l.order_id \
     WHERE l.variant_id IS NOT NULL AND coalesce(l.location_id, o.location_id) IS NOT NULL";
/// [`DEMAND_HISTORY_SELECT_ORDER_LINES`] for one SKU (`?1`) at one location (`?2`), through the
/// variant index (`Reader::series_history`, the SKU detail and chart).
pub const SERIES_HISTORY_SELECT_ORDER_LINES: &str =
    "SELECT l.variant_id, coalesce(l.location_id, o.location_id), date(o.created_at), \
     l.quantity - l.cancelled_qty \
     FROM order_lines l INDEXED BY order_lines_variant JOIN orders o ON o.id = l.order_id \
     WHERE l.variant_id = ?1 AND coalesce(l.location_id, o.location_id) = ?2";
/// [`DEMAND_HISTORY_SELECT_REFUNDS`] for one SKU (`?1`) at one location (`?2`).
pub const SERIES_HISTORY_SELECT_REFUNDS: &str =
    "SELECT l.variant_id, coalesce(l.location_id, o.location_id), date(o.created_at), f.quantity \
     FROM order_lines l INDEXED BY order_lines_variant JOIN refunds f ON f.order_line_id = l.id \
     JOIN orders o ON o.id = l.order_id \
     WHERE l.variant_id = ?1 AND coalesce(l.location_id, o.location_id) = ?2";
/// [`DEMAND_HISTORY_SELECT_INVENTORY_SNAPSHOTS`] for one SKU (`?1`) at one location (`?2`).
pub const SERIES_HISTORY_SELECT_INVENTORY_SNAPSHOTS: &str =
    "SELECT variant_id, location_id, date, on_hand FROM inventory_snapshots \
     WHERE variant_id = ?1 AND location_id = ?2 \
     UNION ALL \
     SELECT i.variant_id, i.location_id, i.date, i.on_hand FROM imported_stock i \
     WHERE i.variant_id = ?1 AND i.location_id = ?2 \
     AND i.batch_id = (SELECT max(j.batch_id) FROM imported_stock j \
       WHERE j.variant_id = i.variant_id AND j.location_id = i.location_id AND j.date = i.date) \
     AND NOT EXISTS (SELECT 1 FROM inventory_snapshots s \
       WHERE s.variant_id = i.variant_id AND s.location_id = i.location_id AND s.date <= i.date) \
     ORDER BY 1, 2, 3";
/// Synced snapshots, and imported ones where they count (`Reader::demand_history`): only
/// before the SKU x location's first synced snapshot, and the latest batch's for a day.
pub const DEMAND_HISTORY_SELECT_INVENTORY_SNAPSHOTS: &str =
    "SELECT variant_id, location_id, date, on_hand FROM inventory_snapshots \
     UNION ALL \
     SELECT i.variant_id, i.location_id, i.date, i.on_hand FROM imported_stock i \
     WHERE i.batch_id = (SELECT max(j.batch_id) FROM imported_stock j \
       WHERE j.variant_id = i.variant_id AND j.location_id = i.location_id AND j.date = i.date) \
     AND NOT EXISTS (SELECT 1 FROM inventory_snapshots s \
       WHERE s.variant_id = i.variant_id AND s.location_id = i.location_id AND s.date <= i.date) \
     ORDER BY 1, 2, 3";

// info.rs
pub const INFO_SELECT_ORDERS: &str = "SELECT min(created_at), max(created_at) FROM orders";
pub const INFO_SELECT_SYNC_STATE: &str = "SELECT max(last_synced_at) FROM sync_state \
     WHERE status NOT IN ('running', 'interrupted')";
pub const INFO_PRAGMA_STMT: &str = "PRAGMA user_version";

// db.rs: the migration runner
pub const MIGRATE_FOREIGN_KEYS_OFF: &str = "PRAGMA foreign_keys = OFF";
pub const MIGRATE_FOREIGN_KEYS_ON: &str = "PRAGMA foreign_keys = ON";
/// The first table with a row whose foreign key points at nothing, if any.
pub const MIGRATE_FOREIGN_KEY_CHECK: &str =
    "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1";

// read.rs
pub const MERCHANT_SELECT_MERCHANT: &str =
    "SELECT name, currency, timezone, as_of, is_demo, created_at FROM merchant";
pub const STORES_SELECT_STORES: &str = "SELECT id, platform, name, base_url, keychain_ref, settings, created_at FROM stores ORDER BY id";
pub const LOCATIONS_SELECT_LOCATIONS: &str =
    "SELECT id, store_id, external_id, code, name, kind, active FROM locations ORDER BY id";
pub const SUPPLIERS_SELECT_SUPPLIERS: &str =
    "SELECT id, name, currency, lead_time_mean_days, lead_time_sd_days, moq, case_pack, \
     price_breaks, email, external_id, notes FROM suppliers ORDER BY name";
pub const SUPPLIER_SKUS_SELECT_SUPPLIER_SKUS: &str =
    "SELECT supplier_id, variant_id, supplier_sku, unit_cost, is_primary, moq, case_pack, \
     lead_time_days FROM supplier_skus ORDER BY variant_id, is_primary DESC, supplier_id";
pub const PROMOTIONS_SELECT_PROMOTIONS: &str =
    "SELECT id, name, start_date, end_date, discount_pct, variant_id, category, location_id, \
     expected_lift FROM promotions ORDER BY start_date, id";
pub const RECEIPTS_SELECT_RECEIPTS: &str =
    "SELECT id, supplier_id, variant_id, location_id, reference, ordered_date, expected_date, \
     received_date, quantity FROM receipts ORDER BY ordered_date, id";
pub const SNAPSHOTS_SELECT_INVENTORY_SNAPSHOTS: &str =
    "SELECT variant_id, location_id, date, on_hand, committed, incoming FROM inventory_snapshots \
     WHERE variant_id = ?1 AND location_id = ?2 ORDER BY date";
pub const INVENTORY_ON_SELECT_INVENTORY_SNAPSHOTS: &str =
    "SELECT s.variant_id, s.location_id, s.date, s.on_hand, s.committed, s.incoming \
     FROM inventory_snapshots s \
     JOIN (SELECT variant_id, location_id, max(date) AS d FROM inventory_snapshots \
     WHERE date <= ?1 GROUP BY variant_id, location_id) m \
     ON m.variant_id = s.variant_id AND m.location_id = s.location_id AND m.d = s.date \
     ORDER BY s.variant_id, s.location_id";
pub const SYNC_STATES_SELECT_SYNC_STATE: &str =
    "SELECT store_id, resource, cursor, updated_since, last_synced_at, status, last_error \
     FROM sync_state ORDER BY store_id, resource";
pub const LAST_RUN_SELECT_RUNS: &str =
    "SELECT id, kind, started_at, finished_at, status, params, summary FROM runs \
     WHERE kind = ?1 AND status = 'ok' ORDER BY id DESC LIMIT 1";

// write.rs
pub const SET_MERCHANT_INSERT_MERCHANT: &str =
    "INSERT INTO merchant (id, name, currency, timezone, as_of, is_demo, created_at) \
     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET name = excluded.name, \
     currency = excluded.currency, timezone = excluded.timezone, as_of = excluded.as_of, \
     is_demo = excluded.is_demo";
pub const INSERT_STORE_INSERT_STORES: &str =
    "INSERT INTO stores (platform, name, base_url, keychain_ref, settings, created_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub const DELETE_STORE_DELETE_STORES: &str = "DELETE FROM stores WHERE id = ?1";
pub const INSERT_LOCATION_INSERT_LOCATIONS: &str =
    "INSERT INTO locations (store_id, external_id, code, name, kind) VALUES (?1, ?2, ?3, ?4, ?5)";
pub const INSERT_PRODUCT_INSERT_PRODUCTS: &str =
    "INSERT INTO products (store_id, external_id, title, category, vendor, status, \
     created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
pub const INSERT_VARIANT_INSERT_VARIANTS: &str =
    "INSERT INTO variants (product_id, external_id, sku, title, barcode, price, cost, \
     attributes, status, created_date, discontinue_date, updated_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
pub const INSERT_SUPPLIER_INSERT_SUPPLIERS: &str =
    "INSERT INTO suppliers (name, currency, lead_time_mean_days, lead_time_sd_days, moq, \
     case_pack, price_breaks, email, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
pub const UPDATE_SUPPLIER_UPDATE_SUPPLIERS: &str =
    "UPDATE suppliers SET name = ?2, currency = ?3, lead_time_mean_days = ?4, \
     lead_time_sd_days = ?5, moq = ?6, case_pack = ?7, price_breaks = ?8, email = ?9, \
     notes = ?10 WHERE id = ?1";
pub const LINK_SUPPLIER_SKU_INSERT_SUPPLIER_SKUS: &str =
    "INSERT OR REPLACE INTO supplier_skus (supplier_id, variant_id, supplier_sku, \
     unit_cost, is_primary, moq, case_pack, lead_time_days) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub const PUT_SNAPSHOT_INSERT_INVENTORY_SNAPSHOTS: &str =
    "INSERT OR REPLACE INTO inventory_snapshots (variant_id, location_id, date, on_hand, \
     committed, incoming) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub const INSERT_ORDER_INSERT_ORDERS: &str =
    "INSERT INTO orders (store_id, external_id, name, location_id, created_at, updated_at, \
     cancelled_at, currency, channel) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
pub const INSERT_ORDER_INSERT_ORDER_LINES: &str =
    "INSERT INTO order_lines (order_id, external_id, variant_id, sku, quantity, unit_price, \
     discount, cancelled_qty) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub const INSERT_REFUND_INSERT_REFUNDS: &str =
    "INSERT INTO refunds (order_id, order_line_id, external_id, created_at, quantity, \
     amount, restocked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const INSERT_RECEIPT_INSERT_RECEIPTS: &str =
    "INSERT INTO receipts (supplier_id, variant_id, location_id, reference, ordered_date, \
     expected_date, received_date, quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub const INSERT_PROMOTION_INSERT_PROMOTIONS: &str =
    "INSERT INTO promotions (name, start_date, end_date, discount_pct, variant_id, category, \
     location_id, expected_lift) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
pub const PUT_SYNC_STATE_INSERT_SYNC_STATE: &str =
    "INSERT OR REPLACE INTO sync_state (store_id, resource, cursor, updated_since, \
     last_synced_at, status, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const BEGIN_RUN_INSERT_RUNS: &str =
    "INSERT INTO runs (kind, started_at, status, params) VALUES (?1, ?2, 'running', ?3)";
pub const FINISH_RUN_UPDATE_RUNS: &str =
    "UPDATE runs SET status = ?2, summary = ?3, finished_at = ?4 WHERE id = ?1";

// db.rs
pub const ENSURE_NOT_IN_USE_PRAGMA_STMT: &str = "PRAGMA locking_mode = EXCLUSIVE";
pub const IDENTIFY_SELECT_SQLITE_MASTER: &str =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
pub const CONFIGURE_PRAGMA_STMT: &str = "PRAGMA journal_mode = WAL";

// info.rs: the counts of `forestock info`
pub const COUNT_STORES: &str = "SELECT count(*) FROM stores";
pub const COUNT_VARIANTS: &str = "SELECT count(*) FROM variants";
pub const COUNT_VARIANTS_ACTIVE: &str = "SELECT count(*) FROM variants WHERE status = 'active'";
pub const COUNT_PRODUCTS: &str = "SELECT count(*) FROM products";
pub const COUNT_LOCATIONS: &str = "SELECT count(*) FROM locations";
pub const COUNT_SUPPLIERS: &str = "SELECT count(*) FROM suppliers";
pub const COUNT_ORDERS: &str = "SELECT count(*) FROM orders";
pub const COUNT_ORDER_LINES: &str = "SELECT count(*) FROM order_lines";
pub const COUNT_ORDERS_CANCELLED: &str =
    "SELECT count(*) FROM orders WHERE cancelled_at IS NOT NULL";
pub const COUNT_REFUNDS: &str = "SELECT count(*) FROM refunds";
pub const UNITS_SOLD: &str = "SELECT coalesce(sum(quantity - cancelled_qty), 0) - \
     (SELECT coalesce(sum(quantity), 0) FROM refunds) FROM order_lines";
pub const COUNT_INVENTORY_SNAPSHOTS: &str = "SELECT count(*) FROM inventory_snapshots";
pub const COUNT_PROMOTIONS: &str = "SELECT count(*) FROM promotions";
pub const PROMOTION_SELECT_PROMOTIONS: &str =
    "SELECT id, name, start_date, end_date, discount_pct, variant_id, category, location_id, \
     expected_lift FROM promotions WHERE id = ?1";
pub const UPDATE_PROMOTION_UPDATE_PROMOTIONS: &str =
    "UPDATE promotions SET name = ?2, start_date = ?3, end_date = ?4, discount_pct = ?5, \
     variant_id = ?6, category = ?7, location_id = ?8, expected_lift = ?9 WHERE id = ?1";
pub const DELETE_PROMOTION_DELETE_PROMOTIONS: &str = "DELETE FROM promotions WHERE id = ?1";
pub const COUNT_RECEIPTS: &str = "SELECT count(*) FROM receipts";

/// The columns of a [`Sku`](crate::Sku) read, from `variants v JOIN products p`, then `$tail`.
macro_rules! sku_select {
    ($tail:literal) => {
        concat!(
            "SELECT v.id, v.product_id, v.external_id, v.sku, v.title, p.title, p.category, \
     p.vendor, v.barcode, v.price, v.cost, v.attributes, v.status, v.created_date, \
     v.discontinue_date FROM variants v JOIN products p ON p.id = v.product_id",
            $tail
        )
    };
}
pub const SKUS: &str = sku_select!(" ORDER BY v.sku");
pub const SKU_BY_CODE: &str = sku_select!(" WHERE v.sku = ?1");

pub const SUPPLIER_SKU_COUNTS: &str =
    "SELECT supplier_id, count(*) FROM supplier_skus GROUP BY supplier_id";
pub const SUPPLIER_PURCHASE_ORDERS: &str =
    "SELECT number, status FROM purchase_orders WHERE supplier_id = ?1 ORDER BY number";
pub const MERGE_SUPPLIER_DROP_SHARED_LINKS: &str = "DELETE FROM supplier_skus WHERE supplier_id = ?1 AND variant_id IN (SELECT variant_id FROM supplier_skus WHERE supplier_id = ?2)";
pub const MERGE_SUPPLIER_MOVE_LINKS: &str =
    "UPDATE supplier_skus SET supplier_id = ?2 WHERE supplier_id = ?1";
pub const MERGE_SUPPLIER_MOVE_POS: &str =
    "UPDATE purchase_orders SET supplier_id = ?2 WHERE supplier_id = ?1";
pub const MERGE_SUPPLIER_MOVE_RECEIPTS: &str =
    "UPDATE receipts SET supplier_id = ?2 WHERE supplier_id = ?1";
pub const MERGE_SUPPLIER_MOVE_PLAN_LINES: &str =
    "UPDATE plan_lines SET supplier_id = ?2 WHERE supplier_id = ?1";
pub const DELETE_SUPPLIER: &str = "DELETE FROM suppliers WHERE id = ?1";
pub const MAKE_PRIMARY_SUPPLIER: &str =
    "UPDATE supplier_skus SET is_primary = (supplier_id = ?1) WHERE variant_id = ?2";
/// Import batches (`import.rs`): what a batch row holds, in [`crate::ImportBatch`] order.
macro_rules! batch_select {
    ($tail:literal) => {
        concat!(
            "SELECT id, kind, file_name, sha256, format, mapping, rows_read, \
    rows_stored, rows_skipped, actor, imported_at FROM import_batches",
            $tail
        )
    };
}
pub const IMPORT_BATCHES: &str = batch_select!(" ORDER BY id DESC");
pub const IMPORT_BATCH_BY_ID: &str = batch_select!(" WHERE id = ?1");
pub const IMPORT_BATCH_BY_HASH: &str = batch_select!(" WHERE kind = ?1 AND sha256 = ?2");
pub const IMPORT_INSERT_BATCH: &str =
    "INSERT INTO import_batches (kind, file_name, sha256, format, mapping, rows_read, \
     rows_stored, rows_skipped, actor, imported_at) \
     VALUES (?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
pub const IMPORT_SET_COUNTS: &str =
    "UPDATE import_batches SET rows_stored = ?2, rows_skipped = ?3 WHERE id = ?1";
pub const IMPORT_RECORD_CREATED: &str =
    "INSERT INTO import_created (batch_id, entity, entity_id) VALUES (?1, ?2, ?3)";
pub const IMPORT_INSERT_DEMAND: &str =
    "INSERT INTO imported_demand (batch_id, variant_id, location_id, date, units) \
     VALUES (?1, ?2, ?3, ?4, ?5)";
pub const IMPORT_DELETE_DEMAND: &str = "DELETE FROM imported_demand WHERE batch_id = ?1";
// imported.rs
pub const IMPORT_INSERT_STOCK: &str =
    "INSERT INTO imported_stock (batch_id, variant_id, location_id, date, on_hand) \
     VALUES (?1, ?2, ?3, ?4, ?5)";
pub const IMPORT_DELETE_STOCK: &str = "DELETE FROM imported_stock WHERE batch_id = ?1";
pub const IMPORT_INSERT_PROMOTION: &str =
    "INSERT INTO promotions (name, start_date, end_date, discount_pct, variant_id, category, \
     location_id, expected_lift, batch_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
pub const IMPORT_DELETE_PROMOTIONS: &str = "DELETE FROM promotions WHERE batch_id = ?1";
pub const IMPORT_CREATED_OF_BATCH: &str =
    "SELECT entity, entity_id FROM import_created WHERE batch_id = ?1";
pub const IMPORT_DELETE_CREATED: &str = "DELETE FROM import_created WHERE batch_id = ?1";
pub const IMPORT_DELETE_PRODUCT: &str = "DELETE FROM products WHERE id = ?1";
pub const IMPORT_DELETE_VARIANT: &str = "DELETE FROM variants WHERE id = ?1";
pub const IMPORT_DELETE_LOCATION: &str = "DELETE FROM locations WHERE id = ?1";
pub const IMPORT_DELETE_BATCH: &str = "DELETE FROM import_batches WHERE id = ?1";
/// The (table, column) pairs whose foreign key points at table `?1`.
pub const IMPORT_FOREIGN_KEYS_TO: &str =
    "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
     WHERE m.type = 'table' AND f.\"table\" = ?1";
/// Whether a row of `table` has `column = ?1`; names come from the schema itself
/// ([`IMPORT_FOREIGN_KEYS_TO`]), never from input.
pub fn references_row(table: &str, column: &str) -> String {
    format!("SELECT EXISTS (SELECT 1 FROM \"{table}\" WHERE \"{column}\" = ?1)")
}
/// Demand history: the first synced order day per location, and imported daily units.
pub const HISTORY_SYNCED_FROM: &str = "SELECT location_id, date(min(created_at)) FROM orders \
     WHERE location_id IS NOT NULL GROUP BY location_id";
pub const HISTORY_IMPORTED_DEMAND: &str =
    "SELECT variant_id, location_id, date, units FROM imported_demand \
     ORDER BY variant_id, location_id, date, batch_id DESC";
/// [`HISTORY_IMPORTED_DEMAND`] of one SKU (`?1`), at every location: the SKU's first imported
/// day is over all of them.
pub const SERIES_IMPORTED_DEMAND: &str =
    "SELECT variant_id, location_id, date, units FROM imported_demand WHERE variant_id = ?1 \
     ORDER BY variant_id, location_id, date, batch_id DESC";

/// Enter or change an exchange rate (merchant-currency units per 1 unit of `?1`).
pub const SET_EXCHANGE_RATE_UPSERT_EXCHANGE_RATES: &str =
    "INSERT INTO exchange_rates (currency, rate, updated_at, updated_by) VALUES (?1, ?2, ?3, ?4) \
     ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, updated_at = excluded.updated_at, \
     updated_by = excluded.updated_by";

/// Every statement above, by name (checked by the test below).
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    (
        "SET_EXCHANGE_RATE_UPSERT_EXCHANGE_RATES",
        SET_EXCHANGE_RATE_UPSERT_EXCHANGE_RATES,
    ),
    ("AUDIT_INSERT_AUDIT_LOG", AUDIT_INSERT_AUDIT_LOG),
    (
        "AUDIT_ENTRIES_SELECT_AUDIT_LOG",
        AUDIT_ENTRIES_SELECT_AUDIT_LOG,
    ),
    ("AUDIT_NAMES_SELECT", AUDIT_NAMES_SELECT),
    ("DEMAND_HISTORY_SELECT_ORDERS", DEMAND_HISTORY_SELECT_ORDERS),
    (
        "DEMAND_HISTORY_SELECT_ORDER_LINES",
        DEMAND_HISTORY_SELECT_ORDER_LINES,
    ),
    (
        "DEMAND_HISTORY_SELECT_REFUNDS",
        DEMAND_HISTORY_SELECT_REFUNDS,
    ),
    (
        "DEMAND_HISTORY_SELECT_INVENTORY_SNAPSHOTS",
        DEMAND_HISTORY_SELECT_INVENTORY_SNAPSHOTS,
    ),
    ("INFO_SELECT_ORDERS", INFO_SELECT_ORDERS),
    ("INFO_SELECT_SYNC_STATE", INFO_SELECT_SYNC_STATE),
    ("INFO_PRAGMA_STMT", INFO_PRAGMA_STMT),
    ("MERCHANT_SELECT_MERCHANT", MERCHANT_SELECT_MERCHANT),
    ("STORES_SELECT_STORES", STORES_SELECT_STORES),
    ("LOCATIONS_SELECT_LOCATIONS", LOCATIONS_SELECT_LOCATIONS),
    ("SUPPLIERS_SELECT_SUPPLIERS", SUPPLIERS_SELECT_SUPPLIERS),
    (
        "SUPPLIER_SKUS_SELECT_SUPPLIER_SKUS",
        SUPPLIER_SKUS_SELECT_SUPPLIER_SKUS,
    ),
    ("PROMOTIONS_SELECT_PROMOTIONS", PROMOTIONS_SELECT_PROMOTIONS),
    ("RECEIPTS_SELECT_RECEIPTS", RECEIPTS_SELECT_RECEIPTS),
    (
        "SNAPSHOTS_SELECT_INVENTORY_SNAPSHOTS",
        SNAPSHOTS_SELECT_INVENTORY_SNAPSHOTS,
    ),
    (
        "INVENTORY_ON_SELECT_INVENTORY_SNAPSHOTS",
        INVENTORY_ON_SELECT_INVENTORY_SNAPSHOTS,
    ),
    (
        "SYNC_STATES_SELECT_SYNC_STATE",
        SYNC_STATES_SELECT_SYNC_STATE,
    ),
    ("LAST_RUN_SELECT_RUNS", LAST_RUN_SELECT_RUNS),
    ("SET_MERCHANT_INSERT_MERCHANT", SET_MERCHANT_INSERT_MERCHANT),
    ("INSERT_STORE_INSERT_STORES", INSERT_STORE_INSERT_STORES),
    ("DELETE_STORE_DELETE_STORES", DELETE_STORE_DELETE_STORES),
    (
        "INSERT_LOCATION_INSERT_LOCATIONS",
        INSERT_LOCATION_INSERT_LOCATIONS,
    ),
    (
        "INSERT_PRODUCT_INSERT_PRODUCTS",
        INSERT_PRODUCT_INSERT_PRODUCTS,
    ),
    (
        "INSERT_VARIANT_INSERT_VARIANTS",
        INSERT_VARIANT_INSERT_VARIANTS,
    ),
    (
        "INSERT_SUPPLIER_INSERT_SUPPLIERS",
        INSERT_SUPPLIER_INSERT_SUPPLIERS,
    ),
    (
        "UPDATE_SUPPLIER_UPDATE_SUPPLIERS",
        UPDATE_SUPPLIER_UPDATE_SUPPLIERS,
    ),
    (
        "LINK_SUPPLIER_SKU_INSERT_SUPPLIER_SKUS",
        LINK_SUPPLIER_SKU_INSERT_SUPPLIER_SKUS,
    ),
    (
        "PUT_SNAPSHOT_INSERT_INVENTORY_SNAPSHOTS",
        PUT_SNAPSHOT_INSERT_INVENTORY_SNAPSHOTS,
    ),
    ("INSERT_ORDER_INSERT_ORDERS", INSERT_ORDER_INSERT_ORDERS),
    (
        "INSERT_ORDER_INSERT_ORDER_LINES",
        INSERT_ORDER_INSERT_ORDER_LINES,
    ),
    ("INSERT_REFUND_INSERT_REFUNDS", INSERT_REFUND_INSERT_REFUNDS),
    (
        "INSERT_RECEIPT_INSERT_RECEIPTS",
        INSERT_RECEIPT_INSERT_RECEIPTS,
    ),
    (
        "INSERT_PROMOTION_INSERT_PROMOTIONS",
        INSERT_PROMOTION_INSERT_PROMOTIONS,
    ),
    (
        "PUT_SYNC_STATE_INSERT_SYNC_STATE",
        PUT_SYNC_STATE_INSERT_SYNC_STATE,
    ),
    ("BEGIN_RUN_INSERT_RUNS", BEGIN_RUN_INSERT_RUNS),
    ("FINISH_RUN_UPDATE_RUNS", FINISH_RUN_UPDATE_RUNS),
    (
        "ENSURE_NOT_IN_USE_PRAGMA_STMT",
        ENSURE_NOT_IN_USE_PRAGMA_STMT,
    ),
    (
        "IDENTIFY_SELECT_SQLITE_MASTER",
        IDENTIFY_SELECT_SQLITE_MASTER,
    ),
    ("CONFIGURE_PRAGMA_STMT", CONFIGURE_PRAGMA_STMT),
    ("COUNT_STORES", COUNT_STORES),
    ("COUNT_VARIANTS", COUNT_VARIANTS),
    ("COUNT_VARIANTS_ACTIVE", COUNT_VARIANTS_ACTIVE),
    ("COUNT_PRODUCTS", COUNT_PRODUCTS),
    ("COUNT_LOCATIONS", COUNT_LOCATIONS),
    ("COUNT_SUPPLIERS", COUNT_SUPPLIERS),
    ("COUNT_ORDERS", COUNT_ORDERS),
    ("COUNT_ORDER_LINES", COUNT_ORDER_LINES),
    ("COUNT_ORDERS_CANCELLED", COUNT_ORDERS_CANCELLED),
    ("COUNT_REFUNDS", COUNT_REFUNDS),
    ("UNITS_SOLD", UNITS_SOLD),
    ("COUNT_INVENTORY_SNAPSHOTS", COUNT_INVENTORY_SNAPSHOTS),
    ("COUNT_PROMOTIONS", COUNT_PROMOTIONS),
    ("PROMOTION_SELECT_PROMOTIONS", PROMOTION_SELECT_PROMOTIONS),
    (
        "UPDATE_PROMOTION_UPDATE_PROMOTIONS",
        UPDATE_PROMOTION_UPDATE_PROMOTIONS,
    ),
    (
        "DELETE_PROMOTION_DELETE_PROMOTIONS",
        DELETE_PROMOTION_DELETE_PROMOTIONS,
    ),
    ("COUNT_RECEIPTS", COUNT_RECEIPTS),
    ("SKUS", SKUS),
    ("SKU_BY_CODE", SKU_BY_CODE),
    ("SUPPLIER_SKU_COUNTS", SUPPLIER_SKU_COUNTS),
    ("SUPPLIER_PURCHASE_ORDERS", SUPPLIER_PURCHASE_ORDERS),
    (
        "MERGE_SUPPLIER_DROP_SHARED_LINKS",
        MERGE_SUPPLIER_DROP_SHARED_LINKS,
    ),
    ("MERGE_SUPPLIER_MOVE_LINKS", MERGE_SUPPLIER_MOVE_LINKS),
    ("MERGE_SUPPLIER_MOVE_POS", MERGE_SUPPLIER_MOVE_POS),
    ("MERGE_SUPPLIER_MOVE_RECEIPTS", MERGE_SUPPLIER_MOVE_RECEIPTS),
    (
        "MERGE_SUPPLIER_MOVE_PLAN_LINES",
        MERGE_SUPPLIER_MOVE_PLAN_LINES,
    ),
    ("DELETE_SUPPLIER", DELETE_SUPPLIER),
    ("MAKE_PRIMARY_SUPPLIER", MAKE_PRIMARY_SUPPLIER),
    ("IMPORT_BATCHES", IMPORT_BATCHES),
    ("IMPORT_BATCH_BY_ID", IMPORT_BATCH_BY_ID),
    ("IMPORT_BATCH_BY_HASH", IMPORT_BATCH_BY_HASH),
    ("IMPORT_INSERT_BATCH", IMPORT_INSERT_BATCH),
    ("IMPORT_SET_COUNTS", IMPORT_SET_COUNTS),
    ("IMPORT_RECORD_CREATED", IMPORT_RECORD_CREATED),
    ("IMPORT_INSERT_DEMAND", IMPORT_INSERT_DEMAND),
    ("IMPORT_DELETE_DEMAND", IMPORT_DELETE_DEMAND),
    ("IMPORT_INSERT_STOCK", IMPORT_INSERT_STOCK),
    ("IMPORT_DELETE_STOCK", IMPORT_DELETE_STOCK),
    ("IMPORT_INSERT_PROMOTION", IMPORT_INSERT_PROMOTION),
    ("IMPORT_DELETE_PROMOTIONS", IMPORT_DELETE_PROMOTIONS),
    ("MIGRATE_FOREIGN_KEYS_OFF", MIGRATE_FOREIGN_KEYS_OFF),
    ("MIGRATE_FOREIGN_KEYS_ON", MIGRATE_FOREIGN_KEYS_ON),
    ("MIGRATE_FOREIGN_KEY_CHECK", MIGRATE_FOREIGN_KEY_CHECK),
    ("IMPORT_CREATED_OF_BATCH", IMPORT_CREATED_OF_BATCH),
    ("IMPORT_DELETE_CREATED", IMPORT_DELETE_CREATED),
    ("IMPORT_DELETE_PRODUCT", IMPORT_DELETE_PRODUCT),
    ("IMPORT_DELETE_VARIANT", IMPORT_DELETE_VARIANT),
    ("IMPORT_DELETE_LOCATION", IMPORT_DELETE_LOCATION),
    ("IMPORT_DELETE_BATCH", IMPORT_DELETE_BATCH),
    ("IMPORT_FOREIGN_KEYS_TO", IMPORT_FOREIGN_KEYS_TO),
    ("HISTORY_SYNCED_FROM", HISTORY_SYNCED_FROM),
    ("HISTORY_IMPORTED_DEMAND", HISTORY_IMPORTED_DEMAND),
    ("SERIES_IMPORTED_DEMAND", SERIES_IMPORTED_DEMAND),
    (
        "SERIES_HISTORY_SELECT_ORDER_LINES",
        SERIES_HISTORY_SELECT_ORDER_LINES,
    ),
    (
        "SERIES_HISTORY_SELECT_REFUNDS",
        SERIES_HISTORY_SELECT_REFUNDS,
    ),
    (
        "SERIES_HISTORY_SELECT_INVENTORY_SNAPSHOTS",
        SERIES_HISTORY_SELECT_INVENTORY_SNAPSHOTS,
    ),
];

#[cfg(test)]
mod tests {
    crate::sql_owner_tests!(super::ALL, &["sql.rs", "sql_check.rs"]);
}
