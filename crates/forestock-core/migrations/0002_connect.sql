-- Connect: what the sync and push machinery needs beyond the raw tables of 0001.

-- Lookups the sync does for every row it upserts.
CREATE INDEX locations_external ON locations(store_id, external_id);
CREATE INDEX order_lines_external ON order_lines(order_id, external_id);

-- POs approved (possibly offline) waiting to be pushed to an ERP. One row per PO and
-- target; `external_id` is the idempotency key sent as NetSuite's `eid:` so a retried push
-- updates the same remote record instead of creating a second one.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('purchase_order')),
    external_id   TEXT NOT NULL CHECK (length(external_id) > 0),
    -- The document to send (JSON), frozen at approval time.
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The remote record's id once pushed (NetSuite internal id).
    remote_id     TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sent_at       TEXT,
    UNIQUE (store_id, kind, external_id)
);
CREATE INDEX outbox_pending ON outbox(status, id);

-- Webhook deliveries already applied (Shopify sends at-least-once: dedupe on its id).
CREATE TABLE webhook_deliveries (
    store_id     INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    delivery_id  TEXT NOT NULL,
    topic        TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (store_id, delivery_id)
) WITHOUT ROWID;
