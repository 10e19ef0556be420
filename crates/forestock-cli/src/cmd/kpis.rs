//! `forestock kpis`: the KPI dashboard in the terminal — inventory value, turns, days of cover,
//! stockouts and estimated lost sales, excess and dead stock, the service level per week —
//! and, with `--detail KPI`, the lines behind one figure. The figures come from
//! `forestock_api::kpis`, the same read model as the app's KPIs screen.

use crate::cmd::common::{report, Db, FormatArg};
use forestock_api::kpis::{self, Kpi};

#[derive(clap::Args)]
pub struct Args {
    /// List the lines behind one figure: inventory-value, turns, days-of-cover, stockouts,
    /// excess-stock, dead-stock or service-level.
    #[arg(long, value_name = "KPI")]
    pub detail: Option<String>,
    #[command(flatten)]
    pub format: FormatArg,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let kpi = args
        .detail
        .as_deref()
        .map(Kpi::parse)
        .transpose()
        .map_err(|e| crate::exit::usage(e.to_string()))?;
    let store = db.read_only()?;
    match kpi {
        Some(kpi) => report(args.format.format, &kpis::lines(&store, kpi)?),
        None => report(args.format.format, &kpis::report(&store)?),
    }
}
