-- Planning: settings, recommendations (derived, per plan run), the planner's edits, scenarios,
-- purchase orders and alerts. Recommendations can be rebuilt; edits, scenarios and POs cannot.

-- Planner settings (service levels by class, thresholds, guardrails) as one JSON document.
CREATE TABLE plan_settings (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    settings  TEXT NOT NULL
);

-- One row per SKU×location of a plan run (runs.kind = 'plan'). `inputs` holds what the line was
-- computed from (forecast means, uncertainty, lead time, rules) so scenarios recompute only the
-- lines they touch; `detail` holds the full recommendation with its rationale.
CREATE TABLE plan_lines (
    run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant_id      INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id     INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    supplier_id     INTEGER REFERENCES suppliers(id) ON DELETE SET NULL,
    recommended_qty INTEGER NOT NULL CHECK (recommended_qty >= 0),
    override_qty    INTEGER CHECK (override_qty >= 0),
    override_reason TEXT,
    status          TEXT NOT NULL DEFAULT 'proposed'
                    CHECK (status IN ('proposed','approved','rejected','ordered')),
    needs_approval  INTEGER NOT NULL DEFAULT 0,
    order_value     REAL NOT NULL DEFAULT 0,
    inputs          TEXT NOT NULL,
    detail          TEXT NOT NULL,
    PRIMARY KEY (run_id, variant_id, location_id)
) WITHOUT ROWID;
CREATE INDEX plan_lines_supplier ON plan_lines(run_id, supplier_id);

-- Proposed transfers between locations, per plan run.
CREATE TABLE plan_transfers (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant_id       INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    from_location_id INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    to_location_id   INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    reason           TEXT NOT NULL
);

-- Locked SKUs (optionally at one location): re-plans keep the previous quantity.
CREATE TABLE plan_locks (
    variant_id   INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id  INTEGER NOT NULL DEFAULT 0,
    reason       TEXT NOT NULL,
    locked_at    TEXT NOT NULL,
    PRIMARY KEY (variant_id, location_id)
) WITHOUT ROWID;

-- Journal of planner edits for undo (the audit log keeps the permanent record).
CREATE TABLE plan_edits (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL,
    variant_id  INTEGER NOT NULL,
    location_id INTEGER NOT NULL,
    before      TEXT NOT NULL,
    after       TEXT NOT NULL,
    at          TEXT NOT NULL,
    undone      INTEGER NOT NULL DEFAULT 0
);

-- What-if scenarios: named overlays on the baseline plan.
CREATE TABLE scenarios (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','applied','discarded')),
    base_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    changes     TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX scenarios_live_name ON scenarios(name) WHERE status = 'draft';

-- Purchase orders: draft → approved → exported/pushed → partially received → received.
CREATE TABLE purchase_orders (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    supplier_id    INTEGER NOT NULL REFERENCES suppliers(id),
    location_id    INTEGER NOT NULL REFERENCES locations(id),
    run_id         INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    status         TEXT NOT NULL CHECK (status IN
                   ('draft','approved','exported','pushed','partially_received','received','cancelled')),
    currency       TEXT NOT NULL CHECK (length(currency) = 3),
    order_date     TEXT NOT NULL,
    expected_date  TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE po_lines (
    po_id         INTEGER NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    variant_id    INTEGER NOT NULL REFERENCES variants(id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    unit_cost     REAL NOT NULL CHECK (unit_cost >= 0),
    received_qty  INTEGER NOT NULL DEFAULT 0 CHECK (received_qty >= 0),
    notes         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (po_id, variant_id)
) WITHOUT ROWID;

-- Exceptions found by an alerts run (runs.kind = 'alerts'; its params name the plan run it
-- read). Only the ranked, capped, deduplicated list is kept; the run summary counts everything
-- found per kind. `score` is the money at stake in the merchant's currency (the ranking key),
-- `data` the evidence as numbers (JSON) beside the sentence a planner reads.
CREATE TABLE alerts (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN
                 ('stockout_risk','sales_spike','sales_drop','inventory_drift','forecast_accuracy','po_overdue')),
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
CREATE INDEX alerts_run ON alerts(run_id, rank);
