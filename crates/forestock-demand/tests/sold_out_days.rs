//! Days that sell out part-way are censored demand: a small merchant whose one SKU sells out
//! by noon every fourth day.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests

use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::*;
use forestock_demand::{day_stock, load_series, DayStock};
use forestock_forecast::{forecast_all, ForecastConfig, Series};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const DAYS: u64 = 168;
/// Demand per day (true, every day).
const DEMAND: i64 = 10;
/// Opening stock on a sell-out day: half the day's demand, gone by noon.
const SHORT: i64 = 5;

fn now() -> NaiveDateTime {
    d("2025-06-30").and_hms_opt(12, 0, 0).unwrap()
}

/// One SKU at one shop, `DAYS` days to 2025-06-30. Every fourth day opens with only `SHORT`
/// units (sells them, ends at zero); the next morning a delivery refills the shelf.
fn merchant() -> Store {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Bakery".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(d("2025-06-30")),
        is_demo: true,
        created_at: now(),
    })
    .unwrap();
    let shop = w
        .insert_location(&NewLocation {
            code: "SHOP".into(),
            name: "Shop".into(),
            kind: LocationKind::Retail,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    let prod = w
        .insert_product(&NewProduct {
            store_id: None,
            external_id: None,
            title: "Sourdough".into(),
            category: "Bread".into(),
            vendor: "Oven".into(),
            status: ProductStatus::Active,
            created_at: now() - chrono::Duration::days(400),
        })
        .unwrap();
    let v = w
        .insert_variant(
            &NewVariant {
                product_id: prod,
                external_id: None,
                sku: "LOAF".into(),
                title: "Loaf".into(),
                barcode: None,
                price: 4.0,
                cost: Some(1.5),
                attributes: serde_json::json!({}),
                status: SkuStatus::Active,
                created_date: d("2024-01-01"),
                discontinue_date: None,
            },
            now(),
        )
        .unwrap();
    let start = d("2025-06-30") - Days::new(DAYS - 1);
    for day in 0..DAYS {
        let date = start + Days::new(day);
        let sold_out = day % 4 == 3;
        let (sold, left) = if sold_out { (SHORT, 0) } else { (DEMAND, 30) };
        w.insert_order(
            &NewOrder {
                store_id: None,
                external_id: None,
                name: format!("#{day}"),
                location_id: Some(shop),
                created_at: date.and_hms_opt(10, 0, 0).unwrap(),
                updated_at: date.and_hms_opt(10, 0, 0).unwrap(),
                cancelled_at: None,
                currency: "USD".into(),
                channel: "pos".into(),
            },
            &[NewOrderLine {
                external_id: None,
                variant_id: Some(v),
                sku: "LOAF".into(),
                quantity: sold,
                unit_price: 4.0,
                discount: 0.0,
                cancelled_qty: 0,
            }],
        )
        .unwrap();
        w.put_snapshot(&InventorySnapshot {
            variant_id: v,
            location_id: shop,
            date,
            on_hand: left,
            committed: 0,
            incoming: 0,
        })
        .unwrap();
    }
    w.commit().unwrap();
    store
}

fn mean_forecast(s: &Series, cfg: &ForecastConfig) -> f64 {
    let f = forecast_all(std::slice::from_ref(s), cfg, &|_| {})
        .pop()
        .unwrap()
        .unwrap();
    f.mean.iter().sum::<f64>() / f.mean.len() as f64
}

#[test]
fn sold_out_days_are_censored_and_the_forecast_rises() {
    let store = merchant();
    let (series, ids) = load_series(&store, 28).unwrap();
    assert_eq!(series.len(), 1);
    let censored = &series[0];
    assert_eq!(censored.units.len(), DAYS as usize);
    // Every sell-out day, and only those, is unknown demand.
    for (i, u) in censored.units.iter().enumerate() {
        assert_eq!(u.is_nan(), i % 4 == 3, "day {i}: {u}");
    }
    let history = store
        .read()
        .series_history(ids[0].0, ids[0].1)
        .unwrap()
        .unwrap();
    assert_eq!(
        day_stock(&history.units, &history.on_hand, 3),
        DayStock::SoldOut
    );
    // The same history with the sell-out days taken as ordinary days (their sales as demand).
    let mut ordinary = censored.clone();
    for (u, h) in ordinary.units.iter_mut().zip(&history.units) {
        *u = *h;
    }
    let cfg = ForecastConfig {
        horizon: 28,
        ets_evals: 40,
        ..ForecastConfig::default()
    };
    let with = mean_forecast(censored, &cfg);
    let without = mean_forecast(&ordinary, &cfg);
    // True demand is 10 a day; the sell-out days' sales (5) pull the ordinary forecast down
    // towards the average of the sales (8.75).
    assert!(
        with > without + 0.5,
        "censored {with} vs ordinary {without}"
    );
    assert!((with - DEMAND as f64).abs() < 0.5, "censored {with}");
}
