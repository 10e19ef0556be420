//! Diagnosis of the global model on one origin: trains it (`global::train`, as a run does)
//! on every series cut `H + BACK` periods before the end of the file, then compares the global
//! model's mean alone (`global_weight = 1`) with the local engine's (`global_weight = 0`) and
//! with the actuals of the `H` periods after the origin. Run through
//! `bench/global-check.sh`.
//!
//! ```text
//! global_check FILE BACK [BUDGET [SCALE]]   # h = 28, BUDGET = the global model's budget
//!                                           # (0.5), SCALE = none | features | target
//! ```
//!
//! Prints the trees of both models (the forecast's and the early one of the backtests), the
//! pooled bias of each forecast over the known actuals, the median and mean over series of
//! the ratio global / local forecast total, and the summed absolute error of the totals.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a diagnostic: any failure ends it

use forestock_forecast::{io::read_history_file, ForecastConfig, Series};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let back: i64 = args.next().expect("BACK").parse().expect("BACK: periods");
    let budget: f64 = args
        .next()
        .map_or(0.5, |v| v.parse().expect("BUDGET: a number"));
    let scale: forestock_forecast::GlobalScale = args
        .next()
        .map_or(Default::default(), |v| v.parse().expect("SCALE"));
    let series = read_history_file(std::path::Path::new(&path))
        .unwrap()
        .series;
    let freq = series[0].frequency;
    let end = series.iter().map(Series::end).max().unwrap();
    let h = 28;
    let origin = freq.add(end, -(h as i64 + back));
    let (mut train, mut actuals) = (Vec::new(), Vec::new());
    for s in &series {
        let Some(n) = freq.periods_between(s.start, origin).filter(|n| *n > 0) else {
            continue;
        };
        let n = (n as usize).min(s.units.len());
        let act: Vec<f64> = (0..h)
            .map(|i| s.units.get(n + i).copied().unwrap_or(f64::NAN))
            .collect();
        let mut t = s.truncated(n);
        t.future_promo.clear();
        train.push(t);
        actuals.push(act);
    }
    let mut cfg = ForecastConfig::with_horizon(h);
    cfg.global_budget = budget;
    cfg.global_scale = scale;
    let t0 = std::time::Instant::now();
    let models = forestock_forecast::global::train(&train, &cfg).unwrap();
    println!(
        "origin {origin}, budget {budget}, scale {scale:?}: trained in {:.1} s: {models:?}",
        t0.elapsed().as_secs_f64()
    );
    cfg.global_weight = 1.0;
    let t1 = std::time::Instant::now();
    let global = forestock_forecast::forecast_all_with_global(&train, &cfg, &models, &|_| {});
    let tg = t1.elapsed().as_secs_f64();
    cfg.global_weight = 0.0;
    let t2 = std::time::Instant::now();
    let local = forestock_forecast::forecast_all(&train, &cfg, &|_| {});
    println!(
        "engine with the global blend {tg:.1} s, local engine {:.1} s",
        t2.elapsed().as_secs_f64()
    );
    let (mut sg, mut sl, mut sa, mut eg, mut el) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut ratios = Vec::new();
    for (a, (g, l)) in actuals.iter().zip(global.iter().zip(&local)) {
        let (Ok(g), Ok(l)) = (g, l) else { continue };
        let known: Vec<usize> = (0..h).filter(|&i| a[i].is_finite()).collect();
        let tg: f64 = known.iter().map(|&i| g.mean[i]).sum();
        let tl: f64 = known.iter().map(|&i| l.mean[i]).sum();
        let ta: f64 = known.iter().map(|&i| a[i]).sum();
        (sg, sl, sa) = (sg + tg, sl + tl, sa + ta);
        (eg, el) = (eg + (tg - ta).abs(), el + (tl - ta).abs());
        if tl > 0.0 {
            ratios.push(tg / tl);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    let mean = ratios.iter().sum::<f64>() / ratios.len().max(1) as f64;
    println!(
        "{} series: bias global {:+.3}, local {:+.3}; global / local total: median {median:.2}, \
         mean {mean:.2}; sum |total - actual|: global {eg:.0}, local {el:.0}",
        ratios.len(),
        sg / sa - 1.0,
        sl / sa - 1.0
    );
}
