//! Forestock's planning engine: forecasts in, the numbers a merchant acts on out — order
//! quantities with their reasons, transfers, exceptions, what-ifs and purchase orders.
//!
//! # Flow
//! [`plan::run_plan`] reads the merchant database (SKUs, suppliers, inventory, open orders,
//! receipts, promotions, demand history), forecasts every active SKU×location with
//! `forestock-forecast`, computes one [`line::Recommendation`] per line with
//! [`line::compute_line`], proposes transfers from locations with excess before buying, finds
//! the [`alerts`], and stores all of it as one versioned plan run (`runs.kind = 'plan'`,
//! `plan_lines`, `plan_transfers`) plus an alerts run, in one transaction. The planner then
//! works on the latest plan: [`review`] (grid, override with reason, lock, approve/reject,
//! undo), [`scenario`] (what-if overlays, compared and applied or discarded) and [`po`]
//! (draft purchase orders per supplier × location, approve, CSV/HTML export, receipts).
//!
//! # The policy
//! Periodic review, order up to `S` ([`policy::levels`]): `S` is the service-level quantile of
//! demand over lead time + review period, taken from the forecast engine's calibrated
//! negative-binomial window distribution (so intermittent SKUs keep their own shape), mixed
//! exactly over the lead-time distribution (learned from the merchant's receipts, else the
//! supplier's setting). Safety stock is `S` minus the mean; the expected fill rate follows
//! Silver, Pyke & Thomas (2017), eq. 7.21. Quantities are rounded up to case pack and MOQ and
//! price breaks are taken when the saving beats the extra holding cost ([`policy::round_order`]).
//!
//! # Invariants
//! - Quantities are whole, `>= 0`, multiples of the case pack and `>= MOQ` when not zero;
//!   safety stock rises with the service level and with lead-time spread (property-tested).
//! - Every recommendation carries its rationale: the terms that produced it, in words.
//! - Deterministic: "today" and "now" are arguments ([`plan::PlanRequest`]); the same database
//!   and request give the same plan. Nothing here reads the clock.
//! - Every planner edit, approval, export and receipt is one transaction that also writes the
//!   audit log (before/after, reason); bad input is refused before anything is written
//!   ([`Error::is_bad_input`]); its [`forestock_core::ErrorKind`] (via `Classify`) decides the exit code and the app's error code.
//! - Recommendations are derived data (rebuilt by the next plan); overrides, locks, scenarios
//!   and purchase orders are the planner's data and are never rebuilt.
//!
//! # API the desktop app calls
//! | what | function |
//! |---|---|
//! | run the plan (with progress) | [`plan::run_plan`], [`plan::run_plan_with`] |
//! | review grid, one line | [`review::recommendations`], [`review::line`], [`review::transfers`] |
//! | edits | [`review::override_qty`], [`review::decide`], [`review::approve_within_thresholds`], [`review::lock`], [`review::unlock`], [`review::undo`] |
//! | settings | [`settings::load_settings`], [`settings::save_settings`] |
//! | alerts | [`alerts::latest`], [`alerts::refresh`] |
//! | scenarios | [`scenario::create`], [`scenario::set_changes`], [`scenario::evaluate`], [`scenario::compare`], [`scenario::apply`], [`scenario::discard`], [`scenario::list`] |
//! | purchase orders | [`po::draft_from_plan`], [`po::list`], [`po::get`], [`po::set_status`], [`po::export_csv`], [`po::export_csv_many`], [`po::html_text`], [`po::receive`] |
//! | policy simulation (file mode) | [`sim::simulate`], [`sim::prepare`] |
//!
//! # Example
//! ```no_run
//! use chrono::NaiveDate;
//! use forestock_plan::{alerts, plan, po, review};
//!
//! let mut store = forestock_core::Store::open(std::path::Path::new("merchant.db"))?;
//! let now = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(6, 0, 0).unwrap();
//! // Plan on the merchant's as-of date.
//! let summary = plan::run_plan(&mut store, &plan::PlanRequest { today: None, now })?;
//! println!("{} lines, {} to order, {} alerts", summary.lines, summary.lines_to_order, summary.alerts.kept);
//!
//! // Most urgent exceptions first.
//! if let Some(list) = alerts::latest(&store)? {
//!     for a in list.alerts.iter().take(5) {
//!         println!("{:?} {}: {}", a.alert.severity, a.alert.title, a.alert.action);
//!     }
//! }
//!
//! // Approve what is within the review thresholds, draft the POs, export one.
//! review::approve_within_thresholds(&mut store, "planner", now)?;
//! for order in po::draft_from_plan(&mut store, "planner", now)? {
//!     let order = po::set_status(&mut store, order.id, po::PoStatus::Approved, "", "planner", now)?;
//!     po::export_csv(&mut store, order.id, std::path::Path::new(&format!("{}.csv", order.number)), "planner", now)?;
//! }
//! # Ok::<(), forestock_plan::Error>(())
//! ```
pub mod alerts;
pub mod bulk;
pub mod calibration;
mod error;
pub mod exceptions;
pub mod forecast_overrides;
pub mod lead_times;
pub mod line;
pub mod material;
pub mod money;
pub mod plan;
pub mod po;
pub mod po_csv;
mod po_status;
pub mod policy;
pub mod review;
pub mod scenario;
pub mod settings;
pub mod sim;
pub(crate) mod sql;
pub mod transfers;

pub use error::{Error, Result};
