//! The planner grid's requests (its rows and the SKU detail are
//! [`forestock_api::views`]' types; a line is [`forestock_api::review::LineKey`]).

use forestock_api::review::LineKey;
use serde::Deserialize;
use ts_rs::TS;

/// A planner's quantity change on one line.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LineEdit {
    pub variant_id: i64,
    pub location_id: i64,
    pub qty: i64,
    pub reason: String,
}

/// Approve (or reject, with a reason) a set of lines.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct LineDecision {
    pub lines: Vec<LineKey>,
    pub approve: bool,
    pub reason: String,
}
