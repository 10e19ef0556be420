//! Forestock's planning engine: forecasts in, the numbers a merchant acts on out.
pub mod alerts;
mod error;
pub mod line;
pub mod plan;
pub mod po;
pub mod policy;
pub mod review;
pub mod scenario;
pub mod settings;
pub mod sim;

pub use error::{Error, Result};
