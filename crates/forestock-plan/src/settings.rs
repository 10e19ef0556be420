//! Planner settings: service levels by class, review period, thresholds and guardrails.

use crate::sql;
use forestock_core::{NewAuditEntry, Reader, Store};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::policy::check_service_level;

/// Everything a planner can tune. Stored as one JSON document; missing fields take defaults,
/// so settings written by an older version still load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanSettings {
    /// Target cycle service level for ABC class A, B and C.
    pub service_level_a: f64,
    pub service_level_b: f64,
    pub service_level_c: f64,
    /// Lowest expected fill rate (share of demand served from stock) a line is stocked for,
    /// whatever its cycle service target: for slow movers, where the cycle-service quantile
    /// is often 0 and nothing would be stocked. 0 turns it off.
    pub fill_rate_floor: f64,
    /// Stock allocation (0 = off): unit-days of stock a stockout day avoided is worth. When
    /// set, each line's order-up-to level is the one minimising expected stock + this ×
    /// expected stockout days (`policy::StockCurve::level`) instead of the service-level
    /// quantile: one exchange rate for every line puts stock where it avoids the most
    /// stockout days per unit. In units, not money, as the policy simulation measures it.
    pub stockout_day_worth: f64,
    /// Revenue shares that make the A and B classes.
    pub abc_a_share: f64,
    pub abc_b_share: f64,
    /// Days between reviews (orders).
    pub review_days: u32,
    /// Days of forecast a plan computes.
    pub horizon_days: u32,
    /// Annual holding cost as a share of unit cost.
    pub holding_rate: f64,
    /// Most days of demand bought ahead to reach a price break.
    pub max_break_cover_days: f64,
    /// Units kept on the shelf of a retail location on top of the safety stock.
    pub min_presentation_retail: f64,
    /// A line above this value (merchant currency) needs explicit approval.
    pub approval_value_threshold: f64,
    /// An override changing the recommendation by more than this percent needs approval.
    pub approval_change_pct: f64,
    /// Automatic safety-stock changes are capped at this share per week (e.g. 0.15).
    pub safety_stock_weekly_cap: f64,
    /// Stock beyond the order-up-to level plus this many days of demand counts as excess.
    pub excess_cover_days: f64,
    /// No sale for this many days with stock on hand: a dead mover.
    pub dead_after_days: u32,
    /// More than this many days of cover: a slow mover.
    pub slow_cover_days: f64,
    /// Days a transfer between locations takes.
    pub transfer_days: u32,
    /// Lead time (mean and spread, days) of a SKU with no supplier linked yet.
    pub default_lead_time_days: f64,
    pub default_lead_time_sd_days: f64,
    /// Plan from the latest stored forecast run (`forestock forecast --db`) when it is fresh:
    /// same as-of date, default engine settings, a horizon at least `horizon_days`, no sync
    /// since, and a forecast for every line. Otherwise the plan forecasts itself.
    pub reuse_forecast_run: bool,
    /// Forecast runs kept in the database after each plan: the newest run of each of this many
    /// as-of dates (a re-plan on the same day replaces that day's run), and always the one the
    /// latest plan was made from. Older runs (a 20,000-series run with a 90-day horizon is
    /// about 1.8 million stored days) are deleted; the accuracy report and the chart's past
    /// forecasts reach back as far as the runs kept.
    pub forecast_runs_kept: u32,
    /// Most alerts kept after ranking (the exception list stays short).
    pub alerts_max: u32,
    /// Most alerts of one kind kept, so one noisy kind cannot crowd out the others.
    pub alerts_max_per_kind: u32,
    /// Central probability of the forecast interval outside which last week's sales are a
    /// spike or a drop (0.98 = below the 1% or above the 99% quantile).
    pub alert_interval: f64,
    /// Days over which inventory drift (on-hand change not explained by sales and receipts)
    /// is measured.
    pub drift_days: u32,
    /// Unexplained units below this are noise (miscounts of a unit or two).
    pub drift_min_units: u32,
    /// Days past its expected date before an open order counts as overdue.
    pub po_grace_days: u32,
    /// Columns of the supplier PO CSV: `field[=Header],...` (see [`crate::po_csv`]).
    pub po_csv_columns: String,
    /// Delimiter of the supplier PO CSV: `,`, `;`, `tab` or `|`.
    pub po_csv_delimiter: String,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            service_level_a: 0.97,
            service_level_b: 0.95,
            service_level_c: 0.90,
            fill_rate_floor: 0.0,
            stockout_day_worth: 0.0,
            abc_a_share: 0.80,
            abc_b_share: 0.15,
            review_days: 7,
            horizon_days: 90,
            holding_rate: 0.25,
            max_break_cover_days: 60.0,
            min_presentation_retail: 2.0,
            approval_value_threshold: 5000.0,
            approval_change_pct: 50.0,
            safety_stock_weekly_cap: 0.15,
            excess_cover_days: 60.0,
            dead_after_days: 90,
            slow_cover_days: 180.0,
            transfer_days: 2,
            default_lead_time_days: 14.0,
            default_lead_time_sd_days: 3.0,
            reuse_forecast_run: true,
            forecast_runs_kept: 14,
            alerts_max: 40,
            alerts_max_per_kind: 12,
            alert_interval: 0.98,
            drift_days: 28,
            drift_min_units: 4,
            po_grace_days: 2,
            po_csv_columns: crate::po_csv::default_spec(),
            po_csv_delimiter: ",".into(),
        }
    }
}

impl PlanSettings {
    /// These settings with `key = value` changes as a planner types them (`service_level_b`,
    /// `0.9`): each value is read as JSON, else as text. An unknown key or a value of the wrong
    /// type is refused, naming it; the result is validated when saved.
    pub fn with_changes(&self, changes: &[(&str, &str)]) -> Result<PlanSettings> {
        let mut v = serde_json::to_value(self)?;
        let Some(obj) = v.as_object_mut() else {
            return Err(Error::invalid("settings", "not an object"));
        };
        let known: Vec<String> = obj.keys().cloned().collect();
        for (k, val) in changes {
            let k = k.trim();
            if !obj.contains_key(k) {
                return Err(Error::invalid(
                    "setting",
                    format!("unknown setting {k:?} (known: {})", known.join(", ")),
                ));
            }
            let parsed: serde_json::Value = serde_json::from_str(val.trim())
                .unwrap_or_else(|_| serde_json::Value::String(val.trim().to_string()));
            obj.insert(k.to_string(), parsed);
        }
        serde_json::from_value(v).map_err(|e| Error::invalid("setting value", e.to_string()))
    }

    /// Check every value; the message names the field.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("service_level_a", self.service_level_a),
            ("service_level_b", self.service_level_b),
            ("service_level_c", self.service_level_c),
        ] {
            check_service_level(v)
                .map_err(|e| Error::invalid("settings", format!("{name}: {e}")))?;
        }
        if !(self.fill_rate_floor.is_finite() && (0.0..1.0).contains(&self.fill_rate_floor)) {
            return Err(Error::invalid(
                "settings",
                format!(
                    "fill_rate_floor must be at least 0 (off) and below 1 (got {})",
                    self.fill_rate_floor
                ),
            ));
        }
        crate::policy::check_stockout_day_worth(self.stockout_day_worth)
            .map_err(|e| Error::invalid("settings", format!("stockout_day_worth: {e}")))?;
        let share_ok = |x: f64| x.is_finite() && x > 0.0 && x < 1.0;
        if !share_ok(self.abc_a_share)
            || !share_ok(self.abc_b_share)
            || self.abc_a_share + self.abc_b_share >= 1.0
        {
            return Err(Error::invalid(
                "settings",
                "ABC shares must be between 0 and 1 and sum to less than 1",
            ));
        }
        if self.review_days == 0 || self.review_days > 365 {
            return Err(Error::invalid(
                "settings",
                format!("review_days must be 1–365 (got {})", self.review_days),
            ));
        }
        if self.horizon_days < 7 || self.horizon_days > 730 {
            return Err(Error::invalid(
                "settings",
                format!("horizon_days must be 7–730 (got {})", self.horizon_days),
            ));
        }
        if !(self.default_lead_time_days.is_finite() && self.default_lead_time_days > 0.0) {
            return Err(Error::invalid(
                "settings",
                format!(
                    "default_lead_time_days must be more than 0 days (got {})",
                    self.default_lead_time_days
                ),
            ));
        }
        if !(self.default_lead_time_sd_days.is_finite() && self.default_lead_time_sd_days >= 0.0) {
            return Err(Error::invalid(
                "settings",
                format!(
                    "default_lead_time_sd_days must be 0 or more (got {})",
                    self.default_lead_time_sd_days
                ),
            ));
        }
        if !(self.alert_interval.is_finite()
            && self.alert_interval > 0.5
            && self.alert_interval < 1.0)
        {
            return Err(Error::invalid(
                "settings",
                format!(
                    "alert_interval must be between 0.5 and 1 (got {})",
                    self.alert_interval
                ),
            ));
        }
        if self.alerts_max == 0 || self.alerts_max_per_kind == 0 {
            return Err(Error::invalid(
                "settings",
                "alerts_max and alerts_max_per_kind must be at least 1",
            ));
        }
        if self.forecast_runs_kept == 0 || self.forecast_runs_kept > 1000 {
            return Err(Error::invalid(
                "settings",
                format!(
                    "forecast_runs_kept must be 1–1000 (got {})",
                    self.forecast_runs_kept
                ),
            ));
        }
        if self.drift_days < 7 || self.drift_days > 365 {
            return Err(Error::invalid(
                "settings",
                format!("drift_days must be 7–365 (got {})", self.drift_days),
            ));
        }
        for (name, v) in [
            ("holding_rate", self.holding_rate),
            ("max_break_cover_days", self.max_break_cover_days),
            ("min_presentation_retail", self.min_presentation_retail),
            ("approval_value_threshold", self.approval_value_threshold),
            ("approval_change_pct", self.approval_change_pct),
            ("safety_stock_weekly_cap", self.safety_stock_weekly_cap),
            ("excess_cover_days", self.excess_cover_days),
            ("slow_cover_days", self.slow_cover_days),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::invalid(
                    "settings",
                    format!("{name} must be a number of 0 or more (got {v})"),
                ));
            }
        }
        self.csv_layout()?;
        Ok(())
    }

    /// The supplier PO CSV layout these settings describe.
    pub fn csv_layout(&self) -> Result<crate::po_csv::CsvLayout> {
        crate::po_csv::CsvLayout::parse(&self.po_csv_columns, &self.po_csv_delimiter)
    }

    /// Service level for an ABC class.
    pub fn service_level_for(&self, abc: char) -> f64 {
        match abc {
            'A' => self.service_level_a,
            'B' => self.service_level_b,
            _ => self.service_level_c,
        }
    }
}

/// The stored settings, or the defaults when none were saved.
pub fn load_settings(r: &Reader<'_>) -> Result<PlanSettings> {
    let json: Option<String> = r
        .conn()
        .query_row(sql::LOAD_SETTINGS_SELECT_PLAN_SETTINGS, [], |r| r.get(0))
        .optional()?;
    match json {
        Some(j) => Ok(serde_json::from_str(&j)?),
        None => Ok(PlanSettings::default()),
    }
}

/// Validate and save settings (audited with before/after).
pub fn save_settings(
    store: &mut Store,
    settings: &PlanSettings,
    actor: &str,
    at: chrono::NaiveDateTime,
) -> Result<()> {
    settings.validate()?;
    let before = load_settings(&store.read())?;
    let w = store.write()?;
    w.tx().execute(
        sql::SAVE_SETTINGS_INSERT_PLAN_SETTINGS,
        [serde_json::to_string(settings)?],
    )?;
    w.audit(&NewAuditEntry {
        at,
        actor: actor.into(),
        action: "settings.update".into(),
        entity: "plan_settings".into(),
        entity_id: "1".into(),
        before: Some(serde_json::to_value(before)?),
        after: Some(serde_json::to_value(settings)?),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(())
}
