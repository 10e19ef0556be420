//! `forestock accuracy`: the stored forecast runs against what then sold, grouped by SKU×location,
//! category, supplier or location (the same report as the app's Accuracy screen).

use crate::cmd::common::{show, Db, FormatArg};
use forestock_api::accuracy::{self as api, AccuracyBy};
use forestock_api::text::PlainText;

#[derive(clap::Args)]
pub struct Args {
    /// How to group the series.
    #[arg(long, value_enum, default_value_t = AccuracyBy::Sku)]
    pub by: AccuracyBy,
    /// How many of the latest forecast runs to read.
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let store = db.open()?;
    let report = api::accuracy(&store, args.by, args.runs)?;
    show(args.format.format, &report, || {
        if report.runs.is_empty() {
            format!(
                "no forecast runs yet: `forestock forecast --db {} --as-of YYYY-MM-DD` forecasts \
                 from an earlier day, so what sold since can be compared\n",
                db.path().display()
            )
        } else {
            report.text()
        }
    })
}
