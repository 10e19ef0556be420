//! What the simulators accept and how strictly they throttle. Defaults are the demo
//! credentials `forestock sim` prints.

use chrono::NaiveDateTime;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

use crate::Platform;

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Which platforms to serve (default: all four).
    pub platforms: Vec<Platform>,
    /// First port; 0 picks free ports. With a fixed port the platforms take consecutive
    /// ports in the order of `platforms`.
    pub port: u16,
    /// The simulated "now" (the 60-day order window, token expiry checks that use the
    /// merchant clock). Default: the end of the merchant's `as_of` day, else the wall clock.
    pub now: Option<NaiveDateTime>,
    /// Where bulk-operation JSONL files go (default: a fresh folder under the system temp
    /// folder, removed at shutdown).
    pub work_dir: Option<PathBuf>,
    pub shopify: ShopifyConfig,
    pub bigcommerce: BigCommerceConfig,
    pub adobe: AdobeConfig,
    pub netsuite: NetSuiteConfig,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            platforms: Platform::ALL.to_vec(),
            port: 0,
            now: None,
            work_dir: None,
            shopify: ShopifyConfig::default(),
            bigcommerce: BigCommerceConfig::default(),
            adobe: AdobeConfig::default(),
            netsuite: NetSuiteConfig::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct ShopifyConfig {
    /// A static admin API token (legacy custom app), granted `scopes`.
    pub admin_token: String,
    /// Client-credentials grant: `client_id` / `client_secret` at `/admin/oauth/access_token`.
    pub client_id: String,
    pub client_secret: String,
    /// Scopes of the admin token and of client-credentials tokens. Without
    /// `read_all_orders` only orders created in the last 60 days are visible.
    pub scopes: Vec<String>,
    /// Lifetime of client-credentials tokens (Shopify: about 24 h).
    pub token_ttl: Duration,
    /// Leaky bucket: size in cost points and restore rate in points per second.
    pub bucket_size: f64,
    pub restore_rate: f64,
    /// A single query may not cost more than this (requested cost).
    pub max_query_cost: u64,
    /// When true, bulk operations stay RUNNING after their file is written until
    /// [`crate::ShopifyControl::complete_bulk`] or `fail_bulk` is called.
    pub bulk_manual: bool,
}

impl Default for ShopifyConfig {
    fn default() -> Self {
        ShopifyConfig {
            admin_token: "shpat_forestock_demo_admin_token".into(),
            client_id: "forestock-demo-client".into(),
            client_secret: "forestock-demo-client-secret".into(),
            scopes: [
                "read_products",
                "write_products",
                "read_inventory",
                "read_locations",
                "read_orders",
                "read_all_orders",
                "read_merchant_managed_fulfillment_orders",
            ]
            .map(String::from)
            .to_vec(),
            token_ttl: Duration::from_secs(86_399),
            bucket_size: 2000.0,
            restore_rate: 100.0,
            max_query_cost: 1000,
            bulk_manual: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BigCommerceConfig {
    pub store_hash: String,
    /// Store-level API account token (`X-Auth-Token`).
    pub access_token: String,
    /// The account's scopes. Writes to the catalog (variant metafields) need
    /// `store_v2_products` ("Products: modify"); reads are not checked.
    pub scopes: Vec<String>,
    /// Requests allowed per window (Standard/Plus: 150 per 30 s).
    pub quota: u32,
    pub window: Duration,
}

impl Default for BigCommerceConfig {
    fn default() -> Self {
        BigCommerceConfig {
            store_hash: "fsdemo01".into(),
            access_token: "bc_forestock_demo_access_token".into(),
            scopes: [
                "store_v2_products",
                "store_v2_orders_read_only",
                "store_inventory_read_only",
            ]
            .map(String::from)
            .to_vec(),
            quota: 150,
            window: Duration::from_secs(30),
        }
    }
}

/// What Adobe Commerce answers for a `currentPage` past the last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PastEnd {
    /// 2.4.x: HTTP 400 "currentPage value N specified is greater than the M page(s)
    /// available" (the stricter choice; the default).
    Error,
    /// Pre-2.4: the last page again.
    RepeatLastPage,
    /// An empty `items` list.
    Empty,
}

#[derive(Debug, Clone)]
pub struct AdobeConfig {
    /// Integration credentials for OAuth 1.0a (HMAC-SHA256) signed requests.
    pub consumer_key: String,
    pub consumer_secret: String,
    pub access_token: String,
    pub access_token_secret: String,
    /// Accept the integration access token alone as `Authorization: Bearer` (off by default,
    /// as in Adobe Commerce 2.4.4+).
    pub allow_bearer: bool,
    /// Admin user for `POST /rest/V1/integration/admin/token` (tokens last 4 h).
    pub admin_username: String,
    pub admin_password: String,
    pub past_end: PastEnd,
    /// Largest accepted OAuth timestamp skew in seconds.
    pub timestamp_tolerance_secs: i64,
}

impl Default for AdobeConfig {
    fn default() -> Self {
        AdobeConfig {
            consumer_key: "adobe-demo-consumer-key".into(),
            consumer_secret: "adobe-demo-consumer-secret".into(),
            access_token: "adobe-demo-access-token".into(),
            access_token_secret: "adobe-demo-access-token-secret".into(),
            allow_bearer: false,
            admin_username: "admin".into(),
            admin_password: "forestock-demo-admin-1".into(),
            past_end: PastEnd::Error,
            timestamp_tolerance_secs: 300,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NetSuiteConfig {
    pub account_id: String,
    /// OAuth 2.0 client credentials (M2M): the integration's client id and the certificate
    /// id expected as the JWT `kid`.
    pub client_id: String,
    pub certificate_id: String,
    /// Token-based authentication (OAuth 1.0a, HMAC-SHA256).
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token_id: String,
    pub token_secret: String,
    /// Requests served at once before 429 CONCURRENCY_LIMIT_EXCEEDED.
    pub concurrency_limit: usize,
    /// Largest accepted TBA timestamp skew in seconds (UNCERTAIN in the notes: 300 here).
    pub timestamp_tolerance_secs: i64,
}

impl Default for NetSuiteConfig {
    fn default() -> Self {
        NetSuiteConfig {
            account_id: "1234567".into(),
            client_id: "ns-forestock-demo-client".into(),
            certificate_id: "ns-forestock-demo-cert".into(),
            consumer_key: "ns-demo-consumer-key".into(),
            consumer_secret: "ns-demo-consumer-secret".into(),
            token_id: "ns-demo-token-id".into(),
            token_secret: "ns-demo-token-secret".into(),
            concurrency_limit: 5,
            timestamp_tolerance_secs: 300,
        }
    }
}
