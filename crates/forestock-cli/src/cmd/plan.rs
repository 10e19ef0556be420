//! `forestock plan`: compute recommendations for every active SKU×location of the merchant,
//! store them as a plan run with its alerts, and print a summary.

use crate::cmd::common::{bar, show, stamp, Db, Format, FormatArg, Step};
use chrono::NaiveDate;
use forestock_api::plan::PlanProgress;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let mut store = db.open()?;
    let quiet = args.quiet || args.format.format == Format::Json;
    let bar = bar(quiet, "{msg:12} [{bar:40}] {pos}/{len} {elapsed}");
    let (_, basis) = forestock_api::plan::planning_basis(&store.read(), args.today)?;
    let started = Instant::now();
    let stage = std::sync::Mutex::new(("", Instant::now()));
    // A new stage: the bar says so, and with --timings the last one's time is printed.
    let mark = |name: &'static str| {
        if let Ok(mut s) = stage.lock() {
            if name != s.0 {
                if args.timings && !s.0.is_empty() {
                    eprintln!("{:<12} {:>7.2} s", s.0, s.1.elapsed().as_secs_f64());
                }
                *s = (name, Instant::now());
            }
        }
        bar.set_message(name);
    };
    let summary = forestock_api::plan::plan(&mut store, &stamp(), args.today, &|p| match p {
        PlanProgress::Reading => mark("reading"),
        PlanProgress::Forecasting { done, total } => {
            mark("forecasting");
            bar.step("forecasting", done, total);
        }
        PlanProgress::Computing => mark("computing"),
        PlanProgress::Writing => mark("saving"),
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
