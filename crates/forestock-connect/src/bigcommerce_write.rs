//! BigCommerce writes: product-variant metafields (the write-back's target).
//!
//! Why variant metafields and not product custom fields: a custom field belongs to the
//! *product* (`/v3/catalog/products/{id}/custom-fields`), so every variant of a product would
//! share one value, and custom fields are shown to shoppers on the storefront's product page
//! (their `name` is "shown on the storefront, orders, etc."). A forecast is per SKU, i.e. per
//! variant, and internal: a variant metafield
//! (`/v3/catalog/products/{product_id}/variants/{variant_id}/metafields`) holds one value per
//! variant, and `permission_set: app_only` keeps it off the storefront and out of other apps.
//! One metafield per namespace + key on a variant: a second create is 409, so a write that
//! finds one (e.g. after a crash between the remote write and the local record) updates it by
//! id instead of creating another.

use super::BigCommerceClient;
use crate::error::{snippet, Error, Result};
use crate::http::{body_text, retry_after, status_error, transport_error, with_retry};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// One variant metafield as BigCommerce holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantMetafield {
    pub id: i64,
    pub namespace: String,
    pub key: String,
    pub value: String,
}

fn parse_metafield(store: &str, v: &Value) -> Result<VariantMetafield> {
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Ok(VariantMetafield {
        id: v
            .get("id")
            .and_then(Value::as_i64)
            .ok_or_else(|| Error::malformed(store, "metafield without id"))?,
        namespace: s("namespace"),
        key: s("key"),
        value: s("value"),
    })
}

impl BigCommerceClient {
    fn metafields_path(product_id: &str, variant_id: &str) -> Result<String> {
        let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !ok(product_id) || !ok(variant_id) {
            return Err(Error::invalid(
                "BigCommerce variant",
                format!("product {product_id:?} / variant {variant_id:?} are not numeric ids"),
            ));
        }
        Ok(format!(
            "v3/catalog/products/{product_id}/variants/{variant_id}/metafields"
        ))
    }

    /// The variant's metafields in `namespace`.
    pub async fn variant_metafields(
        &self,
        product_id: &str,
        variant_id: &str,
        namespace: &str,
    ) -> Result<Vec<VariantMetafield>> {
        let path = Self::metafields_path(product_id, variant_id)?;
        let v = self
            .get(
                &path,
                &[
                    ("namespace", namespace.to_string()),
                    ("limit", "250".into()),
                ],
            )
            .await?;
        let items = v
            .as_ref()
            .and_then(|v| v.get("data"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        items
            .iter()
            .map(|x| parse_metafield(&self.store, x))
            .collect()
    }

    /// Set `namespace.key` on the variant to `value` (`permission_set: app_only`): update the
    /// metafield `known_id` if given, else create one; a create answered 409 (one exists
    /// already) finds it and updates it. Returns the metafield's id.
    pub async fn set_variant_metafield(
        &self,
        product_id: &str,
        variant_id: &str,
        known_id: Option<i64>,
        (namespace, key, value, description): (&str, &str, &str, &str),
    ) -> Result<i64> {
        let path = Self::metafields_path(product_id, variant_id)?;
        let body = json!({"permission_set": "app_only", "namespace": namespace, "key": key,
            "value": value, "description": description});
        if let Some(id) = known_id {
            match self.send(Method::PUT, &format!("{path}/{id}"), &body).await {
                // Deleted on the store since: create it again.
                Err(Error::Rejected { status: 404, .. }) => {}
                r => return r.and_then(|v| self.id_of(&v)),
            }
        }
        match self.send(Method::POST, &path, &body).await {
            Err(Error::Rejected { status: 409, .. }) => {
                let existing = self
                    .variant_metafields(product_id, variant_id, namespace)
                    .await?
                    .into_iter()
                    .find(|m| m.key == key)
                    .ok_or_else(|| Error::Remote {
                        store: self.store.clone(),
                        detail: format!(
                            "variant {variant_id}: a {namespace}.{key} metafield exists \
                             (409) but is not listed"
                        ),
                    })?;
                let v = self
                    .send(Method::PUT, &format!("{path}/{}", existing.id), &body)
                    .await?;
                self.id_of(&v)
            }
            r => r.and_then(|v| self.id_of(&v)),
        }
    }

    fn id_of(&self, v: &Value) -> Result<i64> {
        let data = v
            .get("data")
            .ok_or_else(|| Error::malformed(&self.store, "metafield answer without data"))?;
        Ok(parse_metafield(&self.store, data)?.id)
    }

    /// A JSON write with retries (429 waits for the window's reset, 5xx and network errors
    /// back off); a 4xx other than 429 is final.
    async fn send(&self, method: Method, path: &str, body: &Value) -> Result<Value> {
        let url = self
            .base
            .join(path)
            .map_err(|e| Error::invalid("store URL", format!("{}: {e}", self.store)))?;
        with_retry(&self.retry, &self.progress, &self.store, || {
            self.send_once(method.clone(), &url, body)
        })
        .await
    }

    async fn send_once(&self, method: Method, url: &url::Url, body: &Value) -> Result<Value> {
        let wait = self
            .window
            .lock()
            .ok()
            .and_then(|w| *w)
            .map(|until| until.saturating_duration_since(Instant::now()))
            .unwrap_or_default();
        if !wait.is_zero() {
            self.waits.fetch_add(1, Ordering::Relaxed);
            self.waited_ms
                .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
            tokio::time::sleep(wait).await;
        }
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .http
            .request(method, url.clone())
            .header("X-Auth-Token", self.token.expose())
            .header("Accept", "application/json")
            .json(body)
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let header_ms = |k: &str| {
            headers
                .get(k)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let reset = header_ms("x-rate-limit-time-reset-ms").map(Duration::from_millis);
        if let Ok(mut w) = self.window.lock() {
            *w = match (header_ms("x-rate-limit-requests-left"), reset) {
                (Some(0), Some(r)) => Some(Instant::now() + r),
                _ => None,
            };
        }
        let text = body_text(&self.store, resp).await?;
        if !status.is_success() {
            let store = self.store.clone();
            // The v3 error body: `{"status","title","errors":{"field":"message"}}`.
            let problem = || {
                let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                let title = v
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let fields: Vec<String> = v
                    .get("errors")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(k, m)| format!("{k}: {}", m.as_str().unwrap_or("invalid")))
                    .collect();
                snippet(&if fields.is_empty() {
                    title
                } else {
                    format!("{title} ({})", fields.join("; "))
                })
            };
            return Err(match status.as_u16() {
                429 => Error::Throttled {
                    store,
                    detail: format!("HTTP 429: {}", snippet(&text)),
                    retry_after: reset.or_else(|| retry_after(&headers)),
                },
                401 => Error::Auth {
                    store,
                    detail: format!(
                        "BigCommerce answered 401 ({}); the access token is wrong or was revoked",
                        snippet(&text)
                    ),
                },
                403 => Error::Permission {
                    store,
                    detail: format!(
                        "writing variant metafields needs the API account's Products scope set \
                         to modify (store_v2_products); BigCommerce answered 403: {}",
                        problem()
                    ),
                },
                s @ (400 | 404 | 409 | 413 | 422) => Error::Rejected {
                    store,
                    status: s,
                    detail: problem(),
                },
                _ => status_error(&self.store, status, &headers, &text),
            });
        }
        serde_json::from_str(&text)
            .map_err(|e| Error::malformed(&self.store, format!("{}: not JSON: {e}", url.path())))
    }
}
