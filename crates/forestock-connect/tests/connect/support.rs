//! A small demo merchant served by the simulators, and comparisons of what a sync copied.

use chrono::{NaiveDate, NaiveDateTime};
use forestock_connect::{Progress, SyncOptions};
use forestock_core::{NewStore, Platform, Store};
use forestock_sim::{SimConfig, SimHandle};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Served {
    pub dir: tempfile::TempDir,
    pub source: PathBuf,
    pub sim: SimHandle,
}

/// Generate a small demo merchant (24 months of orders) and serve it.
pub async fn serve(
    platforms: &[forestock_sim::Platform],
    tweak: impl FnOnce(&mut SimConfig),
) -> Served {
    serve_skus(platforms, 40, tweak).await
}

pub async fn serve_skus(
    platforms: &[forestock_sim::Platform],
    skus: usize,
    tweak: impl FnOnce(&mut SimConfig),
) -> Served {
    serve_shaped(platforms, skus, |_| {}, tweak).await
}

/// [`serve_skus`] with the generated merchant reshaped before the simulator loads it
/// (`forestock_sim::scenario`).
pub async fn serve_shaped(
    platforms: &[forestock_sim::Platform],
    skus: usize,
    shape: impl FnOnce(&mut Store),
    tweak: impl FnOnce(&mut SimConfig),
) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let mut store = Store::create(&source).unwrap();
    let cfg = forestock_demo::DemoConfig {
        skus,
        ..Default::default()
    };
    forestock_demo::generate(&mut store, &cfg, &mut |_| {}).unwrap();
    shape(&mut store);
    drop(store);
    let mut config = SimConfig {
        platforms: platforms.to_vec(),
        port: 0,
        ..SimConfig::default()
    };
    config.shopify.restore_rate = 5000.0;
    config.shopify.bucket_size = 20000.0;
    config.bigcommerce.quota = 100_000;
    tweak(&mut config);
    let sim = forestock_sim::start(&source, config).await.unwrap();
    Served { dir, source, sim }
}

/// An audit stamp at the demo's "now", for a CLI user named `test`.
pub fn demo_stamp() -> forestock_core::AuditStamp {
    forestock_core::AuditStamp::at(forestock_core::FrontDoor::Cli, Some("test"), demo_now())
}

/// The demo's "now": the end of its last day.
pub fn demo_now() -> NaiveDateTime {
    let (y, m, d) = forestock_demo::DEFAULT_END_DATE;
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap()
}

pub fn options() -> SyncOptions {
    let mut o = SyncOptions::new(demo_now());
    o.retry.base_delay = Duration::from_millis(5);
    o.retry.max_delay = Duration::from_millis(200);
    o.retry.max_attempts = 12;
    o
}

/// A new, empty merchant database with one store row (no keychain involved).
pub fn target(
    dir: &Path,
    platform: Platform,
    url: &str,
    settings: serde_json::Value,
) -> (Store, i64, PathBuf) {
    let path = dir.join(format!("target-{}.db", rand_suffix()));
    let mut db = Store::create(&path).unwrap();
    let w = db.write().unwrap();
    w.set_merchant(&forestock_core::Merchant {
        name: "Synced".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: None,
        is_demo: false,
        created_at: demo_now(),
    })
    .unwrap();
    let id = w
        .insert_store(
            &NewStore {
                platform,
                name: "Test shop".into(),
                base_url: url.into(),
                keychain_ref: None,
                settings,
            },
            demo_now(),
        )
        .unwrap();
    w.commit().unwrap();
    (db, id, path)
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

pub fn quiet() -> Progress {
    Progress::none()
}

/// Everything that must match between the served merchant and the synced copy.
#[derive(Debug, PartialEq)]
pub struct Fingerprint {
    pub counts: BTreeMap<&'static str, i64>,
    /// sku → (ordered, cancelled, refunded, lines)
    pub per_sku: BTreeMap<String, (i64, i64, i64, i64)>,
    /// (sku, location name) → latest on_hand
    pub inventory: BTreeMap<(String, String), i64>,
    pub catalog: BTreeMap<String, (String, i64, Option<i64>, String)>,
}

pub fn fingerprint(db: &Store) -> Fingerprint {
    let c = db.read().conn();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let mut counts = BTreeMap::new();
    counts.insert("products", count("SELECT count(*) FROM products"));
    counts.insert("variants", count("SELECT count(*) FROM variants"));
    counts.insert("locations", count("SELECT count(*) FROM locations"));
    counts.insert("orders", count("SELECT count(*) FROM orders"));
    counts.insert("order_lines", count("SELECT count(*) FROM order_lines"));
    counts.insert(
        "cancelled_orders",
        count("SELECT count(*) FROM orders WHERE cancelled_at IS NOT NULL"),
    );
    counts.insert("refunds", count("SELECT count(*) FROM refunds"));
    counts.insert("units_sold", db.read().info().unwrap().units_sold);
    let mut per_sku = BTreeMap::new();
    let mut st = c
        .prepare(
            "SELECT l.sku, sum(l.quantity), sum(l.cancelled_qty), \
             coalesce((SELECT sum(r.quantity) FROM refunds r JOIN order_lines l2 ON l2.id = r.order_line_id WHERE l2.sku = l.sku), 0), count(*) \
             FROM order_lines l GROUP BY l.sku",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })
        .unwrap();
    for row in rows {
        let (k, v) = row.unwrap();
        per_sku.insert(k, v);
    }
    let mut inventory = BTreeMap::new();
    let mut st = c
        .prepare(
            "SELECT v.sku, lo.name, s.on_hand FROM inventory_snapshots s \
             JOIN variants v ON v.id = s.variant_id JOIN locations lo ON lo.id = s.location_id \
             WHERE s.on_hand != 0 AND s.date = (SELECT max(date) FROM inventory_snapshots s2 \
                WHERE s2.variant_id = s.variant_id AND s2.location_id = s.location_id)",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (k, v) = row.unwrap();
        inventory.insert(k, v);
    }
    let mut catalog = BTreeMap::new();
    let mut st = c
        .prepare(
            "SELECT v.sku, p.title, CAST(round(v.price * 100) AS INTEGER), \
             CAST(round(v.cost * 100) AS INTEGER), p.vendor FROM variants v JOIN products p ON p.id = v.product_id",
        )
        .unwrap();
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })
        .unwrap();
    for row in rows {
        let (k, v) = row.unwrap();
        catalog.insert(k, v);
    }
    Fingerprint {
        counts,
        per_sku,
        inventory,
        catalog,
    }
}

/// Assert the synced database holds exactly what the simulator serves.
pub fn assert_same(source: &Path, synced: &Store) {
    let src = Store::open(source).unwrap();
    let a = fingerprint(&src);
    let b = fingerprint(synced);
    assert_eq!(a.counts, b.counts, "counts differ");
    assert_eq!(a.catalog, b.catalog, "catalog differs");
    assert_eq!(a.per_sku, b.per_sku, "per-SKU order totals differ");
    assert_eq!(a.inventory, b.inventory, "latest inventory differs");
}

/// For BigCommerce, whose refunds are read as per-line totals (`quantity_refunded`): everything
/// [`assert_same`] compares except the number of refund rows (per-SKU refunded units still
/// must match).
pub fn assert_same_refunds_per_line(source: &Path, synced: &Store) {
    let src = Store::open(source).unwrap();
    let mut a = fingerprint(&src);
    let mut b = fingerprint(synced);
    a.counts.remove("refunds");
    b.counts.remove("refunds");
    assert_eq!(a.counts, b.counts, "counts differ");
    assert_eq!(a.catalog, b.catalog, "catalog differs");
    assert_eq!(a.per_sku, b.per_sku, "per-SKU order totals differ");
    assert_eq!(a.inventory, b.inventory, "latest inventory differs");
}

/// For platforms whose API flattens products to one SKU each and reports refunds as
/// per-line totals (Adobe Commerce): the same SKUs, prices, costs, inventory, orders, lines,
/// cancellations and per-SKU units (ordered, cancelled, refunded).
pub fn assert_same_per_sku(source: &Path, synced: &Store) {
    let src = Store::open(source).unwrap();
    let mut a = fingerprint(&src);
    let mut b = fingerprint(synced);
    for k in ["products", "refunds"] {
        a.counts.remove(k);
        b.counts.remove(k);
    }
    assert_eq!(a.counts, b.counts, "counts differ");
    type Cat = BTreeMap<String, (String, i64, Option<i64>, String)>;
    let strip = |m: &Cat| -> BTreeMap<String, (i64, Option<i64>, String)> {
        m.iter()
            .map(|(k, v)| (k.clone(), (v.1, v.2, v.3.clone())))
            .collect()
    };
    assert_eq!(strip(&a.catalog), strip(&b.catalog), "catalog differs");
    assert_eq!(a.per_sku, b.per_sku, "per-SKU order totals differ");
    assert_eq!(a.inventory, b.inventory, "latest inventory differs");
}

/// No secret may appear in the database file (or its WAL).
pub fn assert_not_in_files(dir: &Path, secrets: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            for s in secrets {
                assert!(
                    !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                    "secret found in {}",
                    p.display()
                );
            }
        }
    }
}
