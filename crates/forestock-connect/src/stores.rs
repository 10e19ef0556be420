//! Connecting and removing stores: credentials to the keychain, a row in `stores` that
//! references them, an audit entry for each.

use crate::credentials::{Credentials, Keychain, KeychainRef};
use crate::error::{Error, Result};
use crate::http::RetryPolicy;
use crate::progress::Progress;
use crate::remote_url::{check_remote_url, display_stored_url};
use crate::sync::{self, SyncOptions};
use chrono::NaiveDateTime;
use forestock_core::{AuditStamp, Merchant, NewAuditEntry, NewStore, Platform, Store, StoreRecord};
use serde_json::Value;

/// A store to connect. `settings` holds platform options (e.g. Shopify `api_version`).
#[derive(Debug, Clone)]
pub struct ConnectRequest {
    pub platform: Platform,
    pub name: Option<String>,
    pub base_url: String,
    pub settings: Value,
    pub credentials: Credentials,
}

impl ConnectRequest {
    /// A request for the store at `base_url` with these credentials: the platform is theirs;
    /// a NetSuite account goes into the settings and names the store when no name is given.
    pub fn new(base_url: &str, name: Option<String>, credentials: Credentials) -> Self {
        let account = match &credentials {
            Credentials::NetSuiteTba { account, .. } | Credentials::NetSuiteM2m { account, .. } => {
                Some(account.clone())
            }
            _ => None,
        };
        ConnectRequest {
            platform: credentials.platform(),
            name: name.or_else(|| account.as_ref().map(|a| format!("NetSuite {a}"))),
            base_url: base_url.to_string(),
            settings: match account {
                Some(a) => serde_json::json!({ "account": a }),
                None => serde_json::json!({}),
            },
            credentials,
        }
    }
}

/// What the remote side said about itself when we checked the credentials.
#[derive(Debug, Clone, Default)]
pub struct RemoteIdentity {
    pub name: String,
    pub currency: Option<String>,
    pub timezone: Option<String>,
}

/// Check the URL and credentials against the remote service (one cheap call).
pub async fn verify(
    store: &StoreRecord,
    creds: &Credentials,
    retry: RetryPolicy,
) -> Result<RemoteIdentity> {
    let opts = SyncOptions {
        retry,
        ..SyncOptions::new(NaiveDateTime::default())
    };
    match store.platform {
        Platform::Shopify => {
            let c = sync::shopify_client(store, creds, &opts, &Progress::none())?;
            let shop = c.shop().await?;
            Ok(RemoteIdentity {
                name: shop.name,
                currency: Some(shop.currency),
                timezone: Some(shop.timezone),
            })
        }
        Platform::BigCommerce => {
            let c = crate::bigcommerce::BigCommerceClient::from_store(
                store,
                creds,
                &opts,
                &Progress::none(),
            )?;
            c.get("v3/inventory/locations", &[("limit", "1".into())])
                .await?;
            Ok(RemoteIdentity {
                name: store.name.clone(),
                ..Default::default()
            })
        }
        Platform::Adobe => {
            let c = crate::adobe::AdobeClient::from_store(store, creds, &opts, &Progress::none())?;
            c.get(
                "inventory/sources",
                &[
                    ("searchCriteria[pageSize]".to_string(), "1".to_string()),
                    ("searchCriteria[currentPage]".to_string(), "1".to_string()),
                ],
            )
            .await?;
            Ok(RemoteIdentity {
                name: store.name.clone(),
                ..Default::default()
            })
        }
        Platform::NetSuite => {
            crate::netsuite::NetSuiteClient::from_store(store, creds, &opts, &Progress::none())?
                .verify()
                .await?;
            Ok(RemoteIdentity {
                name: store.name.clone(),
                ..Default::default()
            })
        }
        Platform::Demo => Ok(RemoteIdentity {
            name: store.name.clone(),
            ..Default::default()
        }),
    }
}

/// Connect a store: verify the credentials remotely, save them in the keychain, add the
/// store row (and the merchant row, from the shop's name and currency, if the database has
/// none yet) and audit it. If anything fails, nothing is left behind (no row, no entry).
pub async fn connect_store(
    db: &mut Store,
    keychain: &Keychain,
    req: ConnectRequest,
    stamp: &AuditStamp,
    retry: RetryPolicy,
) -> Result<StoreRecord> {
    let now = stamp.at;
    let base_url = req.base_url.trim().trim_end_matches('/').to_string();
    // Before anything else: the URL rule (https, no user:password), so a refused URL is
    // never stored, audited or sent a token.
    let named = req
        .name
        .clone()
        .unwrap_or_else(|| format!("the {} store", req.platform));
    check_remote_url(&named, &base_url)?;
    let provisional_name = req.name.clone().unwrap_or_else(|| base_url.clone());
    if db
        .read()
        .stores()?
        .iter()
        .any(|s| s.platform == req.platform && s.base_url == base_url)
    {
        return Err(Error::invalid(
            "store",
            format!("{provisional_name}: a {} store at {base_url} is already connected; remove it first", req.platform),
        ));
    }
    let probe = StoreRecord {
        id: 0,
        platform: req.platform,
        name: provisional_name.clone(),
        base_url: base_url.clone(),
        keychain_ref: None,
        settings: req.settings.clone(),
        created_at: now,
    };
    let identity = verify(&probe, &req.credentials, retry).await?;
    let name = req.name.clone().unwrap_or_else(|| {
        if identity.name.trim().is_empty() {
            provisional_name.clone()
        } else {
            identity.name.clone()
        }
    });
    let reference = KeychainRef::new_random();
    keychain.save(&reference, &req.credentials)?;
    let written = (|| -> Result<StoreRecord> {
        let w = db.write()?;
        if w.read().merchant()?.is_none() {
            w.set_merchant(&Merchant {
                name: name.clone(),
                currency: identity.currency.clone().unwrap_or_else(|| "USD".into()),
                timezone: identity.timezone.clone().unwrap_or_else(|| "UTC".into()),
                as_of: None,
                is_demo: false,
                created_at: now,
            })?;
        }
        let id = w.insert_store(
            &NewStore {
                platform: req.platform,
                name: name.clone(),
                base_url: base_url.clone(),
                keychain_ref: Some(reference.to_string()),
                settings: req.settings.clone(),
            },
            now,
        )?;
        w.audit(&NewAuditEntry {
            at: now,
            actor: stamp.actor.clone(),
            action: "store.connect".into(),
            entity: "store".into(),
            entity_id: id.to_string(),
            before: None,
            after: Some(
                serde_json::json!({"platform": req.platform, "name": name, "base_url": base_url}),
            ),
            reason: String::new(),
        })?;
        let rec = w
            .read()
            .stores()?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::invalid("store", "inserted store vanished"))?;
        w.commit()?;
        Ok(rec)
    })();
    if written.is_err() {
        let _cleanup = keychain.delete(&reference);
    }
    written
}

/// Find a store by id, name or base URL.
pub fn find_store(db: &Store, key: &str) -> Result<StoreRecord> {
    let stores = db.read().stores()?;
    let matches: Vec<_> = stores
        .into_iter()
        .filter(|s| {
            s.id.to_string() == key || s.name == key || s.base_url == key.trim_end_matches('/')
        })
        .collect();
    match matches.len() {
        1 => Ok(matches
            .into_iter()
            .next()
            .ok_or_else(|| Error::invalid("store", key.to_string()))?),
        0 => Err(Error::invalid(
            "store",
            format!("no connected store named {key:?}"),
        )),
        _ => Err(Error::invalid(
            "store",
            format!("{key:?} matches several stores; use its id"),
        )),
    }
}

/// What [`remove_store`] did with the store's keychain entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeychainCleanup {
    /// The entry was ours (`forestock:store-…`) and is deleted (or was already gone).
    Deleted(String),
    /// The row named an entry Forestock never creates; it is left untouched (it may belong to
    /// another application: a database is a file anyone can edit).
    LeftForeign(String),
    /// The row named no entry.
    None,
}

/// A removed store and what happened to its keychain entry.
#[derive(Debug, Clone)]
pub struct Removed {
    pub store: StoreRecord,
    pub keychain: KeychainCleanup,
}

/// Remove a store: its keychain entry first (so a failure leaves the row, which can be
/// removed again), then the row; synced data stays. Audited. The entry is deleted only if it
/// is one Forestock mints ([`KeychainRef::is_ours`]).
pub fn remove_store(
    db: &mut Store,
    keychain: &Keychain,
    store_id: i64,
    stamp: &AuditStamp,
) -> Result<Removed> {
    let now = stamp.at;
    let store = find_store(db, &store_id.to_string())?;
    let cleanup = match store.keychain_ref.as_deref() {
        None => KeychainCleanup::None,
        Some(raw) => match KeychainRef::parse(raw) {
            Ok(r) if r.is_ours() => {
                keychain.delete(&r)?;
                KeychainCleanup::Deleted(r.to_string())
            }
            _ => KeychainCleanup::LeftForeign(raw.to_string()),
        },
    };
    let w = db.write()?;
    w.delete_store(store_id)?;
    w.audit(&NewAuditEntry {
        at: now,
        actor: stamp.actor.clone(),
        action: "store.remove".into(),
        entity: "store".into(),
        entity_id: store_id.to_string(),
        before: Some(
            serde_json::json!({"platform": store.platform, "name": store.name,
            "base_url": display_stored_url(&store.base_url)}),
        ),
        after: None,
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(Removed {
        store,
        keychain: cleanup,
    })
}

/// Where the demand the platform does not place went, after [`set_unattributed_location`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ReattributedView"))]
pub struct Reattributed {
    pub store: String,
    /// The location code now named in the store's settings.
    pub location: String,
    /// Orders (and their units) moved there from where they were defaulted before.
    pub orders: u64,
    pub units: i64,
}

/// Name the location that takes a store's orders the platform gives no location (API-NOTES
/// 5b: the per-store setting, by default the store's first active warehouse). The orders
/// already defaulted move there too, and only they, in one transaction with its audit entry;
/// a location of another store, an inactive one or an unknown code is refused and nothing
/// changes.
pub fn set_unattributed_location(
    db: &mut Store,
    store_key: &str,
    location_code: &str,
    stamp: &AuditStamp,
) -> Result<Reattributed> {
    let store = find_store(db, store_key)?;
    if store.platform == Platform::NetSuite {
        return Err(Error::invalid(
            "store",
            format!(
                "{} is a NetSuite account: it has no orders to place",
                store.name
            ),
        ));
    }
    let locations = db.read().locations()?;
    let ours: Vec<_> = locations
        .iter()
        .filter(|l| l.store_id == Some(store.id))
        .collect();
    let Some(loc) = ours.iter().find(|l| l.code == location_code.trim()) else {
        let known: Vec<&str> = ours.iter().map(|l| l.code.as_str()).collect();
        return Err(Error::invalid(
            "location",
            format!(
                "{location_code:?} is not a location of {} (its locations: {})",
                store.name,
                if known.is_empty() {
                    "none yet: sync it first".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    if !loc.active {
        return Err(Error::invalid(
            "location",
            format!(
                "{} is inactive on {}; choose an active location",
                loc.code, store.name
            ),
        ));
    }
    let before = store
        .settings
        .get(crate::remote::UNATTRIBUTED_LOCATION)
        .cloned();
    let mut settings = match store.settings.clone() {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    settings.insert(
        crate::remote::UNATTRIBUTED_LOCATION.into(),
        Value::String(loc.code.clone()),
    );
    let w = db.write()?;
    let (orders, units): (i64, i64) = w.tx().query_row(
        "SELECT count(DISTINCT o.id), coalesce(sum(l.quantity), 0) FROM orders o \
         JOIN order_lines l ON l.order_id = o.id \
         WHERE o.store_id = ?1 AND o.located_by_default = 1 AND o.location_id IS NOT ?2",
        rusqlite::params![store.id, loc.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    w.tx().execute(
        "UPDATE orders SET location_id = ?2 WHERE store_id = ?1 AND located_by_default = 1",
        rusqlite::params![store.id, loc.id],
    )?;
    w.tx().execute(
        "UPDATE stores SET settings = ?2 WHERE id = ?1",
        rusqlite::params![store.id, Value::Object(settings).to_string()],
    )?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "store.unattributed_location".into(),
        entity: "store".into(),
        entity_id: store.id.to_string(),
        before: Some(serde_json::json!({ "location": before })),
        after: Some(
            serde_json::json!({"location": loc.code, "orders_moved": orders, "units_moved": units}),
        ),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(Reattributed {
        store: store.name,
        location: loc.code.clone(),
        orders: orders as u64,
        units,
    })
}

/// Load a store's credentials from the keychain.
pub fn credentials_for(keychain: &Keychain, store: &StoreRecord) -> Result<Credentials> {
    let r = store
        .keychain_ref
        .as_deref()
        .ok_or_else(|| Error::NoCredentials {
            store: store.name.clone(),
            reference: "(none)".into(),
        })?;
    let r = KeychainRef::parse(r)?;
    if !r.is_ours() {
        return Err(Error::Keychain(format!(
            "{}: the database names the keychain entry {r}, which Forestock does not create; \
             it is not read. Remove the store and connect it again",
            store.name
        )));
    }
    keychain.load(&r, &store.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;

    #[test]
    fn a_request_takes_its_platform_and_netsuite_account_from_the_credentials() {
        let shop = ConnectRequest::new(
            "https://x.myshopify.com",
            None,
            Credentials::ShopifyToken {
                token: Secret::new("t"),
            },
        );
        assert_eq!(shop.platform, Platform::Shopify);
        assert_eq!(shop.name, None);
        assert_eq!(shop.settings, serde_json::json!({}));
        let netsuite = |name: Option<&str>| {
            ConnectRequest::new(
                "https://1234567.suitetalk.api.netsuite.com",
                name.map(Into::into),
                Credentials::NetSuiteTba {
                    account: "1234567".into(),
                    consumer_key: "k".into(),
                    consumer_secret: Secret::new("s"),
                    token: Secret::new("t"),
                    token_secret: Secret::new("ts"),
                },
            )
        };
        let ns = netsuite(None);
        assert_eq!(ns.platform, Platform::NetSuite);
        assert_eq!(ns.name.as_deref(), Some("NetSuite 1234567"));
        assert_eq!(ns.settings, serde_json::json!({ "account": "1234567" }));
        assert_eq!(netsuite(Some("Books")).name.as_deref(), Some("Books"));
    }
}
