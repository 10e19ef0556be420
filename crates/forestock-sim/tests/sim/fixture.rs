//! A small merchant built through the core Writer API: 2 locations, 4 products, 6 SKUs,
//! 2 suppliers, 300 orders over 24 months with cancellations and refunds.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use forestock_core::*;
use forestock_sim::{start, SimConfig, SimHandle};
use std::path::PathBuf;

pub const ORDERS: i64 = 300;
pub const SKUS: usize = 6;

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

pub fn t(d: NaiveDate, h: u32) -> NaiveDateTime {
    d.and_hms_opt(h, 0, 0).unwrap()
}

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
}

pub fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut store = Store::create(&path).unwrap();
    let w = store.write().unwrap();
    let created = t(as_of() - Duration::days(800), 0);
    w.set_merchant(&Merchant {
        name: "Fixture Shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: Some(as_of()),
        is_demo: true,
        created_at: created,
    })
    .unwrap();
    let locs: Vec<i64> = [
        ("WH1", "Main warehouse", LocationKind::Warehouse),
        ("SHOP", "City shop", LocationKind::Retail),
    ]
    .iter()
    .map(|(c, n, k)| {
        w.insert_location(&NewLocation {
            code: (*c).into(),
            name: (*n).into(),
            kind: *k,
            store_id: None,
            external_id: None,
        })
        .unwrap()
    })
    .collect();
    let mut variants = Vec::new();
    let mut skus: Vec<String> = Vec::new();
    for p in 0..4 {
        let pid = w
            .insert_product(&NewProduct {
                store_id: None,
                external_id: None,
                title: format!("Product {p}"),
                category: "Tea".into(),
                vendor: format!("Vendor {}", p % 2),
                status: if p == 3 {
                    ProductStatus::Archived
                } else {
                    ProductStatus::Active
                },
                created_at: created,
            })
            .unwrap();
        let n = if p < 2 { 2 } else { 1 };
        for k in 0..n {
            let sku = format!("SKU-{p}{k}");
            skus.push(sku.clone());
            let vid = w
                .insert_variant(
                    &NewVariant {
                        product_id: pid,
                        external_id: None,
                        sku,
                        title: format!("Size {k}"),
                        barcode: None,
                        price: 10.0 + p as f64 + k as f64 * 0.5,
                        cost: if p == 2 { None } else { Some(4.125 + p as f64) },
                        attributes: serde_json::json!({}),
                        status: SkuStatus::Active,
                        created_date: created.date(),
                        discontinue_date: None,
                    },
                    t(as_of() - Duration::days(10 * (p + 1) as i64), 12),
                )
                .unwrap();
            variants.push(vid);
        }
    }
    assert_eq!(variants.len(), SKUS);
    for (i, v) in variants.iter().enumerate() {
        for (j, l) in locs.iter().enumerate() {
            w.put_snapshot(&InventorySnapshot {
                variant_id: *v,
                location_id: *l,
                date: as_of() - Duration::days(30),
                on_hand: 100,
                committed: 0,
                incoming: 0,
            })
            .unwrap();
            w.put_snapshot(&InventorySnapshot {
                variant_id: *v,
                location_id: *l,
                date: as_of() - Duration::days(2),
                on_hand: (i * 10 + j) as i64,
                committed: j as i64,
                incoming: 5,
            })
            .unwrap();
        }
    }
    let sup: Vec<i64> = (0..2)
        .map(|s| {
            w.insert_supplier(&NewSupplier {
                name: format!("Supplier {s}"),
                currency: "USD".into(),
                lead_time_mean_days: 14.0,
                lead_time_sd_days: 2.0,
                moq: 1,
                case_pack: 1,
                price_breaks: vec![],
                email: Some(format!("s{s}@example.com")),
                notes: String::new(),
            })
            .unwrap()
        })
        .collect();
    for (i, v) in variants.iter().enumerate() {
        w.link_supplier_sku(&SupplierSku {
            supplier_id: sup[i % 2],
            variant_id: *v,
            supplier_sku: None,
            unit_cost: Some(3.0),
            is_primary: true,
            moq: None,
            case_pack: None,
            lead_time_days: None,
        })
        .unwrap();
    }
    // Orders spread over 24 months; every 7th cancelled, every 5th with a refund.
    for n in 0..ORDERS {
        let day = as_of() - Duration::days(730 - n * 730 / ORDERS);
        let created_at = t(day, 9 + (n % 8) as u32);
        let cancelled = n % 7 == 3;
        let updated_at = if n % 5 == 0 {
            created_at + Duration::days(3)
        } else {
            created_at
        };
        let lines: Vec<NewOrderLine> = (0..(1 + n % 3) as usize)
            .map(|k| {
                let vi = (n as usize + k) % SKUS;
                let q = 1 + ((n + k as i64) % 4);
                NewOrderLine {
                    external_id: None,
                    variant_id: Some(variants[vi]),
                    sku: skus[vi].clone(),
                    quantity: q,
                    unit_price: 10.0,
                    discount: 0.0,
                    cancelled_qty: if cancelled { q } else { 0 },
                }
            })
            .collect();
        let (oid, line_ids) = w
            .insert_order(
                &NewOrder {
                    store_id: None,
                    external_id: None,
                    name: format!("#{}", 1001 + n),
                    location_id: Some(locs[(n % 2) as usize]),
                    created_at,
                    updated_at,
                    cancelled_at: cancelled.then_some(created_at + Duration::hours(2)),
                    currency: "USD".into(),
                    channel: "online".into(),
                },
                &lines,
            )
            .unwrap();
        if n % 5 == 0 && !cancelled {
            w.insert_refund(&NewRefund {
                order_id: oid,
                order_line_id: line_ids[0],
                external_id: None,
                created_at: created_at + Duration::days(3),
                quantity: 1,
                amount: 10.0,
                restocked: n % 2 == 0,
            })
            .unwrap();
        }
    }
    w.commit().unwrap();
    Fixture { _dir: dir, path }
}

pub async fn sim(cfg: SimConfig) -> (Fixture, SimHandle) {
    let f = build();
    let h = start(&f.path, cfg).await.unwrap();
    (f, h)
}

/// Orders of the fixture created in the 60 days before "now".
pub fn recent_orders() -> i64 {
    let store = Store::open(&build().path).unwrap();
    let cutoff =
        t(as_of(), 23) + Duration::minutes(59) + Duration::seconds(59) - Duration::days(60);
    store
        .read()
        .conn()
        .query_row(
            "SELECT count(*) FROM orders WHERE created_at >= ?1",
            [cutoff],
            |r| r.get(0),
        )
        .unwrap()
}
