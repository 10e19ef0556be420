//! `forestock review`: the planner's side of the latest plan — the grid, overrides with a
//! reason, approve/reject, locks, undo, and the planning settings. Every edit is audited.

use crate::cmd::common::{report, show, Db, Format, OnDb};
use forestock_api::review::{self as api, line_key as key, location_id, variant_id};
use forestock_api::text;
use forestock_core::Store;
use forestock_plan::review::{self, GridFilter};
use forestock_plan::settings::load_settings;

pub type Args = OnDb<Action>;

/// A SKU at one location.
#[derive(clap::Args, Clone)]
pub struct Line {
    /// SKU code.
    #[arg(long)]
    pub sku: String,
    /// Location code (e.g. WH-EAST).
    #[arg(long)]
    pub location: String,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// The review grid of the latest plan.
    List {
        /// Only this SKU.
        #[arg(long)]
        sku: Option<String>,
        /// Only this location code.
        #[arg(long)]
        location: Option<String>,
        /// Only lines with something to order.
        #[arg(long)]
        to_order: bool,
    },
    /// One line with its rationale.
    Show(Line),
    /// Override a line's quantity (whole cases, at least the MOQ); a reason is required.
    Override {
        #[command(flatten)]
        line: Line,
        #[arg(long, allow_negative_numbers = true)]
        qty: i64,
        #[arg(long)]
        reason: String,
    },
    /// Approve lines (one, or every line within the review thresholds with --all).
    Approve {
        #[arg(long, requires = "location", conflicts_with = "all")]
        sku: Option<String>,
        #[arg(long, requires = "sku")]
        location: Option<String>,
        /// Approve every proposed line within the review thresholds, as one action (one
        /// `undo` takes it back); prints what it did: lines, units, value per currency, lines
        /// left out and why.
        #[arg(long)]
        all: bool,
        /// With --all: only print what it would do.
        #[arg(long, requires = "all")]
        dry_run: bool,
    },
    /// Approve or reject several lines as one action, `--line SKU@LOCATION` each.
    Decide {
        #[arg(long = "line", value_name = "SKU@LOCATION", required = true)]
        lines: Vec<String>,
        /// Reject instead of approve (a reason is required).
        #[arg(long)]
        reject: bool,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Reject a line; a reason is required.
    Reject {
        #[command(flatten)]
        line: Line,
        #[arg(long)]
        reason: String,
    },
    /// Lock a SKU (at one location, or everywhere): re-plans keep its quantity.
    Lock {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Remove a lock.
    Unlock {
        #[arg(long)]
        sku: String,
        #[arg(long)]
        location: Option<String>,
    },
    /// Undo the last actions of the latest plan (an approve-all or a selection is one action).
    Undo {
        #[arg(long, default_value_t = 1)]
        steps: usize,
    },
    /// Show the planning settings, or change them with --set KEY=VALUE (validated, audited).
    Settings {
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open(db)?;
    match args.action {
        Action::List {
            sku,
            location,
            to_order,
        } => {
            let location_id = location
                .as_deref()
                .map(|l| location_id(&store, l))
                .transpose()?;
            let rows = review::recommendations(
                &store,
                &GridFilter {
                    sku,
                    location_id,
                    to_order_only: to_order,
                    ..GridFilter::default()
                },
            )?;
            report(fmt, &rows)?;
        }
        Action::Show(l) => {
            let k = key(&store, &l.sku, &l.location)?;
            report(fmt, &review::line(&store, k)?)?;
        }
        Action::Override { line, qty, reason } => {
            let k = key(&store, &line.sku, &line.location)?;
            let g = api::override_line(&mut store, &stamp, k, qty, &reason)?;
            show(fmt, &g, || {
                format!(
                    "{} @ {}: {} → {} ({}){}\n",
                    g.rec.sku,
                    g.rec.location,
                    g.rec.recommended_qty,
                    g.final_qty,
                    reason.trim(),
                    if g.needs_approval {
                        "; needs explicit approval"
                    } else {
                        ""
                    }
                )
            })?;
        }
        Action::Approve {
            all: true, dry_run, ..
        } => {
            let p = if dry_run {
                api::preview_within_thresholds(&store)?
            } else {
                api::approve_within_thresholds(&mut store, &stamp)?
            };
            show(fmt, &p, || text::approval_preview(&p, dry_run))?;
        }
        Action::Decide {
            lines,
            reject,
            reason,
        } => {
            let keys = api::line_keys(&store, &lines)?;
            let n = api::decide(&mut store, &stamp, &keys, !reject, &reason)?;
            decided(fmt, if reject { "rejected" } else { "approved" }, n)?;
        }
        Action::Approve {
            sku: Some(s),
            location: Some(l),
            ..
        } => {
            let k = key(&store, &s, &l)?;
            let n = api::decide(&mut store, &stamp, &[k], true, "")?;
            decided(fmt, "approved", n)?;
        }
        Action::Approve { .. } => {
            let which = "say which line to approve (--sku and --location) or --all";
            return Err(crate::exit::usage(which));
        }
        Action::Reject { line, reason } => {
            let k = key(&store, &line.sku, &line.location)?;
            let n = api::decide(&mut store, &stamp, &[k], false, &reason)?;
            decided(fmt, "rejected", n)?;
        }
        Action::Lock {
            sku,
            location,
            reason,
        } => {
            let (v, l) = lock_key(&store, &sku, location.as_deref())?;
            api::lock(&mut store, &stamp, v, l, &reason)?;
            decided(fmt, "locked", 1)?;
        }
        Action::Unlock { sku, location } => {
            let (v, l) = lock_key(&store, &sku, location.as_deref())?;
            api::unlock(&mut store, &stamp, v, l)?;
            decided(fmt, "unlocked", 1)?;
        }
        Action::Undo { steps } => decided(fmt, "undone", api::undo(&mut store, &stamp, steps)?)?,
        Action::Settings { set } => match set.is_empty() {
            true => report(fmt, &load_settings(&store.read())?)?,
            false => report(fmt, &api::set_settings(&mut store, &stamp, &set)?)?,
        },
    }
    Ok(())
}

/// A lock's SKU (variant id), at one location or everywhere (`None`).
fn lock_key(
    store: &Store,
    sku: &str,
    location: Option<&str>,
) -> anyhow::Result<(i64, Option<i64>)> {
    let at = location.map(|c| location_id(store, c)).transpose()?;
    Ok((variant_id(store, sku)?, at))
}

/// How many lines an action touched: `{"approved": 3}`, or "3 lines approved".
fn decided(fmt: Format, what: &str, n: usize) -> anyhow::Result<()> {
    match fmt {
        Format::Json => println!("{}", serde_json::json!({ what: n })),
        Format::Text => print!("{}", text::decided(what, n)),
    }
    Ok(())
}
