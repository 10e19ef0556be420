//! Tauri commands: parse the request, call the library on a blocking thread, map the error.

pub mod audit;
pub mod orders;
pub mod scenarios;
pub mod merchant;
pub mod planner;
pub mod run;
pub mod suppliers;
