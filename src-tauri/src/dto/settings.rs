//! The Settings card and the files the app writes.

use forestock_api::review::PlanSettingsForm;
use serde::Serialize;
use ts_rs::TS;

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
