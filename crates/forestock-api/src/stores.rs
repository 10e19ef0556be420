//! Connecting a store (`forestock connect`, the Connect screen), and the
//! per-store settings a planner changes after connecting: where the demand the platform does
//! not place goes (`forestock connect default-location`, the Connect screen's choice).

use crate::{AuditStamp, Result};
use forestock_connect::http::RetryPolicy;
pub use forestock_connect::stores::Reattributed;
use forestock_connect::stores::{self, ConnectRequest};
use forestock_connect::Keychain;
use forestock_core::{Platform, Store, StoreRecord};
use serde::Serialize;

/// Connecting is interactive (the CLI's `connect`, the app's Connect screen and its "Test
/// connection"): a few quick retries, not a nightly job's patience.
pub fn interactive_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        ..RetryPolicy::default()
    }
}

/// Connect a store: the URL rule, one authenticated call that checks the credentials, the
/// secret into the keychain, then the store's row and its audit entry
/// ([`forestock_connect::stores::connect_store`]), with [`interactive_retry`].
pub async fn connect(
    db: &mut Store,
    keychain: &Keychain,
    req: ConnectRequest,
    stamp: &AuditStamp,
) -> Result<StoreRecord> {
    let retry = interactive_retry();
    Ok(stores::connect_store(db, keychain, req, stamp, retry).await?)
}

/// A location a store's unplaced demand can go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocationChoice {
    pub code: String,
    pub name: String,
    /// `warehouse` or `retail`.
    pub kind: String,
}

/// A synced store's "where unattributed demand goes" setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DefaultLocationView {
    pub store_id: i64,
    pub store: String,
    /// The location that takes it now (the planner's choice, else the first active
    /// warehouse, else the first active location); `None` before the first sync.
    pub current: Option<String>,
    /// True when the planner chose `current`; false when it is the default rule's.
    pub chosen: bool,
    /// The store's active locations, to choose from.
    pub choices: Vec<LocationChoice>,
}

/// The setting of every connected store that syncs orders (NetSuite has none to place).
pub fn default_locations(store: &Store) -> Result<Vec<DefaultLocationView>> {
    let r = store.read();
    let locations = r.locations()?;
    let mut out = Vec::new();
    for s in r.stores()? {
        if matches!(s.platform, Platform::NetSuite | Platform::Demo) {
            continue;
        }
        let current = forestock_connect::remote::default_location(r.conn(), s.id)?
            .and_then(|(id, _)| locations.iter().find(|l| l.id == id))
            .map(|l| l.code.clone());
        let chosen_code = s
            .settings
            .get(forestock_connect::remote::UNATTRIBUTED_LOCATION)
            .and_then(|v| v.as_str());
        out.push(DefaultLocationView {
            store_id: s.id,
            store: s.name.clone(),
            chosen: chosen_code.is_some() && chosen_code == current.as_deref(),
            current,
            choices: locations
                .iter()
                .filter(|l| l.store_id == Some(s.id) && l.active)
                .map(|l| LocationChoice {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    kind: l.kind.to_string(),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// Name the location that takes a store's orders the platform gives no location; the orders
/// already placed there by default move too, in one audited transaction
/// ([`forestock_connect::stores::set_unattributed_location`]). `store_key` is the store's id,
/// name or URL.
pub fn set_default_location(
    store: &mut Store,
    store_key: &str,
    location_code: &str,
    stamp: &AuditStamp,
) -> Result<Reattributed> {
    Ok(forestock_connect::stores::set_unattributed_location(
        store,
        store_key,
        location_code,
        stamp,
    )?)
}

/// A connected store as it is listed: its URL as shown (never a credential), and the name of
/// its keychain entry (never the secret). Fields in alphabetical order, as the CLI's JSON had
/// them before this type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreView {
    pub id: i64,
    pub keychain_ref: Option<String>,
    pub name: String,
    pub platform: Platform,
    pub url: String,
}

/// Every connected store, by id.
pub fn list(store: &Store) -> Result<Vec<StoreView>> {
    Ok(store
        .read()
        .stores()?
        .into_iter()
        .map(|s| StoreView {
            id: s.id,
            keychain_ref: s.keychain_ref,
            name: s.name,
            platform: s.platform,
            url: forestock_connect::remote_url::display_stored_url(&s.base_url),
        })
        .collect())
}
