-- Orders the platform gave no location (API-NOTES 5b) are stored at the store's default
-- location and marked, so that when the planner names another location for that demand
-- (the store setting `unattributed_location`) they move there, and only they.
ALTER TABLE orders ADD COLUMN located_by_default INTEGER NOT NULL DEFAULT 0
    CHECK (located_by_default IN (0, 1));
CREATE INDEX orders_defaulted ON orders(store_id) WHERE located_by_default = 1;
