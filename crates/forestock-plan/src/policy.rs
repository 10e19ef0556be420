//! Pure policy maths: lead-time mixtures, order-up-to levels, order rounding, ABC/XYZ.
//!
//! The policy is a periodic-review order-up-to policy (R, S): every `R` days the inventory
//! position (on hand − committed + on order) is raised to `S`, the `p`-quantile of total demand
//! over the protection interval `R + L` (Silver, Pyke & Thomas, *Inventory and Production
//! Management in Supply Chains*, 4th ed., §7.6). Demand over that interval comes straight from the
//! forecast engine's calibrated multi-step window distribution (negative binomial for counts, so
//! intermittent SKUs keep their own shape); lead-time variability enters as a *mixture* over the
//! lead-time distribution, `P(D_{R+L} <= s) = Σ_l P(L = l) · P(D_{R+l} <= s)` (the exact
//! compound distribution, instead of the normal `σ² = E[L]σ_d² + μ_d² σ_L²` approximation of
//! Silver–Pyke–Thomas eq. 7.17, which under-covers skewed count demand).

use forestock_forecast::DemandDistribution;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the policy needs of a demand distribution. Implemented for the forecast engine's
/// [`DemandDistribution`] and for lead-time mixtures of them.
pub trait DemandDist {
    fn mean(&self) -> f64;
    fn variance(&self) -> f64;
    /// `P(D <= x)`.
    fn cdf(&self, x: f64) -> f64;
    /// `E[(D − stock)+]`, the standard loss function.
    fn expected_shortage(&self, stock: f64) -> f64;

    /// Smallest integer stock `s >= 0` with `P(D <= s) >= p` (bisection on the CDF).
    fn integer_quantile(&self, p: f64) -> f64 {
        if p <= 0.0 {
            return 0.0;
        }
        if self.cdf(0.0) >= p {
            return 0.0;
        }
        let mut hi = (self.mean() + 10.0 * self.variance().sqrt())
            .ceil()
            .max(1.0);
        let mut guard = 0;
        while self.cdf(hi) < p && guard < 60 {
            hi *= 2.0;
            guard += 1;
        }
        let mut lo = 0.0_f64; // cdf(lo) < p
        while hi - lo > 1.0 {
            let mid = ((lo + hi) / 2.0).floor();
            if self.cdf(mid) >= p {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

impl DemandDist for DemandDistribution {
    fn mean(&self) -> f64 {
        DemandDistribution::mean(self)
    }
    fn variance(&self) -> f64 {
        DemandDistribution::variance(self)
    }
    fn cdf(&self, x: f64) -> f64 {
        DemandDistribution::cdf(self, x)
    }
    fn expected_shortage(&self, stock: f64) -> f64 {
        DemandDistribution::expected_shortage(self, stock)
    }
}

/// A finite mixture of demand distributions (one per possible lead time).
#[derive(Debug, Clone)]
pub struct Mixture {
    pub parts: Vec<(f64, DemandDistribution)>,
}

impl DemandDist for Mixture {
    fn mean(&self) -> f64 {
        self.parts.iter().map(|(w, d)| w * d.mean()).sum()
    }
    fn variance(&self) -> f64 {
        // Law of total variance.
        let m = self.mean();
        self.parts
            .iter()
            .map(|(w, d)| w * (d.variance() + (d.mean() - m).powi(2)))
            .sum()
    }
    fn cdf(&self, x: f64) -> f64 {
        self.parts.iter().map(|(w, d)| w * d.cdf(x)).sum()
    }
    fn expected_shortage(&self, stock: f64) -> f64 {
        self.parts
            .iter()
            .map(|(w, d)| w * d.expected_shortage(stock))
            .sum()
    }
}

/// Where a lead time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadTimeSource {
    /// Learned from this many of the merchant's own receipts.
    Receipts(u32),
    /// The supplier's setting.
    Supplier,
    /// Given explicitly (command line, scenario).
    Given,
}

/// Supplier lead time in days: mean and spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LeadTime {
    pub mean_days: f64,
    pub sd_days: f64,
    pub source: LeadTimeSource,
}

/// Receipts needed before the merchant's own history replaces the supplier's setting.
pub const MIN_RECEIPTS_FOR_LEAD_TIME: usize = 5;

impl LeadTime {
    pub fn fixed(days: f64) -> Self {
        LeadTime {
            mean_days: days,
            sd_days: 0.0,
            source: LeadTimeSource::Given,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if !(self.mean_days.is_finite() && self.mean_days > 0.0) {
            return Err(Error::invalid(
                "lead time",
                format!("must be more than 0 days (got {})", self.mean_days),
            ));
        }
        if !(self.sd_days.is_finite() && self.sd_days >= 0.0) {
            return Err(Error::invalid(
                "lead time",
                format!("spread must be 0 or more days (got {})", self.sd_days),
            ));
        }
        Ok(())
    }

    /// Learn the lead time from observed receipt durations (days from order to receipt) when
    /// there are at least [`MIN_RECEIPTS_FOR_LEAD_TIME`], else keep `fallback`.
    pub fn learned(durations: &[f64], fallback: LeadTime) -> LeadTime {
        let d: Vec<f64> = durations
            .iter()
            .copied()
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        if d.len() < MIN_RECEIPTS_FOR_LEAD_TIME {
            return fallback;
        }
        let n = d.len() as f64;
        let mean = d.iter().sum::<f64>() / n;
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        LeadTime {
            mean_days: mean,
            sd_days: var.sqrt(),
            source: LeadTimeSource::Receipts(u32::try_from(d.len()).unwrap_or(u32::MAX)),
        }
    }

    /// Discrete lead-time distribution: whole days with probabilities summing to 1. A normal
    /// discretised on ±3σ (truncated at 1 day); a point mass when the spread is under a day/4.
    pub fn support(&self) -> Vec<(usize, f64)> {
        let mean = self.mean_days.max(1.0);
        if self.sd_days < 0.25 {
            return vec![(round_days(mean), 1.0)];
        }
        let lo = (mean - 3.0 * self.sd_days).floor().max(1.0);
        let hi = (mean + 3.0 * self.sd_days).ceil().max(lo);
        let span = hi - lo;
        // At most ~24 points: coarser steps for very wide spreads.
        let step = (span / 24.0).ceil().max(1.0);
        let mut pts = Vec::new();
        let mut l = lo;
        while l <= hi {
            let z = (l - mean) / self.sd_days;
            pts.push((round_days(l), (-0.5 * z * z).exp()));
            l += step;
        }
        let total: f64 = pts.iter().map(|p| p.1).sum();
        if total <= 0.0 {
            return vec![(round_days(mean), 1.0)];
        }
        pts.into_iter().map(|(l, w)| (l, w / total)).collect()
    }
}

fn round_days(x: f64) -> usize {
    // Lead times are small positive day counts; the cast cannot truncate meaningfully.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let d = x.round().max(1.0) as usize;
    d
}

/// Validate a cycle service level target.
pub fn check_service_level(p: f64) -> Result<()> {
    if p.is_finite() && p > 0.0 && p < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "service level",
            format!("must be between 0 and 1, exclusive (got {p})"),
        ))
    }
}

/// The stock levels of a periodic-review order-up-to policy for one SKU×location.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Levels {
    /// Expected demand over the lead time.
    pub lead_time_demand: f64,
    /// Expected demand over lead time + review period (the protection interval).
    pub protection_demand: f64,
    /// Standard deviation of demand over the protection interval, lead-time spread included.
    pub protection_sd: f64,
    /// Inventory position below which an order is due: service-level quantile of lead-time demand.
    pub reorder_point: f64,
    /// Order-up-to level: service-level quantile of protection-interval demand.
    pub order_up_to: f64,
    /// `order_up_to − protection_demand`.
    pub safety_stock: f64,
    /// Expected fill rate if the position is raised to `order_up_to` every review:
    /// `1 − (E[(D_{R+L} − S)+] − E[(D_L − S)+]) / E[D_R]` (Silver, Pyke & Thomas, 4th ed.,
    /// §7.6, periodic review: the units short in one cycle are those short by its end less
    /// those already short before its order arrived).
    pub expected_fill_rate: f64,
    /// The order-up-to level of the cycle service target (or of the stock allocation, when
    /// on) alone, before a fill-rate floor raised it (equal to `order_up_to` when no floor
    /// applied).
    pub cycle_order_up_to: f64,
    /// The stock allocation's level and what it expects, when a stockout-day worth is set
    /// ([`levels_with_worth`]).
    pub allocation: Option<Allocation>,
}

/// An order-up-to level from the marginal allocation ([`StockCurve::level`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Unit-days of stock a stockout day avoided is worth.
    pub stockout_day_worth: f64,
    /// The allocation's level (before presentation stock and a fill-rate floor).
    pub order_up_to: f64,
    /// The cycle-service quantile it replaced.
    pub service_order_up_to: f64,
    /// Expected stockout days per review cycle at `order_up_to`.
    pub expected_stockout_days: f64,
    /// Expected units on hand at the end of an average day of the cycle at `order_up_to`.
    pub expected_on_hand: f64,
}

/// Compute policy levels. `window(start, len)` gives the distribution of total demand over days
/// `start..start+len` from today; `offset` shifts everything (e.g. days until the next review).
///
/// `fill_rate_floor` (0 = none): when the cycle-service quantile leaves the expected fill rate
/// below it, the order-up-to level is raised to the smallest one that reaches it. This is for
/// slow movers, where `P(no demand over R + L)` alone can exceed the cycle target, so the
/// quantile is 0 and nothing is ever stocked although every sale is then lost.
pub fn levels(
    window: &dyn Fn(usize, usize) -> DemandDistribution,
    review_days: usize,
    lead: &LeadTime,
    service_level: f64,
    min_presentation: f64,
    fill_rate_floor: f64,
) -> Levels {
    levels_with_worth(
        window,
        review_days,
        lead,
        service_level,
        min_presentation,
        fill_rate_floor,
        0.0,
    )
}

/// [`levels`] with the stock allocation: a `stockout_day_worth` above 0 (unit-days of stock
/// a stockout day avoided is worth) replaces the cycle-service quantile by the level of
/// [`StockCurve::level`]; presentation stock and the fill-rate floor still apply over it.
pub fn levels_with_worth(
    window: &dyn Fn(usize, usize) -> DemandDistribution,
    review_days: usize,
    lead: &LeadTime,
    service_level: f64,
    min_presentation: f64,
    fill_rate_floor: f64,
    stockout_day_worth: f64,
) -> Levels {
    let support = lead.support();
    let protection = Mixture {
        parts: support
            .iter()
            .map(|&(l, w)| (w, window(0, l + review_days)))
            .collect(),
    };
    let lead_only = Mixture {
        parts: support.iter().map(|&(l, w)| (w, window(0, l))).collect(),
    };
    let mut s = protection.integer_quantile(service_level);
    let allocation = (stockout_day_worth > 0.0).then(|| {
        let curve = stock_curve(window, review_days, lead);
        let level = curve.level(stockout_day_worth);
        Allocation {
            stockout_day_worth,
            order_up_to: level,
            service_order_up_to: s,
            expected_stockout_days: curve.stockout_days(level) * review_days.max(1) as f64,
            expected_on_hand: curve.on_hand(level),
        }
    });
    if let Some(a) = &allocation {
        s = a.order_up_to;
    }
    if min_presentation > 0.0 {
        // Presentation stock stays on the shelf on top of what sells through the interval.
        s = s.max((protection.mean() + min_presentation).ceil());
    }
    let rop = lead_only.integer_quantile(service_level);
    let review_demand = window(0, review_days.max(1)).mean();
    // Silver, Pyke & Thomas §7.6: expected units short per review cycle at order-up-to `s`,
    // E[(D_{R+L} − s)+] − E[(D_L − s)+] (non-increasing in `s`).
    let fill_at = |s: f64| {
        if review_demand > 0.0 {
            let short = protection.expected_shortage(s) - lead_only.expected_shortage(s);
            (1.0 - short.max(0.0) / review_demand).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    let cycle_s = s;
    if fill_rate_floor > 0.0 && fill_at(s) < fill_rate_floor {
        s = smallest_stock_reaching(
            s,
            protection.mean() + 10.0 * protection.variance().sqrt(),
            |x| fill_at(x) >= fill_rate_floor,
        );
    }
    Levels {
        lead_time_demand: lead_only.mean(),
        protection_demand: protection.mean(),
        protection_sd: protection.variance().sqrt(),
        reorder_point: rop,
        order_up_to: s,
        safety_stock: s - protection.mean(),
        expected_fill_rate: fill_at(s),
        cycle_order_up_to: cycle_s,
        allocation,
    }
}

/// Smallest integer `s > from` where `ok(s)`, for a monotone `ok` that fails at `from`; the
/// search starts at `guess` and doubles past it when needed (bounded, for degenerate inputs).
fn smallest_stock_reaching(from: f64, guess: f64, ok: impl Fn(f64) -> bool) -> f64 {
    let mut lo = from;
    let mut hi = guess.ceil().max(from + 1.0);
    let mut guard = 0;
    while !ok(hi) && guard < 60 {
        lo = hi;
        hi *= 2.0;
        guard += 1;
    }
    while hi - lo > 1.0 {
        let mid = ((lo + hi) / 2.0).floor();
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// Expected stockout days and stock of every whole order-up-to level `0..=top` of one
/// SKU×location, per day of a review cycle: the two sides of the marginal allocation of
/// [`StockCurve::level`].
///
/// Periodic review (R, S) with backorders as the approximation (Silver, Pyke & Thomas, 4th ed.,
/// §7.6, the same one the fill rate uses): the order placed today raises the position to `S`
/// and protects days `L .. L + R − 1`; on day `L + k` the end-of-day stock is
/// `S − D_{L+k+1}` (`D_n` the demand over the first `n` days), so
/// - expected on hand on that day is `E[(S − D_{L+k+1})+]`, whose step from `S` to `S + 1` is
///   exactly `P(D_{L+k+1} ≤ S)` for integer demand;
/// - the day loses a sale when its demand `d` is positive and `D_{L+k} + d > S`:
///   `P(D_{L+k+1} > S) − P(D_{L+k} > S) · P(d = 0)` (days independent). Without the second
///   term every day after a stockout would count, with or without a customer: on a slow mover
///   that overstates stockout days several times over.
///
/// Both are averaged over the `R` days of the cycle and over the lead-time distribution (the
/// same mixture as [`levels`]), so `on_hand` is in units (an average day's stock) and `stockout`
/// in stockout days per day.
#[derive(Debug, Clone, PartialEq)]
pub struct StockCurve {
    stockout: Vec<f64>,
    on_hand: Vec<f64>,
}

/// Largest order-up-to level a [`StockCurve`] tabulates (bounds memory on absurd inputs).
const MAX_CURVE_LEVEL: f64 = 2_000_000.0;

/// [`StockCurve`] of a SKU×location: `window(start, len)` as for [`levels`].
pub fn stock_curve(
    window: &dyn Fn(usize, usize) -> DemandDistribution,
    review_days: usize,
    lead: &LeadTime,
) -> StockCurve {
    let r = review_days.max(1);
    let support = lead.support();
    // One term per (lead time, day of the cycle): weight, D_{n+1}, D_n, P(no demand on day n).
    let mut days = Vec::with_capacity(support.len() * r);
    for &(l, w) in &support {
        for k in 0..r {
            let n = l + k;
            days.push((
                w / r as f64,
                window(0, n + 1),
                window(0, n),
                window(n, 1).cdf(0.0),
            ));
        }
    }
    let protection = Mixture {
        parts: support
            .iter()
            .map(|&(l, w)| (w, window(0, l + r)))
            .collect(),
    };
    // Beyond the 1 − 1e-9 quantile of the whole protection interval no stockout is left to
    // avoid.
    let top = protection.integer_quantile(1.0 - 1e-9).min(MAX_CURVE_LEVEL);
    // A whole number of units, bounded just above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let top = top.max(0.0) as usize;
    let mut stockout = Vec::with_capacity(top + 1);
    let mut on_hand = Vec::with_capacity(top + 1);
    let mut held = 0.0;
    for s in 0..=top {
        let s = s as f64;
        let mut out = 0.0;
        let mut step = 0.0;
        for (w, through, before, idle) in &days {
            let past = 1.0 - through.cdf(s);
            let already = 1.0 - before.cdf(s);
            out += w * (past - already * idle).max(0.0);
            step += w * through.cdf(s);
        }
        stockout.push(out);
        on_hand.push(held);
        held += step;
    }
    StockCurve { stockout, on_hand }
}

impl StockCurve {
    /// Highest level tabulated.
    pub fn top(&self) -> f64 {
        self.on_hand.len().saturating_sub(1) as f64
    }

    fn index(&self, s: f64) -> usize {
        // A level is a whole number of units; beyond the table the last entry holds.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let i = s.max(0.0).round() as usize;
        i.min(self.on_hand.len().saturating_sub(1))
    }

    /// Expected stockout days per day of the cycle at order-up-to `s`.
    pub fn stockout_days(&self, s: f64) -> f64 {
        self.stockout.get(self.index(s)).copied().unwrap_or(0.0)
    }

    /// Expected units on hand at the end of an average day of the cycle at order-up-to `s`.
    pub fn on_hand(&self, s: f64) -> f64 {
        self.on_hand.get(self.index(s)).copied().unwrap_or(0.0)
    }

    /// The order-up-to level minimising `on_hand(S) + worth · stockout_days(S)`: stock where a
    /// unit buys the most stockout days avoided, `worth` being the unit-days of stock a
    /// stockout day avoided is worth (`worth = 1/λ` of the brief form
    /// `E[stockout days] + λ·E[on hand]`; units, not money, because the simulation and the
    /// stockout metric count units).
    ///
    /// Given one `worth` for every SKU×location this is the Lagrangian relaxation of "fewest
    /// expected stockout days in total for a total expected stock" (Everett, *Generalized
    /// Lagrange multiplier method for solving problems of optimum allocation of resources*,
    /// Operations Research 11(3), 1963): each level it gives is optimal for the total stock it
    /// holds. Marginal analysis (raise `S` while `worth` times the stockout days the next unit
    /// avoids, `Σ_k ΔP(stockout on day L + k)`, exceeds the on hand it adds,
    /// `Σ_k P(D_{L+k+1} ≤ S)`) stops at the first local minimum, and the expected stockout
    /// days are not convex in `S` (the demand pmf rises before it falls), so the whole table
    /// is scanned and the smallest minimiser kept; that tie-break makes the level
    /// non-decreasing in `worth`.
    pub fn level(&self, worth: f64) -> f64 {
        let mut best = (f64::INFINITY, 0usize);
        for (s, (oh, so)) in self.on_hand.iter().zip(&self.stockout).enumerate() {
            let cost = oh + worth * so;
            if cost < best.0 {
                best = (cost, s);
            }
        }
        best.1 as f64
    }
}

/// Validate a stockout-day worth (unit-days of stock per stockout day avoided; 0 = off).
pub fn check_stockout_day_worth(w: f64) -> Result<()> {
    if w.is_finite() && (0.0..=MAX_STOCKOUT_DAY_WORTH).contains(&w) {
        Ok(())
    } else {
        Err(Error::invalid(
            "stockout-day worth",
            format!(
                "must be at least 0 (off) and at most {MAX_STOCKOUT_DAY_WORTH} unit-days (got {w})"
            ),
        ))
    }
}

/// Largest stockout-day worth accepted, and the top of [`worth_for_budget`]'s search.
pub const MAX_STOCKOUT_DAY_WORTH: f64 = 1e6;
/// Bottom of [`worth_for_budget`]'s search.
const MIN_STOCKOUT_DAY_WORTH: f64 = 1e-3;

/// The stockout-day worth whose levels hold the most expected stock within `budget` units in
/// all (sum over `curves` of [`StockCurve::on_hand`] at [`StockCurve::level`]): bisection on
/// the multiplier of the Lagrangian relaxation (Everett 1963), the total being non-decreasing
/// in the worth. The smallest worth searched when even it holds more than the budget; the
/// largest when the budget holds everything.
pub fn worth_for_budget(curves: &[StockCurve], budget: f64) -> f64 {
    let held = |w: f64| -> f64 { curves.iter().map(|c| c.on_hand(c.level(w))).sum() };
    let (mut lo, mut hi) = (MIN_STOCKOUT_DAY_WORTH.ln(), MAX_STOCKOUT_DAY_WORTH.ln());
    if held(MAX_STOCKOUT_DAY_WORTH) <= budget {
        return MAX_STOCKOUT_DAY_WORTH;
    }
    if held(MIN_STOCKOUT_DAY_WORTH) > budget {
        return MIN_STOCKOUT_DAY_WORTH;
    }
    // held(lo) <= budget < held(hi); 50 halvings of a range of ~21 in log space.
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if held(mid.exp()) <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo.exp()
}

/// Ordering constraints of a SKU at its supplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderRules {
    pub case_pack: i64,
    pub moq: i64,
    pub price_breaks: Vec<forestock_core::PriceBreak>,
    /// Unit cost before any price break (supplier currency).
    pub unit_cost: f64,
    /// Annual holding cost as a share of unit cost (e.g. 0.25).
    pub holding_rate: f64,
    /// Never order more than this many days of expected demand to reach a price break.
    pub max_break_cover_days: f64,
}

impl OrderRules {
    pub fn validate(&self) -> Result<()> {
        if self.case_pack < 1 {
            return Err(Error::invalid(
                "order rules",
                format!("case pack must be at least 1 (got {})", self.case_pack),
            ));
        }
        if self.moq < 1 {
            return Err(Error::invalid(
                "order rules",
                format!("MOQ must be at least 1 (got {})", self.moq),
            ));
        }
        if self.moq % self.case_pack != 0 {
            return Err(Error::invalid(
                "order rules",
                format!(
                    "MOQ {} is not a multiple of the case pack {}",
                    self.moq, self.case_pack
                ),
            ));
        }
        Ok(())
    }

    /// Unit cost at a line quantity after price breaks.
    pub fn unit_cost_at(&self, qty: i64) -> f64 {
        let disc = self
            .price_breaks
            .iter()
            .filter(|b| qty >= b.min_qty)
            .map(|b| b.discount_pct)
            .fold(0.0, f64::max);
        self.unit_cost * (1.0 - disc / 100.0)
    }
}

/// A rounded order quantity and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rounded {
    pub qty: i64,
    pub unit_cost: f64,
    pub steps: Vec<String>,
}

/// Round a raw (fractional) need up to whole cases and at least the MOQ; then move up to a price
/// break when the saving exceeds the extra holding cost (the classic all-units quantity-discount
/// comparison, Silver–Pyke–Thomas §5.3) and the extra units sell within `max_break_cover_days`.
pub fn round_order(raw_need: f64, rules: &OrderRules, daily_demand: f64) -> Rounded {
    let mut steps = Vec::new();
    if !(raw_need.is_finite() && raw_need > 0.0) {
        return Rounded {
            qty: 0,
            unit_cost: rules.unit_cost,
            steps,
        };
    }
    let case = rules.case_pack.max(1);
    #[allow(clippy::cast_possible_truncation)]
    let need = raw_need.ceil() as i64;
    let mut qty = need.div_euclid(case) * case;
    if qty < need {
        qty += case;
    }
    if qty != need {
        steps.push(format!("rounded {need} up to {qty} (case pack {case})"));
    }
    if qty < rules.moq {
        steps.push(format!("raised {qty} to the MOQ {}", rules.moq));
        qty = rules.moq;
    }
    let base_cost = |q: i64| q as f64 * rules.unit_cost_at(q);
    for b in &rules.price_breaks {
        if b.min_qty <= qty {
            continue;
        }
        let mut q = b.min_qty.div_euclid(case) * case;
        if q < b.min_qty {
            q += case;
        }
        let extra = (q - qty) as f64;
        let extra_days = if daily_demand > 0.0 {
            extra / daily_demand
        } else {
            f64::INFINITY
        };
        if extra_days > rules.max_break_cover_days {
            continue;
        }
        // Extra units are held on average half their sell-through time.
        let holding = extra * rules.unit_cost * rules.holding_rate * (extra_days / 2.0) / 365.0;
        let saving = base_cost(qty) + extra * rules.unit_cost_at(q) - base_cost(q);
        if base_cost(q) + holding < base_cost(qty) + extra * rules.unit_cost_at(qty) && saving > 0.0
        {
            steps.push(format!(
                "raised {qty} to {q} for the {}% price break (saves {:.2}, holding {:.2})",
                b.discount_pct,
                base_cost(qty) + extra * rules.unit_cost_at(qty) - base_cost(q),
                holding
            ));
            qty = q;
        }
    }
    Rounded {
        qty,
        unit_cost: rules.unit_cost_at(qty),
        steps,
    }
}

/// ABC class by share of revenue: the SKUs making the first `a` share of revenue are A, up to
/// `a + b` B, the rest C (Pareto classification, Silver–Pyke–Thomas §3.4). Returns one class per
/// input in input order.
pub fn abc_classes(revenue: &[f64], a: f64, b: f64) -> Vec<char> {
    let total: f64 = revenue.iter().filter(|r| r.is_finite()).sum();
    let mut idx: Vec<usize> = (0..revenue.len()).collect();
    idx.sort_by(|&i, &j| revenue[j].total_cmp(&revenue[i]).then(i.cmp(&j)));
    let mut out = vec!['C'; revenue.len()];
    let mut acc = 0.0;
    for i in idx {
        let before = acc;
        acc += revenue[i].max(0.0);
        let after = if total > 0.0 { acc / total } else { 1.0 };
        out[i] = if total > 0.0 && (before == 0.0 || after <= a + 1e-9) {
            'A'
        } else if total > 0.0 && after <= a + b + 1e-9 {
            'B'
        } else {
            'C'
        };
    }
    out
}

/// XYZ class from the coefficient of variation of weekly demand: X < 0.5 ≤ Y < 1.0 ≤ Z.
pub fn xyz_class(daily: &[f64]) -> char {
    let weeks: Vec<f64> = daily
        .chunks(7)
        .filter(|c| c.len() == 7)
        .map(|c| c.iter().filter(|x| x.is_finite()).sum())
        .collect();
    if weeks.len() < 2 {
        return 'Z';
    }
    let n = weeks.len() as f64;
    let mean = weeks.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return 'Z';
    }
    let sd = (weeks.iter().map(|w| (w - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let cv = sd / mean;
    if cv < 0.5 {
        'X'
    } else if cv < 1.0 {
        'Y'
    } else {
        'Z'
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn flat(rate: f64, disp: f64) -> impl Fn(usize, usize) -> DemandDistribution {
        move |_s, len| {
            let m = rate * len as f64;
            DemandDistribution::from_moments(m, m + disp * m * m)
        }
    }

    #[test]
    fn integer_quantile_matches_the_distribution() {
        let d = DemandDistribution::from_moments(10.0, 30.0);
        for p in [0.5, 0.9, 0.95, 0.99] {
            let q = d.integer_quantile(p);
            assert!(d.cdf(q) >= p - 1e-9);
            assert!(q == 0.0 || d.cdf(q - 1.0) < p);
        }
    }

    #[test]
    fn lead_time_learning_needs_enough_receipts() {
        let fb = LeadTime {
            mean_days: 10.0,
            sd_days: 1.0,
            source: LeadTimeSource::Supplier,
        };
        assert_eq!(LeadTime::learned(&[5.0, 6.0], fb), fb);
        let lt = LeadTime::learned(&[12.0, 14.0, 13.0, 15.0, 16.0, 14.0], fb);
        assert_eq!(lt.source, LeadTimeSource::Receipts(6));
        assert!((lt.mean_days - 14.0).abs() < 1e-9);
        assert!(lt.sd_days > 1.0);
    }

    #[test]
    fn support_sums_to_one() {
        let lt = LeadTime {
            mean_days: 9.0,
            sd_days: 3.0,
            source: LeadTimeSource::Given,
        };
        let s = lt.support();
        assert!((s.iter().map(|x| x.1).sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(s.iter().all(|x| x.0 >= 1));
        assert_eq!(LeadTime::fixed(7.0).support(), vec![(7, 1.0)]);
    }

    #[test]
    fn rounding_respects_case_moq_and_breaks() {
        let rules = OrderRules {
            case_pack: 6,
            moq: 12,
            price_breaks: vec![forestock_core::PriceBreak {
                min_qty: 48,
                discount_pct: 10.0,
            }],
            unit_cost: 10.0,
            holding_rate: 0.25,
            max_break_cover_days: 60.0,
        };
        assert_eq!(round_order(0.0, &rules, 1.0).qty, 0);
        assert_eq!(round_order(1.0, &rules, 0.1).qty, 12);
        assert_eq!(round_order(13.0, &rules, 0.1).qty, 18);
        // 40 → 42 by case; 48 saves 10% on everything and sells in 6 more days at 1/day.
        let r = round_order(40.0, &rules, 1.0);
        assert_eq!(r.qty, 48);
        assert!((r.unit_cost - 9.0).abs() < 1e-9);
        // At 0.05/day the extra 6 units take 120 days: not worth it.
        assert_eq!(round_order(40.0, &rules, 0.05).qty, 42);
    }

    #[test]
    fn bad_rules_are_refused() {
        let mut rules = OrderRules {
            case_pack: 6,
            moq: 10,
            price_breaks: vec![],
            unit_cost: 1.0,
            holding_rate: 0.25,
            max_break_cover_days: 60.0,
        };
        let e = rules.validate().unwrap_err().to_string();
        assert!(
            e.contains("MOQ 10 is not a multiple of the case pack 6"),
            "{e}"
        );
        rules.moq = 12;
        assert!(rules.validate().is_ok());
        assert!(check_service_level(1.0).is_err());
        assert!(check_service_level(0.0).is_err());
        assert!(LeadTime::fixed(0.0).validate().is_err());
        assert!(LeadTime::fixed(-3.0).validate().is_err());
    }

    #[test]
    fn abc_and_xyz() {
        let cls = abc_classes(&[800.0, 100.0, 50.0, 30.0, 20.0], 0.8, 0.15);
        assert_eq!(cls, vec!['A', 'B', 'B', 'C', 'C']);
        assert_eq!(xyz_class(&[1.0; 28]), 'X');
        let spiky: Vec<f64> = (0..28).map(|i| if i < 7 { 30.0 } else { 0.0 }).collect();
        assert_eq!(xyz_class(&spiky), 'Z');
    }

    #[test]
    fn intermittent_demand_is_not_normal() {
        // Mean 0.5 over the interval: a normal approximation would order ~1 at 95%; the count
        // distribution with heavy dispersion keeps mass at zero and a long tail.
        let w = flat(0.05, 4.0);
        let l = levels(&w, 7, &LeadTime::fixed(3.0), 0.95, 0.0, 0.0);
        assert!(l.order_up_to >= 1.0);
        assert!(l.expected_fill_rate > 0.5);
    }

    #[test]
    fn fill_rate_counts_only_the_units_short_within_the_cycle() {
        // Poisson demand of rate λ a day, lead time 1 day, review 1 day, order-up-to 1:
        // E[(D_2 − 1)+] − E[(D_1 − 1)+] = (2λ − 1 + e^{−2λ}) − (λ − 1 + e^{−λ}) units short a
        // cycle (E[(X − 1)+] = E[X] − 1 + P(X = 0)), of λ demanded.
        let lam: f64 = 0.4;
        let w = flat(lam, 0.0);
        let l = levels(&w, 1, &LeadTime::fixed(1.0), 0.5, 0.0, 0.0);
        assert_eq!(l.order_up_to, 1.0);
        let short = lam + (-2.0 * lam).exp() - (-lam).exp();
        assert!(
            (l.expected_fill_rate - (1.0 - short / lam)).abs() < 1e-9,
            "{} vs {}",
            l.expected_fill_rate,
            1.0 - short / lam
        );
        // Without the E[(D_L − S)+] term the fill rate would read lower than it is.
        let without = 1.0 - (2.0 * lam - 1.0 + (-2.0 * lam).exp()) / lam;
        assert!(l.expected_fill_rate > without + 0.1);
    }

    /// Poisson probabilities `P(X = k)`, `k = 0..n`, by the recursion `p_k = p_{k−1} λ / k`.
    fn poisson_pmf(lam: f64, n: usize) -> Vec<f64> {
        let mut p = vec![(-lam).exp(); n];
        for k in 1..n {
            p[k] = p[k - 1] * lam / k as f64;
        }
        p
    }

    /// Expected fill rate of an (R, S) policy by brute force over the joint distribution of
    /// the demand in the lead time `a` and in the review period after it `b` (independent
    /// Poisson days, backorders): the units short in a cycle are `min(b, (a + b − S)+)`, the
    /// cycle's own demand beyond what its order-up-to level covers.
    fn brute_force_fill_rate(rate: f64, lead: usize, review: usize, s: f64) -> f64 {
        let n = 200;
        let pa = poisson_pmf(rate * lead as f64, n);
        let pb = poisson_pmf(rate * review as f64, n);
        let mut short = 0.0;
        for (a, wa) in pa.iter().enumerate() {
            for (b, wb) in pb.iter().enumerate() {
                let over = ((a + b) as f64 - s).max(0.0);
                short += wa * wb * over.min(b as f64);
            }
        }
        1.0 - short / (rate * review as f64)
    }

    #[test]
    fn fill_rate_and_its_floor_match_a_brute_force_count() {
        for (rate, lead, review) in [(0.3, 7, 7), (2.0, 5, 7), (6.0, 3, 1), (0.05, 14, 7)] {
            let w = flat(rate, 0.0); // variance = mean: Poisson, as the brute force assumes
            let lt = LeadTime::fixed(lead as f64);
            for p in [0.5, 0.8, 0.9, 0.95, 0.99] {
                let l = levels(&w, review, &lt, p, 0.0, 0.0);
                let brute = brute_force_fill_rate(rate, lead, review, l.order_up_to);
                assert!(
                    (l.expected_fill_rate - brute).abs() < 1e-6,
                    "rate {rate} L {lead} R {review} S {}: {} vs {brute}",
                    l.order_up_to,
                    l.expected_fill_rate
                );
            }
            // The floor stops at the smallest level whose brute-force fill rate reaches it.
            for floor in [0.9, 0.97, 0.995] {
                let l = levels(&w, review, &lt, 0.5, 0.0, floor);
                let s = l.order_up_to;
                if s > l.cycle_order_up_to {
                    assert!(brute_force_fill_rate(rate, lead, review, s) >= floor - 1e-6);
                    assert!(brute_force_fill_rate(rate, lead, review, s - 1.0) < floor + 1e-6);
                } else {
                    assert!(brute_force_fill_rate(rate, lead, review, s) >= floor - 1e-6);
                }
            }
        }
    }

    /// Stockout days and on hand per day of an (R, S) cycle by brute force over independent
    /// Poisson days (backorders): on day `L + k` the demand before it `a ~ Poisson(rate (L + k))`
    /// and its own `d ~ Poisson(rate)`; a sale is lost when `d > 0` and `a + d > S`, and
    /// `(S − a − d)+` units are left at its end.
    fn brute_force_cycle(rate: f64, lead: usize, review: usize, s: usize) -> (f64, f64) {
        let n = 200;
        let pd = poisson_pmf(rate, n);
        let (mut out, mut held) = (0.0, 0.0);
        for k in 0..review {
            let pa = poisson_pmf(rate * (lead + k) as f64, n);
            for (a, wa) in pa.iter().enumerate() {
                for (d, wd) in pd.iter().enumerate() {
                    if d > 0 && a + d > s {
                        out += wa * wd;
                    }
                    held += wa * wd * s.saturating_sub(a + d) as f64;
                }
            }
        }
        (out / review as f64, held / review as f64)
    }

    #[test]
    fn marginal_allocation_matches_a_brute_force_count() {
        for (rate, lead, review) in [(0.3, 7, 7), (2.0, 5, 7), (6.0, 3, 1), (0.05, 14, 7)] {
            let w = flat(rate, 0.0); // Poisson windows, as the brute force assumes
            let c = stock_curve(&w, review, &LeadTime::fixed(lead as f64));
            let top = c.top() as usize;
            let brute: Vec<(f64, f64)> = (0..=top)
                .map(|s| brute_force_cycle(rate, lead, review, s))
                .collect();
            for (s, &(out, held)) in brute.iter().enumerate() {
                let sf = s as f64;
                assert!(
                    (c.stockout_days(sf) - out).abs() < 1e-9,
                    "rate {rate} L {lead} R {review} S {s}: stockout {} vs {out}",
                    c.stockout_days(sf)
                );
                assert!(
                    (c.on_hand(sf) - held).abs() < 1e-7,
                    "rate {rate} L {lead} R {review} S {s}: on hand {} vs {held}",
                    c.on_hand(sf)
                );
            }
            // The level is the smallest brute-force minimiser of on hand + worth × stockout.
            for worth in [0.5, 2.0, 10.0, 50.0, 300.0, 5000.0] {
                let mut best = (f64::INFINITY, 0);
                for (s, &(out, held)) in brute.iter().enumerate() {
                    if held + worth * out < best.0 - 1e-12 {
                        best = (held + worth * out, s);
                    }
                }
                assert_eq!(
                    c.level(worth),
                    best.1 as f64,
                    "rate {rate} L {lead} R {review} worth {worth}"
                );
            }
        }
    }

    #[test]
    fn a_stock_budget_finds_the_worth_that_fills_it() {
        let lead = LeadTime::fixed(7.0);
        let curves: Vec<StockCurve> = [(0.05, 2.0), (0.4, 0.5), (3.0, 0.2), (12.0, 0.1)]
            .iter()
            .map(|&(rate, disp)| stock_curve(&flat(rate, disp), 7, &lead))
            .collect();
        let held = |w: f64| -> f64 { curves.iter().map(|c| c.on_hand(c.level(w))).sum() };
        for budget in [5.0, 20.0, 60.0] {
            let w = worth_for_budget(&curves, budget);
            assert!(held(w) <= budget + 1e-9, "budget {budget}: {}", held(w));
            // A slightly higher worth would break the budget: the budget is used up.
            assert!(held(w * 1.001) > budget || w >= MAX_STOCKOUT_DAY_WORTH * 0.999);
        }
        // Nothing fits a budget of 0 units but the smallest worth searched.
        assert_eq!(worth_for_budget(&curves, -1.0), MIN_STOCKOUT_DAY_WORTH);
        assert!(check_stockout_day_worth(0.0).is_ok());
        assert!(check_stockout_day_worth(-1.0).is_err());
        assert!(check_stockout_day_worth(f64::NAN).is_err());
    }

    #[test]
    fn a_fill_rate_floor_stocks_a_slow_mover_the_cycle_target_leaves_at_zero() {
        // 0.01 a day over 7 + 7 days: P(no demand) ≈ 0.87, so a 0.85 cycle target stocks
        // nothing and every sale is lost.
        let w = flat(0.01, 0.5);
        let lead = LeadTime::fixed(7.0);
        let plain = levels(&w, 7, &lead, 0.85, 0.0, 0.0);
        assert_eq!(plain.order_up_to, 0.0);
        assert!(plain.expected_fill_rate < 0.01, "{plain:?}");
        let floored = levels(&w, 7, &lead, 0.85, 0.0, 0.9);
        assert!(floored.order_up_to >= 1.0, "{floored:?}");
        assert!(floored.expected_fill_rate >= 0.9, "{floored:?}");
        assert_eq!(floored.cycle_order_up_to, 0.0);
        // The search finds the smallest level, past its first guess too.
        assert_eq!(smallest_stock_reaching(0.0, 3.0, |s| s >= 7.0), 7.0);
        assert_eq!(smallest_stock_reaching(0.0, 30.0, |s| s >= 7.0), 7.0);
        // A floor the cycle target already meets changes nothing.
        let fast = flat(5.0, 0.1);
        let a = levels(&fast, 7, &lead, 0.95, 0.0, 0.0);
        let b = levels(&fast, 7, &lead, 0.95, 0.0, 0.5);
        assert_eq!(a, b);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn safety_stock_rises_with_service_level(rate in 0.05f64..20.0, disp in 0.0f64..2.0,
                                                  lt in 1.0f64..30.0, r in 1usize..14) {
            let w = flat(rate, disp);
            let lead = LeadTime::fixed(lt);
            let mut prev = f64::NEG_INFINITY;
            for p in [0.5, 0.8, 0.9, 0.95, 0.98, 0.99] {
                let l = levels(&w, r, &lead, p, 0.0, 0.0);
                prop_assert!(l.safety_stock >= prev - 1e-9);
                // A floor only ever raises the level, to one whose fill rate reaches it.
                let f = levels(&w, r, &lead, p, 0.0, 0.97);
                prop_assert!(f.order_up_to >= l.order_up_to);
                prop_assert!(f.expected_fill_rate >= 0.97 - 1e-9 || f.order_up_to == l.order_up_to && l.expected_fill_rate >= 0.97);
                prop_assert!(l.order_up_to >= 0.0);
                prev = l.safety_stock;
            }
        }

        #[test]
        fn a_higher_price_of_stock_never_gives_more_stock(rate in 0.01f64..20.0, disp in 0.0f64..2.0,
                                                           lt in 1.0f64..21.0, sd in 0.0f64..3.0,
                                                           r in 1usize..14) {
            // λ = 1/worth is the price of a unit-day of stock in stockout days.
            let w = flat(rate, disp);
            let lead = LeadTime { mean_days: lt, sd_days: sd, source: LeadTimeSource::Given };
            let c = stock_curve(&w, r, &lead);
            let mut prev = f64::INFINITY;
            for lambda in [0.0001, 0.001, 0.01, 0.05, 0.1, 0.3, 1.0, 3.0, 10.0] {
                let s = c.level(1.0 / lambda);
                prop_assert!(s <= prev, "λ {lambda}: {s} > {prev}");
                prop_assert!(c.on_hand(s) <= c.on_hand(prev) + 1e-12);
                prop_assert!(c.stockout_days(s) >= 0.0 && c.stockout_days(s) <= 1.0 + 1e-9);
                prev = s;
            }
        }

        #[test]
        fn safety_stock_rises_with_lead_time_spread(rate in 0.2f64..20.0, disp in 0.0f64..1.0,
                                                     lt in 3.0f64..30.0, p in 0.9f64..0.995) {
            let w = flat(rate, disp);
            let mut prev = f64::NEG_INFINITY;
            for sd in [0.0, 1.0, 2.0, 4.0] {
                let lead = LeadTime { mean_days: lt.round(), sd_days: sd, source: LeadTimeSource::Given };
                let l = levels(&w, 7, &lead, p, 0.0, 0.0);
                // Whole units: allow the rounding of one unit.
                prop_assert!(l.order_up_to >= prev - 1.0, "sd {sd}: {} < {prev}", l.order_up_to);
                prev = l.order_up_to;
            }
        }

        #[test]
        fn rounded_orders_respect_case_and_moq(raw in 0.0f64..5000.0, case in 1i64..24,
                                                mult in 1i64..10, rate in 0.0f64..50.0) {
            let rules = OrderRules {
                case_pack: case, moq: case * mult,
                price_breaks: vec![forestock_core::PriceBreak { min_qty: 100, discount_pct: 5.0 }],
                unit_cost: 3.0, holding_rate: 0.25, max_break_cover_days: 60.0,
            };
            let r = round_order(raw, &rules, rate);
            prop_assert!(r.qty >= 0);
            prop_assert_eq!(r.qty % case, 0);
            if r.qty > 0 {
                prop_assert!(r.qty >= rules.moq);
                prop_assert!(r.qty as f64 >= raw.ceil());
            } else {
                prop_assert!(raw <= 0.0);
            }
        }
    }
}
