//! The BigCommerce simulator: v3 catalog and inventory (multi-location), v2 orders, v3
//! refunds, `X-Auth-Token`, and the per-store request quota with `X-Rate-Limit-*` headers.

// Helpers return ready HTTP error responses; boxing them buys nothing on this path.
#![allow(clippy::result_large_err)]

use crate::config::BigCommerceConfig;
use crate::data::{self, Merchant, Order, Variant};
use crate::faults::{self, FaultLayerState, Faults};
use crate::shopify::gql::money;
use crate::Platform;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[path = "bigcommerce_metafields.rs"]
pub mod metafields;

struct Bc {
    cfg: BigCommerceConfig,
    m: Arc<Merchant>,
    faults: Faults,
    window: Mutex<(Instant, u32)>,
    /// Variant metafields written through the API (the write-back's target).
    meta: Arc<metafields::BcMetafields>,
}

type Q = Vec<(String, String)>;

pub(crate) fn router(
    cfg: BigCommerceConfig,
    m: Arc<Merchant>,
    faults: Faults,
    meta: Arc<metafields::BcMetafields>,
) -> Router {
    let st = Arc::new(Bc {
        cfg,
        m,
        faults: faults.clone(),
        window: Mutex::new((Instant::now(), 0)),
        meta,
    });
    Router::new()
        .route("/stores/{hash}/{*rest}", any(handle))
        .layer(axum::middleware::from_fn_with_state(
            FaultLayerState {
                faults,
                platform: Platform::BigCommerce,
                bucket: (0.0, 0.0),
            },
            faults::apply,
        ))
        .with_state(st)
}

const STATUS_TYPE: &str =
    "https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes";

fn v3_error(status: StatusCode, title: &str) -> Response {
    (
        status,
        Json(json!({"status": status.as_u16(), "title": title, "type": STATUS_TYPE, "errors": {}})),
    )
        .into_response()
}

fn v2_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!([{"status": status.as_u16(), "message": message}])),
    )
        .into_response()
}

fn rfc2822(t: NaiveDateTime) -> String {
    t.and_utc()
        .format("%a, %d %b %Y %H:%M:%S +0000")
        .to_string()
}

fn iso(t: NaiveDateTime) -> String {
    t.and_utc().format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// RFC-2822, ISO-8601 with or without offset, or a bare date (the current time appended,
/// as BigCommerce does for `date_modified:min` without a time).
fn parse_date(s: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.naive_utc());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(t);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_time(now.time()))
}

async fn handle(
    State(st): State<Arc<Bc>>,
    Path((hash, rest)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let v2 = rest.starts_with("v2/");
    if hash != st.cfg.store_hash {
        return v3_error(StatusCode::NOT_FOUND, "Store not found");
    }
    let token = headers
        .get("x-auth-token")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if token != st.cfg.access_token || st.faults.is_revoked(token) {
        return if v2 {
            v2_error(
                StatusCode::UNAUTHORIZED,
                "You are not authorized to access this resource. Check your X-Auth-Token.",
            )
        } else {
            v3_error(
                StatusCode::UNAUTHORIZED,
                "You are not authorized to access this resource. Check your X-Auth-Token.",
            )
        };
    }
    // Fixed window per store.
    let window_ms = st.cfg.window.as_millis() as u64;
    let (left, reset_ms, over) = {
        let mut w = st.window.lock().unwrap_or_else(|e| e.into_inner());
        if w.0.elapsed() >= st.cfg.window {
            *w = (Instant::now(), 0);
        }
        let reset = window_ms.saturating_sub(w.0.elapsed().as_millis() as u64);
        if w.1 >= st.cfg.quota {
            (0, reset, true)
        } else {
            w.1 += 1;
            (st.cfg.quota - w.1, reset, false)
        }
    };
    let mut resp = if over {
        let mut r = v3_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests");
        let secs = reset_ms.div_ceil(1000).max(1);
        r.headers_mut()
            .insert("x-retry-after", HeaderValue::from(secs));
        r
    } else {
        let q: Q = raw
            .map(|r| form_urlencoded::parse(r.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let st2 = st.clone();
        let answer = move || {
            let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
            match metafields::route(&st2.m, &st2.meta, &st2.cfg, &method, &parts, &q, &body) {
                Some(r) => r,
                None if method == Method::GET => route(&st2, &rest, &q),
                None => v3_error(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "The requested method is not allowed on this resource.",
                ),
            }
        };
        match tokio::task::spawn_blocking(answer).await {
            Ok(r) => r,
            Err(e) => v3_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("internal error: {e}"),
            ),
        }
    };
    let h = resp.headers_mut();
    h.insert("x-rate-limit-time-window-ms", HeaderValue::from(window_ms));
    h.insert("x-rate-limit-time-reset-ms", HeaderValue::from(reset_ms));
    h.insert(
        "x-rate-limit-requests-quota",
        HeaderValue::from(st.cfg.quota),
    );
    h.insert("x-rate-limit-requests-left", HeaderValue::from(left));
    resp
}

fn param<'q>(q: &'q Q, k: &str) -> Option<&'q str> {
    q.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

fn ids(q: &Q, k: &str) -> Option<Vec<i64>> {
    param(q, k).map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
}

fn strs(q: &Q, k: &str) -> Option<Vec<String>> {
    param(q, k).map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
}

/// `page` (1-based) and `limit` with the default and maximum; `Err` is the 413/400 answer.
fn paging(q: &Q, default: usize, max: usize, v2: bool) -> Result<(usize, usize), Response> {
    let bad = |s: StatusCode, m: &str| if v2 { v2_error(s, m) } else { v3_error(s, m) };
    let page = match param(q, "page").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(p)) if p >= 1 => p,
        _ => {
            return Err(bad(
                StatusCode::BAD_REQUEST,
                "The field 'page' is invalid: it must be an integer of at least 1.",
            ))
        }
    };
    let limit = match param(q, "limit").map(str::parse::<usize>) {
        None => default,
        Some(Ok(l)) if l > max => {
            return Err(bad(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("The limit {l} exceeds the maximum of {max}."),
            ))
        }
        Some(Ok(l)) if l >= 1 => l,
        _ => {
            return Err(bad(
                StatusCode::BAD_REQUEST,
                "The field 'limit' is invalid: it must be a positive integer.",
            ))
        }
    };
    Ok((page, limit))
}

fn v3_page(all: Vec<Value>, page: usize, limit: usize, q: &Q) -> Response {
    let total = all.len();
    let total_pages = total.div_ceil(limit);
    let data: Vec<Value> = all
        .into_iter()
        .skip((page - 1) * limit)
        .take(limit)
        .collect();
    let extra: String = q
        .iter()
        .filter(|(k, _)| k != "page" && k != "limit")
        .map(|(k, v)| format!("&{k}={v}"))
        .collect();
    let link = |p: usize| format!("?page={p}&limit={limit}{extra}");
    let mut links = json!({"current": link(page)});
    if page > 1 {
        links["previous"] = json!(link(page - 1));
    }
    if page < total_pages {
        links["next"] = json!(link(page + 1));
    }
    Json(json!({"data": data, "meta": {"pagination": {"total": total, "count": data.len(), "per_page": limit,
        "current_page": page, "total_pages": total_pages, "links": links}}}))
    .into_response()
}

fn available_at(m: &Merchant, v: &Variant, loc: i64) -> i64 {
    m.catalog()
        .levels(v.id)
        .iter()
        .find(|l| l.location_id == loc)
        .map_or(0, |l| l.available())
}

fn default_location(m: &Merchant) -> i64 {
    m.catalog().locations.first().map_or(0, |l| l.id)
}

fn variant_json(m: &Merchant, v: &Variant) -> Value {
    json!({"id": v.id, "product_id": v.product_id, "sku": v.sku, "sku_id": v.id, "price": v.price,
        "cost_price": v.cost, "calculated_price": v.price, "sale_price": null,
        "inventory_level": available_at(m, v, default_location(m)),
        "purchasing_disabled": v.status != "active", "upc": v.barcode.clone().unwrap_or_default(),
        "option_values": [{"id": v.id, "label": v.title, "option_id": 1, "option_display_name": "Option"}]})
}

/// The store's brands: one per product vendor, numbered from 1 in name order.
fn brands(cat: &data::Catalog) -> Vec<(i64, &str)> {
    let mut names: Vec<&str> = cat
        .products
        .iter()
        .map(|p| p.vendor.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    (1..).zip(names).collect()
}

fn route(st: &Bc, rest: &str, q: &Q) -> Response {
    let m = &st.m;
    let cat = m.catalog();
    let cat = &*cat;
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let now = cat.now;
    match parts.as_slice() {
        // A product names its brand by `brand_id` (0: none); the names are the store's brands
        // (developer.bigcommerce.com, Catalog › Brands › Get all brands: `id`, `name`, …).
        ["v3", "catalog", "brands"] => {
            let (page, limit) = match paging(q, 50, 250, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let all = brands(cat)
                .into_iter()
                .map(|(id, name)| {
                    json!({"id": id, "name": name, "page_title": "", "meta_keywords": [],
                        "meta_description": "", "image_url": "", "search_keywords": "",
                        "custom_url": {"url": format!("/brands/{id}/"), "is_customized": false}})
                })
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "catalog", "products"] => {
            let (page, limit) = match paging(q, 50, 250, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let id_in = ids(q, "id:in");
            let min = param(q, "date_modified:min").and_then(|s| parse_date(s, now));
            let max = param(q, "date_modified:max").and_then(|s| parse_date(s, now));
            let sku = param(q, "sku");
            let with_variants =
                param(q, "include").is_some_and(|s| s.split(',').any(|x| x == "variants"));
            let brand_ids: HashMap<&str, i64> =
                brands(cat).into_iter().map(|(id, n)| (n, id)).collect();
            let all: Vec<Value> = cat
                .products
                .iter()
                .filter(|p| id_in.as_ref().is_none_or(|ids| ids.contains(&p.id)))
                .filter(|p| min.is_none_or(|t| p.updated_at >= t) && max.is_none_or(|t| p.updated_at <= t))
                .filter(|p| sku.is_none_or(|s| p.variant_ids.iter().filter_map(|v| cat.variant(*v)).any(|v| v.sku == s)))
                .map(|p| {
                    let vs: Vec<&Variant> = p.variant_ids.iter().filter_map(|v| cat.variant(*v)).collect();
                    let mut j = json!({"id": p.id, "name": p.title, "type": "physical",
                        "sku": if vs.len() == 1 { vs[0].sku.clone() } else { String::new() },
                        "price": vs.first().map_or(0.0, |v| v.price), "cost_price": vs.first().and_then(|v| v.cost).unwrap_or(0.0),
                        "inventory_level": vs.iter().map(|v| available_at(m, v, default_location(m))).sum::<i64>(),
                        "inventory_tracking": "variant",
                        "base_variant_id": if vs.len() == 1 { json!(vs[0].id) } else { Value::Null },
                        "brand_id": brand_ids.get(p.vendor.as_str()).copied().unwrap_or(0),
                        "categories": [], "is_visible": p.status == "active",
                        "availability": if p.status == "active" { "available" } else { "disabled" },
                        "date_created": iso(p.created_at), "date_modified": iso(p.updated_at)});
                    if with_variants {
                        j["variants"] = Value::Array(vs.iter().map(|v| variant_json(m, v)).collect());
                    }
                    j
                })
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "catalog", "products", id, "variants"] => {
            let Some(p) = id.parse().ok().and_then(|id| cat.product(id)) else {
                return v3_error(
                    StatusCode::NOT_FOUND,
                    "The requested product was not found.",
                );
            };
            let (page, limit) = match paging(q, 50, 250, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let all = p
                .variant_ids
                .iter()
                .filter_map(|v| cat.variant(*v))
                .map(|v| variant_json(m, v))
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "catalog", "variants"] => {
            let (page, limit) = match paging(q, 50, 250, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let pid_in = ids(q, "product_id:in");
            let sku = param(q, "sku");
            let all = cat
                .variants
                .iter()
                .filter(|v| {
                    pid_in.as_ref().is_none_or(|p| p.contains(&v.product_id))
                        && sku.is_none_or(|s| v.sku == s)
                })
                .map(|v| variant_json(m, v))
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "inventory", "locations"] => {
            let (page, limit) = match paging(q, 50, 250, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let id_in = ids(q, "location_id:in");
            let first = default_location(m);
            let all = cat
                .locations
                .iter()
                .filter(|l| id_in.as_ref().is_none_or(|ids| ids.contains(&l.id)))
                .map(|l| {
                    json!({"id": l.id, "code": l.code, "label": l.name, "description": "",
                    "managed_by_external_source": false, "type_id": "PHYSICAL", "enabled": l.active,
                    "is_default": l.id == first, "time_zone": "Etc/UTC",
                    "created_at": iso(now), "updated_at": iso(now), "address": {}})
                })
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "inventory", "items"] => {
            let (page, limit) = match paging(q, 50, 1000, false) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let (vin, pin, sin, lin) = (
                ids(q, "variant_id:in"),
                ids(q, "product_id:in"),
                strs(q, "sku:in"),
                ids(q, "location_id:in"),
            );
            let all = cat
                .variants
                .iter()
                .filter(|v| vin.as_ref().is_none_or(|x| x.contains(&v.id)))
                .filter(|v| pin.as_ref().is_none_or(|x| x.contains(&v.product_id)))
                .filter(|v| sin.as_ref().is_none_or(|x| x.contains(&v.sku)))
                .map(|v| {
                    let locs: Vec<Value> = cat
                        .locations
                        .iter()
                        .filter(|l| lin.as_ref().is_none_or(|x| x.contains(&l.id)))
                        .map(|l| {
                            let lv = cat.levels(v.id).iter().find(|x| x.location_id == l.id);
                            json!({"location_id": l.id, "location_code": l.code, "location_name": l.name,
                                "available_to_sell": lv.map_or(0, |x| x.available()),
                                "total_inventory_onhand": lv.map_or(0, |x| x.on_hand),
                                "location_enabled": l.active,
                                "settings": {"safety_stock": 0, "is_in_stock": lv.is_some_and(|x| x.available() > 0),
                                    "warning_level": 0, "bin_picking_number": ""}})
                        })
                        .collect();
                    json!({"identity": {"sku": v.sku, "variant_id": v.id, "product_id": v.product_id, "sku_id": v.id},
                        "locations": locs})
                })
                .collect();
            v3_page(all, page, limit, q)
        }
        ["v3", "orders", id, "payment_actions", "refunds"] => {
            let Some(o) = one_order(m, id) else {
                return v3_error(StatusCode::NOT_FOUND, "The requested order was not found.");
            };
            let data: Vec<Value> = o
                .refunds
                .iter()
                .map(|r| json!({"id": r.id, "order_id": o.id, "user_id": 0, "created": iso(r.created_at),
                    "reason": "", "total_amount": r.lines.iter().map(|l| l.amount).sum::<f64>(),
                    "items": r.lines.iter().map(|l| json!({"item_type": "PRODUCT", "item_id": l.line_id,
                        "quantity": l.quantity, "requested_amount": money(l.amount)})).collect::<Vec<_>>()}))
                .collect();
            Json(json!({"data": data, "meta": {}})).into_response()
        }
        ["v2", "order_statuses"] => Json(json!([
            {"id": 4, "name": "Refunded"}, {"id": 5, "name": "Cancelled"},
            {"id": 10, "name": "Completed"}, {"id": 14, "name": "Partially Refunded"}]))
        .into_response(),
        ["v2", "orders"] => v2_orders(st, q),
        ["v2", "orders", id] => match one_order(m, id) {
            Some(o) => Json(order_json(&o)).into_response(),
            None => v2_error(
                StatusCode::NOT_FOUND,
                "The requested resource was not found.",
            ),
        },
        ["v2", "orders", id, "products"] => {
            let Some(o) = one_order(m, id) else {
                return v2_error(
                    StatusCode::NOT_FOUND,
                    "The requested resource was not found.",
                );
            };
            let (page, limit) = match paging(q, 50, 250, true) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let lines: Vec<Value> = o
                .lines
                .iter()
                .skip((page - 1) * limit)
                .take(limit)
                .map(|l| line_json(cat, &o, l))
                .collect();
            if lines.is_empty() {
                StatusCode::NO_CONTENT.into_response()
            } else {
                Json(Value::Array(lines)).into_response()
            }
        }
        _ => {
            if rest.starts_with("v2/") {
                v2_error(
                    StatusCode::NOT_FOUND,
                    "The requested resource was not found.",
                )
            } else {
                v3_error(
                    StatusCode::NOT_FOUND,
                    "The requested resource was not found.",
                )
            }
        }
    }
}

fn one_order(m: &Merchant, id: &str) -> Option<Order> {
    let id: i64 = id.parse().ok()?;
    m.orders.contains(id)?;
    m.fetch_orders(&[id]).ok()?.pop()
}

/// What `GET /v2/orders` was asked to expand (orders.v2.oas2.yml `order_includes`,
/// `consignment_structure`).
#[derive(Debug, Clone, Copy, Default)]
struct Expand {
    consignments: bool,
    line_items: bool,
}

/// `include` and `consignment_structure` as the real API takes them: `include` is a
/// comma-separated subset of `consignments`, `consignments.line_items`, `fees`;
/// `consignment_structure` is `object` (the legacy array form is not served here: it has no
/// schema in the reference and is deprecated from 1 Feb 2026).
fn expand(q: &Q) -> Result<Expand, Response> {
    let mut e = Expand::default();
    if let Some(inc) = param(q, "include") {
        for x in inc.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            match x {
                "consignments" => e.consignments = true,
                "consignments.line_items" => {
                    e.consignments = true;
                    e.line_items = true;
                }
                "fees" => {}
                other => {
                    return Err(v2_error(
                        StatusCode::BAD_REQUEST,
                        &format!("The field 'include' is invalid: {other:?} is not one of consignments, consignments.line_items, fees."),
                    ))
                }
            }
        }
    }
    match param(q, "consignment_structure") {
        None if e.consignments => Err(v2_error(
            StatusCode::BAD_REQUEST,
            "The legacy consignment array is not served by this simulator: add consignment_structure=object.",
        )),
        None | Some("object") => Ok(e),
        Some(other) => Err(v2_error(
            StatusCode::BAD_REQUEST,
            &format!("The field 'consignment_structure' is invalid: {other:?} (allowed: object)."),
        )),
    }
}

/// An order line as `GET /v2/orders/{id}/products` and consignments' `line_items` give it
/// (schema `orderProducts`).
fn line_json(cat: &crate::data::Catalog, o: &Order, l: &crate::data::OrderLine) -> Value {
    let refunded = o.refunded_qty(l.id);
    let product_id = l
        .variant_id
        .and_then(|v| cat.variant(v))
        .map_or(0, |v| v.product_id);
    let unit = money(l.unit_price - l.discount / l.quantity.max(1) as f64);
    json!({"id": l.id, "order_id": o.id, "product_id": product_id, "variant_id": l.variant_id,
        "sku": l.sku, "name": l.sku, "quantity": l.quantity, "quantity_refunded": refunded,
        "quantity_shipped": if o.cancelled_at.is_some() { 0 } else { l.quantity },
        "is_refunded": refunded > 0, "base_price": money(l.unit_price), "price_ex_tax": unit,
        "price_inc_tax": unit, "base_cost_price": "0.0000", "type": "physical",
        "parent_order_product_id": null, "is_bundled_product": false})
}

/// The order's consignments (schema `orderConsignment_Get`): an order sold at a retail
/// location is a pickup there (the customer collected it in store: `location.id` names it);
/// any other is shipped, and a shipping consignment names no location.
fn consignments_json(cat: &crate::data::Catalog, o: &Order, e: Expand) -> Value {
    let lines: Value = if e.line_items {
        Value::Array(o.lines.iter().map(|l| line_json(cat, o, l)).collect())
    } else {
        json!([{"url": format!("/v2/orders/{}/products", o.id), "resource": format!("/orders/{}/products", o.id)}])
    };
    let pickup_at = o
        .location_id
        .and_then(|id| cat.locations.iter().find(|l| l.id == id))
        .filter(|l| l.kind == "retail");
    match pickup_at {
        Some(l) => json!({"pickups": [{"id": o.id, "pickup_method_id": 1,
            "pickup_method_display_name": "Collect in store", "collection_instructions": "",
            "collection_time_description": "", "location": {"id": l.id, "name": l.name,
            "code": l.code, "address_line_1": "", "address_line_2": "", "city": "", "state": "",
            "postal_code": "", "country_alpha2": "US", "email": "", "phone": ""},
            "line_items": lines}], "shipping": [], "downloads": [], "email": {"gift_certificates": []}}),
        None => json!({"pickups": [], "shipping": [{"id": o.id, "first_name": "", "last_name": "",
            "company": "", "street_1": "", "street_2": "", "city": "", "zip": "", "country": "United States",
            "country_iso2": "US", "state": "", "email": "", "phone": "", "form_fields": [],
            "line_items": lines, "items_total": o.lines.iter().map(|l| l.quantity).sum::<i64>(),
            "items_shipped": 0, "shipping_method": "Flat rate", "base_cost": 0, "cost_ex_tax": 0,
            "cost_inc_tax": 0, "cost_tax": 0, "cost_tax_class_id": 0, "base_handling_cost": 0,
            "handling_cost_ex_tax": 0, "handling_cost_inc_tax": 0, "handling_cost_tax": 0,
            "handling_cost_tax_class_id": 0, "shipping_zone_id": 1, "shipping_zone_name": "Everywhere",
            "shipping_quotes": {"url": "", "resource": ""}}], "downloads": [], "email": {"gift_certificates": []}}),
    }
}

fn order_json(o: &Order) -> Value {
    let sold: i64 = o.lines.iter().map(|l| l.quantity - l.cancelled_qty).sum();
    let refunded: i64 = o
        .refunds
        .iter()
        .flat_map(|r| &r.lines)
        .map(|l| l.quantity)
        .sum();
    let (status_id, status) = if o.cancelled_at.is_some() {
        (5, "Cancelled")
    } else if refunded > 0 && refunded >= sold {
        (4, "Refunded")
    } else if refunded > 0 {
        (14, "Partially Refunded")
    } else {
        (10, "Completed")
    };
    let total: f64 = o
        .lines
        .iter()
        .map(|l| l.unit_price * l.quantity as f64 - l.discount)
        .sum();
    let refunded_amount: f64 = o
        .refunds
        .iter()
        .flat_map(|r| &r.lines)
        .map(|l| l.amount)
        .sum();
    json!({"id": o.id, "date_created": rfc2822(o.created_at), "date_modified": rfc2822(o.updated_at),
        "date_shipped": "", "status_id": status_id, "status": status, "currency_code": o.currency,
        "subtotal_ex_tax": format!("{total:.4}"), "total_inc_tax": format!("{total:.4}"),
        "refunded_amount": format!("{refunded_amount:.4}"),
        "items_total": o.lines.iter().map(|l| l.quantity).sum::<i64>(),
        "items_shipped": if o.cancelled_at.is_some() { 0 } else { sold },
        "order_source": "www", "is_deleted": false,
        "products": {"url": format!("/v2/orders/{}/products", o.id), "resource": format!("/orders/{}/products", o.id)}})
}

fn v2_orders(st: &Bc, q: &Q) -> Response {
    let m = &st.m;
    let (page, limit) = match paging(q, 50, 250, true) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let e = match expand(q) {
        Ok(e) => e,
        Err(r) => return r,
    };
    let now = m.now();
    let bound = |k: &str| -> Result<Option<i64>, Response> {
        match param(q, k) {
            None => Ok(None),
            Some(s) => parse_date(s, now)
                .map(|t| Some(data::epoch(t)))
                .ok_or_else(|| v2_error(StatusCode::BAD_REQUEST, &format!("The field '{k}' is invalid: {s:?} is not an RFC-2822 or ISO-8601 date."))),
        }
    };
    let (min_m, max_m, min_c, max_c) = match (
        bound("min_date_modified"),
        bound("max_date_modified"),
        bound("min_date_created"),
        bound("max_date_created"),
    ) {
        (Ok(a), Ok(b), Ok(c), Ok(d)) => (a, b, c, d),
        (Err(r), ..) | (_, Err(r), ..) | (_, _, Err(r), _) | (.., Err(r)) => return r,
    };
    let min_id = param(q, "min_id").and_then(|s| s.parse::<i64>().ok());
    let keys = match param(q, "sort").unwrap_or("id:asc") {
        "id:asc" | "id" => data::OrderSort::Id,
        "date_modified:asc" | "date_modified" => data::OrderSort::Updated,
        other => {
            return v2_error(
                StatusCode::BAD_REQUEST,
                &format!("The sort {other:?} is not supported (use id:asc or date_modified:asc)."),
            )
        }
    };
    let ids: Vec<i64> = m
        .orders
        .iter_from(keys, 0)
        .filter(|k| {
            min_m.is_none_or(|t| k.updated >= t)
                && max_m.is_none_or(|t| k.updated <= t)
                && min_c.is_none_or(|t| k.created >= t)
                && max_c.is_none_or(|t| k.created <= t)
                && min_id.is_none_or(|i| k.id >= i)
        })
        .skip((page - 1) * limit)
        .take(limit)
        .map(|k| k.id)
        .collect();
    if ids.is_empty() {
        // A page past the end (or nothing matching) is 204 with no body.
        return StatusCode::NO_CONTENT.into_response();
    }
    match m.fetch_orders(&ids) {
        Ok(orders) => {
            let cat = m.catalog();
            Json(Value::Array(
                orders
                    .iter()
                    .map(|o| {
                        let mut v = order_json(o);
                        if e.consignments {
                            v["consignments"] = consignments_json(&cat, o, e);
                        }
                        v
                    })
                    .collect(),
            ))
            .into_response()
        }
        Err(e) => v2_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("internal error: {e}"),
        ),
    }
}
