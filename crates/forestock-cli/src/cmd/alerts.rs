//! `forestock alerts`: the exceptions of the latest plan, most urgent first (snoozed and
//! dismissed ones hidden), and `snooze` / `dismiss` with a reason.

use crate::cmd::common::{report, show, stamp, Db, GlobalFormat};
use chrono::NaiveDate;
use forestock_api::exceptions as api;
use forestock_plan::alerts::refresh;
use forestock_plan::exceptions::ExceptionFilter;

#[derive(clap::Args)]
pub struct Args {
    /// Recompute the alerts from the latest plan first (e.g. after orders were received).
    #[arg(long)]
    pub refresh: bool,
    #[command(flatten)]
    pub filter: ExceptionFilter,
    #[command(flatten)]
    pub format: GlobalFormat,
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

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let mut store = db.open()?;
    let (stamp, fmt) = (stamp(), args.format.format);
    match args.action {
        Some(Action::Snooze { id, until, reason }) => {
            let m = api::snooze(&mut store, &stamp, id, until, &reason)?;
            return show(fmt, &m, || format!("alert {id} snoozed until {until}\n"));
        }
        Some(Action::Dismiss { id, reason }) => {
            let m = api::dismiss(&mut store, &stamp, id, &reason)?;
            return show(fmt, &m, || format!("alert {id} dismissed\n"));
        }
        Some(Action::Unmute { id }) => {
            let m = api::unmute(&mut store, &stamp, id)?;
            let was = m.action.past();
            return show(fmt, &m, || format!("alert {id} is back (it was {was})\n"));
        }
        None => {}
    }
    if args.refresh {
        refresh(&mut store, stamp.at)?;
    }
    report(
        args.format.format,
        &api::list(&store, &stamp, &args.filter)?,
    )
}
