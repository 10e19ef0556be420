//! `forestock review`: the planner's side of the latest plan — the grid, overrides with a
//! reason, approve/reject, locks, undo, and the planning settings. Every edit is audited.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use crate::cmd::plan::emit;
use forestock_api::review::{self as api, line_key as key, location_id, variant_id};
use forestock_plan::review::{self, GridFilter, GridRow};
use forestock_plan::settings::{load_settings, PlanSettings};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    #[command(subcommand)]
    pub action: Action,
}

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

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    let stamp = stamp();
    let fmt = args.format;
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
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                use std::fmt::Write;
                let mut o = String::new();
                writeln!(
                    o,
                    "{:<20} {:<10} {:>4} {:>8} {:>8} {:>8} {:>10}  {:<9} flags",
                    "sku", "location", "cls", "on hand", "rec qty", "final", "value", "status"
                )?;
                for g in &rows {
                    writeln!(
                        o,
                        "{:<20} {:<10} {:>3}{} {:>8} {:>8} {:>8} {:>10.2}  {:<9} {}{}",
                        g.rec.sku,
                        g.rec.location,
                        g.rec.abc,
                        g.rec.xyz,
                        g.rec.on_hand,
                        g.rec.recommended_qty,
                        g.final_qty,
                        g.final_qty as f64 * g.rec.unit_cost,
                        g.status.text(),
                        if g.locked { "locked " } else { "" },
                        if g.needs_approval {
                            "needs-approval"
                        } else {
                            ""
                        }
                    )?;
                }
                writeln!(o, "{} lines", rows.len())?;
                emit(&o)?;
            }
        }
        Action::Show(l) => {
            let k = key(&store, &l.sku, &l.location)?;
            let g = review::line(&store, k)?;
            print_line(&g, fmt)?;
        }
        Action::Override { line, qty, reason } => {
            let k = key(&store, &line.sku, &line.location)?;
            let g = api::override_line(&mut store, &stamp, k, qty, &reason)?;
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&g)?);
            } else {
                println!(
                    "{} @ {}: {} → {} ({}){}",
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
                );
            }
        }
        Action::Approve {
            all: true, dry_run, ..
        } => {
            let p = if dry_run {
                api::preview_within_thresholds(&store)?
            } else {
                api::approve_within_thresholds(&mut store, &stamp)?
            };
            print_preview(fmt, &p, dry_run)?;
        }
        Action::Decide {
            lines,
            reject,
            reason,
        } => {
            let mut keys = Vec::new();
            for l in &lines {
                let (s, loc) = l.rsplit_once('@').ok_or_else(|| {
                    crate::exit::usage(format!("--line {l:?}: expected SKU@LOCATION"))
                })?;
                keys.push(key(&store, s.trim(), loc.trim())?);
            }
            let n = api::decide(&mut store, &stamp, &keys, !reject, &reason)?;
            report(fmt, if reject { "rejected" } else { "approved" }, n)?;
        }
        Action::Approve { sku, location, .. } => {
            let n = match (sku, location) {
                (Some(s), Some(l)) => {
                    let k = key(&store, &s, &l)?;
                    api::decide(&mut store, &stamp, &[k], true, "")?
                }
                _ => {
                    return Err(crate::exit::usage(
                        "say which line to approve (--sku and --location) or --all".to_string(),
                    ))
                }
            };
            report(fmt, "approved", n)?;
        }
        Action::Reject { line, reason } => {
            let k = key(&store, &line.sku, &line.location)?;
            let n = api::decide(&mut store, &stamp, &[k], false, &reason)?;
            report(fmt, "rejected", n)?;
        }
        Action::Lock {
            sku,
            location,
            reason,
        } => {
            let v = variant_id(&store, &sku)?;
            let l = location
                .as_deref()
                .map(|c| location_id(&store, c))
                .transpose()?;
            api::lock(&mut store, &stamp, v, l, &reason)?;
            report(fmt, "locked", 1)?;
        }
        Action::Unlock { sku, location } => {
            let v = variant_id(&store, &sku)?;
            let l = location
                .as_deref()
                .map(|c| location_id(&store, c))
                .transpose()?;
            api::unlock(&mut store, &stamp, v, l)?;
            report(fmt, "unlocked", 1)?;
        }
        Action::Undo { steps } => {
            let n = api::undo(&mut store, &stamp, steps)?;
            report(fmt, "undone", n)?;
        }
        Action::Settings { set } => {
            let current = load_settings(&store.read())?;
            let settings = if set.is_empty() {
                current
            } else {
                api::save_settings(&mut store, &stamp, &with_changes(&current, &set)?)?
            };
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&settings)?);
            } else {
                let v = serde_json::to_value(&settings)?;
                if let Some(o) = v.as_object() {
                    for (k, v) in o {
                        println!("{k:<26} {v}");
                    }
                }
            }
        }
    }
    Ok(())
}

/// Apply `KEY=VALUE` pairs to settings ([`PlanSettings::with_changes`]).
fn with_changes(current: &PlanSettings, set: &[String]) -> anyhow::Result<PlanSettings> {
    let pairs = set
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .ok_or_else(|| crate::exit::usage(format!("--set {pair:?}: expected KEY=VALUE")))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(current.with_changes(&pairs)?)
}

fn print_preview(fmt: Format, p: &api::ApprovalPreview, dry_run: bool) -> anyhow::Result<()> {
    if fmt == Format::Json {
        println!("{}", serde_json::to_string_pretty(p)?);
        return Ok(());
    }
    println!(
        "{} {} lines within the review thresholds (order value up to {:.2}, overrides within \
         {:.0}%): {} units",
        if dry_run { "would approve" } else { "approved" },
        p.lines,
        p.value_threshold,
        p.change_pct,
        p.units
    );
    for v in &p.value {
        println!("  {:>12.2} {} ({} lines)", v.value, v.currency, v.lines);
    }
    for e in &p.excluded {
        println!("  left out: {} lines, {}", e.lines, e.label);
    }
    Ok(())
}

fn report(fmt: Format, what: &str, n: usize) -> anyhow::Result<()> {
    if fmt == Format::Json {
        println!("{}", serde_json::json!({ what: n }));
    } else {
        println!(
            "{n} {}",
            if n == 1 {
                format!("line {what}")
            } else {
                format!("lines {what}")
            }
        );
    }
    Ok(())
}

fn print_line(g: &GridRow, fmt: Format) -> anyhow::Result<()> {
    if fmt == Format::Json {
        println!("{}", serde_json::to_string_pretty(g)?);
        return Ok(());
    }
    let r = &g.rec;
    println!(
        "{} @ {} — class {}{}, {:?}",
        r.sku, r.location, r.abc, r.xyz, r.movement
    );
    println!(
        "supplier {} ({}), lead time {:.0}±{:.1} d, review {} d, service level {:.0}%",
        r.supplier.as_deref().unwrap_or("—"),
        r.currency,
        r.lead_time_days,
        r.lead_time_sd_days,
        r.review_days,
        r.service_level * 100.0
    );
    println!(
        "recommended {} (final {}, {}), order-up-to {:.0}, safety stock {:.0}, reorder point {:.0}",
        r.recommended_qty,
        g.final_qty,
        g.status.text(),
        r.order_up_to,
        r.safety_stock,
        r.reorder_point
    );
    if let Some(reason) = &g.override_reason {
        println!("override reason: {reason}");
    }
    println!("why:");
    for w in &r.rationale {
        println!("  - {w}");
    }
    Ok(())
}
