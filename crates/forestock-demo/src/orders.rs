//! Writing the simulated shop into the merchant database: catalogue, inventory, receipts, and
//! the orders (with cancellations and refunds) that the simulated sales become.

use crate::catalog::{Catalog, PromoScope, CATEGORIES, LOCATIONS, SUPPLIERS};
use crate::simulate::Simulation;
use crate::{DemoConfig, DemoSummary, Error, Progress};
use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use forestock_core::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const MERCHANT_NAME: &str = "Northwind Outfitters";

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

pub fn write_all(
    w: &Writer<'_>,
    cfg: &DemoConfig,
    cat: &Catalog,
    sim: &Simulation,
    progress: &mut dyn FnMut(Progress),
) -> Result<DemoSummary, Error> {
    let created = midnight(cat.start);
    w.set_merchant(&Merchant {
        name: MERCHANT_NAME.into(),
        currency: "USD".into(),
        timezone: "America/New_York".into(),
        as_of: Some(cfg.end_date),
        is_demo: true,
        created_at: created,
    })?;
    let store_id = w.insert_store(
        &NewStore {
            platform: Platform::Demo,
            name: format!("{MERCHANT_NAME} (demo)"),
            base_url: "demo://northwind-outfitters".into(),
            keychain_ref: None,
            settings: serde_json::json!({ "seed": cfg.seed, "skus": cfg.skus }),
        },
        created,
    )?;
    let mut location_ids = Vec::new();
    for l in &LOCATIONS {
        location_ids.push(w.insert_location(&NewLocation {
            code: l.code.into(),
            name: l.name.into(),
            kind: if l.retail {
                LocationKind::Retail
            } else {
                LocationKind::Warehouse
            },
            store_id: Some(store_id),
            external_id: None,
        })?);
    }
    let mut supplier_ids = Vec::new();
    for s in &SUPPLIERS {
        supplier_ids.push(
            w.insert_supplier(&NewSupplier {
                name: s.name.into(),
                currency: s.currency.into(),
                lead_time_mean_days: s.lead_time_mean,
                lead_time_sd_days: s.lead_time_sd,
                moq: s.moq,
                case_pack: s.case_pack,
                price_breaks: s
                    .breaks
                    .iter()
                    .map(|&(min_qty, discount_pct)| PriceBreak {
                        min_qty,
                        discount_pct,
                    })
                    .collect(),
                email: Some(s.email.into()),
                notes: String::new(),
            })?,
        );
    }
    // The demo comes with the exchange rates a planner would have entered for its foreign
    // suppliers (USD per unit): the inverse of the cost factor its catalog prices them at.
    let mut seen = std::collections::BTreeSet::new();
    for s in SUPPLIERS.iter().filter(|s| s.currency != "USD") {
        if seen.insert(s.currency) {
            let rate = (1.0 / s.fx * 10_000.0).round() / 10_000.0;
            w.set_exchange_rate(s.currency, rate, created, "demo")?;
        }
    }
    let mut product_ids = Vec::with_capacity(cat.products.len());
    for (i, p) in cat.products.iter().enumerate() {
        let first = cat.skus.iter().find(|s| s.product == i);
        let status = match first {
            Some(s) if s.discontinue.is_some_and(|d| d <= cfg.end_date) => ProductStatus::Archived,
            _ => ProductStatus::Active,
        };
        product_ids.push(w.insert_product(&NewProduct {
            store_id: Some(store_id),
            external_id: None,
            title: p.title.clone(),
            category: CATEGORIES[p.category].name.into(),
            vendor: p.vendor.into(),
            status,
            created_at: midnight(first.map_or(cat.start, |s| s.created)),
        })?);
    }
    let now = midnight(cfg.end_date);
    let mut variant_ids = Vec::with_capacity(cat.skus.len());
    for s in &cat.skus {
        let attributes: serde_json::Map<String, serde_json::Value> = s
            .attributes
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone().into()))
            .collect();
        let id = w.insert_variant(
            &NewVariant {
                product_id: product_ids[s.product],
                external_id: None,
                sku: s.code.clone(),
                title: s.title.clone(),
                barcode: Some(s.barcode.clone()),
                price: s.price,
                cost: Some(s.cost),
                attributes: serde_json::Value::Object(attributes),
                status: match s.discontinue {
                    Some(d) if d <= cfg.end_date => SkuStatus::Discontinued,
                    _ => SkuStatus::Active,
                },
                created_date: s.created,
                discontinue_date: s.discontinue,
            },
            now,
        )?;
        let sup = &SUPPLIERS[s.supplier];
        w.link_supplier_sku(&SupplierSku {
            supplier_id: supplier_ids[s.supplier],
            variant_id: id,
            supplier_sku: Some(format!("{}-{}", &sup.name[..3].to_uppercase(), s.code)),
            unit_cost: Some((s.cost * sup.fx * 100.0).round() / 100.0),
            is_primary: true,
            moq: None,
            case_pack: None,
            lead_time_days: None,
        })?;
        variant_ids.push(id);
    }
    for p in &cat.promotions {
        let (variant_id, category) = match p.scope {
            PromoScope::All => (None, None),
            PromoScope::Category(c) => (None, Some(CATEGORIES[c].name.to_string())),
            PromoScope::Sku(s) => (Some(variant_ids[s]), None),
        };
        w.insert_promotion(&NewPromotion {
            name: p.name.clone(),
            start_date: p.start,
            end_date: p.end,
            discount_pct: p.discount_pct,
            variant_id,
            category,
            location_id: None,
            expected_lift: None,
        })?;
    }

    let mut summary = DemoSummary {
        skus: cat.skus.len(),
        products: cat.products.len(),
        locations: LOCATIONS.len(),
        suppliers: SUPPLIERS.len(),
        promotions: cat.promotions.len(),
        ..DemoSummary::default()
    };
    let day = |d: u32| cat.start + Days::new(u64::from(d));
    let mut po_number = 5000;
    for s in &sim.series {
        let (variant_id, location_id) = (variant_ids[s.sku], location_ids[s.loc]);
        for &(d, on_hand, committed, incoming) in &s.levels {
            w.put_snapshot(&InventorySnapshot {
                variant_id,
                location_id,
                date: day(d),
                on_hand,
                committed,
                incoming,
            })?;
        }
        summary.snapshots += s.levels.len();
        for r in &s.receipts {
            po_number += 1;
            w.insert_receipt(&NewReceipt {
                supplier_id: Some(supplier_ids[cat.skus[s.sku].supplier]),
                variant_id,
                location_id,
                reference: format!("PO-{po_number}"),
                ordered_date: day(r.ordered),
                expected_date: day(r.expected),
                received_date: r.received.map(day),
                quantity: r.qty,
            })?;
            summary.receipts += 1;
        }
    }

    write_orders(
        w,
        cfg,
        cat,
        sim,
        &variant_ids,
        &location_ids,
        store_id,
        &mut summary,
        progress,
    )?;
    Ok(summary)
}

struct Line {
    sku: usize,
    qty: i64,
}

#[allow(clippy::too_many_arguments)]
fn write_orders(
    w: &Writer<'_>,
    cfg: &DemoConfig,
    cat: &Catalog,
    sim: &Simulation,
    variant_ids: &[i64],
    location_ids: &[i64],
    store_id: i64,
    summary: &mut DemoSummary,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), Error> {
    let days = cfg.days as usize;
    // Sales by day and location.
    let mut by_day: Vec<Vec<Vec<(usize, i64, bool)>>> =
        vec![vec![Vec::new(); LOCATIONS.len()]; days];
    for s in &sim.series {
        for &(d, qty, bulk) in &s.sales {
            by_day[d as usize][s.loc].push((s.sku, qty, bulk));
        }
    }
    // Promotion discount per SKU and day, for the prices on order lines.
    let discount = |sku: usize, date: NaiveDate| -> f64 {
        cat.promotions
            .iter()
            .filter(|p| date >= p.start && date <= p.end)
            .filter(|p| match p.scope {
                PromoScope::All => true,
                PromoScope::Category(c) => c == cat.skus[sku].category,
                PromoScope::Sku(s) => s == sku,
            })
            .map(|p| p.discount_pct)
            .fold(0.0, f64::max)
    };
    let mut order_no: u64 = 1000;
    for (d, locations) in by_day.iter().enumerate() {
        let date = cat.start + Days::new(d as u64);
        let mut rng =
            ChaCha8Rng::seed_from_u64(cfg.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ d as u64);
        // (seconds into the day, location, lines, cancelled)
        let mut orders: Vec<(u32, usize, Vec<Line>, bool)> = Vec::new();
        for (loc, sales) in locations.iter().enumerate() {
            let mut units: Vec<Line> = Vec::new();
            for &(sku, qty, bulk) in sales {
                if bulk {
                    orders.push((
                        rng.gen_range(28_800..64_800),
                        loc,
                        vec![Line { sku, qty }],
                        false,
                    ));
                    continue;
                }
                // Split a day's units into order lines of 1–3 units.
                let mut left = qty;
                while left > 0 {
                    let q = match rng.gen_range(0..10) {
                        0..=6 => 1,
                        7..=8 => 2,
                        _ => 3,
                    }
                    .min(left);
                    units.push(Line { sku, qty: q });
                    left -= q;
                }
            }
            units.shuffle(&mut rng);
            let mut it = units.into_iter().peekable();
            while it.peek().is_some() {
                let size = match rng.gen_range(0..10) {
                    0..=5 => 1,
                    6..=8 => 2,
                    _ => 3,
                };
                let mut lines: Vec<Line> = Vec::with_capacity(size);
                for _ in 0..size {
                    match it.next() {
                        // The same SKU twice in one order becomes one line.
                        Some(l) => match lines.iter_mut().find(|x| x.sku == l.sku) {
                            Some(x) => x.qty += l.qty,
                            None => lines.push(l),
                        },
                        None => break,
                    }
                }
                let secs: u32 = if LOCATIONS[loc].retail {
                    rng.gen_range(36_000..72_000)
                } else {
                    rng.gen_range(0..86_400)
                };
                // Some shoppers cancel: a second order that never ships.
                if rng.gen_bool(0.015) {
                    let copy = lines
                        .iter()
                        .map(|l| Line {
                            sku: l.sku,
                            qty: l.qty,
                        })
                        .collect();
                    orders.push((secs.saturating_sub(600), loc, copy, true));
                }
                orders.push((secs, loc, lines, false));
            }
        }
        orders.sort_by_key(|o| (o.0, o.1));
        for (secs, loc, lines, cancelled) in orders {
            order_no += 1;
            let created_at = midnight(date) + TimeDelta::seconds(i64::from(secs));
            let cancelled_at = cancelled.then(|| created_at + TimeDelta::hours(2));
            let mut new_lines = Vec::with_capacity(lines.len());
            let mut refunds = Vec::new();
            let mut updated_at = cancelled_at.unwrap_or(created_at);
            for (i, l) in lines.iter().enumerate() {
                let price = cat.skus[l.sku].price;
                let pct = discount(l.sku, date);
                let line_discount = (price * l.qty as f64 * pct).round() / 100.0;
                new_lines.push(NewOrderLine {
                    external_id: None,
                    variant_id: Some(variant_ids[l.sku]),
                    sku: cat.skus[l.sku].code.clone(),
                    quantity: l.qty,
                    unit_price: price,
                    discount: line_discount,
                    cancelled_qty: if cancelled { l.qty } else { 0 },
                });
                if !cancelled && rng.gen_bool(0.025) {
                    let at = created_at
                        + TimeDelta::days(rng.gen_range(3..25))
                        + TimeDelta::minutes(rng.gen_range(0..600));
                    if at.date() <= cfg.end_date {
                        let qty = rng.gen_range(1..=l.qty);
                        let amount =
                            ((price * (1.0 - pct / 100.0)) * qty as f64 * 100.0).round() / 100.0;
                        refunds.push((i, at, qty, amount));
                        updated_at = updated_at.max(at);
                    }
                }
            }
            let (order_id, line_ids) = w.insert_order(
                &NewOrder {
                    store_id: Some(store_id),
                    external_id: None,
                    name: format!("#{order_no}"),
                    location_id: Some(location_ids[loc]),
                    created_at,
                    updated_at,
                    cancelled_at,
                    currency: "USD".into(),
                    channel: if LOCATIONS[loc].retail {
                        "pos"
                    } else {
                        "online"
                    }
                    .into(),
                },
                &new_lines,
            )?;
            summary.orders += 1;
            summary.order_lines += new_lines.len();
            for (i, at, quantity, amount) in refunds {
                w.insert_refund(&NewRefund {
                    order_id,
                    order_line_id: line_ids[i],
                    external_id: None,
                    created_at: at,
                    quantity,
                    amount,
                    restocked: false,
                })?;
            }
        }
        if d % 30 == 0 || d + 1 == days {
            progress(Progress::Writing {
                done: d + 1,
                total: days,
            });
        }
    }
    Ok(())
}
