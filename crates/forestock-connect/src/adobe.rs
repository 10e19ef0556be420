//! Adobe Commerce (Magento 2) REST: products, MSI sources and source items, orders, paged
//! with `searchCriteria` (stop at `total_count`, always sorted), every request signed with
//! OAuth 1.0a HMAC-SHA256 using the integration's four credentials (or a bearer token).

use crate::credentials::Credentials;
use crate::error::{snippet, Error, Result};
use crate::http::{
    body_text, shared_client, status_error, transport_error, with_retry, RetryPolicy,
};
use crate::oauth1;
use crate::pass::{run_pass, Mark, Numbered, Page};
use crate::progress::Progress;
use crate::remote::*;
use crate::sync::{wrong_creds, Ctx, SyncOptions, SyncReport};
use chrono::NaiveDateTime;
use forestock_core::{LocationKind, ProductStatus, SkuStatus, Store, StoreRecord};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct AdobeClient {
    http: reqwest::Client,
    store: String,
    /// `{origin}/rest/[{store_code}/]V1/`
    api: url::Url,
    creds: Credentials,
    retry: RetryPolicy,
    progress: Progress,
    requests: AtomicU64,
}

/// Magento timestamps: `YYYY-MM-DD HH:MM:SS`, UTC.
const TS: &str = "%Y-%m-%d %H:%M:%S";

impl AdobeClient {
    pub fn from_store(
        store: &StoreRecord,
        creds: &Credentials,
        opts: &SyncOptions,
        progress: &Progress,
    ) -> Result<AdobeClient> {
        if !matches!(
            creds,
            Credentials::AdobeOAuth1 { .. } | Credentials::AdobeBearer { .. }
        ) {
            return Err(wrong_creds(store));
        }
        let mut base = crate::remote_url::check_stored_url(&store.name, &store.base_url)?;
        if !base.path().ends_with('/') {
            let p = format!("{}/", base.path());
            base.set_path(&p);
        }
        let prefix = match store.settings.get("store_code").and_then(Value::as_str) {
            Some(code) if !code.is_empty() => format!("rest/{code}/V1/"),
            _ => "rest/V1/".to_string(),
        };
        let api = base
            .join(&prefix)
            .map_err(|e| Error::invalid("store URL", format!("{}: {e}", store.name)))?;
        Ok(AdobeClient {
            http: shared_client()?,
            store: store.name.clone(),
            api,
            creds: creds.clone(),
            retry: opts.retry,
            progress: progress.clone(),
            requests: AtomicU64::new(0),
        })
    }

    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub async fn get(&self, path: &str, query: &[(String, String)]) -> Result<Value> {
        let mut url = self
            .api
            .join(path)
            .map_err(|e| Error::invalid("store URL", format!("{}: {e}", self.store)))?;
        url.query_pairs_mut()
            .extend_pairs(query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        with_retry(&self.retry, &self.progress, &self.store, || {
            self.get_once(&url)
        })
        .await
    }

    fn authorization(&self, url: &url::Url) -> String {
        match &self.creds {
            Credentials::AdobeOAuth1 {
                consumer_key,
                consumer_secret,
                access_token,
                access_token_secret,
            } => oauth1::Signer {
                consumer_key,
                consumer_secret: consumer_secret.expose(),
                token: access_token.expose(),
                token_secret: access_token_secret.expose(),
                realm: None,
            }
            .header("GET", url, &oauth1::nonce(), chrono::Utc::now().timestamp()),
            Credentials::AdobeBearer { token } => format!("Bearer {}", token.expose()),
            // Checked in from_store.
            _ => String::new(),
        }
    }

    async fn get_once(&self, url: &url::Url) -> Result<Value> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        // A fresh nonce and timestamp per attempt: a retry must not reuse them.
        let resp = self
            .http
            .get(url.clone())
            .header("Authorization", self.authorization(url))
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| transport_error(&self.store, e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = body_text(&self.store, resp).await?;
        if !status.is_success() {
            return Err(match status.as_u16() {
                401 => Error::Auth {
                    store: self.store.clone(),
                    detail: format!(
                        "Adobe Commerce answered 401 ({}); check the integration's four values \
                         (or that bearer tokens are allowed) and that this computer's clock is right",
                        snippet(&body)
                    ),
                },
                404 if body.contains("does not match any route") || !body.trim_start().starts_with('{') => Error::NotAStore {
                    store: self.store.clone(),
                    platform: "Adobe Commerce",
                    url: self.api.to_string(),
                    detail: "no REST API here (HTTP 404)".into(),
                },
                _ => status_error(&self.store, status, &headers, &body),
            });
        }
        serde_json::from_str(&body)
            .map_err(|e| Error::malformed(&self.store, format!("{}: not JSON: {e}", url.path())))
    }
}

/// `searchCriteria` for one page, sorted, with optional `field >= value` filter.
fn criteria(
    page: u64,
    size: u32,
    sort: &[&str],
    filter: Option<(&str, &str, String)>,
) -> Vec<(String, String)> {
    let mut q = vec![
        ("searchCriteria[pageSize]".to_string(), size.to_string()),
        ("searchCriteria[currentPage]".to_string(), page.to_string()),
    ];
    for (i, f) in sort.iter().enumerate() {
        q.push((
            format!("searchCriteria[sortOrders][{i}][field]"),
            f.to_string(),
        ));
        q.push((
            format!("searchCriteria[sortOrders][{i}][direction]"),
            "ASC".into(),
        ));
    }
    if let Some((field, cond, value)) = filter {
        q.push((
            "searchCriteria[filter_groups][0][filters][0][field]".into(),
            field.into(),
        ));
        q.push((
            "searchCriteria[filter_groups][0][filters][0][value]".into(),
            value,
        ));
        q.push((
            "searchCriteria[filter_groups][0][filters][0][condition_type]".into(),
            cond.into(),
        ));
    }
    q
}

fn items(store: &str, v: &Value) -> Result<(Vec<Value>, u64)> {
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| Error::malformed(store, "list without items"))?;
    let total = v
        .get("total_count")
        .and_then(Value::as_u64)
        .ok_or_else(|| Error::malformed(store, "list without total_count"))?;
    Ok((items, total))
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

fn t(v: &Value, k: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v.get(k)?.as_str()?, TS).ok()
}

fn need<T>(store: &str, what: &str, v: Option<T>) -> Result<T> {
    v.ok_or_else(|| Error::malformed(store, format!("missing or invalid {what}")))
}

fn attr(p: &Value, code: &str) -> Option<String> {
    p.get("custom_attributes")?
        .as_array()?
        .iter()
        .find(|a| a.get("attribute_code").and_then(Value::as_str) == Some(code))
        .and_then(|a| s(a, "value"))
}

/// The `manufacturer` attribute's option labels by option id: a select attribute's value on
/// a product is the option id (`GET /V1/products/attributes/manufacturer/options`,
/// `[{label, value}]`; `manufacturer` is one of the catalog's system attributes).
async fn manufacturer_labels(c: &AdobeClient, store: &str) -> Result<HashMap<String, String>> {
    let v = c
        .get("products/attributes/manufacturer/options", &[])
        .await?;
    let list = v
        .as_array()
        .ok_or_else(|| Error::malformed(store, "manufacturer options are not a list"))?;
    Ok(list
        .iter()
        .filter_map(|o| Some((s(o, "value")?, s(o, "label")?.trim().to_string())))
        .filter(|(v, l)| !v.is_empty() && !l.is_empty())
        .collect())
}

/// Each Magento simple product is one SKU; it becomes a product holding one variant.
fn map_product(
    store: &str,
    p: &Value,
    manufacturers: &HashMap<String, String>,
) -> Result<RemoteProduct> {
    let id = need(store, "product id", s(p, "id"))?;
    let created = need(store, "product created_at", t(p, "created_at"))?;
    let updated = t(p, "updated_at").unwrap_or(created);
    let enabled = p.get("status").and_then(Value::as_i64) == Some(1);
    let name = s(p, "name").unwrap_or_default();
    Ok(RemoteProduct {
        external_id: id.clone(),
        title: name.clone(),
        category: String::new(),
        vendor: attr(p, "manufacturer")
            .and_then(|id| manufacturers.get(&id).cloned())
            .unwrap_or_default(),
        status: if enabled {
            ProductStatus::Active
        } else {
            ProductStatus::Draft
        },
        created_at: created,
        updated_at: updated,
        variants: vec![RemoteVariant {
            external_id: id,
            sku: need(
                store,
                "product sku",
                s(p, "sku").filter(|x| !x.trim().is_empty()),
            )?,
            title: name,
            barcode: None,
            price: f(p, "price").unwrap_or(0.0),
            cost: attr(p, "cost").and_then(|c| c.trim().parse().ok()),
            status: if enabled {
                SkuStatus::Active
            } else {
                SkuStatus::Discontinued
            },
            created_date: created.date(),
            updated_at: updated,
        }],
    })
}

/// Units shipped per order line and source: order item id → `[(source_code, qty)]`.
type Shipped = HashMap<String, Vec<(String, i64)>>;

/// The order's location from its shipments: the source that shipped most of its units
/// (first seen on a tie), None when nothing is shipped yet.
fn main_source(shipped: Option<&Shipped>) -> Option<String> {
    let mut by: Vec<(&str, i64)> = Vec::new();
    for (src, q) in shipped.into_iter().flat_map(|m| m.values()).flatten() {
        match by.iter_mut().find(|(x, _)| *x == src) {
            Some((_, k)) => *k += q,
            None => by.push((src, *q)),
        }
    }
    by.sort_by_key(|(x, _)| *x);
    let best = by.iter().fold(None::<(&str, i64)>, |b, &x| match b {
        Some(b) if b.1 >= x.1 => Some(b),
        _ => Some(x),
    });
    best.map(|(x, _)| x.to_string())
}

/// An order and what its shipments say (API-NOTES 5b, Adobe Commerce MSI: a shipment
/// deducts from one source, `extension_attributes.source_code`): a shipped line belongs to
/// the source that shipped it, split when several did; an order with no shipment names no
/// location and the sink gives it the store's unattributed-demand location.
fn map_order(
    store: &str,
    o: &Value,
    currency: &str,
    shipped: Option<&Shipped>,
) -> Result<RemoteOrder> {
    let id = need(store, "order entity_id", s(o, "entity_id"))?;
    let home = main_source(shipped);
    let created = need(store, "order created_at", t(o, "created_at"))?;
    let updated = t(o, "updated_at").unwrap_or(created);
    let cancelled = s(o, "state").as_deref() == Some("canceled");
    let mut lines = Vec::new();
    let mut refunds = Vec::new();
    for it in o
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        // Configurable products come as a parent line and a child line: count units once.
        if it.get("parent_item_id").is_some_and(|p| !p.is_null()) {
            continue;
        }
        let line_id = need(store, "item_id", s(it, "item_id"))?;
        let qty = f(it, "qty_ordered").unwrap_or(0.0).round() as i64;
        let refunded = f(it, "qty_refunded").unwrap_or(0.0).round() as i64;
        let price = f(it, "price").unwrap_or(0.0);
        if refunded > 0 {
            // Magento lists refunded quantities per line (credit memos hold the detail).
            refunds.push(RemoteRefund {
                external_id: format!("{line_id}:refunded"),
                line_external_id: line_id.clone(),
                created_at: updated,
                quantity: refunded,
                amount: price * refunded as f64,
                restocked: false,
            });
        }
        let line = RemoteLine {
            external_id: line_id.clone(),
            sku: s(it, "sku").unwrap_or_default(),
            variant_external_id: s(it, "product_id"),
            quantity: qty,
            unit_price: price,
            discount: f(it, "discount_amount").unwrap_or(0.0),
            cancelled_qty: f(it, "qty_canceled").unwrap_or(0.0).round() as i64,
            location_external_id: None,
        };
        let at: Vec<(&str, i64)> = shipped
            .and_then(|m| m.get(&line_id))
            .into_iter()
            .flatten()
            .map(|(src, q)| (src.as_str(), *q))
            .collect();
        lines.extend(split_line(line, &at, home.as_deref(), refunded));
    }
    Ok(RemoteOrder {
        name: format!("#{}", s(o, "increment_id").unwrap_or_else(|| id.clone())),
        external_id: id,
        location_external_id: home,
        created_at: created,
        updated_at: updated,
        cancelled_at: cancelled.then_some(updated),
        currency: s(o, "order_currency_code").unwrap_or_else(|| currency.to_string()),
        channel: "online".into(),
        lines,
        refunds,
    })
}

/// The shipments of a page of orders, by order id: `GET /V1/shipments` filtered on
/// `order_id in (…)`, sorted by `entity_id` and paged like every list (API-NOTES 3.2). With
/// MSI each shipment carries the source it deducted from as
/// `extension_attributes.source_code` (Magento_InventoryShipping's shipment–source link;
/// API-NOTES 5b); its `items` name the order line (`order_item_id`) and the units (`qty`).
/// A shipment without a source code (a single-source store without MSI) names the
/// `default` source, the one such a store ships from.
async fn shipments(
    c: &AdobeClient,
    store: &str,
    order_ids: &[String],
) -> Result<HashMap<String, Shipped>> {
    let mut out: HashMap<String, Shipped> = HashMap::new();
    if order_ids.is_empty() {
        return Ok(out);
    }
    const SIZE: u32 = 300;
    let mut page = 1u64;
    loop {
        let q = criteria(
            page,
            SIZE,
            &["entity_id"],
            Some(("order_id", "in", order_ids.join(","))),
        );
        let v = c.get("shipments", &q).await?;
        let (list, total) = items(store, &v)?;
        for sh in &list {
            let order = need(store, "shipment order_id", s(sh, "order_id"))?;
            let source = sh
                .pointer("/extension_attributes/source_code")
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string();
            let lines = out.entry(order).or_default();
            for it in sh
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(item) = s(it, "order_item_id") else {
                    continue;
                };
                let q = f(it, "qty").unwrap_or(0.0).round() as i64;
                if q <= 0 {
                    continue;
                }
                let parts = lines.entry(item).or_default();
                match parts.iter_mut().find(|(x, _)| *x == source) {
                    Some((_, k)) => *k += q,
                    None => parts.push((source.clone(), q)),
                }
            }
        }
        // Stop on total_count, never on a short page (API-NOTES 3.2).
        if list.is_empty() || page * u64::from(SIZE) >= total {
            return Ok(out);
        }
        page += 1;
    }
}

pub(crate) async fn sync(
    client: &AdobeClient,
    db: &mut Store,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<()> {
    report.locations += sources(client, db, ctx).await?;
    let currency = db
        .read()
        .merchant()?
        .map(|m| m.currency)
        .unwrap_or_else(|| "USD".into());
    // Orders are placed against a stock, not a source: shipped lines go to the source that
    // shipped them, unshipped orders to the store's default source, and the report says how
    // many went each way (API-NOTES 5b).
    let tally = crate::sync::Tally::default();
    report.variants += paged(client, db, ctx, "products", &currency, &tally).await?;
    report.inventory_levels += paged(client, db, ctx, "inventory", &currency, &tally).await?;
    report.orders += paged(client, db, ctx, "orders", &currency, &tally).await?;
    crate::sync::note_default_attribution(ctx, report, &tally);
    Ok(())
}

async fn sources(c: &AdobeClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let store_id = ctx.store_id;
    run_pass(
        db,
        ctx,
        "locations",
        Numbered { next_page: 1 },
        Mark::Full,
        move |cur| async move {
            let page = cur.at.next_page;
            let v = c
                .get(
                    "inventory/sources",
                    &criteria(page, 100, &["source_code"], None),
                )
                .await?;
            let (list, total) = items(&ctx.store_name, &v)?;
            let locs = list
                .iter()
                .map(|l| {
                    let code = need(&ctx.store_name, "source_code", s(l, "source_code"))?;
                    Ok(RemoteLocation {
                        external_id: code.clone(),
                        name: s(l, "name").unwrap_or_else(|| code.clone()),
                        code,
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
                more: page * 100 < total && !list.is_empty(),
                total: None,
            })
        },
        |w, locs| Sink::new(w, store_id).locations(&locs),
    )
    .await
}

/// A page of one of the paged resources.
enum Rows {
    Products(Vec<RemoteProduct>),
    Levels(Vec<RemoteLevel>),
    Orders(Vec<RemoteOrder>),
}

/// Products, source items and orders: the same searchCriteria paging, one page per
/// transaction with its cursor.
async fn paged(
    c: &AdobeClient,
    db: &mut Store,
    ctx: &Ctx,
    resource: &str,
    currency: &str,
    tally: &crate::sync::Tally,
) -> Result<u64> {
    let mark = if resource == "inventory" {
        Mark::Full
    } else {
        Mark::Since(|t| t.format(TS).to_string())
    };
    let size = ctx
        .page_size
        .min(if resource == "orders" { 100 } else { 300 });
    let date = crate::remote::shop_day(db, ctx.now)?;
    let ids = crate::remote::Ids::default();
    let (ids, store_id) = (&ids, ctx.store_id);
    let manufacturers = if resource == "products" {
        manufacturer_labels(c, &ctx.store_name).await?
    } else {
        HashMap::new()
    };
    let manufacturers = &manufacturers;
    run_pass(
        db,
        ctx,
        resource,
        Numbered { next_page: 1 },
        mark,
        move |cur| async move {
            let (path, q) = match resource {
                "products" => (
                    "products",
                    criteria(
                        cur.at.next_page,
                        size,
                        &["id"],
                        cur.since.clone().map(|s| ("updated_at", "gteq", s)),
                    ),
                ),
                "inventory" => (
                    "inventory/source-items",
                    criteria(cur.at.next_page, size, &["sku", "source_code"], None),
                ),
                _ => (
                    "orders",
                    match &cur.since {
                        // By id, not updated_at: pages are numbered, and an order changed during
                        // the pass would move to the end and shift the next page's first order
                        // onto a page already read.
                        Some(since) => criteria(
                            cur.at.next_page,
                            size,
                            &["entity_id"],
                            Some(("updated_at", "gteq", since.clone())),
                        ),
                        None => criteria(
                            cur.at.next_page,
                            size,
                            &["entity_id"],
                            Some((
                                "created_at",
                                "gteq",
                                ctx.history_from.format(TS).to_string(),
                            )),
                        ),
                    },
                ),
            };
            let v = c.get(path, &q).await?;
            let (list, total) = items(&ctx.store_name, &v)?;
            let rows = match resource {
                "products" => Rows::Products(
                    list.iter()
                        .map(|p| map_product(&ctx.store_name, p, manufacturers))
                        .collect::<Result<Vec<_>>>()?,
                ),
                "inventory" => Rows::Levels(
                    list.iter()
                        .map(|i| {
                            Ok(RemoteLevel {
                                variant_external_id: None,
                                sku: s(i, "sku"),
                                location_external_id: need(
                                    &ctx.store_name,
                                    "source_code",
                                    s(i, "source_code"),
                                )?,
                                on_hand: f(i, "quantity").unwrap_or(0.0).round() as i64,
                                committed: 0,
                                incoming: 0,
                                since: None,
                            })
                        })
                        .collect::<Result<Vec<_>>>()?,
                ),
                _ => {
                    let ids: Vec<String> = list.iter().filter_map(|o| s(o, "entity_id")).collect();
                    let shipped = shipments(c, &ctx.store_name, &ids).await?;
                    Rows::Orders(
                        list.iter()
                            .map(|o| {
                                let sh = s(o, "entity_id").and_then(|id| shipped.get(&id));
                                map_order(&ctx.store_name, o, currency, sh)
                            })
                            .collect::<Result<Vec<_>>>()?,
                    )
                }
            };
            let max_seen = match &rows {
                Rows::Products(ps) => ps.iter().map(|p| p.updated_at.format(TS).to_string()).max(),
                Rows::Levels(_) => None,
                Rows::Orders(os) => os.iter().map(|o| o.updated_at.format(TS).to_string()).max(),
            };
            Ok(Page {
                rows,
                count: list.len() as u64,
                max_seen,
                next: Numbered {
                    next_page: cur.at.next_page + 1,
                },
                // Stop on total_count, never on a short page: past-the-end pages repeat or fail.
                more: cur.at.next_page * u64::from(size) < total && !list.is_empty(),
                total: Some(total),
            })
        },
        |w, rows| {
            match rows {
                Rows::Products(ps) => {
                    Sink::new(w, store_id).products(&ps)?;
                }
                Rows::Levels(levels) => {
                    Sink::cached(w, store_id, ids).levels(date, &levels)?;
                }
                Rows::Orders(os) => {
                    let a = Sink::cached(w, store_id, ids).orders(&os)?;
                    tally.add(&a);
                }
            }
            Ok(())
        },
    )
    .await
}
