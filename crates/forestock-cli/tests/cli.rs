//! The `forestock` binary as a user meets it: verbs, exit codes, one-line errors (issue 2).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use std::path::Path;
use std::process::{Command, Output};

fn forestock(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forestock"))
        .args(args)
        .env_remove("FORESTOCK_DB")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn demo_info_and_history_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = forestock(&["demo", "--db", p(&db), "--skus", "40", "--seed", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("40 SKUs"));

    let out = forestock(&["info", "--db", p(&db), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(info["skus"], 40);
    assert_eq!(info["locations"], 3);
    assert!(info["suppliers"].as_i64().unwrap() >= 6);
    for key in ["orders", "order_lines", "units_sold"] {
        assert!(info[key].as_i64().unwrap() > 0, "{key}");
    }
    assert_eq!(info["last_order_date"], "2026-11-25");
    assert_eq!(info["first_order_date"], "2024-11-26");

    let text = forestock(&["info", "--db", p(&db)]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Northwind Outfitters"));

    // Same seed, another file: byte-identical history.
    let db2 = dir.path().join("d2.db");
    assert!(
        forestock(&["demo", "--db", p(&db2), "--skus", "40", "--seed", "3"])
            .status
            .success()
    );
    let (h1, h2) = (dir.path().join("h1.csv"), dir.path().join("h2.csv"));
    assert!(forestock(&["export-history", "--db", p(&db), "-o", p(&h1)])
        .status
        .success());
    assert!(
        forestock(&["export-history", "--db", p(&db2), "-o", p(&h2)])
            .status
            .success()
    );
    let (a, b) = (std::fs::read(&h1).unwrap(), std::fs::read(&h2).unwrap());
    assert_eq!(a, b);
    assert!(a.starts_with(b"sku,location,date,units,on_hand,price,promo\n"));
    // An existing output is not replaced without --force.
    let out = forestock(&["export-history", "--db", p(&db), "-o", p(&h1)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"));
}

#[test]
fn bad_input_gives_one_clear_line_and_a_meaningful_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");

    let out = forestock(&["demo", "--db", p(&db), "--skus", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--skus must be at least 1"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(!db.exists());

    let out = forestock(&["demo", "--db", p(&db), "--skus", "99999999"]);
    assert_eq!(out.status.code(), Some(2));

    let out = forestock(&["info", "--db", p(&db)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "shopping list: flour, eggs").unwrap();
    let out = forestock(&["info", "--db", p(&notes)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("not a Forestock database"),
        "{}",
        stderr(&out)
    );
    // demo refuses to overwrite it, and it is untouched.
    let out = forestock(&["demo", "--db", p(&notes), "--skus", "5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&notes).unwrap(),
        "shopping list: flour, eggs"
    );

    // A database from a newer version.
    assert!(forestock(&["demo", "--db", p(&db), "--skus", "5"])
        .status
        .success());
    rusqlite::Connection::open(&db)
        .unwrap()
        .pragma_update(None, "user_version", 9999)
        .unwrap();
    let out = forestock(&["info", "--db", p(&db)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("newer Forestock"), "{}", stderr(&out));
    // --force replaces it.
    assert!(
        forestock(&["demo", "--db", p(&db), "--skus", "5", "--force"])
            .status
            .success()
    );
    assert!(forestock(&["info", "--db", p(&db)]).status.success());

    // An output path that cannot be written.
    let out = forestock(&[
        "export-history",
        "--db",
        p(&db),
        "-o",
        "/nonexistent-dir/h.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));

    // Unknown verb: clap's usage error.
    assert_eq!(forestock(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn help_explains_every_verb() {
    let out = forestock(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for verb in ["demo", "info", "export-history", "forecast", "backtest"] {
        assert!(text.contains(verb), "{verb} missing from --help");
    }
    assert!(text.contains("Exit codes"));
}

/// `forestock … | head`: a reader that has gone away ends the command quietly with the status a
/// shell reports for SIGPIPE — no panic, no error line — both for printed text and for CSV
/// written to stdout.
#[test]
fn a_closed_output_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    assert!(forestock(&["demo", "--db", p(&db), "--skus", "5"])
        .status
        .success());
    for args in [
        vec!["info", "--db", p(&db), "--format", "json"],
        vec!["export-history", "--db", p(&db)],
    ] {
        // The read end is closed before the command starts: its first write fails.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_forestock"))
            .args(&args)
            .env_remove("FORESTOCK_DB")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(141), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

/// `forestock po draft --db X` used to fail with "unexpected argument '--db'": the flag was only
/// accepted between the verb and its sub-verb. It now works anywhere on the command line.
#[test]
fn the_db_flag_is_accepted_after_a_sub_verb() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = forestock(&["demo", "--db", p(&db), "--skus", "20", "--seed", "3"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for args in [
        vec!["po", "--format", "json", "list", "--db", p(&db)],
        vec!["po", "--format", "json", "--db", p(&db), "list"],
        vec!["--db", p(&db), "po", "--format", "json", "list"],
    ] {
        let out = forestock(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let pos: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(pos.as_array().is_some(), "{args:?}");
    }
    // Without the flag the default file (forestock.db in the current folder) is meant, and a
    // missing one is a database error, not a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_forestock"))
        .args(["po", "list"])
        .env_remove("FORESTOCK_DB")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

/// `forestock overrides`: add, list, a refused overlap and a bad value naming its field (exit
/// 2), edit and delete; the plan says why its forecast changed.
#[test]
fn forecast_overrides_are_added_listed_refused_edited_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let ok = |args: &[&str]| {
        let out = forestock(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(&["demo", "--db", p(&db), "--skus", "8", "--days", "120"]);
    let list = ok(&["overrides", "list", "--db", p(&db)]);
    assert!(list.contains("no forecast overrides"), "{list}");
    let info: serde_json::Value =
        serde_json::from_str(&ok(&["plan", "--db", p(&db), "--format", "json"])).unwrap();
    let today = info["today"].as_str().unwrap().to_string();
    let start =
        chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() + chrono::Days::new(1);
    let end = start + chrono::Days::new(30);
    let (start, end) = (start.to_string(), end.to_string());
    let grid: serde_json::Value =
        serde_json::from_str(&ok(&["review", "list", "--db", p(&db), "--format", "json"])).unwrap();
    let sku = grid[0]["sku"].as_str().unwrap().to_string();
    let added = ok(&[
        "overrides",
        "add",
        "--db",
        p(&db),
        "--sku",
        &sku,
        "--start",
        &start,
        "--end",
        &end,
        "--percent",
        "30",
        "--reason",
        "influencer campaign",
    ]);
    assert!(added.contains("added forecast override 1"), "{added}");
    let list = ok(&["overrides", "list", "--db", p(&db)]);
    assert!(list.contains("forecast raised 30%"), "{list}");
    // The same SKU over a day it already covers.
    let out = forestock(&[
        "overrides",
        "add",
        "--db",
        p(&db),
        "--sku",
        &sku,
        "--start",
        &end,
        "--end",
        &end,
        "--daily-qty",
        "4",
        "--reason",
        "trade fair",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("overlaps override 1"),
        "{}",
        stderr(&out)
    );
    let out = forestock(&[
        "overrides",
        "edit",
        "1",
        "--db",
        p(&db),
        "--sku",
        &sku,
        "--start",
        &start,
        "--end",
        &end,
        "--percent",
        "-100",
        "--reason",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("value:"), "{}", stderr(&out));
    ok(&[
        "overrides",
        "edit",
        "1",
        "--db",
        p(&db),
        "--sku",
        &sku,
        "--start",
        &start,
        "--end",
        &end,
        "--percent",
        "-20",
        "--reason",
        "influencer campaign",
    ]);
    ok(&["plan", "--db", p(&db)]);
    let grid: serde_json::Value =
        serde_json::from_str(&ok(&["review", "list", "--db", p(&db), "--format", "json"])).unwrap();
    let why = grid
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["sku"] == sku.as_str())
        .flat_map(|r| r["rationale"].as_array().unwrap().clone())
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect::<Vec<_>>();
    assert!(
        why.iter()
            .any(|w| w.starts_with("forecast lowered 20%") && w.ends_with("influencer campaign")),
        "{why:#?}"
    );
    ok(&["overrides", "delete", "1", "--db", p(&db)]);
    assert_eq!(
        forestock(&["overrides", "delete", "1", "--db", p(&db)])
            .status
            .code(),
        Some(2)
    );
}
