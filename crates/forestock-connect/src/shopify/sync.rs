//! The Shopify side of the sync: locations, variants, inventory and orders; first syncs of
//! variants, inventory and order history use bulk operations, later ones page.

use super::client::ShopifyClient;
use super::mapping::*;
use super::queries::*;
use crate::error::{Error, Result};
use crate::jsonl::JsonlIndex;
use crate::pass::{resume_pass, run_pass, After, Cursor, Mark, Page};
use crate::progress::{Meter, SyncEvent};
use crate::remote::*;
use crate::state;
use crate::sync::{Attribution, Ctx, SyncReport};
use chrono::NaiveDateTime;
use forestock_core::{Store, Writer};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::time::Instant;

impl ShopifyClient {
    /// One order with all its lines and refunds (for orders too big for a shared page, and
    /// bulk orders whose refund lines need their refunds). Lines and refunds are fetched in
    /// separate queries to keep each under the 1,000-point cap.
    pub(super) async fn order_in_full(&self, order: &Value) -> Result<Value> {
        let id = need(&self.store, "order id", str_of(order, "id"))?;
        let mut out = order.clone();
        let mut lines: Vec<Value> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let q = order_lines();
            let d = self
                .graphql(&q, json!({ "id": id, "after": after }))
                .await?;
            let conn = d
                .at("/order/lineItems")
                .ok_or_else(|| Error::malformed(&self.store, format!("order {id} vanished")))?;
            lines.extend(list(Some(conn)).into_iter().cloned());
            let (more, end) = page_info(conn);
            if !more {
                break;
            }
            after = end;
        }
        let q = order_refunds();
        let d = self.graphql(&q, json!({ "id": id })).await?;
        let refunds = d
            .at("/order/refunds")
            .cloned()
            .unwrap_or(Value::Array(Vec::new()));
        if list(Some(&refunds)).len() >= 10
            || list(Some(&refunds)).iter().any(|r| {
                r.at("/refundLineItems/pageInfo/hasNextPage")
                    .and_then(Value::as_bool)
                    == Some(true)
            })
        {
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!("order {id} has more refunds than this version can read"),
            });
        }
        if let Some(o) = out.as_object_mut() {
            o.insert("lineItems".into(), Value::Array(lines));
            o.insert("refunds".into(), refunds);
            o.remove("refundLineItems");
        }
        Ok(out)
    }
}

/// Where a bulk pass stands: the operation and how many top-level objects are applied.
/// Saved as a [`Cursor`] (`{"bulk_id", "done", "since", "max_seen", "started"}`; `started`
/// is when the operation was started: its snapshot is at least that recent).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BulkAt {
    bulk_id: String,
    done: usize,
}

pub(crate) async fn sync(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<()> {
    let shop_currency = db
        .read()
        .merchant()?
        .map(|m| m.currency)
        .unwrap_or_else(|| "USD".into());
    report.locations += sync_locations(client, db, ctx).await?;
    report.variants += sync_variants(client, db, ctx).await?;
    report.inventory_levels += sync_inventory(client, db, ctx).await?;
    let scope_known = check_order_scope(client, ctx, report).await?;
    let fulfillment = check_fulfillment_scope(client, ctx, report).await?;
    let default_location = default_location(db, ctx.store_id)?;
    let tally = RefCell::new(Attribution::default());
    let how = How {
        currency: &shop_currency,
        fulfillment,
        tally: &tally,
    };
    report.orders += sync_orders(client, db, ctx, &how).await?;
    let a = tally.into_inner();
    if a.default_orders > 0 && default_location.is_none() {
        report.warnings.push(format!(
            "{}: {} orders have no location and the store has no active location to give them",
            ctx.store_name, a.default_orders
        ));
    }
    let msg = format!(
        "{}: orders by location rule: point of sale {} orders / {} units, fulfilment {} / {}, \
         default location {} / {}",
        ctx.store_name,
        a.pos_orders,
        a.pos_units,
        a.fulfillment_orders,
        a.fulfillment_units,
        a.default_orders,
        a.default_units
    );
    ctx.progress.emit(SyncEvent::Note {
        store: ctx.store_name.clone(),
        message: msg,
    });
    report.attribution = a;
    if !scope_known {
        // The API would not say which scopes we hold: infer it from what came back.
        let (n, oldest): (i64, Option<NaiveDateTime>) = db.read().conn().query_row(
            "SELECT count(*), min(created_at) FROM orders WHERE store_id = ?1",
            [ctx.store_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if n > 0 && oldest.is_some_and(|o| ctx.now - o < chrono::Duration::days(61)) {
            let msg = format!(
                "{}: no order older than 60 days came back. If the shop is older, the app lacks \
                 the read_all_orders scope (Shopify then shows only the last 60 days); request it \
                 for the app and sync again.",
                ctx.store_name
            );
            ctx.progress.emit(SyncEvent::Note {
                store: ctx.store_name.clone(),
                message: msg.clone(),
            });
            report.warnings.push(msg);
        }
    }
    Ok(())
}

async fn sync_locations(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let first = Cell::new(250);
    let (first, store_id) = (&first, ctx.store_id);
    run_pass(
        db,
        ctx,
        "locations",
        After::default(),
        Mark::Full,
        move |cur| async move {
            let mut f = first.get();
            let d = client
                .graphql_paged(LOCATIONS, json!({ "after": cur.at.after }), &mut f)
                .await;
            first.set(f);
            let d = d?;
            let conn = d
                .get("locations")
                .ok_or_else(|| Error::malformed(&ctx.store_name, "no locations"))?;
            let locs = list(Some(conn))
                .into_iter()
                .map(|n| map_location(&ctx.store_name, n))
                .collect::<Result<Vec<_>>>()?;
            let (more, after) = page_info(conn);
            Ok(Page {
                count: locs.len() as u64,
                rows: locs,
                max_seen: None,
                next: After { after },
                more,
                total: None,
            })
        },
        |w, locs| Sink::new(w, store_id).locations(&locs),
    )
    .await
}

fn page_info(conn: &Value) -> (bool, Option<String>) {
    let more = conn
        .at("/pageInfo/hasNextPage")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    (
        more,
        conn.at("/pageInfo/endCursor")
            .and_then(Value::as_str)
            .map(str::to_string),
    )
}

async fn sync_variants(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let st = state::load::<Value>(&db.read(), ctx.store_id, "products")?;
    if st.updated_since.is_none() {
        // First sync: one bulk operation instead of 80 pages at 20,000 SKUs.
        let resume = st
            .cursor
            .and_then(|c| serde_json::from_value::<Cursor<BulkAt>>(c).ok());
        let query = variants_bulk();
        let store_id = ctx.store_id;
        return bulk_pass(
            client,
            db,
            ctx,
            "products",
            &query,
            resume,
            |top| {
                let items = top
                    .iter()
                    .map(|n| map_variant(&ctx.store_name, n))
                    .collect::<Result<Vec<_>>>()?;
                let max = items
                    .iter()
                    .flat_map(|p| &p.variants)
                    .map(|v| iso(v.updated_at))
                    .max();
                Ok((merge_products(items), max))
            },
            |w, products| Sink::new(w, store_id).products(&products),
        )
        .await;
    }
    let query = variants_paged();
    // ~4 points per variant: 200 stays under the 1,000-point cap.
    let first = Cell::new(ctx.page_size.min(200));
    let (query, first, store_id) = (query.as_str(), &first, ctx.store_id);
    run_pass(
        db,
        ctx,
        "products",
        After::default(),
        Mark::Since(iso),
        move |cur| async move {
            let q = cur.since.as_ref().map(|s| format!("updated_at:>='{s}'"));
            let mut f = first.get();
            let d = client
                .graphql_paged(query, json!({ "after": cur.at.after, "q": q }), &mut f)
                .await;
            first.set(f);
            let d = d?;
            let conn = d
                .get("productVariants")
                .ok_or_else(|| Error::malformed(&ctx.store_name, "no productVariants"))?;
            let items = list(Some(conn))
                .into_iter()
                .map(|n| map_variant(&ctx.store_name, n))
                .collect::<Result<Vec<_>>>()?;
            let count = items.iter().map(|p| p.variants.len() as u64).sum();
            let max_seen = items
                .iter()
                .flat_map(|p| &p.variants)
                .map(|v| iso(v.updated_at))
                .max();
            let (more, after) = page_info(conn);
            Ok(Page {
                rows: merge_products(items),
                count,
                max_seen,
                next: After { after },
                more,
                total: None,
            })
        },
        |w, products| Sink::new(w, store_id).products(&products),
    )
    .await
}

/// Run (or resume) a bulk query and apply its top-level objects in chunks through the
/// shared page pass, each chunk committed with the count applied so far. `map` turns a
/// chunk into rows and its highest updatedAt; `sink` writes the rows.
#[allow(clippy::too_many_arguments)]
async fn bulk_pass<R, O, M, S>(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    resource: &str,
    query: &str,
    resume: Option<Cursor<BulkAt>>,
    map: M,
    sink: S,
) -> Result<u64>
where
    M: Fn(&[Value]) -> Result<(R, Option<String>)>,
    S: FnMut(&Writer<'_>, R) -> Result<O>,
{
    let mut meter = Meter::start(&ctx.progress, &ctx.store_name, resource, None);
    ctx.check()?;
    let stop = || ctx.check();
    let waiting = Instant::now();
    let (result, done, max_seen, started) = match resume {
        Some(c) => match client
            .run_bulk(query, Some(&c.at.bulk_id), &stop, ctx.bulk_timeout)
            .await
        {
            Ok(r) => (r, c.at.done, c.max_seen, c.started),
            // Gone, expired or cancelled: start over (re-applying is harmless, rows are
            // upserted). Not when it was our own timeout that cancelled it.
            Err(Error::Remote { .. }) if waiting.elapsed() < ctx.bulk_timeout => (
                client
                    .run_bulk(query, None, &stop, ctx.bulk_timeout)
                    .await?,
                0,
                None,
                Some(ctx.now),
            ),
            Err(e) => return Err(e),
        },
        None => {
            let id = client.start_bulk(query).await?;
            // Remember the operation at once, so a killed sync picks it up again.
            let w = db.write()?;
            state::save_cursor(
                &w,
                ctx.store_id,
                resource,
                &Cursor {
                    at: BulkAt {
                        bulk_id: id.clone(),
                        done: 0,
                    },
                    since: None,
                    max_seen: None,
                    started: Some(ctx.now),
                },
                None,
                ctx.now,
            )?;
            w.commit()?;
            (
                client
                    .run_bulk(query, Some(&id), &stop, ctx.bulk_timeout)
                    .await?,
                0,
                None,
                Some(ctx.now),
            )
        }
    };
    let index = match &result.url {
        Some(url) => Some(client.download_indexed(url).await?),
        None => None,
    };
    let total = index.as_ref().map_or(0, JsonlIndex::len);
    meter.set_total(Some(total as u64));
    meter.add(done.min(total) as u64);
    if total == 0 {
        let w = db.write()?;
        let mark = bulk_mark(resource, started, max_seen.clone());
        state::save_done(&w, ctx.store_id, resource, mark.as_deref(), ctx.now)?;
        w.commit()?;
    }
    if done >= total {
        return Ok(meter.finish());
    }
    let mark = if resource == "inventory" {
        Mark::Full
    } else {
        Mark::Since(iso)
    };
    let cursor = Cursor {
        at: BulkAt {
            bulk_id: result.id.clone(),
            done,
        },
        since: None,
        max_seen,
        started,
    };
    let chunk = ctx.bulk_chunk.max(1);
    let index = std::cell::RefCell::new(index);
    let (index, map) = (&index, &map);
    resume_pass(
        db,
        ctx,
        resource,
        cursor,
        None,
        mark,
        meter,
        move |cur| async move {
            let done = cur.at.done;
            let end = (done + chunk).min(total);
            let mut objects = match index.borrow_mut().as_mut() {
                Some(ix) => ix.objects(done..end, place_child)?,
                None => Vec::new(),
            };
            if resource == "orders" {
                for o in objects.iter_mut() {
                    if list(o.get("refunds")).len() > 1 && o.get("refundLineItems").is_some() {
                        *o = client.order_in_full(o).await?;
                    }
                }
            }
            let (rows, max_seen) = map(&objects)?;
            Ok(Page {
                rows,
                count: (end - done) as u64,
                max_seen,
                next: BulkAt {
                    bulk_id: cur.at.bulk_id,
                    done: end,
                },
                more: end < total,
                total: None,
            })
        },
        sink,
    )
    .await
}

/// The mark a finished bulk pass leaves: when its operation started, less the margin (the
/// operation's snapshot is at least that recent). Inventory is always a full snapshot and
/// keeps no mark.
fn bulk_mark(
    resource: &str,
    started: Option<NaiveDateTime>,
    max_seen: Option<String>,
) -> Option<String> {
    if resource == "inventory" {
        return None;
    }
    state::mark_after_pass(started, max_seen, iso)
}

/// Where a bulk child line belongs in its parent.
fn place_child(child: &Value) -> &'static str {
    if child.get("assignedLocation").is_some() {
        "fulfillmentOrders"
    } else if child.get("totalQuantity").is_some() {
        // A fulfillment order's line (it keeps `__parentId`: the mapper nests it).
        FULFILLMENT_ORDER_LINES
    } else if child.get("lineItem").is_some() {
        "refundLineItems"
    } else if child.get("quantities").is_some() || child.get("location").is_some() {
        "inventoryLevels"
    } else {
        "lineItems"
    }
}

/// The shop's day (`zone`) a level last changed, if after it was created (`updatedAt` >
/// `createdAt`): a level that never changed says nothing about earlier days. Dated like the
/// orders and the levels read now ([`crate::remote::shop_time`]).
fn level_since(l: &Value, zone: chrono_tz::Tz) -> Option<chrono::NaiveDate> {
    let (created, updated) = (ts(l, "createdAt")?, ts(l, "updatedAt")?);
    (updated > created).then(|| crate::remote::shop_time(zone, updated).date())
}

async fn sync_inventory(client: &ShopifyClient, db: &mut Store, ctx: &Ctx) -> Result<u64> {
    let st = state::load::<Cursor<BulkAt>>(&db.read(), ctx.store_id, "inventory")?;
    // A finished snapshot from an earlier day does not resume: take today's.
    let query = inventory_bulk();
    let (date, store_id) = (crate::remote::shop_day(db, ctx.now)?, ctx.store_id);
    let zone = crate::remote::shop_zone(&db.read())?;
    let ids = crate::remote::Ids::default();
    bulk_pass(
        client,
        db,
        ctx,
        "inventory",
        &query,
        st.cursor,
        |top| {
            let mut levels = Vec::new();
            for v in top {
                let vid = str_of(v, "id");
                let nested = v.at("/inventoryItem/inventoryLevels");
                for l in list(v.get("inventoryLevels"))
                    .into_iter()
                    .chain(list(nested))
                {
                    let Some(loc) = l.at("/location/id").and_then(Value::as_str) else {
                        continue;
                    };
                    let (on_hand, committed, incoming) = quantities(l);
                    levels.push(RemoteLevel {
                        variant_external_id: vid.clone(),
                        sku: str_of(v, "sku"),
                        location_external_id: loc.to_string(),
                        on_hand,
                        committed,
                        incoming,
                        since: level_since(l, zone),
                    });
                }
            }
            Ok((levels, None))
        },
        |w, levels| Sink::cached(w, store_id, &ids).levels(date, &levels),
    )
    .await
}

/// Warn when `read_all_orders` is missing; returns whether the scopes could be read.
async fn check_order_scope(
    client: &ShopifyClient,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<bool> {
    if ctx.now - ctx.history_from <= chrono::Duration::days(60) {
        return Ok(true);
    }
    let scopes = client.access_scopes().await?;
    if let Some(scopes) = &scopes {
        if !scopes.iter().any(|s| s == "read_all_orders") {
            let msg = format!(
                "{}: this app lacks the read_all_orders scope, so Shopify shows only the last 60 \
                 days of orders; forecasts need more history. Request read_all_orders for the \
                 app (Partner Dashboard or Dev Dashboard > app > API access), then sync again.",
                ctx.store_name
            );
            ctx.progress.emit(SyncEvent::Note {
                store: ctx.store_name.clone(),
                message: msg.clone(),
            });
            report.warnings.push(msg);
        }
    }
    Ok(scopes.is_some())
}

/// How orders are mapped in this sync, and the tally of attribution rules.
struct How<'a> {
    currency: &'a str,
    fulfillment: bool,
    tally: &'a RefCell<Attribution>,
}

impl How<'_> {
    fn map(&self, store: &str, nodes: &[&Value]) -> Result<Vec<RemoteOrder>> {
        let mut out = Vec::with_capacity(nodes.len());
        let mut g = self.tally.borrow_mut();
        let t = &mut *g;
        for n in nodes {
            let (o, rule) = map_order(store, n, self.currency)?;
            let units: i64 = o.lines.iter().map(|l| l.quantity).sum();
            let (orders, u) = match rule {
                Rule::Pos => (&mut t.pos_orders, &mut t.pos_units),
                Rule::Fulfillment => (&mut t.fulfillment_orders, &mut t.fulfillment_units),
                Rule::Default => (&mut t.default_orders, &mut t.default_units),
            };
            *orders += 1;
            *u += units;
            out.push(o);
        }
        Ok(out)
    }
}

/// The store's default location for orders no platform signal places (API-NOTES 5b): the
/// first active location that fulfils online orders, else the first active one.
fn default_location(db: &Store, store_id: i64) -> Result<Option<String>> {
    Ok(crate::remote::default_location(db.read().conn(), store_id)?.map(|(_, external)| external))
}

/// Can this token read fulfillment orders? If not, say which scope to add; orders then go
/// to the default location (never dropped). API-NOTES 5b.
async fn check_fulfillment_scope(
    client: &ShopifyClient,
    ctx: &Ctx,
    report: &mut SyncReport,
) -> Result<bool> {
    match client.graphql(FULFILLMENT_PROBE, json!({})).await {
        Ok(_) => Ok(true),
        Err(Error::Permission { detail, .. } | Error::Remote { detail, .. })
            if detail.contains("fulfillmentOrders") =>
        {
            let msg = format!(
                "{}: this app lacks a fulfillment-order read scope (read_merchant_managed_fulfillment_orders, \
                 or read_assigned_/read_third_party_/read_marketplace_fulfillment_orders), so online \
                 orders cannot be placed at the location that fulfils them; they go to the default \
                 location. Add read_merchant_managed_fulfillment_orders to the app and sync again.",
                ctx.store_name
            );
            ctx.progress.emit(SyncEvent::Note {
                store: ctx.store_name.clone(),
                message: msg.clone(),
            });
            report.warnings.push(msg);
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

async fn sync_orders(
    client: &ShopifyClient,
    db: &mut Store,
    ctx: &Ctx,
    how: &How<'_>,
) -> Result<u64> {
    let st = state::load::<Value>(&db.read(), ctx.store_id, "orders")?;
    if st.updated_since.is_none() {
        let resume = st
            .cursor
            .and_then(|c| serde_json::from_value::<Cursor<BulkAt>>(c).ok());
        let query = orders_bulk(&iso(ctx.history_from), how.fulfillment);
        let ids = crate::remote::Ids::default();
        let store_id = ctx.store_id;
        return bulk_pass(
            client,
            db,
            ctx,
            "orders",
            &query,
            resume,
            |top| {
                let orders = how.map(&ctx.store_name, &top.iter().collect::<Vec<_>>())?;
                let max = orders.iter().map(|o| iso(o.updated_at)).max();
                Ok((orders, max))
            },
            |w, orders| Sink::cached(w, store_id, &ids).orders(&orders),
        )
        .await;
    }
    let query = orders_paged(how.fulfillment);
    let ids = crate::remote::Ids::default();
    let first = Cell::new(ctx.order_page_size.min(PAGED_ORDERS));
    let (query, first, ids, store_id) = (query.as_str(), &first, &ids, ctx.store_id);
    run_pass(
        db,
        ctx,
        "orders",
        After::default(),
        Mark::Since(iso),
        move |cur| async move {
            let q = cur.since.as_ref().map(|s| format!("updated_at:>='{s}'"));
            let mut f = first.get();
            let d = client
                .graphql_paged(query, json!({ "after": cur.at.after, "q": q }), &mut f)
                .await;
            first.set(f);
            let d = d?;
            let conn = d
                .get("orders")
                .ok_or_else(|| Error::malformed(&ctx.store_name, "no orders"))?;
            let nodes = list(Some(conn));
            let mut full = Vec::with_capacity(nodes.len());
            for n in nodes {
                let overflow = n
                    .at("/lineItems/pageInfo/hasNextPage")
                    .and_then(Value::as_bool)
                    == Some(true)
                    || list(n.get("refunds")).len() >= 5
                    || list(n.get("refunds")).iter().any(|r| {
                        r.at("/refundLineItems/pageInfo/hasNextPage")
                            .and_then(Value::as_bool)
                            == Some(true)
                    });
                if overflow {
                    // A big order: fetch it alone with room for all its lines and refunds.
                    full.push(client.order_in_full(n).await?);
                } else {
                    full.push(n.clone());
                }
            }
            let orders = how.map(&ctx.store_name, &full.iter().collect::<Vec<_>>())?;
            let (more, after) = page_info(conn);
            Ok(Page {
                count: orders.len() as u64,
                max_seen: orders.iter().map(|o| iso(o.updated_at)).max(),
                rows: orders,
                next: After { after },
                more,
                total: None,
            })
        },
        |w, orders| Sink::cached(w, store_id, ids).orders(&orders),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assemble(text: &str) -> Result<Vec<Value>> {
        use std::io::Write;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        let mut ix = JsonlIndex::build("s", f)?;
        let n = ix.len();
        ix.objects(0..n, place_child)
    }

    /// A level's first day was the UTC day of its `updatedAt`; the shop's day is wanted (an
    /// update at 03:00 UTC is the evening before in Los Angeles).
    #[test]
    fn a_levels_first_day_is_the_shops_day() {
        let level = serde_json::json!({
            "createdAt": "2025-01-10T00:00:00Z",
            "updatedAt": "2025-03-02T03:00:00Z",
        });
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(
            level_since(&level, chrono_tz::America::Los_Angeles),
            day(2025, 3, 1)
        );
        assert_eq!(level_since(&level, chrono_tz::UTC), day(2025, 3, 2));
        let unchanged = serde_json::json!({
            "createdAt": "2025-01-10T00:00:00Z",
            "updatedAt": "2025-01-10T00:00:00Z",
        });
        assert_eq!(level_since(&unchanged, chrono_tz::UTC), None);
    }

    #[test]
    fn a_bulk_line_of_five_fulfilled_three_from_a_and_two_from_b_gives_three_to_a_and_two_to_b() {
        // Bulk JSONL: the fulfillment orders are children of the order, their line items
        // grandchildren parented to the fulfillment order (shopify.dev bulk operations).
        let text = r##"{"id":"gid://shopify/Order/1","name":"#1","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-02T00:00:00Z","refunds":[]}
{"id":"gid://shopify/LineItem/11","sku":"A","quantity":5,"currentQuantity":5,"__parentId":"gid://shopify/Order/1"}
{"id":"gid://shopify/LineItem/12","sku":"B","quantity":1,"currentQuantity":1,"__parentId":"gid://shopify/Order/1"}
{"id":"gid://shopify/FulfillmentOrder/100","status":"CLOSED","assignedLocation":{"location":{"id":"gid://shopify/Location/A"}},"__parentId":"gid://shopify/Order/1"}
{"totalQuantity":3,"lineItem":{"id":"gid://shopify/LineItem/11"},"__parentId":"gid://shopify/FulfillmentOrder/100"}
{"totalQuantity":1,"lineItem":{"id":"gid://shopify/LineItem/12"},"__parentId":"gid://shopify/FulfillmentOrder/100"}
{"id":"gid://shopify/FulfillmentOrder/101","status":"CLOSED","assignedLocation":{"location":{"id":"gid://shopify/Location/B"}},"__parentId":"gid://shopify/Order/1"}
{"totalQuantity":2,"lineItem":{"id":"gid://shopify/LineItem/11"},"__parentId":"gid://shopify/FulfillmentOrder/101"}
"##;
        let top = assemble(text).unwrap();
        assert_eq!(top.len(), 1);
        let (o, rule) = map_order("s", &top[0], "USD").unwrap();
        assert_eq!(rule, Rule::Fulfillment);
        assert_eq!(
            o.location_external_id.as_deref(),
            Some("gid://shopify/Location/A")
        );
        let at: Vec<(&str, i64, Option<&str>)> = o
            .lines
            .iter()
            .map(|l| {
                (
                    l.sku.as_str(),
                    l.quantity,
                    l.location_external_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            at,
            vec![
                ("A", 3, None),
                ("A", 2, Some("gid://shopify/Location/B")),
                ("B", 1, None)
            ]
        );
        // The part at B has its own id: the sink keys lines by it.
        assert_ne!(o.lines[0].external_id, o.lines[1].external_id);
    }

    #[test]
    fn a_split_line_keeps_its_cancelled_and_refunded_units_at_the_order_location() {
        let line = RemoteLine {
            external_id: "L".into(),
            sku: "A".into(),
            variant_external_id: None,
            quantity: 6,
            unit_price: 10.0,
            discount: 6.0,
            cancelled_qty: 1,
            location_external_id: None,
        };
        // 1 cancelled, 1 refunded: at most 4 units can have been fulfilled elsewhere.
        let parts = split_line(line.clone(), &[("A", 1), ("B", 5)], Some("A"), 1);
        let got: Vec<(i64, i64, Option<&str>)> = parts
            .iter()
            .map(|l| {
                (
                    l.quantity,
                    l.cancelled_qty,
                    l.location_external_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(got, vec![(2, 1, None), (4, 0, Some("B"))]);
        assert!((parts.iter().map(|l| l.discount).sum::<f64>() - 6.0).abs() < 1e-9);
        // Wholly fulfilled elsewhere: one row, at that location, with the line's id.
        let whole = split_line(
            RemoteLine {
                cancelled_qty: 0,
                ..line
            },
            &[("B", 6)],
            Some("A"),
            0,
        );
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].external_id, "L");
        assert_eq!(whole[0].location_external_id.as_deref(), Some("B"));
    }

    #[test]
    fn jsonl_children_attach_to_parents_out_of_order() {
        let text = r##"{"id":"gid://shopify/Order/1","name":"#1","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-02T00:00:00Z","refunds":[{"id":"gid://shopify/Refund/9","createdAt":"2025-01-03T00:00:00Z"}]}
{"id":"gid://shopify/Order/2","name":"#2","createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z","cancelledAt":"2025-01-01T05:00:00Z","refunds":[]}
{"id":"gid://shopify/LineItem/11","sku":"A","quantity":3,"currentQuantity":1,"variant":{"id":"gid://shopify/ProductVariant/5"},"__parentId":"gid://shopify/Order/1"}
{"id":"gid://shopify/LineItem/21","sku":"B","quantity":2,"currentQuantity":0,"__parentId":"gid://shopify/Order/2"}
{"quantity":1,"restockType":"RETURN","lineItem":{"id":"gid://shopify/LineItem/11"},"__parentId":"gid://shopify/Refund/9"}
"##;
        let top = assemble(text).unwrap();
        assert_eq!(top.len(), 2);
        let o1 = map_order("s", &top[0], "USD").unwrap().0;
        assert_eq!(o1.lines.len(), 1);
        assert_eq!(o1.refunds.len(), 1);
        assert_eq!(o1.refunds[0].quantity, 1);
        assert!(o1.refunds[0].restocked);
        // 3 ordered, 1 current, 1 refunded: 1 cancelled.
        assert_eq!(o1.lines[0].cancelled_qty, 1);
        let o2 = map_order("s", &top[1], "USD").unwrap().0;
        assert_eq!(o2.lines[0].cancelled_qty, 2);
        assert!(o2.cancelled_at.is_some());
        // A child whose parent never appeared is an error, not silently dropped.
        let bad = "{\"id\":\"x\",\"__parentId\":\"gid://nope\"}\n";
        assert!(assemble(bad).is_err());
        assert!(assemble("{not json\n").unwrap_err().is_retryable());
    }
}
