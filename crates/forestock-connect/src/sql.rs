//! Named SQL statements of the outbox, the push, the sync lock and the sync state, against
//! tables whose migrations live in `forestock-core/migrations`. The test below prepares each
//! one on a freshly migrated database, so a renamed column fails a test, not a planner.

// outbox.rs
pub const ENQUEUE_ROW_INSERT_OUTBOX: &str = "INSERT INTO outbox (store_id, kind, external_id, po_id, payload, status, created_at, updated_at) \
     VALUES (?1, 'purchase_order', ?2, ?3, ?4, 'pending', ?5, ?5) \
     ON CONFLICT(store_id, kind, external_id) DO UPDATE SET payload = excluded.payload, \
     po_id = coalesce(excluded.po_id, po_id), \
     status = 'pending', last_error = NULL, updated_at = excluded.updated_at";
pub const ENQUEUE_ROW_SELECT_OUTBOX: &str =
    "SELECT id FROM outbox WHERE store_id = ?1 AND kind = 'purchase_order' AND external_id = ?2";
pub const EXTERNAL_ID_OF_SELECT_OUTBOX: &str =
    "SELECT external_id FROM outbox WHERE store_id = ?1 AND kind = 'purchase_order' \
     AND (po_id = ?2 OR (po_id IS NULL AND external_id = \
     (SELECT 'FCST-' || number FROM purchase_orders WHERE id = ?2))) \
     ORDER BY po_id IS NULL LIMIT 1";
pub const ITEMS_SELECT_OUTBOX: &str =
    "SELECT id, store_id, external_id, po_id, status, attempts, remote_id, last_error \
     FROM outbox WHERE (?1 IS NULL OR status = ?1) ORDER BY id";
pub const NOT_PUSHABLE_SELECT_PURCHASE_ORDERS: &str =
    "SELECT number, status FROM purchase_orders WHERE id = ?1";
pub const RECORD_UPDATE_OUTBOX: &str =
    "UPDATE outbox SET status = ?4, attempts = attempts + 1, remote_id = ?2, \
     last_error = NULL, sent_at = ?3, updated_at = ?3 WHERE id = ?1";
pub const RECORD_UPDATE_OUTBOX_2: &str =
    "UPDATE outbox SET status = ?4, last_error = ?2, updated_at = ?3 \
     WHERE id = ?1";
pub const RECORD_UPDATE_OUTBOX_3: &str =
    "UPDATE outbox SET status = ?2, attempts = attempts + 1, last_error = ?3, \
     updated_at = ?4 WHERE id = ?1";
pub const PENDING_ROWS_SELECT_OUTBOX: &str = "SELECT id, external_id, po_id, payload FROM outbox \
     WHERE store_id = ?1 AND status = 'pending' ORDER BY id";
pub const REMOTE_ID_SELECT_OUTBOX: &str = "SELECT remote_id FROM outbox WHERE store_id = ?1 AND kind = 'purchase_order' AND external_id = ?2";

// push.rs
pub const DATABASE_ID_SELECT_DATABASE_IDENTITY: &str =
    "SELECT db_id FROM database_identity WHERE id = 1";
pub const DATABASE_ID_INSERT_DATABASE_IDENTITY: &str =
    "INSERT OR IGNORE INTO database_identity (id, db_id, created_at) VALUES (1, ?1, ?2)";

// lock.rs
pub const CLEAR_STALE_RUNNING_UPDATE_SYNC_STATE: &str =
    "UPDATE sync_state SET status = 'interrupted', \
     last_error = coalesce(last_error, 'the sync doing this was stopped before it finished') \
     WHERE status = 'running'";
pub const CLEAR_STALE_RUNNING_UPDATE_RUNS: &str =
    "UPDATE runs SET status = 'failed', finished_at = ?1, \
     summary = json_object('error', 'interrupted: the process stopped before it finished') \
     WHERE kind = 'sync' AND status = 'running'";

// state.rs
pub const SAVE_ERROR_INSERT_SYNC_STATE: &str = "INSERT INTO sync_state (store_id, resource, status, last_error) VALUES (?1, ?2, 'failed', ?3) \
     ON CONFLICT(store_id, resource) DO UPDATE SET status = 'failed', last_error = excluded.last_error";

/// Every statement above, by name (checked by the test below).
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    ("ENQUEUE_ROW_INSERT_OUTBOX", ENQUEUE_ROW_INSERT_OUTBOX),
    ("ENQUEUE_ROW_SELECT_OUTBOX", ENQUEUE_ROW_SELECT_OUTBOX),
    ("EXTERNAL_ID_OF_SELECT_OUTBOX", EXTERNAL_ID_OF_SELECT_OUTBOX),
    ("ITEMS_SELECT_OUTBOX", ITEMS_SELECT_OUTBOX),
    (
        "NOT_PUSHABLE_SELECT_PURCHASE_ORDERS",
        NOT_PUSHABLE_SELECT_PURCHASE_ORDERS,
    ),
    ("RECORD_UPDATE_OUTBOX", RECORD_UPDATE_OUTBOX),
    ("RECORD_UPDATE_OUTBOX_2", RECORD_UPDATE_OUTBOX_2),
    ("RECORD_UPDATE_OUTBOX_3", RECORD_UPDATE_OUTBOX_3),
    ("PENDING_ROWS_SELECT_OUTBOX", PENDING_ROWS_SELECT_OUTBOX),
    ("REMOTE_ID_SELECT_OUTBOX", REMOTE_ID_SELECT_OUTBOX),
    (
        "DATABASE_ID_SELECT_DATABASE_IDENTITY",
        DATABASE_ID_SELECT_DATABASE_IDENTITY,
    ),
    (
        "DATABASE_ID_INSERT_DATABASE_IDENTITY",
        DATABASE_ID_INSERT_DATABASE_IDENTITY,
    ),
    (
        "CLEAR_STALE_RUNNING_UPDATE_SYNC_STATE",
        CLEAR_STALE_RUNNING_UPDATE_SYNC_STATE,
    ),
    (
        "CLEAR_STALE_RUNNING_UPDATE_RUNS",
        CLEAR_STALE_RUNNING_UPDATE_RUNS,
    ),
    ("SAVE_ERROR_INSERT_SYNC_STATE", SAVE_ERROR_INSERT_SYNC_STATE),
];

#[cfg(test)]
mod tests {
    forestock_core::sql_owner_tests!(super::ALL);
}
