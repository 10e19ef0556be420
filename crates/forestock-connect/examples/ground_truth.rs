//! Ground truth and sync speed for every platform (`bench/sync-ground-truth.sh`): a seeded demo
//! merchant is served by each simulator at its default, real-plan rate limits (Shopify
//! Standard: 2,000-point bucket, 100 points/s, but Plus for the paged case; BigCommerce
//! Standard: 150 requests per 30 s; Adobe Commerce: none), synced into a new database, synced again unchanged, and the synced
//! demand history compared with the source row by row (`forestock_sim::truth`; Adobe
//! Commerce split by order: shipped orders per location, unshipped ones per SKU and day).
//!
//!   cargo run --profile bench-fast -p forestock-connect --example ground_truth -- \
//!       [--skus 800] [--platform shopify|shopify-paged|bigcommerce|adobe|all]

#![allow(clippy::print_stdout)]

use anyhow::{bail, Context};
use chrono::NaiveDate;
use forestock_connect::{sync_store, Credentials, Progress, Secret, SyncEvent, SyncOptions};
use forestock_core::{LocationKind, Merchant, NewStore, Platform, Store};
use forestock_sim::{Platform as Sim, SimConfig};
use std::time::Instant;

struct Case {
    label: &'static str,
    sim: Sim,
    ours: Platform,
    paged: bool,
}

const CASES: [Case; 4] = [
    Case {
        label: "shopify",
        sim: Sim::Shopify,
        ours: Platform::Shopify,
        paged: false,
    },
    Case {
        label: "shopify-paged",
        sim: Sim::Shopify,
        ours: Platform::Shopify,
        paged: true,
    },
    Case {
        label: "bigcommerce",
        sim: Sim::BigCommerce,
        ours: Platform::BigCommerce,
        paged: false,
    },
    Case {
        label: "adobe",
        sim: Sim::Adobe,
        ours: Platform::Adobe,
        paged: false,
    },
];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn creds(sim: &forestock_sim::SimHandle, p: Sim) -> Credentials {
    let c = sim.config();
    match p {
        Sim::Shopify => Credentials::ShopifyToken {
            token: Secret::new(c.shopify.admin_token.clone()),
        },
        Sim::BigCommerce => Credentials::BigCommerce {
            token: Secret::new(c.bigcommerce.access_token.clone()),
        },
        _ => Credentials::AdobeOAuth1 {
            consumer_key: c.adobe.consumer_key.clone(),
            consumer_secret: Secret::new(c.adobe.consumer_secret.clone()),
            access_token: Secret::new(c.adobe.access_token.clone()),
            access_token_secret: Secret::new(c.adobe.access_token_secret.clone()),
        },
    }
}

fn target(path: &std::path::Path, platform: Platform, url: &str) -> anyhow::Result<(Store, i64)> {
    let mut db = Store::create(path)?;
    let now = chrono::Utc::now().naive_utc();
    let w = db.write()?;
    w.set_merchant(&Merchant {
        name: "Synced".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: None,
        is_demo: false,
        created_at: now,
    })?;
    let settings = match platform {
        Platform::Shopify => serde_json::json!({"api_version": "2026-01"}),
        _ => serde_json::json!({}),
    };
    let id = w.insert_store(
        &NewStore {
            platform,
            name: "Bench shop".into(),
            base_url: url.into(),
            keychain_ref: None,
            settings,
        },
        now,
    )?;
    w.commit()?;
    Ok((db, id))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let skus: usize = arg(&args, "--skus").map_or(Ok(800), |s| s.parse())?;
    let which = arg(&args, "--platform").unwrap_or_else(|| "all".into());
    if which != "all" && !CASES.iter().any(|c| c.label == which) {
        bail!(
            "--platform: {which:?} is not one of shopify, shopify-paged, bigcommerce, adobe, all"
        );
    }
    let dir = tempfile::tempdir()?;
    let source = dir.path().join("source.db");
    let t = Instant::now();
    let mut store = Store::create(&source)?;
    let cfg = forestock_demo::DemoConfig {
        skus,
        ..Default::default()
    };
    forestock_demo::generate(&mut store, &cfg, &mut |_| {})?;
    let info = store.read().info()?;
    drop(store);
    println!(
        "machine: {} cores; demo merchant: {skus} SKUs, {} orders ({:.1} s to generate)",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        info.orders,
        t.elapsed().as_secs_f64()
    );
    let (y, m, d) = forestock_demo::DEFAULT_END_DATE;
    let now = NaiveDate::from_ymd_opt(y, m, d)
        .context("demo end date")?
        .and_hms_opt(23, 59, 59)
        .context("demo end time")?;
    let mut failed = false;
    for case in CASES.iter().filter(|c| which == "all" || c.label == which) {
        // Default limits: the real plans' (see the simulator's config). Paging two years of
        // orders is what bulk operations exist for: at Standard's 100 points/s it takes hours,
        // so the paged case runs at Shopify Plus limits (20,000-point bucket, 1,000 points/s).
        let mut config = SimConfig {
            platforms: vec![case.sim],
            port: 0,
            ..SimConfig::default()
        };
        if case.paged {
            config.shopify.bucket_size = 20_000.0;
            config.shopify.restore_rate = 1_000.0;
        }
        let sim = forestock_sim::start(&source, config).await?;
        let url = sim.url(case.sim).context("simulator URL")?;
        let path = dir.path().join(format!("{}.db", case.label));
        let (mut db, store_id) = target(&path, case.ours, &url)?;
        if case.paged {
            db.read().conn().execute(
                "INSERT INTO sync_state (store_id, resource, updated_since) \
                 VALUES (?1, 'orders', '2000-01-01T00:00:00Z')",
                [store_id],
            )?;
        }
        let opts = SyncOptions::new(now);
        let c = creds(&sim, case.sim);
        let first = sync_store(&mut db, store_id, &c, &opts, &Progress::none()).await?;
        // A scheduled re-sync comes long after the initial one, with Shopify's cost bucket
        // full again: let it refill (size / restore rate: 20 s at Standard and at Plus) rather
        // than time the throttle the initial sync left behind.
        if case.sim == Sim::Shopify {
            let c = sim.config();
            let refill = c.shopify.bucket_size / c.shopify.restore_rate;
            tokio::time::sleep(std::time::Duration::from_secs_f64(refill)).await;
        }
        // Where the unchanged re-sync spends its time: each resource's pass, start to finish.
        let t = Instant::now();
        let passes = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, f64, f64)>::new()));
        let seen = passes.clone();
        let trace = Progress::new(move |e| {
            let at = t.elapsed().as_secs_f64();
            let mut v = seen.lock().unwrap_or_else(|e| e.into_inner());
            match e {
                SyncEvent::Started { resource, .. } => v.push((resource.clone(), at, at)),
                SyncEvent::Finished { resource, .. } => {
                    if let Some(p) = v.iter_mut().rev().find(|p| &p.0 == resource) {
                        p.2 = at;
                    }
                }
                _ => {}
            }
        });
        let again = sync_store(&mut db, store_id, &c, &opts, &trace).await?;
        let resync = t.elapsed().as_secs_f64();
        let passes = passes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(r, a, b)| format!("{r} {:.2} s", b - a))
            .collect::<Vec<_>>()
            .join(", ");
        sim.shutdown().await;
        let src = Store::open(&source)?;
        let retail: Vec<String> = src
            .read()
            .locations()?
            .into_iter()
            .filter(|l| l.kind == LocationKind::Retail)
            .map(|l| l.name)
            .collect();
        let exact = |name: &str| match case.ours {
            Platform::Shopify => true,
            Platform::BigCommerce => retail.iter().any(|r| r == name),
            _ => false,
        };
        // Adobe Commerce places an order by its shipments' sources: shipped orders are
        // compared per location, the unshipped ones (no source yet) per SKU and day.
        let cmp = match case.ours {
            Platform::Adobe => {
                let unshipped = forestock_sim::truth::adobe_unshipped_orders(&source)?;
                forestock_sim::truth::compare_by_order(&src, &db, &unshipped)?
            }
            _ => forestock_sim::truth::compare(&src, &db, &exact)?,
        };
        let a = &first.attribution;
        println!(
            "\n== {}: first sync {:.1} s, {} requests, {} throttled waits ({:.1} s), {} orders; \
             unchanged re-sync {:.2} s, {} requests, {} throttled waits ({:.1} s) ({})\n   orders by location: point of sale {}, \
             fulfilling location {}, default location {}\n   {}",
            case.label,
            first.seconds,
            first.requests,
            first.throttled_waits,
            first.throttled_seconds,
            first.orders,
            resync,
            again.requests,
            again.throttled_waits,
            again.throttled_seconds,
            passes,
            a.pos_orders,
            a.fulfillment_orders,
            a.default_orders,
            cmp.summary().trim_end().replace('\n', "\n   ")
        );
        failed |= !cmp.is_match();
    }
    if failed {
        bail!("the synced history differs from the source");
    }
    Ok(())
}
