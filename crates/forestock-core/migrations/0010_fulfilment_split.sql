-- A line fulfilled from several locations (Shopify splits one line across fulfillment orders:
-- 3 units from A, 2 from B; API-NOTES 5b) is stored as one row per location: the part at the
-- order's location leaves this NULL, each other part names its location. Demand reads
-- coalesce(order_lines.location_id, orders.location_id).
ALTER TABLE order_lines ADD COLUMN location_id INTEGER REFERENCES locations(id);
