-- Forestock merchant database, first schema.
-- Three kinds of data live here, kept apart:
--   raw synced data   (stores, locations, products, variants, inventory, orders, refunds, receipts)
--   planner's data    (merchant settings, suppliers, supplier links, promotions, audit log)
--   derived data      (runs, and the tables later migrations add: forecasts, recommendations)
-- Derived data can always be rebuilt; the planner's data never is.

CREATE TABLE merchant (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    currency    TEXT NOT NULL CHECK (length(currency) = 3),
    timezone    TEXT NOT NULL DEFAULT 'UTC',
    -- The date the data is complete up to (the demo's "today"); NULL for live stores.
    as_of       TEXT,
    is_demo     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

CREATE TABLE stores (
    id            INTEGER PRIMARY KEY,
    platform      TEXT NOT NULL CHECK (platform IN ('shopify','bigcommerce','adobe','netsuite','demo')),
    name          TEXT NOT NULL,
    base_url      TEXT NOT NULL,
    -- Where the secret lives in the OS keychain (service/account), never the secret itself.
    keychain_ref  TEXT,
    settings      TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    UNIQUE (platform, base_url)
);

CREATE TABLE locations (
    id           INTEGER PRIMARY KEY,
    store_id     INTEGER REFERENCES stores(id) ON DELETE SET NULL,
    external_id  TEXT,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('warehouse','retail')),
    active       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    store_id     INTEGER REFERENCES stores(id) ON DELETE SET NULL,
    external_id  TEXT,
    title        TEXT NOT NULL,
    category     TEXT NOT NULL DEFAULT '',
    vendor       TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('active','draft','archived')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX products_external ON products(store_id, external_id);

CREATE TABLE variants (
    id                INTEGER PRIMARY KEY,
    product_id        INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    external_id       TEXT,
    sku               TEXT NOT NULL UNIQUE CHECK (length(sku) > 0),
    title             TEXT NOT NULL DEFAULT '',
    barcode           TEXT,
    price             REAL NOT NULL CHECK (price >= 0),
    cost              REAL CHECK (cost >= 0),
    attributes        TEXT NOT NULL DEFAULT '{}',
    status            TEXT NOT NULL CHECK (status IN ('active','discontinued','draft')),
    created_date      TEXT NOT NULL,
    discontinue_date  TEXT,
    updated_at        TEXT NOT NULL
);
CREATE INDEX variants_product ON variants(product_id);
CREATE INDEX variants_external ON variants(external_id);

CREATE TABLE suppliers (
    id                   INTEGER PRIMARY KEY,
    name                 TEXT NOT NULL UNIQUE,
    currency             TEXT NOT NULL CHECK (length(currency) = 3),
    lead_time_mean_days  REAL NOT NULL CHECK (lead_time_mean_days > 0),
    lead_time_sd_days    REAL NOT NULL DEFAULT 0 CHECK (lead_time_sd_days >= 0),
    moq                  INTEGER NOT NULL DEFAULT 1 CHECK (moq >= 1),
    case_pack            INTEGER NOT NULL DEFAULT 1 CHECK (case_pack >= 1),
    -- JSON array of {"min_qty": n, "discount_pct": x}, ascending by min_qty.
    price_breaks         TEXT NOT NULL DEFAULT '[]',
    email                TEXT,
    external_id          TEXT,
    notes                TEXT NOT NULL DEFAULT ''
);

CREATE TABLE supplier_skus (
    supplier_id   INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    variant_id    INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    supplier_sku  TEXT,
    unit_cost     REAL CHECK (unit_cost >= 0),
    is_primary    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (supplier_id, variant_id)
);
CREATE INDEX supplier_skus_variant ON supplier_skus(variant_id);

-- Inventory level at the end of `date`. A row holds until the next row for the same
-- SKU×location: a day without a row has the level of the latest earlier row.
CREATE TABLE inventory_snapshots (
    variant_id   INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id  INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    on_hand      INTEGER NOT NULL,
    committed    INTEGER NOT NULL DEFAULT 0 CHECK (committed >= 0),
    incoming     INTEGER NOT NULL DEFAULT 0 CHECK (incoming >= 0),
    PRIMARY KEY (variant_id, location_id, date)
) WITHOUT ROWID;

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,
    store_id      INTEGER REFERENCES stores(id) ON DELETE SET NULL,
    external_id   TEXT,
    name          TEXT NOT NULL,
    location_id   INTEGER REFERENCES locations(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    cancelled_at  TEXT,
    currency      TEXT NOT NULL CHECK (length(currency) = 3),
    channel       TEXT NOT NULL DEFAULT 'online'
);
CREATE UNIQUE INDEX orders_external ON orders(store_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX orders_created ON orders(created_at);

CREATE TABLE order_lines (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    external_id     TEXT,
    variant_id      INTEGER REFERENCES variants(id) ON DELETE SET NULL,
    sku             TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price      REAL NOT NULL CHECK (unit_price >= 0),
    discount        REAL NOT NULL DEFAULT 0 CHECK (discount >= 0),
    cancelled_qty   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled_qty >= 0),
    CHECK (cancelled_qty <= quantity)
);
CREATE INDEX order_lines_order ON order_lines(order_id);
CREATE INDEX order_lines_variant ON order_lines(variant_id);

CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    order_line_id  INTEGER NOT NULL REFERENCES order_lines(id) ON DELETE CASCADE,
    external_id    TEXT,
    created_at     TEXT NOT NULL,
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    amount         REAL NOT NULL CHECK (amount >= 0),
    restocked      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refunds_line ON refunds(order_line_id);

-- Goods arriving from suppliers: open (on order) until received_date is set.
CREATE TABLE receipts (
    id             INTEGER PRIMARY KEY,
    supplier_id    INTEGER REFERENCES suppliers(id) ON DELETE SET NULL,
    variant_id     INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id    INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    reference      TEXT NOT NULL,
    ordered_date   TEXT NOT NULL,
    expected_date  TEXT NOT NULL,
    received_date  TEXT,
    quantity       INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX receipts_variant ON receipts(variant_id, location_id);

-- The promotion / campaign calendar, past and planned. Scope: one variant, a category, or
-- everything (both NULL); optionally one location.
CREATE TABLE promotions (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    start_date     TEXT NOT NULL,
    end_date       TEXT NOT NULL,
    discount_pct   REAL NOT NULL DEFAULT 0 CHECK (discount_pct >= 0 AND discount_pct < 100),
    variant_id     INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    category       TEXT,
    location_id    INTEGER REFERENCES locations(id) ON DELETE CASCADE,
    expected_lift  REAL,
    CHECK (end_date >= start_date)
);

CREATE TABLE sync_state (
    store_id        INTEGER NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
    resource        TEXT NOT NULL,
    cursor          TEXT,
    updated_since   TEXT,
    last_synced_at  TEXT,
    status          TEXT NOT NULL DEFAULT 'idle',
    last_error      TEXT,
    PRIMARY KEY (store_id, resource)
);

-- One row per sync, forecast or plan run: the header later tables hang their output on.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('sync','forecast','plan','alerts')),
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL CHECK (status IN ('running','ok','failed','cancelled')),
    params       TEXT NOT NULL DEFAULT '{}',
    summary      TEXT NOT NULL DEFAULT '{}'
);

-- Append-only: every edit, approval, export and push. Triggers forbid change.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    reason    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
