//! Loopback simulators of the Shopify, BigCommerce, Adobe Commerce and NetSuite APIs,
//! serving one merchant database over real HTTP on `127.0.0.1` so the real clients in
//! `forestock-connect` can be tested (and benchmarked) without the internet.
//!
//! The contract is `shared/API-NOTES.md`; where it says UNCERTAIN the simulator takes the
//! stricter behaviour. Everything served is read from the merchant database: products and
//! variants (SKU, price, cost, vendor, status), locations, the latest inventory level per
//! SKU×location (on or before the merchant's `as_of` day), orders with lines,
//! cancellations (`order_lines.cancelled_qty`, `orders.cancelled_at`) and refunds. Server
//! state of the simulators themselves (tokens, bulk operations, metafields, NetSuite
//! purchase orders, nonces) lives in memory and never touches the merchant database.
//!
//! ```no_run
//! # async fn demo() -> Result<(), forestock_sim::SimError> {
//! use forestock_sim::{start, Platform, SimConfig, Fault};
//! let sim = start("demo.db".as_ref(), SimConfig::default()).await?;
//! let shopify = sim.url(Platform::Shopify).unwrap_or_default();
//! let token = sim.config().shopify.admin_token.clone();
//! // POST {shopify}/admin/api/2025-07/graphql.json with X-Shopify-Access-Token: {token}
//! sim.faults(Platform::Shopify).inject(Fault::ServerError(503), 2);
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Time
//! "Now" is the end of the merchant's `as_of` day (the demo's today) unless
//! [`SimConfig::now`] says otherwise: the Shopify 60-day order window and the inventory
//! snapshot date follow it. Token lifetimes, OAuth timestamps and rate-limit windows use
//! the wall clock, as the real services do.
//!
//! # Shopify (`Platform::Shopify`, base URL `http://127.0.0.1:PORT`)
//! - `POST /admin/api/{version}/graphql.json`, body `{"query", "variables"?, "operationName"?}`.
//!   `{version}` is any `YYYY-MM` or `unstable` (else 404 `{"errors":"Not Found"}`) and is
//!   echoed in `X-Shopify-API-Version`.
//! - Auth: `X-Shopify-Access-Token`. Accepted: the static admin token
//!   ([`ShopifyConfig::admin_token`], default `shpat_forestock_demo_admin_token`) and tokens
//!   from `POST /admin/oauth/access_token` (form or JSON body
//!   `grant_type=client_credentials&client_id=…&client_secret=…`, default
//!   `forestock-demo-client` / `forestock-demo-client-secret`; answers
//!   `{"access_token":"shpat_…","scope":"read_products,…","expires_in":86399}`).
//!   Missing, wrong, expired or revoked token: HTTP 401
//!   `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`.
//!   Wrong client credentials: 401 `{"error":"invalid_client",…}`.
//! - Scopes: without `read_all_orders` only orders created in the 60 days before "now" are
//!   visible (lists, `order(id:)`, `node(id:)`, bulk). Add such a token with
//!   [`ShopifyControl::add_token`].
//! - Queries: `productVariants`, `products`, `inventoryItems`, `locations`, `orders`
//!   (connections; `first`/`after` (forward paging only: `last`/`before` are refused), `query` search string with `updated_at`, `created_at`,
//!   `id`, `sku` terms ANDed; `orders(sortKey: ID|UPDATED_AT)`), `productVariant(id:)`,
//!   `product(id:)`, `inventoryItem(id:)`, `location(id:)`, `order(id:)`, `node(id:)`,
//!   `currentBulkOperation`, `bulkOperation(id:)`, `shop`. The fields of each type are in
//!   `shopify::schema` (the shapes of API-NOTES §1.3, incl. `inventoryLevels`,
//!   `quantities(names:[…])`, `lineItems`, `refunds(first:)`, `refundLineItems`,
//!   `currentQuantity` = quantity − cancelled − refunded). Cursors are opaque base64.
//! - Validation as graphql-ruby answers it, HTTP 200 with `errors` and no `data`: unknown
//!   field (`extensions.code = "undefinedField"`), unknown argument
//!   (`"argumentNotAccepted"`), a connection without `first`/`last`, `first` > 250
//!   (`"MAX_PAGE_SIZE_EXCEEDED"`), a syntax error (`"PARSE_ERROR"`).
//! - Cost: objects 1, connections 2 + first × node cost, scalars 0, mutations 10. Every
//!   answer carries `extensions.cost {requestedQueryCost, actualQueryCost, throttleStatus
//!   {maximumAvailable, currentlyAvailable, restoreRate}}`. A real leaky bucket
//!   ([`ShopifyConfig::bucket_size`] default 2000, [`ShopifyConfig::restore_rate`] default
//!   100/s): a query whose requested cost exceeds what is available gets HTTP 200
//!   `{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],"extensions":{"cost":…}}`
//!   and no `data`; requested cost above 1000 gets `MAX_COST_EXCEEDED`.
//! - Mutations: `bulkOperationRunQuery(query:)` (one running at a time; ≤ 5 connections,
//!   nesting ≤ 2; status CREATED → RUNNING → COMPLETED | FAILED | CANCELED; JSONL at `url`
//!   = `{base}/_bulk/{id}/bulk-{id}.jsonl?X-Goog-…&X-Goog-Signature={key}` (shaped like the
//!   V4-signed storage URL Shopify hands out; a wrong signature gets 403 AccessDenied;
//!   [`ShopifyControl::set_bulk_origin`] serves it from another origin), no auth header needed, nested connection nodes on
//!   their own lines with `__parentId` = the gid of the enclosing line's object, child lines
//!   right after their parent), `bulkOperationCancel(id:)` (answers CANCELING; CANCELED once
//!   the runner stops; a CANCELING operation still holds the slot), `metafieldsSet(metafields:)`
//!   (≤ 25 per call, else a top-level error `MAX_INPUT_SIZE_EXCEEDED`; atomic; owner must be
//!   a ProductVariant or Product gid; `compareDigest` honoured; a token without
//!   `write_products` gets a top-level `ACCESS_DENIED` error naming the scope).
//!
//! # BigCommerce (`Platform::BigCommerce`, base URL `http://127.0.0.1:PORT/stores/{hash}`)
//! - Auth: `X-Auth-Token` = [`BigCommerceConfig::access_token`] (default
//!   `bc_forestock_demo_access_token`), store hash default `fsdemo01` (another hash: 404).
//!   Wrong token: 401 (v3 `{"status":401,"title":"…","type":"…","errors":{}}`, v2
//!   `[{"status":401,"message":"…"}]`).
//! - `GET /v3/catalog/products` (`include=variants`, `page`, `limit` ≤ 250,
//!   `date_modified:min`, `date_modified:max`, `id:in`, `sku`), `GET /v3/catalog/products/{id}/variants`,
//!   `GET /v3/catalog/variants` (`sku`, `product_id:in`), `GET /v3/inventory/locations`,
//!   `GET /v3/inventory/items` (`variant_id:in`, `product_id:in`, `sku:in`, `location_id:in`,
//!   `page`, `limit` ≤ 1000), `GET /v3/orders/{id}/payment_actions/refunds`,
//!   `GET /v2/orders` (`page`, `limit` ≤ 250, `min_date_modified`, `max_date_modified`,
//!   `min_date_created`, `sort=id:asc|date_modified:asc`, `include=consignments[.line_items]`
//!   with `consignment_structure=object`: each order's `consignments` object, where an order
//!   sold at a retail location is a pickup consignment naming it (`location.id`) and any other
//!   a shipping consignment, which names no location; other `include` values are refused),
//!   `GET /v2/orders/{id}`,
//!   `GET /v2/orders/{id}/products` (`page`, `limit`), `GET /v2/order_statuses`.
//! - Variant metafields (the write-back's target): `GET|POST
//!   /v3/catalog/products/{product_id}/variants/{variant_id}/metafields` and `GET|PUT
//!   …/metafields/{id}`; the rules are in `bigcommerce_metafields.rs` (required fields and
//!   lengths: 422; a second namespace + key on a variant: 409; writes without
//!   `store_v2_products` in [`BigCommerceConfig::scopes`]: 403). Read them back with
//!   [`BigCommerceControl::metafields`].
//! - v3 envelope `{"data":[…],"meta":{"pagination":{total,count,per_page,current_page,total_pages,links}}}`;
//!   v2 bare arrays, RFC-2822 dates, decimal strings. A v2 page past the end (or an empty
//!   result) is **204 No Content**. `limit` above the maximum: **413**.
//! - Every response: `X-Rate-Limit-Time-Window-Ms`, `X-Rate-Limit-Time-Reset-Ms`,
//!   `X-Rate-Limit-Requests-Quota`, `X-Rate-Limit-Requests-Left` (fixed window,
//!   [`BigCommerceConfig::quota`] per [`BigCommerceConfig::window`], default 150 / 30 s);
//!   over quota: 429 with the same headers.
//!
//! # Adobe Commerce (`Platform::Adobe`, base URL `http://127.0.0.1:PORT`, paths `/rest/V1/…` or `/rest/{store}/V1/…`)
//! - Auth: OAuth 1.0a HMAC-SHA256 signed with the four integration credentials
//!   ([`AdobeConfig`], base URI `http://127.0.0.1:PORT/rest/…` without query, query and
//!   `oauth_*` parameters signed), timestamps within 300 s, nonces single-use; or
//!   `Authorization: Bearer` with an admin token from `POST /rest/V1/integration/admin/token`
//!   `{"username","password"}` (a bare JSON string). The integration access token as a
//!   bearer is refused unless [`AdobeConfig::allow_bearer`]. Failure: 401
//!   `{"message":"The consumer isn't authorized to access %resources.","parameters":{"resources":"…"}}`.
//! - `GET /V1/products`, `/V1/orders`, `/V1/inventory/sources`, `/V1/inventory/source-items`:
//!   `searchCriteria` required (else 400 `%fieldName is a required field.`), filter groups
//!   (`eq neq gt gteq lt lteq in nin like from to`), `sortOrders`, `pageSize`, `currentPage`;
//!   envelope `{"items","search_criteria","total_count"}`. A page past the end: 400 by
//!   default ([`PastEnd`]). Order lines carry `qty_ordered`, `qty_canceled`, `qty_refunded`.
//!
//! # NetSuite (`Platform::NetSuite`, base URL `http://127.0.0.1:PORT`, account `1234567`)
//! - `POST /services/rest/auth/oauth2/v1/token` (client credentials with a JWT assertion:
//!   header `alg` PS256/PS384/PS512/ES256/ES384/ES512 and `kid` = certificate id; payload
//!   `iss` = client id, `aud` = the token URL, `scope` containing `rest_webservices`,
//!   `exp` − `iat` ≤ 3600, not expired. **The JWT signature is not verified.**) →
//!   `{"access_token","expires_in":3600,"token_type":"bearer"}`.
//! - Or TBA: `Authorization: OAuth realm="1234567", oauth_consumer_key, oauth_token, …`
//!   verified with HMAC-SHA256 (base URI from the `Host` header); a reused nonce or a
//!   timestamp off by more than 300 s is refused. Failures: 401 `INVALID_LOGIN` problem body
//!   (+ `WWW-Authenticate` for bearer).
//! - `PUT /services/rest/record/v1/purchaseOrder/eid:{externalId}` upserts (204 +
//!   `Location`), `POST …/purchaseOrder` creates (duplicate `externalId`: 400), `GET
//!   …/purchaseOrder/{id}` and `eid:{id}`, `GET …/purchaseOrder` lists. A PO without
//!   `entity`, with an unknown vendor or item, or without item lines: 400 `INVALID_CONTENT`
//!   with `o:errorPath`. Vendors are the merchant's suppliers (internal id = supplier id),
//!   items its variants (internal id = variant id).
//! - `POST /services/rest/query/v1/suiteql?limit=&offset=` with `Prefer: transient`:
//!   `SELECT cols FROM vendor|item|itemvendor|location [WHERE col = ? [AND …]] [ORDER BY col]`.
//! - More than [`NetSuiteConfig::concurrency_limit`] requests in flight: 429
//!   `CONCURRENCY_LIMIT_EXCEEDED`.
//!
//! # Faults
//! [`SimHandle::faults`] gives each platform's [`Faults`]: latency, the next N requests
//! failing with a [`Fault`] (the platform's own rate-limit answer, a bare 429, a 5xx, a
//! connection dropped mid-body, malformed JSON), every Nth request failing, and revoked
//! tokens/keys.

mod adobe;
mod bigcommerce;
mod config;
mod data;
mod error;
mod faults;
mod netsuite;
pub mod oauth1;
pub mod scenario;
pub mod shopify;
mod suiteql;
pub mod truth;

pub use bigcommerce::metafields::BcMetafield;
pub use config::{
    AdobeConfig, BigCommerceConfig, NetSuiteConfig, PastEnd, ShopifyConfig, SimConfig,
};
pub use error::{Result, SimError};
pub use faults::{Fault, Faults};
pub use netsuite::{PurchaseOrder, SuiteQlQuery};

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A simulated remote platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Shopify,
    BigCommerce,
    Adobe,
    NetSuite,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Shopify,
        Platform::BigCommerce,
        Platform::Adobe,
        Platform::NetSuite,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Shopify => "shopify",
            Platform::BigCommerce => "bigcommerce",
            Platform::Adobe => "adobe",
            Platform::NetSuite => "netsuite",
        }
    }
}

impl std::str::FromStr for Platform {
    type Err = SimError;
    fn from_str(s: &str) -> Result<Self> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                SimError::Config(format!(
                    "unknown platform {s:?} (expected shopify, bigcommerce, adobe or netsuite)"
                ))
            })
    }
}

/// The platform's "slow down" answer, used by [`Fault::RateLimited`].
pub(crate) fn rate_limited_response(p: Platform, (bucket, rate): (f64, f64)) -> Response {
    match p {
        // As if the bucket were empty and the query asked for one second of restore.
        Platform::Shopify => (
            StatusCode::OK,
            axum::Json(shopify::throttled_body(
                rate.max(1.0) as u64,
                0.0,
                bucket,
                rate,
            )),
        )
            .into_response(),
        Platform::BigCommerce => {
            let mut r = (
                StatusCode::TOO_MANY_REQUESTS,
                axum::Json(json!({"status": 429, "title": "Too many requests",
                    "type": "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes", "errors": {}})),
            )
                .into_response();
            for (k, v) in [
                ("x-rate-limit-time-window-ms", "30000"),
                ("x-rate-limit-time-reset-ms", "1000"),
                ("x-rate-limit-requests-quota", "150"),
                ("x-rate-limit-requests-left", "0"),
                ("x-retry-after", "1"),
            ] {
                r.headers_mut().insert(k, HeaderValue::from_static(v));
            }
            r
        }
        Platform::Adobe => (
            StatusCode::TOO_MANY_REQUESTS,
            axum::Json(json!({"message": "Too Many Requests"})),
        )
            .into_response(),
        Platform::NetSuite => netsuite::concurrency_exceeded(),
    }
}

/// Credentials a platform's simulator accepts, as `forestock sim` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    pub url: String,
    #[serde(flatten)]
    pub credentials: BTreeMap<&'static str, String>,
}

/// Every platform served, its base URL and then its credentials, one per line (`forestock
/// sim`'s listing).
pub fn endpoints_text(endpoints: &BTreeMap<Platform, Endpoint>) -> String {
    let mut o = String::new();
    for (p, e) in endpoints {
        o.push_str(&format!("{:<12} {}\n", p.as_str(), e.url));
        for (k, v) in &e.credentials {
            o.push_str(&format!("  {k:<20} {v}\n"));
        }
    }
    o
}

struct Server {
    platform: Platform,
    url: String,
    faults: Faults,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

/// Runtime controls of the Shopify simulator.
pub struct ShopifyControl {
    state: Arc<shopify::state::ShopState>,
}

impl ShopifyControl {
    /// Accept another token with these scopes (e.g. without `read_all_orders`); `ttl` None
    /// never expires.
    pub fn add_token(&self, token: &str, scopes: &[&str], ttl: Option<Duration>) {
        self.state.add_token(token, scopes, ttl);
    }
    /// Bulk operations so far (oldest first).
    pub fn bulk_operations(&self) -> Vec<shopify::BulkOp> {
        self.state.bulk_ops()
    }
    /// With [`ShopifyConfig::bulk_manual`]: release a finished operation as COMPLETED.
    /// Returns false if it is not RUNNING with its file written.
    pub fn complete_bulk(&self, id: i64) -> bool {
        self.state.finish_bulk(id, true)
    }
    /// Fail a CREATED or RUNNING operation (errorCode INTERNAL_SERVER_ERROR).
    pub fn fail_bulk(&self, id: i64) -> bool {
        self.state.finish_bulk(id, false)
    }
    /// Point the `url` of later-polled bulk operations at another origin, as real Shopify
    /// hands out a cloud-storage URL (e.g. an origin where nothing listens, to make the
    /// download fail); None: this simulator.
    pub fn set_bulk_origin(&self, origin: Option<String>) {
        self.state.set_bulk_origin(origin);
    }
    /// Metafields written with `metafieldsSet`.
    pub fn metafields(&self) -> Vec<shopify::Metafield> {
        self.state.metafields()
    }
    /// Metafield values `metafieldsSet` stored so far (each created or updated one counts).
    pub fn metafield_writes(&self) -> u64 {
        self.state.metafield_writes()
    }
}

/// Edits the catalog every simulated platform serves, as the merchant would in a store's
/// admin while a sync runs (tests of records changed during a pass).
#[derive(Clone)]
pub struct CatalogEditor {
    merchant: Arc<data::Merchant>,
}

impl CatalogEditor {
    /// A new price (if given) and `updated_at = at` on the variant with this SKU and on its
    /// product, seen from the next request on. False for an unknown SKU.
    pub fn touch_variant(&self, sku: &str, price: Option<f64>, at: chrono::NaiveDateTime) -> bool {
        self.merchant.touch_variant(sku, price, at)
    }
}

/// Runtime controls of the BigCommerce simulator.
pub struct BigCommerceControl {
    meta: Arc<bigcommerce::metafields::BcMetafields>,
}

impl BigCommerceControl {
    /// Variant metafields written through the API, oldest first.
    pub fn metafields(&self) -> Vec<BcMetafield> {
        self.meta.all()
    }
    /// Metafields created or updated so far (accepted POSTs and PUTs).
    pub fn metafield_writes(&self) -> u64 {
        self.meta.writes()
    }
}

/// Runtime controls of the NetSuite simulator.
pub struct NetSuiteControl {
    state: Arc<netsuite::NsState>,
}

impl NetSuiteControl {
    /// Purchase orders received so far, by internal id.
    pub fn purchase_orders(&self) -> Vec<PurchaseOrder> {
        self.state.purchase_orders()
    }
    /// Every SuiteQL query answered so far, in order, with the rows it matched.
    pub fn suiteql_log(&self) -> Vec<SuiteQlQuery> {
        self.state.suiteql_log()
    }
}

/// Running simulators. Dropping it without [`SimHandle::shutdown`] stops them too (their
/// tasks end with the runtime), but shutdown also removes the bulk-operation folder.
pub struct SimHandle {
    servers: Vec<Server>,
    config: SimConfig,
    shopify: Option<ShopifyControl>,
    bigcommerce: Option<BigCommerceControl>,
    netsuite: Option<NetSuiteControl>,
    merchant: Arc<data::Merchant>,
    work_dir: PathBuf,
    own_work_dir: bool,
}

impl SimHandle {
    /// The base URL of a platform's simulator (see the crate docs for what follows it).
    pub fn url(&self, p: Platform) -> Option<String> {
        self.servers
            .iter()
            .find(|s| s.platform == p)
            .map(|s| s.url.clone())
    }
    /// The configuration the simulators run with (credentials included).
    pub fn config(&self) -> &SimConfig {
        &self.config
    }
    /// A platform's fault switches (a detached, inert set for a platform not served).
    pub fn faults(&self, p: Platform) -> Faults {
        self.servers
            .iter()
            .find(|s| s.platform == p)
            .map(|s| s.faults.clone())
            .unwrap_or_default()
    }
    pub fn shopify(&self) -> Option<&ShopifyControl> {
        self.shopify.as_ref()
    }
    pub fn netsuite(&self) -> Option<&NetSuiteControl> {
        self.netsuite.as_ref()
    }
    pub fn bigcommerce(&self) -> Option<&BigCommerceControl> {
        self.bigcommerce.as_ref()
    }
    /// A handle that edits the served catalog while clients sync (cheap to clone, usable
    /// from a client's progress callback).
    pub fn editor(&self) -> CatalogEditor {
        CatalogEditor {
            merchant: self.merchant.clone(),
        }
    }
    /// Base URL and accepted credentials of every platform served.
    pub fn endpoints(&self) -> BTreeMap<Platform, Endpoint> {
        let c = &self.config;
        self.servers
            .iter()
            .map(|s| {
                let mut m = BTreeMap::new();
                match s.platform {
                    Platform::Shopify => {
                        m.insert("token", c.shopify.admin_token.clone());
                        m.insert("client_id", c.shopify.client_id.clone());
                        m.insert("client_secret", c.shopify.client_secret.clone());
                    }
                    Platform::BigCommerce => {
                        m.insert("store_hash", c.bigcommerce.store_hash.clone());
                        m.insert("token", c.bigcommerce.access_token.clone());
                    }
                    Platform::Adobe => {
                        m.insert("consumer_key", c.adobe.consumer_key.clone());
                        m.insert("consumer_secret", c.adobe.consumer_secret.clone());
                        m.insert("access_token", c.adobe.access_token.clone());
                        m.insert("access_token_secret", c.adobe.access_token_secret.clone());
                        m.insert("admin_username", c.adobe.admin_username.clone());
                        m.insert("admin_password", c.adobe.admin_password.clone());
                    }
                    Platform::NetSuite => {
                        m.insert("account_id", c.netsuite.account_id.clone());
                        m.insert("client_id", c.netsuite.client_id.clone());
                        m.insert("certificate_id", c.netsuite.certificate_id.clone());
                        m.insert("consumer_key", c.netsuite.consumer_key.clone());
                        m.insert("consumer_secret", c.netsuite.consumer_secret.clone());
                        m.insert("token_id", c.netsuite.token_id.clone());
                        m.insert("token_secret", c.netsuite.token_secret.clone());
                    }
                }
                (
                    s.platform,
                    Endpoint {
                        url: s.url.clone(),
                        credentials: m,
                    },
                )
            })
            .collect()
    }

    /// Stop every server (in-flight requests finish) and remove the bulk folder.
    pub async fn shutdown(self) {
        for s in &self.servers {
            let _ = s.stop.send(true);
        }
        for s in self.servers {
            // A server task that panicked has nothing left to clean up.
            let _ = s.task.await;
        }
        if self.own_work_dir {
            // Best effort: the folder is under the system temp folder.
            let _ = std::fs::remove_dir_all(&self.work_dir);
        }
    }
}

/// Load the merchant database and start the configured simulators on loopback.
pub async fn start(db: &Path, config: SimConfig) -> Result<SimHandle> {
    if config.platforms.is_empty() {
        return Err(SimError::Config("no platform to serve".into()));
    }
    let path = db.to_path_buf();
    let now = config.now;
    let merchant = tokio::task::spawn_blocking(move || -> Result<Arc<data::Merchant>> {
        // Store::open checks the file and applies pending migrations; then a read-only
        // connection serves the data.
        drop(
            forestock_core::Store::open(&path).map_err(|source| SimError::Database {
                path: path.clone(),
                source,
            })?,
        );
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(5))?;
        data::Merchant::load(conn, now)
    })
    .await
    .map_err(|e| SimError::Task(e.to_string()))??;

    let (work_dir, own_work_dir) = match &config.work_dir {
        Some(d) => (d.clone(), false),
        None => {
            static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            (
                std::env::temp_dir().join(format!("forestock-sim-{}-{n}", std::process::id())),
                true,
            )
        }
    };
    std::fs::create_dir_all(&work_dir)?;

    let mut handle = SimHandle {
        servers: Vec::new(),
        config: config.clone(),
        shopify: None,
        bigcommerce: None,
        netsuite: None,
        merchant: merchant.clone(),
        work_dir: work_dir.clone(),
        own_work_dir,
    };
    for (i, p) in config.platforms.iter().copied().enumerate() {
        let port = if config.port == 0 {
            0
        } else {
            config.port.saturating_add(i as u16)
        };
        let addr = format!("127.0.0.1:{port}");
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|source| SimError::Bind {
                addr: addr.clone(),
                source,
            })?;
        let local = listener.local_addr()?;
        let origin = format!("http://{local}");
        let faults = Faults::default();
        let (router, url) = match p {
            Platform::Shopify => {
                let st = shopify::state::ShopState::new(
                    config.shopify.clone(),
                    merchant.clone(),
                    work_dir.clone(),
                );
                if let Ok(mut b) = st.base_url.write() {
                    *b = origin.clone();
                }
                handle.shopify = Some(ShopifyControl { state: st.clone() });
                (shopify::router(st, faults.clone()), origin.clone())
            }
            Platform::BigCommerce => {
                let meta = Arc::new(bigcommerce::metafields::BcMetafields::default());
                handle.bigcommerce = Some(BigCommerceControl { meta: meta.clone() });
                (
                    bigcommerce::router(
                        config.bigcommerce.clone(),
                        merchant.clone(),
                        faults.clone(),
                        meta,
                    ),
                    format!("{origin}/stores/{}", config.bigcommerce.store_hash),
                )
            }
            Platform::Adobe => (
                adobe::router(config.adobe.clone(), merchant.clone(), faults.clone()),
                origin.clone(),
            ),
            Platform::NetSuite => {
                let st = netsuite::NsState::new(config.netsuite.clone(), merchant.clone());
                handle.netsuite = Some(NetSuiteControl { state: st.clone() });
                (netsuite::router(st, faults.clone()), origin.clone())
            }
        };
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async move {
                // Either a stop request or the handle being dropped ends the server.
                let _ = stopped.wait_for(|s| *s).await;
            });
            if let Err(e) = serve.await {
                eprintln!("simulator for {} stopped: {e}", p.as_str());
            }
        });
        handle.servers.push(Server {
            platform: p,
            url,
            faults,
            stop,
            task,
        });
    }
    Ok(handle)
}
