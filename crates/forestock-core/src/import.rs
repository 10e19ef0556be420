//! Import batches: history, on-hand snapshots and promotion calendars brought in from a
//! merchant's files, one batch per file, recorded (name, SHA-256, mapping, row counts, who,
//! when) and removable as a whole.

use crate::db::{Reader, Writer};
use crate::error::{Error, Result};
use crate::sql;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

/// What a batch's file held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportKind {
    /// Units sold (`imported_demand`).
    History,
    /// End-of-day units on hand (`imported_stock`).
    Stock,
    /// A promotion calendar (`promotions` rows of the batch).
    Promotions,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::History => "history",
            ImportKind::Stock => "stock",
            ImportKind::Promotions => "promotions",
        }
    }
}

/// A batch about to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewImportBatch {
    pub kind: ImportKind,
    pub file_name: String,
    pub sha256: String,
    pub format: serde_json::Value,
    pub mapping: serde_json::Value,
    pub rows_read: i64,
    pub rows_stored: i64,
    pub rows_skipped: i64,
    pub actor: String,
    pub imported_at: NaiveDateTime,
}

/// A stored batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportBatch {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub sha256: String,
    pub format: serde_json::Value,
    pub mapping: serde_json::Value,
    pub rows_read: i64,
    pub rows_stored: i64,
    pub rows_skipped: i64,
    pub actor: String,
    pub imported_at: NaiveDateTime,
}

/// What a batch created, for [`Writer::delete_import_batch`] to remove with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CreatedEntity {
    Product,
    Variant,
    Location,
}

impl CreatedEntity {
    fn as_str(self) -> &'static str {
        match self {
            CreatedEntity::Product => "product",
            CreatedEntity::Variant => "variant",
            CreatedEntity::Location => "location",
        }
    }

    fn table(self) -> &'static str {
        match self {
            CreatedEntity::Product => "products",
            CreatedEntity::Variant => "variants",
            CreatedEntity::Location => "locations",
        }
    }
}

/// What undoing a batch removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedBatch {
    pub demand_rows: i64,
    #[serde(default)]
    pub stock_rows: i64,
    #[serde(default)]
    pub promotions: i64,
    pub skus: i64,
    pub locations: i64,
    /// SKUs and locations the batch created that other data now uses, so they stay.
    pub kept: i64,
}

fn batch(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportBatch> {
    Ok(ImportBatch {
        id: r.get(0)?,
        kind: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        format: r.get(4)?,
        mapping: r.get(5)?,
        rows_read: r.get(6)?,
        rows_stored: r.get(7)?,
        rows_skipped: r.get(8)?,
        actor: r.get(9)?,
        imported_at: r.get(10)?,
    })
}

impl Writer<'_> {
    /// Record a batch; refuses a file (by SHA-256) already imported as the same kind.
    pub fn insert_import_batch(&self, b: &NewImportBatch) -> Result<i64> {
        if let Some(found) = self.read().import_batch_by_hash(b.kind, &b.sha256)? {
            return Err(Error::invalid(
                "import",
                format!("this file was already imported as batch {}", found.id),
            ));
        }
        self.tx
            .prepare_cached(sql::IMPORT_INSERT_BATCH)?
            .execute(params![
                b.file_name,
                b.sha256,
                b.format,
                b.mapping,
                b.rows_read,
                b.rows_stored,
                b.rows_skipped,
                b.actor,
                b.imported_at,
                b.kind.as_str()
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// The batch's final row counts, once its rows are stored.
    pub fn set_import_counts(&self, batch: i64, stored: i64, skipped: i64) -> Result<()> {
        self.tx
            .execute(sql::IMPORT_SET_COUNTS, params![batch, stored, skipped])?;
        Ok(())
    }

    /// Note that `batch` created a product, SKU or location.
    pub fn record_import_created(&self, batch: i64, what: CreatedEntity, id: i64) -> Result<()> {
        self.tx
            .prepare_cached(sql::IMPORT_RECORD_CREATED)?
            .execute(params![batch, what.as_str(), id])?;
        Ok(())
    }

    /// Store one day of imported units for a SKU × location.
    pub fn insert_imported_demand(
        &self,
        batch: i64,
        variant_id: i64,
        location_id: i64,
        date: NaiveDate,
        units: i64,
    ) -> Result<()> {
        if units < 0 {
            return Err(Error::invalid(
                "imported units",
                format!("{units} is negative"),
            ));
        }
        self.tx
            .prepare_cached(sql::IMPORT_INSERT_DEMAND)?
            .execute(params![batch, variant_id, location_id, date, units])?;
        Ok(())
    }

    /// Remove batch `id` as a whole: its demand, stock and promotion rows, its record, and the
    /// SKUs, products and locations it created that nothing else refers to (any foreign key of any table, so a
    /// later sync's orders or a plan keep theirs).
    pub fn delete_import_batch(&self, id: i64) -> Result<(ImportBatch, RemovedBatch)> {
        let found = self.read().import_batch(id)?;
        let mut removed = RemovedBatch {
            demand_rows: i64::try_from(self.tx.execute(sql::IMPORT_DELETE_DEMAND, [id])?)
                .unwrap_or(i64::MAX),
            stock_rows: i64::try_from(self.tx.execute(sql::IMPORT_DELETE_STOCK, [id])?)
                .unwrap_or(i64::MAX),
            promotions: i64::try_from(self.tx.execute(sql::IMPORT_DELETE_PROMOTIONS, [id])?)
                .unwrap_or(i64::MAX),
            ..RemovedBatch::default()
        };
        let created: Vec<(String, i64)> = self
            .tx
            .prepare(sql::IMPORT_CREATED_OF_BATCH)?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        self.tx.execute(sql::IMPORT_DELETE_CREATED, [id])?;
        // Variants first: a product is free once its variants are gone.
        for what in [
            CreatedEntity::Variant,
            CreatedEntity::Location,
            CreatedEntity::Product,
        ] {
            for (_, entity_id) in created.iter().filter(|(e, _)| e == what.as_str()) {
                if self.is_referenced(what.table(), *entity_id)? {
                    removed.kept += 1;
                    continue;
                }
                let delete = match what {
                    CreatedEntity::Product => sql::IMPORT_DELETE_PRODUCT,
                    CreatedEntity::Variant => sql::IMPORT_DELETE_VARIANT,
                    CreatedEntity::Location => sql::IMPORT_DELETE_LOCATION,
                };
                self.tx.execute(delete, [entity_id])?;
                match what {
                    CreatedEntity::Variant => removed.skus += 1,
                    CreatedEntity::Location => removed.locations += 1,
                    CreatedEntity::Product => {}
                }
            }
        }
        self.tx.execute(sql::IMPORT_DELETE_BATCH, [id])?;
        Ok((found, removed))
    }

    /// Whether any row of any table refers to `table`'s row `id` through a foreign key.
    fn is_referenced(&self, table: &str, id: i64) -> Result<bool> {
        let refs: Vec<(String, String)> = self
            .tx
            .prepare_cached(sql::IMPORT_FOREIGN_KEYS_TO)?
            .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (t, c) in refs {
            // Names from the schema itself, not from input.
            if self
                .tx
                .query_row(&sql::references_row(&t, &c), [id], |r| r.get::<_, bool>(0))?
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Reader<'_> {
    /// Every batch, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let mut st = self.conn.prepare(sql::IMPORT_BATCHES)?;
        let rows = st.query_map([], batch)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn import_batch(&self, id: i64) -> Result<ImportBatch> {
        self.conn
            .query_row(sql::IMPORT_BATCH_BY_ID, [id], batch)
            .optional()?
            .ok_or(Error::NotFound {
                what: "import batch",
                key: id.to_string(),
            })
    }

    /// The batch of this kind of the file with this SHA-256, if it was imported.
    pub fn import_batch_by_hash(
        &self,
        kind: ImportKind,
        sha256: &str,
    ) -> Result<Option<ImportBatch>> {
        Ok(self
            .conn
            .query_row(
                sql::IMPORT_BATCH_BY_HASH,
                params![kind.as_str(), sha256],
                batch,
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::*;
    use crate::Store;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> NaiveDateTime {
        d(s).and_hms_opt(12, 0, 0).unwrap()
    }

    fn batch(w: &Writer<'_>, n: u8) -> i64 {
        w.insert_import_batch(&NewImportBatch {
            kind: ImportKind::History,
            file_name: format!("f{n}.csv"),
            sha256: format!("{n:064}"),
            format: serde_json::json!({}),
            mapping: serde_json::json!({}),
            rows_read: 1,
            rows_stored: 1,
            rows_skipped: 0,
            actor: "cli:ana".into(),
            imported_at: at("2024-04-01"),
        })
        .unwrap()
    }

    fn variant(w: &Writer<'_>, sku: &str, created: &str) -> (i64, i64) {
        let p = w
            .insert_product(&NewProduct {
                store_id: None,
                external_id: None,
                title: sku.into(),
                category: String::new(),
                vendor: String::new(),
                status: ProductStatus::Active,
                created_at: at(created),
            })
            .unwrap();
        let v = w
            .insert_variant(
                &NewVariant {
                    product_id: p,
                    external_id: None,
                    sku: sku.into(),
                    title: String::new(),
                    barcode: None,
                    price: 2.0,
                    cost: None,
                    attributes: serde_json::json!({}),
                    status: SkuStatus::Active,
                    created_date: d(created),
                    discontinue_date: None,
                },
                at(created),
            )
            .unwrap();
        (p, v)
    }

    fn location(w: &Writer<'_>, code: &str) -> i64 {
        w.insert_location(&NewLocation {
            code: code.into(),
            name: code.into(),
            kind: LocationKind::Retail,
            store_id: None,
            external_id: None,
        })
        .unwrap()
    }

    fn history(store: &Store) -> Vec<(String, String, NaiveDate, f64)> {
        let mut out = Vec::new();
        store
            .read()
            .demand_history(|s| {
                for i in 0..s.units.len() {
                    out.push((s.sku.clone(), s.location.clone(), s.date(i), s.units[i]));
                }
                Ok(())
            })
            .unwrap();
        out
    }

    fn row(sku: &str, loc: &str, day: &str, units: f64) -> (String, String, NaiveDate, f64) {
        (sku.into(), loc.into(), d(day), units)
    }

    /// README "Imported history and synced orders": synced orders win from a location's first
    /// synced day, the latest batch wins between files, and nothing ever adds up twice.
    #[test]
    fn synced_orders_and_a_later_batch_win_and_no_day_counts_twice() {
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        let (wh, shop) = (location(&w, "WH"), location(&w, "SHOP"));
        let (_, a) = variant(&w, "A", "2024-03-10");
        w.insert_order(
            &NewOrder {
                store_id: None,
                external_id: Some("1".into()),
                name: "#1".into(),
                location_id: Some(wh),
                created_at: at("2024-03-10"),
                updated_at: at("2024-03-10"),
                cancelled_at: None,
                currency: "USD".into(),
                channel: "online".into(),
            },
            &[NewOrderLine {
                external_id: None,
                variant_id: Some(a),
                sku: "A".into(),
                quantity: 5,
                unit_price: 2.0,
                discount: 0.0,
                cancelled_qty: 0,
            }],
        )
        .unwrap();
        let (b1, b2) = (batch(&w, 1), batch(&w, 2));
        for day in ["2024-03-08", "2024-03-09", "2024-03-10", "2024-03-11"] {
            w.insert_imported_demand(b1, a, wh, d(day), 2).unwrap();
        }
        w.insert_imported_demand(b2, a, wh, d("2024-03-09"), 7)
            .unwrap();
        w.insert_imported_demand(b1, a, shop, d("2024-03-10"), 4)
            .unwrap();
        w.commit().unwrap();

        let h = history(&store);
        assert!(h.contains(&row("A", "WH", "2024-03-08", 2.0)), "{h:?}");
        assert!(
            h.contains(&row("A", "WH", "2024-03-09", 7.0)),
            "later batch wins: {h:?}"
        );
        assert!(
            h.contains(&row("A", "WH", "2024-03-10", 5.0)),
            "sync wins: {h:?}"
        );
        assert!(
            h.contains(&row("A", "WH", "2024-03-11", 0.0)),
            "a synced zero: {h:?}"
        );
        assert!(h.contains(&row("A", "SHOP", "2024-03-10", 4.0)), "{h:?}");

        let w = store.write().unwrap();
        let (gone, removed) = w.delete_import_batch(b2).unwrap();
        w.commit().unwrap();
        assert_eq!((gone.id, removed.demand_rows), (b2, 1));
        assert!(history(&store).contains(&row("A", "WH", "2024-03-09", 2.0)));
    }

    #[test]
    fn undo_removes_what_the_batch_created_unless_other_data_uses_it() {
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        let b = batch(&w, 1);
        let loc = location(&w, "NEW");
        let (p_free, v_free) = variant(&w, "FREE", "2024-01-01");
        let (p_used, v_used) = variant(&w, "USED", "2024-01-01");
        for (what, id) in [
            (CreatedEntity::Location, loc),
            (CreatedEntity::Product, p_free),
            (CreatedEntity::Variant, v_free),
            (CreatedEntity::Product, p_used),
            (CreatedEntity::Variant, v_used),
        ] {
            w.record_import_created(b, what, id).unwrap();
        }
        w.insert_imported_demand(b, v_free, loc, d("2024-01-02"), 3)
            .unwrap();
        let later = batch(&w, 2);
        w.insert_imported_demand(later, v_used, loc, d("2024-01-02"), 1)
            .unwrap();
        w.commit().unwrap();

        let w = store.write().unwrap();
        let (_, removed) = w.delete_import_batch(b).unwrap();
        w.commit().unwrap();
        // USED, its product and the location serve the later batch: kept.
        assert_eq!((removed.skus, removed.locations, removed.kept), (1, 0, 3));
        let skus: Vec<String> = store
            .read()
            .skus()
            .unwrap()
            .into_iter()
            .map(|s| s.sku)
            .collect();
        assert_eq!(skus, ["USED"]);
        assert!(store.read().import_batch(b).is_err());
        assert_eq!(store.read().import_batches().unwrap().len(), 1);
    }

    #[test]
    fn the_same_file_is_never_two_batches() {
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        let first = batch(&w, 1);
        let e = w
            .insert_import_batch(&NewImportBatch {
                kind: ImportKind::History,
                file_name: "renamed.csv".into(),
                sha256: format!("{:064}", 1),
                format: serde_json::json!({}),
                mapping: serde_json::json!({}),
                rows_read: 1,
                rows_stored: 1,
                rows_skipped: 0,
                actor: "cli".into(),
                imported_at: at("2024-04-02"),
            })
            .unwrap_err();
        assert!(e.to_string().contains(&format!("batch {first}")), "{e}");
    }
}
