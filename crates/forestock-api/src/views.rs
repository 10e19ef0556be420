//! Read models of the planner's screens: the grid of every SKU×location and one SKU's detail.
//! Joins of library reads; every number a planner decides on comes from a library.

use crate::audit::AuditView;
use crate::chart::{ChartModel, Granularity, PlanFacts, CHART_DAYS};
use crate::{Error, Result};
use forestock_core::{AuditEntry, AuditFilter, Location, Reader, SeriesHistory, Sku, Store};
use forestock_plan::review::{GridRow, LineFlag, LineStatus};
use serde::Serialize;
use std::collections::HashMap;

/// One SKU×location in the planner grid. The stock and catalogue fields always come from the
/// database; the plan fields are `None` until a plan run has computed them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannerRow {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub title: String,
    pub category: String,
    pub location: String,
    pub supplier: Option<String>,
    pub status: String,
    pub price: f64,
    pub cost: Option<f64>,
    /// The currency of `cost` (and of the line's order value): the supplier's on a planned
    /// line, the merchant's on a stock position.
    pub currency: String,
    pub on_hand: i64,
    pub incoming: i64,
    pub abc: Option<String>,
    pub forecast_30d: Option<f64>,
    pub days_of_cover: Option<f64>,
    pub safety_stock: Option<f64>,
    pub reorder_point: Option<f64>,
    pub recommended_qty: Option<i64>,
    pub override_qty: Option<i64>,
    pub line_status: Option<LineStatus>,
    pub override_reason: Option<String>,
    /// What the plan library flags on the line (one rule, in forestock-plan); the UI counts these.
    pub alerts: Vec<LineFlag>,
    /// The forecast model behind the line and the terms that produced its numbers.
    pub model: Option<String>,
    pub rationale: Vec<String>,
}

/// A variant's own title, or its product's when the variant has none (single-variant products).
pub fn display_title(sku: &Sku) -> String {
    if sku.title.trim().is_empty() || sku.title == "Default Title" {
        sku.product_title.clone()
    } else {
        format!("{} — {}", sku.product_title, sku.title)
    }
}

impl PlannerRow {
    /// A stock position without a plan.
    pub fn position(
        sku: &Sku,
        loc: &Location,
        supplier: Option<String>,
        currency: &str,
        on_hand: i64,
        incoming: i64,
    ) -> Self {
        PlannerRow {
            variant_id: sku.id,
            location_id: loc.id,
            sku: sku.sku.clone(),
            title: display_title(sku),
            category: sku.category.clone(),
            location: loc.code.clone(),
            supplier,
            status: sku.status.to_string(),
            price: sku.price,
            cost: sku.cost,
            currency: currency.to_string(),
            on_hand,
            incoming,
            abc: None,
            forecast_30d: None,
            days_of_cover: None,
            safety_stock: None,
            reorder_point: None,
            recommended_qty: None,
            override_qty: None,
            line_status: None,
            override_reason: None,
            alerts: Vec::new(),
            model: None,
            rationale: Vec::new(),
        }
    }
}

impl From<GridRow> for PlannerRow {
    fn from(g: GridRow) -> Self {
        let r = g.rec;
        PlannerRow {
            variant_id: r.variant_id,
            location_id: r.location_id,
            sku: r.sku,
            title: String::new(),
            category: r.category,
            location: r.location,
            supplier: r.supplier,
            status: r.movement.as_str().to_string(),
            price: 0.0,
            cost: Some(r.unit_cost),
            currency: r.currency,
            on_hand: r.on_hand,
            incoming: r.on_order,
            abc: Some(format!("{}{}", r.abc, r.xyz)),
            forecast_30d: Some(r.forecast_30d),
            days_of_cover: r.days_of_cover,
            safety_stock: Some(r.safety_stock),
            reorder_point: Some(r.reorder_point),
            recommended_qty: Some(r.recommended_qty),
            override_qty: g.override_qty,
            line_status: Some(g.status),
            override_reason: g.override_reason,
            alerts: g.flags,
            model: Some(r.model),
            rationale: r.rationale,
        }
    }
}

/// The planner grid's rows and whether a plan backs them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannerData {
    pub rows: Vec<PlannerRow>,
    /// When the plan behind the plan columns finished; `None` when no plan has run yet.
    pub plan_run: Option<String>,
}

/// The planner grid: the latest plan's lines when a plan has run, else the stock positions.
pub fn planner(store: &Store) -> Result<PlannerData> {
    let r = store.read();
    let Some(run) = forestock_plan::plan::latest_plan_run(store)? else {
        return Ok(PlannerData {
            rows: positions(&r)?,
            plan_run: None,
        });
    };
    let skus: HashMap<i64, Sku> = r.skus()?.into_iter().map(|s| (s.id, s)).collect();
    let rows = forestock_plan::review::recommendations(store, &Default::default())?
        .into_iter()
        .map(|g| {
            let mut row = PlannerRow::from(g);
            if let Some(s) = skus.get(&row.variant_id) {
                row.title = display_title(s);
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
    Ok(PlannerData { rows, plan_run })
}

/// One line of [`planner`], read alone (the SKU detail and chart): the latest plan's line, or
/// before any plan its position.
pub fn planner_row(store: &Store, variant_id: i64, location_id: i64) -> Result<PlannerRow> {
    let missing = || {
        Error::NotFound(format!(
            "SKU {variant_id} at location {location_id} not found"
        ))
    };
    let r = store.read();
    if forestock_plan::plan::latest_plan_run(store)?.is_none() {
        return positions(&r)?
            .into_iter()
            .find(|p| p.variant_id == variant_id && p.location_id == location_id)
            .ok_or_else(missing);
    }
    let key = forestock_plan::review::LineKey {
        variant_id,
        location_id,
    };
    let g = match forestock_plan::review::line(store, key) {
        Ok(g) => g,
        Err(forestock_plan::Error::NotFound { .. }) => return Err(missing()),
        Err(e) => return Err(e.into()),
    };
    let mut row = PlannerRow::from(g);
    if let Some(s) = r.skus()?.iter().find(|s| s.id == variant_id) {
        row.title = display_title(s);
        row.price = s.price;
    }
    Ok(row)
}

/// Every SKU×location with its stock on the data's "today" and its primary supplier.
pub fn positions(r: &Reader<'_>) -> Result<Vec<PlannerRow>> {
    let (as_of, _) = crate::plan::planning_basis(r, None)?;
    let locations = r.locations()?;
    let currency = r.merchant()?.map(|m| m.currency).unwrap_or_default();
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
                &currency,
                on_hand,
                incoming,
            ));
        }
    }
    Ok(rows)
}

/// Everything the SKU detail screen shows about one SKU×location.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkuDetail {
    pub row: PlannerRow,
    pub product_title: String,
    pub vendor: String,
    pub barcode: Option<String>,
    pub created_date: String,
    pub discontinue_date: Option<String>,
    /// Units sold over the last 30 / 90 / 365 days of history.
    pub sold_30d: f64,
    pub sold_90d: f64,
    pub sold_365d: f64,
    /// Days in the last 365 that ended with nothing on hand.
    pub stockout_days_365d: i64,
    pub promo_days_365d: i64,
    /// The chart as an SVG document (plotters); empty without history.
    pub chart_svg: String,
    /// What the chart draws, for the legend and the panel beside it (`None` without history).
    pub chart: Option<ChartModel>,
    pub audit: Vec<AuditView>,
    /// The planner's forecast overrides that apply to this SKU×location.
    pub forecast_overrides: Vec<crate::overrides::OverrideView>,
}

/// One SKU×location: its grid row, catalogue facts, sums over the tail of its history, its
/// audit trail (its ids named) and its chart at a granularity (drawn by `render_svg`; empty
/// without history).
pub fn sku_detail<E: From<Error>>(
    store: &Store,
    variant_id: i64,
    location_id: i64,
    granularity: Granularity,
    render_svg: impl FnOnce(&ChartModel) -> std::result::Result<String, E>,
) -> std::result::Result<SkuDetail, E> {
    let row = planner_row(store, variant_id, location_id)?;
    let r = store.read();
    let sku = r.sku_by_code(&row.sku).map_err(Error::from)?;
    let audit = sku_audit(&r, variant_id, location_id)?;
    let h = crate::chart::history(&r, variant_id, location_id)?;
    let (sold_30d, sold_90d, sold_365d) = (
        tail_sum(h.as_ref(), 30),
        tail_sum(h.as_ref(), 90),
        tail_sum(h.as_ref(), 365),
    );
    let stockout_days_365d = last_year_days(h.as_ref(), |h, i| h.on_hand[i] == Some(0));
    let promo_days_365d = last_year_days(h.as_ref(), |h, i| h.promo[i]);
    let chart = match &h {
        Some(history) => Some(crate::chart::model::build(
            store,
            &r,
            (variant_id, location_id),
            (&row.sku, &row.location),
            Some(history),
            &PlanFacts {
                on_hand: row.on_hand,
                safety_stock: row.safety_stock,
                reorder_point: row.reorder_point,
                rationale: row.rationale.clone(),
            },
            granularity,
        )?),
        None => None,
    };
    let chart_svg = match &chart {
        Some(c) => render_svg(c)?,
        None => String::new(),
    };
    let names = r.audit_names().map_err(Error::from)?;
    let forecast_overrides = crate::overrides::for_line(store, variant_id, location_id)?;
    Ok(SkuDetail {
        product_title: sku.product_title.clone(),
        vendor: sku.vendor.clone(),
        barcode: sku.barcode.clone(),
        created_date: sku.created_date.to_string(),
        discontinue_date: sku.discontinue_date.map(|d| d.to_string()),
        sold_30d,
        sold_90d,
        sold_365d,
        stockout_days_365d,
        promo_days_365d,
        chart_svg,
        chart,
        audit: audit
            .into_iter()
            .map(|e| AuditView::readable(e, &names))
            .collect(),
        forecast_overrides,
        row,
    })
}

/// Units sold over the last `days` of the history.
fn tail_sum(h: Option<&SeriesHistory>, days: usize) -> f64 {
    h.map_or(0.0, |h| h.units.iter().rev().take(days).sum::<f64>())
}

/// Days of the last [`CHART_DAYS`] of the history for which `f` holds.
fn last_year_days(h: Option<&SeriesHistory>, f: impl Fn(&SeriesHistory, usize) -> bool) -> i64 {
    h.map_or(0, |h| {
        let n = (h.units.len().saturating_sub(CHART_DAYS)..h.units.len())
            .filter(|i| f(h, *i))
            .count();
        i64::try_from(n).unwrap_or(i64::MAX)
    })
}

/// The audit trail of one SKU×location: its plan-line edits in every run (entity id
/// `run:variant:location`) and the SKU's own entries (locks), newest first.
pub fn sku_audit(r: &Reader<'_>, variant_id: i64, location_id: i64) -> Result<Vec<AuditEntry>> {
    let line_suffix = format!(":{variant_id}:{location_id}");
    let filter = |entity: &str| AuditFilter {
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
