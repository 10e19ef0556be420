//! Typed reads.

use crate::db::Reader;
use crate::error::{Error, Result};
use crate::model::*;
use crate::sql;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};

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
            .query_row(sql::MERCHANT_SELECT_MERCHANT, [], |r| {
                Ok(Merchant {
                    name: r.get(0)?,
                    currency: r.get(1)?,
                    timezone: r.get(2)?,
                    as_of: r.get(3)?,
                    is_demo: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })
            .optional()?)
    }

    pub fn stores(&self) -> Result<Vec<StoreRecord>> {
        let mut st = self.conn.prepare(sql::STORES_SELECT_STORES)?;
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
        let mut st = self.conn.prepare(sql::LOCATIONS_SELECT_LOCATIONS)?;
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
        let mut st = self.conn.prepare(sql::SKUS)?;
        let rows = st.query_map([], sku_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sku_by_code(&self, code: &str) -> Result<Sku> {
        self.conn
            .query_row(sql::SKU_BY_CODE, [code], sku_from_row)
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "SKU",
                key: code.to_string(),
            })
    }

    pub fn suppliers(&self) -> Result<Vec<Supplier>> {
        let mut st = self.conn.prepare(sql::SUPPLIERS_SELECT_SUPPLIERS)?;
        let rows = st.query_map([], supplier_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn supplier_skus(&self) -> Result<Vec<SupplierSku>> {
        let mut st = self.conn.prepare(sql::SUPPLIER_SKUS_SELECT_SUPPLIER_SKUS)?;
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
        let mut st = self.conn.prepare(sql::PROMOTIONS_SELECT_PROMOTIONS)?;
        let rows = st.query_map([], promotion_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One promotion by id, if it exists.
    pub fn promotion(&self, id: i64) -> Result<Option<Promotion>> {
        let mut st = self.conn.prepare(sql::PROMOTION_SELECT_PROMOTIONS)?;
        let mut rows = st.query_map([id], promotion_from_row)?;
        Ok(rows.next().transpose()?)
    }

    pub fn receipts(&self) -> Result<Vec<Receipt>> {
        let mut st = self.conn.prepare(sql::RECEIPTS_SELECT_RECEIPTS)?;
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
        let mut st = self
            .conn
            .prepare_cached(sql::SNAPSHOTS_SELECT_INVENTORY_SNAPSHOTS)?;
        let rows = st.query_map(params![variant_id, location_id], snapshot_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest inventory level of every SKU×location on or before `date`.
    pub fn inventory_on(&self, date: NaiveDate) -> Result<Vec<InventorySnapshot>> {
        let mut st = self
            .conn
            .prepare(sql::INVENTORY_ON_SELECT_INVENTORY_SNAPSHOTS)?;
        let rows = st.query_map([date], snapshot_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sync_states(&self) -> Result<Vec<SyncState>> {
        let mut st = self.conn.prepare(sql::SYNC_STATES_SELECT_SYNC_STATE)?;
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
            .query_row(sql::LAST_RUN_SELECT_RUNS, [kind], |r| {
                Ok(Run {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    started_at: r.get(2)?,
                    finished_at: r.get(3)?,
                    status: r.get(4)?,
                    params: r.get(5)?,
                    summary: r.get(6)?,
                })
            })
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
