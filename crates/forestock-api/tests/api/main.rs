//! The use cases on in-memory merchant databases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod accuracy;
mod audit;
mod chart;
mod kpis;
mod retention;
mod setup;
mod suppliers;
mod use_cases;
mod week;
