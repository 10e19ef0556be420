//! `forestock chart SKU LOCATION [--weekly]`: what the app's SKU chart shows, as text or JSON
//! (`forestock_api::chart::chart_model`, the read model the app draws): recent history with
//! stockout and promotion periods, the latest forecast with its p10–p90 band, past forecasts
//! against what sold, the on-hand projection with safety stock, reorder point and incoming
//! orders, the model, its backtest accuracy and the plan's rationale.

use crate::cmd::common::{show, Db, FormatArg};
use forestock_api::chart::{chart_model_by_code, Granularity};

#[derive(clap::Args)]
pub struct Args {
    /// The SKU code.
    pub sku: String,
    /// The location code.
    pub location: String,
    /// Sum history and forecast per ISO week instead of showing days.
    #[arg(long)]
    pub weekly: bool,
    /// Periods of history listed in text output (all of them in JSON).
    #[arg(long, default_value_t = 8)]
    pub periods: usize,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let store = db.open()?;
    let g = if args.weekly {
        Granularity::Weekly
    } else {
        Granularity::Daily
    };
    let m = chart_model_by_code(&store, &args.sku, &args.location, g)?;
    show(args.format.format, &m, || {
        forestock_api::text::chart(&m, g, args.periods)
    })
}
