//! Benchmark driver for the policy simulation without the CLI:
//! `cargo run --profile bench-fast -p forestock-plan --example policy_sim -- HISTORY.csv [LEAD] [REVIEW] [WINDOWS] [FILL_FLOOR] [SKIP]`
//! prints the sweep (our policy over service levels, the cover rule over cover lengths); with
//! WINDOWS > 1 our policy at fill-rate targets (`fill_rate` rows), stockout-day worths
//! (`marginal` rows, the marginal allocation) and stock budgets (`budget` rows) too; with
//! WINDOWS > 1, over that many 28-day replay windows with each metric's spread, and each cover
//! rule of 14, 21, 30 and 45 days compared by more than the spread (`forestock policy-sim
//! --windows N --sweep` prints the same). SKIP > 0 replays the WINDOWS windows that end SKIP
//! windows before the end of the file instead: the older windows choices are made on.

use forestock_plan::sim::{
    prepare, sweep_windows_with, SimConfig, WindowsSweep, COMPARED_COVERS, SWEEP_BUDGETS,
    SWEEP_FILL_RATES, SWEEP_STOCKOUT_WORTHS,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: policy_sim HISTORY.csv [LEAD] [REVIEW]")?;
    let lead = args.get(2).map_or(Ok(7), |s| s.parse())?;
    let review = args.get(3).map_or(Ok(7), |s| s.parse())?;
    let windows: usize = args.get(4).map_or(Ok(1), |s| s.parse())?;
    let floor: f64 = args.get(5).map_or(Ok(0.0), |s| s.parse())?;
    let skip: usize = args.get(6).map_or(Ok(0), |s| s.parse())?;
    let t = std::time::Instant::now();
    let loaded = forestock_forecast::io::read_history_file(path.as_ref())?;
    let cfg = SimConfig {
        lead_time: lead,
        review,
        fill_rate_floor: floor,
        ..SimConfig::default()
    };
    let levels = [
        0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
    ];
    let covers = [7.0, 14.0, 21.0, 30.0, 45.0, 60.0];
    if windows > 1 || skip > 0 {
        let r = sweep_windows_with(
            &loaded.series,
            &cfg,
            &WindowsSweep {
                skip,
                windows,
                levels: &levels,
                fill_rates: &SWEEP_FILL_RATES,
                stockout_worths: &SWEEP_STOCKOUT_WORTHS,
                budgets: &SWEEP_BUDGETS,
                covers: &covers,
                compare: &COMPARED_COVERS,
            },
        )?;
        println!("series per window: {:?}", r.series);
        println!("| policy | param | fill rate | stockout days | avg on hand | cycle service |");
        println!("|---|---|---|---|---|---|");
        for p in &r.points {
            let (m, s) = (p.mean, p.sd);
            println!(
                "| {} | {} | {:.4} ± {:.4} | {:.2} ± {:.2} | {:.2} ± {:.2} | {:.4} ± {:.4} |",
                p.policy,
                p.param,
                m.fill_rate,
                s.fill_rate,
                m.stockout_days,
                s.stockout_days,
                m.avg_on_hand_units,
                s.avg_on_hand_units,
                m.cycle_service_level,
                s.cycle_service_level
            );
        }
        for p in &r.points {
            let w: Vec<String> = p
                .per_window
                .iter()
                .map(|m| format!("{:.2}/{:.1}", m.stockout_days, m.avg_on_hand_units))
                .collect();
            eprintln!(
                "{} {}: stockout days/on hand per window, newest first: {}",
                p.policy,
                p.param,
                w.join(" ")
            );
        }
        for c in &r.rules {
            println!(
                "cover {} d: {} {} {} — {:.3} ± {:.3} fewer stockout days ({:.0}% of the rule's), {:.2} ± {:.2} fewer units ({:.0}% of its stock)",
                c.cover_days,
                c.policy,
                c.level,
                if c.best_level.is_some() { "wins by more than the spread" } else { "does not win by more than the spread (closest)" },
                c.fewer_stockout_days,
                c.fewer_stockout_days_sd,
                c.stockout_days_ratio * 100.0,
                c.less_on_hand_units,
                c.less_on_hand_units_sd,
                c.on_hand_ratio * 100.0
            );
        }
        eprintln!("total {:.1} s", t.elapsed().as_secs_f64());
        return Ok(());
    }
    let p = prepare(&loaded.series, &cfg)?;
    eprintln!(
        "{} series prepared in {:.1} s",
        p.series_count(),
        t.elapsed().as_secs_f64()
    );
    for l in [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99] {
        eprintln!("target {l}: quantile level {:.4}", p.calibration().level(l));
    }
    println!("| policy | param | fill rate | stockout days | avg on hand | avg value | cycle service | cover d |");
    println!("|---|---|---|---|---|---|---|---|");
    for pt in p.sweep(&levels, &covers)? {
        let m = pt.metrics;
        println!(
            "| {} | {} | {:.4} | {:.2} | {:.2} | {:.2} | {:.4} | {:.1} |",
            pt.policy,
            pt.param,
            m.fill_rate,
            m.stockout_days,
            m.avg_on_hand_units,
            m.avg_on_hand_value,
            m.cycle_service_level,
            m.cover_days
        );
    }
    eprintln!("total {:.1} s", t.elapsed().as_secs_f64());
    Ok(())
}
