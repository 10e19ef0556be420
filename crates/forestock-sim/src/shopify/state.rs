//! Shopify's server-side state: tokens, the cost bucket, bulk operations, metafields.

use super::gql::{self, Exec};
use crate::config::ShopifyConfig;
use crate::data::{Catalog, Merchant};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub scopes: Vec<String>,
    pub expires: Option<Instant>,
}

struct Bucket {
    available: f64,
    last: Instant,
}

#[derive(Debug, Clone)]
pub struct BulkOp {
    pub id: i64,
    pub status: &'static str,
    pub error_code: Option<&'static str>,
    pub object_count: u64,
    pub root_object_count: u64,
    pub file_size: Option<u64>,
    pub key: String,
    pub path: PathBuf,
    pub created_at: String,
    pub completed_at: Option<String>,
    pub query: String,
    /// The file is complete (for `bulk_manual`, waiting to be released).
    pub ready: bool,
    pub cancel: Arc<AtomicBool>,
}

#[derive(Debug, Clone)]
pub struct Metafield {
    pub id: i64,
    pub owner_id: String,
    pub namespace: String,
    pub key: String,
    pub value: String,
    pub kind: String,
    pub created_at: String,
    pub updated_at: String,
}

impl Metafield {
    pub fn digest(&self) -> String {
        let h = Sha256::digest(format!("{}\u{0}{}", self.value, self.updated_at).as_bytes());
        h.iter().map(|b| format!("{b:02x}")).collect()
    }
    fn json(&self) -> Value {
        json!({"id": gql::gid("Metafield", self.id), "namespace": self.namespace, "key": self.key,
               "value": self.value, "type": self.kind,
               "ownerType": if self.owner_id.contains("/Product/") { "PRODUCT" } else { "PRODUCTVARIANT" },
               "createdAt": self.created_at, "updatedAt": self.updated_at, "compareDigest": self.digest()})
    }
}

pub struct ShopState {
    pub cfg: ShopifyConfig,
    pub merchant: Arc<Merchant>,
    pub dir: PathBuf,
    pub base_url: RwLock<String>,
    /// Where bulk-result URLs point (real Shopify: a cloud-storage host); None: `base_url`.
    bulk_origin: RwLock<Option<String>>,
    me: Weak<ShopState>,
    tokens: Mutex<HashMap<String, TokenInfo>>,
    bucket: Mutex<Bucket>,
    bulk: Mutex<Vec<BulkOp>>,
    metafields: Mutex<Vec<Metafield>>,
    /// Metafield values stored by `metafieldsSet` so far (created or updated).
    metafield_writes: AtomicU64,
    counter: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn now_iso() -> String {
    gql::gql_time(chrono::Utc::now().naive_utc())
}

/// How a request's cost went through the bucket.
pub struct CostOutcome {
    pub allowed: bool,
    pub currently_available: f64,
}

impl ShopState {
    pub fn new(cfg: ShopifyConfig, merchant: Arc<Merchant>, dir: PathBuf) -> Arc<ShopState> {
        Arc::new_cyclic(|me| {
            let mut tokens = HashMap::new();
            tokens.insert(
                cfg.admin_token.clone(),
                TokenInfo {
                    scopes: cfg.scopes.clone(),
                    expires: None,
                },
            );
            ShopState {
                bucket: Mutex::new(Bucket {
                    available: cfg.bucket_size,
                    last: Instant::now(),
                }),
                cfg,
                merchant,
                dir,
                base_url: RwLock::new(String::new()),
                bulk_origin: RwLock::new(None),
                me: me.clone(),
                tokens: Mutex::new(tokens),
                bulk: Mutex::new(Vec::new()),
                metafields: Mutex::new(Vec::new()),
                metafield_writes: AtomicU64::new(0),
                counter: AtomicU64::new(1),
            }
        })
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Point later bulk-result URLs at another origin (None: this simulator).
    pub fn set_bulk_origin(&self, origin: Option<String>) {
        match self.bulk_origin.write() {
            Ok(mut o) => *o = origin,
            Err(e) => *e.into_inner() = origin,
        }
    }

    fn bulk_url(&self, op: &BulkOp, base: &str) -> String {
        let origin = self
            .bulk_origin
            .read()
            .map(|o| o.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
            .unwrap_or_else(|| base.to_string());
        // Shaped like the V4-signed cloud-storage URL Shopify hands out: the file is public to
        // whoever holds the query string, so the signature is the credential.
        format!(
            "{origin}/_bulk/{}/bulk-{}.jsonl?X-Goog-Algorithm=GOOG4-RSA-SHA256\
             &X-Goog-Credential=forestock-sim%2Fauto%2Fstorage%2Fgoog4_request\
             &X-Goog-Expires=604800&X-Goog-SignedHeaders=host&X-Goog-Signature={}",
            op.id, op.id, op.key
        )
    }

    /// Register a token with its scopes (tests: a token without `read_all_orders`).
    pub fn add_token(&self, token: &str, scopes: &[&str], ttl: Option<Duration>) {
        lock(&self.tokens).insert(
            token.to_string(),
            TokenInfo {
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
                expires: ttl.map(|d| Instant::now() + d),
            },
        );
    }

    pub fn token(&self, token: &str) -> Option<TokenInfo> {
        let t = lock(&self.tokens).get(token).cloned()?;
        match t.expires {
            Some(e) if e <= Instant::now() => None,
            _ => Some(t),
        }
    }

    /// Issue a client-credentials token.
    pub fn issue_token(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let h = Sha256::digest(format!("{}:{n}", self.cfg.client_secret).as_bytes());
        let hex: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let token = format!("shpat_{hex}");
        let scopes: Vec<&str> = self.cfg.scopes.iter().map(String::as_str).collect();
        self.add_token(&token, &scopes, Some(self.cfg.token_ttl));
        token
    }

    /// Take `requested` points from the leaky bucket if it holds them.
    pub fn take(&self, requested: f64) -> CostOutcome {
        let mut b = lock(&self.bucket);
        let now = Instant::now();
        let refill = now.duration_since(b.last).as_secs_f64() * self.cfg.restore_rate;
        b.available = (b.available + refill).min(self.cfg.bucket_size);
        b.last = now;
        if b.available >= requested {
            b.available -= requested;
            CostOutcome {
                allowed: true,
                currently_available: b.available,
            }
        } else {
            CostOutcome {
                allowed: false,
                currently_available: b.available,
            }
        }
    }

    pub fn refund(&self, points: f64) -> f64 {
        let mut b = lock(&self.bucket);
        b.available = (b.available + points).min(self.cfg.bucket_size);
        b.available
    }

    fn op_json(&self, op: &BulkOp, base: &str) -> Value {
        let done = op.status == "COMPLETED";
        let url = (done && op.object_count > 0).then(|| self.bulk_url(op, base));
        let partial =
            (op.status == "FAILED" && op.object_count > 0).then(|| self.bulk_url(op, base));
        json!({
            "id": gql::gid("BulkOperation", op.id),
            "status": op.status,
            "errorCode": op.error_code,
            "objectCount": op.object_count.to_string(),
            "rootObjectCount": op.root_object_count.to_string(),
            "fileSize": if done { op.file_size.map(|s| s.to_string()) } else { None },
            "url": url,
            "partialDataUrl": partial,
            "createdAt": op.created_at,
            "completedAt": op.completed_at,
            "query": op.query,
            "type": "QUERY",
        })
    }

    pub fn bulk_json(&self, id: i64, base: &str) -> Option<Value> {
        let ops = lock(&self.bulk);
        ops.iter()
            .find(|o| o.id == id)
            .map(|o| self.op_json(o, base))
    }

    pub fn current_bulk_json(&self, base: &str) -> Option<Value> {
        let ops = lock(&self.bulk);
        ops.last().map(|o| self.op_json(o, base))
    }

    /// The file behind a completed (or failed, partial) operation, if `key` (the URL's
    /// `X-Goog-Signature`) matches.
    pub fn bulk_file(&self, id: i64, key: &str) -> Option<PathBuf> {
        let ops = lock(&self.bulk);
        ops.iter()
            .find(|o| o.id == id && o.key == key && matches!(o.status, "COMPLETED" | "FAILED"))
            .map(|o| o.path.clone())
    }

    pub fn bulk_ops(&self) -> Vec<BulkOp> {
        lock(&self.bulk).clone()
    }

    /// Move a RUNNING operation to COMPLETED (its file must be written) or FAILED.
    pub fn finish_bulk(&self, id: i64, ok: bool) -> bool {
        let mut ops = lock(&self.bulk);
        let Some(op) = ops.iter_mut().find(|o| o.id == id) else {
            return false;
        };
        if !matches!(op.status, "RUNNING" | "CREATED") || (ok && !op.ready) {
            return false;
        }
        if ok {
            op.status = "COMPLETED";
        } else {
            op.status = "FAILED";
            op.error_code = Some("INTERNAL_SERVER_ERROR");
        }
        op.completed_at = Some(now_iso());
        true
    }

    pub fn cancel_bulk(&self, id: i64, base: &str) -> Value {
        let mut ops = lock(&self.bulk);
        match ops.iter_mut().find(|o| o.id == id) {
            Some(op) if matches!(op.status, "CREATED" | "RUNNING") => {
                // As Shopify: the answer says CANCELING; the operation is CANCELED once its
                // runner has stopped (at once if it had already written its file).
                op.cancel.store(true, Ordering::SeqCst);
                op.status = "CANCELING";
                let j = self.op_json(op, base);
                if op.ready {
                    op.status = "CANCELED";
                    op.completed_at = Some(now_iso());
                }
                json!({"bulkOperation": j, "userErrors": []})
            }
            Some(op) => {
                let j = self.op_json(op, base);
                json!({"bulkOperation": j, "userErrors": [{"field": ["id"], "message": format!("A bulk operation cannot be canceled when it is {}", op.status.to_lowercase())}]})
            }
            None => {
                json!({"bulkOperation": null, "userErrors": [{"field": ["id"], "message": "Bulk operation does not exist"}]})
            }
        }
    }

    /// `bulkOperationRunQuery`: validate the inner query, then run it on a thread.
    pub fn start_bulk(&self, query: &str, all_orders: bool, fulfillment_orders: bool) -> Value {
        let user_err = |m: String| json!({"bulkOperation": null, "userErrors": [{"field": ["query"], "message": m}]});
        let prepared = match gql::prepare(query, None, Map::new(), true) {
            Ok(p) => p,
            Err(errs) => {
                let m = errs
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ");
                return user_err(format!("Invalid bulk query: {m}"));
            }
        };
        if prepared.kind != gql::OpKind::Query {
            return user_err(
                "Invalid bulk query: bulk queries must be queries, not mutations".into(),
            );
        }
        let connections = prepared.connections;
        let roots = root_fields(&prepared);
        if roots.len() != 1 {
            return user_err(
                "Invalid bulk query: a bulk query must have exactly one top-level field".into(),
            );
        }
        if !matches!(
            roots[0].as_str(),
            "productVariants" | "products" | "orders" | "locations" | "inventoryItems"
        ) {
            return user_err(format!("Invalid bulk query: Bulk queries must contain at least one connection (field '{}' is not a supported connection)", roots[0]));
        }
        if connections > 5 {
            return user_err(
                "Invalid bulk query: Bulk queries cannot contain more than 5 connections.".into(),
            );
        }
        let mut ops = lock(&self.bulk);
        if let Some(running) = ops
            .iter()
            .find(|o| matches!(o.status, "CREATED" | "RUNNING" | "CANCELING"))
        {
            return json!({"bulkOperation": null, "userErrors": [{"field": null, "message": format!(
                "A bulk query operation for this app and shop is already in progress: {}.", gql::gid("BulkOperation", running.id))}]});
        }
        let id = self.counter.fetch_add(1, Ordering::SeqCst) as i64;
        let key: String =
            Sha256::digest(format!("bulk:{id}:{}", self.cfg.client_secret).as_bytes())
                .iter()
                .take(12)
                .map(|b| format!("{b:02x}"))
                .collect();
        let cancel = Arc::new(AtomicBool::new(false));
        let op = BulkOp {
            id,
            status: "CREATED",
            error_code: None,
            object_count: 0,
            root_object_count: 0,
            file_size: None,
            key,
            path: self.dir.join(format!("bulk-{id}.jsonl")),
            created_at: now_iso(),
            completed_at: None,
            query: query.to_string(),
            ready: false,
            cancel: cancel.clone(),
        };
        let base = self.base_url();
        let j = self.op_json(&op, &base);
        ops.push(op);
        drop(ops);
        if let Some(me) = self.me.upgrade() {
            std::thread::spawn(move || {
                me.run_bulk(id, prepared, all_orders, fulfillment_orders, cancel)
            });
        }
        json!({"bulkOperation": j, "userErrors": []})
    }

    fn update_op(&self, id: i64, f: impl FnOnce(&mut BulkOp)) {
        let mut ops = lock(&self.bulk);
        if let Some(op) = ops.iter_mut().find(|o| o.id == id) {
            f(op);
        }
    }

    fn run_bulk(
        &self,
        id: i64,
        prepared: gql::Prepared,
        all_orders: bool,
        fulfillment_orders: bool,
        cancel: Arc<AtomicBool>,
    ) {
        self.update_op(id, |o| {
            if o.status == "CREATED" {
                o.status = "RUNNING";
            }
        });
        let path = self.dir.join(format!("bulk-{id}.jsonl"));
        let result = (|| -> Result<(u64, u64, u64), String> {
            let file = std::fs::File::create(&path).map_err(|e| e.to_string())?;
            let mut w = std::io::BufWriter::new(file);
            let base = self.base_url();
            let cat = self.merchant.catalog();
            let exec = Exec {
                m: &self.merchant,
                cat: &cat,
                shop: self,
                all_orders,
                fulfillment_orders,
                // A bulk query runs no mutation.
                write_products: false,
                vars: &prepared.vars,
                doc: &prepared.doc,
                actual_cost: Cell::new(0),
                base_url: &base,
            };
            let root = root_field(&prepared).ok_or("no root field")?;
            let (mut objects, mut roots, mut bytes) = (0u64, 0u64, 0u64);
            let mut emit = |lines: Vec<Value>| -> std::io::Result<()> {
                roots += 1;
                for l in lines {
                    let s = l.to_string();
                    w.write_all(s.as_bytes())?;
                    w.write_all(b"\n")?;
                    bytes += s.len() as u64 + 1;
                    objects += 1;
                }
                Ok(())
            };
            exec.bulk_root(root, &mut emit, &|| cancel.load(Ordering::SeqCst))?;
            w.flush().map_err(|e| e.to_string())?;
            Ok((objects, roots, bytes))
        })();
        let manual = self.cfg.bulk_manual;
        self.update_op(id, |o| {
            if o.status == "CANCELING" {
                o.status = "CANCELED";
                o.completed_at = Some(now_iso());
                return;
            }
            if o.status == "CANCELED" {
                return;
            }
            match result {
                Ok((objects, roots, bytes)) => {
                    o.object_count = objects;
                    o.root_object_count = roots;
                    o.file_size = Some(bytes);
                    o.ready = true;
                    if !manual {
                        o.status = "COMPLETED";
                        o.completed_at = Some(now_iso());
                    }
                }
                Err(_) => {
                    o.status = "FAILED";
                    o.error_code = Some("INTERNAL_SERVER_ERROR");
                    o.completed_at = Some(now_iso());
                }
            }
        });
    }

    /// `metafieldsSet`: all-or-nothing.
    pub fn metafields_set(&self, cat: &Catalog, inputs: &[Value]) -> Value {
        const TYPES: &[&str] = &[
            "single_line_text_field",
            "multi_line_text_field",
            "number_integer",
            "number_decimal",
            "json",
            "boolean",
            "date",
            "date_time",
        ];
        let mut errors = Vec::new();
        let mut store = lock(&self.metafields);
        let ok_chars = |s: &str| {
            s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        for (i, m) in inputs.iter().enumerate() {
            let fld = |name: &str| json!(["metafields", i.to_string(), name]);
            let mut e = |name: &str, msg: &str, code: &str| {
                errors.push(
                    json!({"field": fld(name), "message": msg, "code": code, "elementIndex": null}),
                )
            };
            let owner = m.get("ownerId").and_then(Value::as_str).unwrap_or("");
            let owner_ok = gql::parse_gid(owner, "ProductVariant")
                .is_some_and(|id| cat.variant(id).is_some())
                || gql::parse_gid(owner, "Product").is_some_and(|id| cat.product(id).is_some());
            if !owner_ok {
                e("ownerId", "Owner does not exist.", "INVALID");
            }
            let ns = m.get("namespace").and_then(Value::as_str).unwrap_or("$app");
            if ns != "$app" && (!(3..=255).contains(&ns.len()) || !ok_chars(ns)) {
                e(
                    "namespace",
                    "Namespace must be 3-255 characters of letters, digits, '-' or '_'.",
                    "INVALID",
                );
            }
            let key = m.get("key").and_then(Value::as_str).unwrap_or("");
            if !(2..=64).contains(&key.len()) || !ok_chars(key) {
                e(
                    "key",
                    "Key must be 2-64 characters of letters, digits, '-' or '_'.",
                    "INVALID",
                );
            }
            let kind = m.get("type").and_then(Value::as_str).unwrap_or("");
            if !TYPES.contains(&kind) {
                e(
                    "type",
                    "Type must be one of the supported metafield types.",
                    "INVALID_TYPE",
                );
            }
            let Some(value) = m.get("value").and_then(Value::as_str) else {
                e("value", "Value can't be blank.", "BLANK");
                continue;
            };
            let valid = match kind {
                "number_integer" => value.parse::<i64>().is_ok(),
                "number_decimal" => value.parse::<f64>().is_ok_and(f64::is_finite),
                "json" => serde_json::from_str::<Value>(value).is_ok(),
                "boolean" => value == "true" || value == "false",
                _ => true,
            };
            if !valid {
                e(
                    "value",
                    &format!("Value must be a valid {kind}."),
                    "INVALID_VALUE",
                );
            }
            if let Some(cd) = m.get("compareDigest") {
                let existing = store
                    .iter()
                    .find(|x| x.owner_id == owner && x.namespace == ns && x.key == key);
                let stale = match (cd, existing) {
                    (Value::Null, Some(_)) => true,
                    (Value::String(d), Some(x)) => *d != x.digest(),
                    (Value::String(_), None) => true,
                    _ => false,
                };
                if stale {
                    e("compareDigest", "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.", "STALE_OBJECT");
                }
            }
        }
        if !errors.is_empty() {
            return json!({"metafields": [], "userErrors": errors});
        }
        let now = now_iso();
        let mut out = Vec::new();
        for m in inputs {
            let owner = m
                .get("ownerId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let ns = m
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or("$app")
                .to_string();
            let key = m
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let value = m
                .get("value")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let kind = m
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let idx = store
                .iter()
                .position(|x| x.owner_id == owner && x.namespace == ns && x.key == key);
            let mf = match idx {
                Some(i) => {
                    let x = &mut store[i];
                    x.value = value;
                    x.kind = kind;
                    x.updated_at = now.clone();
                    x.clone()
                }
                None => {
                    let mf = Metafield {
                        id: self.counter.fetch_add(1, Ordering::SeqCst) as i64,
                        owner_id: owner,
                        namespace: ns,
                        key,
                        value,
                        kind,
                        created_at: now.clone(),
                        updated_at: now.clone(),
                    };
                    store.push(mf.clone());
                    mf
                }
            };
            out.push(mf.json());
        }
        self.metafield_writes
            .fetch_add(out.len() as u64, Ordering::SeqCst);
        json!({"metafields": out, "userErrors": []})
    }

    pub fn metafields(&self) -> Vec<Metafield> {
        lock(&self.metafields).clone()
    }

    /// Metafield values `metafieldsSet` stored so far (each created or updated one counts).
    pub fn metafield_writes(&self) -> u64 {
        self.metafield_writes.load(Ordering::SeqCst)
    }
}

fn op_selection(
    p: &gql::Prepared,
) -> Option<&graphql_parser::query::SelectionSet<'static, String>> {
    use graphql_parser::query as q;
    match p.doc.definitions.get(p.op_index)? {
        q::Definition::Operation(q::OperationDefinition::SelectionSet(ss)) => Some(ss),
        q::Definition::Operation(q::OperationDefinition::Query(qq)) => Some(&qq.selection_set),
        _ => None,
    }
}

fn root_fields(p: &gql::Prepared) -> Vec<String> {
    use graphql_parser::query as q;
    op_selection(p)
        .map(|ss| {
            ss.items
                .iter()
                .filter_map(|i| match i {
                    q::Selection::Field(f) => Some(f.name.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn root_field(p: &gql::Prepared) -> Option<&graphql_parser::query::Field<'static, String>> {
    use graphql_parser::query as q;
    op_selection(p)?.items.iter().find_map(|i| match i {
        q::Selection::Field(f) => Some(f),
        _ => None,
    })
}
