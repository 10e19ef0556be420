//! `forestock plan`: compute recommendations for every active SKU×location of the merchant,
//! store them as a plan run with its alerts, and print a summary.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use chrono::NaiveDate;
use forestock_api::plan::{PlanProgress, PlanSummary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Planning date (default: the merchant's as-of date, else today).
    #[arg(long)]
    pub today: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No progress bar (it is drawn on stderr only when stderr is a terminal anyway).
    #[arg(long)]
    pub quiet: bool,
    /// Print how long each stage took (stderr), for benchmarks.
    #[arg(long)]
    pub timings: bool,
}

/// Write a block of output to stdout. A reader that went away (`forestock alerts | head`) ends
/// the command quietly, like every verb (`exit::report`).
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    let bar = if args.quiet || args.format == Format::Json {
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
    match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&summary)?;
            if let Some(o) = v.as_object_mut() {
                o.insert("date_basis".into(), serde_json::to_value(basis)?);
                o.insert(
                    "seconds".into(),
                    serde_json::json!((secs * 100.0).round() / 100.0),
                );
            }
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        Format::Text => print_text(&summary, basis, secs),
    }
    Ok(())
}

fn print_text(s: &PlanSummary, basis: forestock_api::plan::DateBasis, secs: f64) {
    println!(
        "Plan run        {} for {} ({})",
        s.run_id,
        s.today,
        basis.describe()
    );
    println!(
        "Lines           {} SKU×locations, {} to order{}",
        s.lines,
        s.lines_to_order,
        if s.forecast_failures > 0 {
            format!(" ({} could not be forecast)", s.forecast_failures)
        } else {
            String::new()
        }
    );
    if s.needs_supplier > 0 {
        println!(
            "Needs supplier  {} SKU×locations have demand but no supplier: nothing is ordered for \
             them (`forestock suppliers suggest`, `assign` or `import`)",
            s.needs_supplier
        );
    }
    println!("Transfers       {}", s.transfers);
    println!("Excess stock    {} at cost", amounts(&s.excess_value));
    println!("Order value     {}", amounts(&s.order_value));
    if let Some(c) = &s.order_value_converted {
        println!("                {}", c.note);
    }
    println!("Order value by supplier:");
    if s.by_supplier.is_empty() {
        println!("  (nothing to order)");
    }
    for t in &s.by_supplier {
        println!(
            "  {:<32} {:>4} lines {:>7} units {:>12.2} {}",
            t.supplier, t.lines, t.units, t.value, t.currency
        );
    }
    println!(
        "Alerts          {} ({} high, {} medium, {} low; {} found before ranking) — `forestock alerts`",
        s.alerts.kept, s.alerts.high, s.alerts.medium, s.alerts.low, s.alerts.total_found
    );
    println!("Time            {secs:.2} s");
}

/// Amounts per currency, never added across currencies: "1234.50 USD + 200.00 EUR".
fn amounts(m: &[forestock_api::kpis::Money]) -> String {
    if m.is_empty() {
        return "0.00".into();
    }
    m.iter()
        .map(|m| format!("{:.2} {}", m.amount, m.currency))
        .collect::<Vec<_>>()
        .join(" + ")
}
