//! `forestock policy-sim`: replay the recommended policy over the held-out end of a history file
//! and compare it with the spreadsheet rule "order up to N days of recent average sales".

use super::common::{show, Db, Format};
use forestock_forecast::ForecastConfig;
use forestock_plan::sim::{prepare, sweep_text, sweep_windows_with, SimConfig, WindowsSweep};
use forestock_plan::sim::{
    COMPARED_COVERS, SWEEP_BUDGETS, SWEEP_COVERS, SWEEP_FILL_RATES, SWEEP_LEVELS,
    SWEEP_STOCKOUT_WORTHS,
};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// History CSV (sku,location,date,units[,on_hand,price,promo]).
    #[arg(long)]
    pub input: PathBuf,
    /// Supplier lead time in days.
    #[arg(long, default_value_t = 7)]
    pub lead_time: i64,
    /// Review period in days (re-plan and order every R days).
    #[arg(long, default_value_t = 7)]
    pub review: i64,
    /// Target cycle service level, between 0 and 1.
    #[arg(long, default_value_t = 0.95)]
    pub service_level: f64,
    /// Days at the end of every series to replay.
    #[arg(long, default_value_t = 28)]
    pub holdout: i64,
    /// The rule's cover: order up to this many days of the last 28 days' average sales.
    #[arg(long, default_value_t = 30.0)]
    pub baseline_cover: f64,
    /// Print the whole curve over service levels and cover rules.
    #[arg(long)]
    pub sweep: bool,
    /// Replay this many consecutive windows of `--holdout` days, ending at the end of the
    /// file, and report each metric's mean and spread across them (and, with `--sweep`, over
    /// service levels, fill-rate targets, stockout-day worths and stock budgets, whether one
    /// of them beats each cover rule by more than that spread).
    #[arg(long, default_value_t = 1)]
    pub windows: usize,
    /// Stock every series for at least this expected fill rate (0 = off).
    #[arg(long, default_value_t = 0.0)]
    pub fill_rate_floor: f64,
    /// Origins of the backtest that selects each series' model at each review.
    #[arg(long, default_value_t = 3)]
    pub selection_origins: usize,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

fn days(name: &str, v: i64) -> anyhow::Result<usize> {
    if v <= 0 {
        return Err(crate::exit::usage(format!(
            "--{name} must be at least 1 day (got {v})"
        )));
    }
    usize::try_from(v).map_err(|_| crate::exit::usage(format!("--{name} is too large")))
}

pub fn run(args: Args, _: &Db) -> anyhow::Result<()> {
    let cfg = SimConfig {
        lead_time: days("lead-time", args.lead_time)?,
        review: days("review", args.review)?,
        service_level: args.service_level,
        holdout: days("holdout", args.holdout)?,
        baseline_cover: args.baseline_cover,
        baseline_window: 28,
        fill_rate_floor: args.fill_rate_floor,
        forecast: ForecastConfig {
            selection_origins: args.selection_origins,
            ..ForecastConfig::default()
        },
    };
    cfg.validate()?;
    if args.windows == 0 {
        return Err(crate::exit::usage("--windows must be at least 1"));
    }
    let started = Instant::now();
    let loaded = super::common::read_history_input(&args.input)?;
    if args.windows > 1 {
        let (level, cover) = ([cfg.service_level], [cfg.baseline_cover]);
        let sweep = if args.sweep {
            WindowsSweep {
                skip: 0,
                windows: args.windows,
                levels: &SWEEP_LEVELS,
                fill_rates: &SWEEP_FILL_RATES,
                stockout_worths: &SWEEP_STOCKOUT_WORTHS,
                budgets: &SWEEP_BUDGETS,
                covers: &SWEEP_COVERS,
                compare: &COMPARED_COVERS,
            }
        } else {
            WindowsSweep {
                skip: 0,
                windows: args.windows,
                levels: &level,
                fill_rates: &[],
                stockout_worths: &[],
                budgets: &[],
                covers: &cover,
                compare: &cover,
            }
        };
        let report = super::backtest::with_jobs(args.jobs, || {
            sweep_windows_with(&loaded.series, &cfg, &sweep)
        })??;
        let secs = started.elapsed().as_secs_f64();
        show(args.format, &report, || report.text(cfg.holdout))?;
        if args.format == Format::Text {
            eprintln!("{secs:.1} s");
        }
        return Ok(());
    }
    let prepared = super::backtest::with_jobs(args.jobs, || prepare(&loaded.series, &cfg))??;
    let secs = started.elapsed().as_secs_f64();
    if args.sweep {
        let points = prepared.sweep(&SWEEP_LEVELS, &SWEEP_COVERS)?;
        show(args.format, &points, || sweep_text(&points))?;
        if args.format == Format::Text {
            eprintln!("{} series, {secs:.1} s", prepared.series_count());
        }
        return Ok(());
    }
    let report = prepared.report()?;
    let v = serde_json::json!({
        "policy": report.policy,
        "baseline": report.baseline,
        "series": report.series,
        "skipped": report.skipped,
        "fallbacks": report.fallbacks,
        "config": {"lead_time": cfg.lead_time, "review": cfg.review,
                   "service_level": cfg.service_level, "holdout": cfg.holdout,
                   "baseline_cover": cfg.baseline_cover},
        "seconds": secs,
    });
    show(args.format, &v, || report.text(&cfg, secs))
}
