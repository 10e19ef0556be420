//! Shopify's search syntax, the part the sync uses: `field:value`, `field:>value`,
//! `field:>=value`, `field:<value`, `field:<=value`, quoted values, terms ANDed.
//! Unknown fields and bare words are ignored (Shopify reports them as warnings only).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone)]
struct Term {
    field: String,
    op: Op,
    value: String,
}

#[derive(Debug, Clone, Default)]
pub struct Search {
    terms: Vec<Term>,
}

fn parse_time(s: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_utc());
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

impl Search {
    pub fn parse(q: &str) -> Result<Search, String> {
        let mut terms = Vec::new();
        let mut tokens = Vec::new();
        let mut cur = String::new();
        let mut quote: Option<char> = None;
        for ch in q.chars() {
            match (quote, ch) {
                (Some(qc), c) if c == qc => quote = None,
                (Some(_), c) => cur.push(c),
                (None, '\'' | '"') => quote = Some(ch),
                (None, c) if c.is_whitespace() => {
                    if !cur.is_empty() {
                        tokens.push(std::mem::take(&mut cur));
                    }
                }
                (None, c) => cur.push(c),
            }
        }
        if quote.is_some() {
            return Err(format!("Invalid search query {q:?}: unterminated quote"));
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        for t in tokens {
            if t == "AND" {
                continue;
            }
            if t == "OR" || t.starts_with('-') || t.starts_with("NOT") {
                return Err(format!(
                    "The simulator's search supports ANDed terms only, not {t:?} (query {q:?})"
                ));
            }
            let Some((field, rest)) = t.split_once(':') else {
                continue;
            };
            let (op, value) = if let Some(v) = rest.strip_prefix(">=") {
                (Op::Ge, v)
            } else if let Some(v) = rest.strip_prefix("<=") {
                (Op::Le, v)
            } else if let Some(v) = rest.strip_prefix('>') {
                (Op::Gt, v)
            } else if let Some(v) = rest.strip_prefix('<') {
                (Op::Lt, v)
            } else {
                (Op::Eq, rest)
            };
            terms.push(Term {
                field: field.to_string(),
                op,
                value: value.to_string(),
            });
        }
        Ok(Search { terms })
    }

    fn cmp<T: PartialOrd>(op: Op, a: &T, b: &T) -> bool {
        match op {
            Op::Eq => a == b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
        }
    }

    pub fn matches_time(&self, field: &str, t: NaiveDateTime) -> bool {
        self.terms.iter().filter(|x| x.field == field).all(|x| {
            match parse_time(&x.value) {
                // A date without a time compares the day for equality.
                Some(v) if x.op == Op::Eq => t.date() == v.date(),
                Some(v) => Self::cmp(x.op, &t, &v),
                None => false,
            }
        })
    }

    /// The earliest time a `field:>t` / `field:>=t` term allows, in epoch seconds (for
    /// starting a scan of a sorted index there).
    pub fn lower_bound(&self, field: &str) -> Option<i64> {
        self.terms
            .iter()
            .filter(|x| x.field == field)
            .filter_map(|x| {
                let t = parse_time(&x.value)?.and_utc().timestamp();
                match x.op {
                    Op::Gt => Some(t + 1),
                    Op::Ge => Some(t),
                    _ => None,
                }
            })
            .max()
    }

    pub fn matches_str(&self, field: &str, s: &str) -> bool {
        self.terms
            .iter()
            .filter(|x| x.field == field)
            .all(|x| match x.value.strip_suffix('*') {
                Some(prefix) => s.to_lowercase().starts_with(&prefix.to_lowercase()),
                None => s.eq_ignore_ascii_case(&x.value),
            })
    }

    pub fn matches_id(&self, id: i64) -> bool {
        self.terms.iter().filter(|x| x.field == "id").all(|x| {
            x.value
                .parse::<i64>()
                .is_ok_and(|v| Self::cmp(x.op, &id, &v))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updated_at_filter_with_quotes() {
        let s = Search::parse("updated_at:>'2025-06-01T00:00:00Z' status:any").unwrap();
        let t = |x| NaiveDateTime::parse_from_str(x, "%Y-%m-%d %H:%M:%S").unwrap();
        assert!(s.matches_time("updated_at", t("2025-06-01 00:00:01")));
        assert!(!s.matches_time("updated_at", t("2025-06-01 00:00:00")));
        assert!(s.matches_time("created_at", t("2020-01-01 00:00:00")));
    }

    #[test]
    fn lower_bound_of_updated_at() {
        let s =
            Search::parse("updated_at:>'2025-06-01T00:00:00Z' updated_at:>=2025-05-01").unwrap();
        assert_eq!(s.lower_bound("updated_at"), Some(1_748_736_001));
        assert_eq!(
            Search::parse("updated_at:<2025-01-01")
                .unwrap()
                .lower_bound("updated_at"),
            None
        );
    }

    #[test]
    fn or_is_refused_and_sku_matches() {
        assert!(Search::parse("sku:A OR sku:B").is_err());
        let s = Search::parse("sku:ab-1").unwrap();
        assert!(s.matches_str("sku", "AB-1"));
        assert!(!s.matches_str("sku", "AB-2"));
    }
}
