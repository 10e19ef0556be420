//! The Adobe Commerce (Magento 2) REST simulator: products, orders, MSI sources and source
//! items with `searchCriteria`, OAuth 1.0a integration signatures or admin bearer tokens.

// Helpers return ready HTTP error responses; boxing them buys nothing on this path.
#![allow(clippy::result_large_err)]

use crate::config::{AdobeConfig, PastEnd};
use crate::data::{self, Merchant, Order};
use crate::faults::{self, FaultLayerState, Faults};
use crate::oauth1;
use crate::shopify::gql::money;
use crate::Platform;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Adobe {
    cfg: AdobeConfig,
    m: Arc<Merchant>,
    faults: Faults,
    nonces: Mutex<HashSet<(String, String)>>,
    admin_tokens: Mutex<HashMap<String, Instant>>,
    counter: AtomicU64,
}

pub(crate) fn router(cfg: AdobeConfig, m: Arc<Merchant>, faults: Faults) -> Router {
    let st = Arc::new(Adobe {
        cfg,
        m,
        faults: faults.clone(),
        nonces: Mutex::new(HashSet::new()),
        admin_tokens: Mutex::new(HashMap::new()),
        counter: AtomicU64::new(1),
    });
    Router::new()
        .route("/rest/{*rest}", any(handle))
        .layer(axum::middleware::from_fn_with_state(
            FaultLayerState {
                faults,
                platform: Platform::Adobe,
                bucket: (0.0, 0.0),
            },
            faults::apply,
        ))
        .with_state(st)
}

fn error(status: StatusCode, message: &str, parameters: Value) -> Response {
    let mut m = Map::new();
    m.insert("message".into(), json!(message));
    if !parameters.is_null() {
        m.insert("parameters".into(), parameters);
    }
    (status, Json(Value::Object(m))).into_response()
}

fn unauthorized(resource: &str) -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "The consumer isn't authorized to access %resources.",
        json!({"resources": resource}),
    )
}

fn ts(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

async fn handle(
    State(st): State<Arc<Adobe>>,
    Path(rest): Path<String>,
    method: Method,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // `/rest/V1/…` or `/rest/{store_code}/V1/…`.
    let path = match rest.split_once('/') {
        Some(("V1", p)) => p.to_string(),
        Some((_, p)) => match p.strip_prefix("V1/") {
            Some(p) => p.to_string(),
            None => {
                return error(
                    StatusCode::NOT_FOUND,
                    "Request does not match any route.",
                    Value::Null,
                )
            }
        },
        None => {
            return error(
                StatusCode::NOT_FOUND,
                "Request does not match any route.",
                Value::Null,
            )
        }
    };
    if method == Method::POST && path == "integration/admin/token" {
        return admin_token(&st, &body);
    }
    if method != Method::GET {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request does not match any route.",
            Value::Null,
        );
    }
    let resource = match path.as_str() {
        "products" => "Magento_Catalog::products",
        "products/attributes/manufacturer/options" => "Magento_Catalog::attributes_attributes",
        "orders" => "Magento_Sales::actions_view",
        "shipments" => "Magento_Sales::shipment",
        _ => "Magento_InventoryApi::source",
    };
    let auth = headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if let Some(tok) = auth.strip_prefix("Bearer ") {
        let tok = tok.trim();
        let admin_ok = st
            .admin_tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(tok)
            .is_some_and(|exp| *exp > Instant::now());
        let integration_ok = st.cfg.allow_bearer && tok == st.cfg.access_token;
        if !(admin_ok || integration_ok) || st.faults.is_revoked(tok) {
            return unauthorized(resource);
        }
    } else if auth.starts_with("OAuth ") {
        if st.faults.is_revoked(&st.cfg.access_token) || st.faults.is_revoked(&st.cfg.consumer_key)
        {
            return unauthorized(resource);
        }
        let exp = oauth1::Expected {
            consumer_key: &st.cfg.consumer_key,
            consumer_secret: &st.cfg.consumer_secret,
            token: &st.cfg.access_token,
            token_secret: &st.cfg.access_token_secret,
            realm: None,
            tolerance_secs: st.cfg.timestamp_tolerance_secs,
        };
        let host = headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        let full_path = format!("/rest/{rest}");
        let now = chrono::Utc::now().timestamp();
        if oauth1::verify(
            &exp,
            &st.nonces,
            "GET",
            host,
            &full_path,
            raw.as_deref(),
            auth,
            now,
        )
        .is_err()
        {
            return unauthorized(resource);
        }
    } else {
        return unauthorized(resource);
    }
    let q: Vec<(String, String)> = raw
        .map(|r| form_urlencoded::parse(r.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let st2 = st.clone();
    match tokio::task::spawn_blocking(move || route(&st2, &path, &q)).await {
        Ok(r) => r,
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Internal error: {e}"),
            Value::Null,
        ),
    }
}

fn admin_token(st: &Adobe, body: &Bytes) -> Response {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let (u, p) = (
        v.get("username").and_then(Value::as_str),
        v.get("password").and_then(Value::as_str),
    );
    match (u, p) {
        (Some(u), Some(p)) if u == st.cfg.admin_username && p == st.cfg.admin_password => {
            let n = st.counter.fetch_add(1, Ordering::SeqCst);
            let tok: String = Sha256::digest(format!("{u}:{n}:{}", st.cfg.consumer_secret).as_bytes())
                .iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect();
            st.admin_tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(tok.clone(), Instant::now() + Duration::from_secs(4 * 3600));
            Json(json!(tok)).into_response()
        }
        (Some(_), Some(_)) => error(
            StatusCode::UNAUTHORIZED,
            "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later.",
            Value::Null,
        ),
        _ => error(StatusCode::BAD_REQUEST, "\"%fieldName\" is required. Enter and try again.", json!({"fieldName": "username"})),
    }
}

#[derive(Debug, Clone)]
struct Filter {
    field: String,
    value: String,
    cond: String,
}

#[derive(Debug, Default)]
struct Criteria {
    groups: BTreeMap<usize, BTreeMap<usize, Filter>>,
    sort: BTreeMap<usize, (String, bool)>,
    page_size: Option<usize>,
    current_page: usize,
}

/// Parse `searchCriteria[...]` parameters; `Err` is the 400 answer.
fn criteria(q: &[(String, String)]) -> Result<Criteria, Response> {
    if !q.iter().any(|(k, _)| k.starts_with("searchCriteria")) {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "%fieldName is a required field.",
            json!({"fieldName": "searchCriteria"}),
        ));
    }
    let mut c = Criteria {
        current_page: 1,
        ..Criteria::default()
    };
    let mut raw_filters: BTreeMap<(usize, usize), HashMap<String, String>> = BTreeMap::new();
    let mut raw_sort: BTreeMap<usize, HashMap<String, String>> = BTreeMap::new();
    let bad = |k: &str| {
        error(
            StatusCode::BAD_REQUEST,
            "Invalid search criteria parameter %1.",
            json!([k]),
        )
    };
    for (k, v) in q {
        let Some(rest) = k.strip_prefix("searchCriteria") else {
            continue;
        };
        let parts: Vec<&str> = rest
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split("][")
            .collect();
        match parts.as_slice() {
            [""] => {}
            ["pageSize"] => c.page_size = Some(v.parse().map_err(|_| bad(k))?),
            ["currentPage"] => c.current_page = v.parse().map_err(|_| bad(k))?,
            ["filter_groups" | "filterGroups", g, "filters", f, key] => {
                let g: usize = g.parse().map_err(|_| bad(k))?;
                let f: usize = f.parse().map_err(|_| bad(k))?;
                raw_filters
                    .entry((g, f))
                    .or_default()
                    .insert(key.to_string(), v.clone());
            }
            ["sortOrders" | "sort_orders", i, key] => {
                let i: usize = i.parse().map_err(|_| bad(k))?;
                raw_sort
                    .entry(i)
                    .or_default()
                    .insert(key.to_string(), v.clone());
            }
            _ => return Err(bad(k)),
        }
    }
    if c.page_size == Some(0) || c.current_page == 0 {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "pageSize and currentPage must be positive.",
            Value::Null,
        ));
    }
    for ((g, f), m) in raw_filters {
        let field = m.get("field").cloned().ok_or_else(|| bad("field"))?;
        let cond = m
            .get("condition_type")
            .or_else(|| m.get("conditionType"))
            .cloned()
            .unwrap_or_else(|| "eq".into());
        if !matches!(
            cond.as_str(),
            "eq" | "neq"
                | "gt"
                | "gteq"
                | "lt"
                | "lteq"
                | "in"
                | "nin"
                | "like"
                | "nlike"
                | "from"
                | "to"
                | "null"
                | "notnull"
                | "moreq"
        ) {
            return Err(error(
                StatusCode::BAD_REQUEST,
                "Invalid condition type %1.",
                json!([cond]),
            ));
        }
        c.groups.entry(g).or_default().insert(
            f,
            Filter {
                field,
                value: m.get("value").cloned().unwrap_or_default(),
                cond,
            },
        );
    }
    for (i, m) in raw_sort {
        let field = m.get("field").cloned().ok_or_else(|| bad("field"))?;
        let desc = m
            .get("direction")
            .is_some_and(|d| d.eq_ignore_ascii_case("DESC"));
        c.sort.insert(i, (field, desc));
    }
    Ok(c)
}

fn cmp_values(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.cmp(b),
    }
}

fn as_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn matches(f: &Filter, v: Option<String>) -> bool {
    use std::cmp::Ordering::*;
    let list = || {
        f.value
            .split(',')
            .map(str::trim)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    match (f.cond.as_str(), v) {
        ("null", v) => v.is_none(),
        ("notnull", v) => v.is_some(),
        (_, None) => false,
        ("eq", Some(v)) => cmp_values(&v, &f.value) == Equal,
        ("neq", Some(v)) => cmp_values(&v, &f.value) != Equal,
        ("gt", Some(v)) => cmp_values(&v, &f.value) == Greater,
        ("gteq" | "from" | "moreq", Some(v)) => cmp_values(&v, &f.value) != Less,
        ("lt", Some(v)) => cmp_values(&v, &f.value) == Less,
        ("lteq" | "to", Some(v)) => cmp_values(&v, &f.value) != Greater,
        ("in", Some(v)) => list().contains(&v),
        ("nin", Some(v)) => !list().contains(&v),
        ("like", Some(v)) => like(&v, &f.value),
        ("nlike", Some(v)) => !like(&v, &f.value),
        _ => false,
    }
}

fn like(v: &str, pat: &str) -> bool {
    let v = v.to_lowercase();
    let parts: Vec<String> = pat.to_lowercase().split('%').map(String::from).collect();
    let mut pos = 0;
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        match v[pos..].find(p.as_str()) {
            Some(at) if i > 0 || at == 0 => pos += at + p.len(),
            _ => return false,
        }
    }
    parts
        .last()
        .is_none_or(|l| l.is_empty() || v.ends_with(l.as_str()))
}

fn criteria_echo(c: &Criteria) -> Value {
    let groups: Vec<Value> = c
        .groups
        .values()
        .map(|g| json!({"filters": g.values().map(|f| json!({"field": f.field, "value": f.value, "condition_type": f.cond})).collect::<Vec<_>>()}))
        .collect();
    let mut m = json!({"filter_groups": groups, "current_page": c.current_page});
    if !c.sort.is_empty() {
        m["sort_orders"] = json!(c
            .sort
            .values()
            .map(|(f, d)| json!({"field": f, "direction": if *d { "DESC" } else { "ASC" }}))
            .collect::<Vec<_>>());
    }
    m
}

/// The page window over `total` rows; `Err` is the past-the-end answer, `Ok(None)` means
/// an empty page.
fn window(
    cfg: &AdobeConfig,
    c: &Criteria,
    total: usize,
) -> Result<Option<(usize, usize)>, Response> {
    let Some(size) = c.page_size else {
        return Ok(Some((0, total)));
    };
    let pages = total.div_ceil(size);
    if c.current_page > pages.max(1) {
        return match cfg.past_end {
            PastEnd::Error => Err(error(
                StatusCode::BAD_REQUEST,
                "currentPage value %1 specified is greater than the %2 page(s) available.",
                json!([c.current_page, pages]),
            )),
            PastEnd::RepeatLastPage if pages > 0 => Ok(Some(((pages - 1) * size, size))),
            _ => Ok(None),
        };
    }
    Ok(Some(((c.current_page - 1) * size, size)))
}

fn list_response(items: Vec<Value>, c: &Criteria, total: usize) -> Response {
    Json(json!({"items": items, "search_criteria": criteria_echo(c), "total_count": total}))
        .into_response()
}

/// Filter (groups ANDed, filters in a group ORed), sort and page rows held as JSON.
fn search(st: &Adobe, rows: Vec<Value>, c: &Criteria) -> Response {
    let mut rows: Vec<Value> = rows
        .into_iter()
        .filter(|r| {
            c.groups
                .values()
                .all(|g| g.values().any(|f| matches(f, as_text(r.get(&f.field)))))
        })
        .collect();
    if !c.sort.is_empty() {
        rows.sort_by(|a, b| {
            for (f, desc) in c.sort.values() {
                let o = cmp_values(
                    &as_text(a.get(f)).unwrap_or_default(),
                    &as_text(b.get(f)).unwrap_or_default(),
                );
                let o = if *desc { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let total = rows.len();
    match window(&st.cfg, c, total) {
        Err(r) => r,
        Ok(None) => list_response(Vec::new(), c, total),
        Ok(Some((skip, take))) => {
            list_response(rows.into_iter().skip(skip).take(take).collect(), c, total)
        }
    }
}

/// The `manufacturer` attribute's options: one per product vendor in name order, with ids
/// that are not row numbers (from 4), as option ids of a real store are not.
fn manufacturers(cat: &data::Catalog) -> Vec<(i64, &str)> {
    let mut names: Vec<&str> = cat
        .products
        .iter()
        .map(|p| p.vendor.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    (4..).zip(names).collect()
}

fn route(st: &Adobe, path: &str, q: &[(String, String)]) -> Response {
    let cat = st.m.catalog();
    let cat = &*cat;
    let options = manufacturers(cat);
    // GET /V1/products/attributes/{attributeCode}/options: `[{label, value}]`, the first the
    // empty choice (Adobe Commerce REST, catalogProductAttributeOptionManagementV1); no
    // searchCriteria.
    if path == "products/attributes/manufacturer/options" {
        let mut all = vec![json!({"label": " ", "value": ""})];
        all.extend(
            options
                .iter()
                .map(|(id, label)| json!({"label": label, "value": id.to_string()})),
        );
        return Json(Value::Array(all)).into_response();
    }
    let c = match criteria(q) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match path {
        "products" => {
            let rows = cat
                .variants
                .iter()
                .map(|v| {
                    let p = cat.product(v.product_id);
                    // `manufacturer` is a select attribute: the product holds the option's id
                    // (unset: no attribute at all), the label is in the attribute's options.
                    let mut attrs: Vec<Value> = p
                        .and_then(|p| options.iter().find(|(_, l)| *l == p.vendor))
                        .map(|(id, _)| json!({"attribute_code": "manufacturer", "value": id.to_string()}))
                        .into_iter()
                        .collect();
                    if let Some(cost) = v.cost {
                        attrs.push(json!({"attribute_code": "cost", "value": money(cost)}));
                    }
                    json!({"id": v.id, "sku": v.sku,
                        "name": format!("{} {}", p.map(|p| p.title.as_str()).unwrap_or(""), v.title).trim().to_string(),
                        "attribute_set_id": 4, "price": v.price,
                        "status": if v.status == "active" && p.is_some_and(|p| p.status == "active") { 1 } else { 2 },
                        "visibility": 4, "type_id": "simple",
                        "created_at": ts(v.created_at), "updated_at": ts(v.updated_at),
                        "extension_attributes": {"website_ids": [1]}, "custom_attributes": attrs})
                })
                .collect();
            search(st, rows, &c)
        }
        "inventory/sources" => {
            let rows = cat
                .locations
                .iter()
                .map(|l| json!({"source_code": l.code, "name": l.name, "enabled": l.active, "country_id": "US", "postcode": "00000"}))
                .collect();
            search(st, rows, &c)
        }
        "inventory/source-items" => {
            let mut rows = Vec::new();
            for v in &cat.variants {
                for l in cat.levels(v.id) {
                    if let Some(loc) = cat.location(l.location_id) {
                        rows.push(json!({"sku": v.sku, "source_code": loc.code, "quantity": l.on_hand, "status": i32::from(l.on_hand > 0)}));
                    }
                }
            }
            search(st, rows, &c)
        }
        "orders" => orders(st, &c),
        "shipments" => shipments(st, &c),
        _ => error(
            StatusCode::NOT_FOUND,
            "Request does not match any route.",
            Value::Null,
        ),
    }
}

fn order_json(st: &Adobe, o: &Order) -> Value {
    let refunded_total: i64 = o
        .refunds
        .iter()
        .flat_map(|r| &r.lines)
        .map(|l| l.quantity)
        .sum();
    let (state, status) = if o.cancelled_at.is_some() {
        ("canceled", "canceled")
    } else if !shipped(o) {
        ("processing", "processing")
    } else if refunded_total > 0 {
        ("closed", "closed")
    } else {
        ("complete", "complete")
    };
    let items: Vec<Value> = o
        .lines
        .iter()
        .map(|l| {
            let cost = l.variant_id.and_then(|v| st.m.catalog().variant(v).and_then(|v| v.cost));
            json!({"item_id": l.id, "order_id": o.id, "sku": l.sku, "product_id": l.variant_id,
                "product_type": "simple", "parent_item_id": null, "qty_ordered": l.quantity,
                "qty_canceled": l.cancelled_qty, "qty_refunded": o.refunded_qty(l.id),
                "qty_shipped": if shipped(o) { l.quantity - l.cancelled_qty } else { 0 }, "qty_invoiced": l.quantity - l.cancelled_qty,
                "price": l.unit_price, "discount_amount": l.discount, "base_cost": cost,
                "created_at": ts(o.created_at), "updated_at": ts(o.updated_at)})
        })
        .collect();
    json!({"entity_id": o.id, "increment_id": o.name.trim_start_matches('#'), "state": state, "status": status,
        "created_at": ts(o.created_at), "updated_at": ts(o.updated_at), "store_id": 1,
        "order_currency_code": o.currency, "base_currency_code": o.currency,
        "total_qty_ordered": o.lines.iter().map(|l| l.quantity).sum::<i64>(), "items": items})
}

/// Whether an order has shipped: all but cancelled orders and every tenth order (still
/// processing, as the Shopify simulator leaves every tenth fulfillment order open).
fn shipped(o: &Order) -> bool {
    o.cancelled_at.is_none() && o.id % 10 != 0
}

/// A shipped order's shipments, one per source it shipped from (Adobe Commerce MSI: a
/// shipment deducts from one source, named by `extension_attributes.source_code`;
/// Magento_InventoryShipping): the order's own location ships what the merchant database
/// holds there, each other location the parts of lines fulfilled there. An order the
/// merchant database places nowhere ships from the `default` source.
fn shipments_of(cat: &data::Catalog, o: &Order) -> Vec<Value> {
    if !shipped(o) {
        return Vec::new();
    }
    let home = o
        .location_id
        .and_then(|id| cat.location(id))
        .map_or("default", |l| l.code.as_str());
    let mut by: Vec<(String, Vec<Value>)> = vec![(home.to_string(), Vec::new())];
    for l in &o.lines {
        let mut put = |src: &str, q: i64, k: usize| {
            if q <= 0 {
                return;
            }
            let item = json!({"entity_id": l.id * 100 + k as i64, "order_item_id": l.id,
                "product_id": l.variant_id, "sku": l.sku, "qty": q, "price": l.unit_price,
                "name": l.sku});
            match by.iter_mut().find(|(x, _)| *x == src) {
                Some((_, v)) => v.push(item),
                None => by.push((src.to_string(), vec![item])),
            }
        };
        put(home, l.home_qty() - l.cancelled_qty, 0);
        for (k, &(loc, q)) in l.elsewhere.iter().enumerate() {
            if let Some(x) = cat.location(loc) {
                put(&x.code, q, k + 1);
            }
        }
    }
    by.into_iter()
        .enumerate()
        .filter(|(_, (_, items))| !items.is_empty())
        .map(|(k, (src, mut items))| {
            let id = o.id * 100 + k as i64;
            // A shipment item names its shipment as `parent_id` (salesShipmentItemInterface).
            for i in &mut items {
                i["parent_id"] = json!(id);
            }
            json!({"entity_id": id, "increment_id": format!("{}-{k}", o.name.trim_start_matches('#')),
                "order_id": o.id, "store_id": 1, "created_at": ts(o.updated_at), "updated_at": ts(o.updated_at),
                "total_qty": items.iter().filter_map(|i| i["qty"].as_i64()).sum::<i64>(),
                "items": items, "tracks": [], "comments": [], "packages": [],
                "extension_attributes": {"source_code": src}})
        })
        .collect()
}

/// Ids of the merchant's orders the simulator serves no shipment for (not shipped yet,
/// cancelled, or nothing left to ship): the orders Adobe Commerce cannot place at a source.
/// Ground truth compares them per SKU and day only (`truth::adobe_unshipped_orders`).
pub(crate) fn unshipped_orders(m: &Merchant) -> crate::Result<std::collections::BTreeSet<i64>> {
    let cat = m.catalog();
    let ids: Vec<i64> = m.orders.by_id.iter().map(|k| k.id).collect();
    let mut out = std::collections::BTreeSet::new();
    for chunk in ids.chunks(2_000) {
        for o in m.fetch_orders(chunk)? {
            if shipments_of(&cat, &o).is_empty() {
                out.insert(o.id);
            }
        }
    }
    Ok(out)
}

/// `GET /V1/shipments`: shipments of the orders named by an `order_id` filter (`eq` or
/// `in`), searchCriteria paging and sorting as every list. A filter on another field, or no
/// `order_id` filter, is refused (the simulator does not scan every shipment).
fn shipments(st: &Adobe, c: &Criteria) -> Response {
    let mut ids: Option<Vec<i64>> = None;
    for g in c.groups.values() {
        for f in g.values() {
            let ok = f.field == "order_id" && matches!(f.cond.as_str(), "eq" | "in");
            let vals: Option<Vec<i64>> =
                f.value.split(',').map(|v| v.trim().parse().ok()).collect();
            match (ok, vals) {
                (true, Some(v)) => ids.get_or_insert_with(Vec::new).extend(v),
                (true, None) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "Invalid value %1 for field %2.",
                        json!([f.value, f.field]),
                    )
                }
                (false, _) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        "The simulator filters shipments on order_id (eq or in) only, not %1 %2.",
                        json!([f.field, f.cond]),
                    )
                }
            }
        }
    }
    let Some(mut ids) = ids else {
        return error(
            StatusCode::BAD_REQUEST,
            "The simulator lists shipments of given orders only: filter on order_id.",
            Value::Null,
        );
    };
    ids.sort_unstable();
    ids.dedup();
    ids.retain(|id| st.m.orders.contains(*id).is_some());
    let cat = st.m.catalog();
    match st.m.fetch_orders(&ids) {
        Ok(os) => search(
            st,
            os.iter().flat_map(|o| shipments_of(&cat, o)).collect(),
            c,
        ),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Internal error: {e}"),
            Value::Null,
        ),
    }
}

/// Orders are filtered and sorted on the in-memory index (`entity_id`, `created_at`,
/// `updated_at`); only the requested page is read from the database.
fn orders(st: &Adobe, c: &Criteria) -> Response {
    let idx = &st.m.orders;
    for g in c.groups.values() {
        for f in g.values() {
            if !matches!(f.field.as_str(), "entity_id" | "created_at" | "updated_at") {
                return error(
                    StatusCode::BAD_REQUEST,
                    "The simulator filters orders on entity_id, created_at and updated_at only, not %1.",
                    json!([f.field]),
                );
            }
        }
    }
    let by_updated =
        match c.sort.values().next() {
            None => false,
            Some((f, false)) if f == "entity_id" => false,
            Some((f, false)) if f == "updated_at" => true,
            Some((f, d)) => return error(
                StatusCode::BAD_REQUEST,
                "The simulator sorts orders by entity_id ASC or updated_at ASC only, not %1 %2.",
                json!([f, if *d { "DESC" } else { "ASC" }]),
            ),
        };
    let sort = if by_updated {
        data::OrderSort::Updated
    } else {
        data::OrderSort::Id
    };
    // Compare on numbers: the filter values are parsed once, not every order formatted.
    let mut preds: Vec<Vec<(String, String, Vec<i64>)>> = Vec::new();
    for g in c.groups.values() {
        let mut group = Vec::new();
        for f in g.values() {
            let parse = |v: &str| -> Option<i64> {
                if f.field == "entity_id" {
                    v.trim().parse().ok()
                } else {
                    NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%d %H:%M:%S")
                        .or_else(|_| {
                            chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                                .map(|d| d.and_time(chrono::NaiveTime::MIN))
                        })
                        .ok()
                        .map(data::epoch)
                }
            };
            let vals: Option<Vec<i64>> = if matches!(f.cond.as_str(), "in" | "nin") {
                f.value.split(',').map(parse).collect()
            } else if matches!(f.cond.as_str(), "null" | "notnull") {
                Some(Vec::new())
            } else {
                parse(&f.value).map(|v| vec![v])
            };
            let Some(vals) = vals else {
                return error(
                    StatusCode::BAD_REQUEST,
                    "Invalid value %1 for field %2.",
                    json!([f.value, f.field]),
                );
            };
            group.push((f.field.clone(), f.cond.clone(), vals));
        }
        preds.push(group);
    }
    let num_match = |cond: &str, x: i64, vals: &[i64]| -> bool {
        let v = vals.first().copied().unwrap_or(0);
        match cond {
            "eq" | "like" => x == v,
            "neq" | "nlike" => x != v,
            "gt" => x > v,
            "gteq" | "from" | "moreq" => x >= v,
            "lt" => x < v,
            "lteq" | "to" => x <= v,
            "in" => vals.contains(&x),
            "nin" => !vals.contains(&x),
            "notnull" => true,
            _ => false,
        }
    };
    let hits: Vec<i64> = idx
        .iter_from(sort, 0)
        .filter(|k| {
            preds.iter().all(|g| {
                g.iter().any(|(field, cond, vals)| {
                    let x = match field.as_str() {
                        "entity_id" => k.id,
                        "created_at" => k.created,
                        _ => k.updated,
                    };
                    num_match(cond, x, vals)
                })
            })
        })
        .map(|k| k.id)
        .collect();
    let total = hits.len();
    let (skip, take) = match window(&st.cfg, c, total) {
        Err(r) => return r,
        Ok(None) => return list_response(Vec::new(), c, total),
        Ok(Some(w)) => w,
    };
    let page: Vec<i64> = hits.into_iter().skip(skip).take(take).collect();
    match st.m.fetch_orders(&page) {
        Ok(os) => list_response(os.iter().map(|o| order_json(st, o)).collect(), c, total),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Internal error: {e}"),
            Value::Null,
        ),
    }
}
