//! Orders land on the shop's local day: a platform's UTC time stamps are stored in the
//! merchant's time zone, so the demand history (which buckets by `date(created_at)`) counts an
//! order at 02:00 UTC from a Los Angeles shop on the evening before.
#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, NaiveDateTime};
use forestock_connect::remote::{shop_day, shop_time, RemoteLine, RemoteOrder, Sink};
use forestock_core::*;

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// The merchant, keeping its books in USD in `zone`.
fn set_merchant(w: &forestock_core::Writer<'_>, zone: &str) {
    w.set_merchant(&Merchant {
        name: "Shop".into(),
        currency: "USD".into(),
        timezone: zone.into(),
        as_of: None,
        is_demo: false,
        created_at: t("2026-01-01 00:00"),
    })
    .unwrap();
}

/// A merchant in `zone` with one store, one location and one SKU; one order synced at
/// 2026-03-10 02:00 UTC. Returns the days the demand history puts its units on.
fn sold_on(zone: &str) -> Vec<(NaiveDate, f64)> {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    set_merchant(&w, zone);
    let store_id = w
        .insert_store(
            &NewStore {
                platform: Platform::Shopify,
                name: "Shop".into(),
                base_url: "https://shop.example".into(),
                keychain_ref: None,
                settings: serde_json::json!({}),
            },
            t("2026-01-01 00:00"),
        )
        .unwrap();
    w.insert_location(&NewLocation {
        code: "WH".into(),
        name: "Warehouse".into(),
        kind: LocationKind::Warehouse,
        store_id: Some(store_id),
        external_id: Some("loc-1".into()),
    })
    .unwrap();
    let product = w
        .insert_product(&NewProduct {
            store_id: Some(store_id),
            external_id: Some("p-1".into()),
            title: "Mug".into(),
            category: "Kitchen".into(),
            vendor: "Acme".into(),
            status: ProductStatus::Active,
            created_at: t("2026-01-01 00:00"),
        })
        .unwrap();
    w.insert_variant(
        &NewVariant {
            product_id: product,
            external_id: Some("v-1".into()),
            sku: "MUG".into(),
            title: "Mug".into(),
            barcode: None,
            price: 10.0,
            cost: Some(4.0),
            attributes: serde_json::json!({}),
            status: SkuStatus::Active,
            created_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            discontinue_date: None,
        },
        t("2026-01-01 00:00"),
    )
    .unwrap();
    let order = RemoteOrder {
        external_id: "o-1".into(),
        name: "#1001".into(),
        location_external_id: Some("loc-1".into()),
        created_at: t("2026-03-10 02:00"),
        updated_at: t("2026-03-10 02:00"),
        cancelled_at: None,
        currency: "USD".into(),
        channel: "online".into(),
        lines: vec![RemoteLine {
            external_id: "l-1".into(),
            sku: "MUG".into(),
            variant_external_id: Some("v-1".into()),
            quantity: 3,
            unit_price: 10.0,
            discount: 0.0,
            cancelled_qty: 0,
            location_external_id: None,
        }],
        refunds: vec![],
    };
    Sink::new(&w, store_id).orders(&[order]).unwrap();
    w.commit().unwrap();
    let mut days = Vec::new();
    store
        .read()
        .demand_history(|h| {
            for i in 0..h.units.len() {
                if h.units[i] > 0.0 {
                    days.push((h.date(i), h.units[i]));
                }
            }
            Ok(())
        })
        .unwrap();
    days
}

#[test]
fn an_order_at_2am_utc_lands_on_the_previous_local_day_in_los_angeles() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // 2026-03-10 02:00 UTC is 2026-03-09 19:00 in Los Angeles (PDT, UTC-7, from March 8).
    assert_eq!(sold_on("America/Los_Angeles"), [(d("2026-03-09"), 3.0)]);
    assert_eq!(sold_on("UTC"), [(d("2026-03-10"), 3.0)]);
    // East of UTC the day is the same here: 03:00 in Paris.
    assert_eq!(sold_on("Europe/Paris"), [(d("2026-03-10"), 3.0)]);
    // An unknown zone name (never stored by setup, which checks it) counts as UTC.
    assert_eq!(sold_on("Nowhere/Else"), [(d("2026-03-10"), 3.0)]);
}

#[test]
fn shop_time_follows_daylight_saving() {
    let la: chrono_tz::Tz = "America/Los_Angeles".parse().unwrap();
    // PST (UTC-8) in January, PDT (UTC-7) in July.
    assert_eq!(shop_time(la, t("2026-01-15 02:00")), t("2026-01-14 18:00"));
    assert_eq!(shop_time(la, t("2026-07-15 02:00")), t("2026-07-14 19:00"));
}

/// Stock levels read by a sync are dated on the shop's day too: a level read at 01:00 UTC in
/// Los Angeles is the evening before there, the end of the day whose sales it follows.
#[test]
fn a_stock_level_read_at_1am_utc_is_dated_the_previous_day_in_los_angeles() {
    for (zone, want) in [("America/Los_Angeles", "2026-03-09"), ("UTC", "2026-03-10")] {
        let mut store = Store::in_memory().unwrap();
        let w = store.write().unwrap();
        set_merchant(&w, zone);
        w.commit().unwrap();
        assert_eq!(
            shop_day(&store, t("2026-03-10 01:00")).unwrap(),
            NaiveDate::parse_from_str(want, "%Y-%m-%d").unwrap(),
            "{zone}"
        );
    }
}
