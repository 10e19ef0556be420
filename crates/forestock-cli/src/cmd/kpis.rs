//! `forestock kpis`: the KPI dashboard in the terminal — inventory value, turns, days of cover,
//! stockouts and estimated lost sales, excess and dead stock, the service level per week —
//! and, with `--detail KPI`, the lines behind one figure. The figures come from
//! `forestock_api::kpis`, the same read model as the app's KPIs screen.

use crate::cmd::common::{open_db_read_only, DbArg, Format};
use forestock_api::kpis::{self, Kpi, KpiReport, Money};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// List the lines behind one figure: inventory-value, turns, days-of-cover, stockouts,
    /// excess-stock, dead-stock or service-level.
    #[arg(long, value_name = "KPI")]
    pub detail: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let kpi = args
        .detail
        .as_deref()
        .map(Kpi::parse)
        .transpose()
        .map_err(|e| crate::exit::usage(e.to_string()))?;
    let store = open_db_read_only(&args.db.db)?;
    match kpi {
        Some(kpi) => {
            let d = kpis::lines(&store, kpi)?;
            if args.format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&d)?);
                return Ok(());
            }
            println!("{}\n{}\n", d.title, d.method);
            println!(
                "{:<20} {:<8} {:>14} {:>14} {:>14}",
                "SKU",
                "location",
                d.quantity_label,
                d.value_label,
                d.ratio_label.as_deref().unwrap_or(""),
            );
            for l in &d.lines {
                println!(
                    "{:<20} {:<8} {:>14.2} {:>14.2} {:>14} {:<4} {}",
                    l.sku,
                    l.location,
                    l.quantity,
                    l.value,
                    l.ratio.map_or(String::new(), |r| format!("{r:.2}")),
                    l.currency.as_deref().unwrap_or(""),
                    l.detail
                );
            }
            println!("{} lines", d.lines.len());
        }
        None => {
            let k = kpis::report(&store)?;
            if args.format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&k)?);
            } else {
                print_report(&k);
            }
        }
    }
    Ok(())
}

fn money(m: &[Money]) -> String {
    if m.is_empty() {
        return "—".into();
    }
    m.iter()
        .map(|m| format!("{:.2} {}", m.amount, m.currency))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("—".into(), |x| format!("{x:.digits$}"))
}

fn print_report(k: &KpiReport) {
    let (Some(as_of), Some(from)) = (k.as_of, k.window_start) else {
        println!("No sales or stock history yet: nothing to measure.");
        return;
    };
    println!(
        "KPIs on {as_of} (window {from} to {as_of}, {} days)\n",
        k.window_days
    );
    println!("{:<24} {}", "inventory value", money(&k.inventory_value));
    for t in &k.turns {
        println!(
            "{:<24} {} ({}: COGS {:.2} / average inventory {:.2})",
            "turns",
            opt(t.turns, 2),
            t.currency,
            t.cogs,
            t.average_inventory_value
        );
    }
    for c in &k.days_of_cover {
        println!(
            "{:<24} {} ({})",
            "days of cover",
            opt(c.days, 1),
            c.currency
        );
    }
    println!(
        "{:<24} {} days on {} lines",
        "stockouts", k.stockout_days, k.stockout_lines
    );
    println!(
        "{:<24} {:.0} units, {}",
        "estimated lost sales",
        k.lost_units,
        money(&k.lost_sales)
    );
    if k.plan_available {
        println!(
            "{:<24} {} (above order-up-to + {:.0} days of demand)",
            "excess stock",
            money(&k.excess_value),
            k.excess_allowance_days
        );
    } else {
        println!("{:<24} no plan yet: run `forestock plan`", "excess stock");
    }
    println!(
        "{:<24} {} (no sale in {} days)",
        "dead stock",
        money(&k.dead_stock_value),
        k.dead_stock_days
    );
    println!(
        "{:<24} {}",
        "service level (in stock)",
        k.service_level
            .map_or("—".into(), |s| format!("{:.1}%", s * 100.0))
    );
    if k.unvalued_lines > 0 {
        println!(
            "\n{} lines with stock have no unit cost and are left out of the values.",
            k.unvalued_lines
        );
    }
    println!("\nweek         in stock   inventory value");
    for w in k.weeks.iter().rev().take(12).rev() {
        println!(
            "{}   {:>7}   {}",
            w.week_start,
            w.service_level
                .map_or("—".into(), |s| format!("{:.1}%", s * 100.0)),
            money(&w.inventory_value)
        );
    }
    println!("\n`forestock kpis --detail KPI` lists the lines behind a figure.");
}
