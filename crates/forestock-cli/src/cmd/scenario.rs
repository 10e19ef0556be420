//! `forestock scenario`: what-if overlays on the latest plan — create, set changes, evaluate,
//! compare with the baseline, apply or discard. Evaluating recomputes only the lines a change
//! touches, from the inputs stored with the plan (no re-forecasting).

use crate::cmd::common::{report, show, Db, Format, OnDb};
use forestock_api::scenario::ChangeFlags;
use forestock_plan::scenario;

pub type Args = OnDb<Action>;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Create an empty draft scenario on the latest plan.
    Create { name: String },
    /// Every scenario, newest first.
    List,
    /// Replace a draft scenario's changes (validated; nothing saved on error).
    Set {
        id: i64,
        #[command(flatten)]
        changes: ChangeFlags,
    },
    /// Evaluate a scenario against the baseline.
    Evaluate { id: i64 },
    /// Baseline and scenarios side by side: order value and units, stockout risk, fill rate
    /// and service level, capital, and each supplier's orders.
    Compare {
        #[arg(required = true)]
        ids: Vec<i64>,
        /// With --format json: the full side-by-side columns (per currency and per supplier)
        /// instead of the totals.
        #[arg(long)]
        breakdown: bool,
    },
    /// Write a scenario's recomputed lines into the plan.
    Apply { id: i64 },
    /// Discard a draft scenario; the plan is not touched.
    Discard { id: i64 },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open(db)?;
    match args.action {
        Action::Create { name } => {
            let s = forestock_api::scenario::create(&mut store, &stamp, &name, Vec::new())?;
            show(fmt, &s, || {
                format!("scenario {} {:?} created\n", s.id, s.name)
            })?;
        }
        Action::List => {
            report(fmt, &scenario::list(&store)?)?;
        }
        Action::Set { id, changes } => {
            let list = changes.changes()?;
            let s = forestock_api::scenario::set_changes(&mut store, &stamp, id, list)?;
            show(fmt, &s, || {
                format!("scenario {} now has {} changes\n", s.id, s.changes.len())
            })?;
        }
        Action::Evaluate { id } => {
            report(fmt, &scenario::evaluate(&store, id)?)?;
        }
        Action::Compare { ids, breakdown } => {
            if fmt == Format::Json && !breakdown {
                // the totals only
                show(fmt, &scenario::compare(&store, &ids)?, String::new)?;
            } else {
                report(fmt, &forestock_api::scenario::compare(&store, &ids)?)?;
            }
        }
        Action::Apply { id } => {
            let e = forestock_api::scenario::apply(&mut store, &stamp, id)?;
            let changed = e.scenario.lines_changed;
            show(fmt, &e, || {
                format!("applied: {changed} lines changed in the plan\n")
            })?;
        }
        Action::Discard { id } => {
            forestock_api::scenario::discard(&mut store, &stamp, id)?;
            let done = serde_json::json!({ "discarded": id });
            show(fmt, &done, || format!("scenario {id} discarded\n"))?;
        }
    }
    Ok(())
}
