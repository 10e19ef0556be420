//! Manual forecast overrides (`forestock overrides`, the app's Overrides screen): the
//! planner's own judgement on top of the statistical forecast for a period — a percentage
//! change or a fixed daily quantity for one SKU or one category, optionally one location,
//! with a required reason. Created, changed and deleted here, each change audited once with
//! before/after; the next plan applies them in its forecast step
//! (`forestock_plan::forecast_overrides`) and says so in each line's rationale.
//!
//! Overlaps: two overrides may not cover the same SKU×location on the same day (a SKU's and
//! its category's, one location's and every location's included); adding or changing one that
//! would is refused, naming the other. (Should a SKU later move into a category that holds an
//! override of its own, the plan's precedence applies: see
//! `forestock_plan::forecast_overrides`.)

use crate::{AuditStamp, Error, Result};
use chrono::NaiveDate;
use forestock_core::{NewAuditEntry, Store};
use forestock_plan::forecast_overrides::{
    self as fo, Change, ForecastOverride, NewForecastOverride,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// What an override does, as the form and the CLI give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OverrideKind {
    /// `value` percent up (positive) or down (negative).
    Percent,
    /// `value` units a day.
    DailyQty,
}

/// An override as the planner enters it: one SKU (by its code) or one category, optionally
/// one location (by its code), its first and last day, the change and the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverrideInput {
    pub sku: Option<String>,
    pub category: Option<String>,
    pub location: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub start: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub end: NaiveDate,
    pub kind: OverrideKind,
    pub value: f64,
    pub reason: String,
}

/// [`OverrideInput`] as the command line takes it: its kind and value are one of two flags.
#[cfg(feature = "clap")]
#[derive(clap::Args, Clone, Debug)]
pub struct OverrideFlags {
    /// The SKU it is for (or --category).
    #[arg(long)]
    pub sku: Option<String>,
    /// The category it is for (or --sku).
    #[arg(long)]
    pub category: Option<String>,
    /// Only at this location (code); every location when left out.
    #[arg(long)]
    pub location: Option<String>,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    pub start: NaiveDate,
    /// Last day, YYYY-MM-DD.
    #[arg(long)]
    pub end: NaiveDate,
    /// Change the forecast by this many percent (above -100, at most +1000).
    #[arg(long, allow_negative_numbers = true, conflicts_with = "daily_qty")]
    #[arg(required_unless_present = "daily_qty")]
    pub percent: Option<f64>,
    /// Set the forecast to this many units a day.
    #[arg(long)]
    pub daily_qty: Option<f64>,
    /// Why (required): e.g. "influencer campaign".
    #[arg(long)]
    pub reason: String,
}

#[cfg(feature = "clap")]
impl From<OverrideFlags> for OverrideInput {
    fn from(f: OverrideFlags) -> Self {
        let (kind, value) = match (f.percent, f.daily_qty) {
            (_, Some(q)) => (OverrideKind::DailyQty, q),
            (p, None) => (OverrideKind::Percent, p.unwrap_or(0.0)),
        };
        let (sku, category, location, reason) = (f.sku, f.category, f.location, f.reason);
        let (start, end) = (f.start, f.end);
        OverrideInput {
            sku,
            category,
            location,
            start,
            end,
            kind,
            value,
            reason,
        }
    }
}

/// One override as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverrideView {
    pub id: i64,
    pub sku: Option<String>,
    pub variant_id: Option<i64>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub start: String,
    pub end: String,
    pub days: i64,
    pub kind: OverrideKind,
    pub value: f64,
    pub reason: String,
    /// The rationale line the plan writes for it ("forecast raised 30% Mar 1–31 by the
    /// planner: influencer campaign").
    pub summary: String,
    pub created_at: String,
    pub created_by: String,
}

/// The overrides and what the form offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverrideList {
    pub overrides: Vec<OverrideView>,
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub locations: Vec<String>,
}

struct Names {
    skus: HashMap<i64, forestock_core::Sku>,
    locations: HashMap<i64, String>,
}

fn names(store: &Store) -> Result<Names> {
    let r = store.read();
    Ok(Names {
        skus: r.skus()?.into_iter().map(|s| (s.id, s)).collect(),
        locations: r.locations()?.into_iter().map(|l| (l.id, l.code)).collect(),
    })
}

fn view(o: &ForecastOverride, n: &Names) -> OverrideView {
    let f = &o.fields;
    let (kind, value) = match f.change {
        Change::Percent(v) => (OverrideKind::Percent, v),
        Change::DailyQty(v) => (OverrideKind::DailyQty, v),
    };
    OverrideView {
        id: o.id,
        sku: f
            .variant_id
            .and_then(|v| n.skus.get(&v).map(|s| s.sku.clone())),
        variant_id: f.variant_id,
        category: f.category.clone(),
        location: f.location_id.and_then(|l| n.locations.get(&l).cloned()),
        start: f.start_date.to_string(),
        end: f.end_date.to_string(),
        days: (f.end_date - f.start_date).num_days() + 1,
        kind,
        value,
        reason: f.reason.clone(),
        summary: f.rationale(),
        created_at: o.created_at.format("%Y-%m-%d %H:%M").to_string(),
        created_by: o.created_by.clone(),
    }
}

/// Every override, earliest first, and the SKUs, categories and locations the form offers.
pub fn list(store: &Store) -> Result<OverrideList> {
    let n = names(store)?;
    let overrides = fo::list(&store.read())?
        .iter()
        .map(|o| view(o, &n))
        .collect();
    let mut skus: Vec<String> = n.skus.values().map(|s| s.sku.clone()).collect();
    skus.sort();
    let categories: BTreeSet<String> = n.skus.values().map(|s| s.category.clone()).collect();
    let mut locations: Vec<String> = n.locations.values().cloned().collect();
    locations.sort();
    Ok(OverrideList {
        overrides,
        skus,
        categories: categories.into_iter().collect(),
        locations,
    })
}

/// The overrides that apply to one SKU×location (the SKU detail shows them).
pub fn for_line(store: &Store, variant_id: i64, location_id: i64) -> Result<Vec<OverrideView>> {
    let n = names(store)?;
    let Some(sku) = n.skus.get(&variant_id) else {
        return Err(Error::NotFound(format!("no SKU #{variant_id}")));
    };
    Ok(fo::list(&store.read())?
        .iter()
        .filter(|o| o.fields.covers_line(variant_id, &sku.category, location_id))
        .map(|o| view(o, &n))
        .collect())
}

/// The input checked and resolved to stored ids. Every problem names its field.
fn resolve(n: &Names, input: &OverrideInput) -> Result<NewForecastOverride> {
    let blank = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (sku, category, location) = (
        blank(&input.sku),
        blank(&input.category),
        blank(&input.location),
    );
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(Error::Invalid(
            "reason: an override needs a reason (e.g. \"influencer campaign\")".into(),
        ));
    }
    if input.end < input.start {
        return Err(Error::Invalid(format!(
            "end: the last day ({}) is before the first day ({})",
            input.end, input.start
        )));
    }
    let days = (input.end - input.start).num_days() + 1;
    if days > fo::MAX_DAYS {
        return Err(Error::Invalid(format!(
            "end: the override covers {days} days; an override covers at most {} days",
            fo::MAX_DAYS
        )));
    }
    let change = match input.kind {
        OverrideKind::Percent => Change::Percent(input.value),
        OverrideKind::DailyQty => Change::DailyQty(input.value),
    };
    change.check().map_err(|e| match e {
        forestock_plan::Error::Invalid { detail, .. } => Error::Invalid(format!("value: {detail}")),
        other => other.into(),
    })?;
    let variant_id = match (&sku, &category) {
        (Some(_), Some(_)) => {
            return Err(Error::Invalid(
                "sku, category: give a SKU or a category, not both".into(),
            ))
        }
        (None, None) => {
            return Err(Error::Invalid(
                "sku, category: give the SKU or the category the override is for".into(),
            ))
        }
        (Some(code), None) => Some(
            n.skus
                .values()
                .find(|s| s.sku == *code)
                .map(|s| s.id)
                .ok_or_else(|| Error::Invalid(format!("sku: no SKU {code:?} in this database")))?,
        ),
        (None, Some(c)) => {
            if !n.skus.values().any(|s| s.category == *c) {
                return Err(Error::Invalid(format!(
                    "category: no category {c:?} in this database (categories come from the SKUs)"
                )));
            }
            None
        }
    };
    let location_id = match &location {
        None => None,
        Some(code) => Some(
            n.locations
                .iter()
                .find(|(_, c)| *c == code)
                .map(|(id, _)| *id)
                .ok_or_else(|| {
                    Error::Invalid(format!("location: no location {code:?} in this database"))
                })?,
        ),
    };
    Ok(NewForecastOverride {
        variant_id,
        category,
        location_id,
        start_date: input.start,
        end_date: input.end,
        change,
        reason: reason.to_string(),
    })
}

/// Whether two overrides cover a common SKU×location on a common day.
fn overlaps(a: &NewForecastOverride, b: &NewForecastOverride, n: &Names) -> bool {
    if a.end_date < b.start_date || b.end_date < a.start_date {
        return false;
    }
    if a.location_id.is_some() && b.location_id.is_some() && a.location_id != b.location_id {
        return false;
    }
    let category_of = |v: i64| n.skus.get(&v).map(|s| s.category.as_str());
    match (a.variant_id, b.variant_id) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => category_of(x) == b.category.as_deref(),
        (None, Some(y)) => category_of(y) == a.category.as_deref(),
        (None, None) => a.category == b.category,
    }
}

/// The refusal when `o` overlaps a stored override other than `except`.
fn refuse_overlap(
    store: &Store,
    n: &Names,
    o: &NewForecastOverride,
    except: Option<i64>,
) -> Result<()> {
    let clash = fo::list(&store.read())?
        .into_iter()
        .find(|x| Some(x.id) != except && overlaps(o, &x.fields, n));
    match clash {
        None => Ok(()),
        Some(x) => {
            let v = view(&x, n);
            let what = match (&v.sku, &v.category) {
                (Some(s), _) => format!("SKU {s}"),
                (None, Some(c)) => format!("category {c}"),
                (None, None) => String::new(),
            };
            let at = v.location.unwrap_or_else(|| "every location".into());
            Err(Error::Invalid(format!(
                "start, end: the period overlaps override {} ({what} at {at}, {} to {}: {}); \
                 change or delete that one first",
                x.id, v.start, v.end, v.summary
            )))
        }
    }
}

/// The override as the audit log records it: readable codes beside the ids.
fn as_json(o: &NewForecastOverride, n: &Names) -> serde_json::Value {
    let (kind, value) = match o.change {
        Change::Percent(v) => ("percent", v),
        Change::DailyQty(v) => ("daily_qty", v),
    };
    serde_json::json!({
        "sku": o.variant_id.and_then(|v| n.skus.get(&v).map(|s| s.sku.clone())),
        "variant_id": o.variant_id,
        "category": o.category,
        "location": o.location_id.and_then(|l| n.locations.get(&l).cloned()),
        "location_id": o.location_id,
        "start": o.start_date,
        "end": o.end_date,
        "kind": kind,
        "value": value,
        "reason": o.reason,
    })
}

fn audit(
    w: &forestock_core::Writer<'_>,
    stamp: &AuditStamp,
    action: &str,
    id: i64,
    (before, after): (Option<serde_json::Value>, Option<serde_json::Value>),
    reason: &str,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: action.into(),
        entity: "forecast_override".into(),
        entity_id: id.to_string(),
        before,
        after,
        reason: reason.to_string(),
    })?;
    Ok(())
}

fn existing(store: &Store, id: i64) -> Result<ForecastOverride> {
    fo::get(&store.read(), id)?.ok_or_else(|| Error::NotFound(format!("no forecast override {id}")))
}

/// Add an override; returns its id. The next plan applies it.
pub fn add(store: &mut Store, stamp: &AuditStamp, input: &OverrideInput) -> Result<i64> {
    let n = names(store)?;
    let o = resolve(&n, input)?;
    refuse_overlap(store, &n, &o, None)?;
    let w = store.write()?;
    let id = fo::insert(&w, &o, stamp.at, &stamp.actor)?;
    audit(
        &w,
        stamp,
        "forecast_override.create",
        id,
        (None, Some(as_json(&o, &n))),
        &o.reason,
    )?;
    w.commit()?;
    Ok(id)
}

/// Change override `id` to `input` (every field replaced).
pub fn edit(store: &mut Store, stamp: &AuditStamp, id: i64, input: &OverrideInput) -> Result<()> {
    let n = names(store)?;
    let before = existing(store, id)?;
    let o = resolve(&n, input)?;
    refuse_overlap(store, &n, &o, Some(id))?;
    let w = store.write()?;
    if !fo::update(&w, id, &o)? {
        return Err(Error::NotFound(format!("no forecast override {id}")));
    }
    audit(
        &w,
        stamp,
        "forecast_override.update",
        id,
        (Some(as_json(&before.fields, &n)), Some(as_json(&o, &n))),
        &o.reason,
    )?;
    w.commit()?;
    Ok(())
}

/// Delete override `id`; the next plan forecasts without it.
pub fn delete(store: &mut Store, stamp: &AuditStamp, id: i64) -> Result<()> {
    let n = names(store)?;
    let before = existing(store, id)?;
    let w = store.write()?;
    if !fo::delete(&w, id)? {
        return Err(Error::NotFound(format!("no forecast override {id}")));
    }
    audit(
        &w,
        stamp,
        "forecast_override.delete",
        id,
        (Some(as_json(&before.fields, &n)), None),
        "",
    )?;
    w.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{AuditFilter, Classify, ErrorKind, FrontDoor};
    use forestock_plan::review::{recommendations, GridFilter, GridRow, LineForecasts};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn stamp() -> AuditStamp {
        AuditStamp::at(
            FrontDoor::Cli,
            Some("planner"),
            d("2025-06-30").and_hms_opt(10, 0, 0).unwrap(),
        )
    }

    fn demo(days: u32) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 12,
            days,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn plan(store: &mut Store) -> NaiveDate {
        crate::plan::plan(store, &stamp(), None, &|_| {})
            .unwrap()
            .today
    }

    fn forecasts(store: &Store) -> LineForecasts {
        forestock_plan::review::latest_forecasts(store)
            .unwrap()
            .unwrap()
    }

    fn grid(store: &Store) -> HashMap<(i64, i64), GridRow> {
        recommendations(store, &GridFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| ((r.rec.variant_id, r.rec.location_id), r))
            .collect()
    }

    fn sku_input(sku: &str, start: NaiveDate, end: NaiveDate, pct: f64) -> OverrideInput {
        OverrideInput {
            sku: Some(sku.into()),
            category: None,
            location: None,
            start,
            end,
            kind: OverrideKind::Percent,
            value: pct,
            reason: "influencer campaign".into(),
        }
    }

    /// Issue 15: +30% over a period raises the plan's forecast by 30% on exactly those days,
    /// raises the order, says why in the rationale, and deleting it restores the plan.
    #[test]
    fn a_30_percent_override_raises_exactly_its_days_and_the_order_and_deleting_it_restores_the_plan(
    ) {
        let (_dir, mut store) = demo(200);
        let today = plan(&mut store);
        let f0 = forecasts(&store);
        let g0 = grid(&store);
        // The line that orders most: a raise over its protection interval must show.
        let (&(v, l), row) = g0
            .iter()
            .max_by_key(|(_, r)| (r.rec.recommended_qty, r.rec.variant_id))
            .unwrap();
        assert!(row.rec.recommended_qty > 0);
        let sku = row.rec.sku.clone();
        let chart = |store: &Store| {
            crate::chart::model::chart_model(store, v, l, crate::chart::Granularity::Daily)
                .unwrap()
                .forecast
        };
        let c0 = chart(&store);
        let (start, end) = (today + chrono::Days::new(1), today + chrono::Days::new(45));
        let id = add(&mut store, &stamp(), &sku_input(&sku, start, end, 30.0)).unwrap();
        plan(&mut store);
        // The chart draws the forecast the plan used.
        let c1 = chart(&store);
        assert_eq!(c0.len(), c1.len());
        assert!(!c0.is_empty());
        for (a, b) in c0.iter().zip(&c1) {
            let k = if (start..=end).contains(&a.date) {
                1.3
            } else {
                1.0
            };
            assert!(
                (b.mean - a.mean * k).abs() < 1e-9 * a.mean.max(1.0),
                "{a:?} {b:?}"
            );
            assert!(b.p90 >= a.p90 - 1e-9, "{a:?} {b:?}");
        }
        let f1 = forecasts(&store);
        for (key, (first, before)) in &f0 {
            let (first1, after) = &f1[key];
            assert_eq!(first, first1);
            for (i, (b, a)) in before.iter().zip(after).enumerate() {
                let day = *first + chrono::Days::new(i as u64);
                let covered = key.0 == v && (start..=end).contains(&day);
                let expect = if covered { b * 1.3 } else { *b };
                assert!(
                    (a - expect).abs() < 1e-9 * expect.max(1.0),
                    "{key:?} {day}: {b} before, {a} after (covered: {covered})"
                );
            }
        }
        let g1 = grid(&store);
        let after = &g1[&(v, l)];
        assert!(
            after.rec.recommended_qty > row.rec.recommended_qty,
            "{sku}: ordered {} before, {} after",
            row.rec.recommended_qty,
            after.rec.recommended_qty
        );
        assert!(after.rec.order_up_to > row.rec.order_up_to);
        let say = format!(
            "forecast raised 30% {} by the planner: influencer campaign",
            fo::period(start, end)
        );
        assert!(
            after.rec.rationale.contains(&say),
            "{:#?}",
            after.rec.rationale
        );
        // The SKU detail lists it.
        let shown = for_line(&store, v, l).unwrap();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].summary, say);

        delete(&mut store, &stamp(), id).unwrap();
        plan(&mut store);
        assert_eq!(forecasts(&store), f0);
        let g2 = grid(&store);
        assert_eq!(g2[&(v, l)].rec.recommended_qty, row.rec.recommended_qty);
        assert!(!g2[&(v, l)]
            .rec
            .rationale
            .iter()
            .any(|w| w.contains("planner")));
    }

    #[test]
    fn a_category_override_covers_its_skus_and_only_them() {
        let (_dir, mut store) = demo(200);
        let today = plan(&mut store);
        let f0 = forecasts(&store);
        let skus: HashMap<i64, String> = store
            .read()
            .skus()
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.category))
            .collect();
        let category = skus.values().next().unwrap().clone();
        assert!(skus.values().any(|c| *c != category), "one category only");
        let start = today + chrono::Days::new(5);
        let end = today + chrono::Days::new(9);
        add(
            &mut store,
            &stamp(),
            &OverrideInput {
                sku: None,
                category: Some(category.clone()),
                location: None,
                start,
                end,
                kind: OverrideKind::DailyQty,
                value: 7.0,
                reason: "trade fair".into(),
            },
        )
        .unwrap();
        plan(&mut store);
        let f1 = forecasts(&store);
        let mut covered = 0;
        for (key, (first, before)) in &f0 {
            let after = &f1[key].1;
            for (i, (b, a)) in before.iter().zip(after).enumerate() {
                let day = *first + chrono::Days::new(i as u64);
                if skus[&key.0] == category && (start..=end).contains(&day) {
                    assert_eq!(*a, 7.0);
                    covered += 1;
                } else {
                    assert_eq!(a, b, "{key:?} {day}");
                }
            }
        }
        assert!(covered >= 5, "{covered}");
    }

    #[test]
    fn bad_overrides_are_refused_naming_the_field_and_nothing_is_stored() {
        let (_dir, mut store) = demo(90);
        let sku = store.read().skus().unwrap()[0].sku.clone();
        let good = sku_input(&sku, d("2030-03-01"), d("2030-03-31"), 30.0);
        let cases = [
            (
                OverrideInput {
                    reason: "  ".into(),
                    ..good.clone()
                },
                "reason:",
            ),
            (
                OverrideInput {
                    end: d("2030-02-01"),
                    ..good.clone()
                },
                "end:",
            ),
            (
                OverrideInput {
                    end: d("2032-01-01"),
                    ..good.clone()
                },
                "at most 366 days",
            ),
            (
                OverrideInput {
                    value: -100.0,
                    ..good.clone()
                },
                "value:",
            ),
            (
                OverrideInput {
                    value: 1500.0,
                    ..good.clone()
                },
                "value:",
            ),
            (
                OverrideInput {
                    kind: OverrideKind::DailyQty,
                    value: -2.0,
                    ..good.clone()
                },
                "value:",
            ),
            (
                OverrideInput {
                    sku: Some("NO-SUCH".into()),
                    ..good.clone()
                },
                "sku: no SKU \"NO-SUCH\"",
            ),
            (
                OverrideInput {
                    sku: None,
                    ..good.clone()
                },
                "sku, category:",
            ),
            (
                OverrideInput {
                    category: Some("Mugs".into()),
                    ..good.clone()
                },
                "not both",
            ),
            (
                OverrideInput {
                    sku: None,
                    category: Some("Nope".into()),
                    ..good.clone()
                },
                "category: no category",
            ),
            (
                OverrideInput {
                    location: Some("NOWHERE".into()),
                    ..good.clone()
                },
                "location: no location",
            ),
        ];
        for (bad, says) in cases {
            let e = add(&mut store, &stamp(), &bad).unwrap_err();
            assert!(e.to_string().contains(says), "{e} should say {says}");
            assert_eq!(e.kind(), ErrorKind::BadInput);
        }
        assert!(list(&store).unwrap().overrides.is_empty());
    }

    #[test]
    fn an_overlapping_override_is_refused_naming_the_other() {
        let (_dir, mut store) = demo(90);
        let skus = store.read().skus().unwrap();
        let sku = &skus[0];
        let first = add(
            &mut store,
            &stamp(),
            &sku_input(&sku.sku, d("2030-03-01"), d("2030-03-31"), 30.0),
        )
        .unwrap();
        // Its category over days that meet it.
        let e = add(
            &mut store,
            &stamp(),
            &OverrideInput {
                sku: None,
                category: Some(sku.category.clone()),
                ..sku_input(&sku.sku, d("2030-03-31"), d("2030-04-10"), -10.0)
            },
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains(&format!("overlaps override {first}")),
            "{e}"
        );
        // The day after is free, and so is another SKU.
        add(
            &mut store,
            &stamp(),
            &sku_input(&sku.sku, d("2030-04-01"), d("2030-04-10"), -10.0),
        )
        .unwrap();
        add(
            &mut store,
            &stamp(),
            &sku_input(&skus[1].sku, d("2030-03-01"), d("2030-03-31"), 10.0),
        )
        .unwrap();
        // Editing an override onto its own days is no overlap.
        edit(
            &mut store,
            &stamp(),
            first,
            &sku_input(&sku.sku, d("2030-03-02"), d("2030-03-31"), 35.0),
        )
        .unwrap();
        assert_eq!(list(&store).unwrap().overrides.len(), 3);
    }

    #[test]
    fn add_edit_delete_are_audited_with_before_and_after() {
        let (_dir, mut store) = demo(90);
        let sku = store.read().skus().unwrap()[0].sku.clone();
        let good = sku_input(&sku, d("2030-03-01"), d("2030-03-31"), 30.0);
        let id = add(&mut store, &stamp(), &good).unwrap();
        edit(
            &mut store,
            &stamp(),
            id,
            &OverrideInput {
                value: -20.0,
                ..good.clone()
            },
        )
        .unwrap();
        let o = &list(&store).unwrap().overrides[0];
        assert_eq!((o.kind, o.value), (OverrideKind::Percent, -20.0));
        assert_eq!(
            o.summary,
            "forecast lowered 20% Mar 1–31 by the planner: influencer campaign"
        );
        delete(&mut store, &stamp(), id).unwrap();
        assert_eq!(
            delete(&mut store, &stamp(), id).unwrap_err().kind(),
            ErrorKind::NotFound
        );
        let log = store
            .read()
            .audit_entries(&AuditFilter {
                entity: Some("forecast_override".into()),
                entity_id: Some(id.to_string()),
                ..AuditFilter::default()
            })
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "forecast_override.delete",
                "forecast_override.update",
                "forecast_override.create"
            ]
        );
        assert!(log.iter().all(|e| e.actor == "cli:planner"));
        assert_eq!(log[2].before, None);
        assert_eq!(log[2].after.as_ref().unwrap()["sku"], sku.as_str());
        assert_eq!(log[1].before.as_ref().unwrap()["value"], 30.0);
        assert_eq!(log[1].after.as_ref().unwrap()["value"], -20.0);
        assert_eq!(log[1].reason, "influencer campaign");
        assert_eq!(log[0].after, None);
    }
}
