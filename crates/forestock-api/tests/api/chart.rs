//! The SKU chart's read model on a real migrated demo database: dates, weekly sums, the band
//! from the stored run, the projection with an incoming PO, past forecasts against what sold.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use forestock_api::chart::{self, ChartModel, Granularity};
use forestock_api::{plan, po, review, views, AuditStamp};
use forestock_core::Store;
use forestock_plan::po::PoStatus;
use std::collections::BTreeMap;

fn stamp() -> AuditStamp {
    crate::app_stamp()
}

fn demo() -> (tempfile::TempDir, Store) {
    crate::small_demo(30, 420)
}

/// A line that sells, with a plan behind it.
fn selling_line(store: &Store) -> (i64, i64) {
    let row = views::planner(store)
        .unwrap()
        .rows
        .into_iter()
        .filter(|r| r.forecast_30d.unwrap_or(0.0) > 5.0)
        .max_by(|a, b| a.forecast_30d.partial_cmp(&b.forecast_30d).unwrap())
        .expect("a selling line");
    (row.variant_id, row.location_id)
}

fn model(store: &Store, (v, l): (i64, i64), g: Granularity) -> ChartModel {
    chart::chart_model(store, v, l, g).unwrap()
}

#[test]
fn history_is_dated_and_weekly_points_sum_each_iso_week() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    let line = selling_line(&store);
    let as_of = store.read().merchant().unwrap().unwrap().as_of.unwrap();
    let h = chart::history(&store.read(), line.0, line.1)
        .unwrap()
        .unwrap();

    let daily = model(&store, line, Granularity::Daily);
    assert_eq!(daily.today, Some(as_of));
    assert_eq!(daily.history.len(), chart::CHART_DAYS);
    assert_eq!(daily.history.last().unwrap().date, as_of);
    assert_eq!(
        daily.history[0].date,
        as_of - Days::new(chart::CHART_DAYS as u64 - 1)
    );
    for w in daily.history.windows(2) {
        assert_eq!(w[1].date, w[0].date + Days::new(1), "days are consecutive");
    }
    let by_day: BTreeMap<NaiveDate, (f64, Option<i64>, bool)> = (0..h.units.len())
        .map(|i| (h.date(i), (h.units[i], h.on_hand[i], h.promo[i])))
        .collect();
    for p in &daily.history {
        let (units, on_hand, promo) = by_day[&p.date];
        assert_eq!((p.units, p.on_hand, p.days), (units, on_hand, 1));
        assert_eq!(p.stockout_days, u32::from(on_hand == Some(0)));
        assert_eq!(p.promo_days, u32::from(promo));
    }

    let weekly = model(&store, line, Granularity::Weekly);
    assert_eq!(weekly.granularity, Granularity::Weekly);
    for p in &weekly.history {
        assert_eq!(p.date.weekday(), Weekday::Mon, "{} starts a week", p.date);
        let days: Vec<_> = by_day
            .range(p.date..p.date + Days::new(7))
            .filter(|(d, _)| **d <= as_of)
            .collect();
        assert_eq!(p.days as usize, days.len(), "week of {}", p.date);
        let sum: f64 = days.iter().map(|(_, (u, _, _))| u).sum();
        assert!((p.units - sum).abs() < 1e-9, "week of {}", p.date);
        let stockouts = days.iter().filter(|(_, (_, oh, _))| *oh == Some(0)).count();
        assert_eq!(p.stockout_days as usize, stockouts);
        assert_eq!(
            p.on_hand,
            days.last().unwrap().1 .1,
            "stock at the week's end"
        );
    }
    // Whole weeks but the last (cut at today), and the year is covered.
    assert!(weekly.history[..weekly.history.len() - 1]
        .iter()
        .all(|p| p.days == 7));
    assert_eq!(
        weekly.history.last().unwrap().date,
        as_of - Days::new(u64::from(as_of.weekday().num_days_from_monday()))
    );
    assert!(weekly.history[0].date <= daily.history[0].date);
}

#[test]
fn the_band_is_the_latest_stored_runs_p10_to_p90() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    // A run as of the day before (a re-plan on the same day would replace its run), then
    // a second run: the chart reads the latest.
    let as_of = store.read().merchant().unwrap().unwrap().as_of.unwrap();
    plan::plan(&mut store, &stamp, Some(as_of - Days::new(1)), &|_| {}).unwrap();
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    let line = selling_line(&store);
    let stored = forestock_demand::series_days(&store, line.0, line.1).unwrap();
    let latest = stored.iter().map(|d| d.run_id).max().unwrap();
    let days: Vec<_> = stored.iter().filter(|d| d.run_id == latest).collect();
    assert!(stored.iter().any(|d| d.run_id != latest), "two runs stored");

    let daily = model(&store, line, Granularity::Daily);
    let info = daily.forecast_info.as_ref().expect("the forecast's model");
    assert_eq!(info.run_id, latest);
    assert!(!info.model.is_empty());
    assert_eq!(daily.forecast.len(), days.len());
    assert_eq!(daily.forecast[0].date, daily.today.unwrap() + Days::new(1));
    for (p, d) in daily.forecast.iter().zip(&days) {
        assert_eq!(
            (p.date, p.mean, p.p10, p.p90),
            (d.date, d.mean, d.p10, d.p90)
        );
        assert!(p.p10 <= p.p90);
    }
    let row = views::planner(&store)
        .unwrap()
        .rows
        .into_iter()
        .find(|r| (r.variant_id, r.location_id) == line)
        .unwrap();
    assert_eq!(daily.safety_stock, row.safety_stock);
    assert_eq!(daily.reorder_point, row.reorder_point);
    assert_eq!(daily.rationale, row.rationale);
    assert!(!daily.rationale.is_empty(), "why this number");

    // Weekly: the means summed per ISO week, the band from the week's total demand.
    let weekly = model(&store, line, Granularity::Weekly);
    let mut sums: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for d in &days {
        *sums
            .entry(Granularity::Weekly.period_start(d.date))
            .or_default() += d.mean;
    }
    // The horizon's last, partial week is left off (it would look like a fall in demand).
    let last = *sums.keys().next_back().unwrap();
    if days
        .iter()
        .filter(|d| Granularity::Weekly.period_start(d.date) == last)
        .count()
        < 7
    {
        sums.remove(&last);
    }
    assert_eq!(weekly.forecast.len(), sums.len());
    assert!(
        weekly.forecast[1..].iter().all(|p| p.days == 7),
        "{:?}",
        weekly.forecast
    );
    for p in &weekly.forecast {
        assert!((p.mean - sums[&p.date]).abs() < 1e-9);
        assert!(p.p10 <= p.p90, "{p:?}");
        if p.days == 7 {
            assert!(p.p10 < p.mean && p.mean < p.p90, "{p:?}");
        }
    }
}

#[test]
fn the_projection_counts_an_incoming_po_on_its_expected_date() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    let to_order: Vec<_> = forestock_plan::review::recommendations(&store, &Default::default())
        .unwrap()
        .into_iter()
        .filter(|g| g.rec.recommended_qty > 0 && g.rec.supplier_id.is_some())
        .collect();
    let g = to_order.first().expect("a line to order");
    let line = (g.rec.variant_id, g.rec.location_id);
    let before = model(&store, line, Granularity::Daily);
    assert!(before.incoming.is_empty(), "{:?}", before.incoming);

    review::decide(
        &mut store,
        &stamp,
        &[review::LineKey {
            variant_id: line.0,
            location_id: line.1,
        }],
        true,
        "",
    )
    .unwrap();
    let drafted = po::draft(&mut store, &stamp).unwrap();
    let order = drafted
        .iter()
        .find(|p| p.location_id == line.1 && p.lines.iter().any(|l| l.variant_id == line.0))
        .expect("a PO for the line");
    let qty = order
        .lines
        .iter()
        .find(|l| l.variant_id == line.0)
        .unwrap()
        .quantity;
    // A draft is not on order yet.
    assert!(model(&store, line, Granularity::Daily).incoming.is_empty());
    po::set_status(&mut store, &stamp, order.id, PoStatus::Approved, "").unwrap();

    let after = model(&store, line, Granularity::Daily);
    assert_eq!(after.incoming.len(), 1, "{:?}", after.incoming);
    let inc = &after.incoming[0];
    assert_eq!(
        (inc.reference.as_str(), inc.quantity, inc.date),
        (order.number.as_str(), qty, order.expected_date)
    );
    let arrival = if inc.overdue {
        after.forecast[0].date
    } else {
        inc.date
    };
    // Before the arrival the projection is unchanged; on its day the units come in.
    let level =
        |m: &ChartModel, d: NaiveDate| m.projection.iter().find(|p| p.date == d).unwrap().on_hand;
    assert_eq!(after.projection[0].on_hand, before.projection[0].on_hand);
    for p in after.projection.iter().filter(|p| p.date < arrival) {
        assert_eq!(p.on_hand, level(&before, p.date), "{}", p.date);
    }
    let mean = after
        .forecast
        .iter()
        .find(|p| p.date == arrival)
        .unwrap()
        .mean;
    let prev = level(&after, arrival - Days::new(1));
    let want = (prev + qty as f64 - mean).max(0.0);
    assert!((level(&after, arrival) - want).abs() < 1e-9);
    assert!(level(&after, arrival) > level(&before, arrival));
    // Each day without an arrival loses its mean demand, never below zero.
    for w in after.projection.windows(2) {
        if w[1].date != arrival {
            let m = after
                .forecast
                .iter()
                .find(|p| p.date == w[1].date)
                .unwrap()
                .mean;
            assert!((w[1].on_hand - (w[0].on_hand - m).max(0.0)).abs() < 1e-9);
        }
    }
}

#[test]
fn earlier_forecasts_for_days_now_history_are_shown_against_what_sold() {
    let stamp = stamp();
    let (_dir, mut store) = demo();
    let merchant = store.read().merchant().unwrap().unwrap();
    let as_of = merchant.as_of.unwrap();
    // Forecast as if it were two weeks ago, then again today.
    let earlier = as_of - Days::new(14);
    {
        let w = store.write().unwrap();
        w.set_merchant(&forestock_core::Merchant {
            as_of: Some(earlier),
            ..merchant.clone()
        })
        .unwrap();
        w.commit().unwrap();
    }
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    {
        let w = store.write().unwrap();
        w.set_merchant(&merchant).unwrap();
        w.commit().unwrap();
    }
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    // A line that sold over those two weeks (a stockout would leave nothing to compare).
    let line = views::planner(&store)
        .unwrap()
        .rows
        .into_iter()
        .map(|r| (r.variant_id, r.location_id))
        .find(|&(v, l)| {
            chart::history(&store.read(), v, l)
                .unwrap()
                .is_some_and(|h| h.units.iter().rev().take(14).sum::<f64>() > 10.0)
        })
        .expect("a line that sold lately");
    let stored = forestock_demand::series_days(&store, line.0, line.1).unwrap();
    let first_run = stored.iter().map(|d| d.run_id).min().unwrap();
    let h = chart::history(&store.read(), line.0, line.1)
        .unwrap()
        .unwrap();
    let sold = |d: NaiveDate| h.units[usize::try_from((d - h.start).num_days()).unwrap()];

    let daily = model(&store, line, Granularity::Daily);
    assert_eq!(daily.past_forecast.len(), 14);
    let (mut err, mut total) = (0.0, 0.0);
    for (i, p) in daily.past_forecast.iter().enumerate() {
        assert_eq!(p.date, earlier + Days::new(i as u64 + 1));
        assert_eq!(p.run_id, first_run);
        let d = stored
            .iter()
            .find(|d| d.run_id == first_run && d.date == p.date)
            .unwrap();
        assert_eq!(p.forecast, d.mean);
        assert_eq!(p.actual, sold(p.date));
        err += (p.forecast - p.actual).abs();
        total += p.actual;
    }
    assert!((daily.past_wape.unwrap() - err / total).abs() < 1e-12);
    // The latest run's forecast starts after today, not in the past.
    assert!(daily.forecast.iter().all(|p| p.date > as_of));

    let weekly = model(&store, line, Granularity::Weekly);
    let days: u32 = weekly.past_forecast.iter().map(|p| p.days).sum();
    assert_eq!(days, 14);
    let f: f64 = weekly.past_forecast.iter().map(|p| p.forecast).sum();
    let a: f64 = weekly.past_forecast.iter().map(|p| p.actual).sum();
    let fd: f64 = daily.past_forecast.iter().map(|p| p.forecast).sum();
    assert!((f - fd).abs() < 1e-9 && (a - total).abs() < 1e-9);
    assert!(weekly
        .past_forecast
        .iter()
        .all(|p| p.date.weekday() == Weekday::Mon));
}

#[test]
fn a_chart_export_names_the_granularity_and_is_audited() {
    let stamp = stamp();
    let (dir, mut store) = demo();
    plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
    let line = selling_line(&store);
    let saved = chart::export(
        &mut store,
        &stamp,
        line.0,
        line.1,
        Granularity::Weekly,
        chart::ChartFormat::Png,
        |m, _| {
            assert_eq!(m.granularity, Granularity::Weekly);
            Ok::<_, forestock_api::Error>(b"png".to_vec())
        },
        |name| {
            assert!(name.ends_with("-weekly.png"), "{name}");
            Ok(Some(dir.path().join(name)))
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(std::fs::read(&saved.0).unwrap(), b"png");
    let e = &store
        .read()
        .audit_entries(&forestock_core::AuditFilter {
            action: Some("chart.export".into()),
            ..Default::default()
        })
        .unwrap()[0];
    assert_eq!(e.after.as_ref().unwrap()["granularity"], "weekly");
}
