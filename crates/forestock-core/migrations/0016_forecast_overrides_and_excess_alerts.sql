-- Manual forecast overrides: the planner's own judgement applied on top of the statistical
-- forecast for a period ("+30% in March, influencer campaign"), for one SKU or one category,
-- optionally one location. Unlike a promotion (an event whose lift the forecaster estimates
-- from history) an override is applied as given, by the plan's forecast step
-- (`forestock-plan::forecast_overrides`). Planner's data: never rebuilt.
CREATE TABLE forecast_overrides (
    id           INTEGER PRIMARY KEY,
    variant_id   INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    category     TEXT,
    location_id  INTEGER REFERENCES locations(id) ON DELETE CASCADE,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    -- 'percent': the forecast mean times (1 + value/100); 'daily_qty': value units a day.
    kind         TEXT NOT NULL CHECK (kind IN ('percent', 'daily_qty')),
    value        REAL NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    CHECK (end_date >= start_date),
    -- Exactly one of a SKU or a category.
    CHECK ((variant_id IS NULL) <> (category IS NULL)),
    CHECK (kind <> 'percent' OR (value > -100 AND value <= 1000)),
    CHECK (kind <> 'daily_qty' OR (value >= 0 AND value <= 1000000))
);
CREATE INDEX forecast_overrides_variant ON forecast_overrides(variant_id);

-- A new alert kind: stock beyond the order-up-to level plus the excess cover ("excess"). SQLite
-- cannot change a CHECK constraint in place: the table is rebuilt with the same columns, as
-- 0007 did (sqlite.org/lang_altertable.html §7; no other table references `alerts`).
CREATE TABLE alerts_new (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN
                 ('stockout_risk','sales_spike','sales_drop','inventory_drift','forecast_accuracy',
                  'po_overdue','needs_supplier','excess')),
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
