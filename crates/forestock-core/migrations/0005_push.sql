-- Push: a per-database identity for NetSuite external ids, and outbox rows linked to their PO.

-- One row, minted on first use (not here: a database copied from a template before its
-- first push must still get its own id). NetSuite external ids are `FCST-<db_id>-<number>`,
-- so two merchant databases pushing their own PO-00001 to one account never collide.
CREATE TABLE database_identity (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    db_id       TEXT NOT NULL CHECK (length(db_id) > 0),
    created_at  TEXT NOT NULL
);

-- The outbox again, with the PO each row pushes (`po_id`, so its status is checked at the
-- moment of sending) and a `skipped` state (a PO no longer approved or exported is never
-- sent). The row keeps the external id it was first queued under: a PO pushed before this
-- migration as `FCST-<number>` keeps being upserted under that id.
CREATE TABLE outbox_v5 (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('purchase_order')),
    external_id   TEXT NOT NULL CHECK (length(external_id) > 0),
    po_id         INTEGER REFERENCES purchase_orders(id) ON DELETE SET NULL,
    -- The document to send (JSON), frozen at approval time.
    payload       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending'
                  CHECK (status IN ('pending','sent','failed','skipped')),
    attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- The remote record's id once pushed (NetSuite internal id).
    remote_id     TEXT,
    last_error    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    sent_at       TEXT,
    UNIQUE (store_id, kind, external_id)
);
INSERT INTO outbox_v5 (id, store_id, kind, external_id, po_id, payload, status, attempts,
                       remote_id, last_error, created_at, updated_at, sent_at)
SELECT o.id, o.store_id, o.kind, o.external_id,
       (SELECT p.id FROM purchase_orders p WHERE 'FCST-' || p.number = o.external_id),
       o.payload, o.status, o.attempts, o.remote_id, o.last_error, o.created_at, o.updated_at,
       o.sent_at
FROM outbox o;
DROP TABLE outbox;
ALTER TABLE outbox_v5 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox(status, id);
CREATE UNIQUE INDEX outbox_po ON outbox(store_id, kind, po_id) WHERE po_id IS NOT NULL;
