//! Named SQL statements of the write-back (tables of migration 0017, and the plan and catalog
//! tables it reads). The test below prepares each one on a freshly migrated database.

/// The latest successful plan run and its planning date.
pub const LATEST_PLAN_RUN: &str = "SELECT id, json_extract(params, '$.today') FROM runs \
     WHERE kind = 'plan' AND status = 'ok' ORDER BY id DESC LIMIT 1";
/// Every line of a plan run: the SKU, its location's code and the line's inputs (forecast and
/// uncertainty).
pub const PLAN_LINES: &str = "SELECT pl.variant_id, l.code, pl.inputs FROM plan_lines pl \
     JOIN locations l ON l.id = pl.location_id WHERE pl.run_id = ?1 \
     ORDER BY pl.variant_id, l.code";
/// SKUs synced from a store: the variant and its product carry the store's ids.
pub const SYNCED_VARIANTS: &str =
    "SELECT v.id, v.sku, v.external_id, p.external_id FROM variants v \
     JOIN products p ON p.id = v.product_id \
     WHERE p.store_id = ?1 AND v.external_id IS NOT NULL AND p.external_id IS NOT NULL \
     ORDER BY v.sku";
pub const WRITTEN: &str = "SELECT variant_id, key, value, remote_id FROM writeback_written \
     WHERE store_id = ?1";
pub const WRITTEN_UPSERT: &str = "INSERT INTO writeback_written \
     (store_id, variant_id, key, value, remote_id, batch_id, written_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
     ON CONFLICT(store_id, variant_id, key) DO UPDATE SET value = excluded.value, \
     remote_id = coalesce(excluded.remote_id, remote_id), batch_id = excluded.batch_id, \
     written_at = excluded.written_at";
pub const SUPERSEDE: &str = "UPDATE writeback_batches SET status = 'superseded' \
     WHERE store_id = ?1 AND status != 'superseded'";
pub const BATCH_INSERT: &str = "INSERT INTO writeback_batches \
     (store_id, plan_run_id, content_hash, lines, skipped, approved_by, approved_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const LINE_INSERT: &str = "INSERT INTO writeback_lines \
     (batch_id, variant_id, sku, owner, key, kind, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/// The store's current batch: the latest one not superseded.
pub const CURRENT_BATCH: &str = "SELECT id, content_hash, lines, skipped, approved_by, \
     approved_at, status, pushed_at, plan_run_id FROM writeback_batches \
     WHERE store_id = ?1 AND status != 'superseded' ORDER BY id DESC LIMIT 1";
pub const BATCH_LINES: &str = "SELECT variant_id, sku, owner, key, kind, value, status, error \
     FROM writeback_lines WHERE batch_id = ?1 ORDER BY sku, key";
pub const LINE_UPDATE: &str = "UPDATE writeback_lines SET status = ?4, error = ?5 \
     WHERE batch_id = ?1 AND variant_id = ?2 AND key = ?3";
pub const BATCH_FINISH: &str =
    "UPDATE writeback_batches SET status = ?2, pushed_at = ?3 WHERE id = ?1";

/// Every statement above, by name (checked by the test below).
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    ("LATEST_PLAN_RUN", LATEST_PLAN_RUN),
    ("PLAN_LINES", PLAN_LINES),
    ("SYNCED_VARIANTS", SYNCED_VARIANTS),
    ("WRITTEN", WRITTEN),
    ("WRITTEN_UPSERT", WRITTEN_UPSERT),
    ("SUPERSEDE", SUPERSEDE),
    ("BATCH_INSERT", BATCH_INSERT),
    ("LINE_INSERT", LINE_INSERT),
    ("CURRENT_BATCH", CURRENT_BATCH),
    ("BATCH_LINES", BATCH_LINES),
    ("LINE_UPDATE", LINE_UPDATE),
    ("BATCH_FINISH", BATCH_FINISH),
];

#[cfg(test)]
mod tests {
    forestock_core::sql_owner_tests!(super::ALL);
}
