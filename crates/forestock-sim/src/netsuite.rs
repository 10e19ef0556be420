//! The NetSuite REST simulator: record API purchase orders (idempotent upsert by external
//! id), SuiteQL over vendors/items, OAuth 2.0 client credentials and TBA (OAuth 1.0a
//! HMAC-SHA256), and the account concurrency limit.

// Handlers return ready HTTP error responses; boxing them buys nothing on this path.
#![allow(clippy::result_large_err)]

use crate::config::NetSuiteConfig;
use crate::data::Merchant;
use crate::faults::{self, FaultLayerState, Faults};
use crate::oauth1;
use crate::suiteql::parse_sql;
use crate::Platform;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// A purchase order as the simulator stored it.
#[derive(Debug, Clone, Serialize)]
pub struct PurchaseOrder {
    pub internal_id: i64,
    pub external_id: Option<String>,
    /// The last body received (create or update), with `id` added.
    pub body: Value,
    /// How many writes (creates + updates) it has seen.
    pub writes: u32,
}

/// One SuiteQL query the simulator answered (for tests: what a client asked for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuiteQlQuery {
    pub q: String,
    pub params: Vec<Value>,
    /// Rows the query matched (before paging).
    pub matched: usize,
}

pub(crate) struct NsState {
    pub cfg: NetSuiteConfig,
    pub merchant: Arc<Merchant>,
    pos: Mutex<Vec<PurchaseOrder>>,
    queries: Mutex<Vec<SuiteQlQuery>>,
    tokens: Mutex<HashMap<String, Instant>>,
    nonces: Mutex<HashSet<(String, String)>>,
    in_flight: AtomicUsize,
    next_id: AtomicI64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl NsState {
    pub fn new(cfg: NetSuiteConfig, merchant: Arc<Merchant>) -> Arc<NsState> {
        Arc::new(NsState {
            cfg,
            merchant,
            pos: Mutex::new(Vec::new()),
            queries: Mutex::new(Vec::new()),
            tokens: Mutex::new(HashMap::new()),
            nonces: Mutex::new(HashSet::new()),
            in_flight: AtomicUsize::new(0),
            next_id: AtomicI64::new(1001),
        })
    }
    pub fn purchase_orders(&self) -> Vec<PurchaseOrder> {
        lock(&self.pos).clone()
    }
    pub fn suiteql_log(&self) -> Vec<SuiteQlQuery> {
        lock(&self.queries).clone()
    }
}

const PROBLEM_TYPE: &str = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1";

fn problem(status: StatusCode, code: &str, detail: &str, path: Option<&str>) -> Response {
    let title = match status.as_u16() {
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "Bad Request",
    };
    let mut d = Map::new();
    d.insert("detail".into(), json!(detail));
    d.insert("o:errorCode".into(), json!(code));
    if let Some(p) = path {
        d.insert("o:errorPath".into(), json!(p));
    }
    (
        status,
        Json(json!({"type": PROBLEM_TYPE, "title": title, "status": status.as_u16(), "o:errorDetails": [d]})),
    )
        .into_response()
}

pub(crate) fn concurrency_exceeded() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({
            "type": PROBLEM_TYPE,
            "title": "Bad Request", "status": 429, "o:errorCode": "USER_ERROR",
            "o:errorDetails": [{"detail": "Concurrent request limit exceeded. Request blocked.",
                                "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED"}]})),
    )
        .into_response()
}

fn invalid_login(st: &NsState, bearer: bool) -> Response {
    let mut r = problem(
        StatusCode::UNAUTHORIZED,
        "INVALID_LOGIN",
        "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.",
        None,
    );
    if bearer {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "Bearer realm=\"{}\", error=\"invalid_token\", error_description=\"Invalid login attempt.\"",
            st.cfg.account_id
        )) {
            r.headers_mut().insert("www-authenticate", v);
        }
    }
    r
}

pub(crate) fn router(st: Arc<NsState>, faults: Faults) -> Router {
    let authed = Router::new()
        .route(
            "/services/rest/record/v1/purchaseOrder",
            post(create_po).get(list_pos),
        )
        .route(
            "/services/rest/record/v1/purchaseOrder/{key}",
            axum::routing::put(upsert_po).get(get_po),
        )
        .route("/services/rest/query/v1/suiteql", post(suiteql))
        .layer(axum::middleware::from_fn_with_state(st.clone(), auth));
    Router::new()
        .route("/services/rest/auth/oauth2/v1/token", post(token))
        .merge(authed)
        .layer(axum::middleware::from_fn_with_state(
            FaultLayerState {
                faults: faults.clone(),
                platform: Platform::NetSuite,
                bucket: (0.0, 0.0),
            },
            faults::apply,
        ))
        // Outermost: a request counts against the limit for its whole life (latency too).
        .layer(axum::middleware::from_fn_with_state(
            st.clone(),
            concurrency,
        ))
        .with_state((st, faults))
}

type St = State<(Arc<NsState>, Faults)>;

async fn concurrency(State(st): State<Arc<NsState>>, req: Request, next: Next) -> Response {
    let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let resp = if now > st.cfg.concurrency_limit {
        concurrency_exceeded()
    } else {
        next.run(req).await
    };
    st.in_flight.fetch_sub(1, Ordering::SeqCst);
    resp
}

fn host_origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

async fn auth(State(st): State<Arc<NsState>>, req: Request, next: Next) -> Response {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    if let Some(tok) = header.strip_prefix("Bearer ") {
        let ok = lock(&st.tokens)
            .get(tok.trim())
            .is_some_and(|exp| *exp > Instant::now());
        if !ok {
            return invalid_login(&st, true);
        }
    } else if header.starts_with("OAuth ") {
        let now = chrono::Utc::now().timestamp();
        let exp = oauth1::Expected {
            consumer_key: &st.cfg.consumer_key,
            consumer_secret: &st.cfg.consumer_secret,
            token: &st.cfg.token_id,
            token_secret: &st.cfg.token_secret,
            realm: Some(&st.cfg.account_id),
            tolerance_secs: st.cfg.timestamp_tolerance_secs,
        };
        let host = host_origin(req.headers());
        let verified = oauth1::verify(
            &exp,
            &st.nonces,
            req.method().as_str(),
            &host["http://".len()..],
            req.uri().path(),
            req.uri().query(),
            &header,
            now,
        );
        if verified.is_err() {
            return invalid_login(&st, false);
        }
    } else {
        return invalid_login(&st, false);
    }
    next.run(req).await
}

fn b64url_json(part: &str) -> Option<Value> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&raw).ok()
}

async fn token(State((st, faults)): St, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let bad = |code: &str, desc: &str| {
        (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": code, "error_description": desc})),
        )
            .into_response()
    };
    if get("grant_type") != "client_credentials" {
        return bad(
            "unsupported_grant_type",
            "grant_type must be client_credentials",
        );
    }
    if get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
        return bad(
            "invalid_request",
            "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        );
    }
    let parts: Vec<&str> = get("client_assertion").split('.').collect();
    let (Some(h), Some(p)) = (
        parts.first().and_then(|x| b64url_json(x)),
        parts.get(1).and_then(|x| b64url_json(x)),
    ) else {
        return bad("invalid_request", "client_assertion is not a JWT");
    };
    if parts.len() != 3 || parts[2].is_empty() {
        return bad("invalid_request", "client_assertion is not a signed JWT");
    }
    let alg = h.get("alg").and_then(Value::as_str).unwrap_or("");
    if !matches!(
        alg,
        "PS256" | "PS384" | "PS512" | "ES256" | "ES384" | "ES512"
    ) {
        return bad(
            "invalid_request",
            "unsupported JWT alg (use PS256/384/512 or ES256/384/512)",
        );
    }
    if h.get("kid").and_then(Value::as_str) != Some(st.cfg.certificate_id.as_str()) {
        return bad("invalid_client", "unknown certificate id (kid)");
    }
    if p.get("iss").and_then(Value::as_str) != Some(st.cfg.client_id.as_str())
        || faults.is_revoked(&st.cfg.client_id)
    {
        return bad("invalid_client", "unknown or revoked client");
    }
    let aud = format!(
        "{}/services/rest/auth/oauth2/v1/token",
        host_origin(&headers)
    );
    let aud_ok = match p.get("aud") {
        Some(Value::String(s)) => *s == aud,
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some(aud.as_str())),
        _ => false,
    };
    if !aud_ok {
        return bad("invalid_request", "aud must be the token endpoint URL");
    }
    let scope_ok = match p.get("scope") {
        Some(Value::String(s)) => s.split([',', ' ']).any(|x| x.trim() == "rest_webservices"),
        Some(Value::Array(a)) => a.iter().any(|x| x.as_str() == Some("rest_webservices")),
        _ => false,
    };
    if !scope_ok {
        return bad("invalid_scope", "scope must include rest_webservices");
    }
    let now = chrono::Utc::now().timestamp();
    let (Some(iat), Some(exp)) = (
        p.get("iat").and_then(Value::as_i64),
        p.get("exp").and_then(Value::as_i64),
    ) else {
        return bad("invalid_request", "iat and exp are required");
    };
    if exp <= now || iat > now + 300 || exp - iat > 3600 {
        return bad(
            "invalid_grant",
            "the assertion is expired, from the future, or valid for more than 60 minutes",
        );
    }
    let n = st.next_id.fetch_add(1, Ordering::SeqCst);
    let tok: String = Sha256::digest(format!("{}:{n}:{now}", st.cfg.client_id).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    lock(&st.tokens).insert(tok.clone(), Instant::now() + Duration::from_secs(3600));
    Json(json!({"access_token": tok, "expires_in": 3600, "token_type": "bearer"})).into_response()
}

const BODY_FIELDS: &[&str] = &[
    "externalId",
    "entity",
    "subsidiary",
    "location",
    "tranDate",
    "dueDate",
    "memo",
    "currency",
    "employee",
    "approvalStatus",
    "orderStatus",
    "tranId",
    "item",
    "customForm",
];
const LINE_FIELDS: &[&str] = &[
    "item",
    "quantity",
    "rate",
    "amount",
    "description",
    "location",
    "expectedReceiptDate",
    "line",
    "units",
];

fn ref_id(v: Option<&Value>) -> Option<i64> {
    match v?.get("id")? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Validate a purchase order body against the merchant's vendors and items.
fn validate_po(st: &NsState, body: &Value, strict_names: bool) -> Result<(), Response> {
    let bad = |detail: String, path: &str| {
        Err(problem(
            StatusCode::BAD_REQUEST,
            "INVALID_CONTENT",
            &detail,
            Some(path),
        ))
    };
    let Some(obj) = body.as_object() else {
        return bad("The request body must be a JSON object.".into(), "");
    };
    if strict_names {
        if let Some(k) = obj.keys().find(|k| !BODY_FIELDS.contains(&k.as_str())) {
            return bad(format!("Invalid field name: {k}."), k);
        }
    }
    let cat = st.merchant.catalog();
    let cat = &*cat;
    match obj.get("entity") {
        None | Some(Value::Null) => {
            return bad("Please enter value(s) for: Vendor".into(), "entity")
        }
        Some(e) => match ref_id(Some(e)) {
            Some(id) if cat.suppliers.iter().any(|s| s.id == id) => {}
            _ => {
                return bad(
                    format!("Error while accessing a resource. Invalid Field Value {} for the following field: entity", e.get("id").unwrap_or(&Value::Null)),
                    "entity",
                )
            }
        },
    }
    let items = obj
        .get("item")
        .and_then(|i| i.get("items"))
        .and_then(Value::as_array);
    let Some(items) = items.filter(|i| !i.is_empty()) else {
        return bad(
            "You must enter at least one line item for this transaction.".into(),
            "item",
        );
    };
    for (i, line) in items.iter().enumerate() {
        let path = format!("item.items[{i}]");
        if strict_names {
            if let Some(k) = line
                .as_object()
                .and_then(|o| o.keys().find(|k| !LINE_FIELDS.contains(&k.as_str())))
            {
                return bad(format!("Invalid field name: {k}."), &format!("{path}.{k}"));
            }
        }
        match ref_id(line.get("item")) {
            Some(id) if cat.variant(id).is_some() => {}
            _ => {
                return bad(
                    format!("Error while accessing a resource. Invalid Field Value {} for the following field: item", line.get("item").and_then(|x| x.get("id")).unwrap_or(&Value::Null)),
                    &format!("{path}.item"),
                )
            }
        }
        if let Some(q) = line.get("quantity") {
            if !q.as_f64().is_some_and(|q| q > 0.0) {
                return bad(
                    format!("Invalid Field Value {q} for the following field: quantity"),
                    &format!("{path}.quantity"),
                );
            }
        }
        if let Some(r) = line.get("rate") {
            if !r.as_f64().is_some_and(|r| r >= 0.0) {
                return bad(
                    format!("Invalid Field Value {r} for the following field: rate"),
                    &format!("{path}.rate"),
                );
            }
        }
    }
    Ok(())
}

fn valid_eid(e: &str) -> bool {
    !e.is_empty()
        && e.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn parse_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        problem(
            StatusCode::BAD_REQUEST,
            "INVALID_CONTENT",
            &format!(
                "The request could not be understood by the server due to malformed syntax: {e}"
            ),
            None,
        )
    })
}

fn strict(headers: &HeaderMap) -> bool {
    headers
        .get("x-netsuite-propertynamevalidation")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("error"))
}

fn created(headers: &HeaderMap, id: i64) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{}/services/rest/record/v1/purchaseOrder/{id}",
        host_origin(headers)
    )) {
        r.headers_mut().insert("location", v);
    }
    r
}

fn store_po(
    st: &NsState,
    existing: Option<i64>,
    external_id: Option<String>,
    mut body: Value,
) -> i64 {
    let mut pos = lock(&st.pos);
    let id = existing.unwrap_or_else(|| st.next_id.fetch_add(1, Ordering::SeqCst));
    if let Some(o) = body.as_object_mut() {
        o.insert("id".into(), json!(id.to_string()));
        if let Some(e) = &external_id {
            o.insert("externalId".into(), json!(e));
        }
    }
    number_lines(&mut body, 0);
    match pos.iter_mut().find(|p| p.internal_id == id) {
        Some(p) => {
            p.body = body;
            p.writes += 1;
        }
        None => pos.push(PurchaseOrder {
            internal_id: id,
            external_id,
            body,
            writes: 1,
        }),
    }
    id
}

/// Give item lines without a `line` number the next ones after `after` (NetSuite numbers a
/// PO's item lines; `line` is the item sublist's key).
fn number_lines(body: &mut Value, after: i64) {
    let mut next = after;
    if let Some(items) = body
        .get_mut("item")
        .and_then(|i| i.get_mut("items"))
        .and_then(Value::as_array_mut)
    {
        for l in items.iter().filter_map(|l| l.get("line")) {
            next = next.max(line_key(l).unwrap_or(0));
        }
        for l in items.iter_mut() {
            if l.get("line").is_none() {
                next += 1;
                if let Some(o) = l.as_object_mut() {
                    o.insert("line".into(), json!(next));
                }
            }
        }
    }
}

fn line_key(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// An update of an existing PO: the body fields sent replace the stored ones (others stay).
/// The item sublist (keyed by `line`): lines sent with a known `line` update that line, the
/// others are added; with `replace=item` the lines not sent are removed, so the PO's lines
/// become exactly the ones sent. Source: NetSuite help "Replacing a Sublist"
/// (section_1545297048) and "Working with Sublists" (chapter_1545142407), where deleting a
/// line is `PATCH …/purchaseOrder/:id?replace=item` with all lines but that one.
fn merge_update(old: &Value, new: Value, replace: &[String]) -> Value {
    let mut merged = old.clone();
    let (Some(m), Value::Object(n)) = (merged.as_object_mut(), new) else {
        return old.clone();
    };
    for (k, v) in n {
        if k != "item" {
            m.insert(k, v);
            continue;
        }
        let sent: Vec<Value> = v
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let before: Vec<Value> = old
            .get("item")
            .and_then(|i| i.get("items"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let replacing = replace.iter().any(|r| r.eq_ignore_ascii_case("item"));
        let mut lines: Vec<Value> = if replacing {
            Vec::new()
        } else {
            before.clone()
        };
        for line in sent {
            let key = line.get("line").and_then(line_key);
            let at_old = key.and_then(|k| {
                before
                    .iter()
                    .find(|b| b.get("line").and_then(line_key) == Some(k))
            });
            let mut l = at_old.cloned().unwrap_or_else(|| json!({}));
            if let (Some(lo), Value::Object(so)) = (l.as_object_mut(), line) {
                lo.extend(so);
            }
            match key.and_then(|k| {
                lines
                    .iter()
                    .position(|b| b.get("line").and_then(line_key) == Some(k))
            }) {
                Some(i) => lines[i] = l,
                None => lines.push(l),
            }
        }
        m.insert("item".into(), json!({ "items": lines }));
    }
    let max_line = old
        .get("item")
        .and_then(|i| i.get("items"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.get("line").and_then(line_key))
        .max()
        .unwrap_or(0);
    number_lines(&mut merged, max_line);
    merged
}

/// The `replace` query parameter: sublist names, comma-separated.
fn replace_param(uri: &Uri) -> Vec<String> {
    uri.query()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .filter(|(k, _)| k == "replace")
                .flat_map(|(_, v)| {
                    v.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn upsert_po(
    State((st, _)): St,
    Path(key): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Some(eid) = key.strip_prefix("eid:") {
        if !valid_eid(eid) {
            return problem(
                StatusCode::BAD_REQUEST,
                "INVALID_ID",
                &format!("The external ID {eid:?} may contain only letters, digits, '_' and '-'."),
                None,
            );
        }
        if let Some(b) = body.get("externalId").and_then(Value::as_str) {
            if b != eid {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "INVALID_CONTENT",
                    "The externalId in the body differs from the one in the URL.",
                    Some("externalId"),
                );
            }
        }
        if let Err(r) = validate_po(&st, &body, strict(&headers)) {
            return r;
        }
        // Upsert: create when missing, else update (NetSuite help section_156335203191).
        let existing = lock(&st.pos)
            .iter()
            .find(|p| p.external_id.as_deref() == Some(eid))
            .map(|p| (p.internal_id, p.body.clone()));
        let (id, body) = match existing {
            Some((id, old)) => (Some(id), merge_update(&old, body, &replace_param(&uri))),
            None => (None, body),
        };
        let id = store_po(&st, id, Some(eid.to_string()), body);
        return created(&headers, id);
    }
    // PUT on an internal id replaces an existing record.
    let Ok(id) = key.parse::<i64>() else {
        return problem(
            StatusCode::BAD_REQUEST,
            "INVALID_ID",
            &format!("Invalid record id {key:?}."),
            None,
        );
    };
    let existing = lock(&st.pos)
        .iter()
        .find(|p| p.internal_id == id)
        .map(|p| p.external_id.clone());
    let Some(ext) = existing else {
        return problem(
            StatusCode::NOT_FOUND,
            "NONEXISTENT_ID",
            &format!(
                "The record instance does not exist. Provide a valid record instance ID: {id}."
            ),
            None,
        );
    };
    if let Err(r) = validate_po(&st, &body, strict(&headers)) {
        return r;
    }
    store_po(&st, Some(id), ext, body);
    created(&headers, id)
}

async fn create_po(State((st, _)): St, headers: HeaderMap, body: Bytes) -> Response {
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    if let Err(r) = validate_po(&st, &body, strict(&headers)) {
        return r;
    }
    let eid = body
        .get("externalId")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(e) = &eid {
        if !valid_eid(e) {
            return problem(
                StatusCode::BAD_REQUEST,
                "INVALID_CONTENT",
                "The external ID may contain only letters, digits, '_' and '-'.",
                Some("externalId"),
            );
        }
        if lock(&st.pos)
            .iter()
            .any(|p| p.external_id.as_deref() == Some(e.as_str()))
        {
            return problem(
                StatusCode::BAD_REQUEST,
                "DUP_RCRD",
                &format!("A record with the external ID {e} already exists. Use PUT …/purchaseOrder/eid:{e} to update it."),
                Some("externalId"),
            );
        }
    }
    let id = store_po(&st, None, eid, body);
    created(&headers, id)
}

async fn get_po(State((st, _)): St, Path(key): Path<String>, headers: HeaderMap) -> Response {
    let pos = lock(&st.pos);
    let found = match key.strip_prefix("eid:") {
        Some(e) => pos.iter().find(|p| p.external_id.as_deref() == Some(e)),
        None => key
            .parse::<i64>()
            .ok()
            .and_then(|id| pos.iter().find(|p| p.internal_id == id)),
    };
    match found {
        Some(p) => {
            let mut b = p.body.clone();
            if let Some(o) = b.as_object_mut() {
                o.insert("links".into(), json!([{"rel": "self", "href": format!("{}/services/rest/record/v1/purchaseOrder/{}", host_origin(&headers), p.internal_id)}]));
            }
            Json(b).into_response()
        }
        None => problem(
            StatusCode::NOT_FOUND,
            "NONEXISTENT_ID",
            &format!(
                "The record instance does not exist. Provide a valid record instance ID: {key}."
            ),
            None,
        ),
    }
}

async fn list_pos(State((st, _)): St, headers: HeaderMap) -> Response {
    let pos = lock(&st.pos);
    let origin = host_origin(&headers);
    let items: Vec<Value> = pos
        .iter()
        .map(|p| json!({"links": [{"rel": "self", "href": format!("{origin}/services/rest/record/v1/purchaseOrder/{}", p.internal_id)}], "id": p.internal_id.to_string()}))
        .collect();
    Json(json!({"links": [], "count": items.len(), "hasMore": false, "items": items, "offset": 0, "totalResults": items.len()})).into_response()
}

type Table = (Vec<&'static str>, Vec<BTreeMap<&'static str, String>>);

/// Rows of the SuiteQL tables the simulator knows, column values as strings.
fn table(st: &NsState, name: &str) -> Option<Table> {
    let cat = st.merchant.catalog();
    let cat = &*cat;
    let now = cat.now.format("%-m/%-d/%Y").to_string();
    Some(match name {
        "vendor" => (
            vec![
                "id",
                "entityid",
                "companyname",
                "email",
                "isinactive",
                "lastmodifieddate",
                "currency",
            ],
            cat.suppliers
                .iter()
                .map(|s| {
                    BTreeMap::from([
                        ("id", s.id.to_string()),
                        ("entityid", s.name.clone()),
                        ("companyname", s.name.clone()),
                        ("email", s.email.clone().unwrap_or_default()),
                        ("isinactive", "F".into()),
                        ("lastmodifieddate", now.clone()),
                        ("currency", s.currency.clone()),
                    ])
                })
                .collect(),
        ),
        "item" => (
            vec![
                "id",
                "itemid",
                "displayname",
                "itemtype",
                "isinactive",
                "upccode",
            ],
            cat.variants
                .iter()
                .map(|v| {
                    let title = cat
                        .product(v.product_id)
                        .map(|p| p.title.clone())
                        .unwrap_or_default();
                    BTreeMap::from([
                        ("id", v.id.to_string()),
                        ("itemid", v.sku.clone()),
                        (
                            "displayname",
                            if v.title.is_empty() {
                                title
                            } else {
                                format!("{title} {}", v.title)
                            },
                        ),
                        ("itemtype", "InvtPart".into()),
                        (
                            "isinactive",
                            if v.status == "active" { "F" } else { "T" }.into(),
                        ),
                        ("upccode", v.barcode.clone().unwrap_or_default()),
                    ])
                })
                .collect(),
        ),
        "itemvendor" => (
            vec!["item", "vendor", "purchaseprice", "preferredvendor"],
            cat.supplier_items
                .iter()
                .map(|si| {
                    BTreeMap::from([
                        ("item", si.variant_id.to_string()),
                        ("vendor", si.supplier_id.to_string()),
                        (
                            "purchaseprice",
                            si.unit_cost.map(|c| c.to_string()).unwrap_or_default(),
                        ),
                        (
                            "preferredvendor",
                            if si.is_primary { "T" } else { "F" }.into(),
                        ),
                    ])
                })
                .collect(),
        ),
        "location" => (
            vec!["id", "name", "isinactive"],
            cat.locations
                .iter()
                .map(|l| {
                    BTreeMap::from([
                        ("id", l.id.to_string()),
                        ("name", l.name.clone()),
                        ("isinactive", if l.active { "F" } else { "T" }.into()),
                    ])
                })
                .collect(),
        ),
        _ => return None,
    })
}

async fn suiteql(State((st, _)): St, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let bad = |code: &str, detail: String| problem(StatusCode::BAD_REQUEST, code, &detail, None);
    let transient = headers
        .get("prefer")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|x| x.trim().eq_ignore_ascii_case("transient"))
        });
    if !transient {
        return bad(
            "INVALID_REQUEST",
            "SuiteQL requests must send the header Prefer: transient.".into(),
        );
    }
    let q: HashMap<String, String> = uri
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let limit: usize = match q.get("limit").map(|s| s.parse::<usize>()) {
        None => 1000,
        Some(Ok(n)) if (1..=1000).contains(&n) => n,
        _ => {
            return bad(
                "INVALID_PARAMETER",
                "The limit query parameter must be between 1 and 1000.".into(),
            )
        }
    };
    let offset: usize = match q.get("offset").map(|s| s.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) if n % limit == 0 => n,
        _ => {
            return bad(
                "INVALID_PARAMETER",
                "The offset query parameter must be a multiple of limit.".into(),
            )
        }
    };
    let req: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return bad("INVALID_CONTENT", format!("Malformed JSON body: {e}")),
    };
    let Some(text) = req.get("q").and_then(Value::as_str) else {
        return bad(
            "INVALID_CONTENT",
            "The body must be {\"q\": \"SELECT …\"}.".into(),
        );
    };
    let params = req
        .get("params")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let invalid = |m: String| {
        bad("INVALID_PARAMETER", format!("Invalid search query. Detailed unprocessed description follows. Search error occurred: {m}"))
    };
    let sql = match parse_sql(text, &params) {
        Ok(s) => s,
        Err(e) => return invalid(e),
    };
    let Some((known, rows)) = table(&st, &sql.table) else {
        return invalid(format!("Record '{}' was not found.", sql.table));
    };
    let cols: Vec<String> = if sql.cols == ["*"] {
        known.iter().map(|s| s.to_string()).collect()
    } else {
        sql.cols.clone()
    };
    for c in cols
        .iter()
        .chain(sql.conds.iter().map(|(c, _)| c))
        .chain(sql.order.iter().map(|(c, _)| c))
    {
        if !known.contains(&c.as_str()) {
            return invalid(format!(
                "Field '{c}' for record '{}' was not found.",
                sql.table
            ));
        }
    }
    let mut rows: Vec<_> = rows
        .into_iter()
        .filter(|r| {
            sql.conds
                .iter()
                .all(|(c, vs)| r.get(c.as_str()).is_some_and(|x| vs.contains(x)))
        })
        .collect();
    lock(&st.queries).push(SuiteQlQuery {
        q: text.to_string(),
        params: params.clone(),
        matched: rows.len(),
    });
    if let Some((c, desc)) = &sql.order {
        rows.sort_by(|a, b| {
            let (x, y) = (a.get(c.as_str()), b.get(c.as_str()));
            let o = match (
                x.and_then(|s| s.parse::<f64>().ok()),
                y.and_then(|s| s.parse::<f64>().ok()),
            ) {
                (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(std::cmp::Ordering::Equal),
                _ => x.cmp(&y),
            };
            if *desc {
                o.reverse()
            } else {
                o
            }
        });
    }
    let total = rows.len();
    let items: Vec<Value> = rows
        .iter()
        .skip(offset)
        .take(limit)
        .map(|r| {
            let mut m = Map::new();
            m.insert("links".into(), json!([]));
            for c in &cols {
                // NetSuite omits empty columns from SuiteQL rows.
                if let Some(v) = r.get(c.as_str()).filter(|v| !v.is_empty()) {
                    m.insert(c.clone(), json!(v));
                }
            }
            Value::Object(m)
        })
        .collect();
    let has_more = offset + items.len() < total;
    let base = format!("{}/services/rest/query/v1/suiteql", host_origin(&headers));
    let mut links =
        vec![json!({"rel": "self", "href": format!("{base}?limit={limit}&offset={offset}")})];
    if has_more {
        links.push(json!({"rel": "next", "href": format!("{base}?limit={limit}&offset={}", offset + limit)}));
    }
    Json(json!({"links": links, "count": items.len(), "hasMore": has_more, "items": items, "offset": offset, "totalResults": total})).into_response()
}
