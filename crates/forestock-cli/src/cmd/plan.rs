//! `forestock plan`: compute recommendations for every active SKU×location of the merchant,
//! store them as a plan run with its alerts, and print a summary.

use crate::cmd::common::{open_db, show, stamp, DbArg, Format, FormatArg};
use chrono::NaiveDate;
use forestock_api::plan::PlanProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Planning date (default: the merchant's as-of date, else today).
    #[arg(long)]
    pub today: Option<NaiveDate>,
    #[command(flatten)]
    pub format: FormatArg,
    /// No progress bar (it is drawn on stderr only when stderr is a terminal anyway).
    #[arg(long)]
    pub quiet: bool,
    /// Print how long each stage took (stderr), for benchmarks.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    let bar = if args.quiet || args.format.format == Format::Json {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let (_, basis) = forestock_api::plan::planning_basis(&store.read(), args.today)?;
    let started = Instant::now();
    let stage = std::sync::Mutex::new((String::new(), Instant::now()));
    let mark = |name: &str| {
        if let Ok(mut s) = stage.lock() {
            if args.timings && !s.0.is_empty() {
                eprintln!("{:<12} {:>7.2} s", s.0, s.1.elapsed().as_secs_f64());
            }
            *s = (name.to_string(), Instant::now());
        }
    };
    let summary = forestock_api::plan::plan(&mut store, &stamp(), args.today, &|p| match p {
        PlanProgress::Reading => {
            mark("reading");
            bar.set_message("reading");
        }
        PlanProgress::Forecasting { done, total } => {
            if done == 0 {
                mark("forecasting");
            }
            bar.set_message("forecasting");
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        PlanProgress::Computing => {
            mark("computing");
            bar.set_message("computing");
        }
        PlanProgress::Writing => {
            mark("saving");
            bar.set_message("saving");
        }
    })?;
    mark("");
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let mut v = serde_json::to_value(&summary)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("date_basis".into(), serde_json::to_value(basis)?);
        let secs = (secs * 100.0).round() / 100.0;
        o.insert("seconds".into(), serde_json::json!(secs));
    }
    show(args.format.format, &v, || {
        forestock_api::text::plan_summary(&summary, basis, secs)
    })
}
