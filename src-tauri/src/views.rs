//! Read models for the screens: joins of library reads, nothing computed that a planner decides on.

use crate::dto::PlannerRow;
use forestock_core::{Reader, Result};
use std::collections::HashMap;

/// The planner grid: the latest plan's lines when a plan has run, else the stock positions.
pub fn planner(
    store: &forestock_core::Store,
) -> std::result::Result<crate::dto::PlannerData, forestock_plan::Error> {
    let r = store.read();
    let Some(run) = forestock_plan::plan::latest_plan_run(store)? else {
        return Ok(crate::dto::PlannerData {
            rows: positions(&r)?,
            plan_run: None,
        });
    };
    let skus: HashMap<i64, forestock_core::Sku> =
        r.skus()?.into_iter().map(|s| (s.id, s)).collect();
    let rows = forestock_plan::review::recommendations(store, &Default::default())?
        .into_iter()
        .map(|g| {
            let mut row = PlannerRow::from(g);
            if let Some(s) = skus.get(&row.variant_id) {
                row.title = crate::dto::display_title(s);
                row.price = s.price;
            }
            row
        })
        .collect();
    let finished = r
        .last_run(forestock_core::RunKind::Plan)?
        .and_then(|x| x.finished_at);
    let plan_run = Some(finished.map_or_else(
        || format!("run {run}"),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    ));
    Ok(crate::dto::PlannerData { rows, plan_run })
}

/// Every SKU×location with its stock on the data's "today" and its primary supplier.
pub fn positions(r: &Reader<'_>) -> Result<Vec<PlannerRow>> {
    let as_of = r
        .merchant()?
        .and_then(|m| m.as_of)
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let locations = r.locations()?;
    let suppliers: HashMap<i64, String> =
        r.suppliers()?.into_iter().map(|s| (s.id, s.name)).collect();
    let primary: HashMap<i64, i64> = r
        .supplier_skus()?
        .into_iter()
        .filter(|l| l.is_primary)
        .map(|l| (l.variant_id, l.supplier_id))
        .collect();
    let stock: HashMap<(i64, i64), (i64, i64)> = r
        .inventory_on(as_of)?
        .into_iter()
        .map(|s| ((s.variant_id, s.location_id), (s.on_hand, s.incoming)))
        .collect();
    let mut rows = Vec::new();
    for sku in r.skus()? {
        let supplier = primary
            .get(&sku.id)
            .and_then(|id| suppliers.get(id))
            .cloned();
        for loc in locations.iter().filter(|l| l.active) {
            let (on_hand, incoming) = stock.get(&(sku.id, loc.id)).copied().unwrap_or((0, 0));
            rows.push(PlannerRow::position(
                &sku,
                loc,
                supplier.clone(),
                on_hand,
                incoming,
            ));
        }
    }
    Ok(rows)
}

/// The daily history of one SKU×location, if it has sold.
///
/// The core reads every series in one pass; a per-series read in `forestock-core` would make this
/// cheaper (asked for).
pub fn history(
    r: &Reader<'_>,
    variant_id: i64,
    location_id: i64,
) -> Result<Option<forestock_core::SeriesHistory>> {
    let mut found = None;
    r.demand_history(|h| {
        if h.variant_id == variant_id && h.location_id == location_id {
            found = Some(h);
        }
        Ok(())
    })?;
    Ok(found)
}

/// Assemble the SKU detail: sums over the tail of the history and the chart.
pub fn sku_detail(
    row: PlannerRow,
    sku: &forestock_core::Sku,
    h: Option<&forestock_core::SeriesHistory>,
    audit: Vec<crate::dto::AuditView>,
) -> std::result::Result<crate::dto::SkuDetail, String> {
    let tail = |n: usize| h.map_or(0.0, |h| h.units.iter().rev().take(n).sum::<f64>());
    let last_year = |f: &dyn Fn(usize) -> bool| {
        h.map_or(0, |h| {
            (h.units.len().saturating_sub(365)..h.units.len())
                .filter(|i| f(*i))
                .count() as i64
        })
    };
    let stockouts = last_year(&|i| h.is_some_and(|h| h.on_hand[i] == Some(0)));
    let promos = last_year(&|i| h.is_some_and(|h| h.promo[i]));
    let title = format!("{} at {}", row.sku, row.location);
    let chart_svg = match h {
        Some(h) => crate::chart::render(
            &crate::chart::ChartSeries {
                title: &title,
                units: &h.units,
                on_hand: &h.on_hand,
                promo: &h.promo,
                days: 365,
            },
            900,
            340,
        )?,
        None => String::new(),
    };
    Ok(crate::dto::SkuDetail {
        product_title: sku.product_title.clone(),
        vendor: sku.vendor.clone(),
        barcode: sku.barcode.clone(),
        created_date: sku.created_date.to_string(),
        discontinue_date: sku.discontinue_date.map(|d| d.to_string()),
        sold_30d: tail(30),
        sold_90d: tail(90),
        sold_365d: tail(365),
        stockout_days_365d: stockouts,
        promo_days_365d: promos,
        chart_svg,
        audit,
        row,
    })
}

/// The audit trail of one SKU×location: its plan-line edits in every run (entity id
/// `run:variant:location`) and the SKU's own entries (locks), newest first.
pub fn sku_audit(
    r: &Reader<'_>,
    variant_id: i64,
    location_id: i64,
) -> Result<Vec<forestock_core::AuditEntry>> {
    let line_suffix = format!(":{variant_id}:{location_id}");
    let filter = |entity: &str| forestock_core::AuditFilter {
        entity: Some(entity.into()),
        ..Default::default()
    };
    let mut out: Vec<_> = r
        .audit_entries(&filter("plan_line"))?
        .into_iter()
        .filter(|e| e.entity_id.ends_with(&line_suffix))
        .collect();
    out.extend(
        r.audit_entries(&filter("sku"))?
            .into_iter()
            .filter(|e| e.entity_id == variant_id.to_string()),
    );
    out.sort_by_key(|e| std::cmp::Reverse(e.id));
    out.truncate(200);
    Ok(out)
}
