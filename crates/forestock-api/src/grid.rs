//! The planner grid, one window at a time: search, filters, sort and grouping are applied here
//! and only the rows on screen (plus a margin) go to the app, so a 20,000-line merchant opens as
//! fast as a small one. The headline numbers of the Overview are summed here too, over every line.
//!
//! The lines come from [`crate::views::planner`]; [`GridCache`] keeps them between windows while
//! [`forestock_plan::review::grid_version`] says the plan behind them is unchanged.

use crate::views::{planner, PlannerRow};
use crate::Result;
use forestock_core::Store;
use forestock_plan::money::{per_currency, Converted, Money, Rates};
use forestock_plan::review::LineFlag;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The most rows one window may ask for.
pub const MAX_WINDOW: usize = 2_000;

/// Sort direction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    #[default]
    Asc,
    Desc,
}

/// What the planner asks of the grid: the view (search, filters, sort, grouping) and the window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct PlannerQuery {
    /// Every whitespace-separated term must appear (any case) in the SKU, item, category or
    /// supplier.
    pub search: String,
    /// A location code; empty for all.
    pub location: String,
    /// A supplier name, `—` for lines without one; empty for all.
    pub supplier: String,
    /// Only lines whose quantity (override, else recommendation) is above zero.
    pub only_to_order: bool,
    /// A column id (`sku`, `title`, `location`, `supplier`, `category`, `abc`, `on_hand`,
    /// `incoming`, `forecast_30d`, `days_of_cover`, `safety_stock`, `reorder_point`, `qty`,
    /// `alerts`); empty sorts by SKU.
    pub sort: String,
    pub dir: SortDir,
    /// Group the lines by supplier, a heading row before each group.
    pub group_by_supplier: bool,
    /// The first item of the window (headings count as items) and how many to return.
    pub offset: u32,
    pub limit: u32,
}

/// One item of the grid: a supplier heading (when grouped) or a line.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlannerItem {
    /// A supplier's heading: its lines (after the filters) and their order value, per
    /// currency (a supplier invoices in one).
    Group {
        key: String,
        count: u32,
        value: Vec<Money>,
    },
    Row {
        row: Box<PlannerRow>,
    },
}

/// The headline numbers of the plan over every line (the Overview's "Needs attention").
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannerTotals {
    pub lines_to_order: u32,
    /// Σ quantity × unit cost over the lines to order, per currency (never added across).
    pub order_value: Vec<Money>,
    /// The order value in the merchant's currency at the rates the planner entered, when some
    /// of it is foreign and every foreign currency has a rate.
    pub order_value_converted: Option<Converted>,
    pub needs_approval: u32,
    pub stockout_risk: u32,
    /// Lines with nothing on hand now.
    pub out_of_stock: u32,
    pub excess_lines: u32,
    /// Lines with demand to order but no supplier: they order nothing until one is linked.
    pub needs_supplier: u32,
}

/// One window of the grid with the counts and choices the screen shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannerPage {
    /// When the plan behind the plan columns finished; `None` when no plan has run yet.
    pub plan_run: Option<String>,
    /// Every SKU×location line, and those the search and filters keep.
    pub total: u32,
    pub matched: u32,
    /// Items of the whole view (the kept lines plus one heading per group when grouped).
    pub items_total: u32,
    /// The window: `items[0]` is item number `offset` of the view.
    pub offset: u32,
    pub items: Vec<PlannerItem>,
    /// The filter choices, over every line (`—` stands for "no supplier").
    pub locations: Vec<String>,
    pub suppliers: Vec<String>,
    pub categories: Vec<String>,
    pub totals: PlannerTotals,
}

/// Every line of the grid, as read for one version of the plan.
#[derive(Debug)]
struct Lines {
    rows: Vec<PlannerRow>,
    plan_run: Option<String>,
}

/// The grid's lines kept between windows for one database and one version of its plan.
#[derive(Debug, Default)]
pub struct GridCache {
    kept: Mutex<Option<(PathBuf, String, Arc<Lines>)>>,
}

impl GridCache {
    /// The lines of the grid: those kept when the database and its plan are unchanged, else read
    /// afresh and kept. One read at a time: a window asked for while the lines are being read
    /// waits for that read instead of making another. Without a plan the stock positions are
    /// read every time: nothing versions them.
    fn lines(&self, store: &Store) -> Result<Arc<Lines>> {
        let read = || -> Result<Lines> {
            let data = planner(store)?;
            Ok(Lines {
                rows: data.rows,
                plan_run: data.plan_run,
            })
        };
        let Some(version) = forestock_plan::review::grid_version(store)? else {
            return Ok(Arc::new(read()?));
        };
        let path = store.path().to_path_buf();
        // A panic while reading leaves nothing half-kept: the slot is only ever replaced whole.
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((p, v, lines)) = kept.as_ref() {
            if *p == path && *v == version {
                return Ok(Arc::clone(lines));
            }
        }
        let lines = Arc::new(read()?);
        *kept = Some((path, version, Arc::clone(&lines)));
        Ok(lines)
    }
}

/// A window of the planner grid for `q` (see [`PlannerQuery`]): the lines the search and filters
/// keep, sorted (nulls last either way, text in natural order, ties in SKU then location order),
/// grouped by supplier when asked, and the counts, filter choices and [`PlannerTotals`].
pub fn planner_page(store: &Store, cache: &GridCache, q: &PlannerQuery) -> Result<PlannerPage> {
    let lines = cache.lines(store)?;
    let mut page = page_of(&lines.rows, lines.plan_run.clone(), q);
    page.totals.order_value_converted =
        Rates::load(&store.read())?.convert(&page.totals.order_value);
    Ok(page)
}

fn page_of(rows: &[PlannerRow], plan_run: Option<String>, q: &PlannerQuery) -> PlannerPage {
    let terms: Vec<String> = q
        .search
        .to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut kept: Vec<&PlannerRow> = rows
        .iter()
        .filter(|r| {
            (q.location.is_empty() || r.location == q.location)
                && (q.supplier.is_empty() || supplier_key(r) == q.supplier)
                && (!q.only_to_order || qty(r).unwrap_or(0) > 0)
                && matches(r, &terms)
        })
        .collect();
    sort_rows(&mut kept, &q.sort, q.dir);
    let matched = kept.len();
    let mut view: Vec<PlannerItem> = Vec::new();
    let (offset, limit) = (q.offset as usize, (q.limit as usize).min(MAX_WINDOW));
    let items_total = if q.group_by_supplier {
        // Stable: within a supplier the lines keep the chosen order.
        kept.sort_by(|a, b| nulls_last(a.supplier.as_deref(), b.supplier.as_deref(), natural));
        let mut n = 0usize;
        let mut i = 0usize;
        while i < kept.len() {
            let key = supplier_key(kept[i]);
            let end = kept[i..]
                .iter()
                .position(|r| supplier_key(r) != key)
                .map_or(kept.len(), |p| i + p);
            let group = &kept[i..end];
            if in_window(n, offset, limit) {
                view.push(PlannerItem::Group {
                    key: key.to_string(),
                    count: u32_of(group.len()),
                    value: per_currency(group.iter().map(|r| (r.currency.clone(), order_value(r)))),
                });
            }
            n += 1;
            for r in group {
                if in_window(n, offset, limit) {
                    view.push(PlannerItem::Row {
                        row: Box::new((*r).clone()),
                    });
                }
                n += 1;
            }
            i = end;
        }
        n
    } else {
        view.extend(
            kept.iter()
                .skip(offset)
                .take(limit)
                .map(|r| PlannerItem::Row {
                    row: Box::new((*r).clone()),
                }),
        );
        matched
    };
    PlannerPage {
        plan_run,
        total: u32_of(rows.len()),
        matched: u32_of(matched),
        items_total: u32_of(items_total),
        offset: q.offset,
        items: view,
        locations: distinct(rows.iter().map(|r| r.location.as_str())),
        suppliers: distinct(rows.iter().map(supplier_key)),
        categories: distinct(rows.iter().map(|r| r.category.as_str())),
        totals: totals(rows),
    }
}

fn in_window(i: usize, offset: usize, limit: usize) -> bool {
    i >= offset && i < offset.saturating_add(limit)
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn supplier_key(r: &PlannerRow) -> &str {
    r.supplier.as_deref().unwrap_or("—")
}

/// The line's quantity: the planner's override, else the recommendation.
fn qty(r: &PlannerRow) -> Option<i64> {
    r.override_qty.or(r.recommended_qty)
}

fn order_value(r: &PlannerRow) -> f64 {
    qty(r).unwrap_or(0) as f64 * r.cost.unwrap_or(0.0)
}

fn matches(r: &PlannerRow, terms: &[String]) -> bool {
    if terms.is_empty() {
        return true;
    }
    let hay = [
        r.sku.as_str(),
        r.title.as_str(),
        r.category.as_str(),
        r.supplier.as_deref().unwrap_or(""),
    ]
    .join(" ")
    .to_lowercase();
    terms.iter().all(|t| hay.contains(t.as_str()))
}

fn distinct<'a>(it: impl Iterator<Item = &'a str>) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> = it.collect();
    set.into_iter().map(str::to_string).collect()
}

/// The value a column sorts by.
enum Key<'a> {
    Text(Option<&'a str>),
    Num(Option<f64>),
}

fn key<'a>(r: &'a PlannerRow, column: &str) -> Key<'a> {
    let n = |v: Option<f64>| Key::Num(v.filter(|x| !x.is_nan()));
    match column {
        "title" => Key::Text(Some(&r.title)),
        "location" => Key::Text(Some(&r.location)),
        "supplier" => Key::Text(r.supplier.as_deref()),
        "category" => Key::Text(Some(&r.category)),
        "abc" => Key::Text(r.abc.as_deref()),
        "on_hand" => n(Some(r.on_hand as f64)),
        "incoming" => n(Some(r.incoming as f64)),
        "forecast_30d" => n(r.forecast_30d),
        "days_of_cover" => n(r.days_of_cover),
        "safety_stock" => n(r.safety_stock),
        "reorder_point" => n(r.reorder_point),
        "qty" => n(qty(r).map(|q| q as f64)),
        "alerts" => n(Some(r.alerts.len() as f64)),
        _ => Key::Text(Some(&r.sku)),
    }
}

/// Sort by one column, stably: missing values last in either direction.
fn sort_rows(rows: &mut [&PlannerRow], column: &str, dir: SortDir) {
    let flip = |o: Ordering| if dir == SortDir::Desc { o.reverse() } else { o };
    rows.sort_by(|a, b| match (key(a, column), key(b, column)) {
        (Key::Text(x), Key::Text(y)) => nulls_last(x, y, |x, y| flip(natural(x, y))),
        (Key::Num(x), Key::Num(y)) => nulls_last(x, y, |x, y| flip(x.total_cmp(&y))),
        _ => Ordering::Equal,
    });
}

fn nulls_last<T>(a: Option<T>, b: Option<T>, cmp: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => cmp(a, b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Natural order, as a planner reads codes: runs of digits compare by value (`A-2` before
/// `A-10`), other characters without regard to case.
pub fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, n) = (digits(&mut x), digits(&mut y));
                let (mt, nt) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let o = mt.len().cmp(&nt.len()).then_with(|| mt.cmp(nt));
                if o != Ordering::Equal {
                    return o;
                }
            }
            (Some(c), Some(d)) => {
                let o = c.to_lowercase().cmp(d.to_lowercase());
                if o != Ordering::Equal {
                    return o;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// The run of digits at the front of `it`, taken off it.
fn digits(it: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut s = String::new();
    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
        s.push(c);
        it.next();
    }
    s
}

/// The Overview's headline numbers over every line.
pub fn totals(rows: &[PlannerRow]) -> PlannerTotals {
    let mut t = PlannerTotals::default();
    let mut value = Vec::new();
    for r in rows {
        if qty(r).unwrap_or(0) > 0 {
            t.lines_to_order += 1;
            value.push((r.currency.clone(), order_value(r)));
        }
        if r.on_hand <= 0 {
            t.out_of_stock += 1;
        }
        for f in &r.alerts {
            match f {
                LineFlag::NeedsApproval => t.needs_approval += 1,
                LineFlag::StockoutRisk => t.stockout_risk += 1,
                LineFlag::Excess => t.excess_lines += 1,
                LineFlag::Locked => {}
                LineFlag::NeedsSupplier => t.needs_supplier += 1,
            }
        }
    }
    t.order_value = per_currency(value);
    t
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn row(
        sku: &str,
        loc: &str,
        supplier: Option<&str>,
        on_hand: i64,
        q: Option<i64>,
    ) -> PlannerRow {
        PlannerRow {
            variant_id: 0,
            location_id: 0,
            sku: sku.into(),
            title: format!("Item {sku}"),
            category: "Tees".into(),
            location: loc.into(),
            supplier: supplier.map(str::to_string),
            status: "active".into(),
            price: 10.0,
            cost: Some(4.0),
            currency: "USD".into(),
            on_hand,
            incoming: 0,
            abc: None,
            forecast_30d: None,
            days_of_cover: None,
            safety_stock: None,
            reorder_point: None,
            recommended_qty: q,
            override_qty: None,
            line_status: None,
            override_reason: None,
            alerts: Vec::new(),
            model: None,
            rationale: Vec::new(),
        }
    }

    fn rows() -> Vec<PlannerRow> {
        vec![
            row("A-10", "WH1", Some("Birch"), 5, Some(3)),
            row("A-2", "WH1", None, 0, None),
            row("B-1", "WH2", Some("Alpine"), 7, Some(1)),
            row("A-1", "WH2", Some("Birch"), 2, Some(3)),
        ]
    }

    fn skus(p: &PlannerPage) -> Vec<String> {
        p.items
            .iter()
            .map(|i| match i {
                PlannerItem::Group { key, .. } => format!("[{key}]"),
                PlannerItem::Row { row } => row.sku.clone(),
            })
            .collect()
    }

    fn q() -> PlannerQuery {
        PlannerQuery {
            limit: 100,
            ..Default::default()
        }
    }

    #[test]
    fn text_sorts_naturally_and_numbers_keep_nulls_last_both_ways() {
        let p = page_of(&rows(), None, &q());
        assert_eq!(skus(&p), ["A-1", "A-2", "A-10", "B-1"]);
        let mut by_qty = PlannerQuery {
            sort: "qty".into(),
            ..q()
        };
        assert_eq!(
            skus(&page_of(&rows(), None, &by_qty)),
            ["B-1", "A-10", "A-1", "A-2"]
        );
        by_qty.dir = SortDir::Desc;
        assert_eq!(
            skus(&page_of(&rows(), None, &by_qty)),
            ["A-10", "A-1", "B-1", "A-2"]
        );
    }

    #[test]
    fn filters_and_search_count_what_they_keep() {
        let p = page_of(
            &rows(),
            None,
            &PlannerQuery {
                supplier: "—".into(),
                ..q()
            },
        );
        assert_eq!((p.total, p.matched), (4, 1));
        assert_eq!(skus(&p), ["A-2"]);
        let p = page_of(
            &rows(),
            None,
            &PlannerQuery {
                search: "item birch".into(),
                only_to_order: true,
                location: "WH2".into(),
                ..q()
            },
        );
        assert_eq!(skus(&p), ["A-1"]);
        assert_eq!(p.locations, ["WH1", "WH2"]);
        assert_eq!(p.suppliers, ["Alpine", "Birch", "—"]);
    }

    #[test]
    fn grouping_puts_a_heading_with_count_and_value_before_each_supplier() {
        let g = PlannerQuery {
            group_by_supplier: true,
            ..q()
        };
        let p = page_of(&rows(), None, &g);
        assert_eq!(
            skus(&p),
            ["[Alpine]", "B-1", "[Birch]", "A-1", "A-10", "[—]", "A-2"]
        );
        assert_eq!(p.items_total, 7);
        match &p.items[2] {
            PlannerItem::Group { count, value, .. } => {
                assert_eq!(*count, 2);
                assert_eq!(value.len(), 1);
                assert!((value[0].amount - 24.0).abs() < 1e-9); // (3 + 3) × 4.0
            }
            PlannerItem::Row { .. } => panic!("expected a heading"),
        }
        // A window in the middle of the view.
        let w = page_of(
            &rows(),
            None,
            &PlannerQuery {
                offset: 2,
                limit: 3,
                ..g
            },
        );
        assert_eq!(skus(&w), ["[Birch]", "A-1", "A-10"]);
        assert_eq!(w.offset, 2);
    }

    #[test]
    fn totals_count_every_line_whatever_the_filter() {
        let p = page_of(
            &rows(),
            None,
            &PlannerQuery {
                location: "WH1".into(),
                ..q()
            },
        );
        assert_eq!(p.totals.lines_to_order, 3);
        assert_eq!(p.totals.order_value.len(), 1);
        assert!((p.totals.order_value[0].amount - 28.0).abs() < 1e-9);
        assert_eq!(p.totals.out_of_stock, 1);
    }

    /// Overrides win over recommendations in the order value; alerts are counted per flag.
    #[test]
    fn totals_sum_order_value_from_overrides_first_and_count_alerts() {
        let mut rows: Vec<PlannerRow> = (0..3)
            .map(|i| {
                row(
                    &format!("S-{i}"),
                    "WH1",
                    Some("A"),
                    if i == 0 { 0 } else { 5 },
                    Some(10),
                )
            })
            .collect();
        for r in &mut rows {
            r.cost = Some(2.0);
        }
        rows[1].override_qty = Some(4);
        rows[2].alerts = vec![LineFlag::NeedsApproval, LineFlag::StockoutRisk];
        assert_eq!(
            totals(&rows),
            PlannerTotals {
                lines_to_order: 3,
                order_value: vec![Money {
                    currency: "USD".into(),
                    amount: 48.0
                }],
                order_value_converted: None,
                needs_approval: 1,
                stockout_risk: 1,
                out_of_stock: 1,
                excess_lines: 0,
                needs_supplier: 0,
            }
        );
    }

    /// A supplier invoicing in EUR and one in USD: the totals keep each currency apart.
    #[test]
    fn totals_are_kept_per_currency_and_never_summed() {
        let mut rows = rows();
        for r in rows
            .iter_mut()
            .filter(|r| r.supplier.as_deref() == Some("Alpine"))
        {
            r.currency = "EUR".into();
        }
        let p = page_of(
            &rows,
            None,
            &PlannerQuery {
                group_by_supplier: true,
                ..q()
            },
        );
        let got: Vec<(String, f64)> = p
            .totals
            .order_value
            .iter()
            .map(|m| (m.currency.clone(), m.amount))
            .collect();
        let usd: f64 = rows
            .iter()
            .filter(|r| r.currency == "USD")
            .map(order_value)
            .sum();
        let eur: f64 = rows
            .iter()
            .filter(|r| r.currency == "EUR")
            .map(order_value)
            .sum();
        assert!(eur > 0.0 && usd > 0.0);
        assert_eq!(got, [("EUR".to_string(), eur), ("USD".to_string(), usd)]);
        match &p.items[0] {
            PlannerItem::Group { key, value, .. } => {
                assert_eq!(key, "Alpine");
                assert_eq!(value.len(), 1);
                assert_eq!(value[0].currency, "EUR");
            }
            PlannerItem::Row { .. } => panic!("expected a heading"),
        }
    }

    #[test]
    fn natural_order_reads_digits_as_numbers() {
        assert_eq!(natural("SKU-2", "SKU-10"), Ordering::Less);
        assert_eq!(natural("sku-b", "SKU-A"), Ordering::Greater);
        assert_eq!(natural("A", "A-1"), Ordering::Less);
        assert_eq!(natural("x007", "x7"), Ordering::Equal);
    }
}
