//! `forestock policy-sim`: replay the recommended policy over the held-out end of a history file
//! and compare it with the spreadsheet rule "order up to N days of recent average sales".

use super::common::Format;
use forestock_forecast::ForecastConfig;
use forestock_plan::sim::{prepare, sweep_windows, SimConfig, SimMetrics, WindowsReport};
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
    /// file, and report each metric's mean and spread across them (and, with `--sweep`,
    /// whether some service level beats each cover rule by more than that spread).
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

pub fn run(args: Args) -> anyhow::Result<()> {
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
    let levels = [
        0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
    ];
    let covers = [7.0, 14.0, 21.0, 30.0, 45.0, 60.0];
    if args.windows > 1 {
        let (level, cover) = ([cfg.service_level], [cfg.baseline_cover]);
        let (levels, covers, compare): (&[f64], &[f64], &[f64]) = if args.sweep {
            (&levels, &covers, &[14.0, 21.0, 30.0, 45.0])
        } else {
            (&level, &cover, &cover)
        };
        let report = super::backtest::with_jobs(args.jobs, || {
            sweep_windows(&loaded.series, &cfg, args.windows, levels, covers, compare)
        })??;
        let secs = started.elapsed().as_secs_f64();
        if args.format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print_windows(&report, cfg.holdout);
            eprintln!("{secs:.1} s");
        }
        return Ok(());
    }
    let prepared = super::backtest::with_jobs(args.jobs, || prepare(&loaded.series, &cfg))??;
    let secs = started.elapsed().as_secs_f64();
    if args.sweep {
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

fn print_windows(r: &WindowsReport, holdout: usize) {
    println!(
        "{} windows of {holdout} days ending at the end of the data (series per window: {}); \
         mean ± spread (sd) across windows",
        r.windows,
        r.series
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "{:<9} {:>6} {:>15} {:>13} {:>15} {:>15} {:>9}",
        "policy", "param", "fill", "so_days", "on_hand", "CSL", "cover"
    );
    for p in &r.points {
        let (m, s) = (&p.mean, &p.sd);
        println!(
            "{:<9} {:>6} {:>15} {:>13} {:>15} {:>15} {:>9.1}",
            p.policy,
            p.param,
            format!("{:.4}±{:.4}", m.fill_rate, s.fill_rate),
            format!("{:.2}±{:.2}", m.stockout_days, s.stockout_days),
            format!("{:.2}±{:.2}", m.avg_on_hand_units, s.avg_on_hand_units),
            format!("{:.4}±{:.4}", m.cycle_service_level, s.cycle_service_level),
            m.cover_days
        );
    }
    for c in &r.rules {
        println!(
            "cover {} d: {} {}: {:.2}±{:.2} fewer stockout days per series ({} of the rule's) \
             and {:.2}±{:.2} fewer units on hand ({} of the rule's stock)",
            c.cover_days,
            if c.best_level.is_some() {
                "beaten by more than the spread at level"
            } else {
                "not beaten by more than the spread; closest level"
            },
            c.level,
            c.fewer_stockout_days,
            c.fewer_stockout_days_sd,
            percent(c.stockout_days_ratio),
            c.less_on_hand_units,
            c.less_on_hand_units_sd,
            percent(c.on_hand_ratio)
        );
    }
}

/// A share as a percentage; the rule had none of it when it is not a number.
fn percent(x: f64) -> String {
    if x.is_finite() {
        format!("{:.0}%", x * 100.0)
    } else {
        "n/a: the rule has none".into()
    }
}
