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
    let secs = started.elapsed().as_secs_f64();
    let json = forestock_api::demo::summary_json(path, &cfg, &summary, secs);
    show(args.format.format, &json, || {
        forestock_api::demo::summary_text(path, &cfg, &summary, secs)
    })
}
