//! `forestock scenario`: what-if overlays on the latest plan — create, set changes, evaluate,
//! compare with the baseline, apply or discard. Evaluating recomputes only the lines a change
//! touches, from the inputs stored with the plan (no re-forecasting).

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use forestock_api::kpis::Money;
use forestock_api::scenario::{Comparison, ScenarioColumn};
use forestock_plan::scenario::{self, Change, Scope, Totals};

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
    let mut store = open_db(&args.db.db)?;
    let stamp = stamp();
    let fmt = args.format;
    match args.action {
        Action::Create { name } => {
            let s = forestock_api::scenario::create(&mut store, &stamp, &name, Vec::new())?;
            print(fmt, &s, &format!("scenario {} {:?} created", s.id, s.name))?;
        }
        Action::List => {
            let all = scenario::list(&store)?;
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for s in &all {
                    println!(
                        "{:>4}  {:<30} {:<10} {} changes",
                        s.id,
                        s.name,
                        s.status,
                        s.changes.len()
                    );
                }
            }
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
            print(
                fmt,
                &s,
                &format!("scenario {} now has {} changes", s.id, s.changes.len()),
            )?;
        }
        Action::Evaluate { id } => {
            let e = scenario::evaluate(&store, id)?;
            if fmt == Format::Json {
                println!("{}", serde_json::to_string_pretty(&e)?);
            } else {
                print_totals(&[e.baseline, e.scenario]);
            }
        }
        Action::Compare { ids, breakdown } => {
            if fmt == Format::Json && !breakdown {
                let t = scenario::compare(&store, &ids)?;
                println!("{}", serde_json::to_string_pretty(&t)?);
            } else {
                let c = forestock_api::scenario::compare(&store, &ids)?;
                if fmt == Format::Json {
                    println!("{}", serde_json::to_string_pretty(&c)?);
                } else {
                    print_columns(&c);
                }
            }
        }
        Action::Apply { id } => {
            let e = forestock_api::scenario::apply(&mut store, &stamp, id)?;
            print(
                fmt,
                &e,
                &format!(
                    "applied: {} lines changed in the plan",
                    e.scenario.lines_changed
                ),
            )?;
        }
        Action::Discard { id } => {
            forestock_api::scenario::discard(&mut store, &stamp, id)?;
            print(
                fmt,
                &serde_json::json!({"discarded": id}),
                &format!("scenario {id} discarded"),
            )?;
        }
    }
    Ok(())
}

fn print<T: serde::Serialize>(fmt: Format, v: &T, text: &str) -> anyhow::Result<()> {
    if fmt == Format::Json {
        println!("{}", serde_json::to_string_pretty(v)?);
    } else {
        println!("{text}");
    }
    Ok(())
}

/// The comparison with one column per scenario, baseline first.
type Amounts<'a> = &'a dyn Fn(&ScenarioColumn) -> &Vec<Money>;

fn print_columns(c: &Comparison) {
    let row = |label: &str, cell: &dyn Fn(&ScenarioColumn) -> String| {
        let mut line = format!("{label:<28}");
        for col in &c.columns {
            line.push_str(&format!(" {:>22}", cell(col)));
        }
        println!("{line}");
    };
    row("", &|x| x.name.chars().take(22).collect());
    row("changes", &|x| x.changes.to_string());
    let currencies = |f: Amounts<'_>| {
        let mut cs: Vec<String> = c
            .columns
            .iter()
            .flat_map(|x| f(x).iter().map(|m| m.currency.clone()))
            .collect();
        cs.sort();
        cs.dedup();
        cs
    };
    // One row per currency: amounts in different currencies are never added.
    let per_currency = |label: &str, f: Amounts<'_>| {
        for cur in currencies(f) {
            row(&format!("{label} ({cur})"), &|x| {
                f(x).iter()
                    .find(|m| m.currency == cur)
                    .map_or("0.00".into(), |m| format!("{:.2}", m.amount))
            });
        }
    };
    per_currency("order value", &|x| &x.order_value);
    row("units to order", &|x| x.units.to_string());
    row("lines to order", &|x| x.lines_to_order.to_string());
    row("lines at stockout risk", &|x| {
        x.stockout_risk_lines.to_string()
    });
    row("expected fill rate", &|x| {
        format!("{:.1}%", x.expected_fill_rate * 100.0)
    });
    row("target service level", &|x| {
        format!("{:.1}%", x.target_service_level * 100.0)
    });
    per_currency("capital tied up", &|x| &x.capital_tied_up);
    row("lines changed", &|x| x.lines_changed.to_string());
    let mut suppliers: Vec<(String, String)> = c
        .columns
        .iter()
        .flat_map(|x| {
            x.suppliers
                .iter()
                .map(|s| (s.supplier.clone(), s.currency.clone()))
        })
        .collect();
    suppliers.sort();
    suppliers.dedup();
    if !suppliers.is_empty() {
        println!("\norder value by supplier");
    }
    for (name, currency) in &suppliers {
        let label: String = format!("  {name} ({currency})").chars().take(28).collect();
        row(&label, &|x| {
            x.suppliers
                .iter()
                .find(|s| &s.supplier == name && &s.currency == currency)
                .map_or("—".into(), |s| {
                    format!("{:.2} / {} u", s.order_value, s.units)
                })
        });
    }
}

fn print_totals(t: &[Totals]) {
    println!(
        "{:<24} {:>14} {:>10} {:>16} {:>14} {:>8}",
        "", "order value", "fill rate", "capital tied up", "stockout risk", "changed"
    );
    // Money per currency, one row each (never added across currencies).
    let amount = |m: &[forestock_api::kpis::Money], i: usize| {
        m.get(i)
            .map_or_else(String::new, |m| format!("{:.2} {}", m.amount, m.currency))
    };
    for x in t {
        let rows = x.order_value.len().max(x.capital_tied_up.len()).max(1);
        for i in 0..rows {
            if i == 0 {
                println!(
                    "{:<24} {:>14} {:>9.1}% {:>16} {:>14} {:>8}",
                    x.name,
                    amount(&x.order_value, 0),
                    x.expected_fill_rate * 100.0,
                    amount(&x.capital_tied_up, 0),
                    x.stockout_risk_lines,
                    x.lines_changed
                );
            } else {
                println!(
                    "{:<24} {:>14} {:>10} {:>16}",
                    "",
                    amount(&x.order_value, i),
                    "",
                    amount(&x.capital_tied_up, i)
                );
            }
        }
    }
}
