//! `forestock forecast`: forecast a history CSV to a forecast CSV (file mode), or forecast the
//! merchant database and store a versioned run (`--db`).

use super::backtest::progress_bar;
use super::common::{output_file, Db, Step};
use forestock_core::guard_text;
use forestock_forecast::io::write_forecasts;
use forestock_forecast::{forecast_all, run_on, EngineOptions};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// History CSV (sku,location,date,units[,on_hand,price,promo]): file mode, no database.
    /// With --db instead: forecast every active SKU×location and store a versioned run.
    #[arg(long, conflicts_with = "db")]
    pub input: Option<PathBuf>,
    /// Forecast CSV to write in file mode (sku,location,date,mean,p10,p50,p90,model); `-` or
    /// nothing for standard output.
    #[arg(long, requires = "input")]
    pub output: Option<PathBuf>,
    /// Replace the forecast CSV if it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Periods to forecast.
    #[arg(long, default_value_t = 28)]
    pub horizon: usize,
    /// Origins of the backtest that selects each series' model.
    #[arg(long, default_value_t = 3)]
    pub origins: usize,
    #[command(flatten)]
    pub engine: EngineOptions,
    /// With --db: forecast from the history up to this day (YYYY-MM-DD, inclusive), as the
    /// merchant stood then; `forestock accuracy` compares such a run with the days that followed.
    #[arg(long, requires = "db")]
    pub as_of: Option<chrono::NaiveDate>,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let cfg = args.engine.config(args.horizon, args.origins)?;
    match (&args.input, &db.0) {
        (Some(input), _) => {
            let output = args
                .output
                .as_deref()
                .and_then(|p| output_file(p, args.force));
            run_file(input, output.as_ref(), &cfg, args.engine.jobs)
        }
        (None, Some(_)) => run_db(db, &cfg, args.as_of, args.engine.jobs),
        (None, None) => Err(crate::exit::usage(
            "give --input HISTORY.csv (file mode) or --db PATH (forecast the merchant)",
        )),
    }
}

fn run_file(
    input: &std::path::Path,
    output: Option<&forestock_core::OutputFile>,
    cfg: &forestock_forecast::ForecastConfig,
    jobs: Option<usize>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    // refuse a bad --output (exists without --force, the input itself) before any work
    if let Some(out) = output {
        out.check(&[input])?;
    }
    let history = forestock_forecast::io::read_history_file(input)?;
    for issue in &history.issues {
        eprintln!("warning: {}: {}", issue.key, issue.message);
    }
    let pb = progress_bar(history.series.len() as u64, "forecast");
    let results = run_on(jobs, || {
        forecast_all(&history.series, cfg, &|d| pb.set_position(d as u64))
    })?;
    pb.finish_and_clear();
    let mut forecasts = Vec::with_capacity(results.len());
    let mut failed = 0;
    for r in results {
        match r {
            Ok(f) => forecasts.push(f),
            Err(issue) => {
                failed += 1;
                eprintln!("warning: {}: not forecast: {}", issue.key, issue.message);
            }
        }
    }
    if forecasts.is_empty() {
        return Err(crate::exit::usage(format!(
            "{}: none of its {} series could be forecast (see the warnings above); nothing written",
            input.display(),
            failed
        )));
    }
    match output {
        Some(out) => out.write(&[input], |w| {
            write_forecasts(w, &forecasts, guard_text).map_err(anyhow::Error::from)
        })?,
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            write_forecasts(&mut w, &forecasts, guard_text)?;
            w.flush()?;
        }
    }
    eprintln!(
        "forecast {} series ({} not forecast), horizon {}, in {:.2} s",
        forecasts.len(),
        failed,
        cfg.horizon,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn run_db(
    db: &Db,
    cfg: &forestock_forecast::ForecastConfig,
    as_of: Option<chrono::NaiveDate>,
    jobs: Option<usize>,
) -> anyhow::Result<()> {
    use forestock_demand::{forecast_merchant_as_of, Progress};
    let started = Instant::now();
    let mut store = db.open()?;
    let pb = progress_bar(0, "forecast");
    let now = chrono::Utc::now().naive_utc();
    // when each stage started (seconds since `started`): reading, forecasting, storing
    let stages = std::sync::Mutex::new([f64::NAN; 3]);
    let mark = |i: usize| {
        if let Ok(mut s) = stages.lock() {
            if s[i].is_nan() {
                s[i] = started.elapsed().as_secs_f64();
            }
        }
    };
    let summary = run_on(jobs, || {
        forecast_merchant_as_of(&mut store, cfg, as_of, now, &|p| match p {
            Progress::Reading => {
                mark(0);
                pb.set_message("reading history");
            }
            Progress::Forecasting { done, total } => {
                mark(1);
                pb.step("forecast", done, total);
            }
            Progress::Storing => {
                mark(2);
                pb.set_message("storing run");
            }
        })
    })??;
    pb.finish_and_clear();
    print!("{}", summary.text(cfg.horizon));
    let total = started.elapsed().as_secs_f64();
    let [read, fc, store_at] = stages.lock().map(|s| *s).unwrap_or([f64::NAN; 3]);
    println!(
        "done in {total:.2} s (open {read:.2} s, read history {:.2} s, forecast {:.2} s, \
         store run {:.2} s)",
        fc - read,
        store_at - fc,
        total - store_at
    );
    Ok(())
}
