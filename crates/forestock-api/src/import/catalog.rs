//! The catalog an import checks its codes against, and what it creates when the user chose
//! "create them": the merchant (for a new database), locations and SKUs, each recorded with
//! the batch so that undo removes them.

use crate::{AuditStamp, Result};
use chrono::NaiveDate;
use forestock_core::{
    CreatedEntity, LocationKind, Merchant, NewLocation, NewProduct, NewVariant, ProductStatus,
    SkuStatus, Store, Writer,
};
use std::collections::{BTreeSet, HashMap};

/// SKU and location codes → ids, as stored (and as created by this import).
pub(super) struct Catalog {
    skus: HashMap<String, i64>,
    locations: HashMap<String, i64>,
    /// Every SKU's category (promotion calendars name categories).
    pub categories: BTreeSet<String>,
}

impl Catalog {
    pub fn read(store: &Store) -> Result<Catalog> {
        let r = store.read();
        let all = r.skus()?;
        Ok(Catalog {
            categories: all
                .iter()
                .map(|s| s.category.clone())
                .filter(|c| !c.is_empty())
                .collect(),
            skus: all.into_iter().map(|s| (s.sku, s.id)).collect(),
            locations: r.locations()?.into_iter().map(|l| (l.code, l.id)).collect(),
        })
    }

    pub fn unknown_skus(&self, codes: Vec<String>) -> Vec<String> {
        codes
            .into_iter()
            .filter(|c| !self.skus.contains_key(c))
            .collect()
    }

    pub fn unknown_locations(&self, codes: Vec<String>) -> Vec<String> {
        codes
            .into_iter()
            .filter(|c| !self.locations.contains_key(c))
            .collect()
    }

    pub fn sku(&self, code: &str) -> Option<i64> {
        self.skus.get(code).copied()
    }

    pub fn location(&self, code: &str) -> Option<i64> {
        self.locations.get(code).copied()
    }

    /// Both ids, when the catalog has both codes.
    pub fn ids(&self, sku: &str, location: &str) -> Option<(i64, i64)> {
        Some((self.sku(sku)?, self.location(location)?))
    }

    /// Create these locations (retail, named by their code), recorded with `batch`.
    pub fn create_locations(&mut self, w: &Writer<'_>, batch: i64, codes: &[String]) -> Result<()> {
        for code in codes {
            let id = w.insert_location(&NewLocation {
                code: code.clone(),
                name: code.clone(),
                kind: LocationKind::Retail,
                store_id: None,
                external_id: None,
            })?;
            w.record_import_created(batch, CreatedEntity::Location, id)?;
            self.locations.insert(code.clone(), id);
        }
        Ok(())
    }

    /// Create SKU `code` (its own product, titled by the code), first sold on `first_day`,
    /// recorded with `batch`.
    pub fn create_sku(
        &mut self,
        w: &Writer<'_>,
        stamp: &AuditStamp,
        batch: i64,
        code: &str,
        first_day: NaiveDate,
        price: f64,
    ) -> Result<()> {
        let product = w.insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: code.to_string(),
            category: String::new(),
            vendor: String::new(),
            status: ProductStatus::Active,
            created_at: stamp.at,
        })?;
        w.record_import_created(batch, CreatedEntity::Product, product)?;
        let variant = w.insert_variant(
            &NewVariant {
                product_id: product,
                external_id: None,
                sku: code.to_string(),
                title: String::new(),
                barcode: None,
                price,
                cost: None,
                attributes: serde_json::json!({}),
                status: SkuStatus::Active,
                created_date: first_day,
                discontinue_date: None,
            },
            stamp.at,
        )?;
        w.record_import_created(batch, CreatedEntity::Variant, variant)?;
        self.skus.insert(code.to_string(), variant);
        Ok(())
    }
}

/// A database an import creates gets a merchant ("My shop", in `currency`, UTC).
pub(super) fn ensure_merchant(w: &Writer<'_>, stamp: &AuditStamp, currency: &str) -> Result<()> {
    if w.read().merchant()?.is_none() {
        w.set_merchant(&Merchant {
            name: "My shop".into(),
            currency: currency.to_string(),
            timezone: "UTC".into(),
            as_of: None,
            is_demo: false,
            created_at: stamp.at,
        })?;
    }
    Ok(())
}
