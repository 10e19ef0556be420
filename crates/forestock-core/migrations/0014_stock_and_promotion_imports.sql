-- On-hand snapshots and promotion calendars brought in from files (`forestock import stock`,
-- `forestock import promotions`, the app's Import screen), as batches like history files.

-- A batch is now of one of three kinds. SQLite cannot change a CHECK constraint in place, so
-- the table is rebuilt as <https://www.sqlite.org/lang_altertable.html#otheralter> describes:
-- the migration runner turns foreign keys off around the migrations (so dropping the old table
-- does not cascade to the rows that refer to it) and checks them all before committing.
CREATE TABLE import_batches_new (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('history', 'stock', 'promotions')),
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
INSERT INTO import_batches_new (id, kind, file_name, sha256, format, mapping, rows_read,
    rows_stored, rows_skipped, actor, imported_at)
    SELECT id, kind, file_name, sha256, format, mapping, rows_read, rows_stored, rows_skipped,
    actor, imported_at FROM import_batches;
DROP TABLE import_batches;
ALTER TABLE import_batches_new RENAME TO import_batches;

-- End-of-day units on hand per SKU x location x day, as a batch brought them in. The demand
-- history reads them beside synced snapshots (see `Reader::demand_history`): a day at 0 with
-- no sale is a stockout, not a day without demand.
CREATE TABLE imported_stock (
    variant_id   INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id  INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    batch_id     INTEGER NOT NULL REFERENCES import_batches(id) ON DELETE CASCADE,
    on_hand      INTEGER NOT NULL CHECK (on_hand >= 0),
    PRIMARY KEY (variant_id, location_id, date, batch_id)
) WITHOUT ROWID;
CREATE INDEX imported_stock_batch ON imported_stock(batch_id);

-- A promotion a calendar file brought in belongs to its batch (undone with it); promotions
-- entered otherwise have none.
ALTER TABLE promotions ADD COLUMN batch_id INTEGER REFERENCES import_batches(id) ON DELETE CASCADE;
CREATE INDEX promotions_batch ON promotions(batch_id);
