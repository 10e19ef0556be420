//! The merchant files the first-run screen and the merchant switcher offer (the open
//! merchant's summary and opening progress are [`forestock_api::opening`]'s types).

use serde::Serialize;
use ts_rs::TS;

/// The merchant files the app knows, for the first-run screen and the merchant switcher.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MerchantFiles {
    /// The open merchant's file, if one is open.
    pub open: Option<String>,
    pub recent: forestock_api::merchants::RecentList,
    /// Where "Explore the demo shop" makes (or finds) the demo merchant.
    pub demo_path: Option<String>,
    /// A new, unused file name offered to "Set up my shop".
    pub suggested_path: Option<String>,
}
