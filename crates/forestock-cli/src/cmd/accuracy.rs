//! `forestock accuracy`: the stored forecast runs against what then sold, grouped by SKU×location,
//! category, supplier or location (the same report as the app's Accuracy screen).

use crate::cmd::common::{open_db, DbArg, Format};
use forestock_api::accuracy::{self as api, AccuracyBy, AccuracyRow};

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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

fn line(r: &AccuracyRow) -> String {
    format!(
        "{:<34} {:>6} {:>7} {:>10.0} {:>10.0} {:>8} {:>8} {:>6} {:>8}",
        r.key,
        r.series,
        r.days,
        r.actual,
        r.forecast,
        pct(r.wape),
        r.bias
            .map_or_else(|| "—".into(), |v| format!("{:+.1}%", v * 100.0)),
        r.mase.map_or_else(|| "—".into(), |v| format!("{v:.2}")),
        pct(r.coverage),
    )
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
    if args.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    if report.runs.is_empty() {
        println!(
            "no forecast runs yet: `forestock forecast --db {} --as-of YYYY-MM-DD` forecasts \
             from an earlier day, so what sold since can be compared",
            args.db.db.display()
        );
        return Ok(());
    }
    for r in &report.runs {
        println!(
            "run {} of {}: history to {}, {} forecast days compared with sales",
            r.id,
            r.started_at,
            r.as_of.as_deref().unwrap_or("-"),
            r.days
        );
    }
    println!(
        "sales known to {}\n",
        report.actuals_to.as_deref().unwrap_or("-")
    );
    println!(
        "{:<34} {:>6} {:>7} {:>10} {:>10} {:>8} {:>8} {:>6} {:>8}",
        report.by.as_str(),
        "series",
        "days",
        "actual",
        "forecast",
        "WAPE",
        "bias",
        "MASE",
        "p10-p90"
    );
    for r in &report.rows {
        println!("{}", line(r));
    }
    println!("{}", line(&report.total));
    println!("\n{}", report.method);
    Ok(())
}
