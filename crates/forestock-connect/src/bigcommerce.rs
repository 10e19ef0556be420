//! BigCommerce: v3 catalog, v3 inventory by location, v2 orders (with their lines and v3
//! refunds), all paged by page number, with the `X-Rate-Limit-*` window respected.

use crate::credentials::Credentials;
use crate::error::{snippet, Error, Result};
use crate::http::{
    body_text, shared_client, status_error, transport_error, with_retry, RetryPolicy,
};
use crate::pass::{run_pass, Mark, Numbered, Page};
use crate::progress::Progress;
use crate::remote::*;
use crate::sync::{wrong_creds, Ctx, SyncOptions, SyncReport};
use chrono::{DateTime, NaiveDateTime, Utc};
use forestock_core::{LocationKind, ProductStatus, SkuStatus, Store, StoreRecord};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[path = "bigcommerce_write.rs"]
mod write;
pub use write::VariantMetafield;

pub struct BigCommerceClient {
    http: reqwest::Client,
    store: String,
    base: url::Url,
    token: crate::secret::Secret,
    retry: RetryPolicy,
    progress: Progress,
    requests: AtomicU64,
    /// Waits for the rate-limit window to reset, and their total length in milliseconds.
    waits: AtomicU64,
    waited_ms: AtomicU64,
    /// When the current rate-limit window resets, if its quota is used up.
    window: std::sync::Mutex<Option<Instant>>,
}

impl BigCommerceClient {
    pub fn from_store(
        store: &StoreRecord,
        creds: &Credentials,
        opts: &SyncOptions,
        progress: &Progress,
    ) -> Result<BigCommerceClient> {
        let Credentials::BigCommerce { token } = creds else {
            return Err(wrong_creds(store));
        };
        let mut base = crate::remote_url::check_stored_url(&store.name, &store.base_url)?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        Ok(BigCommerceClient {
            http: shared_client()?,
            store: store.name.clone(),
            base,
            token: token.clone(),
            retry: opts.retry,
            progress: progress.clone(),
            requests: AtomicU64::new(0),
            waits: AtomicU64::new(0),
            waited_ms: AtomicU64::new(0),
            window: std::sync::Mutex::new(None),
        })
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// How many times, and how long in all, requests waited for the rate-limit window.
    pub fn throttled(&self) -> (u64, Duration) {
        (
            self.waits.load(Ordering::Relaxed),
            Duration::from_millis(self.waited_ms.load(Ordering::Relaxed)),
        )
    }

    /// GET a path under the store's base URL; `None` for 204 No Content.
    pub async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Option<Value>> {
        let mut url = self
            .base
            .join(path)
            .map_err(|e| Error::invalid("store URL", format!("{}: {e}", self.store)))?;
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(k, v)| (*k, v.as_str())));
        with_retry(&self.retry, &self.progress, &self.store, || {
            self.get_once(&url)
        })
        .await
    }

    async fn get_once(&self, url: &url::Url) -> Result<Option<Value>> {
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
            .get(url.clone())
            .header("X-Auth-Token", self.token.expose())
            .header("Accept", "application/json")
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
        let body = body_text(&self.store, resp).await?;
        if status.as_u16() == 204 {
            return Ok(None);
        }
        if !status.is_success() {
            return Err(match status.as_u16() {
                429 => Error::Throttled {
                    store: self.store.clone(),
                    detail: format!("HTTP 429: {}", snippet(&body)),
                    // The window's reset if given; else Retry-After; else exponential backoff.
                    retry_after: reset.or_else(|| crate::http::retry_after(&headers)),
                },
                401 => Error::Auth {
                    store: self.store.clone(),
                    detail: format!(
                        "BigCommerce answered 401 ({}); the access token is wrong or was revoked",
                        snippet(&body)
                    ),
                },
                404 if url.path().ends_with("/v3/inventory/locations") => Error::NotAStore {
                    store: self.store.clone(),
                    platform: "BigCommerce",
                    url: self.base.to_string(),
                    detail:
                        "HTTP 404; the URL should be https://api.bigcommerce.com/stores/STORE_HASH"
                            .into(),
                },
                _ => status_error(&self.store, status, &headers, &body),
            });
        }
        serde_json::from_str(&body)
            .map(Some)
            .map_err(|e| Error::malformed(&self.store, format!("{}: not JSON: {e}", url.path())))
    }
}

fn s(v: &Value, k: &str) -> Option<String> {
    match v.get(k)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn f(v: &Value, k: &str) -> Option<f64> {
    let x = v.get(k)?;
    x.as_f64().or_else(|| x.as_str()?.trim().parse().ok())
}

fn iso_ts(v: &Value, k: &str) -> Option<NaiveDateTime> {
    let x = v.get(k)?.as_str()?;
    DateTime::parse_from_rfc3339(x)
        .ok()
        .map(|d| d.with_timezone(&Utc).naive_utc())
}

fn rfc2822_ts(v: &Value, k: &str) -> Option<NaiveDateTime> {
    let x = v.get(k)?.as_str()?;
    DateTime::parse_from_rfc2822(x)
        .or_else(|_| DateTime::parse_from_rfc3339(x))
        .ok()
        .map(|d| d.with_timezone(&Utc).naive_utc())
}

fn data(store: &str, v: Option<Value>) -> Result<(Vec<Value>, u64)> {
    let Some(v) = v else {
        return Ok((Vec::new(), 1));
    };
    let items = v
        .get("data")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| Error::malformed(store, "v3 response without data"))?;
    let pages = v
        .pointer("/meta/pagination/total_pages")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    Ok((items, pages))
}

fn need<T>(store: &str, what: &str, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::malformed(store, format!("missing or invalid {what}")))
}

/// A product's brand name from its `brand_id` (0 or unknown: none). Catalog products carry
/// only the id; the names come from `GET /v3/catalog/brands` ([`brand_names`]).
fn brand_of(p: &Value, brands: &HashMap<i64, String>) -> String {
    p.get("brand_id")
        .and_then(Value::as_i64)
        .and_then(|id| brands.get(&id).cloned())
        .unwrap_or_default()
}

/// The store's brands, id → name (every page of `GET /v3/catalog/brands`).
async fn brand_names(c: &BigCommerceClient, store: &str) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    let mut page = 1;
    loop {
        let q = [("limit", "250".to_string()), ("page", page.to_string())];
        let (items, pages) = data(store, c.get("v3/catalog/brands", &q).await?)?;
        for b in &items {
            if let (Some(id), Some(name)) = (b.get("id").and_then(Value::as_i64), s(b, "name")) {
                out.insert(id, name);
            }
        }
        if page >= pages || items.is_empty() {
            return Ok(out);
        }
        page += 1;
    }
}

fn map_product(store: &str, p: &Value, brands: &HashMap<i64, String>) -> Result<RemoteProduct> {
    let created = need(store, "product date_created", iso_ts(p, "date_created"))?;
    let updated = iso_ts(p, "date_modified").unwrap_or(created);
    let active = p.get("is_visible").and_then(Value::as_bool).unwrap_or(true);
    let mut variants = Vec::new();
    for v in p
        .get("variants")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let sku = need(
            store,
            "variant sku",
            s(v, "sku").filter(|x| !x.trim().is_empty()),
        )?;
        let disabled = v
            .get("purchasing_disabled")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        variants.push(RemoteVariant {
            external_id: need(store, "variant id", s(v, "id"))?,
            title: v
                .pointer("/option_values/0/label")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            barcode: s(v, "upc").filter(|b| !b.is_empty()),
            price: f(v, "price").unwrap_or(0.0),
            cost: f(v, "cost_price"),
            status: match (active, disabled) {
                (false, _) => SkuStatus::Draft,
                (true, true) => SkuStatus::Discontinued,
                (true, false) => SkuStatus::Active,
            },
            created_date: created.date(),
            updated_at: updated,
            sku,
        });
    }
    Ok(RemoteProduct {
        external_id: need(store, "product id", s(p, "id"))?,
        title: s(p, "name").unwrap_or_default(),
        category: String::new(),
        vendor: brand_of(p, brands),
        status: if active {
            ProductStatus::Active
        } else {
            ProductStatus::Draft
        },
        created_at: created,
        updated_at: updated,
        variants,
    })
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) async fn sync(
    client: &BigCommerceClient,
    db: &mut Store,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<()> {
    report.locations += locations(client, db, ctx).await?;
    report.variants += products(client, db, ctx).await?;
    report.inventory_levels += inventory(client, db, ctx).await?;
    let currency = db
        .read()
        .merchant()?
        .map(|m| m.currency)
        .unwrap_or_else(|| "USD".into());
    // v2 orders name no inventory location: every order goes to the store's default
    // location, and the report says so (API-NOTES 5b).
    let tally = crate::sync::Tally::default();
    report.orders += orders(client, db, ctx, &currency, &tally).await?;
    crate::sync::note_default_attribution(ctx, report, &tally);
    Ok(())
}

async fn locations(c: &BigCommerceClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let store_id = ctx.store_id;
    run_pass(
        db,
        ctx,
        "locations",
        Numbered { next_page: 1 },
        Mark::Full,
        move |cur| async move {
            let page = cur.at.next_page;
            let (items, pages) = data(
                &ctx.store_name,
                c.get(
                    "v3/inventory/locations",
                    &[("limit", "250".into()), ("page", page.to_string())],
                )
                .await?,
            )?;
            let locs = items
                .iter()
                .map(|l| {
                    Ok(RemoteLocation {
                        external_id: need(&ctx.store_name, "location id", s(l, "id"))?,
                        code: s(l, "code").unwrap_or_default(),
                        name: s(l, "label").unwrap_or_default(),
                        kind: LocationKind::Warehouse,
                        active: l.get("enabled").and_then(Value::as_bool).unwrap_or(true),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Page {
                count: locs.len() as u64,
                rows: locs,
                max_seen: None,
                next: Numbered {
                    next_page: page + 1,
                },
                more: page < pages && !items.is_empty(),
                total: None,
            })
        },
        |w, locs| Sink::new(w, store_id).locations(&locs),
    )
    .await
}

async fn products(c: &BigCommerceClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let store_id = ctx.store_id;
    let brands = &brand_names(c, &ctx.store_name).await?;
    run_pass(
        db,
        ctx,
        "products",
        Numbered { next_page: 1 },
        Mark::Since(iso),
        move |cur| async move {
            let mut q = vec![
                ("include", "variants".to_string()),
                ("limit", ctx.page_size.min(250).to_string()),
                ("page", cur.at.next_page.to_string()),
            ];
            if let Some(since) = &cur.since {
                q.push(("date_modified:min", since.clone()));
            }
            let (items, pages) = data(&ctx.store_name, c.get("v3/catalog/products", &q).await?)?;
            let products = items
                .iter()
                .map(|p| map_product(&ctx.store_name, p, brands))
                .collect::<Result<Vec<_>>>()?;
            Ok(Page {
                count: products.iter().map(|p| p.variants.len() as u64).sum(),
                max_seen: products.iter().map(|p| iso(p.updated_at)).max(),
                rows: products,
                next: Numbered {
                    next_page: cur.at.next_page + 1,
                },
                more: cur.at.next_page < pages && !items.is_empty(),
                total: None,
            })
        },
        |w, products| Sink::new(w, store_id).products(&products),
    )
    .await
}

async fn inventory(c: &BigCommerceClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let (date, store_id) = (crate::remote::shop_day(db, ctx.now)?, ctx.store_id);
    run_pass(
        db,
        ctx,
        "inventory",
        Numbered { next_page: 1 },
        Mark::Full,
        move |cur| async move {
            let q = [
                ("limit", "1000".to_string()),
                ("page", cur.at.next_page.to_string()),
            ];
            let (items, pages) = data(&ctx.store_name, c.get("v3/inventory/items", &q).await?)?;
            let mut levels = Vec::new();
            for it in &items {
                let vid = it.pointer("/identity/variant_id").map(|v| v.to_string());
                let sku = it
                    .pointer("/identity/sku")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                for l in it
                    .get("locations")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let on_hand = l
                        .get("total_inventory_onhand")
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    let available = l
                        .get("available_to_sell")
                        .and_then(Value::as_i64)
                        .unwrap_or(on_hand);
                    levels.push(RemoteLevel {
                        variant_external_id: vid.clone(),
                        sku: sku.clone(),
                        location_external_id: need(
                            &ctx.store_name,
                            "location_id",
                            s(l, "location_id"),
                        )?,
                        on_hand,
                        committed: (on_hand - available).max(0),
                        incoming: 0,
                        since: None,
                    });
                }
            }
            Ok(Page {
                rows: levels,
                count: items.len() as u64,
                max_seen: None,
                next: Numbered {
                    next_page: cur.at.next_page + 1,
                },
                more: cur.at.next_page < pages && !items.is_empty(),
                total: None,
            })
        },
        |w, levels| Sink::new(w, store_id).levels(date, &levels),
    )
    .await
}

async fn order_lines(c: &BigCommerceClient, id: &str) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let q = [("limit", "250".to_string()), ("page", page.to_string())];
        match c.get(&format!("v2/orders/{id}/products"), &q).await? {
            None => return Ok(out),
            Some(Value::Array(a)) => {
                let n = a.len();
                out.extend(a);
                if n < 250 {
                    return Ok(out);
                }
                page += 1;
            }
            Some(_) => return Err(Error::malformed(&c.store, "order products is not a list")),
        }
    }
}

/// The order's lines and, for a pickup order, the location it is collected from.
///
/// `GET /v2/orders?include=consignments.line_items&consignment_structure=object` gives each
/// order's lines inside its consignments (`orderConsignment_Get`: `pickups[]` with
/// `location.id`, `shipping[]`, `downloads[]`, `email.gift_certificates[]`), so a page of 250
/// orders costs one request instead of 251 (orders.v2.oas2.yml, `order_includes`). A pickup
/// consignment names the location; a shipping consignment names none. An order with no
/// expanded lines there (a consignment given only as a `{url, resource}` link) falls back to
/// `GET /v2/orders/{id}/products`.
async fn lines_and_location(
    c: &BigCommerceClient,
    o: &Value,
    id: &str,
) -> Result<(Vec<Value>, Option<String>)> {
    let mut lines = Vec::new();
    let mut pickup = None;
    if let Some(cons) = o.get("consignments").filter(|v| v.is_object()) {
        let list = |k: &str| {
            cons.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for p in list("pickups") {
            if pickup.is_none() {
                pickup = p.get("location").and_then(|l| s(l, "id"));
            }
            lines.extend(expanded(&p));
        }
        // Gift certificates are not stock: their lines are left out.
        for k in ["shipping", "downloads"] {
            for x in list(k) {
                lines.extend(expanded(&x));
            }
        }
    }
    let items = o.get("items_total").and_then(Value::as_i64).unwrap_or(1);
    if lines.is_empty() && items > 0 {
        lines = order_lines(c, id).await?;
    }
    Ok((lines, pickup))
}

/// A consignment's `line_items` when they are order products, not `{url, resource}` links.
fn expanded(consignment: &Value) -> Vec<Value> {
    consignment
        .get("line_items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|l| l.get("id").is_some() && l.get("quantity").is_some())
        .cloned()
        .collect()
}

async fn map_order(c: &BigCommerceClient, o: &Value, currency: &str) -> Result<RemoteOrder> {
    let store = &c.store;
    let id = need(store, "order id", s(o, "id"))?;
    let created = need(store, "order date_created", rfc2822_ts(o, "date_created"))?;
    let updated = rfc2822_ts(o, "date_modified").unwrap_or(created);
    // Status ids are configurable labels; 5 is BigCommerce's built-in "Cancelled".
    let cancelled = o.get("status_id").and_then(Value::as_i64) == Some(5)
        || s(o, "status").is_some_and(|x| x.eq_ignore_ascii_case("cancelled"));
    let (lines_raw, pickup) = lines_and_location(c, o, &id).await?;
    let mut lines = Vec::new();
    for l in &lines_raw {
        let quantity = l.get("quantity").and_then(Value::as_i64).unwrap_or(0);
        let base = f(l, "base_price").unwrap_or(0.0);
        let net = f(l, "price_ex_tax").unwrap_or(base);
        lines.push(RemoteLine {
            external_id: need(store, "order line id", s(l, "id"))?,
            sku: s(l, "sku").unwrap_or_default(),
            variant_external_id: s(l, "variant_id"),
            quantity,
            unit_price: base,
            discount: ((base - net) * quantity as f64).max(0.0),
            cancelled_qty: if cancelled { quantity } else { 0 },
            location_external_id: None,
        });
    }
    // Refunds from each line's `quantity_refunded` (one refund row per refunded line, dated
    // by the order's last change), as for Adobe Commerce: the demand history counts a refund
    // against the day the order was placed, so the refund's own date and grouping, which
    // `/v3/orders/{id}/payment_actions/refunds` would give at one request per refunded order
    // (a third of all requests on the demo merchant), change no number we compute.
    let mut refunds = Vec::new();
    for (l, raw) in lines.iter().zip(&lines_raw) {
        let q = raw
            .get("quantity_refunded")
            .and_then(Value::as_f64)
            .map_or(0, |x| x.round() as i64)
            .min(l.quantity - l.cancelled_qty);
        if q > 0 {
            let unit = f(raw, "price_ex_tax").unwrap_or(l.unit_price);
            refunds.push(RemoteRefund {
                external_id: format!("{}:refunded", l.external_id),
                line_external_id: l.external_id.clone(),
                created_at: updated,
                quantity: q,
                amount: (unit * q as f64).max(0.0),
                restocked: false,
            });
        }
    }
    Ok(RemoteOrder {
        name: format!("#{id}"),
        external_id: id,
        location_external_id: pickup,
        created_at: created,
        updated_at: updated,
        cancelled_at: cancelled.then_some(updated),
        currency: s(o, "currency_code").unwrap_or_else(|| currency.to_string()),
        channel: "online".into(),
        lines,
        refunds,
    })
}

async fn orders(
    c: &BigCommerceClient,
    db: &mut Store,
    ctx: &Ctx,
    currency: &str,
    tally: &crate::sync::Tally,
) -> Result<u64> {
    let limit = ctx.page_size.min(250);
    let ids = crate::remote::Ids::default();
    let (ids, store_id) = (&ids, ctx.store_id);
    run_pass(
        db,
        ctx,
        "orders",
        Numbered { next_page: 1 },
        Mark::Since(iso),
        move |cur| async move {
            let mut q = vec![
                ("limit", limit.to_string()),
                ("page", cur.at.next_page.to_string()),
                ("include", "consignments.line_items".to_string()),
                ("consignment_structure", "object".to_string()),
            ];
            match &cur.since {
                // Later syncs: what changed, by id. Not by date_modified: pages are numbered, and
                // an order changed during the pass would move to the end and shift every later
                // order one place back, so the first order of the next page would be skipped.
                Some(since) => {
                    q.push(("sort", "id:asc".into()));
                    q.push(("min_date_modified", since.clone()));
                }
                // First sync: the history window by id (stable pages while new orders arrive).
                None => {
                    q.push(("sort", "id:asc".into()));
                    q.push(("min_date_created", iso(ctx.history_from)));
                }
            }
            let page = match c.get("v2/orders", &q).await? {
                None => Vec::new(),
                Some(Value::Array(a)) => a,
                Some(_) => return Err(Error::malformed(&ctx.store_name, "orders is not a list")),
            };
            let mut orders = Vec::with_capacity(page.len());
            for o in &page {
                orders.push(map_order(c, o, currency).await?);
            }
            Ok(Page {
                count: orders.len() as u64,
                max_seen: orders.iter().map(|o| iso(o.updated_at)).max(),
                rows: orders,
                next: Numbered {
                    next_page: cur.at.next_page + 1,
                },
                more: page.len() as u32 >= limit,
                total: None,
            })
        },
        |w, orders| {
            let a = Sink::cached(w, store_id, ids).orders(&orders)?;
            tally.add(&a);
            Ok(a)
        },
    )
    .await
}
