//! `forestock alerts`: the exceptions of the latest plan, most urgent first.

use crate::cmd::common::{open_db, DbArg, Format};
use crate::cmd::plan::emit;
use forestock_plan::alerts::{latest, refresh, AlertList};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Recompute the alerts from the latest plan first (e.g. after orders were received).
    #[arg(long)]
    pub refresh: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    if args.refresh {
        refresh(&mut store, super::common::stamp().at)?;
    }
    let list = latest(&store)?.ok_or_else(|| {
        crate::exit::usage("no alerts yet: run `forestock plan` first".to_string())
    })?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&list)?),
        Format::Text => print_text(&list)?,
    }
    Ok(())
}

fn print_text(l: &AlertList) -> anyhow::Result<()> {
    use std::fmt::Write;
    let mut o = String::new();
    writeln!(
        o,
        "{} alerts for {} (plan run {}; {} found, ranked by severity and money at stake)",
        l.alerts.len(),
        l.today.map_or_else(|| "—".into(), |d| d.to_string()),
        l.plan_run_id.map_or_else(|| "—".into(), |r| r.to_string()),
        l.stats.total_found
    )?;
    for a in &l.alerts {
        let a2 = &a.alert;
        let what = match (&a2.sku, &a2.location) {
            (Some(s), Some(loc)) => format!("{s} @ {loc}"),
            (None, Some(loc)) => format!("{} @ {loc}", a2.reference),
            _ => a2.reference.clone(),
        };
        writeln!(o)?;
        writeln!(
            o,
            "{:>3}. [{}] {} — {}",
            a.rank,
            a2.severity.as_str().to_uppercase(),
            a2.kind.as_str(),
            what
        )?;
        writeln!(o, "     {}", a2.title)?;
        writeln!(o, "     evidence: {}", a2.evidence)?;
        writeln!(o, "     action:   {}", a2.action)?;
    }
    emit(&o)
}
