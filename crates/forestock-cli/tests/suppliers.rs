//! `forestock suppliers` through the binary: export and re-import a catalog, a dry run that
//! writes nothing, bad rows refused with exit code 2 and each line named, merge, delete and
//! bulk assignment, and the plan saying which lines need a supplier.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::*;

use std::path::Path;

fn refused(args: &[&str]) -> String {
    let out = forestock(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    err
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn links(db: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM supplier_skus", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn suppliers_verbs_round_trip_a_catalog_and_refuse_bad_rows_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let db = p(&db);
    ok(&["demo", "--db", db, "--skus", "20"]);
    let list = json(&["suppliers", "--db", db, "list"]);
    let linked: u64 = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["skus"].as_u64().unwrap())
        .sum();
    assert_eq!(linked, 20);

    // Export, then the same file imports back with nothing to change.
    let csv = dir.path().join("catalog.csv");
    ok(&["suppliers", "--db", db, "export", "--output", p(&csv)]);
    let again = json(&["suppliers", "--db", db, "import", p(&csv), "--dry-run"]);
    assert_eq!(again["unchanged"], 20, "{again}");
    assert_eq!(again["written"], false);
    // The export is not overwritten without --force.
    let err = refused(&["suppliers", "--db", db, "export", "--output", p(&csv)]);
    assert!(err.contains("already exists"), "{err}");

    // Bad rows: exit 2, each line named, nothing written (also not the good row).
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days\n\
         New Co,APP-0001-L,N1,2,USD,1,1,5\n\
         New Co,NOPE,N2,2,USD,1,1,5\n\
         New Co,APP-0001-M,N3,2,USD,-4,1,5\n\
         New Co,APP-0001-S,N4,2,USD,1,0,5\n\
         New Co,APP-0001-XL,N5,2,ZZZ,1,1,5\n",
    )
    .unwrap();
    let before = links(db);
    for dry in [true, false] {
        let mut args = vec!["suppliers", "--db", db, "import", p(&bad)];
        if dry {
            args.push("--dry-run");
        }
        let err = refused(&args);
        assert!(err.contains("line 3: unknown SKU \"NOPE\""), "{err}");
        assert!(err.contains("line 4: MOQ -4 is negative"), "{err}");
        assert!(
            err.contains("line 5: case pack 0: it must be at least 1"),
            "{err}"
        );
        assert!(
            err.contains("line 6: currency \"ZZZ\" is not an ISO 4217 currency"),
            "{err}"
        );
        assert!(!err.contains("line 2"), "{err}");
    }
    assert_eq!(links(db), before);
    let names = |db: &str| -> Vec<String> {
        json(&["suppliers", "--db", db, "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["supplier"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!names(db).contains(&"New Co".to_string()));

    // Add, assign by search, refuse a merge into an unknown supplier, delete.
    ok(&[
        "suppliers",
        "--db",
        db,
        "add",
        "Second Source",
        "--currency",
        "USD",
        "--lead-time",
        "9",
    ]);
    let first = list[0]["supplier"]["name"].as_str().unwrap().to_string();
    let r = json(&[
        "suppliers",
        "--db",
        db,
        "assign",
        "Second Source",
        "--search",
        "APP-0001",
        "--moq",
        "2",
    ]);
    assert!(r["linked"].as_u64().unwrap() >= 1, "{r}");
    let err = refused(&[
        "suppliers",
        "--db",
        db,
        "merge",
        "Second Source",
        "Nobody",
        "--reason",
        "x",
    ]);
    assert!(err.contains("supplier Nobody not found"), "{err}");
    ok(&[
        "suppliers",
        "--db",
        db,
        "delete",
        "Second Source",
        "--reason",
        "tidy",
    ]);
    let gone = json(&[
        "suppliers",
        "--db",
        db,
        "delete",
        &first,
        "--reason",
        "gone",
    ]);
    // Its SKUs had no other supplier: each is named as left without one.
    assert_eq!(
        gone["skus_without_supplier"].as_array().unwrap().len() as u64,
        list[0]["skus"].as_u64().unwrap(),
        "{gone}"
    );
    assert!(!names(db).contains(&first));
}
