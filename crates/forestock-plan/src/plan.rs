//! The plan run: forecast every active SKU×location, compute recommendations, propose transfers,
//! store them as a versioned plan run (`runs.kind = 'plan'` + `plan_lines`).

use crate::sql;
use chrono::{Days, NaiveDate, NaiveDateTime};
use forestock_core::{RunKind, RunStatus, SkuStatus, Store};
use forestock_forecast::{
    forecast_all, ForecastConfig, Frequency, Series, SeriesForecast, SeriesIssue, SeriesKey,
    SeriesMeta,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::line::{compute_line, Inbound, LineInputs, Recommendation, Signals};
use crate::material::{material_change, Basis};
use crate::money::{per_currency, Converted, Money, Rates};
use crate::policy::{abc_classes, xyz_class, LeadTime, LeadTimeSource, OrderRules};
use crate::settings::{load_settings, PlanSettings};

/// What a plan run needs from the caller (never read from the clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanRequest {
    /// The planning date; `None` = the merchant's `as_of` date.
    pub today: Option<NaiveDate>,
    /// Wall-clock time stamped on the run.
    pub now: NaiveDateTime,
}

/// What a plan run produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub run_id: i64,
    pub today: NaiveDate,
    pub lines: usize,
    pub lines_to_order: usize,
    /// Lines with demand to order but no supplier linked ("needs a supplier"): they order
    /// nothing until a supplier is linked.
    #[serde(default)]
    pub needs_supplier: usize,
    /// Order value per currency (suppliers invoice in their own): never added across
    /// currencies.
    pub order_value: Vec<Money>,
    /// The order value converted into the merchant's currency with the rates the planner
    /// entered, when some of it is foreign and every foreign currency has a rate.
    #[serde(default)]
    pub order_value_converted: Option<Converted>,
    pub transfers: usize,
    pub forecast_failures: usize,
    /// The stored forecast run the plan used (None: it forecast itself).
    #[serde(default)]
    pub forecast_run_id: Option<i64>,
    /// Excess stock at cost, per currency.
    pub excess_value: Vec<Money>,
    /// Order value per supplier (in the supplier's currency), largest first.
    pub by_supplier: Vec<SupplierTotal>,
    /// The alerts run stored with the plan, and its counts.
    pub alerts_run_id: i64,
    pub alerts: crate::alerts::AlertStats,
    /// Overrides of the previous plan kept, and dropped because the line's inputs changed
    /// materially ([`crate::material`]).
    #[serde(default)]
    pub overrides_kept: usize,
    #[serde(default)]
    pub overrides_dropped: usize,
}

/// What a plan would buy from one supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplierTotal {
    pub supplier_id: Option<i64>,
    pub supplier: String,
    pub currency: String,
    pub lines: usize,
    pub units: i64,
    pub value: f64,
}

/// A proposed transfer between two locations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transfer {
    pub variant_id: i64,
    pub sku: String,
    pub from_location_id: i64,
    pub to_location_id: i64,
    pub quantity: i64,
    pub reason: String,
}

type Key = (i64, i64);

/// Stages of a plan run, reported to a progress callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum PlanProgress {
    Reading,
    Forecasting { done: usize, total: usize },
    Computing,
    Writing,
}

/// Run the plan and store it. Reads everything first, computes, then writes the plan and its
/// alerts in one transaction.
pub fn run_plan(store: &mut Store, req: &PlanRequest) -> Result<PlanSummary> {
    run_plan_with(store, req, &|_| {})
}

/// [`run_plan`] with progress reports (called from worker threads while forecasting).
pub fn run_plan_with(
    store: &mut Store,
    req: &PlanRequest,
    progress: &(dyn Fn(PlanProgress) + Sync),
) -> Result<PlanSummary> {
    let settings = load_settings(&store.read())?;
    settings.validate()?;
    progress(PlanProgress::Reading);
    let (inputs, failures, today, forecast_run) =
        gather_with(store, &settings, req.today, progress)?;
    progress(PlanProgress::Computing);
    // Lines are independent: compute them in parallel, once; only lines a transfer touches are
    // computed again.
    let first: Vec<Recommendation> = inputs
        .par_iter()
        .map(|i| compute_line(i, &settings))
        .collect();
    let (inputs, transfers) = transfers_from(inputs, &first, &settings);
    let recs: Vec<Recommendation> = inputs
        .par_iter()
        .zip(first.into_par_iter())
        .map(|(i, r)| {
            if i.transfer_in != 0 || i.transfer_out != 0 {
                compute_line(i, &settings)
            } else {
                r
            }
        })
        .collect();
    progress(PlanProgress::Writing);
    let facts = crate::alerts::gather_facts(store, today, &settings)?;
    let currency = crate::alerts::merchant_currency(store)?;
    let alerts = crate::alerts::compute(&inputs, &recs, &facts, &settings, today, &currency);
    write_run(
        store,
        req,
        today,
        &settings,
        &inputs,
        &recs,
        &transfers,
        (failures, forecast_run),
        alerts,
    )
}

fn supplier_totals(recs: &[Recommendation]) -> Vec<SupplierTotal> {
    let mut by: BTreeMap<Option<i64>, SupplierTotal> = BTreeMap::new();
    for r in recs.iter().filter(|r| r.recommended_qty > 0) {
        let t = by.entry(r.supplier_id).or_insert_with(|| SupplierTotal {
            supplier_id: r.supplier_id,
            supplier: r.supplier.clone().unwrap_or_else(|| "(no supplier)".into()),
            currency: r.currency.clone(),
            lines: 0,
            units: 0,
            value: 0.0,
        });
        t.lines += 1;
        t.units += r.recommended_qty;
        t.value += r.order_value;
    }
    let mut out: Vec<SupplierTotal> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.supplier.cmp(&b.supplier))
    });
    out
}

/// Build the inputs of every line from the database (forecasting on the way).
pub fn gather(
    store: &Store,
    settings: &PlanSettings,
    today: Option<NaiveDate>,
) -> Result<(Vec<LineInputs>, usize, NaiveDate)> {
    gather_with(store, settings, today, &|_| {}).map(|(i, f, t, _)| (i, f, t))
}

/// The latest stored forecast run's forecasts when the plan may use them instead of
/// forecasting again (see [`PlanSettings::reuse_forecast_run`]).
fn fresh_forecast_run(
    store: &Store,
    today: NaiveDate,
    settings: &PlanSettings,
) -> Result<Option<(i64, HashMap<Key, SeriesForecast>)>> {
    if !settings.reuse_forecast_run {
        return Ok(None);
    }
    let r = store.read();
    let Some(run) = r.last_run(RunKind::Forecast)? else {
        return Ok(None);
    };
    let as_of: Option<NaiveDate> = run
        .params
        .get("as_of")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    let Some(cfg) = run.params.get("config") else {
        return Ok(None);
    };
    let horizon = cfg.get("horizon").and_then(serde_json::Value::as_u64);
    let Some(horizon) = horizon.filter(|&h| h >= u64::from(settings.horizon_days)) else {
        return Ok(None);
    };
    let Ok(horizon) = usize::try_from(horizon) else {
        return Ok(None);
    };
    // Only a run made with the engine's default settings stands in for the plan's own.
    let default = serde_json::to_value(ForecastConfig::with_horizon(horizon))?;
    let synced_since = r
        .sync_states()?
        .iter()
        .any(|s| s.last_synced_at.is_some_and(|t| t >= run.started_at));
    // A promotion added, changed or deleted, or a file imported or undone, since the run
    // started: its forecasts were made without it (a promotion lifts the forecast on its days).
    let inputs_changed: i64 = r.conn().query_row(
        sql::FRESH_FORECAST_RUN_SELECT_AUDIT_LOG,
        [run.started_at],
        |row| row.get(0),
    )?;
    if as_of != Some(today) || *cfg != default || synced_since || inputs_changed > 0 {
        return Ok(None);
    }
    let stored = forestock_demand::load_forecasts(store, run.id)?;
    Ok(Some((
        run.id,
        stored
            .into_iter()
            .map(|s| ((s.variant_id, s.location_id), s.forecast))
            .collect(),
    )))
}

fn gather_with(
    store: &Store,
    settings: &PlanSettings,
    today: Option<NaiveDate>,
    progress: &(dyn Fn(PlanProgress) + Sync),
) -> Result<(Vec<LineInputs>, usize, NaiveDate, Option<i64>)> {
    let r = store.read();
    let rates = crate::money::Rates::load(&r)?;
    let merchant = r
        .merchant()?
        .ok_or_else(|| Error::Empty("the database has no merchant yet".into()))?;
    let today = today.or(merchant.as_of).ok_or_else(|| {
        Error::invalid(
            "planning date",
            "the merchant has no as-of date; give the planning date explicitly",
        )
    })?;
    let skus: HashMap<i64, forestock_core::Sku> =
        r.skus()?.into_iter().map(|s| (s.id, s)).collect();
    let locations: HashMap<i64, forestock_core::Location> =
        r.locations()?.into_iter().map(|l| (l.id, l)).collect();
    let suppliers: HashMap<i64, forestock_core::Supplier> =
        r.suppliers()?.into_iter().map(|s| (s.id, s)).collect();
    let mut links: HashMap<i64, forestock_core::SupplierSku> = HashMap::new();
    for l in r.supplier_skus()? {
        let keep = links
            .get(&l.variant_id)
            .is_none_or(|old| !old.is_primary && l.is_primary);
        if keep {
            links.insert(l.variant_id, l);
        }
    }
    let mut inbound: HashMap<Key, Vec<Inbound>> = HashMap::new();
    for rc in r.receipts()? {
        if rc.received_date.is_none() {
            inbound
                .entry((rc.variant_id, rc.location_id))
                .or_default()
                .push(Inbound {
                    expected: rc.expected_date,
                    quantity: rc.quantity,
                });
        }
    }
    // Receipts up to the planning date teach each supplier's lead time (synced receipts and
    // those recorded against our POs; the estimator is in crate::lead_times).
    let durations = crate::lead_times::durations(&r, today)?;
    // Our own approved/exported POs not yet received are on order too.
    {
        let mut st = r.conn().prepare(sql::GATHER_WITH_SELECT_PO_LINES)?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            inbound
                .entry((row.get(0)?, row.get(1)?))
                .or_default()
                .push(Inbound {
                    expected: row.get(2)?,
                    quantity: row.get(3)?,
                });
        }
    }
    let stock: HashMap<Key, forestock_core::InventorySnapshot> = r
        .inventory_on(today)?
        .into_iter()
        .map(|s| ((s.variant_id, s.location_id), s))
        .collect();
    let promotions = r.promotions()?;
    let forecast_overrides = crate::forecast_overrides::list(&r)?;
    let horizon = settings.horizon_days as usize;

    // Demand history → engine series (only SKUs we may still order or sell).
    struct Hist {
        key: Key,
        revenue_365: f64,
        recent: Vec<f64>,
        sales_90d: f64,
        last_sale: Option<NaiveDate>,
        price: f64,
        last_week: Vec<f64>,
        stockout_days: u32,
        promo_recent: bool,
        promo_next: bool,
    }
    let mut series = Vec::new();
    let mut hists = Vec::new();
    r.demand_history(|h| {
        let Some(sku) = skus.get(&h.variant_id) else {
            return Ok(());
        };
        let Some(loc) = locations.get(&h.location_id) else {
            return Ok(());
        };
        if !loc.active || sku.status == SkuStatus::Draft {
            return Ok(());
        }
        let on_hand = stock
            .get(&(h.variant_id, h.location_id))
            .map_or(0, |s| s.on_hand);
        if sku.status == SkuStatus::Discontinued
            && sku.discontinue_date.is_none_or(|d| d <= today)
            && on_hand <= 0
        {
            return Ok(());
        }
        let n = h.units.len();
        let end = (0..n)
            .rev()
            .find(|&i| h.date(i) <= today)
            .map_or(0, |i| i + 1);
        // Days out of stock, and days that sold out part-way, are censored demand: the same
        // rule as the forecast runs `forestock forecast` stores (`forestock_demand::day_stock`).
        let units = forestock_demand::demand_units(&h.units[..end], &h.on_hand[..end]);
        if units.is_empty() {
            return Ok(());
        }
        let last_year = end.saturating_sub(365);
        let revenue_365: f64 = (last_year..end)
            .map(|i| h.units[i].max(0.0) * h.price[i])
            .sum();
        let sales_90d: f64 = (end.saturating_sub(90)..end)
            .map(|i| h.units[i].max(0.0))
            .sum();
        let last_sale = (0..end)
            .rev()
            .find(|&i| h.units[i] > 0.0)
            .map(|i| h.date(i));
        let week = end.saturating_sub(7)..end;
        let last_week: Vec<f64> = h.units[week.clone()].iter().map(|u| u.max(0.0)).collect();
        #[allow(clippy::cast_possible_truncation)]
        let stockout_days = h.on_hand[week.clone()]
            .iter()
            .filter(|o| o.is_some_and(|x| x <= 0))
            .count() as u32;
        let promo_recent = h.promo[week].iter().any(|&p| p);
        let future_promo: Vec<bool> = (1..=horizon)
            .map(|d| {
                let date = today + Days::new(d as u64);
                promotions
                    .iter()
                    .any(|p| p.covers(h.variant_id, &sku.category, h.location_id, date))
            })
            .collect();
        let mut s = Series::new(
            SeriesKey::new(h.sku.clone(), h.location.clone()),
            Frequency::Daily,
            h.start,
            units,
        );
        s.promo = h.promo[..end].to_vec();
        let promo_next = future_promo.iter().take(7).any(|&p| p);
        s.future_promo = future_promo;
        s.meta = SeriesMeta {
            category: Some(sku.category.clone()),
            vendor: Some(sku.vendor.clone()),
            price: Some(sku.price),
            discontinue: sku.discontinue_date,
        };
        hists.push(Hist {
            key: (h.variant_id, h.location_id),
            revenue_365,
            recent: h.units[end.saturating_sub(182)..end].to_vec(),
            sales_90d,
            last_sale,
            price: sku.price,
            last_week,
            stockout_days,
            promo_recent,
            promo_next,
        });
        series.push(s);
        Ok(())
    })?;
    let total = series.len();
    progress(PlanProgress::Forecasting { done: 0, total });
    let stored = fresh_forecast_run(store, today, settings)?
        .filter(|(_, map)| hists.iter().all(|h| map.contains_key(&h.key)));
    let (forecasts, forecast_run): (Vec<Result<SeriesForecast, SeriesIssue>>, _) = match stored {
        Some((run, mut map)) => {
            progress(PlanProgress::Forecasting { done: total, total });
            (
                hists
                    .iter()
                    .map(|h| {
                        map.remove(&h.key).ok_or_else(|| SeriesIssue {
                            key: SeriesKey::new(String::new(), String::new()),
                            message: "missing from the stored run".into(),
                        })
                    })
                    .collect(),
                Some(run),
            )
        }
        None => {
            let cfg = ForecastConfig::with_horizon(horizon);
            (
                forecast_all(&series, &cfg, &|done| {
                    progress(PlanProgress::Forecasting { done, total })
                }),
                None,
            )
        }
    };
    let revenue: Vec<f64> = hists.iter().map(|h| h.revenue_365).collect();
    let abc = abc_classes(&revenue, settings.abc_a_share, settings.abc_b_share);
    let (previous, previous_mase) = previous_lines(store, today)?;
    let mut failures = 0;
    let mut out = Vec::with_capacity(hists.len());
    for ((h, f), abc) in hists.iter().zip(forecasts).zip(abc) {
        let Ok(f) = f else {
            failures += 1;
            continue;
        };
        let (v, l) = h.key;
        let (Some(sku), Some(loc)) = (skus.get(&v), locations.get(&l)) else {
            continue;
        };
        let link = links.get(&v);
        let supplier = link.and_then(|k| suppliers.get(&k.supplier_id));
        // Per-SKU terms (supplier_skus.moq, case_pack, lead_time_days) win over the
        // supplier's; NULL means the supplier's setting.
        let fallback = supplier.map_or(
            LeadTime {
                mean_days: settings.default_lead_time_days,
                sd_days: settings.default_lead_time_sd_days,
                source: LeadTimeSource::Given,
            },
            |s| LeadTime {
                mean_days: link
                    .and_then(|k| k.lead_time_days)
                    .unwrap_or(s.lead_time_mean_days),
                sd_days: s.lead_time_sd_days,
                source: LeadTimeSource::Supplier,
            },
        );
        // Receipts teach the supplier's lead time; a lead time set for this SKU is the
        // planner's word for this item and is kept.
        let lead_time = supplier
            .filter(|_| link.and_then(|k| k.lead_time_days).is_none())
            .and_then(|s| durations.get(&s.id))
            .map_or(fallback, |d| LeadTime::learned(d, fallback));
        let snap = stock.get(&h.key);
        let currency = supplier.map_or(merchant.currency.clone(), |s| s.currency.clone());
        // A catalog price is in the supplier's currency; the store's cost (or half the price)
        // is in the merchant's, converted into the supplier's at the rate entered (used as it
        // is without one: there is nothing better to go on).
        let unit_cost = link.and_then(|k| k.unit_cost).unwrap_or_else(|| {
            rates.merchant_cost_in(&currency, sku.cost.unwrap_or(sku.price * 0.5))
        });
        // Days 1..=horizon from tomorrow: the engine's period 0 is the day after the history.
        let offset = (today - f.first_date).num_days() + 1;
        let mut mean: Vec<f64> = (0..horizon)
            .map(|d| f.mean_at(usize::try_from(d as i64 + offset).unwrap_or(d)))
            .collect();
        // The planner's forecast overrides on top of the statistical forecast (applied after
        // it, so a stored forecast run stays reusable; how the distribution follows is in
        // crate::forecast_overrides).
        let overridden = crate::forecast_overrides::apply(
            &forecast_overrides,
            (v, &sku.category, l),
            today + Days::new(1),
            &mut mean,
        );
        out.push(LineInputs {
            variant_id: v,
            location_id: l,
            sku: sku.sku.clone(),
            location: loc.code.clone(),
            category: sku.category.clone(),
            vendor: sku.vendor.clone(),
            supplier_id: supplier.map(|s| s.id),
            supplier: supplier.map(|s| s.name.clone()),
            currency,
            today,
            forecast: mean,
            season: f.season,
            uncertainty: f.uncertainty,
            model: f.model.clone(),
            demand_class: f.class.as_str().to_string(),
            lead_time,
            review_days: settings.review_days as usize,
            service_level: settings.service_level_for(abc),
            abc,
            xyz: xyz_class(&h.recent),
            on_hand: snap.map_or(0, |s| s.on_hand),
            committed: snap.map_or(0, |s| s.committed),
            inbound: inbound.remove(&h.key).unwrap_or_default(),
            rules: OrderRules {
                case_pack: supplier
                    .map_or(1, |s| link.and_then(|k| k.case_pack).unwrap_or(s.case_pack)),
                moq: supplier.map_or(1, |s| link.and_then(|k| k.moq).unwrap_or(s.moq)),
                price_breaks: supplier.map_or(Vec::new(), |s| s.price_breaks.clone()),
                unit_cost,
                holding_rate: settings.holding_rate,
                max_break_cover_days: settings.max_break_cover_days,
            },
            price: h.price,
            min_presentation: if loc.kind == forestock_core::LocationKind::Retail {
                settings.min_presentation_retail
            } else {
                0.0
            },
            sales_90d: h.sales_90d,
            last_sale: h.last_sale,
            created: sku.created_date,
            discontinue: sku.discontinue_date,
            previous_safety_stock: previous.get(&h.key).copied(),
            transfer_in: 0,
            transfer_out: 0,
            signals: Signals {
                last_week: h.last_week.clone(),
                stockout_days: h.stockout_days,
                promo_recent: h.promo_recent,
                promo_next: h.promo_next,
                accuracy: f.accuracy.map(Into::into),
                previous_mase: previous_mase.get(&h.key).copied(),
            },
            forecast_overrides: overridden,
        });
    }
    Ok((out, failures, today, forecast_run))
}

type Previous = (HashMap<Key, (NaiveDate, f64)>, HashMap<Key, f64>);

/// Safety stock (for the weekly guardrail) and forecast MASE (for the accuracy alert) of each
/// line of the latest plan run for an earlier day. Plans re-run on the same day compare with
/// that same earlier plan, so re-planning cannot ratchet the guardrail.
fn previous_lines(store: &Store, today: NaiveDate) -> Result<Previous> {
    use rusqlite::OptionalExtension;
    let r = store.read();
    let run: Option<i64> = r
        .conn()
        .query_row(sql::PREVIOUS_LINES_SELECT_RUNS, [today], |row| row.get(0))
        .optional()?;
    let Some(run) = run else {
        return Ok((HashMap::new(), HashMap::new()));
    };
    let mut mase = HashMap::new();
    // Only three numbers per line are needed: let SQLite pick them out of the stored JSON.
    let mut st = r.conn().prepare(sql::PREVIOUS_LINES_SELECT_PLAN_LINES)?;
    let mut rows = st.query([run])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        let key = (row.get(0)?, row.get(1)?);
        let today: NaiveDate = row.get(2)?;
        let safety: f64 = row.get(3)?;
        if let Some(m) = row.get::<_, Option<f64>>(4)? {
            mase.insert(key, m);
        }
        out.insert(key, (today, safety));
    }
    Ok((out, mase))
}

/// An override of an earlier plan and the figures it was decided on.
struct PreviousOverride {
    qty: i64,
    reason: String,
    basis: Basis,
}

/// The overrides of plan run `run` still to be decided (a line already on a purchase order
/// was acted on and is not carried).
fn previous_overrides(store: &Store, run: i64) -> Result<HashMap<Key, PreviousOverride>> {
    let r = store.read();
    let mut st = r.conn().prepare(sql::WRITE_RUN_SELECT_OVERRIDES)?;
    let mut rows = st.query([run])?;
    let mut out = HashMap::new();
    while let Some(row) = rows.next()? {
        if row.get::<_, String>(9)? == "ordered" {
            continue;
        }
        let basis = match row.get::<_, Option<String>>(4)? {
            Some(b) => serde_json::from_str(&b)?,
            None => Basis {
                today: row.get(5)?,
                protection_demand: row.get(6)?,
                daily_demand: row.get(7)?,
                on_hand: row.get(8)?,
            },
        };
        out.insert(
            (row.get(0)?, row.get(1)?),
            PreviousOverride {
                qty: row.get(2)?,
                reason: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                basis,
            },
        );
    }
    Ok(out)
}

/// The latest successful plan run, if any.
pub fn latest_plan_run(store: &Store) -> Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(store
        .read()
        .conn()
        .query_row(sql::LATEST_PLAN_RUN_SELECT_RUNS, [], |r| r.get(0))
        .optional()?)
}

/// Move stock from locations with excess to locations that would otherwise order, before any
/// purchase: a receiver gets at most what it needs, a donor gives at most its excess.
pub fn propose_transfers(
    inputs: Vec<LineInputs>,
    settings: &PlanSettings,
) -> (Vec<LineInputs>, Vec<Transfer>) {
    let recs: Vec<Recommendation> = inputs.iter().map(|i| compute_line(i, settings)).collect();
    transfers_from(inputs, &recs, settings)
}

/// [`propose_transfers`] from recommendations already computed (without transfers).
fn transfers_from(
    mut inputs: Vec<LineInputs>,
    all_recs: &[Recommendation],
    settings: &PlanSettings,
) -> (Vec<LineInputs>, Vec<Transfer>) {
    let mut by_sku: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, inp) in inputs.iter().enumerate() {
        by_sku.entry(inp.variant_id).or_default().push(i);
    }
    let mut transfers = Vec::new();
    for idx in by_sku.values().filter(|v| v.len() > 1) {
        let recs: Vec<&Recommendation> = idx.iter().map(|&i| &all_recs[i]).collect();
        // Only locations at stockout risk (the one rule) are worth a transfer.
        let mut needs: Vec<(usize, i64)> = idx
            .iter()
            .zip(&recs)
            .filter(|(_, r)| r.at_stockout_risk(inputs[idx[0]].today))
            .map(|(&i, r)| {
                #[allow(clippy::cast_possible_truncation)]
                let need = (r.order_up_to - r.inventory_position as f64).ceil() as i64;
                (i, need)
            })
            .filter(|x| x.1 > 0)
            .collect();
        let mut donors: Vec<(usize, i64)> = idx
            .iter()
            .zip(&recs)
            .map(|(&i, r)| {
                #[allow(clippy::cast_possible_truncation)]
                let spare = (r.excess_units as i64).min(r.on_hand - r.committed);
                (i, spare)
            })
            .filter(|x| x.1 > 0)
            .collect();
        donors.sort_by_key(|d| std::cmp::Reverse(d.1));
        for (to, need) in needs.iter_mut() {
            for (from, spare) in donors.iter_mut() {
                if *need <= 0 || *spare <= 0 || from == to {
                    continue;
                }
                let q = (*need).min(*spare);
                *need -= q;
                *spare -= q;
                inputs[*to].transfer_in += q;
                inputs[*from].transfer_out += q;
                transfers.push(Transfer {
                    variant_id: inputs[*to].variant_id,
                    sku: inputs[*to].sku.clone(),
                    from_location_id: inputs[*from].location_id,
                    to_location_id: inputs[*to].location_id,
                    quantity: q,
                    reason: format!(
                        "{} runs short within the lead time; {} holds excess (transfer {} d vs lead time {:.0} d)",
                        inputs[*to].location,
                        inputs[*from].location,
                        settings.transfer_days,
                        inputs[*to].lead_time.mean_days
                    ),
                });
            }
        }
    }
    (inputs, transfers)
}

/// Whether a line needs explicit approval under the settings' thresholds. The value threshold
/// is in the merchant's currency: a line in a supplier's foreign currency is converted with the
/// rate the planner entered, and without one it needs approval (it cannot be compared).
pub fn approval_reasons(
    rec: &Recommendation,
    qty: i64,
    settings: &PlanSettings,
    rates: &Rates,
) -> Vec<String> {
    let mut why = Vec::new();
    let value = qty as f64 * rec.unit_cost;
    if qty > 0 {
        why.extend(rates.value_reason(&rec.currency, value, settings.approval_value_threshold));
    }
    if qty != rec.recommended_qty {
        let base = rec.recommended_qty.max(1) as f64;
        let pct = ((qty - rec.recommended_qty) as f64).abs() / base * 100.0;
        if pct > settings.approval_change_pct {
            why.push(format!(
                "override changes the recommendation by {pct:.0}% (limit {:.0}%)",
                settings.approval_change_pct
            ));
        }
    }
    why
}

#[allow(clippy::too_many_arguments)]
fn write_run(
    store: &mut Store,
    req: &PlanRequest,
    today: NaiveDate,
    settings: &PlanSettings,
    inputs: &[LineInputs],
    recs: &[Recommendation],
    transfers: &[Transfer],
    (failures, forecast_run): (usize, Option<i64>),
    (alerts, alert_stats): (Vec<crate::alerts::Alert>, crate::alerts::AlertStats),
) -> Result<PlanSummary> {
    let previous = latest_plan_run(store)?;
    let locks = crate::review::locks(&store.read())?;
    let overrides = match previous {
        Some(p) => previous_overrides(store, p)?,
        None => HashMap::new(),
    };
    let (mut kept, mut dropped) = (0, 0);
    let rates = Rates::load(&store.read())?;
    let w = store.write()?;
    let params = serde_json::json!({
        "today": today, "settings": settings, "forecast_run_id": forecast_run,
    });
    let run = w.begin_run(RunKind::Plan, &params, req.now)?;
    {
        let mut ins = w.tx().prepare(sql::WRITE_RUN_INSERT_PLAN_LINES)?;
        let mut prev_qty = w.tx().prepare(sql::WRITE_RUN_SELECT_PLAN_LINES)?;
        for (inp, rec) in inputs.iter().zip(recs) {
            let locked = locks.contains(&(rec.variant_id, 0))
                || locks.contains(&(rec.variant_id, rec.location_id));
            let mut over: Option<i64> = None;
            let mut reason: Option<String> = None;
            let mut basis: Option<Basis> = None;
            let mut rec = std::borrow::Cow::Borrowed(rec);
            if let (true, Some(p)) = (locked, previous) {
                use rusqlite::OptionalExtension;
                over = prev_qty
                    .query_row(rusqlite::params![p, rec.variant_id, rec.location_id], |r| {
                        r.get(0)
                    })
                    .optional()?;
                reason = over.map(|_| "locked: quantity kept from the previous plan".into());
            } else if let Some(o) = overrides.get(&(rec.variant_id, rec.location_id)) {
                // The planner's override and reason survive the re-plan unless the inputs
                // changed materially since it was made (crate::material).
                match material_change(&o.basis, &Basis::of(&rec, today)) {
                    None => {
                        over = Some(o.qty);
                        reason = Some(o.reason.clone());
                        basis = Some(o.basis);
                        kept += 1;
                    }
                    Some(why) => {
                        rec.to_mut().rationale.push(format!(
                            "the override to {} (\"{}\") was dropped: {why}",
                            o.qty, o.reason
                        ));
                        dropped += 1;
                    }
                }
            }
            let qty = over.unwrap_or(rec.recommended_qty);
            let needs = !approval_reasons(&rec, qty, settings, &rates).is_empty();
            ins.execute(rusqlite::params![
                run,
                rec.variant_id,
                rec.location_id,
                rec.supplier_id,
                rec.recommended_qty,
                over,
                reason,
                needs,
                qty as f64 * rec.unit_cost,
                serde_json::to_string(inp)?,
                serde_json::to_string(&*rec)?,
                basis.map(|b| serde_json::to_string(&b)).transpose()?,
            ])?;
        }
        let mut tr = w.tx().prepare(sql::WRITE_RUN_INSERT_PLAN_TRANSFERS)?;
        for t in transfers {
            tr.execute(rusqlite::params![
                run,
                t.variant_id,
                t.from_location_id,
                t.to_location_id,
                t.quantity,
                t.reason
            ])?;
        }
    }
    let order_value = per_currency(
        recs.iter()
            .filter(|r| r.recommended_qty > 0)
            .map(|r| (r.currency.clone(), r.order_value)),
    );
    let summary = PlanSummary {
        run_id: run,
        today,
        lines: recs.len(),
        lines_to_order: recs.iter().filter(|r| r.recommended_qty > 0).count(),
        needs_supplier: recs.iter().filter(|r| r.unsupplied_need() > 0).count(),
        order_value_converted: rates.convert(&order_value),
        order_value,
        transfers: transfers.len(),
        forecast_failures: failures,
        forecast_run_id: forecast_run,
        excess_value: per_currency(
            recs.iter()
                .filter(|r| r.excess_value > 0.0)
                .map(|r| (r.currency.clone(), r.excess_value)),
        ),
        by_supplier: supplier_totals(recs),
        alerts_run_id: 0,
        alerts: alert_stats,
        overrides_kept: kept,
        overrides_dropped: dropped,
    };
    let mut summary = summary;
    summary.alerts_run_id =
        crate::alerts::write(&w, run, today, &alerts, &summary.alerts, req.now)?;
    w.finish_run(
        run,
        RunStatus::Ok,
        &serde_json::to_value(&summary)?,
        req.now,
    )?;
    w.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::line::tests::inputs;
    use chrono::Days;

    #[test]
    fn a_line_at_its_end_of_life_is_sent_no_transfer() {
        // Transfers go to lines at stockout risk by the one rule, which never counts a
        // discontinued line running down its last stock.
        let settings = PlanSettings::default();
        let mut short = inputs();
        short.on_hand = 0;
        short.inbound.clear();
        let mut donor = inputs();
        donor.location_id = 2;
        donor.location = "SHOP".into();
        donor.on_hand = 5000;
        donor.inbound.clear();
        let (_, t) = propose_transfers(vec![short.clone(), donor.clone()], &settings);
        assert!(!t.is_empty(), "a short line is sent stock");
        short.discontinue = Some(short.today + Days::new(3));
        let (_, t) = propose_transfers(vec![short, donor], &settings);
        assert!(t.is_empty(), "{t:?}");
    }
}
