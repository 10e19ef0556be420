//! Typed writes. Every method runs inside the [`Writer`]'s transaction.

use crate::db::Writer;
use crate::error::{Error, Result};
use crate::model::*;
use crate::sql;
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
            sql::SET_MERCHANT_INSERT_MERCHANT,
            params![
                m.name,
                m.currency,
                m.timezone,
                m.as_of,
                m.is_demo,
                m.created_at
            ],
        )?;
        Ok(())
    }

    pub fn insert_store(&self, s: &NewStore, now: NaiveDateTime) -> Result<i64> {
        if s.name.trim().is_empty() {
            return Err(Error::invalid("store", "name is empty"));
        }
        self.tx.execute(
            sql::INSERT_STORE_INSERT_STORES,
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
            .execute(sql::DELETE_STORE_DELETE_STORES, [store_id])?;
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
            sql::INSERT_LOCATION_INSERT_LOCATIONS,
            params![l.store_id, l.external_id, l.code, l.name, l.kind],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    pub fn insert_product(&self, p: &NewProduct) -> Result<i64> {
        self.tx
            .prepare_cached(sql::INSERT_PRODUCT_INSERT_PRODUCTS)?
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
            .prepare_cached(sql::INSERT_VARIANT_INSERT_VARIANTS)?
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

    /// Store the exchange rate of `currency`: units of the merchant's currency per 1 unit of
    /// it (validated by the caller: `forestock_plan::money::set_rate`; the table refuses a rate
    /// of 0 or less).
    pub fn set_exchange_rate(
        &self,
        currency: &str,
        rate: f64,
        at: NaiveDateTime,
        by: &str,
    ) -> Result<()> {
        self.tx.execute(
            sql::SET_EXCHANGE_RATE_UPSERT_EXCHANGE_RATES,
            params![currency, rate, at, by],
        )?;
        Ok(())
    }

    pub fn insert_supplier(&self, s: &NewSupplier) -> Result<i64> {
        s.validate()?;
        self.tx.execute(
            sql::INSERT_SUPPLIER_INSERT_SUPPLIERS,
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
            sql::UPDATE_SUPPLIER_UPDATE_SUPPLIERS,
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
            .prepare_cached(sql::LINK_SUPPLIER_SKU_INSERT_SUPPLIER_SKUS)?
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
            .prepare_cached(sql::PUT_SNAPSHOT_INSERT_INVENTORY_SNAPSHOTS)?
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
            .prepare_cached(sql::INSERT_ORDER_INSERT_ORDERS)?
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
        let mut st = self
            .tx
            .prepare_cached(sql::INSERT_ORDER_INSERT_ORDER_LINES)?;
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
            .prepare_cached(sql::INSERT_REFUND_INSERT_REFUNDS)?
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
            .prepare_cached(sql::INSERT_RECEIPT_INSERT_RECEIPTS)?
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
        crate::imported::check_promotion(p)?;
        self.tx.execute(
            sql::INSERT_PROMOTION_INSERT_PROMOTIONS,
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

    /// Replace promotion `id`'s fields (checked as [`Writer::insert_promotion`] is); false
    /// when no promotion has that id. An imported promotion stays in its batch.
    pub fn update_promotion(&self, id: i64, p: &NewPromotion) -> Result<bool> {
        crate::imported::check_promotion(p)?;
        let n = self.tx.execute(
            sql::UPDATE_PROMOTION_UPDATE_PROMOTIONS,
            params![
                id,
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
        Ok(n == 1)
    }

    /// Delete promotion `id`; false when no promotion has that id.
    pub fn delete_promotion(&self, id: i64) -> Result<bool> {
        Ok(self
            .tx
            .execute(sql::DELETE_PROMOTION_DELETE_PROMOTIONS, [id])?
            == 1)
    }

    pub fn put_sync_state(&self, s: &SyncState) -> Result<()> {
        self.tx.execute(
            sql::PUT_SYNC_STATE_INSERT_SYNC_STATE,
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
        self.tx
            .execute(sql::BEGIN_RUN_INSERT_RUNS, params![kind, now, params])?;
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
            sql::FINISH_RUN_UPDATE_RUNS,
            params![run_id, status, summary, now],
        )?;
        Ok(())
    }
}

/// Dates as the database stores them (shared by crates writing their own SQL).
pub fn date_key(d: NaiveDate) -> String {
    d.format(DATE_FMT).to_string()
}
