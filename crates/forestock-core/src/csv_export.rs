//! CSV export of the audit log (RFC 4180: UTF-8, CRLF, quoting by the `csv` crate), with every
//! free-text cell guarded against spreadsheet formula injection.

use crate::audit::AuditEntry;
use crate::error::Result;
use std::io::Write;

/// Guard a free-text cell against spreadsheet formula injection (OWASP "CSV Injection",
/// CWE-1236; API-NOTES §5.2): a cell starting with `=`, `+`, `-`, `@`, TAB, CR, LF or NUL —
/// also after leading spaces, which spreadsheets skip before reading a formula — is prefixed
/// with `'` so spreadsheet programs show it as text. Quotes, separators and line breaks inside
/// the text are handled by the CSV writer's quoting ([`csv_writer`]). Only text cells go
/// through here: numeric columns (quantities, costs, negative demand) stay numbers.
pub fn guard_text(s: &str) -> String {
    match s.trim_start_matches(' ').chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// The CSV writer every Forestock CSV goes through (RFC 4180): fields holding the delimiter,
/// a quote, CR or LF are quoted (`csv` crate's `QuoteStyle::Necessary`, checked by
/// `csv_cells_with_cr_are_quoted`), quotes doubled. `crlf` picks the record terminator.
pub fn csv_writer<W: Write>(out: W, delimiter: u8, crlf: bool) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(out)
}

/// UTF-8 byte order mark. Excel opens a CSV without it in the system's legacy code page, so
/// `Müller GmbH` shows as `MÃ¼ller GmbH`; with it, Excel reads UTF-8 (Microsoft support,
/// "Opening CSV UTF-8 files correctly in Excel"). Other tools (Python's `utf-8-sig`, the `csv`
/// crate, LibreOffice, Numbers) skip it.
pub const UTF8_BOM: &str = "\u{feff}";

/// The columns of [`write_audit_csv`], in order.
pub const AUDIT_CSV_HEADER: [&str; 9] = [
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "reason",
];

/// Write audit entries as CSV with a header row. `id` and `at` (ISO 8601, UTC) are written as
/// they are; every other cell is free text or JSON and goes through [`guard_text`].
pub fn write_audit_csv<W: Write>(entries: &[AuditEntry], out: W) -> Result<()> {
    let mut w = csv_writer(out, b',', true);
    w.write_record(AUDIT_CSV_HEADER)?;
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    for e in entries {
        w.write_record([
            e.id.to_string(),
            e.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            guard_text(&e.actor),
            guard_text(&e.action),
            guard_text(&e.entity),
            guard_text(&e.entity_id),
            guard_text(&json(&e.before)),
            guard_text(&json(&e.after)),
            guard_text(&e.reason),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(reason: &str) -> AuditEntry {
        AuditEntry {
            id: 7,
            at: chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(6, 30, 0))
                .unwrap(),
            actor: "ana".into(),
            action: "plan.override".into(),
            entity: "plan_line".into(),
            entity_id: "12:3".into(),
            before: Some(serde_json::json!({"qty": 10})),
            after: Some(serde_json::json!(-5)),
            reason: reason.into(),
        }
    }

    #[test]
    fn guard_prefixes_formula_starts_only() {
        for bad in ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "\0x"] {
            assert_eq!(guard_text(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["Trade show", "1-2", "a=b", "", "'quoted"] {
            assert_eq!(guard_text(ok), ok);
        }
    }

    #[test]
    fn formula_text_after_spaces_is_guarded() {
        for bad in ["  =1+2", " +1", "   -1", " @SUM(A1)", " \t=x"] {
            assert_eq!(guard_text(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["  Trade show", "   ", " 1-2"] {
            assert_eq!(guard_text(ok), ok, "{ok:?}");
        }
    }

    #[test]
    fn csv_cells_with_cr_are_quoted() {
        let mut w = csv_writer(Vec::new(), b',', false);
        w.write_record(["a\rb", "c\nd", "plain", "x;y"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\"a\rb\",\"c\nd\",plain,x;y\n");
        let mut w = csv_writer(Vec::new(), b';', true);
        w.write_record(["x;y", "\r"]).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(text, "\"x;y\";\"\r\"\r\n");
        // and a reader gets the cells back whole
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let row = r.records().next().unwrap().unwrap();
        assert_eq!((&row[0], &row[1]), ("x;y", "\r"));
    }

    #[test]
    fn audit_csv_quotes_and_guards_free_text() {
        let mut out = Vec::new();
        write_audit_csv(&[entry("=1+2\";=1+2"), entry("Supplier, late")], &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "id,at,actor,action,entity,entity_id,before,after,reason"
        );
        // OWASP's example: the guarded cell is quoted, prefixed with ' and its quotes doubled.
        assert_eq!(
            lines[1],
            "7,2026-11-25T06:30:00,ana,plan.override,plan_line,12:3,\"{\"\"qty\"\":10}\",'-5,\"'=1+2\"\";=1+2\""
        );
        assert!(lines[2].ends_with(",\"Supplier, late\""), "{}", lines[2]);
        assert_eq!(lines[3], "", "rows end with CRLF");
        // Read back: every cell survives, the guard is the only change.
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(&rows[0][8], "'=1+2\";=1+2");
        assert_eq!(&rows[1][8], "Supplier, late");
    }
}
