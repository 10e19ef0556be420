//! One SKU×location: the inputs a recommendation is computed from, and the pure computation.
//!
//! [`compute_line`] is the single function behind the nightly plan, scenario evaluation and
//! the app's "recompute" — the same inputs always give the same recommendation.

use chrono::{Days, NaiveDate};
use forestock_forecast::{
    Accuracy, DemandClass, Frequency, SeriesForecast, SeriesKey, Uncertainty,
};
use serde::{Deserialize, Serialize};

use crate::policy::{levels_with_worth, round_order, LeadTime, OrderRules};
use crate::settings::PlanSettings;

/// An open inbound quantity and when it is expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbound {
    pub expected: NaiveDate,
    pub quantity: i64,
}

/// Everything one recommendation is computed from (stored with the line so scenarios can
/// recompute it without re-forecasting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineInputs {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub location: String,
    pub category: String,
    pub vendor: String,
    pub supplier_id: Option<i64>,
    pub supplier: Option<String>,
    pub currency: String,
    pub today: NaiveDate,
    /// Expected demand per day from tomorrow over the horizon.
    pub forecast: Vec<f64>,
    pub season: usize,
    pub uncertainty: Uncertainty,
    pub model: String,
    pub demand_class: String,
    pub lead_time: LeadTime,
    pub review_days: usize,
    pub service_level: f64,
    pub abc: char,
    pub xyz: char,
    pub on_hand: i64,
    pub committed: i64,
    pub inbound: Vec<Inbound>,
    pub rules: OrderRules,
    pub price: f64,
    pub min_presentation: f64,
    /// Units sold over the last 90 days and the last day with a sale.
    pub sales_90d: f64,
    pub last_sale: Option<NaiveDate>,
    pub created: NaiveDate,
    pub discontinue: Option<NaiveDate>,
    /// Safety stock of the previous plan and its date, for the weekly guardrail.
    pub previous_safety_stock: Option<(NaiveDate, f64)>,
    /// Units arriving by transfer from another location (set by the transfer pass).
    pub transfer_in: i64,
    /// Units leaving by transfer to another location.
    pub transfer_out: i64,
    /// What the alerts read besides the recommendation.
    #[serde(default)]
    pub signals: Signals,
    /// The planner's forecast overrides already applied to `forecast`, as rationale lines
    /// ([`crate::forecast_overrides`]); the statistical forecast stays in the forecast run.
    #[serde(default)]
    pub forecast_overrides: Vec<String>,
}

/// Backtest accuracy of a line's forecast, as stored (figures that could not be computed, e.g.
/// a scale of zero, are `None` rather than NaN, which JSON cannot hold).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForecastAccuracy {
    pub mase: Option<f64>,
    pub wape: Option<f64>,
    pub bias: Option<f64>,
    pub origins: u32,
}

impl From<Accuracy> for ForecastAccuracy {
    fn from(a: Accuracy) -> Self {
        let finite = |x: f64| x.is_finite().then_some(x);
        ForecastAccuracy {
            mase: finite(a.mase),
            wape: finite(a.wape),
            bias: finite(a.bias),
            origins: a.origins,
        }
    }
}

/// Evidence the alerts read besides the recommendation: last week's sales, promotions around
/// the planning date, and the forecast's backtest accuracy (now and in the previous plan).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signals {
    /// Units sold on each of the last 7 days up to the planning date (oldest first).
    pub last_week: Vec<f64>,
    /// Days of the last 7 that ended with nothing on hand (sales were capped by stock).
    pub stockout_days: u32,
    /// A promotion ran in the last 7 days or runs in the next 7.
    pub promo_recent: bool,
    pub promo_next: bool,
    /// Backtest accuracy of the selected model.
    pub accuracy: Option<ForecastAccuracy>,
    /// MASE of the same line in the previous plan run.
    pub previous_mase: Option<f64>,
}

/// How a SKU×location moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    Normal,
    Slow,
    Dead,
    New,
    EndOfLife,
}

impl Movement {
    /// The wire name (the same as its JSON form).
    pub fn as_str(self) -> &'static str {
        match self {
            Movement::Normal => "normal",
            Movement::Slow => "slow",
            Movement::Dead => "dead",
            Movement::New => "new",
            Movement::EndOfLife => "end_of_life",
        }
    }
}

/// Advice for a SKU being discontinued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndOfLife {
    pub discontinue: NaiveDate,
    /// Expected demand from today to the end-of-life date.
    pub demand_to_eol: f64,
    /// Last order to cover demand to the end of life at the service level.
    pub final_buy_qty: i64,
    /// Stock expected to be left at the end of life without markdown.
    pub leftover_units: f64,
    /// When to start marking down so the leftover sells (None: none expected).
    pub markdown_from: Option<NaiveDate>,
}

/// One recommendation row, as the review grid shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub variant_id: i64,
    pub location_id: i64,
    pub sku: String,
    pub location: String,
    pub category: String,
    pub supplier_id: Option<i64>,
    pub supplier: Option<String>,
    pub currency: String,
    pub abc: char,
    pub xyz: char,
    pub movement: Movement,
    pub service_level: f64,
    pub lead_time_days: f64,
    pub lead_time_sd_days: f64,
    pub review_days: usize,
    /// Mean forecast demand per day over the protection interval.
    pub daily_demand: f64,
    pub forecast_30d: f64,
    pub protection_demand: f64,
    pub safety_stock: f64,
    pub reorder_point: f64,
    pub order_up_to: f64,
    pub on_hand: i64,
    pub committed: i64,
    pub on_order: i64,
    pub inventory_position: i64,
    pub recommended_qty: i64,
    pub unit_cost: f64,
    pub order_value: f64,
    pub expected_fill_rate: f64,
    pub days_of_cover: Option<f64>,
    pub stockout_date: Option<NaiveDate>,
    pub excess_units: f64,
    pub excess_value: f64,
    pub transfer_in: i64,
    pub transfer_out: i64,
    pub end_of_life: Option<EndOfLife>,
    pub model: String,
    /// The terms that produced the numbers, in words a planner reads.
    pub rationale: Vec<String>,
}

impl Recommendation {
    /// Units this line needs but cannot order because no supplier is linked to the SKU:
    /// the unrounded need (order-up-to − inventory position, rounded up to whole units);
    /// 0 when a supplier is linked or nothing is needed. A line with this above 0 is flagged
    /// "needs a supplier", counted in the plan summary and alerted, never dropped silently.
    pub fn unsupplied_need(&self) -> i64 {
        if self.supplier_id.is_some() {
            return 0;
        }
        let need = self.order_up_to - self.inventory_position as f64;
        #[allow(clippy::cast_possible_truncation)]
        if need.is_finite() && need > 0.0 {
            need.ceil() as i64
        } else {
            0
        }
    }

    /// Stockout risk, the one definition (the Overview's count, the planner grid's flag, the
    /// scenario totals and the alert list all use it): the line runs out — mean forecast
    /// against available stock and dated inbound, [`Recommendation::stockout_date`] — on or
    /// before the day an order placed on `today` can arrive (its lead time). Dead and
    /// end-of-life lines and lines without demand are never at risk.
    pub fn at_stockout_risk(&self, today: NaiveDate) -> bool {
        if matches!(self.movement, Movement::EndOfLife | Movement::Dead) || self.daily_demand <= 0.0
        {
            return false;
        }
        self.stockout_date
            .is_some_and(|out| days_between(today, out) as f64 <= self.lead_time_days)
    }
}

impl LineInputs {
    /// The forecast as the engine's type, to ask for window distributions.
    pub fn series_forecast(&self) -> SeriesForecast {
        SeriesForecast {
            key: SeriesKey::new(self.sku.clone(), self.location.clone()),
            frequency: Frequency::Daily,
            first_date: self.today + Days::new(1),
            mean: self.forecast.clone(),
            model: self.model.clone(),
            class: DemandClass::Smooth,
            season: self.season,
            uncertainty: self.uncertainty,
            accuracy: None,
            notes: Vec::new(),
            // windows (all the plan reads) never mix in the empirical distribution
            recent: Vec::new(),
        }
    }

    /// Open inbound units.
    pub fn on_order(&self) -> i64 {
        self.inbound.iter().map(|i| i.quantity).sum()
    }
}

fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// Compute the recommendation for one SKU×location.
pub fn compute_line(inp: &LineInputs, settings: &PlanSettings) -> Recommendation {
    let f = inp.series_forecast();
    let mut why = Vec::new();
    let eol_days = inp
        .discontinue
        .map(|d| days_between(inp.today, d).max(0))
        .map(|d| usize::try_from(d).unwrap_or(0));
    // No demand is planned past the end of life.
    let window = |s: usize, l: usize| match eol_days {
        Some(e) if s >= e => forestock_forecast::DemandDistribution::zero(),
        Some(e) => f.window(s, l.min(e - s)),
        None => f.window(s, l),
    };
    // The order-up-to level for cycle service p is the protection-interval quantile read at
    // the engine's out-of-sample calibrated window level (forestock_forecast::QuantileCalibration),
    // the same calibration `policy-sim` replays.
    let protection_len = inp.lead_time.mean_days.round().max(0.0) as usize + inp.review_days;
    let lv = levels_with_worth(
        &window,
        inp.review_days,
        &inp.lead_time,
        f.window_level(protection_len, inp.service_level),
        inp.min_presentation,
        settings.fill_rate_floor,
        settings.stockout_day_worth,
    );
    let protection_days = inp.lead_time.mean_days + inp.review_days as f64;
    let daily = if protection_days > 0.0 {
        lv.protection_demand / protection_days
    } else {
        0.0
    };
    let forecast_30d = window(0, 30).mean();
    why.push(format!(
        "forecast {:.1} units over lead time {:.0}±{:.1} d + review {} d ({:.2}/day, model {})",
        lv.protection_demand,
        inp.lead_time.mean_days,
        inp.lead_time.sd_days,
        inp.review_days,
        daily,
        inp.model
    ));
    why.extend(inp.forecast_overrides.iter().cloned());
    if let Some(a) = &lv.allocation {
        why.push(format!(
            "order-up-to {:.0} by stock allocation at {} unit-days of stock per stockout day \
             avoided: expected {:.2} stockout days per {}-day review, {:.1} units on hand \
             ({:.0}% cycle service would order up to {:.0})",
            a.order_up_to,
            a.stockout_day_worth,
            a.expected_stockout_days,
            inp.review_days,
            a.expected_on_hand,
            inp.service_level * 100.0,
            a.service_order_up_to
        ));
        // Presentation stock (expected demand plus the shelf minimum) applies over the
        // allocation's level and may raise it: say so, or the line contradicts itself.
        if lv.cycle_order_up_to > a.order_up_to {
            why.push(format!(
                "order-up-to raised from {:.0} to {:.0} for presentation stock ({:.0} units on the shelf over the expected demand)",
                a.order_up_to, lv.cycle_order_up_to, inp.min_presentation
            ));
        }
    }
    if lv.order_up_to > lv.cycle_order_up_to {
        why.push(format!(
            "order-up-to raised from {:.0} to {:.0} for the {:.0}% fill-rate floor (expected fill {:.0}%)",
            lv.cycle_order_up_to,
            lv.order_up_to,
            settings.fill_rate_floor * 100.0,
            lv.expected_fill_rate * 100.0
        ));
    }
    let mut safety = lv.safety_stock;
    let mut order_up_to = lv.order_up_to;
    let target = if lv.allocation.is_some() {
        "the stock allocation".to_string()
    } else {
        format!("{:.0}% cycle service", inp.service_level * 100.0)
    };
    why.push(format!(
        "safety stock {:.0} for {target} (class {}{}; demand sd {:.1} over the interval, incl. lead-time spread)",
        safety,
        inp.abc,
        inp.xyz,
        lv.protection_sd
    ));
    // Guardrail: automatic safety-stock changes are capped per week.
    if let Some((prev_date, prev_ss)) = inp.previous_safety_stock {
        let weeks = (days_between(prev_date, inp.today).max(1) as f64 / 7.0).max(1.0);
        let cap = settings.safety_stock_weekly_cap * weeks * prev_ss.abs().max(1.0);
        if settings.safety_stock_weekly_cap > 0.0 && (safety - prev_ss).abs() > cap {
            let capped = if safety > prev_ss {
                prev_ss + cap
            } else {
                prev_ss - cap
            };
            why.push(format!(
                "guardrail: safety stock change {prev_ss:.0} → {safety:.0} capped at {capped:.0} ({:.0}% a week)",
                settings.safety_stock_weekly_cap * 100.0
            ));
            order_up_to = (order_up_to + capped - safety).max(0.0).ceil();
            safety = capped;
        }
    }
    let on_order = inp.on_order();
    let position = inp.on_hand - inp.committed + on_order + inp.transfer_in - inp.transfer_out;
    why.push(format!(
        "position {position} = on hand {} − committed {} + on order {on_order}{}",
        inp.on_hand,
        inp.committed,
        if inp.transfer_in > 0 || inp.transfer_out > 0 {
            format!(
                " + transfer in {} − transfer out {}",
                inp.transfer_in, inp.transfer_out
            )
        } else {
            String::new()
        }
    ));
    let raw_need = order_up_to - position as f64;
    let rounded = if inp.supplier_id.is_some() {
        round_order(raw_need, &inp.rules, daily)
    } else {
        crate::policy::Rounded {
            qty: 0,
            unit_cost: inp.rules.unit_cost,
            steps: if raw_need > 0.0 {
                vec!["no supplier linked: cannot order".into()]
            } else {
                vec![]
            },
        }
    };
    if raw_need > 0.0 {
        why.push(format!(
            "need {raw_need:.0} = order-up-to {order_up_to:.0} − position {position}"
        ));
    } else {
        why.push(format!(
            "no order: position {position} covers order-up-to {order_up_to:.0}"
        ));
    }
    why.extend(rounded.steps.iter().cloned());
    // Days of cover and projected stockout from the mean forecast and dated inbound.
    let mut stock = (inp.on_hand - inp.committed) as f64;
    let mut stockout = None;
    let horizon = f.horizon().max(1);
    for d in 0..horizon {
        let date = inp.today + Days::new(d as u64 + 1);
        stock += inp
            .inbound
            .iter()
            .filter(|i| i.expected == date || (d == 0 && i.expected <= inp.today))
            .map(|i| i.quantity as f64)
            .sum::<f64>();
        stock -= f.mean_at(d);
        if stock < 0.0 && eol_days.is_none_or(|e| d < e) {
            stockout = Some(date);
            break;
        }
    }
    let avg_daily_30 = forecast_30d / 30.0;
    let days_of_cover =
        (avg_daily_30 > 1e-9).then(|| (inp.on_hand - inp.committed).max(0) as f64 / avg_daily_30);
    let excess_units = (position as f64 - order_up_to - settings.excess_cover_days * avg_daily_30)
        .max(0.0)
        .floor();
    let excess_value = excess_units * inp.rules.unit_cost;
    if excess_units > 0.0 {
        why.push(format!(
            "excess {excess_units:.0} units ({excess_value:.2} {}) beyond order-up-to + {:.0} days",
            inp.currency, settings.excess_cover_days
        ));
    }
    let age = days_between(inp.created, inp.today);
    let since_sale = inp.last_sale.map(|d| days_between(d, inp.today));
    let movement = if inp.discontinue.is_some() {
        Movement::EndOfLife
    } else if age < 90 {
        Movement::New
    } else if inp.on_hand > 0 && since_sale.is_none_or(|d| d >= i64::from(settings.dead_after_days))
    {
        Movement::Dead
    } else if days_of_cover.is_some_and(|c| c > settings.slow_cover_days)
        || (inp.on_hand > 0 && days_of_cover.is_none())
    {
        Movement::Slow
    } else {
        Movement::Normal
    };
    match movement {
        Movement::New => why.push(format!(
            "new SKU ({age} days old): launch quantity from its analog forecast"
        )),
        Movement::Dead => why.push(format!(
            "dead mover: no sale in {} days with {} on hand",
            since_sale.map_or("ever".to_string(), |d| d.to_string()),
            inp.on_hand
        )),
        Movement::Slow => why.push("slow mover: more cover than the slow-mover limit".into()),
        _ => {}
    }
    let end_of_life = inp.discontinue.map(|d| {
        let e = eol_days.unwrap_or(0);
        let to_eol = f.window(0, e);
        let final_buy = (crate::policy::DemandDist::integer_quantile(
            &to_eol,
            f.window_level(e, inp.service_level),
        )
            - position as f64)
            .max(0.0);
        let leftover = (position as f64 - to_eol.mean()).max(0.0);
        let markdown_from = (leftover > 0.5 && avg_daily_30 > 0.0).then(|| {
            // Start early enough that the leftover sells at the current rate before the date.
            let days_needed = (leftover / avg_daily_30).ceil() as i64;
            let start = d - chrono::Duration::days(days_needed.min(e as i64));
            start.max(inp.today)
        });
        why.push(format!(
            "end of life {d}: demand to then {:.0}, final buy {final_buy:.0}, leftover {leftover:.0}{}",
            to_eol.mean(),
            markdown_from.map_or(String::new(), |m| format!(", mark down from {m}"))
        ));
        #[allow(clippy::cast_possible_truncation)]
        EndOfLife {
            discontinue: d,
            demand_to_eol: to_eol.mean(),
            final_buy_qty: final_buy.ceil() as i64,
            leftover_units: leftover,
            markdown_from,
        }
    });
    let qty = rounded.qty;
    Recommendation {
        variant_id: inp.variant_id,
        location_id: inp.location_id,
        sku: inp.sku.clone(),
        location: inp.location.clone(),
        category: inp.category.clone(),
        supplier_id: inp.supplier_id,
        supplier: inp.supplier.clone(),
        currency: inp.currency.clone(),
        abc: inp.abc,
        xyz: inp.xyz,
        movement,
        service_level: inp.service_level,
        lead_time_days: inp.lead_time.mean_days,
        lead_time_sd_days: inp.lead_time.sd_days,
        review_days: inp.review_days,
        daily_demand: daily,
        forecast_30d,
        protection_demand: lv.protection_demand,
        safety_stock: safety,
        reorder_point: lv.reorder_point,
        order_up_to,
        on_hand: inp.on_hand,
        committed: inp.committed,
        on_order,
        inventory_position: position,
        recommended_qty: qty,
        unit_cost: rounded.unit_cost,
        order_value: qty as f64 * rounded.unit_cost,
        expected_fill_rate: lv.expected_fill_rate,
        days_of_cover,
        stockout_date: stockout,
        excess_units,
        excess_value,
        transfer_in: inp.transfer_in,
        transfer_out: inp.transfer_out,
        end_of_life,
        model: inp.model.clone(),
        rationale: why,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::policy::{levels, LeadTimeSource};

    pub fn inputs() -> LineInputs {
        LineInputs {
            variant_id: 1,
            location_id: 1,
            sku: "SKU-1".into(),
            location: "WH".into(),
            category: "Mugs".into(),
            vendor: "Acme".into(),
            supplier_id: Some(1),
            supplier: Some("Acme".into()),
            currency: "USD".into(),
            today: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            forecast: vec![4.0; 90],
            season: 7,
            uncertainty: Uncertainty {
                dispersion: 0.1,
                level_cv: 0.1,
                calibration: None,
            },
            model: "wa".into(),
            demand_class: "smooth".into(),
            lead_time: LeadTime {
                mean_days: 10.0,
                sd_days: 2.0,
                source: LeadTimeSource::Supplier,
            },
            review_days: 7,
            service_level: 0.95,
            abc: 'A',
            xyz: 'X',
            on_hand: 30,
            committed: 2,
            inbound: vec![Inbound {
                expected: NaiveDate::from_ymd_opt(2025, 7, 5).unwrap(),
                quantity: 12,
            }],
            rules: OrderRules {
                case_pack: 6,
                moq: 12,
                price_breaks: vec![],
                unit_cost: 5.0,
                holding_rate: 0.25,
                max_break_cover_days: 60.0,
            },
            price: 12.0,
            min_presentation: 0.0,
            sales_90d: 360.0,
            last_sale: NaiveDate::from_ymd_opt(2025, 6, 29),
            created: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            discontinue: None,
            previous_safety_stock: None,
            transfer_in: 0,
            transfer_out: 0,
            signals: Signals::default(),
            forecast_overrides: Vec::new(),
        }
    }

    #[test]
    fn a_typical_line_orders_whole_cases_with_a_rationale() {
        let r = compute_line(&inputs(), &PlanSettings::default());
        assert_eq!(r.inventory_position, 40);
        assert!(r.order_up_to > r.protection_demand);
        assert!(
            (r.protection_demand - 68.0).abs() < 1.0,
            "{}",
            r.protection_demand
        );
        assert!(r.recommended_qty > 0);
        assert_eq!(r.recommended_qty % 6, 0);
        assert!(r.recommended_qty as f64 >= r.order_up_to - 40.0);
        assert!(r.rationale.iter().any(|l| l.contains("safety stock")));
        assert!(r.rationale.iter().any(|l| l.contains("position 40")));
        // 28 available, 4/day, 12 arrive on day 5: empty after day 10, short on day 11.
        assert_eq!(r.stockout_date, NaiveDate::from_ymd_opt(2025, 7, 11));
        assert_eq!(r.movement, Movement::Normal);
    }

    #[test]
    fn the_order_up_to_level_reads_the_forecasts_calibrated_window_level() {
        // The forecast run's backtests said its protection-interval windows are too narrow
        // (95% service needs the 98.5% quantile): the plan orders up to the higher level, and
        // a forecast without calibration keeps the nominal one.
        use forestock_forecast::{LevelMap, QuantileCalibration, LEVEL_GRID};
        let plain = compute_line(&inputs(), &PlanSettings::default());
        let mut inp = inputs();
        let wider = LevelMap::new([0.01, 0.025, 0.05, 0.1, 0.5, 0.97, 0.985, 0.99, 0.995]);
        let id = LevelMap::new(LEVEL_GRID);
        inp.uncertainty.calibration = Some(QuantileCalibration {
            horizon: 28,
            period: [id; 3],
            window_len: QuantileCalibration::window_lengths(28),
            window: [Some(wider); 3],
            mix: 0.0,
        });
        let cal = compute_line(&inp, &PlanSettings::default());
        let f = inp.series_forecast();
        // lead time 10 days + review 7: the 17-day window's level for 95% service
        let level = f.window_level(17, inp.service_level);
        assert!((level - 0.985).abs() < 1e-9, "{level}");
        let expected = levels(
            &|s, l| f.window(s, l),
            inp.review_days,
            &inp.lead_time,
            level,
            inp.min_presentation,
            0.0,
        );
        assert_eq!(cal.order_up_to, expected.order_up_to);
        assert!(
            cal.order_up_to > plain.order_up_to,
            "{} vs {}",
            cal.order_up_to,
            plain.order_up_to
        );
    }

    #[test]
    fn a_stockout_day_worth_sets_the_level_by_stock_allocation() {
        let inp = inputs();
        let f = inp.series_forecast();
        let curve =
            crate::policy::stock_curve(&|s, l| f.window(s, l), inp.review_days, &inp.lead_time);
        let plain = compute_line(&inp, &PlanSettings::default());
        assert!(plain
            .rationale
            .iter()
            .all(|l| !l.contains("stock allocation")));
        let mut last = 0.0;
        for worth in [1.0, 20.0, 500.0] {
            let settings = PlanSettings {
                stockout_day_worth: worth,
                min_presentation_retail: 0.0,
                ..PlanSettings::default()
            };
            settings.validate().unwrap();
            let mut inp = inputs();
            inp.min_presentation = 0.0;
            let r = compute_line(&inp, &settings);
            assert_eq!(r.order_up_to, curve.level(worth), "worth {worth}");
            assert!(r.order_up_to >= last);
            last = r.order_up_to;
            assert!(
                r.rationale
                    .iter()
                    .any(|l| l.starts_with("order-up-to") && l.contains("stock allocation")),
                "{:?}",
                r.rationale
            );
        }
        // At a retail location presentation stock may raise the allocation's level: the
        // rationale says from what to what.
        let settings = PlanSettings {
            stockout_day_worth: 1.0,
            ..PlanSettings::default()
        };
        let mut shop = inputs();
        shop.min_presentation = 5.0;
        let r = compute_line(&shop, &settings);
        let low = curve.level(1.0);
        assert!(r.order_up_to > low, "{} vs {low}", r.order_up_to);
        let said = format!(
            "order-up-to raised from {low:.0} to {:.0} for presentation stock",
            r.order_up_to
        );
        assert!(
            r.rationale.iter().any(|l| l.starts_with(&said)),
            "{:?}",
            r.rationale
        );
        let bad = PlanSettings {
            stockout_day_worth: -1.0,
            ..PlanSettings::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("stockout_day_worth"));
    }

    #[test]
    fn guardrail_caps_safety_stock_changes() {
        let mut inp = inputs();
        inp.previous_safety_stock = Some((inp.today - Days::new(7), 5.0));
        let r = compute_line(&inp, &PlanSettings::default());
        assert!((r.safety_stock - 5.75).abs() < 1e-9, "{}", r.safety_stock);
        assert!(r.rationale.iter().any(|l| l.starts_with("guardrail")));
    }

    #[test]
    fn end_of_life_gets_final_buy_and_markdown() {
        let mut inp = inputs();
        inp.discontinue = Some(inp.today + Days::new(5));
        inp.on_hand = 100;
        let r = compute_line(&inp, &PlanSettings::default());
        let eol = r.end_of_life.unwrap();
        assert_eq!(eol.final_buy_qty, 0);
        assert!(eol.leftover_units > 80.0);
        assert_eq!(eol.markdown_from, Some(inp.today));
        assert_eq!(r.recommended_qty, 0);
        assert_eq!(r.movement, Movement::EndOfLife);
    }
}
