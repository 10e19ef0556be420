//! What each platform needs to authenticate, and how it is kept in the OS keychain.
//!
//! The database stores only a reference (`stores.keychain_ref`, e.g.
//! `forestock:store-3f9c…`); the secrets live in one keychain entry per store, as JSON.

use crate::error::{Error, Result};
use crate::secret::Secret;
use keyring::Entry;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Keychain service name under which every Forestock entry lives.
pub const SERVICE: &str = "forestock";

/// Credentials for one connected store. Secrets are [`Secret`]s, and `Debug` (written by hand
/// below, so a new field must be placed on one side or the other) prints them as `***`.
/// The Adobe access token and the NetSuite token id are secrets too: an Adobe integration's
/// access token works alone as a bearer token when the admin allowed it, and a NetSuite token
/// id is half of a TBA key pair.
#[derive(Clone)]
pub enum Credentials {
    /// A static Admin API token (`shpat_…`) from a legacy custom app.
    ShopifyToken { token: Secret },
    /// A Dev Dashboard app's client id and secret, exchanged for a ~24 h token
    /// (client-credentials grant).
    ShopifyClient {
        client_id: String,
        client_secret: Secret,
    },
    /// A BigCommerce store-level API account token (`X-Auth-Token`).
    BigCommerce { token: Secret },
    /// An Adobe Commerce integration: four values, every request OAuth 1.0a-signed.
    AdobeOAuth1 {
        consumer_key: String,
        consumer_secret: Secret,
        access_token: Secret,
        access_token_secret: Secret,
    },
    /// An Adobe Commerce token used as a bearer token (only when the admin enabled it).
    AdobeBearer { token: Secret },
    /// NetSuite token-based authentication (OAuth 1.0a, HMAC-SHA256): legacy.
    NetSuiteTba {
        account: String,
        consumer_key: String,
        consumer_secret: Secret,
        token: Secret,
        token_secret: Secret,
    },
    /// NetSuite OAuth 2.0 client credentials (M2M): a JWT assertion signed with the
    /// certificate's private key (EC P-256, ES256; PKCS#8 PEM).
    NetSuiteM2m {
        account: String,
        client_id: String,
        certificate_id: String,
        private_key_pem: Secret,
    },
}

impl Credentials {
    /// The platform these credentials are for.
    pub fn platform(&self) -> forestock_core::Platform {
        use forestock_core::Platform;
        match self {
            Credentials::ShopifyToken { .. } | Credentials::ShopifyClient { .. } => {
                Platform::Shopify
            }
            Credentials::BigCommerce { .. } => Platform::BigCommerce,
            Credentials::AdobeOAuth1 { .. } | Credentials::AdobeBearer { .. } => Platform::Adobe,
            Credentials::NetSuiteTba { .. } | Credentials::NetSuiteM2m { .. } => Platform::NetSuite,
        }
    }

    /// The keychain form. Private: only [`Keychain`] writes it.
    fn to_stored(&self) -> Value {
        match self {
            Credentials::ShopifyToken { token } => {
                json!({"kind": "shopify_token", "token": token.expose()})
            }
            Credentials::ShopifyClient {
                client_id,
                client_secret,
            } => json!({"kind": "shopify_client", "client_id": client_id,
                        "client_secret": client_secret.expose()}),
            Credentials::BigCommerce { token } => {
                json!({"kind": "bigcommerce", "token": token.expose()})
            }
            Credentials::AdobeOAuth1 {
                consumer_key,
                consumer_secret,
                access_token,
                access_token_secret,
            } => json!({"kind": "adobe_oauth1", "consumer_key": consumer_key,
                "consumer_secret": consumer_secret.expose(), "access_token": access_token.expose(),
                "access_token_secret": access_token_secret.expose()}),
            Credentials::AdobeBearer { token } => {
                json!({"kind": "adobe_bearer", "token": token.expose()})
            }
            Credentials::NetSuiteTba {
                account,
                consumer_key,
                consumer_secret,
                token,
                token_secret,
            } => json!({"kind": "netsuite_tba", "account": account,
                "consumer_key": consumer_key, "consumer_secret": consumer_secret.expose(),
                "token": token.expose(), "token_secret": token_secret.expose()}),
            Credentials::NetSuiteM2m {
                account,
                client_id,
                certificate_id,
                private_key_pem,
            } => json!({"kind": "netsuite_m2m", "account": account, "client_id": client_id,
                "certificate_id": certificate_id, "private_key_pem": private_key_pem.expose()}),
        }
    }

    fn from_stored(v: &Value) -> Option<Credentials> {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let sec = |k: &str| s(k).map(Secret::new);
        Some(match v.get("kind")?.as_str()? {
            "shopify_token" => Credentials::ShopifyToken {
                token: sec("token")?,
            },
            "shopify_client" => Credentials::ShopifyClient {
                client_id: s("client_id")?,
                client_secret: sec("client_secret")?,
            },
            "bigcommerce" => Credentials::BigCommerce {
                token: sec("token")?,
            },
            "adobe_oauth1" => Credentials::AdobeOAuth1 {
                consumer_key: s("consumer_key")?,
                consumer_secret: sec("consumer_secret")?,
                access_token: sec("access_token")?,
                access_token_secret: sec("access_token_secret")?,
            },
            "adobe_bearer" => Credentials::AdobeBearer {
                token: sec("token")?,
            },
            "netsuite_tba" => Credentials::NetSuiteTba {
                account: s("account")?,
                consumer_key: s("consumer_key")?,
                consumer_secret: sec("consumer_secret")?,
                token: sec("token")?,
                token_secret: sec("token_secret")?,
            },
            "netsuite_m2m" => Credentials::NetSuiteM2m {
                account: s("account")?,
                client_id: s("client_id")?,
                certificate_id: s("certificate_id")?,
                private_key_pem: sec("private_key_pem")?,
            },
            _ => return None,
        })
    }

    /// Every secret value, for tests and leak checks (never log these).
    pub fn secret_values(&self) -> Vec<&str> {
        match self {
            Credentials::ShopifyToken { token }
            | Credentials::BigCommerce { token }
            | Credentials::AdobeBearer { token } => vec![token.expose()],
            Credentials::ShopifyClient { client_secret, .. } => vec![client_secret.expose()],
            Credentials::AdobeOAuth1 {
                consumer_secret,
                access_token,
                access_token_secret,
                ..
            } => vec![
                consumer_secret.expose(),
                access_token.expose(),
                access_token_secret.expose(),
            ],
            Credentials::NetSuiteTba {
                consumer_secret,
                token,
                token_secret,
                ..
            } => vec![
                consumer_secret.expose(),
                token.expose(),
                token_secret.expose(),
            ],
            Credentials::NetSuiteM2m {
                private_key_pem, ..
            } => vec![private_key_pem.expose()],
        }
    }
}

/// Identifiers print; every secret prints as `***`. Each variant is destructured in full, so
/// adding a field without deciding which it is does not compile.
impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HIDDEN: &str = "***";
        match self {
            Credentials::ShopifyToken { token: _ } => f
                .debug_struct("ShopifyToken")
                .field("token", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::ShopifyClient {
                client_id,
                client_secret: _,
            } => f
                .debug_struct("ShopifyClient")
                .field("client_id", client_id)
                .field("client_secret", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::BigCommerce { token: _ } => f
                .debug_struct("BigCommerce")
                .field("token", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::AdobeOAuth1 {
                consumer_key,
                consumer_secret: _,
                access_token: _,
                access_token_secret: _,
            } => f
                .debug_struct("AdobeOAuth1")
                .field("consumer_key", consumer_key)
                .field("consumer_secret", &format_args!("{HIDDEN}"))
                .field("access_token", &format_args!("{HIDDEN}"))
                .field("access_token_secret", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::AdobeBearer { token: _ } => f
                .debug_struct("AdobeBearer")
                .field("token", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::NetSuiteTba {
                account,
                consumer_key,
                consumer_secret: _,
                token: _,
                token_secret: _,
            } => f
                .debug_struct("NetSuiteTba")
                .field("account", account)
                .field("consumer_key", consumer_key)
                .field("consumer_secret", &format_args!("{HIDDEN}"))
                .field("token", &format_args!("{HIDDEN}"))
                .field("token_secret", &format_args!("{HIDDEN}"))
                .finish(),
            Credentials::NetSuiteM2m {
                account,
                client_id,
                certificate_id,
                private_key_pem: _,
            } => f
                .debug_struct("NetSuiteM2m")
                .field("account", account)
                .field("client_id", client_id)
                .field("certificate_id", certificate_id)
                .field("private_key_pem", &format_args!("{HIDDEN}"))
                .finish(),
        }
    }
}

/// Which keychain implementation to use. `FORESTOCK_KEYCHAIN=secret-service|keyutils`
/// selects one explicitly (headless machines: keyutils inside `keyctl session`); the default
/// is the platform's native store (Secret Service on Linux desktops).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    Native,
    #[cfg(target_os = "linux")]
    SecretService,
    #[cfg(target_os = "linux")]
    Keyutils,
}

impl Backend {
    /// The backend named by `FORESTOCK_KEYCHAIN`, or the native one.
    pub fn from_env() -> Result<Backend> {
        match std::env::var("FORESTOCK_KEYCHAIN") {
            Err(_) => Ok(Backend::Native),
            Ok(v) => Backend::parse(&v),
        }
    }

    pub fn parse(v: &str) -> Result<Backend> {
        match v {
            "" | "native" => Ok(Backend::Native),
            #[cfg(target_os = "linux")]
            "secret-service" => Ok(Backend::SecretService),
            #[cfg(target_os = "linux")]
            "keyutils" => Ok(Backend::Keyutils),
            other => Err(Error::invalid(
                "FORESTOCK_KEYCHAIN",
                format!(
                    "unknown keychain backend {other:?} (use native, secret-service or keyutils)"
                ),
            )),
        }
    }
}

/// Reference to a store's keychain entry, as kept in `stores.keychain_ref`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeychainRef {
    pub service: String,
    pub account: String,
}

impl KeychainRef {
    /// A fresh, unguessable entry name for a new store.
    pub fn new_random() -> KeychainRef {
        let n: u64 = rand::random();
        KeychainRef {
            service: SERVICE.to_string(),
            account: format!("store-{n:016x}"),
        }
    }

    /// True for an entry Forestock mints ([`KeychainRef::new_random`]: `forestock:store-<hex>`).
    /// Only those are ever read or deleted: the reference comes from the database, a file
    /// anyone can edit, and must not steer Forestock into another application's secrets.
    pub fn is_ours(&self) -> bool {
        let hex = self.account.strip_prefix("store-").unwrap_or("");
        self.service == SERVICE
            && (1..=32).contains(&hex.len())
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
    }

    /// The one entry holding the nightly job's chat webhook (`forestock:nightly-webhook`): its
    /// URL is itself the credential (anyone holding it can post to the channel).
    pub fn nightly_webhook() -> KeychainRef {
        KeychainRef {
            service: SERVICE.to_string(),
            account: "nightly-webhook".to_string(),
        }
    }

    pub fn parse(s: &str) -> Result<KeychainRef> {
        match s.split_once(':') {
            Some((service, account)) if !service.is_empty() && !account.is_empty() => {
                Ok(KeychainRef {
                    service: service.to_string(),
                    account: account.to_string(),
                })
            }
            _ => Err(Error::invalid(
                "keychain reference",
                format!("{s:?} is not service:account"),
            )),
        }
    }
}

impl std::fmt::Display for KeychainRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.service, self.account)
    }
}

/// The OS keychain.
#[derive(Debug, Clone, Copy)]
pub struct Keychain {
    backend: Backend,
}

impl Keychain {
    pub fn new(backend: Backend) -> Keychain {
        Keychain { backend }
    }

    /// The keychain selected by `FORESTOCK_KEYCHAIN` (see [`Backend`]).
    pub fn from_env() -> Result<Keychain> {
        Ok(Keychain::new(Backend::from_env()?))
    }

    fn entry(&self, r: &KeychainRef) -> Result<Entry> {
        let entry = match self.backend {
            Backend::Native => Entry::new(&r.service, &r.account),
            #[cfg(target_os = "linux")]
            Backend::SecretService => {
                keyring::secret_service::SsCredential::new_with_target(None, &r.service, &r.account)
                    .map(|c| Entry::new_with_credential(Box::new(c)))
            }
            #[cfg(target_os = "linux")]
            Backend::Keyutils => {
                keyring::keyutils::KeyutilsCredential::new_with_target(None, &r.service, &r.account)
                    .map(|c| Entry::new_with_credential(Box::new(c)))
            }
        };
        entry.map_err(|e| Error::Keychain(describe(&e)))
    }

    /// Save a store's credentials (replacing what the entry held).
    pub fn save(&self, r: &KeychainRef, creds: &Credentials) -> Result<()> {
        let blob = creds.to_stored().to_string();
        self.entry(r)?
            .set_password(&blob)
            .map_err(|e| Error::Keychain(describe(&e)))
    }

    /// Load a store's credentials; `store` names it in the error when the entry is missing.
    pub fn load(&self, r: &KeychainRef, store: &str) -> Result<Credentials> {
        let blob = match self.entry(r)?.get_password() {
            Ok(b) => b,
            Err(keyring::Error::NoEntry) => {
                return Err(Error::NoCredentials {
                    store: store.to_string(),
                    reference: r.to_string(),
                })
            }
            Err(e) => return Err(Error::Keychain(describe(&e))),
        };
        serde_json::from_str::<Value>(&blob)
            .ok()
            .as_ref()
            .and_then(Credentials::from_stored)
            .ok_or_else(|| {
                Error::Keychain(format!(
                    "the entry {r} for {store} is not in Forestock's format; reconnect the store"
                ))
            })
    }

    /// Save one secret value under an entry Forestock names itself (not a store's), replacing
    /// what it held.
    pub fn save_secret(&self, r: &KeychainRef, value: &Secret) -> Result<()> {
        self.entry(r)?
            .set_password(value.expose())
            .map_err(|e| Error::Keychain(describe(&e)))
    }

    /// The secret value saved under `r` by [`Keychain::save_secret`], `None` when there is none.
    pub fn load_secret(&self, r: &KeychainRef) -> Result<Option<Secret>> {
        match self.entry(r)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(Error::Keychain(describe(&e))),
        }
    }

    /// Remove a store's entry. A missing entry is not an error (already removed).
    pub fn delete(&self, r: &KeychainRef) -> Result<()> {
        match self.entry(r)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(Error::Keychain(describe(&e))),
        }
    }
}

/// A keychain error in words a user can act on (never includes the secret).
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(inner) => format!(
            "the keychain is locked or not reachable ({inner}); unlock it, or on a headless \
             machine run inside a keyring session (see FORESTOCK_KEYCHAIN)"
        ),
        keyring::Error::PlatformFailure(inner) if inner.to_string().contains("locked") => format!(
            "the keychain is locked ({inner}); unlock it (log in to the desktop session, or \
             unlock gnome-keyring) and try again"
        ),
        keyring::Error::PlatformFailure(inner) => format!(
            "no usable keychain ({inner}); start a Secret Service (e.g. gnome-keyring) or set \
             FORESTOCK_KEYCHAIN=keyutils"
        ),
        keyring::Error::NoEntry => "no such entry".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_round_trips_every_kind() {
        let all = vec![
            Credentials::ShopifyToken {
                token: Secret::new("t1"),
            },
            Credentials::ShopifyClient {
                client_id: "id".into(),
                client_secret: Secret::new("s"),
            },
            Credentials::BigCommerce {
                token: Secret::new("b"),
            },
            Credentials::AdobeOAuth1 {
                consumer_key: "ck".into(),
                consumer_secret: Secret::new("cs"),
                access_token: Secret::new("at"),
                access_token_secret: Secret::new("ats"),
            },
            Credentials::AdobeBearer {
                token: Secret::new("ab"),
            },
            Credentials::NetSuiteTba {
                account: "123".into(),
                consumer_key: "ck".into(),
                consumer_secret: Secret::new("cs"),
                token: Secret::new("tk"),
                token_secret: Secret::new("ts"),
            },
            Credentials::NetSuiteM2m {
                account: "123".into(),
                client_id: "ci".into(),
                certificate_id: "kid".into(),
                private_key_pem: Secret::new("pem"),
            },
        ];
        for c in all {
            let back = Credentials::from_stored(&c.to_stored()).unwrap();
            assert_eq!(format!("{c:?}"), format!("{back:?}"));
            assert_eq!(c.secret_values(), back.secret_values());
            for s in c.secret_values() {
                assert!(!format!("{c:?}").contains(&format!("\"{s}\"")));
            }
        }
    }

    /// Every variant, each secret a distinct recognisable value.
    fn every_kind_with_distinct_secrets() -> Vec<Credentials> {
        vec![
            Credentials::ShopifyToken {
                token: Secret::new("SECRET-shpat-1"),
            },
            Credentials::ShopifyClient {
                client_id: "client-id".into(),
                client_secret: Secret::new("SECRET-client-2"),
            },
            Credentials::BigCommerce {
                token: Secret::new("SECRET-bc-3"),
            },
            Credentials::AdobeOAuth1 {
                consumer_key: "consumer-key".into(),
                consumer_secret: Secret::new("SECRET-cs-4"),
                access_token: Secret::new("SECRET-at-5"),
                access_token_secret: Secret::new("SECRET-ats-6"),
            },
            Credentials::AdobeBearer {
                token: Secret::new("SECRET-bearer-7"),
            },
            Credentials::NetSuiteTba {
                account: "1234567".into(),
                consumer_key: "consumer-key".into(),
                consumer_secret: Secret::new("SECRET-cs-8"),
                token: Secret::new("SECRET-token-id-9"),
                token_secret: Secret::new("SECRET-ts-10"),
            },
            Credentials::NetSuiteM2m {
                account: "1234567".into(),
                client_id: "client-id".into(),
                certificate_id: "kid".into(),
                private_key_pem: Secret::new("SECRET-pem-11"),
            },
        ]
    }

    #[test]
    fn credentials_debug_prints_no_secret() {
        let all = every_kind_with_distinct_secrets();
        let mut seen = 0;
        for c in &all {
            let shown = format!("{c:?} {c:#?}");
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
            seen += c.secret_values().len();
            // Wrapped in other types (a request, an Option) it stays hidden.
            assert!(!format!("{:?}", Some(c.clone())).contains("SECRET"));
        }
        // The Adobe access token and the NetSuite token id count as secrets.
        assert_eq!(seen, 11);
        let shown = format!("{all:?}");
        for n in 1..=11 {
            assert!(!shown.contains(&format!("-{n}\"")), "{shown}");
        }
    }

    #[test]
    fn only_our_own_keychain_entries_are_ours() {
        assert!(KeychainRef::new_random().is_ours());
        assert!(KeychainRef::parse("forestock:store-3f9c00aa11bb22cc")
            .unwrap()
            .is_ours());
        for foreign in [
            "login:github.com",
            "forestock:other",
            "forestock:store-",
            "forestock:store-xyz",
            "chrome:store-3f9c00aa11bb22cc",
            "forestock/shopify:1",
        ] {
            assert!(!KeychainRef::parse(foreign).unwrap().is_ours(), "{foreign}");
        }
    }

    #[test]
    fn keychain_refs_parse_and_are_unique() {
        let a = KeychainRef::new_random();
        let b = KeychainRef::new_random();
        assert_ne!(a, b);
        assert_eq!(KeychainRef::parse(&a.to_string()).unwrap(), a);
        assert!(KeychainRef::parse("nocolon").is_err());
        assert!(Backend::parse("bogus").is_err());
    }
}
