//! The Connect & sync screen's types. Never carries a secret.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A connected store as the Connect screen lists it. Never carries a secret: the keychain
/// reference only says where the secret lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StoreView {
    pub id: i64,
    /// `shopify`, `bigcommerce`, `adobe`, `netsuite` or `demo`.
    pub platform: String,
    pub name: String,
    pub base_url: String,
    pub in_keychain: bool,
    pub created_at: String,
}

impl From<forestock_core::StoreRecord> for StoreView {
    fn from(s: forestock_core::StoreRecord) -> Self {
        StoreView {
            id: s.id,
            platform: s.platform.as_str().to_string(),
            name: s.name,
            base_url: forestock_connect::remote_url::display_stored_url(&s.base_url),
            in_keychain: s.keychain_ref.is_some(),
            created_at: s.created_at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }
}

/// The "Connect a store" form, one shape per platform. The secrets are moved straight into
/// [`forestock_connect::Secret`]s and on to the keychain; this type has no `Debug` so it can
/// never be logged.
#[derive(Clone, Deserialize, TS)]
#[serde(tag = "platform", rename_all = "snake_case")]
pub enum ConnectForm {
    /// A custom app's Admin API access token.
    Shopify {
        url: String,
        name: Option<String>,
        token: String,
    },
    /// A store-level API account's access token; the URL ends in `/stores/<hash>`.
    #[serde(rename = "bigcommerce")]
    BigCommerce {
        url: String,
        name: Option<String>,
        token: String,
    },
    /// An integration's four OAuth 1.0a values.
    Adobe {
        url: String,
        name: Option<String>,
        consumer_key: String,
        consumer_secret: String,
        access_token: String,
        access_token_secret: String,
    },
    /// Token-based authentication (TBA) for the account.
    #[serde(rename = "netsuite")]
    NetSuite {
        url: String,
        name: Option<String>,
        account: String,
        consumer_key: String,
        consumer_secret: String,
        token: String,
        token_secret: String,
    },
}

impl From<ConnectForm> for forestock_connect::ConnectRequest {
    /// The form's store and credentials; an empty name is no name (the platform's own name
    /// is taken, or `NetSuite <account>`: [`ConnectRequest::new`](forestock_connect::ConnectRequest::new)).
    fn from(f: ConnectForm) -> Self {
        use forestock_connect::{Credentials as C, Secret};
        let (url, name, credentials) = match f {
            ConnectForm::Shopify { url, name, token } => (
                url,
                name,
                C::ShopifyToken {
                    token: Secret::new(token),
                },
            ),
            ConnectForm::BigCommerce { url, name, token } => (
                url,
                name,
                C::BigCommerce {
                    token: Secret::new(token),
                },
            ),
            ConnectForm::Adobe {
                url,
                name,
                consumer_key,
                consumer_secret,
                access_token,
                access_token_secret,
            } => (
                url,
                name,
                C::AdobeOAuth1 {
                    consumer_key,
                    consumer_secret: Secret::new(consumer_secret),
                    access_token: Secret::new(access_token),
                    access_token_secret: Secret::new(access_token_secret),
                },
            ),
            ConnectForm::NetSuite {
                url,
                name,
                account,
                consumer_key,
                consumer_secret,
                token,
                token_secret,
            } => (
                url,
                name,
                C::NetSuiteTba {
                    account,
                    consumer_key,
                    consumer_secret: Secret::new(consumer_secret),
                    token: Secret::new(token),
                    token_secret: Secret::new(token_secret),
                },
            ),
        };
        let name = name.filter(|n| !n.trim().is_empty());
        forestock_connect::ConnectRequest::new(url.trim(), name, credentials)
    }
}

/// The answer to "Test connection".
#[derive(Debug, Clone, Serialize, TS)]
pub struct ConnectionCheck {
    /// The name the remote service reports for itself.
    pub remote_name: String,
    pub currency: Option<String>,
}
