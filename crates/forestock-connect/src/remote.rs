//! Platform-neutral shapes of what a store sends, and how they land in the merchant database.
//!
//! Every connector turns its pages into these types; [`Sink`] writes them inside the caller's
//! transaction, keyed by `(store_id, external_id)` so that a page applied twice (a retry, a
//! resumed sync, a duplicate webhook) changes nothing the second time.

use crate::error::Result;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{
    InventorySnapshot, LocationKind, NewLocation, NewOrder, NewOrderLine, NewProduct, NewRefund,
    NewVariant, ProductStatus, SkuStatus, Writer,
};
use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteLocation {
    pub external_id: String,
    /// A short code; made unique across stores when it collides.
    pub code: String,
    pub name: String,
    pub kind: LocationKind,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteProduct {
    pub external_id: String,
    pub title: String,
    pub category: String,
    pub vendor: String,
    pub status: ProductStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub variants: Vec<RemoteVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteVariant {
    pub external_id: String,
    pub sku: String,
    pub title: String,
    pub barcode: Option<String>,
    pub price: f64,
    pub cost: Option<f64>,
    pub status: SkuStatus,
    pub created_date: NaiveDate,
    pub updated_at: NaiveDateTime,
}

/// One inventory level. Variants are found by external id, else by SKU.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteLevel {
    pub variant_external_id: Option<String>,
    pub sku: Option<String>,
    pub location_external_id: String,
    pub on_hand: i64,
    pub committed: i64,
    pub incoming: i64,
    /// The day the level last changed, when the platform says it changed after the level was
    /// created (Shopify `InventoryLevel.updatedAt` later than `createdAt`): it has held since.
    /// Used for a level of 0 only (`Sink::levels`); BigCommerce's inventory items and Adobe
    /// Commerce's source items carry no date, so theirs is None.
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteOrder {
    pub external_id: String,
    pub name: String,
    pub location_external_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub currency: String,
    pub channel: String,
    pub lines: Vec<RemoteLine>,
    pub refunds: Vec<RemoteRefund>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteLine {
    pub external_id: String,
    pub sku: String,
    pub variant_external_id: Option<String>,
    pub quantity: i64,
    pub unit_price: f64,
    pub discount: f64,
    pub cancelled_qty: i64,
    /// Where these units were fulfilled when it is not the order's location: a line split
    /// across locations arrives as one `RemoteLine` per location (API-NOTES 5b).
    pub location_external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RemoteRefund {
    pub external_id: String,
    pub line_external_id: String,
    pub created_at: NaiveDateTime,
    pub quantity: i64,
    pub amount: f64,
    pub restocked: bool,
}

/// One line as one row per fulfilling location: the units fulfilled at a location other
/// than the order's (`order_at`) become their own part carrying that location (a line of
/// 5 with 3 from A and 2 from B, A the order's: 3 at A, 2 at B; Shopify fulfillment orders,
/// Adobe Commerce shipments from several sources). The part at the order's
/// location keeps the line's id, its cancellations and its refunds (`refunded` units), so
/// the other parts take at most the units sold and kept; when no unit is left at the
/// order's location, the first other part takes its place (and the line's id).
pub(crate) fn split_line(
    line: RemoteLine,
    at: &[(&str, i64)],
    order_at: Option<&str>,
    refunded: i64,
) -> Vec<RemoteLine> {
    let mut budget = (line.quantity - line.cancelled_qty - refunded).max(0);
    let mut others: Vec<(String, i64)> = Vec::new();
    for (loc, q) in at {
        if Some(*loc) == order_at || budget == 0 {
            continue;
        }
        let take = (*q).min(budget);
        budget -= take;
        others.push((loc.to_string(), take));
    }
    if others.is_empty() {
        return vec![line];
    }
    let moved: i64 = others.iter().map(|(_, q)| q).sum();
    let share = |q: i64| {
        // Discounts follow the units (a line's discount is per line, not per unit).
        if line.quantity > 0 {
            line.discount * q as f64 / line.quantity as f64
        } else {
            0.0
        }
    };
    let mut out = Vec::with_capacity(others.len() + 1);
    let home = line.quantity - moved;
    let mut rest = others.into_iter();
    if home > 0 {
        out.push(RemoteLine {
            quantity: home,
            discount: share(home),
            ..line.clone()
        });
    } else if let Some((loc, q)) = rest.next() {
        out.push(RemoteLine {
            quantity: q,
            discount: share(q),
            location_external_id: Some(loc),
            ..line.clone()
        });
    }
    for (loc, q) in rest {
        out.push(RemoteLine {
            external_id: format!("{}@{loc}", line.external_id),
            quantity: q,
            discount: share(q),
            cancelled_qty: 0,
            location_external_id: Some(loc),
            ..line.clone()
        });
    }
    out
}

/// What one page changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Orders (and their units) the platform gave no location, written at the store's default
    /// location (API-NOTES 5b: never drop an order for want of a location).
    pub defaulted_orders: u64,
    pub defaulted_units: i64,
    /// Orders (and units) written at the location the platform named for them.
    pub located_orders: u64,
    pub located_units: i64,
}

/// The key in a store's `settings` naming (by code) the location that takes the demand the
/// platform does not place; see [`default_location`].
pub const UNATTRIBUTED_LOCATION: &str = "unattributed_location";

/// The store's default location, as (id, external id): the active location the planner chose
/// in the store's settings ([`UNATTRIBUTED_LOCATION`]), else its first active warehouse, else
/// its first active location. Orders the platform gives no location go there (BigCommerce's
/// shipped orders and Adobe Commerce's name none; a Shopify order with neither a point-of-sale
/// nor a fulfilment location); API-NOTES 5b.
pub fn default_location(
    conn: &rusqlite::Connection,
    store_id: i64,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT l.id, l.external_id FROM locations l JOIN stores s ON s.id = l.store_id \
             WHERE l.store_id = ?1 AND l.active \
             ORDER BY l.code IS json_extract(s.settings, '$.unattributed_location') DESC, \
                      (l.kind = 'warehouse') DESC, l.id LIMIT 1",
        )?
        .query_row([store_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Writes remote data for one store into a transaction.
pub struct Sink<'w, 'c> {
    pub w: &'w Writer<'c>,
    pub store_id: i64,
    /// Variant and location ids already looked up in this pass (see [`Ids`]).
    pub ids: Option<&'w Ids>,
}

/// Variant and location ids found by earlier pages of the same pass, so that a line's
/// variant is looked up once per pass instead of once per line (a first sync of 24 months
/// stores millions of lines over a few thousand variants). Only ids that were found are
/// remembered, and passes that apply orders or inventory levels never delete or re-key
/// variants or locations, so a remembered id stays right for the pass.
#[derive(Debug, Default)]
pub struct Ids {
    variants_by_external: std::sync::Mutex<HashMap<String, i64>>,
    variants_by_sku: std::sync::Mutex<HashMap<String, i64>>,
    locations: std::sync::Mutex<HashMap<String, i64>>,
}

fn remembered(m: &std::sync::Mutex<HashMap<String, i64>>, k: &str) -> Option<i64> {
    m.lock().ok().and_then(|m| m.get(k).copied())
}

fn remember(m: &std::sync::Mutex<HashMap<String, i64>>, k: &str, id: Option<i64>) {
    if let (Some(id), Ok(mut m)) = (id, m.lock()) {
        m.insert(k.to_string(), id);
    }
}

/// The merchant's time zone (`merchant.timezone`, an IANA name); UTC when there is no merchant
/// yet or the name is not in the time zone database.
pub fn shop_zone(r: &forestock_core::Reader<'_>) -> Result<chrono_tz::Tz> {
    Ok(r.merchant()?
        .and_then(|m| m.timezone.parse::<chrono_tz::Tz>().ok())
        .unwrap_or(chrono_tz::UTC))
}

/// The shop's day at a UTC instant (the merchant's time zone): the day a stock level read now
/// is dated, like the orders, so a level read at 01:00 UTC in Los Angeles ends the shop's
/// previous day, the day whose sales it follows.
pub fn shop_day(store: &forestock_core::Store, utc: NaiveDateTime) -> Result<chrono::NaiveDate> {
    Ok(shop_time(shop_zone(&store.read())?, utc).date())
}

/// A platform's UTC time stamp as the shop's local wall-clock time. Orders are stored so: the
/// demand history buckets them by `date(created_at)`, and a shop's day runs from its own
/// midnight to the next (an order at 02:00 UTC in Los Angeles is the evening before). The demo
/// merchant writes its orders in shop time the same way.
pub fn shop_time(zone: chrono_tz::Tz, utc: NaiveDateTime) -> NaiveDateTime {
    use chrono::TimeZone;
    zone.from_utc_datetime(&utc).naive_local()
}

impl<'w, 'c> Sink<'w, 'c> {
    /// A sink with no id cache (pages that change variants or locations).
    pub fn new(w: &'w Writer<'c>, store_id: i64) -> Sink<'w, 'c> {
        Sink {
            w,
            store_id,
            ids: None,
        }
    }

    /// A sink that remembers variant and location ids in `ids` across pages.
    pub fn cached(w: &'w Writer<'c>, store_id: i64, ids: &'w Ids) -> Sink<'w, 'c> {
        Sink {
            w,
            store_id,
            ids: Some(ids),
        }
    }
}

impl Sink<'_, '_> {
    pub fn locations(&self, locs: &[RemoteLocation]) -> Result<Applied> {
        let tx = self.w.tx();
        let mut a = Applied::default();
        for l in locs {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM locations WHERE store_id = ?1 AND external_id = ?2",
                    params![self.store_id, l.external_id],
                    |r| r.get(0),
                )
                .optional()?;
            match existing {
                Some(id) => {
                    tx.execute(
                        "UPDATE locations SET name = ?2, kind = ?3, active = ?4 WHERE id = ?1",
                        params![id, l.name, l.kind, l.active],
                    )?;
                    a.updated += 1;
                }
                None => {
                    let code = self.free_code(&l.code)?;
                    let id = self.w.insert_location(&NewLocation {
                        code,
                        name: l.name.clone(),
                        kind: l.kind,
                        store_id: Some(self.store_id),
                        external_id: Some(l.external_id.clone()),
                    })?;
                    tx.execute(
                        "UPDATE locations SET active = ?2 WHERE id = ?1",
                        params![id, l.active],
                    )?;
                    a.inserted += 1;
                }
            }
        }
        Ok(a)
    }

    fn free_code(&self, wanted: &str) -> Result<String> {
        let base = if wanted.trim().is_empty() {
            "LOC"
        } else {
            wanted.trim()
        };
        let mut code = base.to_string();
        let mut n = 2;
        while self
            .w
            .tx()
            .query_row("SELECT 1 FROM locations WHERE code = ?1", [&code], |_| {
                Ok(())
            })
            .optional()?
            .is_some()
        {
            code = format!("{base}-{n}");
            n += 1;
        }
        Ok(code)
    }

    pub fn products(&self, products: &[RemoteProduct]) -> Result<Applied> {
        let tx = self.w.tx();
        let mut a = Applied::default();
        for p in products {
            let existing: Option<i64> = tx
                .prepare_cached("SELECT id FROM products WHERE store_id = ?1 AND external_id = ?2")?
                .query_row(params![self.store_id, p.external_id], |r| r.get(0))
                .optional()?;
            let product_id =
                match existing {
                    Some(id) => {
                        tx.prepare_cached(
                        "UPDATE products SET title = ?2, category = ?3, vendor = ?4, status = ?5, \
                         updated_at = ?6 WHERE id = ?1",
                    )?
                    .execute(params![id, p.title, p.category, p.vendor, p.status, p.updated_at])?;
                        id
                    }
                    None => {
                        let id = self.w.insert_product(&NewProduct {
                            store_id: Some(self.store_id),
                            external_id: Some(p.external_id.clone()),
                            title: p.title.clone(),
                            category: p.category.clone(),
                            vendor: p.vendor.clone(),
                            status: p.status,
                            created_at: p.created_at,
                        })?;
                        tx.prepare_cached("UPDATE products SET updated_at = ?2 WHERE id = ?1")?
                            .execute(params![id, p.updated_at])?;
                        id
                    }
                };
            for v in &p.variants {
                let found: Option<i64> = tx
                    .prepare_cached(
                        "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
                         WHERE p.store_id = ?1 AND v.external_id = ?2",
                    )?
                    .query_row(params![self.store_id, v.external_id], |r| r.get(0))
                    .optional()?;
                // A SKU already known (from another store or before its id changed) is the
                // same sellable thing: SKUs are unique per merchant.
                let found = match found {
                    Some(id) => Some(id),
                    None => tx
                        .prepare_cached("SELECT id FROM variants WHERE sku = ?1")?
                        .query_row([&v.sku], |r| r.get(0))
                        .optional()?,
                };
                match found {
                    Some(id) => {
                        tx.prepare_cached(
                            "UPDATE variants SET product_id = ?2, external_id = ?3, sku = ?4, \
                             title = ?5, barcode = ?6, price = ?7, cost = ?8, status = ?9, \
                             updated_at = ?10 WHERE id = ?1",
                        )?
                        .execute(params![
                            id,
                            product_id,
                            v.external_id,
                            v.sku,
                            v.title,
                            v.barcode,
                            v.price,
                            v.cost,
                            v.status,
                            v.updated_at
                        ])?;
                        a.updated += 1;
                    }
                    None => {
                        self.w.insert_variant(
                            &NewVariant {
                                product_id,
                                external_id: Some(v.external_id.clone()),
                                sku: v.sku.clone(),
                                title: v.title.clone(),
                                barcode: v.barcode.clone(),
                                price: v.price,
                                cost: v.cost,
                                attributes: serde_json::json!({}),
                                status: v.status,
                                created_date: v.created_date,
                                discontinue_date: None,
                            },
                            v.updated_at,
                        )?;
                        a.inserted += 1;
                    }
                }
            }
        }
        Ok(a)
    }

    fn variant_id(&self, external: Option<&str>, sku: Option<&str>) -> Result<Option<i64>> {
        if let Some(ids) = self.ids {
            if let Some(id) = external.and_then(|x| remembered(&ids.variants_by_external, x)) {
                return Ok(Some(id));
            }
            if external.is_none() {
                if let Some(id) = sku.and_then(|s| remembered(&ids.variants_by_sku, s)) {
                    return Ok(Some(id));
                }
            }
        }
        let tx = self.w.tx();
        if let Some(x) = external {
            let id = tx
                .prepare_cached(
                    "SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id \
                     WHERE p.store_id = ?1 AND v.external_id = ?2",
                )?
                .query_row(params![self.store_id, x], |r| r.get(0))
                .optional()?;
            if id.is_some() {
                if let Some(ids) = self.ids {
                    remember(&ids.variants_by_external, x, id);
                }
                return Ok(id);
            }
        }
        match sku {
            Some(s) if !s.is_empty() => {
                if let Some(id) = self.ids.and_then(|ids| remembered(&ids.variants_by_sku, s)) {
                    return Ok(Some(id));
                }
                let id = tx
                    .prepare_cached("SELECT id FROM variants WHERE sku = ?1")?
                    .query_row([s], |r| r.get(0))
                    .optional()?;
                if let Some(ids) = self.ids {
                    remember(&ids.variants_by_sku, s, id);
                }
                Ok(id)
            }
            _ => Ok(None),
        }
    }

    fn location_id(&self, external: &str) -> Result<Option<i64>> {
        if let Some(id) = self
            .ids
            .and_then(|ids| remembered(&ids.locations, external))
        {
            return Ok(Some(id));
        }
        let id = self
            .w
            .tx()
            .prepare_cached("SELECT id FROM locations WHERE store_id = ?1 AND external_id = ?2")?
            .query_row(params![self.store_id, external], |r| r.get(0))
            .optional()?;
        if let Some(ids) = self.ids {
            remember(&ids.locations, external, id);
        }
        Ok(id)
    }

    /// Record levels as of `date`. Snapshots are change points: a level equal to the latest
    /// earlier one adds no row. Levels for unknown SKUs or locations are counted and skipped.
    pub fn levels(&self, date: NaiveDate, levels: &[RemoteLevel]) -> Result<(Applied, u64)> {
        let mut a = Applied::default();
        let mut skipped = 0;
        for l in levels {
            let (Some(vid), Some(lid)) = (
                self.variant_id(l.variant_external_id.as_deref(), l.sku.as_deref())?,
                self.location_id(&l.location_external_id)?,
            ) else {
                skipped += 1;
                continue;
            };
            let prev: Option<(i64, i64, i64)> = self
                .w
                .tx()
                .prepare_cached(
                    "SELECT on_hand, committed, incoming FROM inventory_snapshots \
                     WHERE variant_id = ?1 AND location_id = ?2 AND date < ?3 \
                     ORDER BY date DESC LIMIT 1",
                )?
                .query_row(params![vid, lid, date], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let committed = l.committed.max(0);
            let incoming = l.incoming.max(0);
            // First sight of a level of 0 the platform says has held since an earlier day: it
            // is dated that day, so the days in between are known to be a stockout (the
            // forecaster treats a day at 0 without a sale as unobserved demand, not as a day
            // nobody wanted it; `forestock-demand`). Only a level of 0, the out-of-stock
            // start: a positive level dated earlier would change nothing the forecaster reads
            // (only a day at 0 is read differently) and would only make this platform's
            // history differ from the others' (BigCommerce and Adobe Commerce give no date, so
            // their levels are dated the sync day). The date is the last change of *any*
            // quantity of the level (Shopify's `updatedAt` moves with committed or incoming
            // too): it may be later than the true out-of-stock start, which only leaves some
            // stockout days unmarked, never marks a day in stock as out. A level that changed
            // to 0 today is stored too (unlike one that was never stocked).
            let since = l
                .since
                .filter(|s| prev.is_none() && *s <= date && l.on_hand <= 0);
            if let Some(day) = since {
                self.w.put_snapshot(&InventorySnapshot {
                    variant_id: vid,
                    location_id: lid,
                    date: day,
                    on_hand: l.on_hand,
                    committed,
                    incoming,
                })?;
                a.inserted += 1;
                continue;
            }
            if prev.is_none() && l.on_hand == 0 && committed == 0 && incoming == 0 {
                // Never stocked here: a row would say nothing a missing row doesn't.
                a.unchanged += 1;
                continue;
            }
            if prev == Some((l.on_hand, committed, incoming)) {
                // Same as before: drop a same-day row an earlier run of today may have written.
                self.w
                    .tx()
                    .prepare_cached(
                        "DELETE FROM inventory_snapshots WHERE variant_id = ?1 AND \
                         location_id = ?2 AND date = ?3",
                    )?
                    .execute(params![vid, lid, date])?;
                a.unchanged += 1;
                continue;
            }
            self.w.put_snapshot(&InventorySnapshot {
                variant_id: vid,
                location_id: lid,
                date,
                on_hand: l.on_hand,
                committed,
                incoming,
            })?;
            a.inserted += 1;
        }
        Ok((a, skipped))
    }

    /// Upsert orders with their lines and refunds. An order already stored with the same
    /// `updated_at` is left alone; a newer version replaces its lines and refunds.
    pub fn orders(&self, orders: &[RemoteOrder]) -> Result<Applied> {
        let tx = self.w.tx();
        let mut a = Applied::default();
        let zone = shop_zone(&self.w.read())?;
        for o in orders {
            // The shop's wall-clock time: `date(created_at)` is then the shop's day.
            let created_at = shop_time(zone, o.created_at);
            let existing: Option<(i64, NaiveDateTime)> = tx
                .prepare_cached(
                    "SELECT id, updated_at FROM orders WHERE store_id = ?1 AND external_id = ?2",
                )?
                .query_row(params![self.store_id, o.external_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((_, updated)) = existing {
                if updated >= o.updated_at {
                    a.unchanged += 1;
                    continue;
                }
            }
            let lines: Vec<&RemoteLine> = o.lines.iter().filter(|l| l.quantity > 0).collect();
            if lines.is_empty() {
                a.unchanged += 1;
                continue;
            }
            let mut defaulted = false;
            let location_id = match &o.location_external_id {
                Some(x) => {
                    a.located_orders += 1;
                    a.located_units += lines.iter().map(|l| l.quantity).sum::<i64>();
                    self.location_id(x)?
                }
                None => {
                    let d = default_location(self.w.tx(), self.store_id)?.map(|(id, _)| id);
                    if d.is_some() {
                        defaulted = true;
                        a.defaulted_orders += 1;
                        a.defaulted_units += lines.iter().map(|l| l.quantity).sum::<i64>();
                    }
                    d
                }
            };
            let mut new_lines = Vec::with_capacity(lines.len());
            for l in &lines {
                new_lines.push(NewOrderLine {
                    external_id: Some(l.external_id.clone()),
                    variant_id: self.variant_id(l.variant_external_id.as_deref(), Some(&l.sku))?,
                    sku: l.sku.clone(),
                    quantity: l.quantity,
                    unit_price: l.unit_price.max(0.0),
                    discount: l.discount.max(0.0),
                    cancelled_qty: l.cancelled_qty.clamp(0, l.quantity),
                });
            }
            let (order_id, line_ids) = match existing {
                Some((id, _)) => {
                    tx.prepare_cached("DELETE FROM order_lines WHERE order_id = ?1")?
                        .execute([id])?;
                    tx.prepare_cached(
                        "UPDATE orders SET name = ?2, location_id = ?3, created_at = ?4, \
                         updated_at = ?5, cancelled_at = ?6, currency = ?7, channel = ?8 \
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        o.name,
                        location_id,
                        created_at,
                        o.updated_at,
                        o.cancelled_at,
                        o.currency,
                        o.channel
                    ])?;
                    let mut ids = Vec::new();
                    let mut st = tx.prepare_cached(
                        "INSERT INTO order_lines (order_id, external_id, variant_id, sku, \
                         quantity, unit_price, discount, cancelled_qty) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?;
                    for l in &new_lines {
                        st.execute(params![
                            id,
                            l.external_id,
                            l.variant_id,
                            l.sku,
                            l.quantity,
                            l.unit_price,
                            l.discount,
                            l.cancelled_qty
                        ])?;
                        ids.push(tx.last_insert_rowid());
                    }
                    a.updated += 1;
                    (id, ids)
                }
                None => {
                    a.inserted += 1;
                    self.w.insert_order(
                        &NewOrder {
                            store_id: Some(self.store_id),
                            external_id: Some(o.external_id.clone()),
                            name: o.name.clone(),
                            location_id,
                            created_at,
                            updated_at: o.updated_at,
                            cancelled_at: o.cancelled_at,
                            currency: o.currency.clone(),
                            channel: o.channel.clone(),
                        },
                        &new_lines,
                    )?
                }
            };
            tx.prepare_cached("UPDATE orders SET located_by_default = ?2 WHERE id = ?1")?
                .execute(params![order_id, defaulted])?;
            // Parts of a split line fulfilled elsewhere than the order's location.
            for (l, id) in lines.iter().zip(&line_ids) {
                let Some(x) = &l.location_external_id else {
                    continue;
                };
                let Some(loc) = self.location_id(x)? else {
                    continue;
                };
                if Some(loc) == location_id {
                    continue;
                }
                tx.prepare_cached("UPDATE order_lines SET location_id = ?2 WHERE id = ?1")?
                    .execute(params![id, loc])?;
            }
            for r in &o.refunds {
                let Some(pos) = lines
                    .iter()
                    .position(|l| l.external_id == r.line_external_id)
                else {
                    continue;
                };
                if r.quantity <= 0 {
                    continue;
                }
                self.w.insert_refund(&NewRefund {
                    order_id,
                    order_line_id: line_ids[pos],
                    external_id: Some(r.external_id.clone()),
                    created_at: r.created_at,
                    quantity: r.quantity,
                    amount: r.amount.max(0.0),
                    restocked: r.restocked,
                })?;
            }
        }
        Ok(a)
    }
}
