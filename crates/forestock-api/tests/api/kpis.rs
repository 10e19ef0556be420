//! The KPI dashboard's arithmetic against figures worked out by hand on a small database, and
//! every figure's lines adding up to it.

use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_api::kpis::{self, Kpi, Money};
use forestock_core::*;

fn day(i: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 10, 1).unwrap() + Days::new(i)
}

fn at(i: u64) -> NaiveDateTime {
    day(i).and_hms_opt(12, 0, 0).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// History from 2024-10-01 (day 0) to the as-of date 2025-01-20 (day 111), one warehouse:
///
/// - A (cost 2, price 10): 10 on hand days 0–99, none days 100–104, 4 from day 105; sells 1 a
///   day on days 72–100 (29 units, one of them on the first day out of stock);
/// - B (cost 5, price 20): 3 on hand throughout; sells 2 on day 5 only (dead by day 111);
/// - C (no cost, price 8): 2 on hand throughout; sells 1 on day 0.
fn seeded() -> Store {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Test shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(day(111)),
        is_demo: false,
        created_at: at(0),
    })
    .unwrap();
    let loc = w
        .insert_location(&NewLocation {
            code: "WH".into(),
            name: "Warehouse".into(),
            kind: LocationKind::Warehouse,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    let p = w
        .insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: "Thing".into(),
            category: "Things".into(),
            vendor: String::new(),
            status: ProductStatus::Active,
            created_at: at(0),
        })
        .unwrap();
    let mut ids = Vec::new();
    for (sku, price, cost) in [
        ("A", 10.0, Some(2.0)),
        ("B", 20.0, Some(5.0)),
        ("C", 8.0, None),
    ] {
        ids.push(
            w.insert_variant(
                &NewVariant {
                    product_id: p,
                    external_id: None,
                    sku: sku.into(),
                    title: sku.into(),
                    barcode: None,
                    price,
                    cost,
                    attributes: serde_json::json!({}),
                    status: SkuStatus::Active,
                    created_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                    discontinue_date: None,
                },
                at(0),
            )
            .unwrap(),
        );
    }
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    let snap = |variant_id, i, on_hand| {
        w.put_snapshot(&InventorySnapshot {
            variant_id,
            location_id: loc,
            date: day(i),
            on_hand,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
    };
    snap(a, 0, 10);
    snap(a, 100, 0);
    snap(a, 105, 4);
    snap(b, 0, 3);
    snap(c, 0, 2);
    let sell = |variant_id, sku: &str, i, quantity| {
        w.insert_order(
            &NewOrder {
                store_id: None,
                external_id: None,
                name: format!("#{sku}{i}"),
                location_id: Some(loc),
                created_at: at(i),
                updated_at: at(i),
                cancelled_at: None,
                currency: "USD".into(),
                channel: "web".into(),
            },
            &[NewOrderLine {
                external_id: None,
                variant_id: Some(variant_id),
                sku: sku.into(),
                quantity,
                unit_price: 10.0,
                discount: 0.0,
                cancelled_qty: 0,
            }],
        )
        .unwrap();
    };
    sell(c, "C", 0, 1);
    sell(b, "B", 5, 2);
    for i in 72..=100 {
        sell(a, "A", i, 1);
    }
    w.commit().unwrap();
    store
}

fn usd(amount: f64) -> Vec<Money> {
    vec![Money {
        currency: "USD".into(),
        amount,
    }]
}

fn approx(got: &[Money], want: f64) {
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].currency, "USD");
    assert!(close(got[0].amount, want), "{} != {want}", got[0].amount);
}

#[test]
fn the_kpis_of_a_small_history_match_the_hand_computed_figures() {
    let store = seeded();
    let k = kpis::report(&store).unwrap();
    assert_eq!(k.as_of, Some(day(111)));
    assert_eq!(k.window_start, Some(day(0)));
    assert_eq!(k.window_days, 112);

    // Inventory value: A 4 × 2 + B 3 × 5; C has no cost and is counted apart.
    assert_eq!(k.inventory_value, usd(23.0));
    assert_eq!(k.unvalued_lines, 1);

    // Turns: COGS = 29 × 2 + 2 × 5 = 68; average inventory value =
    // (10 × 100 + 4 × 7) × 2 / 112 + 3 × 5 = 2056/112 + 15; turns = 68 × 112 / 3736.
    let t = &k.turns[0];
    assert!(close(t.cogs, 68.0));
    assert!(close(t.average_inventory_value, 2056.0 / 112.0 + 15.0));
    assert!(close(t.turns.unwrap(), 68.0 * 112.0 / 3736.0));

    // Days of cover without a plan: daily demand = the last 90 days' sales / 90 (A: 29/90,
    // B: 0); 23 / (29/90 × 2) days.
    let c = &k.days_of_cover[0];
    assert!(close(c.days.unwrap(), 23.0 * 90.0 / 58.0), "{c:?}");

    // Stockouts: A is out on days 100–104. Day 100's rate (days 72–99 in stock, 1 a day) is 1
    // and it still sold 1: nothing lost; days 101–104 lose 1 each at A's price of 10.
    assert_eq!((k.stockout_days, k.stockout_lines), (5, 1));
    assert!(close(k.lost_units, 4.0));
    approx(&k.lost_sales, 40.0);

    // Dead stock: B last sold on day 5, 106 days before the as-of date; A sold 11 days ago.
    approx(&k.dead_stock_value, 15.0);
    assert_eq!(k.dead_stock_days, 90);

    // No plan, no excess figure.
    assert!(!k.plan_available);
    assert!(k.excess_value.is_empty());

    // Service level: A in stock 107 of 112 days, B and C 112 of 112.
    assert!(close(k.service_level.unwrap(), 331.0 / 336.0));
    // 2024-10-01 is a Tuesday: the first week starts on Monday 2024-09-30. The week of
    // Monday 2025-01-06 (days 97–103): A in stock 3 of 7 days.
    assert_eq!(k.weeks[0].week_start, day(0) - Days::new(1));
    let wk = k.weeks.iter().find(|w| w.week_start == day(97)).unwrap();
    assert_eq!((wk.in_stock_days, wk.counted_days), (17, 21));
    // Its mean inventory value: A (10 × 3 + 0 × 4) / 7 × 2 + B 15.
    approx(&wk.inventory_value, 60.0 / 7.0 + 15.0);
    // The first week has only its 6 days in the window: A 10 × 2 + B 15.
    approx(&k.weeks[0].inventory_value, 35.0);
}

#[test]
fn every_kpi_drills_down_to_lines_that_add_up_to_it() {
    let store = seeded();
    let k = kpis::report(&store).unwrap();
    let sum = |kpi| -> f64 {
        kpis::lines(&store, kpi)
            .unwrap()
            .lines
            .iter()
            .map(|l| l.value)
            .sum()
    };
    assert!(close(sum(Kpi::InventoryValue), k.inventory_value[0].amount));
    assert!(close(sum(Kpi::Turns), k.turns[0].cogs));
    assert!(close(
        sum(Kpi::DaysOfCover),
        k.days_of_cover[0].inventory_value
    ));
    assert!(close(sum(Kpi::Stockouts), k.lost_sales[0].amount));
    assert!(close(sum(Kpi::DeadStock), k.dead_stock_value[0].amount));
    assert!(close(sum(Kpi::ExcessStock), 0.0));

    let inv = kpis::lines(&store, Kpi::InventoryValue).unwrap();
    let skus: Vec<(&str, f64)> = inv
        .lines
        .iter()
        .map(|l| (l.sku.as_str(), l.value))
        .collect();
    assert_eq!(skus, [("B", 15.0), ("A", 8.0)]);
    let turns = kpis::lines(&store, Kpi::Turns).unwrap();
    let avg: f64 = turns.lines.iter().map(|l| l.quantity).sum();
    assert!(close(avg, k.turns[0].average_inventory_value));

    let out = kpis::lines(&store, Kpi::Stockouts).unwrap();
    assert_eq!(out.lines.len(), 1);
    assert_eq!(
        (out.lines[0].sku.as_str(), out.lines[0].quantity),
        ("A", 5.0)
    );
    assert_eq!(out.lines[0].ratio, Some(4.0));

    let sl = kpis::lines(&store, Kpi::ServiceLevel).unwrap();
    assert_eq!(sl.lines[0].sku, "A", "the worst line first");
    let (i, c) = sl
        .lines
        .iter()
        .fold((0.0, 0.0), |(i, c), l| (i + l.quantity, c + l.value));
    assert!(close(i / c, k.service_level.unwrap()));

    let dead = kpis::lines(&store, Kpi::DeadStock).unwrap();
    assert_eq!(dead.lines[0].detail, format!("last sale {}", day(5)));
}

#[test]
fn a_kpi_is_named_in_either_spelling_and_an_unknown_one_is_refused_with_the_list() {
    assert_eq!(Kpi::parse("inventory-value").unwrap(), Kpi::InventoryValue);
    assert_eq!(Kpi::parse("dead_stock").unwrap(), Kpi::DeadStock);
    let e = Kpi::parse("profit").unwrap_err().to_string();
    assert!(e.contains("profit") && e.contains("service-level"), "{e}");
}

#[test]
fn an_empty_database_has_no_figures_rather_than_an_error() {
    let store = Store::in_memory().unwrap();
    let k = kpis::report(&store).unwrap();
    assert_eq!(k.as_of, None);
    assert!(k.inventory_value.is_empty() && k.weeks.is_empty());
    assert!(kpis::lines(&store, Kpi::Turns).unwrap().lines.is_empty());
}
