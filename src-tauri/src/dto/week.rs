//! The Exceptions and Transfers screens, the planner's review bar and receiving: their requests
//! (the views are `forestock_plan`'s and `forestock_api`'s own types, exported with `ts`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the review bar shows beside its buttons.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReviewState {
    /// What undo would take back next.
    pub last_action: Option<forestock_plan::review::LastAction>,
    /// What "the inputs changed materially" means (overrides kept across a re-plan).
    pub material_rule: String,
}

/// One line's quantity received.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct ReceivedLine {
    pub variant_id: i64,
    pub quantity: i64,
}

/// A receipt against a PO: per-line quantities on a day (today when `null`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReceiptForm {
    pub po_id: i64,
    pub lines: Vec<ReceivedLine>,
    pub received_on: Option<chrono::NaiveDate>,
}
