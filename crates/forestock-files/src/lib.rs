//! Bring your own data: a merchant's history files in, typed files out, with polars.
//!
//! Only the front doors (the CLI and the desktop app, through `forestock-api`) link this crate;
//! the forecasting and planning crates never pay for polars.
//!
//! Reading goes in three steps, each refusing bad input with the rows and values at fault:
//! 1. [`read_source`]: the bytes, their format (CSV with any delimiter and RFC 4180 quoting,
//!    Parquet, JSON lines), their encoding (UTF-8 with or without BOM, UTF-16 with BOM,
//!    Latin-1), the header, the SHA-256 that identifies the file;
//! 2. [`prepare_history`]: the mapping of columns to fields (guessed, then the user's choices),
//!    the date order (read from the data or given), every value checked;
//! 3. the daily aggregation to one row per SKU × location × day ([`HistoryFrame::daily`]).
//!
//! On-hand snapshot files ([`prepare_stock`]) and promotion calendars ([`prepare_promotions`])
//! go through the same first step and their own checks.
//!
//! ```no_run
//! use forestock_files::{prepare_history, read_source, HistoryOptions};
//! let src = read_source("sales.csv".as_ref())?;
//! let history = prepare_history(&src, &HistoryOptions::default())?;
//! println!("{} rows → {} daily rows", history.rows_read, history.daily.height());
//! # Ok::<(), forestock_files::Error>(())
//! ```

mod columns;
mod dates;
mod decode;
mod error;
pub mod export;
mod history;
mod mapping;
mod promotions;
mod source;
mod stock;

pub use dates::{parse_date, DateOrder};
pub use decode::TextEncoding;
pub use error::{Error, Result};
pub use history::{prepare_history, DailyRow, FileInfo, HistoryFrame, HistoryOptions, MonthTotal};
pub use mapping::{guess, Field, Mapping};
pub use promotions::{prepare_promotions, PromotionFrame, PromotionRow};
pub use source::{read_source, FileFormat, SourceFile};
pub use stock::{prepare_stock, StockFrame, StockRow};
