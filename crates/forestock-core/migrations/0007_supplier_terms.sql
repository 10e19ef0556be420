-- Per-SKU supplier terms. A supplier's catalogue often differs by item: one SKU ships in
-- cases of 12, another in cases of 6, a bulky one from a further warehouse. Each column is
-- NULL when the SKU follows the supplier's own setting (suppliers.moq, case_pack,
-- lead_time_mean_days). The currency of `unit_cost` is always the supplier's currency: a PO
-- is drafted per supplier in one currency.
ALTER TABLE supplier_skus ADD COLUMN moq INTEGER CHECK (moq IS NULL OR moq >= 1);
ALTER TABLE supplier_skus ADD COLUMN case_pack INTEGER CHECK (case_pack IS NULL OR case_pack >= 1);
ALTER TABLE supplier_skus ADD COLUMN lead_time_days REAL
    CHECK (lead_time_days IS NULL OR lead_time_days > 0);

-- A new alert kind: lines with demand to order but no supplier ("needs a supplier"). SQLite
-- cannot change a CHECK constraint in place: the table is rebuilt with the same columns
-- (the documented "12-step" table change, sqlite.org/lang_altertable.html §7; no other table
-- references `alerts`).
CREATE TABLE alerts_new (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN
                 ('stockout_risk','sales_spike','sales_drop','inventory_drift','forecast_accuracy',
                  'po_overdue','needs_supplier')),
    severity     TEXT NOT NULL CHECK (severity IN ('high','medium','low')),
    variant_id   INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    location_id  INTEGER REFERENCES locations(id) ON DELETE CASCADE,
    po_id        INTEGER REFERENCES purchase_orders(id) ON DELETE CASCADE,
    reference    TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    action       TEXT NOT NULL,
    score        REAL NOT NULL DEFAULT 0,
    data         TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO alerts_new SELECT id, run_id, rank, kind, severity, variant_id, location_id, po_id,
    reference, title, evidence, action, score, data FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
CREATE INDEX alerts_run ON alerts(run_id, rank);
