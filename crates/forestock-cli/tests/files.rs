//! Files the `forestock` binary reads and writes (issue "trust", section Files): every writing
//! verb refuses to replace without --force, never writes onto its input, writes atomically and
//! exits 2 on bad input; read-only verbs never write to a foreign file.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use std::path::{Path, PathBuf};
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

/// A daily history of two series over 120 days.
fn history(dir: &Path) -> PathBuf {
    let path = dir.join("h.csv");
    let mut text = String::from("sku,location,date,units\n");
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    for sku in ["A", "B"] {
        for d in 0..120u64 {
            let day = start + chrono::Days::new(d);
            text.push_str(&format!("{sku},WH1,{day},{}\n", (d * 7 + 3) % 5));
        }
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Every file in `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn forecast_with_all_bad_dates_exits_2_and_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    std::fs::write(
        &input,
        "sku,location,date,units\nA,WH1,01/02/2024,3\nA,WH1,02/02/2024,4\n",
    )
    .unwrap();
    let output = dir.path().join("f.csv");
    std::fs::write(&output, "previous forecast\n").unwrap();
    let out = forestock(&[
        "forecast",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("none of the 2 rows has a date"), "{err}");
    assert!(err.contains("line 2 `01/02/2024`"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "previous forecast\n"
    );
    assert_eq!(snapshot(dir.path()).len(), 2, "no temporary file left");
}

#[test]
fn forecast_refuses_to_write_onto_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = history(dir.path());
    let before = std::fs::read(&input).unwrap();
    let spelled = dir.path().join(".").join("h.csv");
    for target in [p(&input), p(&spelled)] {
        let out = forestock(&[
            "forecast",
            "--input",
            p(&input),
            "--output",
            target,
            "--force",
            "--horizon",
            "7",
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("own input"), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read(&input).unwrap(), before);

    // an existing output needs --force; with it, the file is replaced whole
    let output = dir.path().join("f.csv");
    std::fs::write(&output, "keep me\n").unwrap();
    let args = [
        "forecast",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--horizon",
        "7",
    ];
    let out = forestock(&args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "keep me\n");
    let out = forestock(&[&args[..], &["--force"]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(text.starts_with("sku,location,date,mean,p10,p50,p90,model\n"));
    assert_eq!(text.lines().count(), 1 + 2 * 7);
}

/// `--global-weight` is refused by a build without the global model, naming how to get one,
/// and a weight outside 0–1 by every build; nothing is written either way.
#[test]
fn the_global_weight_needs_a_build_with_the_global_model() {
    let dir = tempfile::tempdir().unwrap();
    let input = history(dir.path());
    let output = dir.path().join("f.csv");
    for (weight, says) in [("1.5", "[0, 1]"), ("0.5", "--features global")] {
        let args = ["forecast", "--input", p(&input), "--output", p(&output)];
        let out = forestock(&[&args[..], &["--global-weight", weight]].concat());
        if weight == "0.5" && cfg!(feature = "global") {
            assert!(out.status.success(), "{}", stderr(&out));
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{weight}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{weight}: {}", stderr(&out));
        assert!(!output.exists());
    }
}

#[test]
fn forecast_missing_input_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    for verb in ["forecast", "backtest", "policy-sim"] {
        let out = forestock(&[verb, "--input", p(&missing)]);
        assert_eq!(out.status.code(), Some(2), "{verb}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{verb}: {err}");
        assert!(err.contains("does not exist"), "{verb}: {err}");
        assert_eq!(
            err.matches("nope.csv").count(),
            1,
            "{verb}: said once: {err}"
        );
    }
}

#[test]
fn backtest_with_no_long_series_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("short.csv");
    std::fs::write(
        &input,
        "sku,location,date,units\nA,WH1,2024-01-01,3\nA,WH1,2024-01-02,4\nA,WH1,2024-01-03,1\n",
    )
    .unwrap();
    let out = forestock(&["backtest", "--input", p(&input)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("no series is long enough"), "{err}");
    assert!(err.contains("lower --origins or --horizon"), "{err}");
}

#[test]
fn a_far_future_date_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = history(dir.path());
    let mut text = std::fs::read_to_string(&input).unwrap();
    text.push_str("A,WH1,9999-12-31,1\n");
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("f.csv");
    let out = forestock(&["forecast", "--input", p(&input), "--output", p(&output)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 242 `9999-12-31`"), "{err}");
    assert!(!output.exists());
}

#[test]
fn forecast_csv_guards_formula_skus_and_quotes_cr() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("h.csv");
    let mut text = String::from("sku,location,date,units\n");
    for d in 1..=28 {
        text.push_str(&format!("\"=HYPERLINK(1)\",\"  -WH\",2024-02-{d:02},2\n"));
    }
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("f.csv");
    let out = forestock(&[
        "forecast",
        "--input",
        p(&input),
        "--output",
        p(&output),
        "--horizon",
        "3",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&output).unwrap();
    // the reader trims cells, so the location is `-WH`
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("'=HYPERLINK(1),'-WH,2024-02-29,"),
        "{text}"
    );
}

#[test]
fn info_never_writes_to_a_foreign_file() {
    let dir = tempfile::tempdir().unwrap();
    // somebody else's SQLite database, an empty file and a text file
    let foreign = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, "").unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n").unwrap();
    let mtime = |f: &Path| std::fs::metadata(f).unwrap().modified().unwrap();
    for file in [&foreign, &empty, &text] {
        let before = snapshot(dir.path());
        let modified = mtime(file);
        let out = forestock(&["info", "--db", p(file)]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("not a Forestock database"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            snapshot(dir.path()),
            before,
            "{}: no byte, no -wal/-shm",
            p(file)
        );
        assert_eq!(mtime(file), modified, "{}", p(file));
    }
    // the other verbs refuse the foreign database without turning it to WAL either
    let before = snapshot(dir.path());
    let out = forestock(&["plan", "--db", p(&foreign)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn demo_force_refuses_an_open_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let demo = |force: bool| {
        let mut args = vec!["demo", "--db", p(&db), "--skus", "5", "--days", "90"];
        if force {
            args.push("--force");
        }
        forestock(&args)
    };
    let out = demo(false);
    assert!(out.status.success(), "{}", stderr(&out));
    // another program (the app) has it open and has read from it
    let other = rusqlite::Connection::open(&db).unwrap();
    let skus: i64 = other
        .query_row("SELECT count(*) FROM variants", [], |r| r.get(0))
        .unwrap();
    assert_eq!(skus, 5);
    let out = demo(true);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("open in another program"),
        "{}",
        stderr(&out)
    );
    // the open connection still sees its data: nothing was pulled from under it
    let skus: i64 = other
        .query_row("SELECT count(*) FROM variants", [], |r| r.get(0))
        .unwrap();
    assert_eq!(skus, 5);
    drop(other);
    let out = demo(true);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn every_writing_verb_refuses_its_database_and_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = forestock(&["demo", "--db", p(&db), "--skus", "30", "--days", "120"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db_bytes = std::fs::read(&db).unwrap();
    let out = forestock(&["export-history", "--db", p(&db), "-o", p(&db), "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("own input"), "{}", stderr(&out));
    let wal = format!("{}-wal", p(&db));
    let out = forestock(&["export-history", "--db", p(&db), "-o", &wal, "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), db_bytes);
    for args in [
        ["html", "PO-00001", "--output", p(&db), "--force"].as_slice(),
        &["export", "--po", "PO-00001", "--output", p(&db), "--force"],
    ] {
        let out = forestock(&[&["po", "--db", p(&db)], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("own input"), "{}", stderr(&out));
    }
    assert_eq!(std::fs::read(&db).unwrap(), db_bytes);
}

#[test]
fn policy_sim_over_several_windows_reports_each_window_and_its_spread() {
    let dir = tempfile::tempdir().unwrap();
    let input = history(dir.path());
    let out = forestock(&[
        "policy-sim",
        "--input",
        p(&input),
        "--holdout",
        "14",
        "--windows",
        "2",
        "--selection-origins",
        "1",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["windows"], 2);
    assert_eq!(r["series"], serde_json::json!([2, 2]));
    let points = r["points"].as_array().unwrap();
    assert_eq!(
        points.len(),
        2,
        "the policy at its level and the rule at its cover"
    );
    for pt in points {
        let w = pt["per_window"].as_array().unwrap();
        assert_eq!(w.len(), 2);
        let (a, b) = (
            w[0]["stockout_days"].as_f64().unwrap(),
            w[1]["stockout_days"].as_f64().unwrap(),
        );
        assert!((pt["mean"]["stockout_days"].as_f64().unwrap() - (a + b) / 2.0).abs() < 1e-9);
    }
    assert_eq!(r["rules"][0]["cover_days"], 30.0);
    // With --sweep: every policy of ours, the stock allocation's rows included, against the
    // 14/21/30/45-day rules.
    let out = forestock(&[
        "policy-sim",
        "--input",
        p(&input),
        "--holdout",
        "14",
        "--windows",
        "2",
        "--sweep",
        "--selection-origins",
        "1",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = r["points"].as_array().unwrap();
    for name in ["policy", "fill_rate", "marginal", "budget", "baseline"] {
        assert!(
            points.iter().any(|pt| pt["policy"] == name),
            "no {name} rows"
        );
    }
    let covers: Vec<f64> = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cover_days"].as_f64().unwrap())
        .collect();
    assert_eq!(covers, [14.0, 21.0, 30.0, 45.0]);
    let zero = forestock(&["policy-sim", "--input", p(&input), "--windows", "0"]);
    assert_eq!(zero.status.code(), Some(2), "{}", stderr(&zero));
    assert!(stderr(&zero).contains("--windows"), "{}", stderr(&zero));
    let floor = forestock(&[
        "policy-sim",
        "--input",
        p(&input),
        "--fill-rate-floor",
        "1.5",
    ]);
    assert_eq!(floor.status.code(), Some(2), "{}", stderr(&floor));
    assert!(
        stderr(&floor).contains("fill-rate floor"),
        "{}",
        stderr(&floor)
    );
}
