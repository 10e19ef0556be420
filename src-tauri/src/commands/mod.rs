//! Tauri commands: parse the request, call the library on a blocking thread, map the error.

pub mod accuracy;
pub mod audit;
pub mod connect;
pub mod import;
pub mod kpis;
pub mod merchant;
pub mod nightly;
pub mod orders;
pub mod overrides;
pub mod planner;
pub mod promotions;
pub mod run;
pub mod scenarios;
pub mod settings;
pub mod suppliers;
pub mod week;
pub mod writeback;
