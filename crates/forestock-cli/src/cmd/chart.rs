//! `forestock chart SKU LOCATION [--weekly]`: what the app's SKU chart shows, as text or JSON
//! (`forestock_api::chart::chart_model`, the read model the app draws): recent history with
//! stockout and promotion periods, the latest forecast with its p10–p90 band, past forecasts
//! against what sold, the on-hand projection with safety stock, reorder point and incoming
//! orders, the model, its backtest accuracy and the plan's rationale.

use crate::cmd::common::{open_db, DbArg, Format};
use crate::cmd::plan::emit;
use forestock_api::chart::{chart_model_by_code, Granularity};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// The SKU code.
    pub sku: String,
    /// The location code.
    pub location: String,
    /// Sum history and forecast per ISO week instead of showing days.
    #[arg(long)]
    pub weekly: bool,
    /// Periods of history listed in text output (all of them in JSON).
    #[arg(long, default_value_t = 8)]
    pub periods: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.2}"))
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let store = open_db(&args.db.db)?;
    let g = if args.weekly {
        Granularity::Weekly
    } else {
        Granularity::Daily
    };
    let m = chart_model_by_code(&store, &args.sku, &args.location, g)?;
    if args.format == Format::Json {
        return emit(&(serde_json::to_string_pretty(&m)? + "\n"));
    }
    let mut out = format!("{} ({})\n", m.title, g.as_str());
    if let Some(f) = &m.forecast_info {
        out.push_str(&format!(
            "model {} ({}), forecast run {} {}; backtest MASE {} WAPE {} over {} origins\n",
            f.model,
            f.class,
            f.run_id,
            f.made_at,
            num(f.mase),
            num(f.wape),
            f.origins
        ));
    } else {
        out.push_str("no stored forecast yet: run `forestock plan`\n");
    }
    out.push_str("history (period, units, on hand, stockout days, promotion days):\n");
    let skip = m.history.len().saturating_sub(args.periods);
    for p in &m.history[skip..] {
        out.push_str(&format!(
            "  {}  {:>8.1}  {:>6}  {}  {}\n",
            p.date,
            p.units,
            p.on_hand.map_or_else(|| "—".into(), |v| v.to_string()),
            p.stockout_days,
            p.promo_days
        ));
    }
    if !m.past_forecast.is_empty() {
        out.push_str(&format!(
            "past forecasts against what sold ({} periods, WAPE {}):\n",
            m.past_forecast.len(),
            num(m.past_wape)
        ));
        let skip = m.past_forecast.len().saturating_sub(args.periods);
        for p in &m.past_forecast[skip..] {
            out.push_str(&format!(
                "  {}  forecast {:>8.1}  sold {:>8.1}  (run {})\n",
                p.date, p.forecast, p.actual, p.run_id
            ));
        }
    }
    out.push_str("forecast (period, mean, p10, p90, projected on hand):\n");
    for p in m.forecast.iter().take(args.periods) {
        let level = m
            .projection
            .iter()
            .rev()
            .find(|x| g.period_start(x.date) <= p.date)
            .map(|x| x.on_hand);
        out.push_str(&format!(
            "  {}  {:>8.1}  {:>8.1}  {:>8.1}  {:>8}{}\n",
            p.date,
            p.mean,
            p.p10,
            p.p90,
            num(level),
            if p.promo { "  promotion" } else { "" }
        ));
    }
    out.push_str(&format!(
        "safety stock {}, reorder point {}\n",
        num(m.safety_stock),
        num(m.reorder_point)
    ));
    for i in &m.incoming {
        out.push_str(&format!(
            "incoming {} +{} on {}{}\n",
            i.reference,
            i.quantity,
            i.date,
            if i.overdue { " (overdue)" } else { "" }
        ));
    }
    if !m.rationale.is_empty() {
        out.push_str("why this number:\n");
        for r in &m.rationale {
            out.push_str(&format!("  - {r}\n"));
        }
    }
    emit(&out)
}
