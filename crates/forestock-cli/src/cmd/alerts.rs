//! `forestock alerts`: the exceptions of the latest plan, most urgent first (snoozed and
//! dismissed ones hidden), and `snooze` / `dismiss` with a reason.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use crate::cmd::plan::emit;
use chrono::NaiveDate;
use forestock_api::exceptions as api;
use forestock_plan::alerts::{refresh, AlertKind};
use forestock_plan::exceptions::{ExceptionFilter, ExceptionList};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Recompute the alerts from the latest plan first (e.g. after orders were received).
    #[arg(long)]
    pub refresh: bool,
    /// Only this kind (stockout_risk, sales_spike, sales_drop, inventory_drift,
    /// forecast_accuracy, po_overdue, needs_supplier, excess).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only this supplier (name).
    #[arg(long)]
    pub supplier: Option<String>,
    /// Only this location code.
    #[arg(long)]
    pub location: Option<String>,
    /// Only this category.
    #[arg(long)]
    pub category: Option<String>,
    /// List snoozed and dismissed alerts too.
    #[arg(long)]
    pub muted: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    #[command(subcommand)]
    pub action: Option<Action>,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Hide an alert until a date (after today); a reason is required.
    Snooze {
        /// The alert's id (`forestock alerts` lists it as #ID).
        id: i64,
        /// The day it shows again (YYYY-MM-DD).
        #[arg(long)]
        until: NaiveDate,
        #[arg(long)]
        reason: String,
    },
    /// Hide an alert until its inputs change; a reason is required.
    Dismiss {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Bring back a snoozed or dismissed alert (`forestock alerts --muted` lists them).
    Unmute { id: i64 },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    let stamp = stamp();
    match args.action {
        Some(Action::Snooze { id, until, reason }) => {
            let m = api::snooze(&mut store, &stamp, id, until, &reason)?;
            return done(
                args.format,
                &m,
                &format!("alert {id} snoozed until {until}"),
            );
        }
        Some(Action::Dismiss { id, reason }) => {
            let m = api::dismiss(&mut store, &stamp, id, &reason)?;
            return done(args.format, &m, &format!("alert {id} dismissed"));
        }
        Some(Action::Unmute { id }) => {
            let m = api::unmute(&mut store, &stamp, id)?;
            let was = match m.action {
                forestock_plan::exceptions::MuteAction::Snooze => "snoozed",
                forestock_plan::exceptions::MuteAction::Dismiss => "dismissed",
            };
            return done(
                args.format,
                &m,
                &format!("alert {id} is back (it was {was})"),
            );
        }
        None => {}
    }
    if args.refresh {
        refresh(&mut store, stamp.at)?;
    }
    let kind = args
        .kind
        .as_deref()
        .map(|k| {
            AlertKind::parse(k).map_err(|_| {
                crate::exit::usage(format!(
                    "--kind {k:?} is not a kind of alert (stockout_risk, sales_spike, sales_drop, \
                     inventory_drift, forecast_accuracy, po_overdue, needs_supplier, excess)"
                ))
            })
        })
        .transpose()?;
    let filter = ExceptionFilter {
        kind,
        supplier: args.supplier,
        location: args.location,
        category: args.category,
        include_muted: args.muted,
    };
    let list = api::list(&store, &stamp, &filter)?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        Format::Text => print_text(&list)?,
    }
    Ok(())
}

fn done<T: serde::Serialize>(fmt: Format, value: &T, text: &str) -> anyhow::Result<()> {
    match fmt {
        Format::Json => println!("{}", serde_json::to_string_pretty(value)?),
        Format::Text => println!("{text}"),
    }
    Ok(())
}

fn print_text(l: &ExceptionList) -> anyhow::Result<()> {
    use std::fmt::Write;
    let mut o = String::new();
    writeln!(
        o,
        "{} alerts for {} (plan run {}; {} found, ranked by severity and money at stake; {} \
         snoozed or dismissed)",
        l.exceptions.len(),
        l.today.map_or_else(|| "—".into(), |d| d.to_string()),
        l.plan_run_id.map_or_else(|| "—".into(), |r| r.to_string()),
        l.stats.total_found,
        l.hidden
    )?;
    for e in &l.exceptions {
        let a2 = &e.alert.alert;
        let what = match (&a2.sku, &a2.location) {
            (Some(s), Some(loc)) => format!("{s} @ {loc}"),
            (None, Some(loc)) => format!("{} @ {loc}", a2.reference),
            _ => a2.reference.clone(),
        };
        writeln!(o)?;
        writeln!(
            o,
            "{:>3}. [{}] {} — {}  (#{})",
            e.alert.rank,
            a2.severity.as_str().to_uppercase(),
            a2.kind.as_str(),
            what,
            e.alert.id
        )?;
        writeln!(o, "     {}", a2.title)?;
        writeln!(o, "     evidence: {}", a2.evidence)?;
        writeln!(o, "     action:   {}", a2.action)?;
        if let Some(m) = &e.muted {
            writeln!(
                o,
                "     {}: {}{}",
                m.action.as_str(),
                m.reason,
                m.until
                    .map_or_else(String::new, |u| format!(" (until {u})"))
            )?;
        }
    }
    emit(&o)
}
