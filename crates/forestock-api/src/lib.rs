//! The use-case layer: every workflow a user can start is one function here, taking the
//! database, an [`AuditStamp`] (who and when, in UTC) and typed inputs, and returning typed
//! outputs. Its rules and its audit entry live here once; the CLI verbs and the desktop
//! shell's commands are thin adapters over it (argument parsing, printing, dialogs, events).
//!
//! | module | workflows |
//! |---|---|
//! | [`demo`] | create the demo merchant |
//! | [`merchants`] | set up a new merchant's database, open one, the recent-merchants list |
//! | [`opening`] | opening a merchant in the app: its summary for the header and Overview, the demo made on first use with its progress |
//! | [`folders`] | where the app starts: the merchant database named or last opened, the demo's file, the export folder |
//! | [`setup`] | the new merchant's checklist: connect, sync, suppliers, first plan |
//! | [`stores`] | connect a store; per-store settings: where unplaced demand goes |
//! | [`sync`] | sync the connected stores; "Sync & run" (sync, then plan) |
//! | [`plan`] | plan every SKU×location on the planning date |
//! | [`review`] | override, approve, reject, lock, undo plan lines; approve all within thresholds (summary first); the planning settings |
//! | [`exceptions`] | the ranked alerts, filtered; approve the line, snooze, dismiss |
//! | [`transfers`] | proposed transfers: approve, reject, export a CSV per pair of locations |
//! | [`po`] | purchase orders: draft, edit lines, approve, cancel, export CSV, receive (dated, partial); the supplier on-time / lead-time report |
//! | [`push`] | push approved purchase orders to NetSuite |
//! | [`writeback`] | the forecast per SKU written back to Shopify / BigCommerce: preview, approve (audited, content hash), push (idempotent) |
//! | [`scenario`] | what-if scenarios with several changes: create, change, compare side by side, apply, discard |
//! | [`kpis`] | the KPI dashboard: inventory value, turns, cover, stockouts and lost sales, excess and dead stock, service level per week; each figure's lines |
//! | [`audit`], [`chart`] | the audit log's and a chart's export |
//! | [`import`], [`export`] | bring your own history, stock and promotion files; typed exports |
//! | [`views`] | the planner grid and a SKU's detail |
//! | [`nightly`] | the nightly job (sync, forecast, plan, alerts under the run lock), its summary and notifications, installing it as a user timer |
//! | [`promotions`] | the promotion calendar: add, edit, delete planned promotions |
//! | [`rates`] | exchange rates the planner enters for suppliers' currencies: list, set, delete (audited) |
//! | [`grid`] | the planner grid one window at a time: search, filters, sort, grouping, counts, the Overview's totals |
//! | [`text`] | the reports' plain-text form, as the CLI prints them |
//! | [`accuracy`] | forecast against actual over the last stored forecast runs: WAPE, bias, MASE, p10–p90 coverage |
//!
//! Built with the feature `ts`, the view and event types derive `ts_rs::TS` for the app's
//! TypeScript bindings.

pub mod accuracy;
pub mod audit;
#[cfg(feature = "ts")]
pub mod bindings;
pub mod chart;
pub mod demo;
pub mod error;
pub mod exceptions;
pub mod export;
pub mod folders;
pub mod grid;
pub mod import;
pub mod kpis;
pub mod merchants;
pub mod nightly;
pub mod opening;
pub mod overrides;
pub mod plan;
pub mod po;
pub mod promotions;
pub mod push;
pub mod rates;
pub mod review;
pub mod scenario;
pub mod setup;
pub mod stores;
pub mod suppliers;
pub mod sync;
pub mod text;
pub mod transfers;
pub mod views;
pub mod writeback;

pub use error::{Error, Result};
pub use forestock_core::AuditStamp;
