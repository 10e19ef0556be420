//! Shopify JSON → our remote rows, and the small JSON helpers the rest of the module uses.

use crate::error::{Error, Result};
use crate::remote::*;
use chrono::{DateTime, NaiveDateTime, Utc};
use forestock_core::{LocationKind, ProductStatus, SkuStatus};
use serde_json::{json, Value};
use std::collections::HashMap;

/// `Value::pointer` without its per-segment `String` (millions of calls in a first sync);
/// the paths used here have no `~` escapes.
pub(super) trait At {
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

pub(super) fn str_of(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).map(str::to_string)
}

pub(super) fn num_of(v: &Value, ptr: &str) -> Option<f64> {
    let x = v.at(ptr)?;
    x.as_f64().or_else(|| x.as_str()?.parse().ok())
}

/// Shopify timestamps (`2025-06-01T12:00:00Z`) as naive UTC.
pub(super) fn ts(v: &Value, k: &str) -> Option<NaiveDateTime> {
    let s = v.get(k)?.as_str()?;
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc).naive_utc())
}

pub(super) fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(super) fn need<T>(store: &str, what: &str, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::malformed(store, format!("missing or invalid {what}")))
}

pub(super) fn map_location(store: &str, n: &Value) -> Result<RemoteLocation> {
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
pub(super) fn map_variant(store: &str, n: &Value) -> Result<RemoteProduct> {
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
pub(super) fn merge_products(items: Vec<RemoteProduct>) -> Vec<RemoteProduct> {
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

pub(super) fn quantities(v: &Value) -> (i64, i64, i64) {
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

pub(super) fn money(v: &Value, ptr: &str) -> f64 {
    num_of(v, ptr).unwrap_or(0.0)
}

/// An order node whose `lineItems` and `refunds` are already nested lists, with the rule
/// that gave it its location.
pub(super) fn map_order(
    store: &str,
    n: &Value,
    default_currency: &str,
) -> Result<(RemoteOrder, Rule)> {
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
    let (location, rule) = attribute(n);
    let split = fulfilled_where(n);
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
        let line = RemoteLine {
            sku: str_of(l, "sku").unwrap_or_default(),
            variant_external_id: l
                .at("/variant/id")
                .and_then(Value::as_str)
                .map(str::to_string),
            external_id: lid.clone(),
            quantity,
            unit_price: unit,
            discount: money(l, "/totalDiscountSet/shopMoney/amount"),
            cancelled_qty: cancelled,
            location_external_id: None,
        };
        let at = split.get(lid.as_str()).map_or(&[][..], Vec::as_slice);
        lines.extend(split_line(line, at, location.as_deref(), refunded_q));
    }
    let created = need(store, "order createdAt", ts(n, "createdAt"))?;
    Ok((
        RemoteOrder {
            external_id: id,
            name: str_of(n, "name").unwrap_or_default(),
            location_external_id: location,
            created_at: created,
            updated_at: ts(n, "updatedAt").unwrap_or(created),
            cancelled_at: ts(n, "cancelledAt"),
            currency: str_of(n, "currencyCode").unwrap_or_else(|| default_currency.to_string()),
            channel: if rule == Rule::Pos { "pos" } else { "online" }.into(),
            lines,
            refunds,
        },
        rule,
    ))
}

/// Which rule gave an order its location (API-NOTES 5b).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Pos,
    Fulfillment,
    Default,
}

/// Fulfillment orders that count: all but CANCELLED ones (a fulfillment order moved or
/// re-routed is cancelled and replaced), unless every one is cancelled (a cancelled order).
fn live_fulfillment_orders(n: &Value) -> Vec<&Value> {
    let all = list(n.get("fulfillmentOrders"));
    let live: Vec<&Value> = all
        .iter()
        .copied()
        .filter(|fo| fo.get("status").and_then(Value::as_str) != Some("CANCELLED"))
        .collect();
    if live.is_empty() {
        all
    } else {
        live
    }
}

/// An order's location: the point-of-sale location (`retailLocation`), else the location
/// its fulfillment orders are assigned to (the one holding most of them when split; the
/// parts fulfilled elsewhere are placed by [`split_line`]), else none: the sink gives it the
/// store's default and marks it so. API-NOTES 5b; shopify.dev Order.retailLocation and
/// FulfillmentOrderAssignedLocation.
fn attribute(n: &Value) -> (Option<String>, Rule) {
    if let Some(id) = n.at("/retailLocation/id").and_then(Value::as_str) {
        return (Some(id.to_string()), Rule::Pos);
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for fo in live_fulfillment_orders(n) {
        if let Some(id) = fo
            .at("/assignedLocation/location/id")
            .and_then(Value::as_str)
        {
            match seen.iter_mut().find(|(l, _)| l == id) {
                Some((_, k)) => *k += 1,
                None => seen.push((id.to_string(), 1)),
            }
        }
    }
    // First-seen wins ties: deterministic for the same answer.
    let best = seen.iter().fold(None::<&(String, usize)>, |b, x| match b {
        Some(b) if b.1 >= x.1 => Some(b),
        _ => Some(x),
    });
    match best {
        Some((id, _)) => (Some(id.clone()), Rule::Fulfillment),
        None => (None, Rule::Default),
    }
}

/// Where each line's units are fulfilled: line item id → (location id, units), in
/// fulfillment-order order, from each fulfillment order's assigned location and its line
/// items' `totalQuantity` (shopify.dev FulfillmentOrderLineItem). A point-of-sale order is
/// sold where it was rung up and is not split. Bulk output gives the fulfillment order lines
/// at the order's level with their `__parentId` ([`FULFILLMENT_ORDER_LINES`]).
fn fulfilled_where(n: &Value) -> HashMap<&str, Vec<(&str, i64)>> {
    let mut out: HashMap<&str, Vec<(&str, i64)>> = HashMap::new();
    if n.at("/retailLocation/id").is_some() {
        return out;
    }
    let orphans = list(n.get(FULFILLMENT_ORDER_LINES));
    for fo in live_fulfillment_orders(n) {
        let Some(loc) = fo
            .at("/assignedLocation/location/id")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let fo_id = fo.get("id").and_then(Value::as_str);
        let nested = list(fo.get("lineItems"));
        let adopted = orphans
            .iter()
            .copied()
            .filter(|l| fo_id.is_some() && l.get("__parentId").and_then(Value::as_str) == fo_id);
        for fl in nested.into_iter().chain(adopted) {
            let (Some(line), Some(q)) = (
                fl.at("/lineItem/id").and_then(Value::as_str),
                fl.get("totalQuantity").and_then(Value::as_i64),
            ) else {
                continue;
            };
            if q <= 0 {
                continue;
            }
            let parts = out.entry(line).or_default();
            match parts.iter_mut().find(|(l, _)| *l == loc) {
                Some((_, k)) => *k += q,
                None => parts.push((loc, q)),
            }
        }
    }
    out
}

/// Where a bulk result's fulfillment order lines sit in their order (see
/// `JsonlIndex::build`); each keeps `__parentId`, its fulfillment order's id.
pub(super) const FULFILLMENT_ORDER_LINES: &str = "fulfillmentOrderLineItems";

/// A list that may come as `[..]`, `{nodes:[..]}` or `{edges:[{node}]}`.
pub(super) fn list(v: Option<&Value>) -> Vec<&Value> {
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
