//! The promotion calendar (`forestock promotions`, the app's Promotions screen): planned
//! promotions by SKU or category, with their dates and discount, created, changed and deleted
//! here, each change audited once with the stamp. The forecaster reads every promotion: a SKU's
//! forecast is lifted on the days a promotion covers it (`forestock-demand::load_series`, the
//! lift put back in `forestock-forecast`'s pipeline stage 8), from the next plan on.

use crate::{AuditStamp, Error, Result};
use chrono::NaiveDate;
use forestock_core::{NewAuditEntry, NewPromotion, Promotion, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The longest promotion accepted: a year. A longer "promotion" is the regular price, and
/// would lift every forecast day.
pub const MAX_DAYS: i64 = 366;

/// A promotion as the planner enters it: one SKU (by its code) or one category, optionally
/// one location (by its code), its first and last day, and the discount in percent.
// The CLI's help is given as `help` here: a doc comment would also reach the TypeScript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct PromotionInput {
    #[cfg_attr(
        feature = "clap",
        arg(long, help = "A name for the promotion (e.g. \"Summer sale\").")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "clap",
        arg(long, help = "The SKU it is for (or --category).")
    )]
    pub sku: Option<String>,
    #[cfg_attr(
        feature = "clap",
        arg(long, help = "The category it is for (or --sku).")
    )]
    pub category: Option<String>,
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            help = "Only at this location (code); every location when left out."
        )
    )]
    pub location: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[cfg_attr(feature = "clap", arg(long, help = "First day, YYYY-MM-DD."))]
    pub start: NaiveDate,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[cfg_attr(feature = "clap", arg(long, help = "Last day, YYYY-MM-DD."))]
    pub end: NaiveDate,
    #[cfg_attr(
        feature = "clap",
        arg(
            long = "discount",
            value_name = "DISCOUNT",
            default_value_t = 0.0,
            help = "Discount in percent (0 to below 100)."
        )
    )]
    pub discount_pct: f64,
}

/// One promotion of the calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromotionView {
    pub id: i64,
    pub name: String,
    pub sku: Option<String>,
    pub variant_id: Option<i64>,
    pub category: Option<String>,
    pub location: Option<String>,
    pub start: String,
    pub end: String,
    pub discount_pct: f64,
    pub days: i64,
    /// The latest plan's forecast (units) over the promotion's days that fall in its horizon,
    /// summed over the SKU×locations it covers; `None` before the first plan or when none of
    /// its days is in the horizon.
    pub forecast_units: Option<f64>,
    /// How many of the promotion's days the latest plan's horizon covers.
    pub forecast_days: i64,
}

/// The calendar and what the form offers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromotionList {
    pub promotions: Vec<PromotionView>,
    /// Every SKU code, the latest plan's biggest sellers first.
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub locations: Vec<String>,
}

/// Every promotion, earliest first, with the latest plan's forecast over its days. A fixed
/// number of statements, whatever the number of promotions.
pub fn list(store: &Store) -> Result<PromotionList> {
    let r = store.read();
    let skus = r.skus()?;
    let locations = r.locations()?;
    let forecasts = forestock_plan::review::latest_forecasts(store)?;
    let sku_by_id: HashMap<i64, &forestock_core::Sku> = skus.iter().map(|s| (s.id, s)).collect();
    let loc_by_id: HashMap<i64, &forestock_core::Location> =
        locations.iter().map(|l| (l.id, l)).collect();
    let promotions = r
        .promotions()?
        .into_iter()
        .map(|p| {
            let (forecast_units, forecast_days) = match &forecasts {
                Some(f) => forecast_over(&p, f, &sku_by_id),
                None => (None, 0),
            };
            PromotionView {
                id: p.id,
                name: p.name.clone(),
                sku: p
                    .variant_id
                    .and_then(|v| sku_by_id.get(&v).map(|s| s.sku.clone())),
                variant_id: p.variant_id,
                category: p.category.clone(),
                location: p
                    .location_id
                    .and_then(|l| loc_by_id.get(&l).map(|l| l.code.clone())),
                start: p.start_date.to_string(),
                end: p.end_date.to_string(),
                discount_pct: p.discount_pct,
                days: (p.end_date - p.start_date).num_days() + 1,
                forecast_units,
                forecast_days,
            }
        })
        .collect();
    let categories: BTreeSet<String> = skus.iter().map(|s| s.category.clone()).collect();
    // The SKUs the form offers, the ones the latest plan expects to sell most first (the
    // likeliest to be promoted), then by code.
    let mut volume: HashMap<i64, f64> = HashMap::new();
    for ((v, _), (_, daily)) in forecasts.iter().flatten() {
        *volume.entry(*v).or_default() += daily.iter().sum::<f64>();
    }
    let mut offered: Vec<(f64, &str)> = skus
        .iter()
        .map(|s| (volume.get(&s.id).copied().unwrap_or(0.0), s.sku.as_str()))
        .collect();
    offered.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    Ok(PromotionList {
        promotions,
        skus: offered.into_iter().map(|(_, s)| s.to_string()).collect(),
        categories: categories.into_iter().collect(),
        locations: locations.iter().map(|l| l.code.clone()).collect(),
    })
}

/// The forecast (units) over `p`'s days within the plan's horizon, summed over the lines it
/// covers, and how many of its days the horizon holds.
fn forecast_over(
    p: &Promotion,
    forecasts: &forestock_plan::review::LineForecasts,
    skus: &HashMap<i64, &forestock_core::Sku>,
) -> (Option<f64>, i64) {
    let mut units = 0.0;
    let mut days = BTreeSet::new();
    for ((v, l), (first, daily)) in forecasts {
        let Some(sku) = skus.get(v) else { continue };
        for (i, u) in daily.iter().enumerate() {
            let d = *first + chrono::Days::new(i as u64);
            if p.covers(*v, &sku.category, *l, d) {
                units += u;
                days.insert(d);
            }
        }
    }
    let n = i64::try_from(days.len()).unwrap_or(i64::MAX);
    ((n > 0).then_some(units), n)
}

/// The input checked and resolved to stored ids. Every problem is named.
fn resolve(store: &Store, input: &PromotionInput) -> Result<NewPromotion> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("a promotion needs a name".into()));
    }
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
    if input.end < input.start {
        return Err(Error::Invalid(format!(
            "promotion {name:?} ends ({}) before it starts ({})",
            input.end, input.start
        )));
    }
    let days = (input.end - input.start).num_days() + 1;
    if days > MAX_DAYS {
        return Err(Error::Invalid(format!(
            "promotion {name:?} lasts {days} days; a promotion lasts at most {MAX_DAYS} days"
        )));
    }
    // The schema's rule (0001_merchant.sql: 0 <= discount_pct < 100).
    if !input.discount_pct.is_finite() || !(0.0..100.0).contains(&input.discount_pct) {
        return Err(Error::Invalid(format!(
            "promotion {name:?}: the discount must be from 0 to below 100 percent, not {}",
            input.discount_pct
        )));
    }
    let r = store.read();
    let skus = r.skus()?;
    let variant_id = match (&sku, &category) {
        (Some(_), Some(_)) => {
            return Err(Error::Invalid(format!(
                "promotion {name:?}: give a SKU or a category, not both"
            )))
        }
        (None, None) => {
            return Err(Error::Invalid(format!(
                "promotion {name:?}: give the SKU or the category it is for"
            )))
        }
        (Some(code), None) => Some(
            skus.iter()
                .find(|s| s.sku == *code)
                .map(|s| s.id)
                .ok_or_else(|| Error::Invalid(format!("no SKU {code:?} in this database")))?,
        ),
        (None, Some(c)) => {
            if !skus.iter().any(|s| s.category == *c) {
                return Err(Error::Invalid(format!(
                    "no category {c:?} in this database (categories come from the SKUs)"
                )));
            }
            None
        }
    };
    let location_id = match &location {
        None => None,
        Some(code) => Some(
            r.locations()?
                .iter()
                .find(|l| l.code == *code)
                .map(|l| l.id)
                .ok_or_else(|| Error::Invalid(format!("no location {code:?} in this database")))?,
        ),
    };
    Ok(NewPromotion {
        name: name.to_string(),
        start_date: input.start,
        end_date: input.end,
        discount_pct: input.discount_pct,
        variant_id,
        category,
        location_id,
        expected_lift: None,
    })
}

fn as_json(p: &NewPromotion) -> Result<serde_json::Value> {
    Ok(serde_json::to_value(p)?)
}

fn audit(
    w: &forestock_core::Writer<'_>,
    stamp: &AuditStamp,
    action: &str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: action.into(),
        entity: "promotion".into(),
        entity_id: id.to_string(),
        before,
        after,
        reason: String::new(),
    })?;
    Ok(())
}

fn stored(p: &Promotion) -> NewPromotion {
    NewPromotion {
        name: p.name.clone(),
        start_date: p.start_date,
        end_date: p.end_date,
        discount_pct: p.discount_pct,
        variant_id: p.variant_id,
        category: p.category.clone(),
        location_id: p.location_id,
        expected_lift: p.expected_lift,
    }
}

fn existing(store: &Store, id: i64) -> Result<Promotion> {
    store
        .read()
        .promotion(id)?
        .ok_or_else(|| Error::NotFound(format!("no promotion {id}")))
}

/// Add a planned promotion; returns its id.
pub fn add(store: &mut Store, stamp: &AuditStamp, input: &PromotionInput) -> Result<i64> {
    let p = resolve(store, input)?;
    let w = store.write()?;
    let id = w.insert_promotion(&p)?;
    audit(&w, stamp, "promotion.create", id, None, Some(as_json(&p)?))?;
    w.commit()?;
    Ok(id)
}

/// Change promotion `id` to `input` (every field replaced).
pub fn edit(store: &mut Store, stamp: &AuditStamp, id: i64, input: &PromotionInput) -> Result<()> {
    let before = stored(&existing(store, id)?);
    let p = resolve(store, input)?;
    let w = store.write()?;
    if !w.update_promotion(id, &p)? {
        return Err(Error::NotFound(format!("no promotion {id}")));
    }
    audit(
        &w,
        stamp,
        "promotion.update",
        id,
        Some(as_json(&before)?),
        Some(as_json(&p)?),
    )?;
    w.commit()?;
    Ok(())
}

/// Delete promotion `id`.
pub fn delete(store: &mut Store, stamp: &AuditStamp, id: i64) -> Result<()> {
    let before = stored(&existing(store, id)?);
    let w = store.write()?;
    if !w.delete_promotion(id)? {
        return Err(Error::NotFound(format!("no promotion {id}")));
    }
    audit(
        &w,
        stamp,
        "promotion.delete",
        id,
        Some(as_json(&before)?),
        None,
    )?;
    w.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{AuditFilter, FrontDoor};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 12,
            days: 120,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    fn stamp() -> AuditStamp {
        AuditStamp::at(
            FrontDoor::Cli,
            Some("planner"),
            d("2025-06-30").and_hms_opt(10, 0, 0).unwrap(),
        )
    }

    fn input(store: &Store) -> PromotionInput {
        let sku = store.read().skus().unwrap()[0].sku.clone();
        PromotionInput {
            name: "Summer sale".into(),
            sku: Some(sku),
            category: None,
            location: None,
            start: d("2030-07-10"),
            end: d("2030-07-16"),
            discount_pct: 20.0,
        }
    }

    /// Issue 15: a promotion added for a SKU lifts its forecast on the promotion's days from
    /// the next plan on (the demo's history holds last year's Black Friday, so every SKU has
    /// a promotion lift of its own).
    #[test]
    fn a_promotion_for_a_sku_raises_its_forecast_on_its_days_in_the_next_plan() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 12,
            days: 400,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let mut store = Store::open(&path).unwrap();
        let plan = crate::plan::plan(&mut store, &stamp(), None, &|_| {}).unwrap();
        let list0 = list(&store).unwrap();
        let sku = list0.skus[0].clone();
        // Clear of the demo's own planned promotions (they end 29 days after its "today").
        let start = plan.today + chrono::Days::new(40);
        let id = add(
            &mut store,
            &stamp(),
            &PromotionInput {
                name: "Winter push".into(),
                sku: Some(sku.clone()),
                category: None,
                location: None,
                start,
                end: start + chrono::Days::new(6),
                discount_pct: 25.0,
            },
        )
        .unwrap();
        let units = |store: &Store| {
            let v = list(store).unwrap();
            let p = v.promotions.into_iter().find(|p| p.id == id).unwrap();
            assert_eq!(p.forecast_days, 7);
            p.forecast_units.unwrap()
        };
        let before = units(&store);
        crate::plan::plan(&mut store, &stamp(), None, &|_| {}).unwrap();
        let after = units(&store);
        assert!(before > 0.0, "{sku}: no forecast to lift");
        assert!(
            after > before * 1.05,
            "{sku}: forecast over the promotion's days {before:.2} before, {after:.2} after"
        );
    }

    /// A stored forecast run made before a promotion was added must not stand in for the
    /// plan's own forecast: the plan would ignore the promotion (the app's Sync & run reuses a
    /// fresh run of the same day).
    #[test]
    fn a_forecast_run_stored_before_a_promotion_is_not_reused_by_the_next_plan() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 12,
            days: 400,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let mut store = Store::open(&path).unwrap();
        let plan = crate::plan::plan(&mut store, &stamp(), None, &|_| {}).unwrap();
        let sku = list(&store).unwrap().skus[0].clone();
        // The plan's horizon, with the engine's defaults: a run the next plan may reuse.
        forestock_demand::forecast_merchant(
            &mut store,
            &forestock_forecast::ForecastConfig::with_horizon(90),
            stamp().at,
            &|_| {},
        )
        .unwrap();
        // Nothing changed: the plan reuses it.
        let reused = crate::plan::plan(&mut store, &stamp(), None, &|_| {}).unwrap();
        assert!(
            reused.forecast_run_id.is_some(),
            "the fresh run is not reused"
        );
        let later = AuditStamp::at(
            FrontDoor::Cli,
            Some("planner"),
            stamp().at + chrono::Duration::minutes(5),
        );
        let start = plan.today + chrono::Days::new(40);
        let id = add(
            &mut store,
            &later,
            &PromotionInput {
                name: "Winter push".into(),
                sku: Some(sku.clone()),
                category: None,
                location: None,
                start,
                end: start + chrono::Days::new(6),
                discount_pct: 25.0,
            },
        )
        .unwrap();
        let units = |store: &Store| {
            let v = list(store).unwrap();
            v.promotions
                .into_iter()
                .find(|p| p.id == id)
                .unwrap()
                .forecast_units
                .unwrap()
        };
        let before = units(&store);
        let replanned = crate::plan::plan(&mut store, &later, None, &|_| {}).unwrap();
        assert_eq!(replanned.forecast_run_id, None, "the stale run was reused");
        let after = units(&store);
        assert!(
            after > before * 1.05,
            "{sku}: {before:.2} before, {after:.2} after"
        );
    }

    #[test]
    fn bad_promotions_are_refused_naming_the_problem_and_nothing_is_stored() {
        let (_dir, mut store) = demo();
        let before = store.read().promotions().unwrap().len();
        let good = input(&store);
        let cases = [
            (
                PromotionInput {
                    end: d("2030-07-01"),
                    ..good.clone()
                },
                "before it starts",
            ),
            (
                PromotionInput {
                    discount_pct: 100.0,
                    ..good.clone()
                },
                "discount",
            ),
            (
                PromotionInput {
                    discount_pct: -1.0,
                    ..good.clone()
                },
                "discount",
            ),
            (
                PromotionInput {
                    sku: Some("NO-SUCH-SKU".into()),
                    ..good.clone()
                },
                "no SKU \"NO-SUCH-SKU\"",
            ),
            (
                PromotionInput {
                    sku: None,
                    category: Some("Nope".into()),
                    ..good.clone()
                },
                "no category",
            ),
            (
                PromotionInput {
                    sku: None,
                    ..good.clone()
                },
                "SKU or the category",
            ),
            (
                PromotionInput {
                    name: " ".into(),
                    ..good.clone()
                },
                "name",
            ),
            (
                PromotionInput {
                    end: d("2032-01-01"),
                    ..good.clone()
                },
                "at most",
            ),
        ];
        for (bad, says) in cases {
            let e = add(&mut store, &stamp(), &bad).unwrap_err();
            assert!(e.to_string().contains(says), "{e} should say {says}");
            assert_eq!(
                forestock_core::Classify::kind(&e),
                forestock_core::ErrorKind::BadInput
            );
        }
        assert_eq!(store.read().promotions().unwrap().len(), before);
    }

    #[test]
    fn add_edit_delete_are_stored_and_audited() {
        let (_dir, mut store) = demo();
        let good = input(&store);
        let id = add(&mut store, &stamp(), &good).unwrap();
        let listed = list(&store).unwrap();
        let v = listed.promotions.iter().find(|p| p.id == id).unwrap();
        assert_eq!(v.sku, good.sku);
        assert_eq!(v.days, 7);
        edit(
            &mut store,
            &stamp(),
            id,
            &PromotionInput {
                discount_pct: 30.0,
                end: d("2030-07-20"),
                ..good.clone()
            },
        )
        .unwrap();
        let p = store.read().promotion(id).unwrap().unwrap();
        assert_eq!((p.discount_pct, p.end_date), (30.0, d("2030-07-20")));
        delete(&mut store, &stamp(), id).unwrap();
        assert!(store.read().promotion(id).unwrap().is_none());
        let e = delete(&mut store, &stamp(), id).unwrap_err();
        assert_eq!(
            forestock_core::Classify::kind(&e),
            forestock_core::ErrorKind::NotFound
        );
        let log = store
            .read()
            .audit_entries(&AuditFilter {
                entity: Some("promotion".into()),
                entity_id: Some(id.to_string()),
                ..AuditFilter::default()
            })
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["promotion.delete", "promotion.update", "promotion.create"]
        );
        assert!(log.iter().all(|e| e.actor == "cli:planner"));
        assert_eq!(log[1].before.as_ref().unwrap()["discount_pct"], 20.0);
        assert_eq!(log[1].after.as_ref().unwrap()["discount_pct"], 30.0);
    }
}
