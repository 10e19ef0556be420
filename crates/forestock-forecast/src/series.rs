//! Demand history of one SKU×location, as the engine takes it.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies one series.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SeriesKey {
    pub sku: String,
    pub location: String,
}

impl SeriesKey {
    pub fn new(sku: impl Into<String>, location: impl Into<String>) -> Self {
        Self {
            sku: sku.into(),
            location: location.into(),
        }
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.sku, self.location)
    }
}

/// Spacing of a series' periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
}

impl Frequency {
    /// The date `n` periods after `date`.
    pub fn add(self, date: NaiveDate, n: i64) -> NaiveDate {
        match self {
            Self::Daily => date + chrono::Duration::days(n),
            Self::Weekly => date + chrono::Duration::days(7 * n),
            Self::Monthly => {
                let r = if n >= 0 {
                    date.checked_add_months(Months::new(n as u32))
                } else {
                    date.checked_sub_months(Months::new(n.unsigned_abs() as u32))
                };
                r.unwrap_or(date)
            }
        }
    }

    /// Number of whole periods from `a` to `b` (`b` later), or `None` if `b` is not on the grid.
    pub fn periods_between(self, a: NaiveDate, b: NaiveDate) -> Option<i64> {
        match self {
            Self::Daily => Some((b - a).num_days()),
            Self::Weekly => {
                let d = (b - a).num_days();
                (d % 7 == 0).then_some(d / 7)
            }
            Self::Monthly => {
                let m = (b.year() - a.year()) as i64 * 12 + b.month() as i64 - a.month() as i64;
                (self.add(a, m) == b).then_some(m)
            }
        }
    }

    /// The usual seasonal period: 7 days a week, 52 weeks a year, 12 months a year.
    pub fn default_season(self) -> usize {
        match self {
            Self::Daily => 7,
            Self::Weekly => 52,
            Self::Monthly => 12,
        }
    }

    /// Infer from the most common gap between consecutive dates.
    pub fn infer(dates: &[NaiveDate]) -> Option<Self> {
        let mut counts = [0usize; 3];
        for w in dates.windows(2) {
            let d = (w[1] - w[0]).num_days();
            match d {
                1 => counts[0] += 1,
                7 => counts[1] += 1,
                28..=31 => counts[2] += 1,
                _ => {}
            }
        }
        let best = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
        if *best.1 == 0 {
            return None;
        }
        Some([Self::Daily, Self::Weekly, Self::Monthly][best.0])
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }
}

/// What is known about the product, for promotions, analogs and end of life.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeriesMeta {
    pub category: Option<String>,
    pub vendor: Option<String>,
    pub price: Option<f64>,
    /// No demand is forecast on or after this date.
    pub discontinue: Option<NaiveDate>,
}

/// Demand history of one series on a regular grid.
///
/// `units[i]` is the demand of period `start + i`; `NaN` means unknown (out of stock, missing
/// row): models skip unknown periods instead of reading them as zero demand.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub key: SeriesKey,
    pub frequency: Frequency,
    pub start: NaiveDate,
    pub units: Vec<f64>,
    /// Promotion flag per history period (empty: no promotion data).
    pub promo: Vec<bool>,
    /// Planned promotions over the forecast horizon (empty: none known).
    pub future_promo: Vec<bool>,
    /// Shelf price per history period (`NaN`: unknown; empty: no price data). Read by the
    /// global model's price features only.
    pub price: Vec<f64>,
    pub meta: SeriesMeta,
}

impl Series {
    /// A series without promotions or metadata.
    pub fn new(key: SeriesKey, frequency: Frequency, start: NaiveDate, units: Vec<f64>) -> Self {
        Self {
            key,
            frequency,
            start,
            units,
            promo: Vec::new(),
            future_promo: Vec::new(),
            price: Vec::new(),
            meta: SeriesMeta::default(),
        }
    }

    /// The date of the first period after the history.
    pub fn end(&self) -> NaiveDate {
        self.frequency.add(self.start, self.units.len() as i64)
    }

    /// Whether forecast period `i` (period `end() + i`) has a planned promotion.
    pub fn planned(&self, i: usize) -> bool {
        self.future_promo.get(i).copied().unwrap_or(false)
    }

    /// Whether forecast period `i` (period `end() + i`) falls on or after the discontinuation
    /// date: no demand is forecast there.
    pub fn stopped(&self, i: usize) -> bool {
        self.meta
            .discontinue
            .is_some_and(|d| self.frequency.add(self.end(), i as i64) >= d)
    }

    /// The same series cut to its first `n` periods (for backtests).
    pub fn truncated(&self, n: usize) -> Self {
        let n = n.min(self.units.len());
        let mut s = self.clone();
        s.units.truncate(n);
        s.price.truncate(n);
        if s.promo.len() > n {
            s.future_promo = s.promo[n..].to_vec();
            s.promo.truncate(n);
        } else {
            s.future_promo.clear();
        }
        s
    }
}
