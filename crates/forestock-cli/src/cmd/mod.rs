//! One module per verb: each has `Args` (clap) and `run(Args) -> anyhow::Result<()>`.

pub mod accuracy;
pub mod alerts;
pub mod backtest;
pub mod common;
pub mod connect;
pub mod demo;
pub mod export;
pub mod export_history;
pub mod forecast;
pub mod import;
pub mod info;
pub mod plan;
pub mod po;
pub mod policy_sim;
pub mod push;
pub mod review;
pub mod scenario;
pub mod setup;
#[cfg(feature = "sim")]
pub mod sim;
pub mod suppliers;
pub mod sync;
pub mod transfers;
