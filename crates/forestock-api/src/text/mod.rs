//! The plain-text form of the use cases' reports: what `forestock` prints without
//! `--format json`, and what a notification, a log line or a support message can quote. Each
//! report's wording lives here once, beside the types it reads; the front doors only choose
//! between this text and the report's JSON.
//!
//! [`PlainText::text`] returns whole lines, each ending with a newline; a report that needs
//! more than itself (the planning date's basis, a count of periods) has a function instead.

mod plan;
mod records;
mod remote;
mod suppliers;

pub use plan::{approval_preview, decided, plan_summary, po_export};
pub use records::{
    chart, import_report, import_undone, rate_deleted, rate_set, sync_report, writeback,
    Preview as ImportPreview,
};
pub use remote::{push_outcomes, run_event, store_connected, store_removed, sync_results};

use crate::kpis::Money;

/// A report's plain-text form; every line ends with a newline.
pub trait PlainText {
    fn text(&self) -> String;
}

/// Push one formatted line and its newline onto a `String`.
macro_rules! line {
    ($o:expr) => {
        $o.push('\n')
    };
    ($o:expr, $($fmt:tt)*) => {{
        $o.push_str(&format!($($fmt)*));
        $o.push('\n');
    }};
}
pub(crate) use line;

/// Amounts per currency, never added across currencies: "1234.50 USD + 200.00 EUR"; `empty`
/// when there is none.
pub fn amounts(m: &[Money], empty: &str) -> String {
    if m.is_empty() {
        return empty.into();
    }
    m.iter()
        .map(|m| format!("{:.2} {}", m.amount, m.currency))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A number with `digits` decimals, or a dash when there is none.
pub fn number(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "—".into(), |x| format!("{x:.digits$}"))
}

/// A share as a percentage with one decimal, or a dash.
pub fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

/// The first ten of a list joined by commas, "…" when there are more.
pub fn first_ten(list: &[String]) -> String {
    let mut s: Vec<&str> = list.iter().take(10).map(String::as_str).collect();
    if list.len() > 10 {
        s.push("…");
    }
    s.join(", ")
}

/// "" for one, "s" for any other count.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_stay_per_currency() {
        let m = |amount: f64, currency: &str| Money {
            amount,
            currency: currency.into(),
        };
        assert_eq!(amounts(&[], "0.00"), "0.00");
        assert_eq!(
            amounts(&[m(1234.5, "USD"), m(200.0, "EUR")], "—"),
            "1234.50 USD + 200.00 EUR"
        );
        assert_eq!(number(None, 2), "—");
        assert_eq!(number(Some(1.234), 1), "1.2");
        assert_eq!(percent(Some(0.5)), "50.0%");
        let many: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        assert_eq!(first_ten(&many), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …");
        assert_eq!(plural(1), "");
        assert_eq!(plural(2), "s");
    }
}
