//! `forestock policy-sim`: replay the recommended policy over the held-out end of a history file
//! and compare it with the spreadsheet rule "order up to N days of recent average sales".

use super::common::{show, Db, Format};
use forestock_plan::sim::{prepare, sweep_text, sweep_windows_with, SimOptions};
use forestock_plan::sim::{SWEEP_COVERS, SWEEP_LEVELS};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// History CSV (sku,location,date,units[,on_hand,price,promo]).
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub sim: SimOptions,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: Args, _: &Db) -> anyhow::Result<()> {
    let cfg = args.sim.config()?;
    let started = Instant::now();
    let loaded = forestock_forecast::io::read_history_file(&args.input)?;
    if args.sim.windows > 1 {
        let sweep = args.sim.windows_sweep();
        let report = forestock_forecast::run_on(args.jobs, || {
            sweep_windows_with(&loaded.series, &cfg, &sweep)
        })??;
        let secs = started.elapsed().as_secs_f64();
        show(args.format, &report, || report.text(cfg.holdout))?;
        if args.format == Format::Text {
            eprintln!("{secs:.1} s");
        }
        return Ok(());
    }
    let prepared = forestock_forecast::run_on(args.jobs, || prepare(&loaded.series, &cfg))??;
    let secs = started.elapsed().as_secs_f64();
    if args.sim.sweep {
        let points = prepared.sweep(&SWEEP_LEVELS, &SWEEP_COVERS)?;
        show(args.format, &points, || sweep_text(&points))?;
        if args.format == Format::Text {
            eprintln!("{} series, {secs:.1} s", prepared.series_count());
        }
        return Ok(());
    }
    let report = prepared.report()?;
    show(args.format, &report.json(&cfg, secs), || {
        report.text(&cfg, secs)
    })
}
