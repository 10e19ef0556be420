use crate::cmd::common::{DbArg, Format};
use chrono::NaiveDate;
use forestock_demo::{DemoConfig, Progress};
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Random seed: the same seed gives the same shop.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Number of SKUs (1 to 100,000; benchmarks use 20,000).
    #[arg(long, default_value_t = 800)]
    pub skus: usize,
    /// Last day of history, the demo's "today" (YYYY-MM-DD).
    #[arg(long)]
    pub end_date: Option<NaiveDate>,
    /// Days of order history (default 730: 24 months).
    #[arg(long, default_value_t = 730)]
    pub days: u32,
    /// Replace the database file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Print the summary as JSON.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut cfg = DemoConfig {
        seed: args.seed,
        skus: args.skus,
        days: args.days,
        ..DemoConfig::default()
    };
    if let Some(d) = args.end_date {
        cfg.end_date = d;
    }
    cfg.validate()?;
    let path = &args.db.db;
    if path.exists() && !args.force {
        return Err(crate::exit::usage(format!(
            "{} already exists (use --force to replace it)",
            path.display()
        )));
    }
    let started = Instant::now();
    let bar = ProgressBar::new(100).with_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let summary = forestock_api::demo::create(path, &cfg, &mut |p| match p {
        Progress::Catalog => bar.set_message("catalogue"),
        Progress::Simulating { done, total } => {
            bar.set_message("simulating");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        Progress::Writing { done, total } => {
            bar.set_message("writing");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    })?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::json!({
                "db": path, "seed": cfg.seed, "skus": summary.skus, "products": summary.products,
                "locations": summary.locations, "suppliers": summary.suppliers,
                "orders": summary.orders, "order_lines": summary.order_lines,
                "inventory_rows": summary.snapshots, "receipts": summary.receipts,
                "promotions": summary.promotions, "seconds": secs,
            })
        ),
        Format::Text => println!(
            "Created the demo merchant in {} ({secs:.1} s): {} SKUs in {} products, {} locations, \
             {} suppliers, {} orders ({} lines), {} promotions, history to {}.",
            path.display(),
            summary.skus,
            summary.products,
            summary.locations,
            summary.suppliers,
            summary.orders,
            summary.order_lines,
            summary.promotions,
            cfg.end_date
        ),
    }
    Ok(())
}
