//! The Shopify client: HTTP, authentication (static token or client-credentials grant) and
//! GraphQL calls with throttling and retries.

use super::mapping::{str_of, At};
use super::throttle::{cost_key, parse_throttle, Bucket};
use super::{ShopifyAuth, DEFAULT_API_VERSION};
use crate::error::{snippet, Error, Result};
use crate::http::{
    body_text, shared_client, status_error, transport_error, with_retry, RetryPolicy,
};
use crate::progress::Progress;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A Shopify GraphQL Admin API client for one shop.
pub struct ShopifyClient {
    pub(super) http: reqwest::Client,
    pub(super) store: String,
    pub(super) base: url::Url,
    pub(super) endpoint: url::Url,
    pub(super) auth: ShopifyAuth,
    pub(super) token: tokio::sync::Mutex<Option<(Secret, Instant)>>,
    pub(super) bucket: std::sync::Mutex<Option<Bucket>>,
    /// The requested cost Shopify reported for each query (text and page size) last time.
    pub(super) costs: std::sync::Mutex<HashMap<u64, f64>>,
    pub(super) retry: RetryPolicy,
    pub(super) progress: Progress,
    pub(super) requests: AtomicU64,
    /// Waits for the cost bucket (before a query, or after a THROTTLED answer) and their
    /// total length in milliseconds (for benchmarks).
    pub(super) throttled: AtomicU64,
    pub(super) throttled_ms: AtomicU64,
    /// Scopes the client-credentials grant reported.
    pub(super) granted: std::sync::Mutex<Option<Vec<String>>>,
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

    pub(super) fn note_throttled(&self, wait: Duration) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        self.throttled_ms
            .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
    }

    pub(super) async fn access_token(&self) -> Result<Secret> {
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

    pub(super) fn not_a_store(&self, detail: String) -> Error {
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

    pub(super) async fn graphql_once(&self, query: &str, variables: &Value) -> Result<Value> {
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

    pub(super) fn graphql_error(&self, errors: &[Value], throttle: Option<(f64, Bucket)>) -> Error {
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
    pub(super) async fn graphql_paged(
        &self,
        query: &str,
        mut vars: Value,
        first: &mut u32,
    ) -> Result<Value> {
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopInfo {
    pub name: String,
    pub currency: String,
    pub timezone: String,
}

pub(super) fn parse_base(store: &str, base_url: &str) -> Result<url::Url> {
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

pub(super) fn is_api_version(v: &str) -> bool {
    let b = v.as_bytes();
    v.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[5..].iter().all(u8::is_ascii_digit)
        || v == "unstable"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions() {
        assert!(is_api_version("2026-01"));
        assert!(is_api_version("unstable"));
        assert!(!is_api_version("2026-1"));
        assert!(!is_api_version("latest"));
    }
}
