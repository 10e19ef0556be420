-- History brought in from a merchant's own files (`forestock import history`, the app's Import
-- screen). Each file imported is one batch: recorded with its name, its SHA-256 (the same file
-- twice is the same batch), the column mapping used and its row counts, and removable as a
-- whole. Imported daily units live apart from synced orders; the demand history decides which
-- counts for a day (see `Reader::demand_history`).

CREATE TABLE import_batches (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('history')),
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    -- JSON: the file's format and encoding, and field -> column.
    format        TEXT NOT NULL DEFAULT '{}',
    mapping       TEXT NOT NULL DEFAULT '{}',
    rows_read     INTEGER NOT NULL CHECK (rows_read >= 0),
    rows_stored   INTEGER NOT NULL CHECK (rows_stored >= 0),
    rows_skipped  INTEGER NOT NULL DEFAULT 0 CHECK (rows_skipped >= 0),
    actor         TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    UNIQUE (kind, sha256)
);

-- SKUs, products and locations a batch created: undoing the batch removes those nothing
-- else has come to use.
CREATE TABLE import_created (
    batch_id   INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    entity     TEXT NOT NULL CHECK (entity IN ('product','variant','location')),
    entity_id  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, entity, entity_id)
) WITHOUT ROWID;

-- Units sold per SKU x location x day, as a batch brought them in.
CREATE TABLE imported_demand (
    variant_id   INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id  INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    batch_id     INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    units        INTEGER NOT NULL CHECK (units >= 0),
    PRIMARY KEY (variant_id, location_id, date, batch_id)
) WITHOUT ROWID;
CREATE INDEX imported_demand_batch ON imported_demand(batch_id);
