//! The demo merchant shows every feature the planner needs (issue 2).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use chrono::{Datelike, NaiveDate};
use forestock_core::{SeriesHistory, Store};
use forestock_demo::{generate, DemoConfig};
use std::collections::HashMap;
use std::sync::OnceLock;

struct Demo {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    history: Vec<SeriesHistory>,
}

/// The default demo merchant, generated once per test process (the checks on it share one
/// test below, so it is generated once per run).
fn demo() -> &'static Demo {
    static DEMO: OnceLock<Demo> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let mut store = Store::create(&path).unwrap();
        generate(&mut store, &DemoConfig::default(), &mut |_| {}).unwrap();
        let mut history = Vec::new();
        store
            .read()
            .demand_history(|s| {
                history.push(s);
                Ok(())
            })
            .unwrap();
        Demo {
            _dir: dir,
            path,
            history,
        }
    })
}

fn default_demo_has_the_promised_shape() {
    let store = Store::open(&demo().path).unwrap();
    let info = store.read().info().unwrap();
    assert_eq!(info.skus, 800);
    assert_eq!(info.locations, 3);
    assert!(info.suppliers >= 6 && info.suppliers <= 10);
    let first = info.first_order_date.unwrap();
    let last = info.last_order_date.unwrap();
    assert!((last - first).num_days() >= 725, "{first} .. {last}");
    assert!(info.orders > 50_000, "{} orders", info.orders);
    assert!(info.cancelled_orders > 0 && info.refunds > 0);
    assert!(info.units_sold > 0);
    let merchant = store.read().merchant().unwrap().unwrap();
    assert!(merchant.is_demo);
    assert_eq!(merchant.as_of, Some(last));
}

fn sales_peak_in_q4() {
    let mut by_month = [0.0f64; 12];
    let mut counted = [0usize; 12];
    // Only whole years, to avoid counting one month twice.
    for s in &demo().history {
        for (i, u) in s.units.iter().enumerate() {
            let d = s.date(i);
            by_month[d.month0() as usize] += u;
            counted[d.month0() as usize] += 1;
        }
    }
    let per_day: Vec<f64> = (0..12)
        .map(|m| by_month[m] / counted[m].max(1) as f64)
        .collect();
    let q4 = (per_day[10] + per_day[11]) / 2.0;
    let rest: f64 = per_day[..10].iter().sum::<f64>() / 10.0;
    assert!(
        q4 > rest * 1.2,
        "Nov–Dec {q4:.3} vs rest {rest:.3} units per series-day"
    );
}

fn a_long_tail_of_skus_is_intermittent() {
    // Syntetos–Boylan: average demand interval above 1.32 days is intermittent.
    let series = &demo().history;
    let intermittent = series
        .iter()
        .filter(|s| {
            let nonzero = s.units.iter().filter(|u| **u > 0.0).count();
            nonzero > 0 && s.units.len() as f64 / nonzero as f64 > 1.32
        })
        .count();
    let share = intermittent as f64 / series.len() as f64;
    let oos: usize = series
        .iter()
        .map(|s| s.on_hand.iter().filter(|o| **o == Some(0)).count())
        .sum();
    let days: usize = series.iter().map(|s| s.units.len()).sum();
    let mut means: Vec<f64> = series
        .iter()
        .map(|s| s.units.iter().sum::<f64>() / s.units.len() as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    eprintln!(
        "intermittent share {share:.2}, out of stock {:.3}, mean quantiles {:?}",
        oos as f64 / days as f64,
        [
            means[means.len() / 4],
            means[means.len() / 2],
            means[means.len() * 3 / 4],
            means[means.len() * 9 / 10]
        ]
    );
    assert!(share > 0.5 && share < 0.97, "intermittent share {share:.2}");
    // ... and a head of steady sellers.
    let steady = means.iter().filter(|m| **m >= 1.0).count();
    assert!(
        steady as f64 > series.len() as f64 * 0.05,
        "{steady} series sell ≥ 1 a day"
    );
}

fn stockouts_are_real_zero_on_hand_days() {
    let series = &demo().history;
    let with_stockouts = series
        .iter()
        .filter(|s| s.on_hand.iter().filter(|o| **o == Some(0)).count() >= 3)
        .count();
    assert!(
        with_stockouts as f64 > series.len() as f64 * 0.05,
        "{with_stockouts} series"
    );
}

fn promotions_lift_sales() {
    let (mut promo, mut promo_days, mut base, mut base_days) = (0.0, 0usize, 0.0, 0usize);
    for s in &demo().history {
        if !s.promo.iter().any(|p| *p) {
            continue;
        }
        for i in 0..s.units.len() {
            if s.on_hand[i] == Some(0) {
                continue;
            }
            if s.promo[i] {
                promo += s.units[i];
                promo_days += 1;
            } else {
                base += s.units[i];
                base_days += 1;
            }
        }
    }
    let (p, b) = (promo / promo_days as f64, base / base_days as f64);
    assert!(p > b * 1.3, "promo {p:.3} vs normal {b:.3} units/day");
}

fn new_and_end_of_life_skus_exist() {
    let store = Store::open(&demo().path).unwrap();
    let skus = store.read().skus().unwrap();
    let as_of = store.read().merchant().unwrap().unwrap().as_of.unwrap();
    let new = skus
        .iter()
        .filter(|s| (as_of - s.created_date).num_days() < 60)
        .count();
    let ending = skus
        .iter()
        .filter(|s| s.discontinue_date.is_some_and(|d| d > as_of))
        .count();
    let ended = skus
        .iter()
        .filter(|s| s.status == forestock_core::SkuStatus::Discontinued)
        .count();
    assert!(new >= 10, "{new} new SKUs");
    assert!(
        ending >= 5 && ended >= 5,
        "{ending} being discontinued, {ended} discontinued"
    );
    // Open purchase orders exist (stock on order).
    let open = store
        .read()
        .receipts()
        .unwrap()
        .iter()
        .filter(|r| r.received_date.is_none())
        .count();
    assert!(open > 20, "{open} open receipts");
}

fn inventory_agrees_with_orders_and_receipts() {
    let store = Store::open(&demo().path).unwrap();
    let conn = store.read().conn();
    // Units shipped per SKU×location×day (refunds are not restocked in the demo).
    let mut shipped: HashMap<(i64, i64, NaiveDate), i64> = HashMap::new();
    let mut st = conn
        .prepare(
            "SELECT l.variant_id, o.location_id, date(o.created_at), sum(l.quantity - l.cancelled_qty) \
             FROM order_lines l JOIN orders o ON o.id = l.order_id GROUP BY 1, 2, 3",
        )
        .unwrap();
    for r in st
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)))
        .unwrap()
    {
        let (k, v) = r.unwrap();
        shipped.insert(k, v);
    }
    let mut received: HashMap<(i64, i64, NaiveDate), i64> = HashMap::new();
    for r in store.read().receipts().unwrap() {
        if let Some(d) = r.received_date {
            *received
                .entry((r.variant_id, r.location_id, d))
                .or_default() += r.quantity;
        }
    }
    let (mut checked, mut mismatched) = (0usize, 0usize);
    for s in &demo().history {
        for i in 1..s.units.len() {
            let (Some(prev), Some(now)) = (s.on_hand[i - 1], s.on_hand[i]) else {
                continue;
            };
            let key = (s.variant_id, s.location_id, s.date(i));
            let expected = prev + received.get(&key).copied().unwrap_or(0)
                - shipped.get(&key).copied().unwrap_or(0);
            checked += 1;
            if expected != now {
                mismatched += 1;
                // The only other movement is shrinkage: stock lost, never gained.
                assert!(
                    now < expected,
                    "{} {} on {}: {now} > {expected}",
                    s.sku,
                    s.location,
                    s.date(i)
                );
            }
        }
    }
    assert!(checked > 100_000);
    assert!(
        (mismatched as f64) < checked as f64 * 0.005,
        "{mismatched} of {checked} days"
    );
}

#[test]
fn same_seed_same_history_bytes_and_another_seed_differs() {
    let cfg = DemoConfig {
        skus: 60,
        ..DemoConfig::default()
    };
    let export = |cfg: &DemoConfig| {
        let mut store = Store::in_memory().unwrap();
        generate(&mut store, cfg, &mut |_| {}).unwrap();
        let mut out = Vec::new();
        store.read().export_history(&mut out).unwrap();
        out
    };
    let a = export(&cfg);
    assert_eq!(a, export(&cfg));
    assert_ne!(
        a,
        export(&DemoConfig {
            seed: 7,
            ..cfg.clone()
        })
    );
    let text = String::from_utf8(a).unwrap();
    assert!(text.starts_with("sku,location,date,units,on_hand,price,promo\n"));
}

#[test]
fn bad_settings_are_refused() {
    let mut store = Store::in_memory().unwrap();
    let e = generate(
        &mut store,
        &DemoConfig {
            skus: 0,
            ..DemoConfig::default()
        },
        &mut |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
    let e = generate(
        &mut store,
        &DemoConfig {
            skus: 10_000_000,
            ..DemoConfig::default()
        },
        &mut |_| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("supported"), "{e}");
    // Nothing was written.
    assert!(store.read().merchant().unwrap().is_none());
    // A second demo into the same database is refused.
    generate(
        &mut store,
        &DemoConfig {
            skus: 5,
            ..DemoConfig::default()
        },
        &mut |_| {},
    )
    .unwrap();
    assert!(generate(
        &mut store,
        &DemoConfig {
            skus: 5,
            ..DemoConfig::default()
        },
        &mut |_| {}
    )
    .is_err());
}

fn history_covers_24_months_per_series_from_launch() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for s in &demo().history {
        assert_eq!(s.date(s.units.len() - 1), as_of);
        assert!(s.units.iter().all(|u| *u >= 0.0));
    }
}

#[test]
fn the_default_demo_shows_every_feature() {
    default_demo_has_the_promised_shape();
    sales_peak_in_q4();
    a_long_tail_of_skus_is_intermittent();
    stockouts_are_real_zero_on_hand_days();
    promotions_lift_sales();
    new_and_end_of_life_skus_exist();
    inventory_agrees_with_orders_and_receipts();
    history_covers_24_months_per_series_from_launch();
}
