//! `forestock accuracy`: the stored forecast runs against what then sold, grouped by SKU×location,
//! category, supplier or location (the same report as the app's Accuracy screen).

use crate::cmd::common::{open_db, show, DbArg, FormatArg};
use forestock_api::accuracy::{self as api, AccuracyBy};
use forestock_api::text::PlainText;

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Sku,
    Category,
    Supplier,
    Location,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// How to group the series.
    #[arg(long, value_enum, default_value_t = By::Sku)]
    pub by: By,
    /// How many of the latest forecast runs to read.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let store = open_db(&args.db.db)?;
    let by = match args.by {
        By::Sku => AccuracyBy::Sku,
        By::Category => AccuracyBy::Category,
        By::Supplier => AccuracyBy::Supplier,
        By::Location => AccuracyBy::Location,
    };
    let report = api::accuracy(&store, by, args.runs)?;
    show(args.format.format, &report, || {
        if report.runs.is_empty() {
            format!(
                "no forecast runs yet: `forestock forecast --db {} --as-of YYYY-MM-DD` forecasts \
                 from an earlier day, so what sold since can be compared\n",
                args.db.db.display()
            )
        } else {
            report.text()
        }
    })
}
