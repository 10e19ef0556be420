//! `forestock demo`: create the demo merchant, a seeded shop with its history.

use crate::cmd::common::{bar, show, Db, FormatArg, Step};
use forestock_demo::{DemoConfig, Progress};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub config: DemoConfig,
    /// Replace the database file if it exists.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let cfg = args.config;
    cfg.validate()?;
    let path = db.path();
    if path.exists() && !args.force {
        return Err(crate::exit::usage(format!(
            "{} already exists (use --force to replace it)",
            path.display()
        )));
    }
    let started = Instant::now();
    let bar = bar(false, "{msg:12} [{bar:40}] {pos}/{len}");
    let summary = forestock_api::demo::create(path, &cfg, &mut |p| match p {
        Progress::Catalog => bar.set_message("catalogue"),
        Progress::Simulating { done, total } => bar.step("simulating", done, total),
        Progress::Writing { done, total } => bar.step("writing", done, total),
    })?;
    bar.finish_and_clear();
    let (s, secs) = (&summary, started.elapsed().as_secs_f64());
    let json = serde_json::json!({
        "db": path, "seed": cfg.seed, "skus": s.skus, "products": s.products,
        "locations": s.locations, "suppliers": s.suppliers, "orders": s.orders,
        "order_lines": s.order_lines, "inventory_rows": s.snapshots, "receipts": s.receipts,
        "promotions": s.promotions, "seconds": secs,
    });
    show(args.format.format, &json, || {
        format!(
            "Created the demo merchant in {} ({secs:.1} s): {} SKUs in {} products, {} \
             locations, {} suppliers, {} orders ({} lines), {} promotions, history to {}.\n",
            path.display(),
            s.skus,
            s.products,
            s.locations,
            s.suppliers,
            s.orders,
            s.order_lines,
            s.promotions,
            cfg.end_date
        )
    })
}
