//! The merchant as the simulators see it: catalog, locations and latest inventory held in
//! memory (small even at 20,000 SKUs), orders indexed in memory by id and by updated-at and
//! read from SQLite one page at a time (24 months of a large shop do not fit comfortably).

use crate::error::Result;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::{params_from_iter, Connection};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

#[derive(Debug, Clone)]
pub struct Product {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub vendor: String,
    /// `active`, `draft` or `archived`.
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub variant_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub title: String,
    pub barcode: Option<String>,
    pub price: f64,
    pub cost: Option<f64>,
    /// `active`, `discontinued` or `draft`.
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub active: bool,
}

/// The latest inventory level of one SKU at one location.
#[derive(Debug, Clone, Copy)]
pub struct Level {
    pub location_id: i64,
    pub on_hand: i64,
    pub committed: i64,
    pub incoming: i64,
    pub date: NaiveDate,
}

impl Level {
    pub fn available(&self) -> i64 {
        self.on_hand - self.committed
    }
}

#[derive(Debug, Clone)]
pub struct Supplier {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub currency: String,
}

#[derive(Debug, Clone)]
pub struct SupplierItem {
    pub supplier_id: i64,
    pub variant_id: i64,
    pub unit_cost: Option<f64>,
    pub is_primary: bool,
}

/// Everything but orders, loaded once at start.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub shop_name: String,
    pub currency: String,
    /// The simulated "now": the end of the merchant's `as_of` day, or the wall clock.
    pub now: NaiveDateTime,
    pub products: Vec<Product>,
    pub variants: Vec<Variant>,
    pub locations: Vec<Location>,
    pub suppliers: Vec<Supplier>,
    pub supplier_items: Vec<SupplierItem>,
    product_pos: HashMap<i64, usize>,
    variant_pos: HashMap<i64, usize>,
    levels: HashMap<i64, Vec<Level>>,
}

impl Catalog {
    pub fn product(&self, id: i64) -> Option<&Product> {
        self.product_pos.get(&id).map(|&i| &self.products[i])
    }
    pub fn variant(&self, id: i64) -> Option<&Variant> {
        self.variant_pos.get(&id).map(|&i| &self.variants[i])
    }
    pub fn variant_by_sku(&self, sku: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.sku == sku)
    }
    pub fn location(&self, id: i64) -> Option<&Location> {
        self.locations.iter().find(|l| l.id == id)
    }
    /// Latest levels of a SKU, one per location that ever held it, by location id.
    pub fn levels(&self, variant_id: i64) -> &[Level] {
        self.levels
            .get(&variant_id)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[derive(Debug, Clone)]
pub struct OrderLine {
    pub id: i64,
    pub variant_id: Option<i64>,
    pub sku: String,
    pub quantity: i64,
    pub unit_price: f64,
    pub discount: f64,
    pub cancelled_qty: i64,
    /// Units of this line fulfilled at another location than the order's: (location id,
    /// units). A merchant database stores such a part as its own row with
    /// `order_lines.location_id` set; platforms show one line fulfilled from several places.
    pub elsewhere: Vec<(i64, i64)>,
}

impl OrderLine {
    /// Units fulfilled at the order's own location.
    pub fn home_qty(&self) -> i64 {
        self.quantity - self.elsewhere.iter().map(|(_, q)| q).sum::<i64>()
    }
}

#[derive(Debug, Clone)]
pub struct RefundLine {
    pub id: i64,
    pub line_id: i64,
    pub quantity: i64,
    pub amount: f64,
    pub restocked: bool,
}

/// A refund as the platforms group it: the refund rows of one order made at one moment.
#[derive(Debug, Clone)]
pub struct Refund {
    /// The smallest refund row id in the group.
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub lines: Vec<RefundLine>,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: i64,
    pub name: String,
    pub location_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub currency: String,
    pub lines: Vec<OrderLine>,
    pub refunds: Vec<Refund>,
}

impl Order {
    pub fn refunded_qty(&self, line_id: i64) -> i64 {
        self.refunds
            .iter()
            .flat_map(|r| &r.lines)
            .filter(|l| l.line_id == line_id)
            .map(|l| l.quantity)
            .sum()
    }
}

/// One order's sort keys (seconds since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    pub id: i64,
    pub created: i64,
    pub updated: i64,
}

/// Orders sorted by id, and positions into that list sorted by (updated, id): 28 bytes an
/// order, so 24 months of a 20,000-SKU shop stay in memory comfortably.
#[derive(Debug, Default)]
pub struct OrderIndex {
    pub by_id: Vec<OrderKey>,
    by_updated: Vec<u32>,
}

/// The order a listing walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderSort {
    Id,
    Updated,
}

impl OrderIndex {
    /// Keys in `sort` order from position `start`.
    pub fn iter_from(
        &self,
        sort: OrderSort,
        start: usize,
    ) -> Box<dyn Iterator<Item = OrderKey> + '_> {
        match sort {
            OrderSort::Id => Box::new(self.by_id.iter().skip(start).copied()),
            OrderSort::Updated => Box::new(
                self.by_updated
                    .iter()
                    .skip(start)
                    .map(|&i| self.by_id[i as usize]),
            ),
        }
    }

    /// The position of the first key after `(updated, id)` (Updated) or after `id` (Id).
    pub fn start_after(&self, sort: OrderSort, updated: i64, id: i64) -> usize {
        match sort {
            OrderSort::Id => self.by_id.partition_point(|k| k.id <= id),
            OrderSort::Updated => self.by_updated.partition_point(|&i| {
                let k = self.by_id[i as usize];
                (k.updated, k.id) <= (updated, id)
            }),
        }
    }

    pub fn contains(&self, id: i64) -> Option<OrderKey> {
        self.by_id
            .binary_search_by_key(&id, |k| k.id)
            .ok()
            .map(|i| self.by_id[i])
    }
}

/// The merchant: catalog in memory, orders by page from SQLite.
pub struct Merchant {
    /// Swapped whole by [`Merchant::touch_variant`] (a test changing data mid-sync); readers
    /// hold their own `Arc` for the length of a request.
    catalog: RwLock<Arc<Catalog>>,
    pub orders: OrderIndex,
    conn: Mutex<Connection>,
}

pub fn epoch(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

pub fn from_epoch(s: i64) -> NaiveDateTime {
    chrono::DateTime::from_timestamp(s, 0)
        .unwrap_or_default()
        .naive_utc()
}

impl Merchant {
    /// Load a merchant database. `now` overrides the simulated clock.
    pub fn load(conn: Connection, now: Option<NaiveDateTime>) -> Result<Arc<Merchant>> {
        let catalog = load_catalog(&conn, now)?;
        let orders = load_order_index(&conn)?;
        Ok(Arc::new(Merchant {
            catalog: RwLock::new(Arc::new(catalog)),
            orders,
            conn: Mutex::new(conn),
        }))
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: reads only.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fetch orders with lines and refunds, in the order of `ids`; unknown ids are skipped.
    pub fn fetch_orders(&self, ids: &[i64]) -> Result<Vec<Order>> {
        let conn = self.conn();
        let mut out: Vec<Order> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let mut st = conn.prepare(&format!(
                "SELECT id, name, location_id, created_at, updated_at, cancelled_at, currency \
                 FROM orders WHERE id IN ({marks})"
            ))?;
            let mut got: HashMap<i64, Order> = st
                .query_map(params_from_iter(chunk), |r| {
                    Ok(Order {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        location_id: r.get(2)?,
                        created_at: r.get(3)?,
                        updated_at: r.get(4)?,
                        cancelled_at: r.get(5)?,
                        currency: r.get(6)?,
                        lines: Vec::new(),
                        refunds: Vec::new(),
                    })
                })?
                .map(|o| o.map(|o| (o.id, o)))
                .collect::<rusqlite::Result<_>>()?;
            let mut st = conn.prepare(&format!(
                "SELECT order_id, id, variant_id, sku, quantity, unit_price, discount, cancelled_qty, \
                 location_id FROM order_lines WHERE order_id IN ({marks}) ORDER BY id"
            ))?;
            let mut rows = st.query(params_from_iter(chunk))?;
            // A part fulfilled elsewhere joins the earlier line of the same SKU: served as
            // one line (its refunds follow it).
            let mut merged: HashMap<i64, i64> = HashMap::new();
            while let Some(r) = rows.next()? {
                let oid: i64 = r.get(0)?;
                let Some(o) = got.get_mut(&oid) else {
                    continue;
                };
                let line = OrderLine {
                    id: r.get(1)?,
                    variant_id: r.get(2)?,
                    sku: r.get(3)?,
                    quantity: r.get(4)?,
                    unit_price: r.get(5)?,
                    discount: r.get(6)?,
                    cancelled_qty: r.get(7)?,
                    elsewhere: Vec::new(),
                };
                let at: Option<i64> = r.get(8)?;
                let Some(at) = at.filter(|a| Some(*a) != o.location_id) else {
                    o.lines.push(line);
                    continue;
                };
                match o.lines.iter_mut().find(|l| l.sku == line.sku) {
                    Some(home) => {
                        merged.insert(line.id, home.id);
                        home.quantity += line.quantity;
                        home.discount += line.discount;
                        home.cancelled_qty += line.cancelled_qty;
                        home.elsewhere
                            .push((at, line.quantity - line.cancelled_qty));
                    }
                    None => o.lines.push(OrderLine {
                        elsewhere: vec![(at, line.quantity - line.cancelled_qty)],
                        ..line
                    }),
                }
            }
            // Refunds are indexed by line, not by order: look them up by the lines' ids.
            let line_ids: Vec<i64> = got
                .values()
                .flat_map(|o| o.lines.iter().map(|l| l.id))
                .collect();
            let mut refund_rows: Vec<(i64, NaiveDateTime, RefundLine)> = Vec::new();
            for lchunk in line_ids.chunks(900) {
                let lmarks = vec!["?"; lchunk.len()].join(",");
                let mut st = conn.prepare(&format!(
                    "SELECT order_id, id, order_line_id, created_at, quantity, amount, restocked \
                     FROM refunds WHERE order_line_id IN ({lmarks})"
                ))?;
                let mut rows = st.query(params_from_iter(lchunk))?;
                while let Some(r) = rows.next()? {
                    refund_rows.push((
                        r.get(0)?,
                        r.get(3)?,
                        RefundLine {
                            id: r.get(1)?,
                            line_id: {
                                let id: i64 = r.get(2)?;
                                merged.get(&id).copied().unwrap_or(id)
                            },
                            quantity: r.get(4)?,
                            amount: r.get(5)?,
                            restocked: r.get(6)?,
                        },
                    ));
                }
            }
            refund_rows.sort_by_key(|r| (r.1, r.2.id));
            for (oid, created, line) in refund_rows {
                if let Some(o) = got.get_mut(&oid) {
                    match o.refunds.last_mut() {
                        Some(last) if last.created_at == created => last.lines.push(line),
                        _ => o.refunds.push(Refund {
                            id: line.id,
                            created_at: created,
                            lines: vec![line],
                        }),
                    }
                }
            }
            for id in chunk {
                if let Some(o) = got.remove(id) {
                    out.push(o);
                }
            }
        }
        Ok(out)
    }

    /// The catalog as it is now.
    pub fn catalog(&self) -> Arc<Catalog> {
        Arc::clone(&self.catalog.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Change a variant as a merchant editing it would: a new price (if given) and
    /// `updated_at` on the variant and its product. Returns false for an unknown SKU.
    pub fn touch_variant(&self, sku: &str, price: Option<f64>, at: NaiveDateTime) -> bool {
        let mut guard = self.catalog.write().unwrap_or_else(|e| e.into_inner());
        let mut cat = Catalog::clone(&guard);
        let Some(i) = cat.variants.iter().position(|v| v.sku == sku) else {
            return false;
        };
        let v = &mut cat.variants[i];
        if let Some(p) = price {
            v.price = p;
        }
        v.updated_at = at;
        let pid = v.product_id;
        if let Some(&j) = cat.product_pos.get(&pid) {
            cat.products[j].updated_at = at;
        }
        *guard = Arc::new(cat);
        true
    }

    /// The simulated "now".
    pub fn now(&self) -> NaiveDateTime {
        self.catalog().now
    }

    /// Orders created before this are hidden from Shopify tokens without `read_all_orders`.
    pub fn sixty_day_cutoff(&self) -> NaiveDateTime {
        self.now() - Duration::days(60)
    }
}

fn load_catalog(conn: &Connection, now: Option<NaiveDateTime>) -> Result<Catalog> {
    let merchant: Option<(String, String, Option<NaiveDate>)> = conn
        .query_row("SELECT name, currency, as_of FROM merchant", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .ok();
    let (shop_name, currency, as_of) =
        merchant.unwrap_or_else(|| ("Forestock shop".into(), "USD".into(), None));
    let now = now.unwrap_or_else(|| match as_of {
        Some(d) => d.and_hms_opt(23, 59, 59).unwrap_or_default(),
        None => chrono::Utc::now().naive_utc(),
    });
    let mut cat = Catalog {
        shop_name,
        currency,
        now,
        ..Catalog::default()
    };
    let mut st = conn.prepare(
        "SELECT id, title, category, vendor, status, created_at, updated_at FROM products ORDER BY id",
    )?;
    cat.products = st
        .query_map([], |r| {
            Ok(Product {
                id: r.get(0)?,
                title: r.get(1)?,
                category: r.get(2)?,
                vendor: r.get(3)?,
                status: r.get(4)?,
                created_at: r.get(5)?,
                updated_at: r.get(6)?,
                variant_ids: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare(
        "SELECT id, product_id, sku, title, barcode, price, cost, status, created_date, updated_at \
         FROM variants ORDER BY id",
    )?;
    cat.variants = st
        .query_map([], |r| {
            let created: NaiveDate = r.get(8)?;
            Ok(Variant {
                id: r.get(0)?,
                product_id: r.get(1)?,
                sku: r.get(2)?,
                title: r.get(3)?,
                barcode: r.get(4)?,
                price: r.get(5)?,
                cost: r.get(6)?,
                status: r.get(7)?,
                created_at: created.and_hms_opt(0, 0, 0).unwrap_or_default(),
                updated_at: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    cat.product_pos = cat
        .products
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    cat.variant_pos = cat
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id, i))
        .collect();
    for v in &cat.variants {
        if let Some(&i) = cat.product_pos.get(&v.product_id) {
            cat.products[i].variant_ids.push(v.id);
        }
    }
    let mut st = conn.prepare("SELECT id, code, name, kind, active FROM locations ORDER BY id")?;
    cat.locations = st
        .query_map([], |r| {
            Ok(Location {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                active: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // Latest change point on or before "now" per SKU×location.
    let today = cat.now.date();
    let mut st = conn.prepare(
        "SELECT s.variant_id, s.location_id, s.date, s.on_hand, s.committed, s.incoming \
         FROM inventory_snapshots s \
         JOIN (SELECT variant_id, location_id, max(date) AS d FROM inventory_snapshots \
               WHERE date <= ?1 GROUP BY variant_id, location_id) m \
           ON m.variant_id = s.variant_id AND m.location_id = s.location_id AND m.d = s.date \
         ORDER BY s.variant_id, s.location_id",
    )?;
    let mut rows = st.query([today])?;
    while let Some(r) = rows.next()? {
        let vid: i64 = r.get(0)?;
        cat.levels.entry(vid).or_default().push(Level {
            location_id: r.get(1)?,
            date: r.get(2)?,
            on_hand: r.get(3)?,
            committed: r.get(4)?,
            incoming: r.get(5)?,
        });
    }
    let mut st = conn.prepare("SELECT id, name, email, currency FROM suppliers ORDER BY id")?;
    cat.suppliers = st
        .query_map([], |r| {
            Ok(Supplier {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                currency: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut st = conn.prepare(
        "SELECT supplier_id, variant_id, unit_cost, is_primary FROM supplier_skus \
         ORDER BY variant_id, supplier_id",
    )?;
    cat.supplier_items = st
        .query_map([], |r| {
            Ok(SupplierItem {
                supplier_id: r.get(0)?,
                variant_id: r.get(1)?,
                unit_cost: r.get(2)?,
                is_primary: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(cat)
}

fn load_order_index(conn: &Connection) -> Result<OrderIndex> {
    // unixepoch() in SQL: parsing millions of timestamps in Rust is the slow part.
    let mut st = conn.prepare(
        "SELECT id, unixepoch(created_at), unixepoch(updated_at) FROM orders ORDER BY id",
    )?;
    let by_id: Vec<OrderKey> = st
        .query_map([], |r| {
            Ok(OrderKey {
                id: r.get(0)?,
                created: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                updated: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_updated: Vec<u32> = (0..by_id.len() as u32).collect();
    by_updated.sort_by_key(|&i| {
        let k = by_id[i as usize];
        (k.updated, k.id)
    });
    Ok(OrderIndex { by_id, by_updated })
}
