//! The SuiteQL subset the NetSuite simulator answers: `SELECT cols FROM table [WHERE …]
//! [ORDER BY …]`, conditions `column = value` and `column IN (value, …)` joined by AND, `?`
//! placeholders bound from `params` in order (shared API-NOTES §4.8).

use serde_json::Value;

pub(crate) struct Sql {
    pub cols: Vec<String>,
    pub table: String,
    /// `column = v` or `column IN (v, …)`: the column must equal one of the values.
    pub conds: Vec<(String, Vec<String>)>,
    pub order: Option<(String, bool)>,
}

/// `SELECT cols FROM t [WHERE c = v | c IN (v, …) [AND …]] [ORDER BY c [ASC|DESC]]`, `?`
/// bound in order.
pub(crate) fn parse_sql(q: &str, params: &[Value]) -> Result<Sql, String> {
    let toks: Vec<String> = tokenize(q);
    let mut i = 0;
    let kw = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.eq_ignore_ascii_case(w));
    if !kw(0, "select") {
        return Err("only SELECT statements are supported".into());
    }
    i += 1;
    let mut cols = Vec::new();
    while i < toks.len() && !kw(i, "from") {
        if toks[i] != "," {
            cols.push(toks[i].to_lowercase());
        }
        i += 1;
    }
    if !kw(i, "from") || cols.is_empty() {
        return Err("expected SELECT <columns> FROM <table>".into());
    }
    let table = toks.get(i + 1).ok_or("missing table name")?.to_lowercase();
    i += 2;
    let mut conds = Vec::new();
    let mut bind = params.iter();
    if kw(i, "where") {
        i += 1;
        loop {
            let col = toks.get(i).ok_or("incomplete WHERE")?.to_lowercase();
            let mut value = |raw: &String| -> Result<String, String> {
                Ok(if raw == "?" {
                    match bind.next().ok_or("more ? placeholders than params")? {
                        Value::String(s) => s.clone(),
                        v => v.to_string(),
                    }
                } else {
                    raw.trim_matches('\'').to_string()
                })
            };
            if toks.get(i + 1).map(String::as_str) == Some("=") {
                let raw = toks.get(i + 2).ok_or("incomplete WHERE")?;
                conds.push((col, vec![value(raw)?]));
                i += 3;
            } else if kw(i + 1, "in") && toks.get(i + 2).map(String::as_str) == Some("(") {
                i += 3;
                let mut vals = Vec::new();
                loop {
                    let raw = toks.get(i).ok_or("incomplete IN list")?;
                    if raw == ")" || raw == "," {
                        return Err("expected a value in the IN list".into());
                    }
                    vals.push(value(raw)?);
                    match toks.get(i + 1).map(String::as_str) {
                        Some(",") => i += 2,
                        Some(")") => {
                            i += 2;
                            break;
                        }
                        _ => return Err("unterminated IN list".into()),
                    }
                }
                conds.push((col, vals));
            } else {
                return Err(
                    "only `column = value` and `column IN (…)` conditions joined by AND are supported"
                        .into(),
                );
            }
            if kw(i, "and") {
                i += 1;
            } else {
                break;
            }
        }
    }
    let mut order = None;
    if kw(i, "order") && kw(i + 1, "by") {
        let c = toks.get(i + 2).ok_or("incomplete ORDER BY")?.to_lowercase();
        let desc = kw(i + 3, "desc");
        i += if kw(i + 3, "desc") || kw(i + 3, "asc") {
            4
        } else {
            3
        };
        order = Some((c, desc));
    }
    if i < toks.len() {
        return Err(format!("unexpected {:?}", toks[i]));
    }
    Ok(Sql {
        cols,
        table,
        conds,
        order,
    })
}

fn tokenize(q: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_str = false;
    for c in q.chars() {
        if in_str {
            cur.push(c);
            if c == '\'' {
                in_str = false;
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        match c {
            '\'' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(c);
                in_str = true;
            }
            ',' | '=' | '?' | '(' | ')' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
