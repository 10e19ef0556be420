//! `forestock backtest`: rolling-origin accuracy of every model and of the selected forecast.

use super::common::Format;
use anyhow::Context;
use forestock_forecast::backtest::{backtest, BacktestReport};
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
    /// Season length (default: 7 daily, 52 weekly, 12 monthly).
    #[arg(long)]
    pub season: Option<usize>,
    /// Origins of the inner backtest that selects each series' model.
    #[arg(long, default_value_t = 3)]
    pub selection_origins: usize,
    /// Only these candidates (comma separated, e.g. `ets,tsb,wa_s`).
    #[arg(long, value_delimiter = ',')]
    pub models: Option<Vec<String>>,
    /// Do not infer stockouts from long zero runs.
    #[arg(long)]
    pub no_stockout_detection: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn config_from(
    horizon: usize,
    season: Option<usize>,
    selection_origins: usize,
    models: Option<Vec<String>>,
    no_stockout_detection: bool,
) -> anyhow::Result<ForecastConfig> {
    let candidates = match models {
        None => None,
        Some(names) => {
            let mut out = Vec::new();
            for n in names {
                let c = Candidate::parse(n.trim()).ok_or_else(|| {
                    crate::exit::usage(format!(
                        "unknown model `{n}` (known: snaive, wa, ses, ets, theta, croston_sba, \
                         tsb, adida, imapa, and `_s` seasonal variants of the flat ones)"
                    ))
                })?;
                out.push(c);
            }
            Some(out)
        }
    };
    let cfg = ForecastConfig {
        horizon,
        season,
        selection_origins,
        candidates,
        detect_stockouts: !no_stockout_detection,
        ..ForecastConfig::default()
    };
    cfg.validate()?;
    Ok(cfg)
}

/// Run `f` on `jobs` worker threads (default: all cores).
pub fn with_jobs<R: Send>(jobs: Option<usize>, f: impl FnOnce() -> R + Send) -> anyhow::Result<R> {
    if jobs == Some(0) {
        return Err(crate::exit::usage("--jobs must be at least 1"));
    }
    forestock_forecast::with_threads(jobs, f).context("starting worker threads")
}

pub fn progress_bar(len: u64, what: &str) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {pos}/{len} series ({elapsed}, eta {eta})",
    ) {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(what.to_string());
    pb
}

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.origins == 0 {
        return Err(crate::exit::usage("--origins must be at least 1"));
    }
    let cfg = config_from(
        args.horizon,
        args.season,
        args.selection_origins,
        args.models,
        args.no_stockout_detection,
    )?;
    let started = Instant::now();
    let history = super::common::read_history_input(&args.input)?;
    let loaded = started.elapsed().as_secs_f64();
    for issue in &history.issues {
        eprintln!("warning: {}: {}", issue.key, issue.message);
    }
    let pb = progress_bar((history.series.len() * args.origins) as u64, "backtest");
    let report = with_jobs(args.jobs, || {
        backtest(&history.series, &cfg, args.origins, &|d| {
            pb.set_position(d as u64)
        })
    })?
    .with_context(|| args.input.display().to_string())?;
    pb.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    match args.format {
        Format::Json => {
            let v = serde_json::json!({
                "input": args.input.display().to_string(),
                "load_seconds": loaded,
                "wall_seconds": seconds,
                "report": report,
            });
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Text => print_text(&report, &args.input, seconds),
    }
    Ok(())
}

fn print_text(r: &BacktestReport, input: &std::path::Path, seconds: f64) {
    println!(
        "backtest of {} series from {}: horizon {}, season {}, {} origins (mean over origins)",
        r.series,
        input.display(),
        r.horizon,
        r.season,
        r.origins
    );
    println!(
        "{:<14} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7} {:>6} {:>6}  MASE per origin",
        "model", "MASE", "RMSSE", "WAPE", "bias", "pinball", "cov80", "<p10", ">p90"
    );
    for m in &r.models {
        let per: Vec<String> = r
            .per_origin
            .iter()
            .filter_map(|o| o.iter().find(|x| x.model == m.model))
            .map(|x| format!("{:.3}", x.mase))
            .collect();
        println!(
            "{:<14} {:>7.3} {:>7.3} {:>7.3} {:>+7.3} {:>8.4} {:>6.1}% {:>5.1}% {:>5.1}%  [{}]",
            m.model,
            m.mase,
            m.rmsse,
            m.wape,
            m.bias,
            m.pinball,
            100.0 * m.coverage80,
            100.0 * m.below_p10,
            100.0 * m.above_p90,
            per.join(" ")
        );
    }
    println!("cycle service level of the selected forecast (order up to the quantile of total demand over the first W periods):");
    for w in r
        .service
        .iter()
        .map(|s| s.window)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let cells: Vec<String> = r
            .service
            .iter()
            .filter(|s| s.window == w)
            .map(|s| format!("{:.0}%→{:.1}%", 100.0 * s.target, 100.0 * s.achieved))
            .collect();
        println!("  W={w:<3} {}", cells.join("  "));
    }
    let mut sel: Vec<(&String, &usize)> = r.selected_models.iter().collect();
    sel.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = sel
        .iter()
        .take(8)
        .map(|(m, c)| format!("{m} {c}"))
        .collect();
    println!("most selected: {}", top.join(", "));
    if !r.issues.is_empty() {
        println!(
            "{} series could not be forecast (see warnings)",
            r.issues.len()
        );
    }
    println!("wall time {seconds:.2} s");
}
