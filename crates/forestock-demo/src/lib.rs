//! The demo merchant: a deterministic, seeded generator of a believable small online shop.
//!
//! Same seed, same SKU count and same end date give a byte-identical database content. The
//! shop has several categories and price bands, two warehouses and a retail store, 6–10
//! suppliers with different lead times, MOQs and case packs, 24 months of daily orders with
//! trend, weekly and yearly seasonality (a Q4 peak), promotions with lift, a long tail of
//! intermittent SKUs, real stockouts (inventory at zero, sales lost), SKUs launched in the last
//! 60 days and SKUs being discontinued. Inventory is simulated day by day from a plausible
//! (imperfect) reorder routine, so snapshots agree with orders and supplier receipts.
//!
//! ```no_run
//! let mut store = forestock_core::Store::in_memory()?;
//! let summary = forestock_demo::generate(&mut store, &forestock_demo::DemoConfig::default(), &mut |_| {})?;
//! assert!(summary.skus > 700);
//! # Ok::<(), forestock_demo::Error>(())
//! ```

mod catalog;
mod orders;
mod simulate;

use chrono::NaiveDate;
use forestock_core::Store;

pub use simulate::SeriesPlan;

/// The demo's default "today": data is complete up to this date. Fixed so that the demo is
/// reproducible; pass another `end_date` to move it.
pub const DEFAULT_END_DATE: (i32, u32, u32) = (2026, 11, 25);

#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct DemoConfig {
    /// Random seed: the same seed gives the same shop.
    #[cfg_attr(feature = "clap", arg(long, default_value_t = DemoConfig::default().seed))]
    pub seed: u64,
    /// Number of SKUs (1 to 100,000; benchmarks use 20,000).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = DemoConfig::default().skus))]
    pub skus: usize,
    /// Last day of history, the demo's "today" (YYYY-MM-DD).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = DemoConfig::default().end_date))]
    pub end_date: NaiveDate,
    /// Days of order history (730: 24 months).
    #[cfg_attr(feature = "clap", arg(long, default_value_t = DemoConfig::default().days))]
    pub days: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        let (y, m, d) = DEFAULT_END_DATE;
        DemoConfig {
            seed: 42,
            skus: 800,
            end_date: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
            days: 730,
        }
    }
}

/// The most SKUs the generator accepts (benchmarks use 20,000).
pub const MAX_SKUS: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid demo settings: {0}")]
    Config(String),
    #[error(transparent)]
    Store(#[from] forestock_core::Error),
}

impl forestock_core::Classify for Error {
    fn kind(&self) -> forestock_core::ErrorKind {
        match self {
            Error::Config(_) => forestock_core::ErrorKind::BadInput,
            Error::Store(e) => e.kind(),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub skus: usize,
    pub products: usize,
    pub locations: usize,
    pub suppliers: usize,
    pub orders: usize,
    pub order_lines: usize,
    pub snapshots: usize,
    pub receipts: usize,
    pub promotions: usize,
}

/// A stage of generation, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Catalog,
    Simulating { done: usize, total: usize },
    Writing { done: usize, total: usize },
}

impl DemoConfig {
    pub fn validate(&self) -> Result<(), Error> {
        if self.skus == 0 {
            return Err(Error::Config("--skus must be at least 1".into()));
        }
        if self.skus > MAX_SKUS {
            return Err(Error::Config(format!(
                "--skus {} is more than the {MAX_SKUS} supported",
                self.skus
            )));
        }
        if !(90..=3650).contains(&self.days) {
            return Err(Error::Config(format!(
                "history of {} days: use 90 to 3650",
                self.days
            )));
        }
        Ok(())
    }
}

/// Fill an empty merchant database with the demo merchant, in one transaction.
pub fn generate(
    store: &mut Store,
    cfg: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<DemoSummary, Error> {
    cfg.validate()?;
    if store.read().merchant()?.is_some() {
        return Err(Error::Config(
            "the database already holds a merchant".into(),
        ));
    }
    progress(Progress::Catalog);
    let catalog = catalog::build(cfg);
    let sim = simulate::run(cfg, &catalog, progress);
    let w = store.write()?;
    let summary = orders::write_all(&w, cfg, &catalog, &sim, progress)?;
    w.commit()?;
    Ok(summary)
}
