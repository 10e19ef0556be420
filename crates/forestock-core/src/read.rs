//! Typed reads.

use crate::db::Reader;
use crate::error::{Error, Result};
use crate::model::*;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};

const SKU_COLUMNS: &str = "v.id, v.product_id, v.external_id, v.sku, v.title, p.title, p.category, \
     p.vendor, v.barcode, v.price, v.cost, v.attributes, v.status, v.created_date, v.discontinue_date";

fn sku_from_row(r: &Row<'_>) -> rusqlite::Result<Sku> {
    Ok(Sku {
        id: r.get(0)?,
        product_id: r.get(1)?,
        external_id: r.get(2)?,
        sku: r.get(3)?,
        title: r.get(4)?,
        product_title: r.get(5)?,
        category: r.get(6)?,
        vendor: r.get(7)?,
        barcode: r.get(8)?,
        price: r.get(9)?,
        cost: r.get(10)?,
        attributes: r.get(11)?,
        status: r.get(12)?,
        created_date: r.get(13)?,
        discontinue_date: r.get(14)?,
    })
}

fn supplier_from_row(r: &Row<'_>) -> rusqlite::Result<Supplier> {
    let breaks: String = r.get(7)?;
    Ok(Supplier {
        id: r.get(0)?,
        name: r.get(1)?,
        currency: r.get(2)?,
        lead_time_mean_days: r.get(3)?,
        lead_time_sd_days: r.get(4)?,
        moq: r.get(5)?,
        case_pack: r.get(6)?,
        price_breaks: serde_json::from_str(&breaks).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e))
        })?,
        email: r.get(8)?,
        external_id: r.get(9)?,
        notes: r.get(10)?,
    })
}

fn promotion_from_row(r: &Row<'_>) -> rusqlite::Result<Promotion> {
    Ok(Promotion {
        id: r.get(0)?,
        name: r.get(1)?,
        start_date: r.get(2)?,
        end_date: r.get(3)?,
        discount_pct: r.get(4)?,
        variant_id: r.get(5)?,
        category: r.get(6)?,
        location_id: r.get(7)?,
        expected_lift: r.get(8)?,
    })
}

impl Reader<'_> {
    /// The merchant's settings; `None` before the database is set up.
    pub fn merchant(&self) -> Result<Option<Merchant>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, currency, timezone, as_of, is_demo, created_at FROM merchant",
                [],
                |r| {
                    Ok(Merchant {
                        name: r.get(0)?,
                        currency: r.get(1)?,
                        timezone: r.get(2)?,
                        as_of: r.get(3)?,
                        is_demo: r.get(4)?,
                        created_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn stores(&self) -> Result<Vec<StoreRecord>> {
        let mut st = self.conn.prepare(
            "SELECT id, platform, name, base_url, keychain_ref, settings, created_at FROM stores ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(StoreRecord {
                id: r.get(0)?,
                platform: r.get(1)?,
                name: r.get(2)?,
                base_url: r.get(3)?,
                keychain_ref: r.get(4)?,
                settings: r.get(5)?,
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn locations(&self) -> Result<Vec<Location>> {
        let mut st = self.conn.prepare(
            "SELECT id, store_id, external_id, code, name, kind, active FROM locations ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Location {
                id: r.get(0)?,
                store_id: r.get(1)?,
                external_id: r.get(2)?,
                code: r.get(3)?,
                name: r.get(4)?,
                kind: r.get(5)?,
                active: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every SKU with its product's category and vendor, ordered by SKU code.
    pub fn skus(&self) -> Result<Vec<Sku>> {
        let sql = format!(
            "SELECT {SKU_COLUMNS} FROM variants v JOIN products p ON p.id = v.product_id ORDER BY v.sku"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([], sku_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sku_by_code(&self, code: &str) -> Result<Sku> {
        let sql = format!(
            "SELECT {SKU_COLUMNS} FROM variants v JOIN products p ON p.id = v.product_id WHERE v.sku = ?1"
        );
        self.conn
            .query_row(&sql, [code], sku_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "SKU",
                key: code.to_string(),
            })
    }

    pub fn suppliers(&self) -> Result<Vec<Supplier>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, currency, lead_time_mean_days, lead_time_sd_days, moq, case_pack, \
             price_breaks, email, external_id, notes FROM suppliers ORDER BY name",
        )?;
        let rows = st.query_map([], supplier_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn supplier_skus(&self) -> Result<Vec<SupplierSku>> {
        let mut st = self.conn.prepare(
            "SELECT supplier_id, variant_id, supplier_sku, unit_cost, is_primary, moq, case_pack, \
             lead_time_days FROM supplier_skus \
             ORDER BY variant_id, is_primary DESC, supplier_id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SupplierSku {
                supplier_id: r.get(0)?,
                variant_id: r.get(1)?,
                supplier_sku: r.get(2)?,
                unit_cost: r.get(3)?,
                is_primary: r.get(4)?,
                moq: r.get(5)?,
                case_pack: r.get(6)?,
                lead_time_days: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn promotions(&self) -> Result<Vec<Promotion>> {
        let mut st = self.conn.prepare(
            "SELECT id, name, start_date, end_date, discount_pct, variant_id, category, location_id, \
             expected_lift FROM promotions ORDER BY start_date, id",
        )?;
        let rows = st.query_map([], promotion_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn receipts(&self) -> Result<Vec<Receipt>> {
        let mut st = self.conn.prepare(
            "SELECT id, supplier_id, variant_id, location_id, reference, ordered_date, expected_date, \
             received_date, quantity FROM receipts ORDER BY ordered_date, id",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Receipt {
                id: r.get(0)?,
                supplier_id: r.get(1)?,
                variant_id: r.get(2)?,
                location_id: r.get(3)?,
                reference: r.get(4)?,
                ordered_date: r.get(5)?,
                expected_date: r.get(6)?,
                received_date: r.get(7)?,
                quantity: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All snapshot rows of one SKU×location in date order (change points; see the schema).
    pub fn snapshots(&self, variant_id: i64, location_id: i64) -> Result<Vec<InventorySnapshot>> {
        let mut st = self.conn.prepare_cached(
            "SELECT variant_id, location_id, date, on_hand, committed, incoming FROM inventory_snapshots \
             WHERE variant_id = ?1 AND location_id = ?2 ORDER BY date",
        )?;
        let rows = st.query_map(params![variant_id, location_id], snapshot_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest inventory level of every SKU×location on or before `date`.
    pub fn inventory_on(&self, date: NaiveDate) -> Result<Vec<InventorySnapshot>> {
        let mut st = self.conn.prepare(
            "SELECT s.variant_id, s.location_id, s.date, s.on_hand, s.committed, s.incoming \
             FROM inventory_snapshots s \
             JOIN (SELECT variant_id, location_id, max(date) AS d FROM inventory_snapshots \
                   WHERE date <= ?1 GROUP BY variant_id, location_id) m \
               ON m.variant_id = s.variant_id AND m.location_id = s.location_id AND m.d = s.date \
             ORDER BY s.variant_id, s.location_id",
        )?;
        let rows = st.query_map([date], snapshot_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sync_states(&self) -> Result<Vec<SyncState>> {
        let mut st = self.conn.prepare(
            "SELECT store_id, resource, cursor, updated_since, last_synced_at, status, last_error \
             FROM sync_state ORDER BY store_id, resource",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SyncState {
                store_id: r.get(0)?,
                resource: r.get(1)?,
                cursor: r.get(2)?,
                updated_since: r.get(3)?,
                last_synced_at: r.get(4)?,
                status: r.get(5)?,
                last_error: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sync_state(&self, store_id: i64, resource: &str) -> Result<Option<SyncState>> {
        Ok(self
            .sync_states()?
            .into_iter()
            .find(|s| s.store_id == store_id && s.resource == resource))
    }

    /// The latest run of a kind that finished (ok), if any.
    pub fn last_run(&self, kind: RunKind) -> Result<Option<Run>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, kind, started_at, finished_at, status, params, summary FROM runs \
                 WHERE kind = ?1 AND status = 'ok' ORDER BY id DESC LIMIT 1",
                [kind],
                |r| {
                    Ok(Run {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        started_at: r.get(2)?,
                        finished_at: r.get(3)?,
                        status: r.get(4)?,
                        params: r.get(5)?,
                        summary: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }
}

pub(crate) fn snapshot_from_row(r: &Row<'_>) -> rusqlite::Result<InventorySnapshot> {
    Ok(InventorySnapshot {
        variant_id: r.get(0)?,
        location_id: r.get(1)?,
        date: r.get(2)?,
        on_hand: r.get(3)?,
        committed: r.get(4)?,
        incoming: r.get(5)?,
    })
}
