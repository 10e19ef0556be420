//! The use cases on in-memory merchant databases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod setup;
mod suppliers;
mod kpis;
mod use_cases;
mod week;
