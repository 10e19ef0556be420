//! Write-back with approval (`forestock writeback`, the app's Write-back section): the latest
//! plan's forecast per SKU pushed to the Shopify or BigCommerce store the SKU was synced from,
//! only after the planner approved the batch. What is written and how it stays idempotent is
//! in [`forestock_connect::writeback`]; this layer picks the store by one rule, builds the
//! client from the keychain and stamps the audit entries.

use crate::{AuditStamp, Error, Result};
use forestock_connect::stores::{credentials_for, find_store};
use forestock_connect::writeback::{self, supported, WriteClient};
use forestock_connect::{Credentials, Keychain, Progress, SyncOptions};
use forestock_core::{Store, StoreRecord};

pub use forestock_connect::writeback::{
    Batch, Preview, PushReport, SkuError, SkuWrite, WriteField, HORIZON_DAYS, KEY_CONFIDENCE,
    KEY_UNITS, NAMESPACE,
};

/// The store to write back to: `key` (id or name), else the only Shopify or BigCommerce store
/// connected.
pub fn writeback_store(db: &Store, key: Option<&str>) -> Result<StoreRecord> {
    let store =
        match key {
            Some(key) => find_store(db, key)?,
            None => {
                let mut stores = db.read().stores()?;
                stores.retain(|s| supported(s.platform));
                match stores.len() {
                    1 => stores.remove(0),
                    0 => return Err(Error::NotFound(
                        "no Shopify or BigCommerce store is connected; the forecast is written \
                         back to the store its SKUs were synced from (`forestock connect`)"
                            .into(),
                    )),
                    _ => {
                        return Err(Error::Invalid(format!(
                            "several stores can take a write-back ({}); name one with --store",
                            stores
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )))
                    }
                }
            }
        };
    if !supported(store.platform) {
        return Err(Error::Invalid(format!(
            "{} is a {} store; the forecast is written back to Shopify and BigCommerce stores only",
            store.name, store.platform
        )));
    }
    Ok(store)
}

/// What a push would write to the store, per SKU, and the store's approved batch. Writes
/// nothing.
pub fn preview(db: &Store, store: Option<&str>) -> Result<Preview> {
    let store = writeback_store(db, store)?;
    Ok(writeback::preview(db, &store)?)
}

/// Approve the store's preview as read (`expected_hash` = the preview's `content_hash`; None
/// approves whatever the preview is now). Audited with the stamp and the content hash.
/// Returns the preview with its batch.
pub fn approve(
    db: &mut Store,
    stamp: &AuditStamp,
    store: Option<&str>,
    expected_hash: Option<&str>,
) -> Result<Preview> {
    let store = writeback_store(db, store)?;
    let (preview, _) = writeback::approve(db, &store, expected_hash, &stamp.actor, stamp.at)?;
    Ok(preview)
}

/// Push the store's approved batch with the credentials of the OS keychain
/// (`FORESTOCK_KEYCHAIN` picks the backend).
pub async fn push(db: &mut Store, stamp: &AuditStamp, store: Option<&str>) -> Result<PushReport> {
    let store = writeback_store(db, store)?;
    let creds = credentials_for(&Keychain::from_env()?, &store)?;
    push_with(db, stamp, &store, &creds, SyncOptions::new(stamp.at)).await
}

/// [`push`] with credentials and options given (tests, and callers that hold them already).
pub async fn push_with(
    db: &mut Store,
    stamp: &AuditStamp,
    store: &StoreRecord,
    creds: &Credentials,
    opts: SyncOptions,
) -> Result<PushReport> {
    let client = WriteClient::for_store(store, creds, &opts, &Progress::none())?;
    Ok(writeback::push(db, store, &client, &stamp.actor, stamp.at).await?)
}

/// What a push that left values unwritten ends with: how many, and the first with its SKU, key
/// and error; `None` when every value went out.
pub fn failure_summary(r: &PushReport) -> Option<String> {
    let first = r.failed.first()?;
    Some(format!(
        "{} value(s) not written; first: {} {}: {}",
        r.failed.len(),
        first.sku,
        first.key,
        first.error
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{Classify, ErrorKind, NewStore, Platform};

    fn add(db: &mut Store, platform: Platform, name: &str) {
        let w = db.write().unwrap();
        let store = NewStore {
            platform,
            name: name.into(),
            base_url: format!("https://{}.example.com", name.replace(' ', "-")),
            keychain_ref: None,
            settings: serde_json::json!({}),
        };
        w.insert_store(&store, chrono::Utc::now().naive_utc())
            .unwrap();
        w.commit().unwrap();
    }

    /// One rule for the CLI and the app: the named store, else the only Shopify or
    /// BigCommerce store; NetSuite and Adobe stores take no write-back.
    #[test]
    fn the_store_is_the_named_one_else_the_only_one_that_takes_a_writeback() {
        let mut db = Store::in_memory().unwrap();
        let e = writeback_store(&db, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        add(&mut db, Platform::NetSuite, "ERP");
        let e = writeback_store(&db, Some("ERP")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("Shopify and BigCommerce"), "{e}");
        add(&mut db, Platform::Shopify, "Shop");
        assert_eq!(writeback_store(&db, None).unwrap().name, "Shop");
        add(&mut db, Platform::BigCommerce, "BC");
        let e = writeback_store(&db, None).unwrap_err();
        assert!(e.to_string().contains("--store"), "{e}");
        assert_eq!(writeback_store(&db, Some("BC")).unwrap().name, "BC");
    }
}
