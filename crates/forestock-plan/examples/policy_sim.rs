//! Benchmark driver for the policy simulation without the CLI:
//! `cargo run --profile bench-fast -p forestock-plan --example policy_sim -- HISTORY.csv [LEAD] [REVIEW]`
//! prints the sweep (our policy over service levels, the cover rule over cover lengths).

use forestock_plan::sim::{prepare, SimConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .ok_or("usage: policy_sim HISTORY.csv [LEAD] [REVIEW]")?;
    let lead = args.get(2).map_or(Ok(7), |s| s.parse())?;
    let review = args.get(3).map_or(Ok(7), |s| s.parse())?;
    let t = std::time::Instant::now();
    let loaded = forestock_forecast::io::read_history_file(path.as_ref())?;
    let cfg = SimConfig {
        lead_time: lead,
        review,
        ..SimConfig::default()
    };
    let p = prepare(&loaded.series, &cfg)?;
    eprintln!(
        "{} series prepared in {:.1} s",
        p.series_count(),
        t.elapsed().as_secs_f64()
    );
    for l in [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99] {
        eprintln!("target {l}: quantile level {:.4}", p.calibration().level(l));
    }
    let levels = [
        0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995,
    ];
    let covers = [7.0, 14.0, 21.0, 30.0, 45.0, 60.0];
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
