//! Time the stages of a plan run on a merchant database:
//! `cargo run --profile bench-fast -p forestock-plan --example plan_timing -- /tmp/p.db`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use forestock_plan::plan::{gather, run_plan, PlanRequest};
use forestock_plan::settings::PlanSettings;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: plan_timing DB");
    let mut store = forestock_core::Store::open(std::path::Path::new(&path)).unwrap();
    if let Some(pragma) = std::env::args().nth(2) {
        // e.g. "PRAGMA mmap_size = 268435456": try connection settings the store could adopt.
        store.read().conn().execute_batch(&pragma).unwrap();
        println!("{pragma}");
    }
    let t = Instant::now();
    let mut n = 0;
    store
        .read()
        .demand_history(|_| {
            n += 1;
            Ok(())
        })
        .unwrap();
    println!(
        "demand_history  {n} series {:>7.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let as_of = store.read().merchant().unwrap().and_then(|m| m.as_of);
    let inv = store.read().inventory_on(as_of.unwrap()).unwrap();
    println!(
        "inventory_on    {} rows {:>7.2} s",
        inv.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let (lines, _, _) = gather(&store, &PlanSettings::default(), None).unwrap();
    println!(
        "gather          {} lines {:>7.2} s",
        lines.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let s = run_plan(&mut store, &PlanRequest { today: None, now }).unwrap();
    println!(
        "run_plan        {} lines {:>7.2} s",
        s.lines,
        t.elapsed().as_secs_f64()
    );
}
