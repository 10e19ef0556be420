//! What stock and promotion batches store: end-of-day on-hand levels (read by the demand
//! history beside synced snapshots, for stockout detection) and promotions tied to their batch
//! (read by the forecaster like any other promotion, undone with the batch).

use crate::db::Writer;
use crate::error::{Error, Result};
use crate::model::NewPromotion;
use crate::sql;
use chrono::NaiveDate;
use rusqlite::params;

impl Writer<'_> {
    /// Store one imported end-of-day level for a SKU × location.
    pub fn insert_imported_stock(
        &self,
        batch: i64,
        variant_id: i64,
        location_id: i64,
        date: NaiveDate,
        on_hand: i64,
    ) -> Result<()> {
        if on_hand < 0 {
            return Err(Error::invalid(
                "imported on-hand level",
                format!("{on_hand} is negative"),
            ));
        }
        self.tx
            .prepare_cached(sql::IMPORT_INSERT_STOCK)?
            .execute(params![batch, variant_id, location_id, date, on_hand])?;
        Ok(())
    }

    /// Store one promotion of a calendar batch (checked as [`Writer::insert_promotion`] is).
    pub fn insert_imported_promotion(&self, batch: i64, p: &NewPromotion) -> Result<i64> {
        check_promotion(p)?;
        self.tx
            .prepare_cached(sql::IMPORT_INSERT_PROMOTION)?
            .execute(params![
                p.name,
                p.start_date,
                p.end_date,
                p.discount_pct,
                p.variant_id,
                p.category,
                p.location_id,
                p.expected_lift,
                batch
            ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// A promotion ends on or after its start and takes 0–99 % off.
pub(crate) fn check_promotion(p: &NewPromotion) -> Result<()> {
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
    Ok(())
}
