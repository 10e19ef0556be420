//! Forestock's planning engine: forecasts in, the numbers a merchant acts on out.

mod error;
pub mod line;
pub mod policy;
pub mod settings;
pub mod sim;

pub use error::{Error, Result};
