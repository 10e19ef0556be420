//! NetSuite: push approved purchase orders as draft POs with the REST record API.
//!
//! * Idempotent: `PUT /record/v1/purchaseOrder/eid:<our PO key>` upserts, so a retried or
//!   repeated push updates the one NetSuite PO instead of creating a second.
//! * Auth: OAuth 2.0 client credentials (a JWT assertion signed ES256 with the certificate's
//!   P-256 key; token cached until shortly before its 60 minutes end) as the primary method,
//!   token-based authentication (OAuth 1.0a HMAC-SHA256, realm = account) for existing
//!   integrations.
//! * Concurrency: `CONCURRENCY_LIMIT_EXCEEDED` (429, or 400 on some endpoints) is retried
//!   with backoff; NetSuite sends no `Retry-After`.
//! * Vendors and items are mapped with SuiteQL (`vendor.companyname`/`entityid`,
//!   `item.itemid` = our SKU). Items are looked up only for the PO's SKUs
//!   (`WHERE itemid IN (?, …)`, batched), and both lookups are cached for the client's life
//!   (one client per drain), so a push never reads the whole item table.
//! * A re-push replaces the PO's item lines: the upsert sends `?replace=item`. Without it
//!   NetSuite adds the sent lines to the existing ones (NetSuite help "Replacing a Sublist",
//!   section_1545297048; "Working with Sublists", chapter_1545142407).

use crate::credentials::Credentials;
use crate::error::{snippet, Error, Result};
use crate::http::{
    body_text, shared_client, status_error, transport_error, with_retry, RetryPolicy,
};
use crate::oauth1;
use crate::progress::Progress;
use crate::secret::Secret;
use crate::sync::{wrong_creds, SyncOptions};
use base64::Engine;
use chrono::NaiveDate;
use forestock_core::StoreRecord;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A purchase order as pushed to NetSuite (built from the planner's approved PO).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NsPurchaseOrder {
    /// Our PO number: the idempotency key (`externalId`, `eid:` in the URL). Letters,
    /// digits, `_` and `-` only.
    pub number: String,
    /// The supplier's name as the planner knows it; mapped to a NetSuite vendor.
    pub supplier: String,
    /// A NetSuite vendor internal id, when known (skips the name lookup).
    pub vendor_id: Option<String>,
    pub location_id: Option<String>,
    pub subsidiary_id: Option<String>,
    pub order_date: NaiveDate,
    pub expected_date: NaiveDate,
    pub memo: String,
    pub lines: Vec<NsLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NsLine {
    /// Our SKU; mapped to the NetSuite item whose `itemid` equals it.
    pub sku: String,
    pub item_id: Option<String>,
    pub quantity: i64,
    pub rate: f64,
}

/// What NetSuite did with a push.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushResult {
    pub number: String,
    pub internal_id: String,
}

enum Auth {
    Tba {
        consumer_key: String,
        consumer_secret: Secret,
        token: Secret,
        token_secret: Secret,
    },
    M2m {
        client_id: String,
        certificate_id: String,
        key_pem: Secret,
    },
}

pub struct NetSuiteClient {
    http: reqwest::Client,
    store: String,
    account: String,
    base: url::Url,
    auth: Auth,
    token: tokio::sync::Mutex<Option<(Secret, Instant)>>,
    retry: RetryPolicy,
    progress: Progress,
    requests: AtomicU64,
    /// Per-client caches (a client lives for one drain): SKU → item id, and the active vendors.
    items: std::sync::Mutex<HashMap<String, String>>,
    vendors: tokio::sync::Mutex<Option<Vec<HashMap<String, String>>>>,
}

/// SKUs per SuiteQL item lookup (`WHERE itemid IN (?, …)`), so one query stays well below
/// any statement-size limit; a PO with more lines takes several queries.
pub const ITEM_LOOKUP_BATCH: usize = 100;

fn problem_codes(body: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let mut out: Vec<String> = v
        .get("o:errorDetails")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| {
            d.get("o:errorCode")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    if let Some(c) = v.get("o:errorCode").and_then(Value::as_str) {
        out.push(c.to_string());
    }
    out
}

fn problem_detail(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let details: Vec<String> = v
        .get("o:errorDetails")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|d| {
            let msg = d.get("detail").and_then(Value::as_str).unwrap_or("?");
            match d.get("o:errorPath").and_then(Value::as_str) {
                Some(p) if !p.is_empty() => format!("{msg} (at {p})"),
                _ => msg.to_string(),
            }
        })
        .collect();
    if details.is_empty() {
        snippet(body)
    } else {
        snippet(&details.join("; "))
    }
}

impl NetSuiteClient {
    pub fn from_store(
        store: &StoreRecord,
        creds: &Credentials,
        opts: &SyncOptions,
        progress: &Progress,
    ) -> Result<NetSuiteClient> {
        let (account, auth) = match creds {
            Credentials::NetSuiteTba {
                account,
                consumer_key,
                consumer_secret,
                token,
                token_secret,
            } => (
                account.clone(),
                Auth::Tba {
                    consumer_key: consumer_key.clone(),
                    consumer_secret: consumer_secret.clone(),
                    token: token.clone(),
                    token_secret: token_secret.clone(),
                },
            ),
            Credentials::NetSuiteM2m {
                account,
                client_id,
                certificate_id,
                private_key_pem,
            } => (
                account.clone(),
                Auth::M2m {
                    client_id: client_id.clone(),
                    certificate_id: certificate_id.clone(),
                    key_pem: private_key_pem.clone(),
                },
            ),
            _ => return Err(wrong_creds(store)),
        };
        let mut base = crate::remote_url::check_stored_url(&store.name, &store.base_url)?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        Ok(NetSuiteClient {
            http: shared_client()?,
            store: store.name.clone(),
            account,
            base,
            auth,
            token: tokio::sync::Mutex::new(None),
            retry: opts.retry,
            progress: progress.clone(),
            requests: AtomicU64::new(0),
            items: std::sync::Mutex::new(HashMap::new()),
            vendors: tokio::sync::Mutex::new(None),
        })
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn url(&self, path: &str) -> Result<url::Url> {
        self.base
            .join(path)
            .map_err(|e| Error::invalid("NetSuite URL", format!("{}: {e}", self.store)))
    }

    /// Build the ES256 client assertion (header `kid` = certificate id).
    fn assertion(&self, client_id: &str, kid: &str, key_pem: &Secret, aud: &str) -> Result<String> {
        use ring::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
        let der = pem_to_der(key_pem.expose()).ok_or_else(|| Error::Auth {
            store: self.store.clone(),
            detail: "the stored private key is not a PEM-encoded PKCS#8 key".into(),
        })?;
        let rng = ring::rand::SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng).map_err(|_| Error::Auth {
            store: self.store.clone(),
            detail: "the private key is not an EC P-256 PKCS#8 key (NetSuite certificates for ES256)".into(),
        })?;
        let now = chrono::Utc::now().timestamp();
        let b64 =
            |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let jti: u64 = rand::random();
        let signing_input = format!(
            "{}.{}",
            b64(&json!({"typ": "JWT", "alg": "ES256", "kid": kid})),
            b64(
                &json!({"iss": client_id, "scope": ["restlets", "rest_webservices"], "aud": aud,
                "iat": now, "exp": now + 3000, "jti": format!("{jti:016x}")})
            )
        );
        let sig = key
            .sign(&rng, signing_input.as_bytes())
            .map_err(|_| Error::Auth {
                store: self.store.clone(),
                detail: "signing the client assertion failed".into(),
            })?;
        Ok(format!(
            "{signing_input}.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sig.as_ref())
        ))
    }

    async fn bearer(&self, client_id: &str, kid: &str, key_pem: &Secret) -> Result<Secret> {
        let mut cached = self.token.lock().await;
        if let Some((t, until)) = cached.as_ref() {
            if Instant::now() < *until {
                return Ok(t.clone());
            }
        }
        let url = self.url("services/rest/auth/oauth2/v1/token")?;
        let assertion = self.assertion(client_id, kid, key_pem, url.as_str())?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let resp = self
            .http
            .post(url)
            .form(&[
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", assertion.as_str()),
            ])
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = body_text(&self.store, resp).await?;
        if !status.is_success() {
            if matches!(status.as_u16(), 400 | 401) {
                return Err(Error::Auth {
                    store: self.store.clone(),
                    detail: format!(
                        "NetSuite refused the client-credentials grant: {}",
                        snippet(&body)
                    ),
                });
            }
            return Err(status_error(&self.store, status, &headers, &body));
        }
        let v: Value = serde_json::from_str(&body)
            .map_err(|e| Error::malformed(&self.store, format!("token response: {e}")))?;
        let tok = v
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::malformed(&self.store, "token response without access_token"))?;
        let ttl = v.get("expires_in").and_then(Value::as_u64).unwrap_or(3600);
        let tok = Secret::new(tok);
        *cached = Some((
            tok.clone(),
            Instant::now() + Duration::from_secs(ttl.saturating_sub(120)),
        ));
        Ok(tok)
    }

    async fn authorization(&self, method: &str, url: &url::Url) -> Result<String> {
        match &self.auth {
            Auth::Tba {
                consumer_key,
                consumer_secret,
                token,
                token_secret,
            } => Ok(oauth1::Signer {
                consumer_key,
                consumer_secret: consumer_secret.expose(),
                token: token.expose(),
                token_secret: token_secret.expose(),
                realm: Some(&self.account),
            }
            .header(
                method,
                url,
                &oauth1::nonce(),
                chrono::Utc::now().timestamp(),
            )),
            Auth::M2m {
                client_id,
                certificate_id,
                key_pem,
            } => Ok(format!(
                "Bearer {}",
                self.bearer(client_id, certificate_id, key_pem)
                    .await?
                    .expose()
            )),
        }
    }

    /// One request with auth, mapping NetSuite's errors; returns (status, Location, body).
    async fn send_once(
        &self,
        method: reqwest::Method,
        url: &url::Url,
        body: Option<&Value>,
        transient: bool,
    ) -> Result<(u16, Option<String>, String)> {
        let auth = self.authorization(method.as_str(), url).await?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut req = self
            .http
            .request(method, url.clone())
            .header("Authorization", auth)
            .header("Accept", "application/json");
        if transient {
            req = req.header("Prefer", "transient");
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let location = headers
            .get("location")
            .and_then(|l| l.to_str().ok())
            .map(str::to_string);
        let text = body_text(&self.store, resp).await?;
        if status.is_success() {
            return Ok((status.as_u16(), location, text));
        }
        let codes = problem_codes(&text);
        let has = |c: &str| codes.iter().any(|x| x == c);
        // Match on the code, not only the status: some endpoints say it with a 400.
        if has("CONCURRENCY_LIMIT_EXCEEDED")
            || has("SSS_REQUEST_LIMIT_EXCEEDED")
            || status.as_u16() == 429
        {
            return Err(Error::Throttled {
                store: self.store.clone(),
                detail: "NetSuite's concurrent request limit was reached".into(),
                retry_after: None,
            });
        }
        if status.as_u16() == 401 || has("INVALID_LOGIN") {
            let hint = match self.auth {
                Auth::Tba { .. } => "check the token and consumer values and that this computer's clock is right (signatures carry a timestamp)",
                Auth::M2m { .. } => "check the client id, certificate id and key mapping",
            };
            return Err(Error::Auth {
                store: self.store.clone(),
                detail: format!("NetSuite rejected the login (INVALID_LOGIN); {hint}"),
            });
        }
        if status.is_server_error() {
            return Err(Error::Server {
                store: self.store.clone(),
                status: status.as_u16(),
                detail: problem_detail(&text),
            });
        }
        Err(Error::Rejected {
            store: self.store.clone(),
            status: status.as_u16(),
            detail: problem_detail(&text),
        })
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        transient: bool,
    ) -> Result<(u16, Option<String>, String)> {
        let url = self.url(path)?;
        let mut refreshed = false;
        loop {
            let r = with_retry(&self.retry, &self.progress, &self.store, || {
                self.send_once(method.clone(), &url, body, transient)
            })
            .await;
            match r {
                Err(Error::Auth { .. }) if !refreshed && matches!(self.auth, Auth::M2m { .. }) => {
                    refreshed = true;
                    *self.token.lock().await = None;
                }
                other => return other,
            }
        }
    }

    /// Check the credentials with a one-row SuiteQL query.
    pub async fn verify(&self) -> Result<()> {
        self.suiteql("SELECT id FROM vendor", &[], 1)
            .await
            .map(|_| ())
    }

    /// Run a SuiteQL query, following pages; rows as column → string.
    pub async fn suiteql(
        &self,
        q: &str,
        params: &[&str],
        max_rows: usize,
    ) -> Result<Vec<HashMap<String, String>>> {
        let limit = max_rows.clamp(1, 1000);
        let mut offset = 0;
        let mut out = Vec::new();
        loop {
            let path = format!("services/rest/query/v1/suiteql?limit={limit}&offset={offset}");
            let (_, _, text) = self
                .send(
                    reqwest::Method::POST,
                    &path,
                    Some(&json!({"q": q, "params": params})),
                    true,
                )
                .await?;
            let v: Value = serde_json::from_str(&text)
                .map_err(|e| Error::malformed(&self.store, format!("SuiteQL response: {e}")))?;
            for it in v
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let row = it
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| *k != "links")
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect();
                out.push(row);
            }
            let more = v.get("hasMore").and_then(Value::as_bool).unwrap_or(false);
            if !more || out.len() >= max_rows {
                return Ok(out);
            }
            offset += limit;
        }
    }

    /// The active vendors, read once per client.
    async fn active_vendors(&self) -> Result<Vec<HashMap<String, String>>> {
        let mut cached = self.vendors.lock().await;
        if let Some(v) = cached.as_ref() {
            return Ok(v.clone());
        }
        let rows = self
            .suiteql(
                "SELECT id, entityid, companyname FROM vendor WHERE isinactive = ?",
                &["F"],
                100_000,
            )
            .await?;
        *cached = Some(rows.clone());
        Ok(rows)
    }

    /// Item internal ids for these SKUs: cached ones, the rest looked up with
    /// `SELECT id, itemid FROM item WHERE itemid IN (?, …)` in batches of
    /// [`ITEM_LOOKUP_BATCH`]. SKUs NetSuite does not know are absent from the answer.
    async fn item_ids(&self, skus: &[&str]) -> Result<HashMap<String, String>> {
        let mut want: Vec<&str> = {
            let cache = self.items.lock().unwrap_or_else(|e| e.into_inner());
            skus.iter()
                .copied()
                .filter(|s| !cache.contains_key(*s))
                .collect()
        };
        want.sort_unstable();
        want.dedup();
        for batch in want.chunks(ITEM_LOOKUP_BATCH) {
            let marks = vec!["?"; batch.len()].join(", ");
            let q = format!("SELECT id, itemid FROM item WHERE itemid IN ({marks})");
            let rows = self.suiteql(&q, batch, batch.len()).await?;
            let mut cache = self.items.lock().unwrap_or_else(|e| e.into_inner());
            for r in &rows {
                if let (Some(sku), Some(id)) = (r.get("itemid"), r.get("id")) {
                    if batch.contains(&sku.as_str()) {
                        cache.insert(sku.clone(), id.clone());
                    }
                }
            }
        }
        let cache = self.items.lock().unwrap_or_else(|e| e.into_inner());
        Ok(skus
            .iter()
            .filter_map(|s| Some(((*s).to_string(), cache.get(*s)?.clone())))
            .collect())
    }

    /// Fill in vendor and item internal ids from SuiteQL where they are missing.
    pub async fn resolve(&self, po: &mut NsPurchaseOrder) -> Result<()> {
        if po.vendor_id.is_none() {
            let rows = self.active_vendors().await?;
            let want = po.supplier.trim().to_lowercase();
            po.vendor_id = rows
                .iter()
                .find(|r| {
                    ["companyname", "entityid"]
                        .iter()
                        .any(|c| r.get(*c).is_some_and(|v| v.trim().to_lowercase() == want))
                })
                .and_then(|r| r.get("id").cloned());
            if po.vendor_id.is_none() {
                return Err(Error::Remote {
                    store: self.store.clone(),
                    detail: format!(
                        "{}: no active NetSuite vendor is named {:?}; create it or fix the supplier name",
                        po.number, po.supplier
                    ),
                });
            }
        }
        let skus: Vec<&str> = po
            .lines
            .iter()
            .filter(|l| l.item_id.is_none())
            .map(|l| l.sku.as_str())
            .collect();
        if !skus.is_empty() {
            let by_sku = self.item_ids(&skus).await?;
            let mut missing = Vec::new();
            for l in po.lines.iter_mut().filter(|l| l.item_id.is_none()) {
                match by_sku.get(l.sku.as_str()) {
                    Some(id) => l.item_id = Some(id.clone()),
                    None => missing.push(l.sku.clone()),
                }
            }
            if !missing.is_empty() {
                return Err(Error::Remote {
                    store: self.store.clone(),
                    detail: format!(
                        "{}: no NetSuite item for SKU(s) {}",
                        po.number,
                        missing.join(", ")
                    ),
                });
            }
        }
        Ok(())
    }

    /// Check a PO before anything is sent: a valid external id and at least one line.
    pub fn check(po: &NsPurchaseOrder) -> Result<()> {
        if po.number.is_empty()
            || !po
                .number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(Error::invalid(
                "purchase order number",
                format!(
                    "{:?}: NetSuite external ids allow only letters, digits, '_' and '-'",
                    po.number
                ),
            ));
        }
        if po.lines.is_empty() {
            return Err(Error::invalid(
                "purchase order",
                format!("{} has no lines", po.number),
            ));
        }
        Ok(())
    }

    /// Check a PO and resolve its vendor and items: everything short of the write.
    pub async fn prepare(&self, po: &NsPurchaseOrder) -> Result<NsPurchaseOrder> {
        Self::check(po)?;
        let mut po = po.clone();
        self.resolve(&mut po).await?;
        Ok(po)
    }

    /// Upsert a purchase order by its external id. Pushing the same PO again updates the
    /// same NetSuite record, and its item lines become exactly the ones sent.
    pub async fn push_purchase_order(&self, po: &NsPurchaseOrder) -> Result<PushResult> {
        let po = self.prepare(po).await?;
        self.upsert(&po).await
    }

    /// The write of [`push_purchase_order`](Self::push_purchase_order), for a PO already
    /// [`prepare`](Self::prepare)d.
    pub async fn upsert(&self, po: &NsPurchaseOrder) -> Result<PushResult> {
        Self::check(po)?;
        let mut body = json!({
            "externalId": po.number,
            "entity": {"id": po.vendor_id},
            "tranDate": po.order_date.to_string(),
            "dueDate": po.expected_date.to_string(),
            "memo": po.memo,
            "item": {"items": po.lines.iter().map(|l| json!({
                "item": {"id": l.item_id}, "quantity": l.quantity, "rate": l.rate,
                "expectedReceiptDate": po.expected_date.to_string()})).collect::<Vec<_>>()},
        });
        if let Some(l) = &po.location_id {
            body["location"] = json!({"id": l});
        }
        if let Some(s) = &po.subsidiary_id {
            body["subsidiary"] = json!({"id": s});
        }
        // Upsert = PUT on `eid:` (NetSuite help section_156335203191). `replace=item` makes
        // the sent lines the PO's lines: without it an update adds them to the lines already
        // there (NetSuite help "Replacing a Sublist", section_1545297048).
        let path = format!(
            "services/rest/record/v1/purchaseOrder/eid:{}?replace=item",
            po.number
        );
        let (_, location, _) = self
            .send(reqwest::Method::PUT, &path, Some(&body), false)
            .await?;
        let internal_id = location
            .as_deref()
            .and_then(|l| l.trim_end_matches('/').rsplit('/').next())
            .map(str::to_string)
            .ok_or_else(|| {
                Error::malformed(&self.store, "PO upsert answered without a Location")
            })?;
        Ok(PushResult {
            number: po.number.clone(),
            internal_id,
        })
    }
}

fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let b64: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

/// PEM-encode a PKCS#8 DER key (for tests and key set-up tools).
pub fn der_to_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let body: Vec<String> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        body.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_bodies_are_read_for_codes_and_paths() {
        let body = r#"{"type":"x","title":"Bad Request","status":429,"o:errorCode":"USER_ERROR",
            "o:errorDetails":[{"detail":"Concurrent request limit exceeded. Request blocked.","o:errorCode":"CONCURRENCY_LIMIT_EXCEEDED"}]}"#;
        assert!(problem_codes(body).contains(&"CONCURRENCY_LIMIT_EXCEEDED".to_string()));
        let body = r#"{"o:errorDetails":[{"detail":"Invalid Field Value 9999","o:errorCode":"INVALID_CONTENT","o:errorPath":"item.items[0].item"}]}"#;
        assert_eq!(
            problem_detail(body),
            "Invalid Field Value 9999 (at item.items[0].item)"
        );
    }

    #[test]
    fn pem_round_trip() {
        let der = vec![1u8, 2, 3, 250, 251];
        assert_eq!(pem_to_der(&der_to_pem(&der)).unwrap(), der);
    }
}
