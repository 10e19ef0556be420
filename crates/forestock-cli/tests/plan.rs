//! Planning through the `forestock` binary (issue 4): plan → alerts → review (override with a
//! reason, undo, approve) → purchase order → supplier CSV, all audited; scenarios; and bad
//! input refused with a clear message, exit code 2 and nothing saved changed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Runs a command that must be refused as bad input; returns its one-line message.
fn refused(args: &[&str]) -> String {
    let out = forestock(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn audit_actions(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT action, reason FROM audit_log ORDER BY id")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// The review grid's lines, as (sku, location, recommended, final, status).
fn grid(db: &str) -> Vec<(String, String, i64, i64, String)> {
    json(&["review", "--db", db, "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["sku"].as_str().unwrap().to_string(),
                g["location"].as_str().unwrap().to_string(),
                g["recommended_qty"].as_i64().unwrap(),
                g["final_qty"].as_i64().unwrap(),
                g["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn plan_override_approve_po_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "60"]);

    // The plan covers every active SKU×location that has stock or sales, with a rationale.
    let summary = json(&["plan", "--db", db]);
    let lines = summary["lines"].as_u64().unwrap();
    assert!(lines >= 60, "{summary}");
    assert_eq!(summary["today"], "2026-11-25");
    assert!(summary["seconds"].as_f64().is_some());
    let by_supplier = summary["by_supplier"].as_array().unwrap();
    assert!(!by_supplier.is_empty());
    // Order value per currency: each is the sum of its suppliers' totals, never added across.
    let per_currency = summary["order_value"].as_array().unwrap();
    assert!(per_currency.len() > 1, "{summary}");
    for m in per_currency {
        let total: f64 = by_supplier
            .iter()
            .filter(|s| s["currency"] == m["currency"])
            .map(|s| s["value"].as_f64().unwrap())
            .sum();
        assert!((total - m["amount"].as_f64().unwrap()).abs() < 1e-6, "{m}");
    }
    let rows = json(&["review", "--db", db, "list"]);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len() as u64, lines);
    assert!(rows
        .iter()
        .all(|r| r["rationale"].as_array().is_some_and(|w| w.len() >= 3)));

    // Alerts: short, ranked, each with evidence and an action.
    let alerts = json(&["alerts", "--db", db]);
    let list = alerts["exceptions"].as_array().unwrap();
    assert!(list.len() <= 40);
    assert_eq!(alerts["hidden"], 0);
    assert_eq!(list.len() as u64, alerts["stats"]["kept"].as_u64().unwrap());
    for (i, a) in list.iter().enumerate() {
        assert_eq!(a["rank"].as_u64().unwrap(), i as u64 + 1);
        assert!(!a["evidence"].as_str().unwrap().is_empty());
        assert!(!a["action"].as_str().unwrap().is_empty());
        assert!(["high", "medium", "low"].contains(&a["severity"].as_str().unwrap()));
    }
    assert!(ok(&["alerts", "--db", db]).contains("alerts for 2026-11-25"));

    // Pick a line to order; override it (twice), undo once, approve.
    let line = rows
        .iter()
        .find(|r| r["recommended_qty"].as_i64().unwrap() > 0 && r["supplier_id"].is_i64())
        .expect("a line to order");
    let sku = line["sku"].as_str().unwrap().to_string();
    let loc = line["location"].as_str().unwrap().to_string();
    let rec = line["recommended_qty"].as_i64().unwrap();
    let at = ["--sku", sku.as_str(), "--location", loc.as_str()];
    let reason = "=HYPERLINK(\"x\") trade show";
    let q2 = (2 * rec).to_string();
    let q3 = (3 * rec).to_string();
    let over = |q: &str, why: &str| {
        let mut a = vec!["review", "--db", db, "override"];
        a.extend(at);
        a.extend(["--qty", q, "--reason", why]);
        ok(&a)
    };
    over(&q2, reason);
    over(&q3, "second thoughts");
    assert!(ok(&["review", "--db", db, "undo"]).contains("1 line undone"));
    let mut show = vec!["review", "--db", db, "show"];
    show.extend(at);
    let shown = json(&show);
    assert_eq!(shown["final_qty"].as_i64().unwrap(), 2 * rec);
    assert_eq!(shown["override_reason"], reason);
    let mut approve = vec!["review", "--db", db, "approve"];
    approve.extend(at);
    assert!(ok(&approve).contains("1 line approved"));

    // Draft → approve → export the supplier's CSV.
    let pos = json(&["po", "--db", db, "draft"]);
    let pos = pos.as_array().unwrap();
    assert_eq!(pos.len(), 1, "{pos:?}");
    let po = &pos[0];
    assert_eq!(po["status"], "draft");
    let number = po["number"].as_str().unwrap();
    let supplier = po["supplier"].as_str().unwrap();
    ok(&["po", "--db", db, "approve", number]);
    let csv = dir.path().join("po.csv");
    let out = ok(&[
        "po",
        "--db",
        db,
        "export",
        "--supplier",
        supplier,
        "--output",
        p(&csv),
    ]);
    assert!(out.contains("1 PO"), "{out}");
    let content = std::fs::read_to_string(&csv).unwrap();
    // UTF-8 with a byte order mark by default, so Excel reads non-ASCII supplier names
    let content = content.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    let mut rows = content.split("\r\n");
    assert_eq!(
        rows.next().unwrap(),
        "po_number,supplier_name,order_date,expected_date,ship_to_location,sku,supplier_sku,barcode,\
         description,quantity,unit_cost,currency,line_total,notes"
    );
    let row = rows.next().unwrap();
    assert!(row.starts_with(&format!("{number},")), "{row}");
    assert!(row.contains(&format!(",{sku},")), "{row}");
    assert!(row.contains(&format!(",{},", 2 * rec)), "{row}");
    // The note starting with "=" is defused for spreadsheets.
    assert!(
        row.ends_with("\"'=HYPERLINK(\"\"x\"\") trade show\""),
        "{row}"
    );
    assert_eq!(rows.next(), Some(""));
    assert_eq!(
        json(&["po", "--db", db, "show", number])["status"],
        "exported"
    );
    // The same PO again in the columns and delimiter one supplier's import expects.
    let custom = dir.path().join("po-custom.csv");
    ok(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        number,
        "--output",
        p(&custom),
        "--columns",
        "sku=Item,quantity=Qty",
        "--delimiter",
        "tab",
        // an ERP import rather than Excel: without the byte order mark
        "--no-bom",
    ]);
    assert_eq!(
        std::fs::read_to_string(&custom).unwrap(),
        format!("Item\tQty\r\n{sku}\t{}\r\n", 2 * rec)
    );
    let html = dir.path().join("po.html");
    ok(&["po", "--db", db, "html", number, "--output", p(&html)]);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(&sku) && page.contains("&quot;x&quot;"));

    // Every step is in the audit log, with the override's reason.
    let audit = audit_actions(Path::new(db));
    let actions: Vec<&str> = audit.iter().map(|a| a.0.as_str()).collect();
    for a in [
        "plan.override",
        "plan.undo",
        "plan.approve",
        "po.draft",
        "po.status",
        "po.export",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(audit
        .iter()
        .any(|(a, r)| a == "plan.override" && r == reason));

    // Receive part of it; the rest stays open.
    let mut recv = vec!["po", "--db", db, "receive", number, "--line"];
    let part = format!("{sku}={rec}");
    recv.push(&part);
    assert_eq!(json(&recv)["status"], "partially_received");
}

#[test]
fn scenario_round_trip_leaves_the_baseline_after_discard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "20"]);
    // A fresh stored forecast run (default engine settings, horizon covering the plan's) is
    // reused rather than forecasting again, and the plan names it.
    ok(&["forecast", "--db", db, "--horizon", "90"]);
    let summary = json(&["plan", "--db", db]);
    assert!(summary["forecast_run_id"].is_i64(), "{summary}");
    let text = ok(&["plan", "--db", db, "--quiet"]);
    assert!(text.contains("Order value by supplier"), "{text}");
    assert!(text.contains("Alerts"), "{text}");
    let before = grid(db);
    let id = json(&["scenario", "--db", db, "create", "Holiday"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    ok(&["scenario", "--db", db, "set", &id, "--demand", "2.0"]);
    let eval = json(&["scenario", "--db", db, "evaluate", &id]);
    assert!(eval["scenario"]["lines_changed"].as_u64().unwrap() > 0);
    let usd = |t: &serde_json::Value| {
        t["order_value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["currency"] == "USD")
            .unwrap()["amount"]
            .as_f64()
            .unwrap()
    };
    assert!(usd(&eval["scenario"]) > usd(&eval["baseline"]));
    let cmp = json(&["scenario", "--db", db, "compare", &id]);
    assert_eq!(cmp.as_array().unwrap().len(), 2);
    assert!(ok(&["scenario", "--db", db, "compare", &id]).contains("Holiday"));
    ok(&["scenario", "--db", db, "discard", &id]);
    assert_eq!(grid(db), before);
    let listed = json(&["scenario", "--db", db, "list"]);
    assert_eq!(listed[0]["status"], "discarded");

    // A second scenario applied changes the plan.
    let id2 = json(&["scenario", "--db", db, "create", "Double"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    ok(&["scenario", "--db", db, "set", &id2, "--demand", "2.0"]);
    ok(&["scenario", "--db", db, "apply", &id2]);
    assert_ne!(grid(db), before);

    // Issue 15: a scenario of several changes at once, side by side with another.
    let id3 = json(&["scenario", "--db", db, "create", "Lean"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let set = json(&[
        "scenario",
        "--db",
        db,
        "set",
        &id3,
        "--demand",
        "0.5",
        "--service-level",
        "0.9",
    ]);
    assert_eq!(set["changes"].as_array().unwrap().len(), 2);
    let text = ok(&["scenario", "--db", db, "compare", &id2, &id3]);
    for want in [
        "baseline",
        "Double",
        "Lean",
        "units to order",
        "by supplier",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
    let cols = json(&["scenario", "--db", db, "compare", &id2, &id3, "--breakdown"]);
    let cols = cols["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 3);
    assert!(cols[2]["units"].as_i64().unwrap() < cols[1]["units"].as_i64().unwrap());
    assert!(!cols[1]["suppliers"].as_array().unwrap().is_empty());

    // Issue 15: the KPIs and the lines behind one, from the terminal.
    let k = json(&["kpis", "--db", db]);
    assert_eq!(k["plan_available"], true);
    let total: f64 = k["inventory_value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["amount"].as_f64().unwrap())
        .sum();
    let lines = json(&["kpis", "--db", db, "--detail", "inventory-value"]);
    let sum: f64 = lines["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["value"].as_f64().unwrap())
        .sum();
    assert!(
        total > 0.0 && (sum - total).abs() < 1e-6,
        "{sum} != {total}"
    );
    let text = ok(&["kpis", "--db", db]);
    assert!(
        text.contains("inventory value") && text.contains("service level"),
        "{text}"
    );
    assert!(ok(&["kpis", "--db", db, "--detail", "dead-stock"]).contains("Dead stock"));
    assert!(refused(&["kpis", "--db", db, "--detail", "profit"]).contains("profit"));
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "20"]);
    // Nothing planned yet.
    assert!(refused(&["alerts", "--db", db]).contains("forestock plan"));
    assert!(refused(&["review", "--db", db, "list"]).contains("forestock plan"));

    // Settings: lead time and service levels out of range; nothing saved.
    let settings = json(&["review", "--db", db, "settings"]);
    for (set, needle) in [
        ("default_lead_time_days=0", "default_lead_time_days"),
        ("default_lead_time_days=-3", "default_lead_time_days"),
        ("service_level_a=1.2", "service_level_a"),
        ("service_level_c=0", "service_level_c"),
        ("no_such_setting=1", "unknown setting"),
    ] {
        let err = refused(&["review", "--db", db, "settings", "--set", set]);
        assert!(err.contains(needle), "{set}: {err}");
    }
    assert_eq!(json(&["review", "--db", db, "settings"]), settings);
    ok(&[
        "review",
        "--db",
        db,
        "settings",
        "--set",
        "service_level_b=0.9",
    ]);
    assert_eq!(
        json(&["review", "--db", db, "settings"])["service_level_b"],
        0.9
    );

    // The plan stores its forecast as a run first and reads it back rather than forecasting
    // twice (issue 15: the SKU chart draws the stored run's band).
    assert!(json(&["plan", "--db", db])["forecast_run_id"].is_i64());
    let before = grid(db);
    let line = before
        .iter()
        .find(|l| l.2 > 0)
        .expect("a line to order")
        .clone();
    let at = ["--sku", line.0.as_str(), "--location", line.1.as_str()];
    let mut a = vec!["review", "--db", db, "override"];
    a.extend(at);
    // No reason, a negative quantity, an unknown SKU.
    let mut no_reason = a.clone();
    no_reason.extend(["--qty", "0", "--reason", " "]);
    assert!(refused(&no_reason).contains("reason"));
    let mut negative = a.clone();
    negative.extend(["--qty", "-5", "--reason", "x"]);
    assert!(refused(&negative).contains("0 or more"));
    assert!(refused(&[
        "review",
        "--db",
        db,
        "override",
        "--sku",
        "NOPE",
        "--location",
        &line.1,
        "--qty",
        "1",
        "--reason",
        "x"
    ])
    .contains("NOPE"));
    // Scenarios: service level outside (0,1), negative lead time.
    let id = json(&["scenario", "--db", db, "create", "bad"])["id"]
        .as_i64()
        .unwrap()
        .to_string();
    assert!(
        refused(&["scenario", "--db", db, "set", &id, "--service-level", "1.5"])
            .contains("service level")
    );
    assert!(refused(&[
        "scenario",
        "--db",
        db,
        "set",
        &id,
        "--supplier",
        "1",
        "--lead-time",
        "-2"
    ])
    .contains("lead time"));
    assert!(json(&["scenario", "--db", db, "list"])[0]["changes"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(grid(db), before);

    // Export with nothing approved, then to a path that cannot be written.
    assert!(ok(&["po", "--db", db, "draft"]).contains("no approved lines"));
    let mut approve = vec!["review", "--db", db, "approve"];
    approve.extend(at);
    ok(&approve);
    let po = json(&["po", "--db", db, "draft"])[0].clone();
    let number = po["number"].as_str().unwrap();
    let supplier = po["supplier"].as_str().unwrap();
    let csv = dir.path().join("x.csv");
    assert!(refused(&[
        "po",
        "--db",
        db,
        "export",
        "--supplier",
        supplier,
        "--output",
        p(&csv)
    ])
    .contains("no approved purchase order"));
    assert!(refused(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        number,
        "--output",
        p(&csv)
    ])
    .contains("approve it before exporting"));
    ok(&["po", "--db", db, "approve", number]);
    let audit_before = audit_actions(Path::new(db)).len();
    let unwritable = dir.path().join("missing-folder").join("x.csv");
    let err = refused(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        number,
        "--output",
        p(&unwritable),
    ]);
    assert!(
        err.contains("cannot write") && err.contains("missing-folder"),
        "{err}"
    );
    let err = refused(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        number,
        "--output",
        p(dir.path()),
    ]);
    assert!(err.contains("cannot write"), "{err}");
    let err = refused(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        number,
        "--output",
        p(&csv),
        "--columns",
        "sku,qty",
    ]);
    assert!(err.contains("unknown column \"qty\""), "{err}");
    assert_eq!(
        json(&["po", "--db", db, "show", number])["status"],
        "approved"
    );
    assert_eq!(audit_actions(Path::new(db)).len(), audit_before);
    assert!(!csv.exists());
}

/// The CLI stamped plan, review, scenario and PO entries with the local wall clock while
/// everything else wrote UTC: on a laptop east of Greenwich the audit log went back and forth in
/// time; and the actor was written three ways (`cli:$USER`, `$USER`, `forestock`). Run every
/// audited verb under a far-east time zone (UTC+14): each must write its entries, every entry
/// must be "now" in UTC, and every actor must be the CLI's one form, `cli:<user>`.
#[test]
fn audit_stamps_are_utc_whatever_the_local_time_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tz.db");
    let db = p(&db);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_forestock"))
            .args(args)
            .env_remove("FORESTOCK_DB")
            .env("TZ", "XYZ-14")
            .env("USER", "tz-tester")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let rows = || -> i64 {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    // An audited verb: it must add to the audit log.
    let audited = |args: &[&str]| {
        let before = rows();
        let out = run(args);
        assert!(rows() > before, "{args:?} wrote no audit entry");
        out
    };
    let start = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(2);
    run(&["demo", "--db", db, "--skus", "30"]);
    let after_demo = rows();
    run(&["plan", "--db", db, "--quiet"]);
    audited(&[
        "review",
        "--db",
        db,
        "settings",
        "--set",
        "service_level_b=0.9",
    ]);
    let id = |v: String| {
        serde_json::from_str::<Value>(&v).unwrap()["id"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let kept = id(audited(&[
        "scenario", "--db", db, "create", "TZ", "--format", "json",
    ]));
    audited(&["scenario", "--db", db, "set", &kept, "--demand", "1.5"]);
    audited(&["scenario", "--db", db, "apply", &kept]);
    let dropped = id(audited(&[
        "scenario", "--db", db, "create", "TZ2", "--format", "json",
    ]));
    audited(&["scenario", "--db", db, "discard", &dropped]);
    run(&["plan", "--db", db, "--quiet"]);
    let lines: Value =
        serde_json::from_str(&run(&["review", "--db", db, "list", "--format", "json"])).unwrap();
    let to_order: Vec<(String, String, i64)> = lines
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["recommended_qty"].as_i64().unwrap() > 0 && r["supplier_id"].is_i64())
        .map(|r| {
            (
                r["sku"].as_str().unwrap().to_string(),
                r["location"].as_str().unwrap().to_string(),
                r["recommended_qty"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(to_order.len() >= 2, "{to_order:?}");
    let (sku, loc, rec) = &to_order[0];
    let at = ["--sku", sku.as_str(), "--location", loc.as_str()];
    let q = (2 * rec).to_string();
    audited(
        &[
            &["review", "--db", db, "override"],
            &at[..],
            &["--qty", &q, "--reason", "show"],
        ]
        .concat(),
    );
    audited(&["review", "--db", db, "undo"]);
    let (other, other_loc, _) = &to_order[1];
    audited(&[
        "review",
        "--db",
        db,
        "reject",
        "--sku",
        other,
        "--location",
        other_loc,
        "--reason",
        "no",
    ]);
    audited(&[
        "review", "--db", db, "lock", "--sku", other, "--reason", "hold",
    ]);
    audited(&["review", "--db", db, "unlock", "--sku", other]);
    audited(&[&["review", "--db", db, "approve"], &at[..]].concat());
    audited(&["review", "--db", db, "approve", "--all"]);
    let pos: Value =
        serde_json::from_str(&audited(&["po", "--db", db, "draft", "--format", "json"])).unwrap();
    let numbers: Vec<&str> = pos
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_str().unwrap())
        .collect();
    assert!(numbers.len() >= 2, "{pos}");
    audited(&["po", "--db", db, "approve", numbers[0]]);
    let csv = dir.path().join("po.csv");
    audited(&[
        "po",
        "--db",
        db,
        "export",
        "--po",
        numbers[0],
        "--output",
        p(&csv),
    ]);
    audited(&["po", "--db", db, "receive", numbers[0], "--all"]);
    audited(&[
        "po", "--db", db, "cancel", numbers[1], "--reason", "not now",
    ]);
    let end = chrono::Utc::now().naive_utc() + chrono::Duration::minutes(2);

    let conn = rusqlite::Connection::open(db).unwrap();
    let mut st = conn
        .prepare("SELECT action, actor, at FROM audit_log WHERE id > ?1 ORDER BY id")
        .unwrap();
    let stamps: Vec<(String, String, String)> = st
        .query_map([after_demo], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let actions: Vec<&str> = stamps.iter().map(|(a, _, _)| a.as_str()).collect();
    assert!(stamps.len() >= 16, "{actions:?}");
    for (action, actor, at) in &stamps {
        let t =
            chrono::NaiveDateTime::parse_from_str(&at[..19].replace('T', " "), "%Y-%m-%d %H:%M:%S")
                .unwrap_or_else(|e| panic!("{action}: {at}: {e}"));
        assert!(t >= start && t <= end, "{action} stamped {at}, not UTC now");
        assert_eq!(actor, "cli:tz-tester", "{action}");
    }
}

/// The planner's week from the command line: approve-all with its summary and one undo,
/// alerts dismissed with a reason, transfers exported per pair, the supplier report.
#[test]
fn approve_all_undo_alert_dismissal_transfer_export_and_supplier_report_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "60"]);
    ok(&["plan", "--db", db]);

    let preview = json(&["review", "--db", db, "approve", "--all", "--dry-run"]);
    let n = preview["lines"].as_u64().unwrap();
    assert!(n > 0, "{preview}");
    assert!(ok(&["review", "--db", db, "approve", "--all", "--dry-run"]).contains("would approve"));
    let done = json(&["review", "--db", db, "approve", "--all"]);
    assert_eq!(done["lines"].as_u64().unwrap(), n);
    assert!(ok(&["review", "--db", db, "undo"]).contains(&format!("{n} lines undone")));

    let alerts = json(&["alerts", "--db", db]);
    let id = alerts["exceptions"][0]["id"].as_i64().unwrap().to_string();
    assert!(refused(&["alerts", "--db", db, "dismiss", &id, "--reason", " "]).contains("reason"));
    assert!(refused(&[
        "alerts",
        "--db",
        db,
        "snooze",
        &id,
        "--until",
        "2000-01-01",
        "--reason",
        "later"
    ])
    .contains("after today"));
    assert!(ok(&["alerts", "--db", db, "dismiss", &id, "--reason", "known"]).contains("dismissed"));
    let after = json(&["alerts", "--db", db]);
    assert_eq!(after["hidden"], 1);
    assert!(after["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"].as_i64().unwrap().to_string() != id));

    let transfers = json(&["transfers", "--db", db, "list"]);
    if let Some(t) = transfers.as_array().unwrap().first() {
        let tid = t["id"].as_i64().unwrap().to_string();
        let (from, to) = (
            t["from_location"].as_str().unwrap(),
            t["to_location"].as_str().unwrap(),
        );
        let csv = dir.path().join("t.csv");
        assert!(refused(&[
            "transfers",
            "--db",
            db,
            "export",
            "--from",
            from,
            "--to",
            to,
            "--output",
            p(&csv)
        ])
        .contains("approve"));
        ok(&["transfers", "--db", db, "approve", &tid]);
        ok(&[
            "transfers",
            "--db",
            db,
            "export",
            "--from",
            from,
            "--to",
            to,
            "--output",
            p(&csv),
        ]);
        let text = std::fs::read_to_string(&csv).unwrap();
        assert!(
            text.starts_with("\u{feff}from_location,to_location,sku"),
            "{text}"
        );
    }
    let report = json(&["suppliers", "--db", db, "performance"]);
    assert!(!report["suppliers"].as_array().unwrap().is_empty());
    let actions: Vec<String> = audit_actions(Path::new(db))
        .into_iter()
        .map(|a| a.0)
        .collect();
    assert!(actions.iter().any(|a| a == "alert.dismiss"), "{actions:?}");
}

/// Issue 15: `forestock audit` names what each entry is about and the fields it changed (the
/// app's Audit screen reads the same), and `forestock chart` prints what the SKU chart shows.
#[test]
fn audit_names_the_line_and_chart_shows_the_band_and_rationale_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "30"]);
    ok(&["plan", "--db", db]);
    let (sku, loc, ..) = grid(db)
        .into_iter()
        .find(|g| g.2 > 0)
        .expect("a line to order");
    let line = format!("{sku}@{loc}");
    ok(&["review", "--db", db, "decide", "--line", &line]);

    let text = ok(&["audit", "--db", db, "--limit", "1"]);
    assert!(
        text.contains(&format!("plan.approve  Plan line {sku} (")),
        "{text}"
    );
    assert!(text.contains(&format!(" at {loc} (plan ")), "{text}");
    assert!(text.contains("status: proposed → approved"), "{text}");
    assert!(!text.contains("plan_line"), "{text}");
    // Only the approval is audited so far (creating the demo and planning are not edits).
    let entries = json(&["audit", "--db", db, "--limit", "5"]);
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entries[0]["action"], "plan.approve");
    assert!(entries[0]["what"].as_str().unwrap().contains(&sku));
    assert!(refused(&["audit", "--db", db, "--limit", "0"]).contains("--limit"));

    let chart = json(&["chart", "--db", db, &sku, &loc, "--weekly"]);
    assert_eq!(chart["granularity"], "weekly");
    assert!(!chart["history"].as_array().unwrap().is_empty());
    let band = &chart["forecast"][0];
    assert!(band["p10"].as_f64().unwrap() <= band["p90"].as_f64().unwrap());
    assert!(!chart["forecast_info"]["model"].as_str().unwrap().is_empty());
    assert!(!chart["rationale"].as_array().unwrap().is_empty());
    let text = ok(&["chart", "--db", db, &sku, &loc]);
    assert!(text.contains("why this number:"), "{text}");
    assert!(text.contains("safety stock "), "{text}");
    assert!(refused(&["chart", "--db", db, "NO-SUCH-SKU", &loc]).contains("NO-SUCH-SKU"));
}

/// `forestock rates`: the demo's suppliers invoice in EUR and GBP and its books are in USD;
/// rates are listed, deleted, set (validated, audited), and the plan shows its order value per
/// currency with the converted total saying which rates made it.
#[test]
fn exchange_rates_are_listed_set_and_deleted_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let path = db.clone();
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "20"]);
    let list = json(&["rates", "--db", db, "list"]);
    assert_eq!(list["merchant_currency"], "USD");
    let codes: Vec<&str> = list["rates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["currency"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["EUR", "GBP"]);

    ok(&["rates", "--db", db, "delete", "GBP"]);
    let text = ok(&["rates", "--db", db, "list"]);
    assert!(text.contains("1 EUR = "), "{text}");
    assert!(text.contains("no rate for GBP"), "{text}");

    let before = audit_actions(&path).len();
    for (args, says) in [
        (["set", "USD", "1"], "USD is the merchant's own currency"),
        (
            ["set", "XYZ", "1"],
            "\"XYZ\" is not an ISO 4217 currency code",
        ),
        (
            ["set", "GBP", "0"],
            "the rate of GBP must be a number above 0",
        ),
        (["set", "GBP", "-1.2"], "must be a number above 0"),
        (["set", "GBP", "1,25"], "\"1,25\" is not a number"),
    ] {
        let mut a = vec!["rates", "--db", db];
        a.extend(args);
        let err = refused(&a);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let out = forestock(&["rates", "--db", db, "delete", "CHF"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CHF"));
    assert_eq!(
        audit_actions(&path).len(),
        before,
        "nothing refused is written"
    );

    let set = ok(&["rates", "--db", db, "set", "gbp", "1.25"]);
    assert!(set.contains("1 GBP = 1.25 USD"), "{set}");
    let list = json(&["rates", "--db", db, "list"]);
    assert_eq!(list["rates"][1]["rate"], 1.25);
    assert!(list["missing"].as_array().unwrap().is_empty());
    let actions: Vec<String> = audit_actions(&path).into_iter().map(|a| a.0).collect();
    assert!(actions.contains(&"rate.delete".to_string()));
    assert!(actions.contains(&"rate.set".to_string()));

    let text = ok(&["plan", "--db", db]);
    let line = text
        .lines()
        .find(|l| l.starts_with("Order value "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains(" USD") && !line.contains("≈"), "{line}");
    assert!(
        text.contains("USD at rates you entered: EUR "),
        "the converted total says which rates: {text}"
    );

    // The plan export gives each line's order value in its supplier's currency.
    let csv = dir.path().join("plan.csv");
    ok(&[
        "export",
        "plan",
        "--format",
        "csv",
        "-o",
        p(&csv),
        "--db",
        db,
    ]);
    let csv = std::fs::read_to_string(&csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = |c: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == c)
            .unwrap()
    };
    let (supplier, currency) = (at("supplier"), at("currency"));
    let mut seen = std::collections::BTreeSet::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        seen.insert((f[supplier].to_string(), f[currency].to_string()));
    }
    assert!(
        seen.contains(&("Nordic Knit Co.".to_string(), "EUR".to_string())),
        "{seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|(s, c)| s == "Nordic Knit Co." && c == "USD"),
        "{seen:?}"
    );
}

/// `forestock setup new --timezone`: the shop's zone is checked against the IANA database and
/// stored; a name it does not know is refused and no file is made.
#[test]
fn a_new_merchant_gets_the_time_zone_given_and_an_unknown_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.db");
    let err = refused(&[
        "setup",
        "new",
        "--db",
        p(&bad),
        "--name",
        "Fern",
        "--currency",
        "USD",
        "--timezone",
        "America/Springfield",
    ]);
    assert!(
        err.contains("\"America/Springfield\" is not an IANA time zone name"),
        "{err}"
    );
    assert!(!bad.exists());
    let db = dir.path().join("la.db");
    let out = ok(&[
        "setup",
        "new",
        "--db",
        p(&db),
        "--name",
        "Fern",
        "--currency",
        "USD",
        "--timezone",
        "America/Los_Angeles",
    ]);
    assert!(out.contains("(time zone America/Los_Angeles)"), "{out}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let zone: String = conn
        .query_row("SELECT timezone FROM merchant", [], |r| r.get(0))
        .unwrap();
    assert_eq!(zone, "America/Los_Angeles");
}
