//! Bring your own data (issue 14): history files in through `forestock import`, typed files
//! out through `forestock export`. The same sales as ISO CSV, Parquet, `;`-separated Latin-1
//! CSV with day/month/year dates and order lines import to the same demand history; the same
//! file twice changes nothing; undo gives back what was there; bad input exits 2 and writes
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod common;
use common::*;

#[path = "import/stock_and_promotions.rs"]
mod stock_and_promotions;

use chrono::{Days, NaiveDate};
use polars::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `forestock export-history` of `db`, as text.
fn export(db: &Path) -> String {
    ok(&["export-history", "--db", p(db)])
}

/// One day of one series of the fixture.
struct Sale {
    sku: &'static str,
    location: &'static str,
    date: NaiveDate,
    units: i64,
}

/// Three SKUs (one with a name only Latin-1 can hold) at two locations over 45 days, zeros
/// included, deterministic.
fn sales() -> Vec<Sale> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 20).unwrap();
    let mut out = Vec::new();
    for (k, sku) in ["MÜSLI-1", "TEE-2", "KAFFEE-3"].into_iter().enumerate() {
        for (j, location) in ["BERLIN", "KÖLN"].into_iter().enumerate() {
            for d in 0..45u64 {
                let units = i64::try_from((d * 7 + k as u64 * 3 + j as u64 * 5) % 6).unwrap() - 1;
                out.push(Sale {
                    sku,
                    location,
                    date: start + Days::new(d),
                    units: units.max(0),
                });
            }
        }
    }
    out
}

fn write_iso_csv(dir: &Path) -> PathBuf {
    let mut text = String::from("sku,location,date,units\n");
    for s in sales() {
        text.push_str(&format!(
            "{},{},{},{}\n",
            s.sku, s.location, s.date, s.units
        ));
    }
    let path = dir.join("daily.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn write_parquet(dir: &Path) -> PathBuf {
    let s = sales();
    let epoch = NaiveDate::default();
    let mut df = DataFrame::new(
        s.len(),
        vec![
            Column::new(
                "item_id".into(),
                s.iter().map(|x| x.sku).collect::<Vec<_>>(),
            ),
            Column::new(
                "store_id".into(),
                s.iter().map(|x| x.location).collect::<Vec<_>>(),
            ),
            Int32Chunked::from_vec(
                "date".into(),
                s.iter()
                    .map(|x| i32::try_from((x.date - epoch).num_days()).unwrap())
                    .collect(),
            )
            .into_date()
            .into_column(),
            Column::new(
                "quantity".into(),
                s.iter().map(|x| x.units).collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap();
    let path = dir.join("daily.parquet");
    let file = std::fs::File::create(&path).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    path
}

/// German headers, `;` between cells, day.month.year dates, Latin-1 bytes.
fn write_latin1_dmy(dir: &Path) -> PathBuf {
    let mut text = String::from("Artikel;Filiale;Datum;Menge\r\n");
    for s in sales() {
        text.push_str(&format!(
            "{};{};{};{}\r\n",
            s.sku,
            s.location,
            s.date.format("%d/%m/%Y"),
            s.units
        ));
    }
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let path = dir.join("verkauf.csv");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// One row per order line with a time of day: each day's units split over orders of 1–2.
fn write_order_lines(dir: &Path) -> PathBuf {
    let mut text = String::from("order_id,created_at,sku,location,quantity\n");
    let mut order = 1000;
    for s in sales() {
        let mut left = s.units;
        let mut minute = 0;
        while left > 0 {
            let q = left.min(2);
            order += 1;
            minute += 7;
            text.push_str(&format!(
                "#{order},{}T{:02}:{:02}:00Z,{},{},{q}\n",
                s.date,
                9 + minute / 60,
                minute % 60,
                s.sku,
                s.location
            ));
            left -= q;
        }
    }
    let path = dir.join("orders.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn import(db: &Path, file: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "import",
        "history",
        p(file),
        "--db",
        p(db),
        "--unknown",
        "create",
    ];
    args.extend(extra);
    ok(&args)
}

#[test]
fn parquet_latin1_dmy_and_order_lines_import_to_the_same_history_as_the_iso_csv() {
    let dir = tempfile::tempdir().unwrap();
    let baseline_db = dir.path().join("iso.db");
    import(&baseline_db, &write_iso_csv(dir.path()), &[]);
    let baseline = export(&baseline_db);
    // every fixture row is in the export with its units (and the export adds nothing else)
    let exported: HashMap<(String, String, String), String> = baseline
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            ((c[0].into(), c[1].into(), c[2].into()), c[3].into())
        })
        .collect();
    assert_eq!(exported.len(), sales().len());
    for s in sales() {
        let key = (
            s.sku.to_string(),
            s.location.to_string(),
            s.date.to_string(),
        );
        assert_eq!(exported[&key], s.units.to_string(), "{key:?}");
    }

    for (name, file) in [
        ("parquet", write_parquet(dir.path())),
        ("latin1", write_latin1_dmy(dir.path())),
        ("orders", write_order_lines(dir.path())),
    ] {
        let db = dir.path().join(format!("{name}.db"));
        let out = import(&db, &file, &[]);
        assert!(out.contains("imported as batch 1"), "{name}: {out}");
        assert_eq!(export(&db), baseline, "{name}");
    }
    // the Latin-1 file's mapping and date order were found without help
    let dry = ok(&[
        "import",
        "history",
        p(&write_latin1_dmy(dir.path())),
        "--db",
        p(&dir.path().join("none.db")),
        "--dry-run",
    ]);
    assert!(dry.contains("CSV (';'-separated, Latin-1)"), "{dry}");
    assert!(
        dry.contains("sku=Artikel,location=Filiale,date=Datum,units=Menge"),
        "{dry}"
    );
    assert!(dry.contains("dates    dmy"), "{dry}");
    assert!(dry.contains("2024-02"), "month totals: {dry}");
    assert!(
        !dir.path().join("none.db").exists(),
        "a dry run creates no database"
    );
}

#[test]
fn the_same_file_twice_changes_nothing_and_undo_restores_the_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    import(&db, &write_iso_csv(dir.path()), &[]);
    let first = export(&db);
    let audit_csv = dir.path().join("audit1.csv");

    let again = import(&db, &write_iso_csv(dir.path()), &[]);
    assert!(
        again.contains("already imported as batch 1: nothing changed"),
        "{again}"
    );
    assert_eq!(export(&db), first);
    assert_eq!(ok(&["import", "list", "--db", p(&db)]).lines().count(), 1);

    // A second file: corrections for one SKU and a new SKU.
    let second = dir.path().join("more.csv");
    std::fs::write(
        &second,
        "sku,location,date,units\nTEE-2,BERLIN,2024-01-21,40\nNEU-9,BERLIN,2024-01-22,3\n",
    )
    .unwrap();
    let out = import(&db, &second, &[]);
    assert!(out.contains("imported as batch 2"), "{out}");
    let with_second = export(&db);
    assert!(
        with_second.contains("TEE-2,BERLIN,2024-01-21,40,"),
        "later batch wins"
    );
    assert!(with_second.contains("NEU-9,BERLIN,2024-01-22,3,"));

    let undo = ok(&["import", "undo", "2", "--db", p(&db)]);
    assert!(
        undo.contains("removed 2 daily rows, 0 on-hand levels, 0 promotions, 1 SKU(s)"),
        "{undo}"
    );
    assert_eq!(export(&db), first, "undo restores the history");
    ok(&[
        "export",
        "audit",
        "--format",
        "csv",
        "-o",
        p(&audit_csv),
        "--db",
        p(&db),
    ]);
    let audit = std::fs::read_to_string(&audit_csv).unwrap();
    assert!(
        audit.contains("import.history") && audit.contains("import.undo"),
        "{audit}"
    );

    ok(&["import", "undo", "1", "--db", p(&db)]);
    assert_eq!(export(&db).lines().nth(1), None, "no history left");
    let info = ok(&["info", "--db", p(&db), "--format", "json"]);
    assert!(
        info.contains("\"skus\": 0"),
        "the SKUs the import created are gone: {info}"
    );
}

#[test]
fn typed_exports_keep_dates_as_dates_and_guard_formula_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let file = dir.path().join("f.csv");
    std::fs::write(
        &file,
        "sku,location,date,units,price\n=HYPERLINK(1),WH,2024-03-01,2,9.5\n",
    )
    .unwrap();
    import(&db, &file, &[]);
    let parquet = dir.path().join("h.parquet");
    ok(&["export", "history", "-o", p(&parquet), "--db", p(&db)]);
    let df = ParquetReader::new(std::fs::File::open(&parquet).unwrap())
        .finish()
        .unwrap();
    assert_eq!(df.column("date").unwrap().dtype(), &DataType::Date);
    assert_eq!(df.column("units").unwrap().dtype(), &DataType::Int64);
    assert_eq!(
        df.column("currency").unwrap().str().unwrap().get(0),
        Some("USD")
    );
    assert_eq!(df.column("price").unwrap().f64().unwrap().get(0), Some(9.5));
    let csv = dir.path().join("h.csv");
    ok(&[
        "export",
        "history",
        "--format",
        "csv",
        "-o",
        p(&csv),
        "--db",
        p(&db),
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("'=HYPERLINK(1),WH,2024-03-01,2,"), "{text}");
    // an existing file is kept without --force
    let out = forestock(&["export", "history", "-o", p(&csv), "--db", p(&db)]);
    assert_eq!(out.status.code(), Some(2));
}

/// `m5_tiny_daily.csv` from the shared benchmark data, never copied into the repository:
/// `$FORESTOCK_SHARED_DATA`, else `../shared/data` beside the repository.
fn m5_tiny() -> Option<PathBuf> {
    let dir = std::env::var_os("FORESTOCK_SHARED_DATA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let path = dir.join("m5_tiny_daily.csv");
    path.exists().then_some(path)
}

#[test]
fn m5_tiny_daily_imports_with_the_same_units_per_sku_location_and_day() {
    let Some(file) = m5_tiny() else {
        eprintln!("skipped: m5_tiny_daily.csv not found (set FORESTOCK_SHARED_DATA)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m5.db");
    let out = import(&db, &file, &[]);
    assert!(out.contains("imported as batch 1"), "{out}");
    let exported = export(&db);
    let mut units: HashMap<(String, String, String), i64> = HashMap::new();
    for line in exported.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        units.insert(
            (c[0].into(), c[1].into(), c[2].into()),
            c[3].parse().unwrap(),
        );
    }
    let text = std::fs::read_to_string(&file).unwrap();
    let mut in_file = 0;
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let key = (c[0].to_string(), c[1].to_string(), c[2].to_string());
        assert_eq!(units.get(&key), Some(&c[3].parse().unwrap()), "{key:?}");
        in_file += 1;
    }
    // Days the export adds (before a series' first row in the file) hold no sales.
    let extra: i64 = units.values().sum::<i64>()
        - text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap().parse::<i64>().unwrap())
            .sum::<i64>();
    assert_eq!(extra, 0);
    assert!(in_file > 400_000);
}

#[test]
fn bad_files_exit_2_naming_the_problem_and_rows_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    import(&db, &write_iso_csv(dir.path()), &[]);
    let (history_before, list_before) = (export(&db), ok(&["import", "list", "--db", p(&db)]));
    let fresh = dir.path().join("fresh.db");

    let mut utf16_no_bom: Vec<u8> = "sku,location,date,units\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    utf16_no_bom.extend([0xE9, 0x00]);
    let mut parquet = std::fs::read(write_parquet(dir.path())).unwrap();
    parquet.truncate(parquet.len() / 2);
    let header = "sku,location,date,units\n";
    let cases: Vec<(&str, Vec<u8>, &[&str], &str)> = vec![
        ("empty.csv", Vec::new(), &[], "is empty (0 bytes)"),
        (
            "noheader.csv",
            b"A,WH,2024-01-02,3\n".to_vec(),
            &[],
            "has no header row",
        ),
        (
            "dates.csv",
            format!("{header}A,WH,2024-01-02,3\nA,WH,someday,1\nA,WH,2024-13-45,1\n").into_bytes(),
            &[],
            "dates that cannot be read as year-month-day (date) in 2 row(s): row 3 (\"someday\"), \
             row 4 (\"2024-13-45\")",
        ),
        (
            "negative.csv",
            format!("{header}A,WH,2024-01-02,3\nA,WH,2024-01-03,-2\n").into_bytes(),
            &[],
            "negative units (returns are not demand) (units) in 1 row(s): row 3 (\"-2\")",
        ),
        (
            "fraction.csv",
            format!("{header}A,WH,2024-01-02,1.5\n").into_bytes(),
            &[],
            "fractional units (units are whole items) (units) in 1 row(s): row 2 (\"1.5\")",
        ),
        (
            "dups.csv",
            format!("{header}A,WH,2024-01-02,3\nB,WH,2024-01-02,1\nA,WH,2024-01-02,3\n")
                .into_bytes(),
            &[],
            "duplicated rows",
        ),
        (
            "cut.parquet",
            parquet,
            &[],
            "is not a readable Parquet file",
        ),
        (
            "utf16.csv",
            utf16_no_bom,
            &[],
            "UTF-16 without a byte order mark",
        ),
        (
            "nosku.csv",
            format!("{header}A,WH,2024-01-02,3\n").into_bytes(),
            &["--mapping", "sku="],
            "no column for sku",
        ),
        (
            "unknowncol.csv",
            format!("{header}A,WH,2024-01-02,3\n").into_bytes(),
            &["--mapping", "units=Menge"],
            "the file has no column \"Menge\"",
        ),
        (
            "ambiguous.csv",
            format!("{header}A,WH,01/02/2024,3\n").into_bytes(),
            &[],
            "--date-format dmy",
        ),
    ];
    for (name, bytes, extra, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        for target in [&db, &fresh] {
            let mut args = vec!["import", "history", p(&file), "--db", p(target)];
            args.extend(extra);
            let out = forestock(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}: {err}");
            assert!(err.contains(expected), "{name}: {err}");
        }
        assert!(!fresh.exists(), "{name}: no database is created");
    }
    // unknown SKUs: refused by default, listed, nothing written
    let file = dir.path().join("new-skus.csv");
    std::fs::write(&file, format!("{header}ZZ-1,BERLIN,2024-01-02,3\n")).unwrap();
    let out = forestock(&["import", "history", p(&file), "--db", p(&db)]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("1 SKU(s) not in the catalog: ZZ-1"), "{err}");
    let out = forestock(&["import", "history", p(&file), "--db", p(&fresh)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!fresh.exists());

    assert_eq!(export(&db), history_before);
    assert_eq!(ok(&["import", "list", "--db", p(&db)]), list_before);
}
