//! BigCommerce product-variant metafields (Catalog v3):
//! `GET|POST /v3/catalog/products/{product_id}/variants/{variant_id}/metafields` and
//! `GET|PUT /v3/catalog/products/{product_id}/variants/{variant_id}/metafields/{metafield_id}`.
//!
//! Rules (developer.bigcommerce.com, Catalog › Product variants › Metafields; the
//! `metafield_Base` schema of `reference/catalog/product-variants_catalog.v3.yml`):
//! * required on create: `permission_set` (`app_only`, `read`, `write`, `read_and_sf_access`,
//!   `write_and_sf_access`), `namespace` (1–64 characters), `key` (1–64), `value` (1–65,535);
//!   `description` at most 255;
//! * one metafield per namespace + key on a resource: a second one is **409 Conflict**;
//! * invalid fields: **422** with `errors` naming the field;
//! * an unknown product, a variant of another product, or an unknown metafield id: **404**;
//! * writes need the Products **modify** scope (`store_v2_products`); a read-only token gets
//!   **403** "You don't have a required scope to access the endpoint".
//! * at most 250 metafields per resource and client (the platform limit; older documents say
//!   fifty; the stricter number is not enforced here because a write-back writes two).

use super::{v3_error, STATUS_TYPE};
use crate::config::BigCommerceConfig;
use crate::data::Merchant;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// The scope a store-level API account needs to change the catalog ("Products: modify").
pub const PRODUCTS_MODIFY: &str = "store_v2_products";

const PERMISSION_SETS: [&str; 5] = [
    "app_only",
    "read",
    "write",
    "read_and_sf_access",
    "write_and_sf_access",
];

/// A stored variant metafield.
#[derive(Debug, Clone, PartialEq)]
pub struct BcMetafield {
    pub id: i64,
    pub product_id: i64,
    pub variant_id: i64,
    pub permission_set: String,
    pub namespace: String,
    pub key: String,
    pub value: String,
    pub description: String,
    pub date_created: String,
    pub date_modified: String,
}

impl BcMetafield {
    fn json(&self) -> Value {
        json!({"id": self.id, "key": self.key, "value": self.value, "namespace": self.namespace,
            "permission_set": self.permission_set, "resource_type": "variant",
            "resource_id": self.variant_id, "description": self.description,
            "date_created": self.date_created, "date_modified": self.date_modified,
            "owner_client_id": "forestock-sim"})
    }
}

/// The metafields the simulator holds (in memory, like every simulator's own state).
#[derive(Debug, Default)]
pub struct BcMetafields {
    rows: Mutex<Vec<BcMetafield>>,
    next: AtomicU64,
    writes: AtomicU64,
}

impl BcMetafields {
    pub fn all(&self) -> Vec<BcMetafield> {
        self.rows.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    /// Metafields created or updated so far (accepted POSTs and PUTs).
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }
}

fn now_iso() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S+00:00")
        .to_string()
}

fn unprocessable(errors: Map<String, Value>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(
            json!({"status": 422, "title": "JSON data is missing or invalid",
            "type": STATUS_TYPE, "errors": errors}),
        ),
    )
        .into_response()
}

/// The fields of a create (`partial` false: all required) or an update (only those given).
fn validate(body: &Value, partial: bool) -> Result<Map<String, Value>, Response> {
    let Some(obj) = body.as_object() else {
        return Err(unprocessable(Map::from_iter([(
            "body".to_string(),
            json!("The request body must be a JSON object."),
        )])));
    };
    let mut errors = Map::new();
    let mut text = |name: &str, min: usize, max: usize| match obj.get(name) {
        None | Some(Value::Null) if partial || min == 0 => {}
        None | Some(Value::Null) => {
            errors.insert(name.into(), json!(format!("error.path.{name} is required")));
        }
        Some(Value::String(s)) if (min..=max).contains(&s.chars().count()) => {}
        Some(Value::String(_)) => {
            errors.insert(
                name.into(),
                json!(format!(
                    "error.path.{name} must be between {min} and {max} characters"
                )),
            );
        }
        Some(_) => {
            errors.insert(
                name.into(),
                json!(format!("error.path.{name} must be a string")),
            );
        }
    };
    text("namespace", 1, 64);
    text("key", 1, 64);
    text("value", 1, 65_535);
    text("description", 0, 255);
    match obj.get("permission_set") {
        None | Some(Value::Null) if partial => {}
        Some(Value::String(p)) if PERMISSION_SETS.contains(&p.as_str()) => {}
        _ => {
            errors.insert(
                "permission_set".into(),
                json!(format!(
                    "error.path.permission_set must be one of {}",
                    PERMISSION_SETS.join(", ")
                )),
            );
        }
    }
    if errors.is_empty() {
        Ok(obj.clone())
    } else {
        Err(unprocessable(errors))
    }
}

fn text_of(obj: &Map<String, Value>, k: &str) -> Option<String> {
    obj.get(k).and_then(Value::as_str).map(str::to_string)
}

/// Answer a variant-metafield request, or `None` when the path is not one.
pub(super) fn route(
    m: &Merchant,
    meta: &BcMetafields,
    cfg: &BigCommerceConfig,
    method: &Method,
    parts: &[&str],
    q: &super::Q,
    body: &[u8],
) -> Option<Response> {
    let (pid, vid, mid) = match parts {
        ["v3", "catalog", "products", p, "variants", v, "metafields"] => (*p, *v, None),
        ["v3", "catalog", "products", p, "variants", v, "metafields", id] => (*p, *v, Some(*id)),
        _ => return None,
    };
    if *method != Method::GET && !cfg.scopes.iter().any(|s| s == PRODUCTS_MODIFY) {
        return Some(v3_error(
            StatusCode::FORBIDDEN,
            "You don't have a required scope to access the endpoint",
        ));
    }
    let cat = m.catalog();
    let product = pid.parse::<i64>().ok().and_then(|id| cat.product(id));
    let Some(product) = product else {
        return Some(v3_error(
            StatusCode::NOT_FOUND,
            "The requested product was not found.",
        ));
    };
    let variant = vid
        .parse::<i64>()
        .ok()
        .and_then(|id| cat.variant(id))
        .filter(|v| v.product_id == product.id);
    let Some(variant) = variant else {
        return Some(v3_error(
            StatusCode::NOT_FOUND,
            "The requested variant was not found.",
        ));
    };
    let mid = match mid.map(str::parse::<i64>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            return Some(v3_error(
                StatusCode::NOT_FOUND,
                "The requested metafield was not found.",
            ))
        }
    };
    let mut rows = meta.rows.lock().unwrap_or_else(|e| e.into_inner());
    let mine = |x: &BcMetafield| x.variant_id == variant.id;
    let one = |data: Value| Json(json!({"data": data, "meta": {}})).into_response();
    let parsed = || -> Result<Value, Response> {
        serde_json::from_slice(body).map_err(|e| {
            v3_error(
                StatusCode::BAD_REQUEST,
                &format!("The request body is not valid JSON: {e}"),
            )
        })
    };
    Some(match (method.as_str(), mid) {
        ("GET", None) => {
            let ns = super::param(q, "namespace");
            let all: Vec<Value> = rows
                .iter()
                .filter(|x| mine(x) && ns.is_none_or(|n| x.namespace == n))
                .map(BcMetafield::json)
                .collect();
            let n = all.len();
            Json(
                json!({"data": all, "meta": {"pagination": {"total": n, "count": n,
                "per_page": 250, "current_page": 1, "total_pages": 1,
                "links": {"current": "?page=1&limit=250"}}}}),
            )
            .into_response()
        }
        ("GET", Some(id)) => match rows.iter().find(|x| mine(x) && x.id == id) {
            Some(x) => one(x.json()),
            None => v3_error(
                StatusCode::NOT_FOUND,
                "The requested metafield was not found.",
            ),
        },
        ("POST", None) => {
            let body = match parsed().and_then(|b| validate(&b, false)) {
                Ok(b) => b,
                Err(r) => return Some(r),
            };
            let ns = text_of(&body, "namespace").unwrap_or_default();
            let key = text_of(&body, "key").unwrap_or_default();
            if rows
                .iter()
                .any(|x| mine(x) && x.namespace == ns && x.key == key)
            {
                return Some(
                    (
                        StatusCode::CONFLICT,
                        Json(json!({"status": 409, "title": format!(
                            "A metafield with the namespace {ns:?} and key {key:?} already exists on this variant."),
                            "type": STATUS_TYPE, "errors": {}})),
                    )
                        .into_response(),
                );
            }
            let now = now_iso();
            let x = BcMetafield {
                id: meta.next.fetch_add(1, Ordering::SeqCst) as i64 + 1,
                product_id: product.id,
                variant_id: variant.id,
                permission_set: text_of(&body, "permission_set").unwrap_or_default(),
                namespace: ns,
                key,
                value: text_of(&body, "value").unwrap_or_default(),
                description: text_of(&body, "description").unwrap_or_default(),
                date_created: now.clone(),
                date_modified: now,
            };
            rows.push(x.clone());
            meta.writes.fetch_add(1, Ordering::SeqCst);
            one(x.json())
        }
        ("PUT", Some(id)) => {
            let body = match parsed().and_then(|b| validate(&b, true)) {
                Ok(b) => b,
                Err(r) => return Some(r),
            };
            let Some(i) = rows.iter().position(|x| mine(x) && x.id == id) else {
                return Some(v3_error(
                    StatusCode::NOT_FOUND,
                    "The requested metafield was not found.",
                ));
            };
            let ns = text_of(&body, "namespace").unwrap_or_else(|| rows[i].namespace.clone());
            let key = text_of(&body, "key").unwrap_or_else(|| rows[i].key.clone());
            if rows
                .iter()
                .any(|x| mine(x) && x.id != id && x.namespace == ns && x.key == key)
            {
                return Some(v3_error(
                    StatusCode::CONFLICT,
                    "Another metafield on this variant has this namespace and key.",
                ));
            }
            let x = &mut rows[i];
            x.namespace = ns;
            x.key = key;
            if let Some(v) = text_of(&body, "value") {
                x.value = v;
            }
            if let Some(p) = text_of(&body, "permission_set") {
                x.permission_set = p;
            }
            if let Some(d) = text_of(&body, "description") {
                x.description = d;
            }
            x.date_modified = now_iso();
            let out = x.json();
            meta.writes.fetch_add(1, Ordering::SeqCst);
            one(out)
        }
        _ => v3_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "The requested method is not allowed on this resource.",
        ),
    })
}
