//! Day-by-day simulation of demand, sales and inventory for every SKU×location.
//!
//! Demand is a gamma–Poisson (negative binomial) draw around a mean built from trend, weekly and
//! yearly seasonality, promotion lift and the product's life cycle. Sales are capped by stock
//! (lost sales, so stockouts censor demand). Stock is replenished by a plausible weekly
//! spreadsheet routine (order up to a few weeks of recent average sales, rounded to case pack
//! and MOQ) with random, sometimes very late, supplier lead times.

use crate::catalog::{Catalog, PromoScope, Season, CATEGORIES, LOCATIONS, SUPPLIERS};
use crate::{DemoConfig, Progress};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Normal, Poisson};

/// One replenishment from a supplier, by day index from the start of the history.
pub struct ReceiptSim {
    pub ordered: u32,
    pub expected: u32,
    /// `None`: still on its way at the end of the history.
    pub received: Option<u32>,
    pub qty: i64,
}

/// The simulated history of one SKU×location.
pub struct SeriesPlan {
    pub sku: usize,
    pub loc: usize,
    /// (day, units shipped, is a one-off bulk order)
    pub sales: Vec<(u32, i64, bool)>,
    /// Change points of (day, on hand, committed, incoming).
    pub levels: Vec<(u32, i64, i64, i64)>,
    pub receipts: Vec<ReceiptSim>,
}

pub struct Simulation {
    pub series: Vec<SeriesPlan>,
}

const WEEKLY_ONLINE: [f64; 7] = [1.08, 1.05, 1.0, 1.0, 0.97, 0.88, 1.02];
const WEEKLY_RETAIL: [f64; 7] = [0.72, 0.75, 0.8, 0.92, 1.18, 1.55, 1.08];

fn monthly(season: Season) -> [f64; 12] {
    match season {
        Season::Steady => [
            0.85, 0.85, 0.95, 1.0, 1.0, 0.95, 0.95, 0.95, 1.0, 1.05, 1.3, 1.55,
        ],
        Season::Summer => [
            0.6, 0.65, 0.85, 1.0, 1.25, 1.55, 1.65, 1.45, 1.05, 0.8, 0.85, 1.05,
        ],
        Season::Winter => [
            1.3, 1.1, 0.85, 0.65, 0.5, 0.45, 0.45, 0.55, 0.8, 1.15, 1.55, 1.8,
        ],
        Season::Gift => [0.6, 0.6, 0.7, 0.75, 0.8, 0.8, 0.8, 0.85, 0.9, 1.1, 1.9, 2.8],
    }
}

/// Yearly seasonality, interpolated between mid-month anchors so it has no steps.
fn yearly(season: Season, d: NaiveDate) -> f64 {
    let m = monthly(season);
    let pos = f64::from(d.ordinal0()) / 365.25 * 12.0 - 0.5;
    let lo = pos.floor();
    let frac = pos - lo;
    let i = (lo as i64).rem_euclid(12) as usize;
    let j = (i + 1) % 12;
    let mut f = m[i] * (1.0 - frac) + m[j] * frac;
    // Last shipping days before Christmas, then the lull.
    if d.month() == 12 && d.day() >= 22 {
        f *= 0.7;
    }
    f
}

fn series_seed(seed: u64, sku: usize, loc: usize) -> u64 {
    // SplitMix64 finaliser: decorrelates neighbouring series.
    let mut z = seed ^ ((sku as u64) << 8 | loc as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub fn run(cfg: &DemoConfig, catalog: &Catalog, progress: &mut dyn FnMut(Progress)) -> Simulation {
    let total = catalog.skus.len();
    let mut series = Vec::new();
    for (i, _) in catalog.skus.iter().enumerate() {
        for &(loc, share) in &catalog.skus[i].locations {
            series.push(simulate_one(cfg, catalog, i, loc, share));
        }
        if i % 200 == 0 || i + 1 == total {
            progress(Progress::Simulating { done: i + 1, total });
        }
    }
    Simulation { series }
}

fn day_of(start: NaiveDate, d: NaiveDate) -> i64 {
    (d - start).num_days()
}

fn simulate_one(
    cfg: &DemoConfig,
    catalog: &Catalog,
    sku_idx: usize,
    loc: usize,
    share: f64,
) -> SeriesPlan {
    let mut rng = ChaCha8Rng::seed_from_u64(series_seed(cfg.seed, sku_idx, loc));
    let sku = &catalog.skus[sku_idx];
    let cat = &CATEGORIES[sku.category];
    let sup = &SUPPLIERS[sku.supplier];
    let retail = LOCATIONS[loc].retail;
    let start = catalog.start;
    let days = i64::from(cfg.days);
    let created = day_of(start, sku.created);
    let discontinue = sku.discontinue.map(|d| day_of(start, d));
    let first_day = created.max(0);

    // The promotions touching this SKU, as (first day, last day, lift).
    let promos: Vec<(i64, i64, f64)> = catalog
        .promotions
        .iter()
        .filter(|p| match p.scope {
            PromoScope::All => true,
            PromoScope::Category(c) => c == sku.category,
            PromoScope::Sku(s) => s == sku_idx,
        })
        .map(|p| {
            let lift = (1.0 - p.discount_pct / 100.0).powf(-sku.elasticity);
            (day_of(start, p.start), day_of(start, p.end), lift)
        })
        .collect();

    let base = sku.rate * share;
    let lt_dist =
        Normal::new(sup.lead_time_mean, sup.lead_time_sd).unwrap_or_else(|_| unreachable!());
    let safety_days = rng.gen_range(4.0..16.0);
    let review_weekday = if retail { Weekday::Tue } else { Weekday::Mon };

    let mut on_hand: i64 = if created <= 0 {
        (base * rng.gen_range(20.0..60.0)).ceil() as i64 + i64::from(rng.gen_range(0..3))
    } else {
        0
    };
    let mut open: Vec<ReceiptSim> = Vec::new();
    let mut done: Vec<ReceiptSim> = Vec::new();
    let mut sales = Vec::new();
    let mut levels: Vec<(u32, i64, i64, i64)> = Vec::new();
    let mut recent: Vec<i64> = Vec::new();

    if created > 0 && created < days {
        // Launch stock arrives on the launch day.
        let qty = round_order((base * 45.0).max(1.0), sup.case_pack, sup.moq);
        let day = created as u32;
        done.push(ReceiptSim {
            ordered: day.saturating_sub(sup.lead_time_mean as u32),
            expected: day,
            received: Some(day),
            qty,
        });
        on_hand += qty;
    }

    for t in first_day..days {
        let date = start + Days::new(t as u64);
        // Receive what arrives today.
        let mut k = 0;
        while k < open.len() {
            if i64::from(open[k].received.unwrap_or(u32::MAX)) == t {
                let r = open.remove(k);
                on_hand += r.qty;
                done.push(r);
            } else {
                k += 1;
            }
        }
        // Demand.
        let years = t as f64 / 365.25;
        let mut mean = base
            * (1.0 + sku.trend).powf(years)
            * 1.12f64.powf(years)
            * yearly(cat.season, date)
            * if retail { WEEKLY_RETAIL } else { WEEKLY_ONLINE }
                [date.weekday().num_days_from_monday() as usize];
        if let Some(&(_, _, lift)) = promos.iter().find(|(a, b, _)| t >= *a && t <= *b) {
            mean *= lift;
        }
        if created > -60 {
            // A new product ramps up over its first weeks.
            mean *= ((t - created + 1) as f64 / 30.0).clamp(0.15, 1.0).sqrt();
        }
        if let Some(dc) = discontinue {
            if t > dc {
                mean *= 0.35;
            } else if dc - t < 120 {
                mean *= 0.4 + 0.6 * (dc - t) as f64 / 120.0;
            }
        }
        let demand = if mean > 0.0 {
            // Gamma–Poisson (negative binomial): variance = mean + mean²/shape; slow movers are
            // lumpier than fast ones.
            let shape = 1.5 + 0.5 * mean;
            let lambda = Gamma::new(shape, mean / shape)
                .map(|g| g.sample(&mut rng))
                .unwrap_or(0.0);
            if lambda > 1e-9 {
                Poisson::new(lambda)
                    .map(|p| p.sample(&mut rng) as i64)
                    .unwrap_or(0)
            } else {
                0
            }
        } else {
            0
        };
        let sold = demand.min(on_hand);
        on_hand -= sold;
        if sold > 0 {
            sales.push((t as u32, sold, false));
        }
        // A rare one-off bulk order (a team, an office): an outlier the forecaster must cap.
        if !retail && base > 0.3 && rng.gen_bool(0.0015) {
            let bulk = i64::from(rng.gen_range(8..30)).min(on_hand);
            if bulk > 0 {
                on_hand -= bulk;
                sales.push((t as u32, bulk, true));
            }
        }
        // Shrinkage: stock that disappears without an order (damage, theft, miscounts).
        if on_hand > 3 && rng.gen_bool(0.0015) {
            on_hand -= i64::from(rng.gen_range(1..3));
        }
        recent.push(sold);

        // Weekly review: order up to lead time + review + a few safety days of recent sales.
        let near_end_of_life =
            discontinue.is_some_and(|dc| t + sup.lead_time_mean as i64 + 14 >= dc);
        if date.weekday() == review_weekday && !near_end_of_life {
            let window = recent.len().min(28);
            let avg = if window >= 7 {
                recent[recent.len() - window..].iter().sum::<i64>() as f64 / window as f64
            } else {
                base
            };
            let cover = sup.lead_time_mean + 7.0 + safety_days;
            let target = avg * cover;
            let position = on_hand + open.iter().map(|r| r.qty).sum::<i64>();
            if (position as f64) < target * 0.75 || (position == 0 && avg > 0.0) {
                let qty = round_order((target - position as f64).max(1.0), sup.case_pack, sup.moq);
                let mut lt = lt_dist.sample(&mut rng).max(2.0);
                if rng.gen_bool(sup.late_risk) {
                    lt *= rng.gen_range(1.6..2.6);
                }
                let arrive = t + lt.round() as i64;
                open.push(ReceiptSim {
                    ordered: t as u32,
                    expected: (t + sup.lead_time_mean.round() as i64) as u32,
                    received: if arrive < days {
                        Some(arrive as u32)
                    } else {
                        None
                    },
                    qty,
                });
                // Orders arriving after the end stay open (on order).
                if arrive >= days {
                    if let Some(r) = open.last_mut() {
                        r.received = None;
                    }
                }
            }
        }
        let incoming: i64 = open.iter().map(|r| r.qty).sum();
        let committed = if retail {
            0
        } else {
            (sold as f64 * 0.25).round() as i64
        };
        let level = (t as u32, on_hand, committed.min(on_hand), incoming);
        if levels
            .last()
            .is_none_or(|l| (l.1, l.2, l.3) != (level.1, level.2, level.3))
        {
            levels.push(level);
        }
    }
    // Receipts still open at the end are on order; none of them was received.
    done.extend(open.into_iter().map(|mut r| {
        r.received = None;
        r
    }));
    done.sort_by_key(|r| (r.ordered, r.expected));
    SeriesPlan {
        sku: sku_idx,
        loc,
        sales,
        levels,
        receipts: done,
    }
}

/// Round a wanted quantity up to whole cases, and up to the MOQ.
fn round_order(want: f64, case_pack: i64, moq: i64) -> i64 {
    let cases = (want / case_pack as f64).ceil().max(1.0) as i64;
    (cases * case_pack).max(moq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_respects_case_pack_and_moq() {
        assert_eq!(round_order(1.0, 6, 12), 12);
        assert_eq!(round_order(13.0, 6, 12), 18);
        assert_eq!(round_order(0.2, 5, 5), 5);
    }

    #[test]
    fn q4_is_the_peak_for_steady_categories() {
        let nov = yearly(
            Season::Steady,
            NaiveDate::from_ymd_opt(2025, 12, 10).unwrap(),
        );
        let may = yearly(
            Season::Steady,
            NaiveDate::from_ymd_opt(2025, 5, 10).unwrap(),
        );
        assert!(nov > may * 1.3, "{nov} vs {may}");
    }
}
