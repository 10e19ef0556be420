//! `forestock sync` killed at random points (SIGKILL, the real binary) and run again ends
//! with exactly the simulator's data and no duplicates (issue 5).
//!
//! The simulator runs in this process; the sync is the `forestock` binary. Each run is killed
//! when a seeded trigger fires: the simulator has answered K requests of this run, or the
//! synced database holds K orders. The simulator's latency switch widens each request's
//! window so a kill lands mid-request as often as between commits. After the kills, one more
//! sync runs to completion and the copy is compared with the source: counts, per-SKU totals
//! (ordered, cancelled, refunded units, lines), latest inventory, and no duplicate order,
//! line or refund.
//!
//! The keychain is the environment's (like `forestock connect` for a user): run inside a
//! Secret Service session (scripts/test.sh) or `keyctl session -` with
//! `FORESTOCK_KEYCHAIN=keyutils`. `FORESTOCK_KILL_SEED` replays other kill points.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use forestock_sim::{Platform, SimConfig};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn forestock() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_forestock"));
    c.env_remove("FORESTOCK_DB");
    c
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// splitmix64: a tiny seeded generator (the kill points must be reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn seed(default: u64) -> u64 {
    std::env::var("FORESTOCK_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[derive(Debug, Clone, Copy)]
enum Trigger {
    /// The simulator has served this many requests of the current run.
    Requests(u64),
    /// The synced database holds at least this many orders.
    Orders(i64),
}

struct Served {
    dir: tempfile::TempDir,
    source: PathBuf,
    rt: tokio::runtime::Runtime,
    sim: Option<forestock_sim::SimHandle>,
}

impl Served {
    /// A demo merchant of `skus` SKUs (24 months of orders) served as `platform`.
    fn start(platform: Platform, skus: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("source.db");
        let out = forestock()
            .args(["demo", "--db", p(&source), "--skus", skus])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let mut config = SimConfig {
            platforms: vec![platform],
            port: 0,
            ..SimConfig::default()
        };
        // Rate limits are tested elsewhere; here they would only slow the runs down.
        config.shopify.restore_rate = 5000.0;
        config.shopify.bucket_size = 20000.0;
        config.bigcommerce.quota = 100_000;
        let sim = rt.block_on(forestock_sim::start(&source, config)).unwrap();
        Served {
            dir,
            source,
            rt,
            sim: Some(sim),
        }
    }

    fn sim(&self) -> &forestock_sim::SimHandle {
        self.sim.as_ref().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

fn connect(db: &Path, platform: &str, url: &str, args: &[&str], stdin: &str) {
    let mut child = forestock()
        .args(["connect", platform, "--db", p(db), "--url", url])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "forestock connect {platform} failed (this test needs a keychain: run it inside a \
         Secret Service session as scripts/test.sh does, or `keyctl session -` with \
         FORESTOCK_KEYCHAIN=keyutils): {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sync(db: &Path, log: &Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    forestock()
        .args(["sync", "--db", p(db), "--format", "json"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap()
}

fn open_ro(db: &Path) -> Option<Connection> {
    let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    c.busy_timeout(Duration::from_secs(5)).ok()?;
    Some(c)
}

fn orders_in(db: &Path) -> i64 {
    open_ro(db)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM orders", [], |r| r.get(0))
                .ok()
        })
        .unwrap_or(0)
}

/// Run `forestock sync` until `trigger` fires, then SIGKILL it. Returns whether the process
/// was still running when killed (false: it finished first).
fn sync_and_kill(served: &Served, platform: Platform, db: &Path, log: &Path, t: Trigger) -> bool {
    let faults = served.sim().faults(platform);
    let base = faults.request_count();
    let mut child = sync(db, log);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.success(),
                "sync failed before its kill point: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            return false;
        }
        let fire = match t {
            Trigger::Requests(k) => faults.request_count() >= base + k,
            Trigger::Orders(k) => orders_in(db) >= k,
        };
        if fire {
            // std's kill is SIGKILL on Unix: no destructor, no rollback, no goodbye.
            child.kill().unwrap();
            let status = child.wait().unwrap();
            return !status.success();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// What must match between the source and the copy (Adobe's API has no products above
/// SKUs and reports refunds per line, so those two counts are compared per SKU instead).
#[derive(Debug, PartialEq)]
struct Data {
    counts: BTreeMap<&'static str, i64>,
    /// sku -> (lines, ordered, cancelled, refunded units)
    per_sku: BTreeMap<String, (i64, i64, i64, i64)>,
    /// (sku, location) -> latest on hand
    inventory: BTreeMap<(String, String), i64>,
}

fn data(db: &Path, exact_refunds: bool) -> Data {
    let c = open_ro(db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let mut counts = BTreeMap::new();
    counts.insert("variants", count("SELECT count(*) FROM variants"));
    counts.insert("locations", count("SELECT count(*) FROM locations"));
    counts.insert("orders", count("SELECT count(*) FROM orders"));
    counts.insert("order_lines", count("SELECT count(*) FROM order_lines"));
    counts.insert(
        "cancelled_orders",
        count("SELECT count(*) FROM orders WHERE cancelled_at IS NOT NULL"),
    );
    counts.insert(
        "units",
        count("SELECT coalesce(sum(quantity - cancelled_qty), 0) FROM order_lines"),
    );
    counts.insert(
        "refunded_units",
        count("SELECT coalesce(sum(quantity), 0) FROM refunds"),
    );
    if exact_refunds {
        counts.insert("products", count("SELECT count(*) FROM products"));
        counts.insert("refunds", count("SELECT count(*) FROM refunds"));
    }
    let mut per_sku = BTreeMap::new();
    let mut st = c
        .prepare(
            "SELECT l.sku, count(*), sum(l.quantity), sum(l.cancelled_qty), \
             coalesce(sum((SELECT sum(r.quantity) FROM refunds r WHERE r.order_line_id = l.id)), 0) \
             FROM order_lines l GROUP BY l.sku",
        )
        .unwrap();
    for row in st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            ))
        })
        .unwrap()
    {
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
    for row in st
        .query_map([], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
    {
        let (k, v) = row.unwrap();
        inventory.insert(k, v);
    }
    Data {
        counts,
        per_sku,
        inventory,
    }
}

/// No order, line or refund stored twice (by its platform id), and no line or refund
/// without its order.
fn assert_no_duplicates(db: &Path) {
    let c = open_ro(db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    for (what, sql) in [
        (
            "orders",
            "SELECT count(*) FROM (SELECT 1 FROM orders GROUP BY store_id, external_id HAVING count(*) > 1)",
        ),
        (
            "order lines",
            "SELECT count(*) FROM (SELECT 1 FROM order_lines GROUP BY order_id, external_id HAVING count(*) > 1)",
        ),
        (
            "refunds",
            "SELECT count(*) FROM (SELECT 1 FROM refunds GROUP BY order_line_id, external_id HAVING count(*) > 1)",
        ),
        (
            "orders without lines",
            "SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)",
        ),
        (
            "orphan lines",
            "SELECT count(*) FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id)",
        ),
        (
            "orphan refunds",
            "SELECT count(*) FROM refunds r WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.id = r.order_line_id)",
        ),
        (
            "orders without an external id",
            "SELECT count(*) FROM orders WHERE external_id IS NULL",
        ),
    ] {
        assert_eq!(count(sql), 0, "{what} in {}", db.display());
    }
}

/// Kill a sync at each trigger in turn (each run resumes the last), then run it to the end
/// and compare with the source.
fn kill_resume_compare(
    served: &Served,
    platform: Platform,
    db: &Path,
    triggers: &[Trigger],
    exact_refunds: bool,
) {
    let log = served
        .dir
        .path()
        .join(format!("{}-sync.log", platform.as_str()));
    // Wide windows: every request of the run takes at least this long.
    served
        .sim()
        .faults(platform)
        .set_latency(Duration::from_millis(15));
    let mut killed = 0;
    let mut last_orders = 0;
    for &t in triggers {
        let interrupted = sync_and_kill(served, platform, db, &log, t);
        killed += u32::from(interrupted);
        // Whatever was committed stays committed, and is consistent at every kill point.
        let n = orders_in(db);
        assert!(
            n >= last_orders,
            "orders went from {last_orders} to {n} ({t:?})"
        );
        last_orders = n;
        assert_no_duplicates(db);
        eprintln!(
            "{platform:?}: {t:?} -> {} with {n} orders stored",
            if interrupted {
                "killed"
            } else {
                "finished first"
            }
        );
    }
    assert!(
        killed > 0,
        "no kill point interrupted a sync: {triggers:?} (log: {})",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    served.sim().faults(platform).clear();
    let status = sync(db, &log).wait().unwrap();
    assert!(
        status.success(),
        "the final sync failed: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    assert_no_duplicates(db);
    let (a, b) = (data(&served.source, exact_refunds), data(db, exact_refunds));
    assert_eq!(a.counts, b.counts, "counts differ");
    assert_eq!(a.per_sku, b.per_sku, "per-SKU totals differ");
    assert_eq!(a.inventory, b.inventory, "latest inventory differs");
    // A later, incremental sync changes nothing.
    let status = sync(db, &log).wait().unwrap();
    assert!(status.success());
    assert_eq!(data(db, exact_refunds), b, "a second sync changed the copy");
    assert_no_duplicates(db);
}

/// Seeded kill points: a few early ones by request count (catalog, inventory, the start of
/// the order pass), then several by orders stored, in increasing order.
fn triggers(rng: &mut Rng, early_requests: u64, total_orders: i64) -> Vec<Trigger> {
    let mut t = vec![
        Trigger::Requests(rng.range(1, early_requests)),
        Trigger::Requests(rng.range(1, early_requests)),
    ];
    let mut ks: Vec<i64> = (0..4)
        .map(|_| rng.range(1, (total_orders as u64 * 8 / 10).max(2)) as i64)
        .collect();
    ks.sort_unstable();
    t.extend(ks.into_iter().map(Trigger::Orders));
    t
}

fn remove_store(db: &Path) {
    let out = forestock()
        .args(["connect", "remove", "--db", p(db), "1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

#[test]
fn shopify_sync_killed_at_random_points_resumes_to_the_same_data() {
    // ~10,000 orders: five bulk chunks of 2,000 to land kills in.
    let served = Served::start(Platform::Shopify, "80");
    let sim = served.sim();
    let ep = &sim.endpoints()[&Platform::Shopify];
    let total = orders_in(&served.source);
    let db = served.dir.path().join("shop.db");
    connect(
        &db,
        "shopify",
        &ep.url,
        &[],
        &format!("{}\n", ep.credentials["token"]),
    );
    let s = seed(5);
    let mut rng = Rng(s);
    let t = triggers(&mut rng, 16, total);
    eprintln!("seed {s}: kill points {t:?} of {total} orders");
    kill_resume_compare(&served, Platform::Shopify, &db, &t, true);
    remove_store(&db);
}

#[test]
fn adobe_sync_killed_at_random_points_resumes_to_the_same_data() {
    // ~4,000 orders: 40 pages of 100.
    let served = Served::start(Platform::Adobe, "30");
    let sim = served.sim();
    let ep = &sim.endpoints()[&Platform::Adobe];
    let total = orders_in(&served.source);
    let db = served.dir.path().join("adobe.db");
    let c = &ep.credentials;
    connect(
        &db,
        "adobe",
        &ep.url,
        &["--consumer-key", &c["consumer_key"]],
        &format!(
            "{}\n{}\n{}\n",
            c["consumer_secret"], c["access_token"], c["access_token_secret"]
        ),
    );
    let s = seed(5);
    let mut rng = Rng(s);
    let t = triggers(&mut rng, 4, total);
    eprintln!("seed {s}: kill points {t:?} of {total} orders");
    kill_resume_compare(&served, Platform::Adobe, &db, &t, false);
    remove_store(&db);
}
