//! Shopify: the GraphQL Admin API client and the Shopify side of the sync.
//!
//! * GraphQL only (REST is legacy since 2024-10); the API version is a store setting
//!   (`settings.api_version`, default [`DEFAULT_API_VERSION`]).
//! * Auth: a static Admin API token, or a client id/secret exchanged for a ~24 h token with
//!   the client-credentials grant (refreshed before expiry and after a 401).
//! * Cost-based throttling: the leaky bucket's `maximumAvailable`, `currentlyAvailable` and
//!   `restoreRate` are read from every response (never hard-coded); a query waits until the
//!   bucket holds its cost, and a `THROTTLED` answer waits `(requested - available) / rate`.
//! * First syncs of variants, inventory and order history use bulk operations (JSONL);
//!   later syncs page with an `updated_at:>=` search filter. Inventory is always a full
//!   snapshot (inventory changes do not move a variant's `updatedAt`).

use crate::error::{snippet, Error, Result};
use crate::http::{
    body_text, shared_client, status_error, transport_error, with_retry, RetryPolicy,
};
use crate::jsonl::JsonlIndex;
use crate::progress::{Meter, Progress, SyncEvent};
use crate::remote::*;
use crate::secret::Secret;
use crate::state;
use crate::sync::{Ctx, SyncReport};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use forestock_core::{LocationKind, ProductStatus, SkuStatus, Store};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub const DEFAULT_API_VERSION: &str = "2026-01";

/// How a Shopify client authenticates.
#[derive(Debug, Clone)]
pub enum ShopifyAuth {
    /// A static Admin API access token (legacy custom apps).
    Token(Secret),
    /// Client-credentials grant for apps on stores the merchant's organisation owns.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    max: f64,
    available: f64,
    restore_rate: f64,
    at: Instant,
}

impl Bucket {
    /// Seconds to wait before `cost` points are available.
    fn wait_for(&self, cost: f64, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        let avail = (self.available + elapsed * self.restore_rate).min(self.max);
        let cost = cost.min(self.max);
        if avail >= cost || self.restore_rate <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((cost - avail) / self.restore_rate)
        }
    }
}

/// Read `extensions.cost.throttleStatus` from a GraphQL response.
fn parse_throttle(v: &Value) -> Option<(f64, Bucket)> {
    let cost = v.get("extensions")?.get("cost")?;
    let requested = cost.get("requestedQueryCost")?.as_f64()?;
    let t = cost.get("throttleStatus")?;
    Some((
        requested,
        Bucket {
            max: t.get("maximumAvailable")?.as_f64()?,
            available: t.get("currentlyAvailable")?.as_f64()?,
            restore_rate: t.get("restoreRate")?.as_f64()?,
            at: Instant::now(),
        },
    ))
}

/// What identifies a query's cost: its text and page size (`first`).
fn cost_key(query: &str, variables: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    query.hash(&mut h);
    variables.get("first").and_then(Value::as_u64).hash(&mut h);
    h.finish()
}

/// A Shopify GraphQL Admin API client for one shop.
pub struct ShopifyClient {
    http: reqwest::Client,
    store: String,
    base: url::Url,
    endpoint: url::Url,
    auth: ShopifyAuth,
    token: tokio::sync::Mutex<Option<(Secret, Instant)>>,
    bucket: std::sync::Mutex<Option<Bucket>>,
    /// The requested cost Shopify reported for each query (text and page size) last time.
    costs: std::sync::Mutex<HashMap<u64, f64>>,
    retry: RetryPolicy,
    progress: Progress,
    requests: AtomicU64,
    /// Waits for the cost bucket (before a query, or after a THROTTLED answer) and their
    /// total length in milliseconds (for benchmarks).
    throttled: AtomicU64,
    throttled_ms: AtomicU64,
    /// Scopes the client-credentials grant reported.
    granted: std::sync::Mutex<Option<Vec<String>>>,
}

impl std::fmt::Debug for ShopifyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShopifyClient")
            .field("store", &self.store)
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

impl ShopifyClient {
    /// `base_url` is the shop's origin (`https://shop.myshopify.com`).
    pub fn new(
        store: &str,
        base_url: &str,
        api_version: &str,
        auth: ShopifyAuth,
        retry: RetryPolicy,
        progress: Progress,
    ) -> Result<ShopifyClient> {
        let base = parse_base(store, base_url)?;
        if !is_api_version(api_version) {
            return Err(Error::invalid(
                "Shopify API version",
                format!("{store}: {api_version:?} is not YYYY-MM (e.g. {DEFAULT_API_VERSION})"),
            ));
        }
        let endpoint = join(
            store,
            &base,
            &format!("admin/api/{api_version}/graphql.json"),
        )?;
        Ok(ShopifyClient {
            http: shared_client()?,
            store: store.to_string(),
            base,
            endpoint,
            auth,
            token: tokio::sync::Mutex::new(None),
            bucket: std::sync::Mutex::new(None),
            costs: std::sync::Mutex::new(HashMap::new()),
            retry,
            progress,
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            throttled_ms: AtomicU64::new(0),
            granted: std::sync::Mutex::new(None),
        })
    }

    /// HTTP requests sent so far (for benchmarks).
    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Throttled waits so far: how many, and how long in total.
    pub fn throttled(&self) -> (u64, Duration) {
        (
            self.throttled.load(Ordering::Relaxed),
            Duration::from_millis(self.throttled_ms.load(Ordering::Relaxed)),
        )
    }

    fn note_throttled(&self, wait: Duration) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        self.throttled_ms
            .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
    }

    async fn access_token(&self) -> Result<Secret> {
        let (client_id, client_secret) = match &self.auth {
            ShopifyAuth::Token(t) => return Ok(t.clone()),
            ShopifyAuth::ClientCredentials {
                client_id,
                client_secret,
            } => (client_id, client_secret),
        };
        let mut cached = self.token.lock().await;
        if let Some((t, until)) = cached.as_ref() {
            if Instant::now() < *until {
                return Ok(t.clone());
            }
        }
        let url = join(&self.store, &self.base, "admin/oauth/access_token")?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .http
            .post(url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose()),
            ])
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = body_text(&self.store, resp).await?;
        if !status.is_success() {
            return Err(match status.as_u16() {
                400 | 401 | 403 => Error::Auth {
                    store: self.store.clone(),
                    detail: format!(
                        "the client-credentials grant was refused (HTTP {status}): {}",
                        snippet(&body)
                    ),
                },
                404 => self.not_a_store("no token endpoint (HTTP 404)".to_string()),
                _ => status_error(&self.store, status, &headers, &body),
            });
        }
        let v: Value = serde_json::from_str(&body)
            .map_err(|e| Error::malformed(&self.store, format!("token response: {e}")))?;
        let token = v
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::malformed(&self.store, "token response has no access_token"))?;
        if let (Some(scope), Ok(mut g)) =
            (v.get("scope").and_then(Value::as_str), self.granted.lock())
        {
            *g = Some(scope.split(',').map(|s| s.trim().to_string()).collect());
        }
        let lifetime = v
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(86_400);
        // Renew five minutes early (or at half-life for very short tokens).
        let margin = (lifetime / 2).min(300);
        let until = Instant::now() + Duration::from_secs(lifetime.saturating_sub(margin));
        let token = Secret::new(token);
        *cached = Some((token.clone(), until));
        Ok(token)
    }

    fn not_a_store(&self, detail: String) -> Error {
        Error::NotAStore {
            store: self.store.clone(),
            platform: "Shopify",
            url: self.base.to_string(),
            detail,
        }
    }

    /// Run a GraphQL query with throttling and retries; returns its `data`.
    pub async fn graphql(&self, query: &str, variables: Value) -> Result<Value> {
        let mut refreshed = false;
        loop {
            let r = with_retry(&self.retry, &self.progress, &self.store, || async {
                let r = self.graphql_once(query, &variables).await;
                if let Err(e @ Error::Throttled { .. }) = &r {
                    // with_retry waits what the answer asks (capped), without counting it
                    // as a failed attempt.
                    let wait = e
                        .retry_after()
                        .map_or(Duration::ZERO, |w| w.min(crate::http::MAX_SERVER_WAIT));
                    self.note_throttled(wait);
                }
                r
            })
            .await;
            match r {
                // An expired client-credentials token: get a new one once.
                Err(Error::Auth { .. })
                    if !refreshed && matches!(self.auth, ShopifyAuth::ClientCredentials { .. }) =>
                {
                    refreshed = true;
                    *self.token.lock().await = None;
                }
                other => return other,
            }
        }
    }

    async fn graphql_once(&self, query: &str, variables: &Value) -> Result<Value> {
        // Wait until the bucket holds what this query cost last time (Shopify's own
        // `requestedQueryCost`, API-NOTES §1.5: "before a query runs, the bucket must hold
        // its requested cost"); a query not seen yet assumes a typical page, 100 points.
        let key = cost_key(query, variables);
        let cost = self
            .costs
            .lock()
            .ok()
            .and_then(|c| c.get(&key).copied())
            .unwrap_or(100.0);
        let wait = self
            .bucket
            .lock()
            .map(|b| b.map(|b| b.wait_for(cost, Instant::now())))
            .ok()
            .flatten()
            .unwrap_or_default();
        if !wait.is_zero() {
            self.note_throttled(wait);
            tokio::time::sleep(wait).await;
        }
        let token = self.access_token().await?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .http
            .post(self.endpoint.clone())
            .header("X-Shopify-Access-Token", token.expose())
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = body_text(&self.store, resp).await?;
        if !status.is_success() {
            if status.as_u16() == 401 {
                return Err(Error::Auth {
                    store: self.store.clone(),
                    detail: format!(
                        "Shopify answered 401 ({}); the access token is wrong or was revoked",
                        snippet(&body)
                    ),
                });
            }
            if status.as_u16() == 404 {
                return Err(self.not_a_store(format!(
                    "{} answered 404; is this the shop's admin URL (https://SHOP.myshopify.com)?",
                    self.endpoint
                )));
            }
            return Err(status_error(&self.store, status, &headers, &body));
        }
        let v: Value = serde_json::from_str(&body).map_err(|e| {
            Error::malformed(&self.store, format!("GraphQL response is not JSON: {e}"))
        })?;
        let throttle = parse_throttle(&v);
        if let Some((requested, b)) = throttle {
            if let Ok(mut g) = self.bucket.lock() {
                *g = Some(b);
            }
            if let Ok(mut c) = self.costs.lock() {
                c.insert(key, requested);
            }
        }
        if let Some(errors) = v.get("errors").and_then(Value::as_array) {
            if !errors.is_empty() {
                return Err(self.graphql_error(errors, throttle));
            }
        }
        match v.get("data") {
            Some(d) if !d.is_null() => Ok(d.clone()),
            _ => Err(Error::malformed(
                &self.store,
                "GraphQL response has no data",
            )),
        }
    }

    fn graphql_error(&self, errors: &[Value], throttle: Option<(f64, Bucket)>) -> Error {
        let code = |e: &Value| {
            e.at("/extensions/code")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let messages: Vec<String> = errors
            .iter()
            .map(|e| {
                let m = e.get("message").and_then(Value::as_str).unwrap_or("?");
                let c = code(e);
                if c.is_empty() {
                    m.to_string()
                } else {
                    format!("{m} [{c}]")
                }
            })
            .collect();
        let detail = snippet(&messages.join("; "));
        let store = self.store.clone();
        if errors.iter().any(|e| {
            code(e) == "THROTTLED" || e.get("message").and_then(Value::as_str) == Some("Throttled")
        }) {
            let retry_after = throttle.map(|(requested, b)| {
                Duration::from_secs_f64(
                    ((requested.min(b.max) - b.available).max(0.0) / b.restore_rate.max(1.0))
                        .max(0.05),
                )
            });
            return Error::Throttled {
                store,
                detail,
                retry_after,
            };
        }
        if errors.iter().any(|e| code(e) == "ACCESS_DENIED") {
            return Error::Permission { store, detail };
        }
        if errors.iter().any(|e| code(e) == "INTERNAL_SERVER_ERROR") {
            return Error::Server {
                store,
                status: 200,
                detail,
            };
        }
        Error::Remote {
            store,
            detail: format!("GraphQL error: {detail}"),
        }
    }

    /// Run a paged query, halving `first` while Shopify says the query costs too much.
    async fn graphql_paged(&self, query: &str, mut vars: Value, first: &mut u32) -> Result<Value> {
        loop {
            vars["first"] = json!(*first);
            match self.graphql(query, vars.clone()).await {
                Err(Error::Remote { detail, .. })
                    if *first > 1
                        && (detail.contains("MAX_COST_EXCEEDED")
                            || detail.contains("max cost")) =>
                {
                    *first /= 2;
                }
                other => return other,
            }
        }
    }

    /// The shop's name and currency; also proves the URL and credentials work.
    pub async fn shop(&self) -> Result<ShopInfo> {
        let d = self
            .graphql("{ shop { name currencyCode ianaTimezone } }", json!({}))
            .await
            .map_err(|e| match e {
                Error::Malformed { detail, .. } => self.not_a_store(detail),
                e => e,
            })?;
        let s = d
            .get("shop")
            .ok_or_else(|| Error::malformed(&self.store, "no shop"))?;
        Ok(ShopInfo {
            name: str_of(s, "name").unwrap_or_default(),
            currency: str_of(s, "currencyCode").unwrap_or_else(|| "USD".into()),
            timezone: str_of(s, "ianaTimezone").unwrap_or_else(|| "UTC".into()),
        })
    }

    /// The access scopes granted to this app, when the API says (None if it can't).
    pub async fn access_scopes(&self) -> Result<Option<Vec<String>>> {
        let r = self
            .graphql(
                "{ currentAppInstallation { accessScopes { handle } } }",
                json!({}),
            )
            .await;
        match r {
            Ok(d) => Ok(d
                .at("/currentAppInstallation/accessScopes")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|s| str_of(s, "handle")).collect())),
            // Not answerable here: fall back to what the token grant reported, if anything.
            Err(Error::Remote { .. }) => Ok(self.granted.lock().ok().and_then(|g| g.clone())),
            Err(e) => Err(e),
        }
    }

    /// Start a bulk query and wait for it; returns the JSONL download URL (None: no data).
    /// While waiting, `stop` is asked between polls (the sync's cancel button): when it says
    /// stop, or the operation runs longer than `timeout`, the operation is cancelled on
    /// Shopify's side ([`ShopifyClient::cancel_bulk`]) so it stops costing the shop and
    /// does not hold the bulk-query slot, and the error is returned.
    pub async fn run_bulk(
        &self,
        query: &str,
        resume: Option<&str>,
        stop: &(dyn Fn() -> Result<()> + Sync),
        timeout: Duration,
    ) -> Result<BulkResult> {
        let id = match resume {
            Some(id) => id.to_string(),
            None => self.start_bulk(query).await?,
        };
        self.wait_bulk(&id, stop, timeout).await
    }

    /// `bulkOperationCancel` (API-NOTES §1.6): asks Shopify to stop an operation; returns the
    /// status it reports (`CANCELING`, later `CANCELED`). An operation that already ended is
    /// left as it is.
    pub async fn cancel_bulk(&self, id: &str) -> Result<String> {
        const CANCEL: &str = "mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { \
            bulkOperation { id status } userErrors { field message } } }";
        let d = self.graphql(CANCEL, json!({ "id": id })).await?;
        let r = d
            .get("bulkOperationCancel")
            .ok_or_else(|| Error::malformed(&self.store, "no bulkOperationCancel"))?;
        let status = r
            .at("/bulkOperation/status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let errs: Vec<String> = r
            .get("userErrors")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|e| str_of(e, "message")).collect())
            .unwrap_or_default();
        if !errs.is_empty() && status.is_empty() {
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!(
                    "bulk operation {id} could not be cancelled: {}",
                    errs.join("; ")
                ),
            });
        }
        Ok(status)
    }

    /// Cancel `id` after `why` stopped the wait for it, then hand `why` back. The cancel is
    /// best effort: failing to cancel is reported as a note, not instead of `why`.
    async fn abandon_bulk(&self, id: &str, why: Error) -> Error {
        let note = match self.cancel_bulk(id).await {
            Ok(status) => format!("bulk operation {id} cancelled ({status})"),
            Err(e) => format!("bulk operation {id} could not be cancelled: {e}"),
        };
        self.progress.emit(SyncEvent::Note {
            store: self.store.clone(),
            message: note,
        });
        why
    }

    /// Start a bulk query; returns its id.
    pub async fn start_bulk(&self, query: &str) -> Result<String> {
        const RUN: &str = "mutation Run($q: String!) { bulkOperationRunQuery(query: $q) { \
            bulkOperation { id status } userErrors { field message } } }";
        for _ in 0..120 {
            let d = self.graphql(RUN, json!({ "q": query })).await?;
            let r = d
                .get("bulkOperationRunQuery")
                .ok_or_else(|| Error::malformed(&self.store, "no bulkOperationRunQuery"))?;
            let errs: Vec<String> = r
                .get("userErrors")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|e| str_of(e, "message")).collect())
                .unwrap_or_default();
            if errs.is_empty() {
                return r
                    .at("/bulkOperation/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| Error::malformed(&self.store, "bulk operation has no id"));
            }
            let joined = errs.join("; ");
            if joined.to_ascii_lowercase().contains("in progress") {
                // Another bulk query (ours from a killed run, or another app) is running:
                // wait for it rather than fail.
                self.progress.emit(SyncEvent::Note {
                    store: self.store.clone(),
                    message: "waiting for a bulk operation already in progress".into(),
                });
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!("bulk query refused: {}", snippet(&joined)),
            });
        }
        Err(Error::Remote {
            store: self.store.clone(),
            detail: "another bulk operation kept running for a minute; try again later".into(),
        })
    }

    async fn wait_bulk(
        &self,
        id: &str,
        stop: &(dyn Fn() -> Result<()> + Sync),
        timeout: Duration,
    ) -> Result<BulkResult> {
        const POLL: &str = "query Poll($id: ID!) { bulkOperation(id: $id) { id status errorCode \
            objectCount url partialDataUrl } }";
        let started = Instant::now();
        let mut delay = Duration::from_millis(100);
        loop {
            if let Err(e) = stop() {
                return Err(self.abandon_bulk(id, e).await);
            }
            if started.elapsed() > timeout {
                let e = Error::Remote {
                    store: self.store.clone(),
                    detail: format!(
                        "bulk operation {id} did not finish within {} s; it was cancelled, \
                         sync again later",
                        timeout.as_secs()
                    ),
                };
                return Err(self.abandon_bulk(id, e).await);
            }
            let d = self.graphql(POLL, json!({ "id": id })).await?;
            let op = d
                .get("bulkOperation")
                .filter(|n| !n.is_null())
                .ok_or_else(|| Error::Remote {
                    store: self.store.clone(),
                    detail: format!("bulk operation {id} is gone"),
                })?;
            let status = str_of(op, "status").unwrap_or_default();
            match status.as_str() {
                "COMPLETED" => {
                    return Ok(BulkResult {
                        id: id.to_string(),
                        url: str_of(op, "url"),
                    })
                }
                "CREATED" | "RUNNING" | "CANCELING" => {}
                other => {
                    return Err(Error::Remote {
                        store: self.store.clone(),
                        detail: format!(
                            "bulk operation {id} ended {other} ({})",
                            str_of(op, "errorCode").unwrap_or_default()
                        ),
                    })
                }
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }

    /// Stream a bulk result to a temporary file and index it (bounded memory). No
    /// credentials are sent: the URL is pre-signed.
    pub async fn download_indexed(&self, url: &str) -> Result<JsonlIndex> {
        use std::io::Write;
        let url = url::Url::parse(url)
            // Never echo the URL: its query string is the signature (a bearer credential).
            .map_err(|e| {
                Error::malformed(
                    &self.store,
                    format!("the bulk result URL is not a URL ({e})"),
                )
            })?;
        let file = with_retry(&self.retry, &self.progress, &self.store, || async {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let mut resp = self
                .http
                .get(url.clone())
                .timeout(Duration::from_secs(3600))
                .send()
                .await
                .map_err(|e| transport_error(&self.store, e))?;
            let status = resp.status();
            if !status.is_success() {
                let headers = resp.headers().clone();
                let body = body_text(&self.store, resp).await?;
                return Err(status_error(&self.store, status, &headers, &body));
            }
            let io = |e: std::io::Error| Error::Network {
                store: self.store.clone(),
                detail: format!("cannot write the bulk result to a temporary file: {e}"),
            };
            let mut file = tempfile::tempfile().map_err(io)?;
            {
                let mut w = std::io::BufWriter::new(&mut file);
                while let Some(bytes) = resp
                    .chunk()
                    .await
                    .map_err(|e| transport_error(&self.store, e))?
                {
                    w.write_all(&bytes).map_err(io)?;
                }
                w.flush().map_err(io)?;
            }
            Ok(file)
        })
        .await?;
        JsonlIndex::build(&self.store, file)
    }
}

impl ShopifyClient {
    /// One order with all its lines and refunds (for orders too big for a shared page, and
    /// bulk orders whose refund lines need their refunds). Lines and refunds are fetched in
    /// separate queries to keep each under the 1,000-point cap.
    async fn order_in_full(&self, order: &Value) -> Result<Value> {
        let id = need(&self.store, "order id", str_of(order, "id"))?;
        let mut out = order.clone();
        let mut lines: Vec<Value> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let q = format!("query Lines($id: ID!, $after: String) {{ order(id: $id) {{ lineItems(first: 100, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {PAGED_LINE_FIELDS} }} }} }} }}");
            let d = self
                .graphql(&q, json!({ "id": id, "after": after }))
                .await?;
            let conn = d
                .at("/order/lineItems")
                .ok_or_else(|| Error::malformed(&self.store, format!("order {id} vanished")))?;
            lines.extend(list(Some(conn)).into_iter().cloned());
            let (more, end) = page_info(conn);
            if !more {
                break;
            }
            after = end;
        }
        let q = format!("query Refunds($id: ID!) {{ order(id: $id) {{ refunds(first: 10) {{ id createdAt refundLineItems(first: 20) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_REFUND_LINE_FIELDS} }} }} }} }} }}");
        let d = self.graphql(&q, json!({ "id": id })).await?;
        let refunds = d
            .at("/order/refunds")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        if list(Some(&refunds)).len() >= 10
            || list(Some(&refunds)).iter().any(|r| {
                r.at("/refundLineItems/pageInfo/hasNextPage")
                    .and_then(Value::as_bool)
                    == Some(true)
            })
        {
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!("order {id} has more refunds than this version can read"),
            });
        }
        if let Some(o) = out.as_object_mut() {
            o.insert("lineItems".into(), Value::Array(lines));
            o.insert("refunds".into(), refunds);
            o.remove("refundLineItems");
        }
        Ok(out)
    }
}

/// One approved metafield write (e.g. a forecast or reorder point on a variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetafieldWrite {
    /// A ProductVariant or Product gid.
    pub owner_id: String,
    pub namespace: String,
    pub key: String,
    /// Shopify type, e.g. `number_integer`, `number_decimal`, `json`.
    pub kind: String,
    pub value: String,
}

/// `metafieldsSet` takes at most 25 metafields per call.
pub const METAFIELDS_PER_CALL: usize = 25;

impl ShopifyClient {
    /// Write metafields in calls of at most 25. Each call is atomic on Shopify's side; a
    /// call with user errors stops here (earlier calls stay written) and says which entry
    /// failed. Returns how many were written.
    pub async fn set_metafields(&self, writes: &[MetafieldWrite]) -> Result<usize> {
        const SET: &str =
            "mutation Set($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { \
            metafields { id key namespace } userErrors { field message code elementIndex } } }";
        let valid = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if let Some(bad) = writes
            .iter()
            .find(|w| !valid(&w.key, 2, 64) || !valid(&w.namespace, 3, 255))
        {
            return Err(Error::invalid(
                "metafield",
                format!(
                    "{}: namespace {:?} (3–255) and key {:?} (2–64) may hold only letters, digits, '_' and '-'",
                    self.store, bad.namespace, bad.key
                ),
            ));
        }
        let mut written = 0;
        for chunk in writes.chunks(METAFIELDS_PER_CALL) {
            let m: Vec<Value> = chunk
                .iter()
                .map(|w| {
                    json!({"ownerId": w.owner_id, "namespace": w.namespace, "key": w.key,
                        "type": w.kind, "value": w.value})
                })
                .collect();
            let d = self.graphql(SET, json!({ "m": m })).await?;
            let errors: Vec<String> = d
                .at("/metafieldsSet/userErrors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| {
                    let i = e.get("elementIndex").and_then(Value::as_u64);
                    let who = i
                        .and_then(|i| chunk.get(i as usize))
                        .map(|w| format!("{} {}.{}", w.owner_id, w.namespace, w.key))
                        .unwrap_or_default();
                    format!("{who}: {}", str_of(e, "message").unwrap_or_default())
                })
                .collect();
            if !errors.is_empty() {
                return Err(Error::Rejected {
                    store: self.store.clone(),
                    status: 200,
                    detail: format!(
                        "metafieldsSet refused the call ({written} written before it): {}",
                        snippet(&errors.join("; "))
                    ),
                });
            }
            written += chunk.len();
        }
        Ok(written)
    }
}

/// What a finished bulk operation left. `url` is pre-signed (its query string is a bearer
/// credential for the export): `Debug` shows it without the query string.
#[derive(Clone)]
pub struct BulkResult {
    pub id: String,
    pub url: Option<String>,
}

impl std::fmt::Debug for BulkResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkResult")
            .field("id", &self.id)
            .field(
                "url",
                &self.url.as_deref().map(crate::remote_url::redact_urls),
            )
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopInfo {
    pub name: String,
    pub currency: String,
    pub timezone: String,
}

fn parse_base(store: &str, base_url: &str) -> Result<url::Url> {
    let mut u = crate::remote_url::check_stored_url(store, base_url)?;
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u.set_query(None);
    u.set_fragment(None);
    Ok(u)
}

pub(crate) fn join(store: &str, base: &url::Url, path: &str) -> Result<url::Url> {
    base.join(path)
        .map_err(|e| Error::invalid("store URL", format!("{store}: {e}")))
}

fn is_api_version(v: &str) -> bool {
    let b = v.as_bytes();
    v.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        || v == "unstable"
}

/// `Value::pointer` without its per-segment `String` (millions of calls in a first sync);
/// the paths used here have no `~` escapes.
trait At {
    fn at(&self, path: &str) -> Option<&Value>;
}

impl At for Value {
    fn at(&self, path: &str) -> Option<&Value> {
        let Some(rest) = path.strip_prefix('/') else {
            return path.is_empty().then_some(self);
        };
        rest.split('/').try_fold(self, |v, k| match v {
            Value::Object(m) => m.get(k),
            Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
    }
}

fn str_of(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

fn num_of(v: &Value, ptr: &str) -> Option<f64> {
    let x = v.at(ptr)?;
    x.as_f64().or_else(|| x.as_str()?.parse().ok())
}

/// Shopify timestamps (`2025-06-01T12:00:00Z`) as naive UTC.
pub(crate) fn ts(v: &Value, k: &str) -> Option<NaiveDateTime> {
    let s = v.get(k)?.as_str()?;
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc).naive_utc())
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn need<T>(store: &str, what: &str, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::malformed(store, format!("missing or invalid {what}")))
}

// ---- mapping -----------------------------------------------------------------------------

fn map_location(store: &str, n: &Value) -> Result<RemoteLocation> {
    let id = need(store, "location id", str_of(n, "id"))?;
    let name = str_of(n, "name").unwrap_or_else(|| id.clone());
    let retail = n.get("fulfillsOnlineOrders").and_then(Value::as_bool) == Some(false);
    Ok(RemoteLocation {
        code: name.clone(),
        external_id: id,
        name,
        kind: if retail {
            LocationKind::Retail
        } else {
            LocationKind::Warehouse
        },
        active: n.get("isActive").and_then(Value::as_bool).unwrap_or(true),
    })
}

/// A variant node (with its product inline) as a product holding that one variant.
fn map_variant(store: &str, n: &Value) -> Result<RemoteProduct> {
    let p = need(store, "variant.product", n.get("product"))?;
    let status = match str_of(p, "status")
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("DRAFT") => ProductStatus::Draft,
        Some("ARCHIVED") => ProductStatus::Archived,
        _ => ProductStatus::Active,
    };
    let sku_status = match status {
        ProductStatus::Active => SkuStatus::Active,
        ProductStatus::Draft => SkuStatus::Draft,
        ProductStatus::Archived => SkuStatus::Discontinued,
    };
    let vid = need(store, "variant id", str_of(n, "id"))?;
    let created = ts(n, "createdAt").or_else(|| ts(p, "createdAt"));
    let updated = ts(n, "updatedAt").or(created);
    let sku = str_of(n, "sku").filter(|s| !s.trim().is_empty());
    let sku = need(store, &format!("SKU of variant {vid}"), sku)?;
    Ok(RemoteProduct {
        external_id: need(store, "product id", str_of(p, "id"))?,
        title: str_of(p, "title").unwrap_or_default(),
        category: str_of(p, "productType").unwrap_or_default(),
        vendor: str_of(p, "vendor").unwrap_or_default(),
        status,
        created_at: need(store, "product createdAt", ts(p, "createdAt").or(created))?,
        updated_at: need(store, "product updatedAt", ts(p, "updatedAt").or(updated))?,
        variants: vec![RemoteVariant {
            external_id: vid,
            sku,
            title: str_of(n, "title").unwrap_or_default(),
            barcode: str_of(n, "barcode").filter(|b| !b.is_empty()),
            price: num_of(n, "/price").unwrap_or(0.0),
            cost: num_of(n, "/inventoryItem/unitCost/amount"),
            status: sku_status,
            created_date: need(store, "variant createdAt", created)?.date(),
            updated_at: need(store, "variant updatedAt", updated)?,
        }],
    })
}

/// Merge single-variant products with the same product id (keeps page order).
fn merge_products(items: Vec<RemoteProduct>) -> Vec<RemoteProduct> {
    let mut out: Vec<RemoteProduct> = Vec::new();
    let mut pos: HashMap<String, usize> = HashMap::new();
    for p in items {
        match pos.get(&p.external_id) {
            Some(&i) => out[i].variants.extend(p.variants),
            None => {
                pos.insert(p.external_id.clone(), out.len());
                out.push(p);
            }
        }
    }
    out
}

fn quantities(v: &Value) -> (i64, i64, i64) {
    let mut on_hand = None;
    let mut available = 0;
    let mut committed = 0;
    let mut incoming = 0;
    for q in v
        .get("quantities")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let n = q.get("quantity").and_then(Value::as_i64).unwrap_or(0);
        match q.get("name").and_then(Value::as_str) {
            Some("on_hand") => on_hand = Some(n),
            Some("available") => available = n,
            Some("committed") => committed = n,
            Some("incoming") => incoming = n,
            _ => {}
        }
    }
    (
        on_hand.unwrap_or(available + committed),
        committed,
        incoming,
    )
}

fn money(v: &Value, ptr: &str) -> f64 {
    num_of(v, ptr).unwrap_or(0.0)
}

/// An order node whose `lineItems` and `refunds` are already nested lists.
fn map_order(store: &str, n: &Value, default_currency: &str) -> Result<RemoteOrder> {
    let id = need(store, "order id", str_of(n, "id"))?;
    let mut refunded: HashMap<String, i64> = HashMap::new();
    let mut refunds = Vec::new();
    let mut groups: Vec<Value> = list(n.get("refunds")).into_iter().cloned().collect();
    // Bulk output may parent refund line items to the order (the refund is not a
    // connection node): with one refund they are its lines; several are resolved by
    // `fix_refunds` before mapping.
    let orphans = list(n.get("refundLineItems"));
    if !orphans.is_empty() {
        match groups.len() {
            0 => groups.push(
                json!({"id": format!("{}#refund", str_of(n, "id").unwrap_or_default()),
                "createdAt": n.get("updatedAt").cloned().unwrap_or(Value::Null)}),
            ),
            1 => {}
            _ => {
                return Err(Error::malformed(
                    store,
                    "refund lines of an order with several refunds cannot be attributed",
                ))
            }
        }
        if let Some(o) = groups[0].as_object_mut() {
            o.insert(
                "refundLineItems".into(),
                Value::Array(orphans.into_iter().cloned().collect()),
            );
        }
    }
    for r in &groups {
        let rid = str_of(r, "id").unwrap_or_default();
        let created = need(store, "refund createdAt", ts(r, "createdAt"))?;
        for (i, rl) in list(r.get("refundLineItems")).iter().enumerate() {
            let Some(line) = rl.at("/lineItem/id").and_then(Value::as_str) else {
                continue;
            };
            let q = rl.get("quantity").and_then(Value::as_i64).unwrap_or(0);
            *refunded.entry(line.to_string()).or_default() += q;
            refunds.push(RemoteRefund {
                external_id: str_of(rl, "id").unwrap_or_else(|| format!("{rid}#{i}")),
                line_external_id: line.to_string(),
                created_at: created,
                quantity: q,
                amount: money(rl, "/subtotalSet/shopMoney/amount"),
                restocked: rl
                    .get("restocked")
                    .and_then(Value::as_bool)
                    .unwrap_or_else(|| {
                        !matches!(
                            rl.get("restockType").and_then(Value::as_str),
                            Some("NO_RESTOCK") | None
                        )
                    }),
            });
        }
    }
    let mut lines = Vec::new();
    for l in list(n.get("lineItems")) {
        let lid = need(store, "line item id", str_of(l, "id"))?;
        let quantity = l.get("quantity").and_then(Value::as_i64).unwrap_or(0);
        let current = l
            .get("currentQuantity")
            .and_then(Value::as_i64)
            .unwrap_or(quantity);
        let refunded_q = refunded.get(&lid).copied().unwrap_or(0);
        // currentQuantity is what remains after removals (cancellations and refunds); what
        // refunds don't explain was cancelled.
        let cancelled = (quantity - current - refunded_q).clamp(0, quantity);
        let unit = money(l, "/originalUnitPriceSet/shopMoney/amount");
        lines.push(RemoteLine {
            sku: str_of(l, "sku").unwrap_or_default(),
            variant_external_id: l
                .at("/variant/id")
                .and_then(Value::as_str)
                .map(str::to_string),
            external_id: lid,
            quantity,
            unit_price: unit,
            discount: money(l, "/totalDiscountSet/shopMoney/amount"),
            cancelled_qty: cancelled,
        });
    }
    let created = need(store, "order createdAt", ts(n, "createdAt"))?;
    Ok(RemoteOrder {
        external_id: id,
        name: str_of(n, "name").unwrap_or_default(),
        location_external_id: n
            .at("/physicalLocation/id")
            .and_then(Value::as_str)
            .map(str::to_string),
        created_at: created,
        updated_at: ts(n, "updatedAt").unwrap_or(created),
        cancelled_at: ts(n, "cancelledAt"),
        currency: str_of(n, "currencyCode").unwrap_or_else(|| default_currency.to_string()),
        // A sale at a location that does not fulfil online orders is a point-of-sale sale.
        channel: if n
            .at("/physicalLocation/fulfillsOnlineOrders")
            .and_then(Value::as_bool)
            == Some(false)
        {
            "pos".into()
        } else {
            "online".into()
        },
        lines,
        refunds,
    })
}

/// A list that may come as `[..]`, `{nodes:[..]}` or `{edges:[{node}]}`.
fn list(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o) => {
            if let Some(Value::Array(a)) = o.get("nodes") {
                a.iter().collect()
            } else if let Some(Value::Array(a)) = o.get("edges") {
                a.iter().filter_map(|e| e.get("node")).collect()
            } else {
                Vec::new()
            }
        }
        None => Vec::new(),
    }
}

// ---- sync --------------------------------------------------------------------------------

const LOCATIONS: &str = "query Locations($first: Int!, $after: String) { locations(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id name isActive fulfillsOnlineOrders } } }";

const VARIANT_FIELDS: &str = "id sku title barcode price createdAt updatedAt product { id title status productType vendor createdAt updatedAt } inventoryItem { id unitCost { amount } }";

const LEVEL_FIELDS: &str = "location { id } quantities(names: [\"available\", \"on_hand\", \"committed\", \"incoming\"]) { name quantity }";

const ORDER_FIELDS: &str = "id name createdAt updatedAt cancelledAt currencyCode physicalLocation { id fulfillsOnlineOrders }";

const LINE_FIELDS: &str = "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } }";

const REFUND_LINE_FIELDS: &str =
    "id quantity restockType restocked lineItem { id } subtotalSet { shopMoney { amount } }";

/// Leaner selections for paged order queries, where every field costs points.
const PAGED_LINE_FIELDS: &str =
    "id sku quantity currentQuantity variant { id } originalUnitPriceSet { shopMoney { amount } }";
const PAGED_REFUND_LINE_FIELDS: &str = "id quantity restocked lineItem { id }";
/// Orders per page: ~200 points each with the selections above, under the 1,000 cap.
const PAGED_ORDERS: u32 = 4;

/// Cursor of a paged pass.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PageCursor {
    after: Option<String>,
    /// The filter this pass uses (kept so a resumed pass asks the same question).
    since: Option<String>,
    /// Highest `updatedAt` seen so far in this pass.
    max_seen: Option<String>,
    /// When the pass began: the next pass starts from here ([`state::mark_after_pass`]).
    #[serde(default)]
    started: Option<NaiveDateTime>,
}

/// Cursor of a bulk pass: the operation and how many top-level objects are applied.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BulkCursor {
    bulk_id: String,
    done: usize,
    max_seen: Option<String>,
    /// When the operation was started (its snapshot is at least this recent).
    #[serde(default)]
    started: Option<NaiveDateTime>,
}

pub(crate) async fn sync(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<()> {
    let shop_currency = db
        .read()
        .merchant()?
        .map(|m| m.currency)
        .unwrap_or_else(|| "USD".into());
    report.locations += sync_locations(client, db, ctx).await?;
    report.variants += sync_variants(client, db, ctx).await?;
    report.inventory_levels += sync_inventory(client, db, ctx).await?;
    let scope_known = check_order_scope(client, ctx, report).await?;
    report.orders += sync_orders(client, db, ctx, &shop_currency).await?;
    if !scope_known {
        // The API would not say which scopes we hold: infer it from what came back.
        let (n, oldest): (i64, Option<NaiveDateTime>) = db.read().conn().query_row(
            "SELECT count(*), min(created_at) FROM orders WHERE store_id = ?1",
            [ctx.store_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if n > 0 && oldest.is_some_and(|o| ctx.now - o < chrono::Duration::days(61)) {
            let msg = format!(
                "{}: no order older than 60 days came back. If the shop is older, the app lacks \
                 the read_all_orders scope (Shopify then shows only the last 60 days); request it \
                 for the app and sync again.",
                ctx.store_name
            );
            ctx.progress.emit(SyncEvent::Note {
                store: ctx.store_name.clone(),
                message: msg.clone(),
            });
            report.warnings.push(msg);
        }
    }
    Ok(())
}

async fn sync_locations(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let st = state::load::<PageCursor>(&db.read(), ctx.store_id, "locations")?;
    let mut cur = st.cursor.unwrap_or_default();
    let mut meter = Meter::start(&ctx.progress, &ctx.store_name, "locations", None);
    let mut first = 250;
    loop {
        ctx.check()?;
        let d = client
            .graphql_paged(LOCATIONS, json!({ "after": cur.after }), &mut first)
            .await?;
        let conn = d
            .get("locations")
            .ok_or_else(|| Error::malformed(&ctx.store_name, "no locations"))?;
        let locs = list(Some(conn))
            .into_iter()
            .map(|n| map_location(&ctx.store_name, n))
            .collect::<Result<Vec<_>>>()?;
        let (more, end) = page_info(conn);
        let w = db.write()?;
        Sink::new(&w, ctx.store_id).locations(&locs)?;
        cur.after = end;
        if more {
            state::save_cursor(&w, ctx.store_id, "locations", &cur, None, ctx.now)?;
        } else {
            state::save_done(&w, ctx.store_id, "locations", None, ctx.now)?;
        }
        w.commit()?;
        meter.add(locs.len() as u64);
        ctx.page_done()?;
        if !more {
            return Ok(meter.finish());
        }
    }
}

fn page_info(conn: &Value) -> (bool, Option<String>) {
    let more = conn
        .at("/pageInfo/hasNextPage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    (
        more,
        conn.at("/pageInfo/endCursor")
            .and_then(Value::as_str)
            .map(str::to_string),
    )
}

fn max_str(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, b) => a.or(b),
    }
}

async fn sync_variants(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let st = state::load::<Value>(&db.read(), ctx.store_id, "products")?;
    if st.updated_since.is_none() {
        // First sync: one bulk operation instead of 80 pages at 20,000 SKUs.
        let resume = st
            .cursor
            .and_then(|c| serde_json::from_value::<BulkCursor>(c).ok());
        let query = format!("{{ productVariants {{ edges {{ node {{ {VARIANT_FIELDS} }} }} }} }}");
        return bulk_pass(client, db, ctx, "products", &query, resume, |top, sink| {
            let items = top
                .iter()
                .map(|n| map_variant(&ctx.store_name, n))
                .collect::<Result<Vec<_>>>()?;
            let max = items
                .iter()
                .flat_map(|p| &p.variants)
                .map(|v| iso(v.updated_at))
                .max();
            sink.products(&merge_products(items))?;
            Ok(max)
        })
        .await;
    }
    let mut cur = st
        .cursor
        .and_then(|c| serde_json::from_value::<PageCursor>(c).ok())
        .unwrap_or(PageCursor {
            since: st.updated_since.clone(),
            started: Some(ctx.now),
            ..Default::default()
        });
    let query = format!(
        "query Variants($first: Int!, $after: String, $q: String) {{ productVariants(first: $first, after: $after, query: $q) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {VARIANT_FIELDS} }} }} }}"
    );
    let mut meter = Meter::start(&ctx.progress, &ctx.store_name, "products", None);
    // ~4 points per variant: 200 stays under the 1,000-point cap.
    let mut first = ctx.page_size.min(200);
    loop {
        ctx.check()?;
        let q = cur.since.as_ref().map(|s| format!("updated_at:>='{s}'"));
        let d = client
            .graphql_paged(&query, json!({ "after": cur.after, "q": q }), &mut first)
            .await?;
        let conn = d
            .get("productVariants")
            .ok_or_else(|| Error::malformed(&ctx.store_name, "no productVariants"))?;
        let items = list(Some(conn))
            .into_iter()
            .map(|n| map_variant(&ctx.store_name, n))
            .collect::<Result<Vec<_>>>()?;
        let n = items.iter().map(|p| p.variants.len() as u64).sum();
        let max = items
            .iter()
            .flat_map(|p| &p.variants)
            .map(|v| iso(v.updated_at))
            .max();
        cur.max_seen = max_str(cur.max_seen.take(), max);
        let (more, end) = page_info(conn);
        let w = db.write()?;
        Sink::new(&w, ctx.store_id).products(&merge_products(items))?;
        cur.after = end;
        if more {
            state::save_cursor(
                &w,
                ctx.store_id,
                "products",
                &cur,
                st.updated_since.as_deref(),
                ctx.now,
            )?;
        } else {
            let mark = state::mark_after_pass(
                cur.started,
                max_str(st.updated_since.clone(), cur.max_seen.clone()),
                iso,
            );
            state::save_done(&w, ctx.store_id, "products", mark.as_deref(), ctx.now)?;
        }
        w.commit()?;
        meter.add(n);
        ctx.page_done()?;
        if !more {
            return Ok(meter.finish());
        }
    }
}

/// Run (or resume) a bulk query and apply its top-level objects in chunks, each chunk
/// committed with the count applied so far. `apply` returns the chunk's highest updatedAt.
async fn bulk_pass<F>(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    resource: &str,
    query: &str,
    resume: Option<BulkCursor>,
    apply: F,
) -> Result<u64>
where
    F: Fn(&[Value], &Sink<'_, '_>) -> Result<Option<String>>,
{
    let mut meter = Meter::start(&ctx.progress, &ctx.store_name, resource, None);
    ctx.check()?;
    let stop = || ctx.check();
    let waiting = Instant::now();
    let (result, mut done, mut max_seen, started) = match resume {
        Some(c) => match client
            .run_bulk(query, Some(&c.bulk_id), &stop, ctx.bulk_timeout)
            .await
        {
            Ok(r) => (r, c.done, c.max_seen, c.started),
            // Gone, expired or cancelled: start over (re-applying is harmless, rows are
            // upserted). Not when it was our own timeout that cancelled it.
            Err(Error::Remote { .. }) if waiting.elapsed() < ctx.bulk_timeout => (
                client
                    .run_bulk(query, None, &stop, ctx.bulk_timeout)
                    .await?,
                0,
                None,
                Some(ctx.now),
            ),
            Err(e) => return Err(e),
        },
        None => {
            let id = client.start_bulk(query).await?;
            // Remember the operation at once, so a killed sync picks it up again.
            let w = db.write()?;
            state::save_cursor(
                &w,
                ctx.store_id,
                resource,
                &BulkCursor {
                    bulk_id: id.clone(),
                    done: 0,
                    max_seen: None,
                    started: Some(ctx.now),
                },
                None,
                ctx.now,
            )?;
            w.commit()?;
            (
                client
                    .run_bulk(query, Some(&id), &stop, ctx.bulk_timeout)
                    .await?,
                0,
                None,
                Some(ctx.now),
            )
        }
    };
    let mut index = match &result.url {
        Some(url) => Some(client.download_indexed(url).await?),
        None => None,
    };
    let total = index.as_ref().map_or(0, JsonlIndex::len);
    meter.set_total(Some(total as u64));
    meter.add(done.min(total) as u64);
    let chunk = ctx.bulk_chunk.max(1);
    let ids = crate::remote::Ids::default();
    while done < total {
        ctx.check()?;
        let end = (done + chunk).min(total);
        let mut objects = match index.as_mut() {
            Some(ix) => ix.objects(done..end, place_child)?,
            None => Vec::new(),
        };
        if resource == "orders" {
            for o in objects.iter_mut() {
                if list(o.get("refunds")).len() > 1 && o.get("refundLineItems").is_some() {
                    *o = client.order_in_full(o).await?;
                }
            }
        }
        let w = db.write()?;
        let max = apply(
            &objects,
            &if resource == "products" {
                Sink::new(&w, ctx.store_id)
            } else {
                Sink::cached(&w, ctx.store_id, &ids)
            },
        )?;
        max_seen = max_str(max_seen, max);
        if end < total {
            state::save_cursor(
                &w,
                ctx.store_id,
                resource,
                &BulkCursor {
                    bulk_id: result.id.clone(),
                    done: end,
                    max_seen: max_seen.clone(),
                    started,
                },
                None,
                ctx.now,
            )?;
        } else {
            let mark = bulk_mark(resource, started, max_seen.clone());
            state::save_done(&w, ctx.store_id, resource, mark.as_deref(), ctx.now)?;
        }
        w.commit()?;
        meter.add((end - done) as u64);
        done = end;
        ctx.page_done()?;
    }
    if total == 0 {
        let w = db.write()?;
        let mark = bulk_mark(resource, started, max_seen.clone());
        state::save_done(&w, ctx.store_id, resource, mark.as_deref(), ctx.now)?;
        w.commit()?;
    }
    Ok(meter.finish())
}

/// The mark a finished bulk pass leaves: when its operation started, less the margin (the
/// operation's snapshot is at least that recent). Inventory is always a full snapshot and
/// keeps no mark.
fn bulk_mark(
    resource: &str,
    started: Option<NaiveDateTime>,
    max_seen: Option<String>,
) -> Option<String> {
    if resource == "inventory" {
        return None;
    }
    state::mark_after_pass(started, max_seen, iso)
}

/// Where a bulk child line belongs in its parent.
fn place_child(child: &Value) -> &'static str {
    if child.get("lineItem").is_some() {
        "refundLineItems"
    } else if child.get("quantities").is_some() || child.get("location").is_some() {
        "inventoryLevels"
    } else {
        "lineItems"
    }
}

async fn sync_inventory(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let st = state::load::<BulkCursor>(&db.read(), ctx.store_id, "inventory")?;
    // A finished snapshot from an earlier day does not resume: take today's.
    let query = format!(
        "{{ productVariants {{ edges {{ node {{ id sku inventoryItem {{ id inventoryLevels {{ edges {{ node {{ {LEVEL_FIELDS} }} }} }} }} }} }} }} }}"
    );
    let date = ctx.now.date();
    bulk_pass(
        client,
        db,
        ctx,
        "inventory",
        &query,
        st.cursor,
        |top, sink| {
            let mut levels = Vec::new();
            for v in top {
                let vid = str_of(v, "id");
                let nested = v.at("/inventoryItem/inventoryLevels");
                for l in list(v.get("inventoryLevels"))
                    .into_iter()
                    .chain(list(nested))
                {
                    let Some(loc) = l.at("/location/id").and_then(Value::as_str) else {
                        continue;
                    };
                    let (on_hand, committed, incoming) = quantities(l);
                    levels.push(RemoteLevel {
                        variant_external_id: vid.clone(),
                        sku: str_of(v, "sku"),
                        location_external_id: loc.to_string(),
                        on_hand,
                        committed,
                        incoming,
                    });
                }
            }
            sink.levels(date, &levels)?;
            Ok(None)
        },
    )
    .await
}

/// Warn when `read_all_orders` is missing; returns whether the scopes could be read.
async fn check_order_scope(
    client: &ShopifyClient,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<bool> {
    if ctx.now - ctx.history_from <= chrono::Duration::days(60) {
        return Ok(true);
    }
    let scopes = client.access_scopes().await?;
    if let Some(scopes) = &scopes {
        if !scopes.iter().any(|s| s == "read_all_orders") {
            let msg = format!(
                "{}: this app lacks the read_all_orders scope, so Shopify shows only the last 60 \
                 days of orders; forecasts need more history. Request read_all_orders for the \
                 app (Partner Dashboard or Dev Dashboard > app > API access), then sync again.",
                ctx.store_name
            );
            ctx.progress.emit(SyncEvent::Note {
                store: ctx.store_name.clone(),
                message: msg.clone(),
            });
            report.warnings.push(msg);
        }
    }
    Ok(scopes.is_some())
}

async fn sync_orders(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    currency: &str,
) -> Result<u64> {
    let st = state::load::<Value>(&db.read(), ctx.store_id, "orders")?;
    if st.updated_since.is_none() {
        let resume = st
            .cursor
            .and_then(|c| serde_json::from_value::<BulkCursor>(c).ok());
        let query = format!(
            "{{ orders(query: \"created_at:>='{}'\", sortKey: CREATED_AT) {{ edges {{ node {{ {ORDER_FIELDS} lineItems {{ edges {{ node {{ {LINE_FIELDS} }} }} }} refunds {{ id createdAt refundLineItems {{ edges {{ node {{ {REFUND_LINE_FIELDS} }} }} }} }} }} }} }} }}",
            iso(ctx.history_from)
        );
        return bulk_pass(client, db, ctx, "orders", &query, resume, |top, sink| {
            let orders = top
                .iter()
                .map(|n| map_order(&ctx.store_name, n, currency))
                .collect::<Result<Vec<_>>>()?;
            let max = orders.iter().map(|o| iso(o.updated_at)).max();
            sink.orders(&orders)?;
            Ok(max)
        })
        .await;
    }
    let mut cur = st
        .cursor
        .and_then(|c| serde_json::from_value::<PageCursor>(c).ok())
        .unwrap_or(PageCursor {
            since: st.updated_since.clone(),
            started: Some(ctx.now),
            ..Default::default()
        });
    let query = format!(
        "query Orders($first: Int!, $after: String, $q: String) {{ orders(first: $first, after: $after, query: $q, sortKey: UPDATED_AT) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} lineItems(first: 20) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_LINE_FIELDS} }} }} refunds(first: 5) {{ id createdAt refundLineItems(first: 10) {{ pageInfo {{ hasNextPage }} nodes {{ {PAGED_REFUND_LINE_FIELDS} }} }} }} }} }} }}"
    );
    let mut meter = Meter::start(&ctx.progress, &ctx.store_name, "orders", None);
    let ids = crate::remote::Ids::default();
    let mut first = ctx.order_page_size.min(PAGED_ORDERS);
    loop {
        ctx.check()?;
        let q = cur.since.as_ref().map(|s| format!("updated_at:>='{s}'"));
        let d = client
            .graphql_paged(&query, json!({ "after": cur.after, "q": q }), &mut first)
            .await?;
        let conn = d
            .get("orders")
            .ok_or_else(|| Error::malformed(&ctx.store_name, "no orders"))?;
        let nodes = list(Some(conn));
        let mut full = Vec::with_capacity(nodes.len());
        for n in nodes {
            let overflow = n
                .at("/lineItems/pageInfo/hasNextPage")
                .and_then(Value::as_bool)
                == Some(true)
                || list(n.get("refunds")).len() >= 5
                || list(n.get("refunds")).iter().any(|r| {
                    r.at("/refundLineItems/pageInfo/hasNextPage")
                        .and_then(Value::as_bool)
                        == Some(true)
                });
            if overflow {
                // A big order: fetch it alone with room for all its lines and refunds.
                full.push(client.order_in_full(n).await?);
            } else {
                full.push(n.clone());
            }
        }
        let orders = full
            .iter()
            .map(|n| map_order(&ctx.store_name, n, currency))
            .collect::<Result<Vec<_>>>()?;
        cur.max_seen = max_str(
            cur.max_seen.take(),
            orders.iter().map(|o| iso(o.updated_at)).max(),
        );
        let (more, end) = page_info(conn);
        let w = db.write()?;
        Sink::cached(&w, ctx.store_id, &ids).orders(&orders)?;
        cur.after = end;
        if more {
            state::save_cursor(
                &w,
                ctx.store_id,
                "orders",
                &cur,
                st.updated_since.as_deref(),
                ctx.now,
            )?;
        } else {
            let mark = state::mark_after_pass(
                cur.started,
                max_str(st.updated_since.clone(), cur.max_seen.clone()),
                iso,
            );
            state::save_done(&w, ctx.store_id, "orders", mark.as_deref(), ctx.now)?;
        }
        w.commit()?;
        meter.add(orders.len() as u64);
        ctx.page_done()?;
        if !more {
            return Ok(meter.finish());
        }
    }
}

#[allow(dead_code)]
fn _date(d: NaiveDate) -> NaiveDate {
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_status_is_read_not_assumed() {
        let v = json!({"extensions":{"cost":{"requestedQueryCost":502,"actualQueryCost":null,
            "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":102,"restoreRate":100.0}}}});
        let (req, b) = parse_throttle(&v).unwrap();
        assert_eq!(req, 502.0);
        assert_eq!(b.max, 2000.0);
        let w = b.wait_for(502.0, b.at);
        assert!((w.as_secs_f64() - 4.0).abs() < 1e-6, "{w:?}");
        assert_eq!(b.wait_for(50.0, b.at), Duration::ZERO);
        // The bucket refills with time.
        assert_eq!(
            b.wait_for(502.0, b.at + Duration::from_secs(5)),
            Duration::ZERO
        );
    }

    #[test]
    fn api_versions() {
        assert!(is_api_version("2026-01"));
        assert!(is_api_version("unstable"));
        assert!(!is_api_version("2026-1"));
        assert!(!is_api_version("latest"));
    }

    fn assemble(text: &str) -> Result<Vec<Value>> {
        use std::io::Write;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let mut ix = JsonlIndex::build("s", f)?;
        let n = ix.len();
        ix.objects(0..n, place_child)
    }

    #[test]
    fn bulk_result_debug_hides_the_signature() {
        let r = BulkResult {
            id: "gid://shopify/BulkOperation/1".into(),
            url: Some("https://storage.googleapis.com/b/x.jsonl?X-Goog-Signature=s3cr3t".into()),
        };
        let shown = format!("{r:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("storage.googleapis.com/b/x.jsonl"),
            "{shown}"
        );
    }

    #[test]
    fn jsonl_children_attach_to_parents_out_of_order() {
        let text = r##"{"id":"gid://shopify/Order/1","name":"#1","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-02T00:00:00Z","refunds":[{"id":"gid://shopify/Refund/9","createdAt":"2025-01-03T00:00:00Z"}]}
{"id":"gid://shopify/Order/2","name":"#2","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","cancelledAt":"2025-01-01T05:00:00Z","refunds":[]}
{"id":"gid://shopify/LineItem/11","sku":"A","quantity":3,"currentQuantity":1,"variant":{"id":"gid://shopify/ProductVariant/5"},"__parentId":"gid://shopify/Order/1"}
{"id":"gid://shopify/LineItem/21","sku":"B","quantity":2,"currentQuantity":0,"__parentId":"gid://shopify/Order/2"}
{"quantity":1,"restockType":"RETURN","lineItem":{"id":"gid://shopify/LineItem/11"},"__parentId":"gid://shopify/Refund/9"}
"##;
        let top = assemble(text).unwrap();
        assert_eq!(top.len(), 2);
        let o1 = map_order("s", &top[0], "USD").unwrap();
        assert_eq!(o1.lines.len(), 1);
        assert_eq!(o1.refunds.len(), 1);
        assert_eq!(o1.refunds[0].quantity, 1);
        assert!(o1.refunds[0].restocked);
        // 3 ordered, 1 current, 1 refunded: 1 cancelled.
        assert_eq!(o1.lines[0].cancelled_qty, 1);
        let o2 = map_order("s", &top[1], "USD").unwrap();
        assert_eq!(o2.lines[0].cancelled_qty, 2);
        assert!(o2.cancelled_at.is_some());
        // A child whose parent never appeared is an error, not silently dropped.
        let bad = "{\"id\":\"x\",\"__parentId\":\"gid://nope\"}\n";
        assert!(assemble(bad).is_err());
        assert!(assemble("{not json\n").unwrap_err().is_retryable());
    }
}
