-- The planner's week: alert snoozes and dismissals, batched undo, transfer review, dated PO
-- receipts.

-- A snoozed or dismissed alert, keyed by what it is about (alert rows are rebuilt by every
-- alerts run, so their ids do not last). It stays hidden until `until` (snooze) or until the
-- inputs change: the severity rises, or the line's demand over the protection interval or its
-- on-hand moves materially from the figures kept here (forestock-plan `review::material`).
CREATE TABLE alert_mutes (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    variant_id      INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    location_id     INTEGER REFERENCES locations(id) ON DELETE CASCADE,
    reference       TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL CHECK (action IN ('snooze','dismiss')),
    until           TEXT,
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    severity        TEXT NOT NULL,
    basis           TEXT,
    at              TEXT NOT NULL,
    actor           TEXT NOT NULL,
    lifted          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_mutes_key ON alert_mutes(kind, variant_id, location_id, reference);

-- Edits made by one action (approve all within thresholds, a selection) share a batch, so
-- undo takes back the whole action. Older rows (NULL) are one action each.
ALTER TABLE plan_edits ADD COLUMN batch INTEGER;

-- The figures a line's override was decided on (JSON: forestock-plan `material::Basis`); a
-- re-plan keeps the override unless the line's inputs moved materially from them.
ALTER TABLE plan_lines ADD COLUMN override_basis TEXT;

-- Proposed transfers are reviewed like order lines, then exported per pair of locations.
ALTER TABLE plan_transfers ADD COLUMN status TEXT NOT NULL DEFAULT 'proposed'
    CHECK (status IN ('proposed','approved','rejected','exported'));

-- Each receipt against a PO line, dated: partial receipts are several rows. The supplier's
-- lead time is learned from these dates against the PO's order date.
CREATE TABLE po_receipts (
    id            INTEGER PRIMARY KEY,
    po_id         INTEGER NOT NULL REFERENCES purchase_orders(id) ON DELETE CASCADE,
    variant_id    INTEGER NOT NULL REFERENCES variants(id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    received_date TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX po_receipts_po ON po_receipts(po_id);
