-- Write-back: the forecast of the latest plan pushed to a store (Shopify variant metafields,
-- BigCommerce variant metafields), only after the planner approves the batch.
--
-- A batch is the preview the planner approved, frozen: one row per SKU and field with the
-- exact value to write. `content_hash` is the SHA-256 of that content (store, SKU, owner, key,
-- type, value per line, in order); a push recomputes the preview and refuses when the hash
-- differs (the plan changed since approval: a new approval is needed).
CREATE TABLE writeback_batches (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    plan_run_id   INTEGER REFERENCES runs(id) ON DELETE SET NULL,
    content_hash  TEXT NOT NULL CHECK (length(content_hash) = 64),
    lines         INTEGER NOT NULL CHECK (lines >= 0),
    skipped       INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    approved_by   TEXT NOT NULL,
    approved_at   TEXT NOT NULL,
    -- approved: not pushed yet; pushed: every line written or already up to date;
    -- partial: some lines failed (a later push retries them); superseded: a newer approval.
    status        TEXT NOT NULL DEFAULT 'approved'
                  CHECK (status IN ('approved','pushed','partial','superseded')),
    pushed_at     TEXT
);
CREATE INDEX writeback_batches_store ON writeback_batches(store_id, id);

CREATE TABLE writeback_lines (
    batch_id    INTEGER NOT NULL REFERENCES writeback_batches(id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    sku         TEXT NOT NULL,
    -- The remote owner: a ProductVariant gid (Shopify), `product_id/variant_id` (BigCommerce).
    owner       TEXT NOT NULL,
    key         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','written','unchanged','failed')),
    error       TEXT,
    PRIMARY KEY (batch_id, variant_id, key)
) WITHOUT ROWID;

-- What was last written per store, SKU and field (and the remote record's id where the API
-- updates by id): a push sends only values that differ, so pushing the same batch again, or
-- resuming after a crash, writes nothing twice.
CREATE TABLE writeback_written (
    store_id    INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    variant_id  INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    remote_id   TEXT,
    batch_id    INTEGER NOT NULL,
    written_at  TEXT NOT NULL,
    PRIMARY KEY (store_id, variant_id, key)
) WITHOUT ROWID;
