//! How many days of a merchant's demand history are censored by stockouts, and what treating
//! sell-out days as censored does to the forecast:
//! `cargo run --profile bench-fast -p forestock-demand --example sold_out_days -- [DB]`
//! (without DB: the `forestock demo` merchant, generated in a temporary directory).
//!
//! Counts, over the active series the forecaster reads ([`forestock_demand::load_series`]),
//! the days out of stock with no sales and the days that sold out (sales, and the level fell
//! to zero that day: [`forestock_demand::day_stock`]) and how many of those sold less than the
//! usual day and are censored ([`forestock_demand::demand_units`]); then forecasts 28 days of
//! every series with a censored sold-out day twice, with those days censored (as `forestock
//! forecast` does) and with their sales taken as demand, and prints the totals.

use forestock_core::Store;
use forestock_demand::{day_stock, demand_units, load_series, DayStock};
use forestock_forecast::{forecast_all, ForecastConfig};
use std::collections::HashMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let store = match std::env::args().nth(1) {
        Some(path) => Store::open_read_only(path.as_ref())?,
        None => {
            let mut store = Store::create(&dir.path().join("demo.db"))?;
            let t = std::time::Instant::now();
            forestock_demo::generate(&mut store, &Default::default(), &mut |_| {})?;
            eprintln!(
                "demo merchant generated in {:.1} s",
                t.elapsed().as_secs_f64()
            );
            store
        }
    };
    let horizon = 28;
    let (series, ids) = load_series(&store, horizon)?;
    let wanted: HashMap<(i64, i64), usize> =
        ids.iter().enumerate().map(|(k, id)| (*id, k)).collect();
    let (mut days, mut out, mut sold_out, mut sold_out_units) = (0usize, 0usize, 0usize, 0.0);
    let mut short = 0usize;
    // Per series with a sold-out day: its history with those days' sales as demand.
    let mut ordinary = Vec::new();
    let mut censored = Vec::new();
    store.read().demand_history(|h| {
        let Some(&k) = wanted.get(&(h.variant_id, h.location_id)) else {
            return Ok(());
        };
        let n = series[k].units.len();
        let mut plain = series[k].clone();
        let mut any = false;
        let demand = demand_units(&h.units, &h.on_hand);
        for (i, d) in demand.iter().enumerate().take(n) {
            match day_stock(&h.units, &h.on_hand, i) {
                DayStock::InStock => {}
                DayStock::OutOfStock => out += 1,
                DayStock::SoldOut => {
                    sold_out += 1;
                    sold_out_units += h.units[i];
                    // Censored only when it sold less than the usual day (`demand_units`).
                    if d.is_nan() {
                        short += 1;
                        plain.units[i] = h.units[i].max(0.0);
                        any = true;
                    }
                }
            }
        }
        days += n;
        if any {
            ordinary.push(plain);
            censored.push(series[k].clone());
        }
        Ok(())
    })?;
    println!(
        "{} series, {days} series-days: {out} out of stock with no sales ({:.2}%), {sold_out} sold out during the day ({:.2}%, {sold_out_units:.0} units sold on them), {short} of them short of the usual day and censored; {} series have a censored sold-out day",
        series.len(),
        100.0 * out as f64 / days.max(1) as f64,
        100.0 * sold_out as f64 / days.max(1) as f64,
        censored.len()
    );
    let cfg = ForecastConfig {
        horizon,
        ..ForecastConfig::default()
    };
    let total = |s: &[forestock_forecast::Series]| -> f64 {
        forecast_all(s, &cfg, &|_| {})
            .into_iter()
            .filter_map(Result::ok)
            .map(|f| f.mean.iter().sum::<f64>())
            .sum()
    };
    let t = std::time::Instant::now();
    let (with, without) = (total(&censored), total(&ordinary));
    println!(
        "28-day forecast of those series: {with:.0} units with sold-out days censored, {without:.0} with their sales as demand ({:+.1}%)",
        100.0 * (with / without - 1.0)
    );
    eprintln!("forecasts in {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}
