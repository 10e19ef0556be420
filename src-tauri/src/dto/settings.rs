//! The Settings card and the files the app writes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The planner settings the Settings card edits (the rest of
/// [`forestock_plan::settings::PlanSettings`] keeps its stored value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanSettingsForm {
    /// Target cycle service level per ABC class (0.5–0.999).
    pub service_level_a: f64,
    pub service_level_b: f64,
    pub service_level_c: f64,
    /// Days between reviews (orders).
    pub review_days: u32,
    /// Days of forecast a plan computes.
    pub horizon_days: u32,
    /// A line above this value (merchant currency) needs explicit approval.
    pub approval_value_threshold: f64,
    /// An override changing the recommendation by more than this percent needs approval.
    pub approval_change_pct: f64,
    /// Guardrail: automatic safety-stock changes are capped at this share per week.
    pub safety_stock_weekly_cap: f64,
    /// Stock beyond the order-up-to level plus this many days of demand counts as excess.
    pub excess_cover_days: f64,
    /// More than this many days of cover: a slow mover.
    pub slow_cover_days: f64,
    /// No sale for this many days with stock on hand: a dead mover.
    pub dead_after_days: u32,
    /// Columns of the supplier PO CSV, `field[=Header],...` (checked by the library).
    pub po_csv_columns: String,
    /// Delimiter of the supplier PO CSV: `,` `;` `tab` or `|`.
    pub po_csv_delimiter: String,
}

impl From<&forestock_plan::settings::PlanSettings> for PlanSettingsForm {
    fn from(s: &forestock_plan::settings::PlanSettings) -> Self {
        PlanSettingsForm {
            service_level_a: s.service_level_a,
            service_level_b: s.service_level_b,
            service_level_c: s.service_level_c,
            review_days: s.review_days,
            horizon_days: s.horizon_days,
            approval_value_threshold: s.approval_value_threshold,
            approval_change_pct: s.approval_change_pct,
            safety_stock_weekly_cap: s.safety_stock_weekly_cap,
            excess_cover_days: s.excess_cover_days,
            slow_cover_days: s.slow_cover_days,
            dead_after_days: s.dead_after_days,
            po_csv_columns: s.po_csv_columns.clone(),
            po_csv_delimiter: s.po_csv_delimiter.clone(),
        }
    }
}

impl PlanSettingsForm {
    /// The stored settings with this form's fields replaced.
    pub fn apply_to(
        &self,
        mut s: forestock_plan::settings::PlanSettings,
    ) -> forestock_plan::settings::PlanSettings {
        s.service_level_a = self.service_level_a;
        s.service_level_b = self.service_level_b;
        s.service_level_c = self.service_level_c;
        s.review_days = self.review_days;
        s.horizon_days = self.horizon_days;
        s.approval_value_threshold = self.approval_value_threshold;
        s.approval_change_pct = self.approval_change_pct;
        s.safety_stock_weekly_cap = self.safety_stock_weekly_cap;
        s.excess_cover_days = self.excess_cover_days;
        s.slow_cover_days = self.slow_cover_days;
        s.dead_after_days = self.dead_after_days;
        s.po_csv_columns.clone_from(&self.po_csv_columns);
        s.po_csv_delimiter.clone_from(&self.po_csv_delimiter);
        s
    }
}

/// The Settings card: the planner settings and where the data lives.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SettingsView {
    pub plan: PlanSettingsForm,
    /// The folder holding the merchant database.
    pub data_folder: String,
    /// Where exports go without asking (`FORESTOCK_EXPORT_DIR`), or the folder the save dialog
    /// opens in.
    pub export_folder: String,
    /// True when exports are written to `export_folder` without a save dialog.
    pub export_without_dialog: bool,
}

/// A file the app wrote (an export).
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedFile {
    /// Where it was written; `null` when the planner cancelled the save dialog.
    pub path: Option<String>,
    /// Rows written (CSV exports) or bytes written (chart images).
    pub count: i64,
}

impl SavedFile {
    pub fn cancelled() -> Self {
        SavedFile {
            path: None,
            count: 0,
        }
    }

    /// `count` rows or bytes written to `path`.
    pub fn written(path: &std::path::Path, count: usize) -> Self {
        SavedFile {
            path: Some(path.display().to_string()),
            count: i64::try_from(count).unwrap_or(i64::MAX),
        }
    }
}
