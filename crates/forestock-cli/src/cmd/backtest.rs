//! `forestock backtest`: rolling-origin accuracy of every model and of the selected forecast.

use super::common::{show, Db, Format};
use anyhow::Context;
use forestock_forecast::backtest::backtest;
use forestock_forecast::EngineOptions;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// History CSV (sku,location,date,units[,on_hand,price,promo]).
    #[arg(long)]
    pub input: PathBuf,
    /// Periods per origin (the planning horizon).
    #[arg(long, default_value_t = 28)]
    pub horizon: usize,
    /// Rolling origins, each one horizon apart, ending at the last period.
    #[arg(long, default_value_t = 3)]
    pub origins: usize,
    /// Origins of the inner backtest that selects each series' model.
    #[arg(long, default_value_t = 3)]
    pub selection_origins: usize,
    #[command(flatten)]
    pub engine: EngineOptions,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn progress_bar(len: u64, what: &'static str) -> indicatif::ProgressBar {
    let pb = super::common::bar(
        false,
        "{msg} [{bar:30}] {pos}/{len} series ({elapsed}, eta {eta})",
    );
    pb.set_length(len);
    pb.set_message(what);
    pb
}

pub fn run(args: Args, _: &Db) -> anyhow::Result<()> {
    if args.origins == 0 {
        return Err(crate::exit::usage("--origins must be at least 1"));
    }
    let cfg = args.engine.config(args.horizon, args.selection_origins)?;
    let started = Instant::now();
    let history = forestock_forecast::io::read_history_file(&args.input)?;
    let loaded = started.elapsed().as_secs_f64();
    for issue in &history.issues {
        eprintln!("warning: {}: {}", issue.key, issue.message);
    }
    let pb = progress_bar((history.series.len() * args.origins) as u64, "backtest");
    let report = args
        .engine
        .run(|| {
            backtest(&history.series, &cfg, args.origins, &|d| {
                pb.set_position(d as u64)
            })
        })?
        .with_context(|| args.input.display().to_string())?;
    pb.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let v = serde_json::json!({
        "input": args.input.display().to_string(),
        "load_seconds": loaded,
        "wall_seconds": seconds,
        "report": report,
    });
    show(args.format, &v, || report.text(&args.input, seconds))
}
