//! `forestock policy-sim`: replay the recommended policy over the held-out end of a history file
//! and compare it with the spreadsheet rule "order up to N days of recent average sales".

use super::common::Format;
use forestock_forecast::ForecastConfig;
use forestock_plan::sim::{prepare, SimConfig, SimMetrics};
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

pub fn run(args: Args) -> anyhow::Result<()> {
    let cfg = SimConfig {
        lead_time: days("lead-time", args.lead_time)?,
        review: days("review", args.review)?,
        service_level: args.service_level,
        holdout: days("holdout", args.holdout)?,
        baseline_cover: args.baseline_cover,
        baseline_window: 28,
        forecast: ForecastConfig {
            selection_origins: args.selection_origins,
            ..ForecastConfig::default()
        },
    };
    cfg.validate()?;
    let started = Instant::now();
    let loaded = super::common::read_history_input(&args.input)?;
    let prepared = super::backtest::with_jobs(args.jobs, || prepare(&loaded.series, &cfg))??;
    let secs = started.elapsed().as_secs_f64();
    if args.sweep {
        let levels = [
            0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
        ];
        let covers = [7.0, 14.0, 21.0, 30.0, 45.0, 60.0];
        let points = prepared.sweep(&levels, &covers)?;
        if args.format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&points)?);
            return Ok(());
        }
        println!(
            "{:<9} {:>6} {:>9} {:>9} {:>9} {:>10} {:>8} {:>7}",
            "policy", "param", "fill", "so_days", "on_hand", "value", "CSL", "cover"
        );
        for p in &points {
            print_row(&p.policy, p.param, &p.metrics);
        }
        eprintln!("{} series, {secs:.1} s", prepared.series_count());
        return Ok(());
    }
    let report = prepared.report()?;
    if args.format == Format::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "policy": report.policy,
                "baseline": report.baseline,
                "series": report.series,
                "skipped": report.skipped,
                "fallbacks": report.fallbacks,
                "config": {"lead_time": cfg.lead_time, "review": cfg.review,
                           "service_level": cfg.service_level, "holdout": cfg.holdout,
                           "baseline_cover": cfg.baseline_cover},
                "seconds": secs,
            }))?
        );
        return Ok(());
    }
    println!(
        "{} series, last {} days replayed, lead time {} d, review {} d ({secs:.1} s)",
        report.series, cfg.holdout, cfg.lead_time, cfg.review
    );
    println!(
        "{:<26} {:>14} {:>14}",
        "",
        format!("policy {:.1}%", cfg.service_level * 100.0),
        format!("cover {} d", cfg.baseline_cover)
    );
    let rows: [(&str, f64, f64, usize); 6] = [
        (
            "fill rate",
            report.policy.fill_rate,
            report.baseline.fill_rate,
            4,
        ),
        (
            "stockout days / series",
            report.policy.stockout_days,
            report.baseline.stockout_days,
            2,
        ),
        (
            "avg on hand (units)",
            report.policy.avg_on_hand_units,
            report.baseline.avg_on_hand_units,
            2,
        ),
        (
            "avg on hand (value)",
            report.policy.avg_on_hand_value,
            report.baseline.avg_on_hand_value,
            2,
        ),
        (
            "cycle service achieved",
            report.policy.cycle_service_level,
            report.baseline.cycle_service_level,
            4,
        ),
        (
            "cover (days)",
            report.policy.cover_days,
            report.baseline.cover_days,
            1,
        ),
    ];
    for (name, a, b, prec) in rows {
        println!("{name:<26} {a:>14.prec$} {b:>14.prec$}");
    }
    if report.skipped > 0 || report.fallbacks > 0 {
        println!(
            "{} series skipped (too short); {} reviews used a 28-day average fallback",
            report.skipped, report.fallbacks
        );
    }
    Ok(())
}

fn print_row(policy: &str, param: f64, m: &SimMetrics) {
    println!(
        "{:<9} {:>6} {:>9.4} {:>9.2} {:>9.2} {:>10.2} {:>8.4} {:>7.1}",
        policy,
        param,
        m.fill_rate,
        m.stockout_days,
        m.avg_on_hand_units,
        m.avg_on_hand_value,
        m.cycle_service_level,
        m.cover_days
    )
}
