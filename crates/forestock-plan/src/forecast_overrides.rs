//! Manual forecast overrides: the planner's own judgement applied on top of the statistical
//! forecast for a period ("+30% in March, influencer campaign"), for one SKU or one category,
//! optionally one location. Stored in `forecast_overrides` (migration 0016); the plan's
//! forecast step ([`crate::plan`]) applies them to each line's daily forecast mean before the
//! safety stock, reorder point and order quantity are computed, and the line's rationale says
//! so.
//!
//! An override is not a promotion: a promotion is an event whose lift the forecaster
//! estimates from the merchant's history; an override is applied as the planner gives it.
//!
//! # How the demand distribution follows
//! The plan never stores quantiles: every window distribution it reads is rebuilt from the
//! daily means by the forecaster's own model ([`forestock_forecast::SeriesForecast::window`]:
//! negative-binomial count noise `mu + dispersion * mu^2` per day plus a persistent level
//! error `level_cv * total`). Both error terms are *relative* to the mean, so the override
//! changes the level of demand and keeps the forecast's relative error, which is the
//! assumption made here (the planner's judgement moves the level, it does not make the
//! forecast more or less certain):
//! - a percentage change multiplies the mean by `1 + p/100`; the window's standard deviation
//!   scales by the same factor in its over-dispersed and level-error parts (and by its square
//!   root in the Poisson part), i.e. the whole demand distribution is scaled;
//! - a fixed daily quantity replaces the mean on its days with that quantity; the spread
//!   around it is the same model's at that mean (the count noise and level error of a day
//!   forecast at that quantity).

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use forestock_core::{Reader, Writer};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sql;

/// The highest percentage raise accepted (+1000% = eleven times the forecast): more is a
/// typing error rather than a judgement.
pub const MAX_PERCENT: f64 = 1000.0;
/// The largest fixed daily quantity accepted.
pub const MAX_DAILY_QTY: f64 = 1_000_000.0;
/// The longest period an override may cover: a year.
pub const MAX_DAYS: i64 = 366;

/// What an override does to the forecast mean on its days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Change {
    /// The mean times `1 + value/100` (above -100, at most [`MAX_PERCENT`]).
    Percent(f64),
    /// The mean replaced by this many units a day (0 to [`MAX_DAILY_QTY`]).
    DailyQty(f64),
}

impl Change {
    fn kind(self) -> &'static str {
        match self {
            Change::Percent(_) => "percent",
            Change::DailyQty(_) => "daily_qty",
        }
    }

    fn value(self) -> f64 {
        match self {
            Change::Percent(v) | Change::DailyQty(v) => v,
        }
    }

    fn from_parts(kind: &str, value: f64) -> Result<Change> {
        match kind {
            "percent" => Ok(Change::Percent(value)),
            "daily_qty" => Ok(Change::DailyQty(value)),
            other => Err(Error::invalid(
                "forecast override kind",
                format!("{other:?} is neither percent nor daily_qty"),
            )),
        }
    }

    /// The adjusted mean of one day.
    pub fn apply(self, mean: f64) -> f64 {
        match self {
            Change::Percent(p) => mean * (1.0 + p / 100.0),
            Change::DailyQty(q) => q,
        }
    }

    /// The change in words: "raised 30%", "lowered 20%", "set to 12/day".
    pub fn describe(self) -> String {
        match self {
            Change::Percent(p) if p >= 0.0 => format!("raised {}%", fmt_num(p)),
            Change::Percent(p) => format!("lowered {}%", fmt_num(-p)),
            Change::DailyQty(q) => format!("set to {}/day", fmt_num(q)),
        }
    }

    /// Refused values, naming the field (`value`).
    pub fn check(self) -> Result<()> {
        let v = self.value();
        match self {
            Change::Percent(_) if !v.is_finite() || v <= -100.0 || v > MAX_PERCENT => {
                Err(Error::invalid(
                    "value",
                    format!(
                        "a percentage change must be above -100 and at most +{MAX_PERCENT}, not {v}"
                    ),
                ))
            }
            Change::DailyQty(_) if !v.is_finite() || !(0.0..=MAX_DAILY_QTY).contains(&v) => {
                Err(Error::invalid(
                    "value",
                    format!(
                        "a fixed daily quantity must be from 0 to {MAX_DAILY_QTY} units, not {v}"
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// A number without a trailing ".0".
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        let s = format!("{x:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A stored override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastOverride {
    pub id: i64,
    #[serde(flatten)]
    pub fields: NewForecastOverride,
    pub created_at: NaiveDateTime,
    pub created_by: String,
}

/// An override as it is written: one SKU (`variant_id`) or one category, optionally one
/// location, its first and last day, the change and the planner's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewForecastOverride {
    pub variant_id: Option<i64>,
    pub category: Option<String>,
    pub location_id: Option<i64>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub change: Change,
    pub reason: String,
}

impl NewForecastOverride {
    /// Whether it applies to a SKU (by id and category) at a location on a date.
    pub fn covers(&self, variant_id: i64, category: &str, location_id: i64, d: NaiveDate) -> bool {
        self.start_date <= d
            && d <= self.end_date
            && self.covers_line(variant_id, category, location_id)
    }

    /// Whether it applies to a SKU×location on some day.
    pub fn covers_line(&self, variant_id: i64, category: &str, location_id: i64) -> bool {
        self.variant_id.is_none_or(|v| v == variant_id)
            && self.category.as_deref().is_none_or(|c| c == category)
            && self.location_id.is_none_or(|l| l == location_id)
    }

    /// The rule when two overrides cover the same day of a line (creation refuses overlaps,
    /// but a SKU may move into a category later): a SKU's own beats its category's, one
    /// location's beats every location's; among equals the later one (higher id) wins.
    fn specificity(&self) -> (bool, bool) {
        (self.variant_id.is_some(), self.location_id.is_some())
    }

    /// The rationale line: "forecast raised 30% Mar 1–31 by the planner: influencer campaign".
    pub fn rationale(&self) -> String {
        format!(
            "forecast {} {} by the planner: {}",
            self.change.describe(),
            period(self.start_date, self.end_date),
            self.reason
        )
    }
}

/// "Mar 1–31", "Mar 28–Apr 3", "Mar 5", or with years when the period spans two.
pub fn period(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        start.format("%b %-d").to_string()
    } else if start.year() != end.year() {
        format!(
            "{}–{}",
            start.format("%b %-d, %Y"),
            end.format("%b %-d, %Y")
        )
    } else if start.month() == end.month() {
        format!("{}–{}", start.format("%b %-d"), end.day())
    } else {
        format!("{}–{}", start.format("%b %-d"), end.format("%b %-d"))
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ForecastOverride, String)> {
    let kind: String = r.get(6)?;
    Ok((
        ForecastOverride {
            id: r.get(0)?,
            fields: NewForecastOverride {
                variant_id: r.get(1)?,
                category: r.get(2)?,
                location_id: r.get(3)?,
                start_date: r.get(4)?,
                end_date: r.get(5)?,
                change: Change::Percent(r.get(7)?),
                reason: r.get(8)?,
            },
            created_at: r.get(9)?,
            created_by: r.get(10)?,
        },
        kind,
    ))
}

fn finish((mut o, kind): (ForecastOverride, String)) -> Result<ForecastOverride> {
    o.fields.change = Change::from_parts(&kind, o.fields.change.value())?;
    Ok(o)
}

/// Every override, earliest first.
pub fn list(r: &Reader<'_>) -> Result<Vec<ForecastOverride>> {
    let mut st = r.conn().prepare(sql::FORECAST_OVERRIDES_SELECT)?;
    let rows = st.query_map([], from_row)?;
    rows.map(|row| finish(row?)).collect()
}

/// Override `id`, if stored.
pub fn get(r: &Reader<'_>, id: i64) -> Result<Option<ForecastOverride>> {
    let mut st = r.conn().prepare(sql::FORECAST_OVERRIDE_SELECT)?;
    let mut rows = st.query_map([id], from_row)?;
    rows.next().map(|row| finish(row?)).transpose()
}

fn check(o: &NewForecastOverride) -> Result<()> {
    o.change.check()?;
    if o.reason.trim().is_empty() {
        return Err(Error::invalid("reason", "an override needs a reason"));
    }
    if o.variant_id.is_some() == o.category.is_some() {
        return Err(Error::invalid("sku", "give one SKU or one category"));
    }
    if o.end_date < o.start_date {
        return Err(Error::invalid(
            "end",
            format!(
                "the last day {} is before the first day {}",
                o.end_date, o.start_date
            ),
        ));
    }
    Ok(())
}

/// Store a new override (checked); returns its id. The caller audits and commits.
pub fn insert(w: &Writer<'_>, o: &NewForecastOverride, at: NaiveDateTime, by: &str) -> Result<i64> {
    check(o)?;
    w.tx().execute(
        sql::FORECAST_OVERRIDE_INSERT,
        rusqlite::params![
            o.variant_id,
            o.category,
            o.location_id,
            o.start_date,
            o.end_date,
            o.change.kind(),
            o.change.value(),
            o.reason.trim(),
            at,
            by
        ],
    )?;
    Ok(w.tx().last_insert_rowid())
}

/// Replace override `id`'s fields (checked); false when there is no such override.
pub fn update(w: &Writer<'_>, id: i64, o: &NewForecastOverride) -> Result<bool> {
    check(o)?;
    let n = w.tx().execute(
        sql::FORECAST_OVERRIDE_UPDATE,
        rusqlite::params![
            id,
            o.variant_id,
            o.category,
            o.location_id,
            o.start_date,
            o.end_date,
            o.change.kind(),
            o.change.value(),
            o.reason.trim(),
        ],
    )?;
    Ok(n > 0)
}

/// Delete override `id`; false when there is no such override.
pub fn delete(w: &Writer<'_>, id: i64) -> Result<bool> {
    Ok(w.tx().execute(sql::FORECAST_OVERRIDE_DELETE, [id])? > 0)
}

/// Apply the overrides to one line's daily forecast `mean`, whose day 0 is `first_day`; one
/// override per day (the most specific, [`NewForecastOverride::specificity`]). Returns the
/// rationale line of each override that changed at least one day of the horizon.
pub fn apply(
    overrides: &[ForecastOverride],
    (variant_id, category, location_id): (i64, &str, i64),
    first_day: NaiveDate,
    mean: &mut [f64],
) -> Vec<String> {
    let mut mine: Vec<&ForecastOverride> = overrides
        .iter()
        .filter(|o| o.fields.covers_line(variant_id, category, location_id))
        .collect();
    if mine.is_empty() {
        return Vec::new();
    }
    // Most specific first, then the latest.
    mine.sort_by(|a, b| {
        b.fields
            .specificity()
            .cmp(&a.fields.specificity())
            .then(b.id.cmp(&a.id))
    });
    let mut used = vec![false; mine.len()];
    for (i, m) in mean.iter_mut().enumerate() {
        let d = first_day + chrono::Days::new(i as u64);
        if let Some(k) = mine
            .iter()
            .position(|o| o.fields.start_date <= d && d <= o.fields.end_date)
        {
            *m = mine[k].fields.change.apply(*m);
            used[k] = true;
        }
    }
    let mut applied: Vec<&ForecastOverride> = mine
        .iter()
        .zip(&used)
        .filter(|(_, u)| **u)
        .map(|(o, _)| *o)
        .collect();
    applied.sort_by_key(|o| (o.fields.start_date, o.id));
    applied.iter().map(|o| o.fields.rationale()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn over(
        id: i64,
        sku: Option<i64>,
        cat: Option<&str>,
        from: &str,
        to: &str,
        c: Change,
    ) -> ForecastOverride {
        ForecastOverride {
            id,
            fields: NewForecastOverride {
                variant_id: sku,
                category: cat.map(str::to_string),
                location_id: None,
                start_date: d(from),
                end_date: d(to),
                change: c,
                reason: "influencer campaign".into(),
            },
            created_at: d(from).and_hms_opt(0, 0, 0).unwrap_or_default(),
            created_by: "cli".into(),
        }
    }

    #[test]
    fn a_percentage_scales_exactly_its_days_and_says_so() {
        let o = [over(
            1,
            Some(7),
            None,
            "2026-03-01",
            "2026-03-31",
            Change::Percent(30.0),
        )];
        let mut mean = vec![10.0; 40];
        let why = apply(&o, (7, "Tops", 1), d("2026-02-25"), &mut mean);
        assert_eq!(
            why,
            ["forecast raised 30% Mar 1–31 by the planner: influencer campaign"]
        );
        for (i, m) in mean.iter().enumerate() {
            let expect = if (4..35).contains(&i) { 13.0 } else { 10.0 };
            assert!((m - expect).abs() < 1e-9, "day {i}: {m}");
        }
        // Another SKU is untouched.
        let mut other = vec![10.0; 40];
        assert!(apply(&o, (8, "Tops", 1), d("2026-02-25"), &mut other).is_empty());
        assert!(other.iter().all(|m| *m == 10.0));
    }

    #[test]
    fn a_sku_override_beats_its_categorys_on_the_days_both_cover() {
        let o = [
            over(
                2,
                None,
                Some("Tops"),
                "2026-03-01",
                "2026-03-10",
                Change::Percent(-20.0),
            ),
            over(
                1,
                Some(7),
                None,
                "2026-03-05",
                "2026-03-06",
                Change::DailyQty(3.0),
            ),
        ];
        let mut mean = vec![10.0; 10];
        let why = apply(&o, (7, "Tops", 1), d("2026-03-01"), &mut mean);
        assert_eq!(mean, [8.0, 8.0, 8.0, 8.0, 3.0, 3.0, 8.0, 8.0, 8.0, 8.0]);
        assert_eq!(why.len(), 2);
        assert!(
            why[0].starts_with("forecast lowered 20% Mar 1–10"),
            "{why:?}"
        );
        assert!(
            why[1].starts_with("forecast set to 3/day Mar 5–6"),
            "{why:?}"
        );
    }

    #[test]
    fn out_of_range_changes_are_refused_naming_the_field() {
        for c in [
            Change::Percent(-100.0),
            Change::Percent(1000.5),
            Change::Percent(f64::NAN),
            Change::DailyQty(-1.0),
        ] {
            let e = c.check().unwrap_err();
            assert!(e.to_string().contains("invalid value"), "{e}");
        }
        assert!(Change::Percent(-99.0).check().is_ok());
        assert!(Change::Percent(1000.0).check().is_ok());
    }

    #[test]
    fn periods_read_naturally() {
        assert_eq!(period(d("2026-03-01"), d("2026-03-31")), "Mar 1–31");
        assert_eq!(period(d("2026-03-28"), d("2026-04-03")), "Mar 28–Apr 3");
        assert_eq!(period(d("2026-03-05"), d("2026-03-05")), "Mar 5");
        assert_eq!(
            period(d("2026-12-28"), d("2027-01-03")),
            "Dec 28, 2026–Jan 3, 2027"
        );
    }
}
