//! `forestock scenario`: what-if overlays on the latest plan — create, set changes, evaluate,
//! compare with the baseline, apply or discard. Evaluating recomputes only the lines a change
//! touches, from the inputs stored with the plan (no re-forecasting).

use crate::cmd::common::{report, show, Format, OnDb};
use forestock_plan::scenario::{self, Change, Scope};

pub type Args = OnDb<Action>;

/// Which lines a change applies to (none = every line).
#[derive(clap::Args, Clone, Default)]
pub struct ScopeArgs {
    #[arg(long)]
    pub sku: Option<String>,
    #[arg(long)]
    pub category: Option<String>,
    /// Supplier id.
    #[arg(long)]
    pub supplier: Option<i64>,
}

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
        scope: ScopeArgs,
        /// Multiply forecast demand in the scope.
        #[arg(long)]
        demand: Option<f64>,
        /// Target service level in the scope, between 0 and 1.
        #[arg(long)]
        service_level: Option<f64>,
        /// New mean lead time (days) of --supplier.
        #[arg(long, allow_negative_numbers = true)]
        lead_time: Option<f64>,
        /// New lead-time spread (days) with --lead-time.
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        lead_time_sd: f64,
        /// Further changes as JSON objects, e.g.
        /// '{"kind":"promotion","scope":{"sku":"X"},"start":"2026-12-01","end":"2026-12-07","lift":0.5}'.
        #[arg(long = "change", value_name = "JSON")]
        changes: Vec<String>,
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

pub fn run(args: Args) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open()?;
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
        Action::Set {
            id,
            scope,
            demand,
            service_level,
            lead_time,
            lead_time_sd,
            changes,
        } => {
            let sc = Scope {
                sku: scope.sku.clone(),
                category: scope.category.clone(),
                supplier_id: scope.supplier,
            };
            let mut list = Vec::new();
            if let Some(f) = demand {
                list.push(Change::DemandMultiplier {
                    scope: sc.clone(),
                    factor: f,
                });
            }
            if let Some(level) = service_level {
                list.push(Change::ServiceLevel {
                    scope: sc.clone(),
                    level,
                });
            }
            if let Some(mean) = lead_time {
                let supplier_id = scope.supplier.ok_or_else(|| {
                    crate::exit::usage("--lead-time needs --supplier ID".to_string())
                })?;
                list.push(Change::LeadTime {
                    supplier_id,
                    mean_days: mean,
                    sd_days: lead_time_sd,
                });
            }
            for c in &changes {
                list.push(serde_json::from_str(c).map_err(|e| {
                    crate::exit::usage(format!("--change {c:?} is not a valid change: {e}"))
                })?);
            }
            if list.is_empty() {
                return Err(crate::exit::usage(
                    "no change given: use --demand, --service-level, --lead-time or --change"
                        .to_string(),
                ));
            }
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
