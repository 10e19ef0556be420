//! `forestock backtest`: rolling-origin accuracy of every model and of the selected forecast.

use super::common::{show, Db, Format};
use anyhow::Context;
use forestock_forecast::backtest::backtest;
use forestock_forecast::{Candidate, ForecastConfig};
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
    pub engine: Engine,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

/// The engine options the file-mode verbs share.
#[derive(clap::Args)]
pub struct Engine {
    /// Season length (default: 7 daily, 52 weekly, 12 monthly).
    #[arg(long)]
    pub season: Option<usize>,
    /// Only these candidates (comma separated, e.g. `ets,tsb,wa_s`).
    #[arg(long, value_delimiter = ',')]
    pub models: Option<Vec<String>>,
    /// Do not infer stockouts from long zero runs.
    #[arg(long)]
    pub no_stockout_detection: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

impl Engine {
    /// The forecast configuration for `horizon`, each series' model selected by a backtest
    /// over `selection_origins` origins.
    pub fn config(
        &self,
        horizon: usize,
        selection_origins: usize,
    ) -> anyhow::Result<ForecastConfig> {
        let cfg = ForecastConfig {
            horizon,
            season: self.season,
            selection_origins,
            candidates: self
                .models
                .as_deref()
                .map(Candidate::parse_list)
                .transpose()?,
            detect_stockouts: !self.no_stockout_detection,
            ..ForecastConfig::default()
        };
        cfg.validate()?;
        Ok(cfg)
    }
}

/// Run `f` on `jobs` worker threads (default: all cores).
pub fn with_jobs<R: Send>(jobs: Option<usize>, f: impl FnOnce() -> R + Send) -> anyhow::Result<R> {
    if jobs == Some(0) {
        return Err(crate::exit::usage("--jobs must be at least 1"));
    }
    forestock_forecast::with_threads(jobs, f).context("starting worker threads")
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
    let history = super::common::read_history_input(&args.input)?;
    let loaded = started.elapsed().as_secs_f64();
    for issue in &history.issues {
        eprintln!("warning: {}: {}", issue.key, issue.message);
    }
    let pb = progress_bar((history.series.len() * args.origins) as u64, "backtest");
    let report = with_jobs(args.engine.jobs, || {
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
