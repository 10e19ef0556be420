//! Typed writes. Every method runs inside the [`Writer`]'s transaction.

use crate::db::Writer;
use crate::error::{Error, Result};
use crate::model::*;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

fn check_currency(what: &'static str, c: &str) -> Result<()> {
    if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Error::invalid(
            what,
            format!("currency {c:?} is not a 3-letter ISO code"),
        ))
    }
}

impl Writer<'_> {
    /// Set the merchant's name, currency and data date (one merchant per database).
    pub fn set_merchant(&self, m: &Merchant) -> Result<()> {
        check_currency("merchant", &m.currency)?;
        self.tx.execute(
            "INSERT INTO merchant (id, name, currency, timezone, as_of, is_demo, created_at) \
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET name = excluded.name, \
             currency = excluded.currency, timezone = excluded.timezone, as_of = excluded.as_of, \
             is_demo = excluded.is_demo",
            params![m.name, m.currency, m.timezone, m.as_of, m.is_demo, m.created_at],
        )?;
        Ok(())
    }

    pub fn insert_store(&self, s: &NewStore, now: NaiveDateTime) -> Result<i64> {
        if s.name.trim().is_empty() {
            return Err(Error::invalid("store", "name is empty"));
        }
        self.tx.execute(
            "INSERT INTO stores (platform, name, base_url, keychain_ref, settings, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                s.platform,
                s.name,
                s.base_url,
                s.keychain_ref,
                s.settings,
                now
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Remove a store; its synced rows stay (their store reference is cleared).
    pub fn delete_store(&self, store_id: i64) -> Result<()> {
        let n = self
            .tx
            .execute("DELETE FROM stores WHERE id = ?1", [store_id])?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "store",
                key: store_id.to_string(),
            });
        }
        Ok(())
    }

    pub fn insert_location(&self, l: &NewLocation) -> Result<i64> {
        if l.code.trim().is_empty() {
            return Err(Error::invalid("location", "code is empty"));
        }
        self.tx.execute(
            "INSERT INTO locations (store_id, external_id, code, name, kind) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![l.store_id, l.external_id, l.code, l.name, l.kind],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_product(&self, p: &NewProduct) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO products (store_id, external_id, title, category, vendor, status, \
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            )?
            .execute(params![
                p.store_id,
                p.external_id,
                p.title,
                p.category,
                p.vendor,
                p.status,
                p.created_at
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_variant(&self, v: &NewVariant, now: NaiveDateTime) -> Result<i64> {
        if v.sku.trim().is_empty() {
            return Err(Error::invalid("SKU", "code is empty"));
        }
        if !(v.price.is_finite() && v.price >= 0.0)
            || v.cost.is_some_and(|c| !(c.is_finite() && c >= 0.0))
        {
            return Err(Error::invalid(
                "SKU",
                format!("{}: price and cost must be ≥ 0", v.sku),
            ));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO variants (product_id, external_id, sku, title, barcode, price, cost, \
                 attributes, status, created_date, discontinue_date, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                v.product_id,
                v.external_id,
                v.sku,
                v.title,
                v.barcode,
                v.price,
                v.cost,
                v.attributes,
                v.status,
                v.created_date,
                v.discontinue_date,
                now
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_supplier(&self, s: &NewSupplier) -> Result<i64> {
        s.validate()?;
        self.tx.execute(
            "INSERT INTO suppliers (name, currency, lead_time_mean_days, lead_time_sd_days, moq, \
             case_pack, price_breaks, email, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                s.name,
                s.currency,
                s.lead_time_mean_days,
                s.lead_time_sd_days,
                s.moq,
                s.case_pack,
                serde_json::to_string(&s.price_breaks)?,
                s.email,
                s.notes
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Change a supplier's settings (validated first; nothing changes on a bad value).
    pub fn update_supplier(&self, id: i64, s: &NewSupplier) -> Result<()> {
        s.validate()?;
        let n = self.tx.execute(
            "UPDATE suppliers SET name = ?2, currency = ?3, lead_time_mean_days = ?4, \
             lead_time_sd_days = ?5, moq = ?6, case_pack = ?7, price_breaks = ?8, email = ?9, \
             notes = ?10 WHERE id = ?1",
            params![
                id,
                s.name,
                s.currency,
                s.lead_time_mean_days,
                s.lead_time_sd_days,
                s.moq,
                s.case_pack,
                serde_json::to_string(&s.price_breaks)?,
                s.email,
                s.notes
            ],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                what: "supplier",
                key: id.to_string(),
            });
        }
        Ok(())
    }

    pub fn link_supplier_sku(&self, l: &SupplierSku) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO supplier_skus (supplier_id, variant_id, supplier_sku, \
                 unit_cost, is_primary, moq, case_pack, lead_time_days) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                l.supplier_id,
                l.variant_id,
                l.supplier_sku,
                l.unit_cost,
                l.is_primary,
                l.moq,
                l.case_pack,
                l.lead_time_days
            ])?;
        Ok(())
    }

    /// Record the inventory level at the end of a day (replacing that day's row if any).
    pub fn put_snapshot(&self, s: &InventorySnapshot) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO inventory_snapshots (variant_id, location_id, date, on_hand, \
                 committed, incoming) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                s.variant_id,
                s.location_id,
                s.date,
                s.on_hand,
                s.committed,
                s.incoming
            ])?;
        Ok(())
    }

    /// Insert an order with its lines; returns the order id and the line ids in order.
    pub fn insert_order(&self, o: &NewOrder, lines: &[NewOrderLine]) -> Result<(i64, Vec<i64>)> {
        check_currency("order", &o.currency)?;
        if lines.is_empty() {
            return Err(Error::invalid("order", format!("{} has no lines", o.name)));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO orders (store_id, external_id, name, location_id, created_at, updated_at, \
                 cancelled_at, currency, channel) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                o.store_id,
                o.external_id,
                o.name,
                o.location_id,
                o.created_at,
                o.updated_at,
                o.cancelled_at,
                o.currency,
                o.channel
            ])?;
        let order_id = self.tx.last_insert_rowid();
        let mut st = self.tx.prepare_cached(
            "INSERT INTO order_lines (order_id, external_id, variant_id, sku, quantity, unit_price, \
             discount, cancelled_qty) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut ids = Vec::with_capacity(lines.len());
        for l in lines {
            if l.quantity <= 0 || l.cancelled_qty < 0 || l.cancelled_qty > l.quantity {
                return Err(Error::invalid(
                    "order line",
                    format!(
                        "{} {}: quantity {} cancelled {}",
                        o.name, l.sku, l.quantity, l.cancelled_qty
                    ),
                ));
            }
            st.execute(params![
                order_id,
                l.external_id,
                l.variant_id,
                l.sku,
                l.quantity,
                l.unit_price,
                l.discount,
                l.cancelled_qty
            ])?;
            ids.push(self.tx.last_insert_rowid());
        }
        Ok((order_id, ids))
    }

    pub fn insert_refund(&self, r: &NewRefund) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO refunds (order_id, order_line_id, external_id, created_at, quantity, \
                 amount, restocked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                r.order_id,
                r.order_line_id,
                r.external_id,
                r.created_at,
                r.quantity,
                r.amount,
                r.restocked
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_receipt(&self, r: &NewReceipt) -> Result<i64> {
        if r.quantity <= 0 {
            return Err(Error::invalid(
                "receipt",
                format!("{}: quantity must be > 0", r.reference),
            ));
        }
        self.tx
            .prepare_cached(
                "INSERT INTO receipts (supplier_id, variant_id, location_id, reference, ordered_date, \
                 expected_date, received_date, quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                r.supplier_id,
                r.variant_id,
                r.location_id,
                r.reference,
                r.ordered_date,
                r.expected_date,
                r.received_date,
                r.quantity
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_promotion(&self, p: &NewPromotion) -> Result<i64> {
        if p.end_date < p.start_date {
            return Err(Error::invalid(
                "promotion",
                format!("{} ends before it starts", p.name),
            ));
        }
        if !(0.0..100.0).contains(&p.discount_pct) {
            return Err(Error::invalid(
                "promotion",
                format!("{}: discount must be 0–99%", p.name),
            ));
        }
        self.tx.execute(
            "INSERT INTO promotions (name, start_date, end_date, discount_pct, variant_id, category, \
             location_id, expected_lift) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                p.name,
                p.start_date,
                p.end_date,
                p.discount_pct,
                p.variant_id,
                p.category,
                p.location_id,
                p.expected_lift
            ],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn put_sync_state(&self, s: &SyncState) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO sync_state (store_id, resource, cursor, updated_since, \
             last_synced_at, status, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                s.store_id,
                s.resource,
                s.cursor,
                s.updated_since,
                s.last_synced_at,
                s.status,
                s.last_error
            ],
        )?;
        Ok(())
    }

    /// Open a run header; finish it with [`Writer::finish_run`].
    pub fn begin_run(
        &self,
        kind: RunKind,
        params: &serde_json::Value,
        now: NaiveDateTime,
    ) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO runs (kind, started_at, status, params) VALUES (?1, ?2, 'running', ?3)",
            params![kind, now, params],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        summary: &serde_json::Value,
        now: NaiveDateTime,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE runs SET status = ?2, summary = ?3, finished_at = ?4 WHERE id = ?1",
            params![run_id, status, summary, now],
        )?;
        Ok(())
    }
}

/// Dates as the database stores them (shared by crates writing their own SQL).
pub fn date_key(d: NaiveDate) -> String {
    d.format(DATE_FMT).to_string()
}
