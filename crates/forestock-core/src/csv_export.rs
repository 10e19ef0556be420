//! CSV export of the audit log (RFC 4180: UTF-8, CRLF, quoting by the `csv` crate), with every
//! free-text cell guarded against spreadsheet formula injection.

use crate::audit::AuditEntry;
use crate::error::Result;
use std::io::Write;

/// Guard a free-text cell against spreadsheet formula injection (OWASP "CSV Injection",
/// CWE-1236): a cell starting with `=`, `+`, `-`, `@`, TAB, CR, LF or NUL is prefixed with `'`
/// so spreadsheet programs show it as text. Quotes and separators inside the text are handled
/// by the CSV writer's quoting.
pub fn guard_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0') => format!("'{s}"),
        _ => s.to_string(),
    }
}

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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
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
