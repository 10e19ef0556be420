//! Migrations that rebuild a table keep what refers to it.

use forestock_core::*;

/// Migration 0014 rebuilds `import_batches` (a CHECK constraint cannot change in place): a
/// database with an imported history batch keeps the batch, its daily units and what it
/// created, and the batch can still be undone after the upgrade.
#[test]
fn a_history_batch_and_its_units_survive_the_import_batches_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        for sql in [
            include_str!("../../migrations/0001_merchant.sql"),
            include_str!("../../migrations/0002_connect.sql"),
            include_str!("../../migrations/0003_forecast_runs.sql"),
            include_str!("../../migrations/0004_plan.sql"),
            include_str!("../../migrations/0005_push.sql"),
            include_str!("../../migrations/0006_order_attribution.sql"),
            include_str!("../../migrations/0007_supplier_terms.sql"),
            include_str!("../../migrations/0008_imports.sql"),
        ] {
            c.execute_batch(sql).unwrap();
        }
        c.execute_batch(
            "INSERT INTO locations (id, code, name, kind) VALUES (1, 'WH', 'Warehouse', 'warehouse');
             INSERT INTO products (id, title, status, created_at, updated_at) \
               VALUES (1, 'A', 'active', '2024-01-01T00:00:00', '2024-01-01T00:00:00');
             INSERT INTO variants (id, product_id, sku, price, status, created_date, updated_at) \
               VALUES (1, 1, 'A', 2.0, 'active', '2024-01-01', '2024-01-01T00:00:00');
             INSERT INTO import_batches (id, kind, file_name, sha256, rows_read, rows_stored, \
               actor, imported_at) VALUES (3, 'history', 'sales.csv', printf('%064d', 7), 2, 2, \
               'cli:ana', '2024-02-01T00:00:00');
             INSERT INTO import_created (batch_id, entity, entity_id) \
               VALUES (3, 'variant', 1), (3, 'product', 1);
             INSERT INTO imported_demand (variant_id, location_id, date, batch_id, units) \
               VALUES (1, 1, '2024-01-01', 3, 4), (1, 1, '2024-01-02', 3, 5);
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    let batches = store.read().import_batches().unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!((batches[0].id, batches[0].kind.as_str()), (3, "history"));
    let mut units = Vec::new();
    store
        .read()
        .demand_history(|s| {
            units.extend(s.units.iter().copied());
            Ok(())
        })
        .unwrap();
    assert_eq!(units, [4.0, 5.0]);
    // Foreign keys are back on after the migration: the batch's rows still follow it.
    let w = store.write().unwrap();
    let (_, removed) = w.delete_import_batch(3).unwrap();
    w.commit().unwrap();
    assert_eq!((removed.demand_rows, removed.skus), (2, 1));
    assert!(store.read().skus().unwrap().is_empty());
}
