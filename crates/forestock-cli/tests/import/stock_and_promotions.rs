//! `forestock import stock|promotions`: the same batches as history (list, undo, the same file
//! twice changes nothing), stock levels in the exported history, promotions in the plan, and
//! bad files refused with exit 2 naming the rows, nothing written.

use super::*;

/// A store with SKU A at WH: 3 a day over 2024-01-01..20.
fn store(dir: &Path) -> PathBuf {
    let db = dir.join("m.db");
    let mut text = String::from("sku,location,date,units\n");
    for d in 1..=20 {
        text.push_str(&format!(
            "A,WH,2024-01-{d:02},{}\n",
            if d > 15 { 0 } else { 3 }
        ));
    }
    let file = dir.join("sales.csv");
    std::fs::write(&file, text).unwrap();
    import(&db, &file, &[]);
    db
}

/// The `on_hand` column of the exported history, by date.
fn on_hand(db: &Path) -> HashMap<String, String> {
    export(db)
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[2].to_string(), c[4].to_string())
        })
        .collect()
}

#[test]
fn a_stock_file_sets_the_levels_of_the_history_and_undo_takes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let before = export(&db);
    let file = dir.path().join("stock.csv");
    std::fs::write(
        &file,
        "Artikel;Lager;Datum;Bestand\nA;WH;10.01.2024;12\nA;WH;16.01.2024;0\n",
    )
    .unwrap();
    let preview = ok(&["import", "stock", p(&file), "--db", p(&db), "--dry-run"]);
    assert!(
        preview.contains("mapping  sku=Artikel,location=Lager,date=Datum,on_hand=Bestand"),
        "{preview}"
    );
    assert!(preview.contains("days at 0 on hand per month"), "{preview}");
    assert_eq!(export(&db), before, "a dry run writes nothing");
    let out = ok(&["import", "stock", p(&file), "--db", p(&db)]);
    assert!(
        out.contains("imported as batch 2: 2 daily on-hand levels stored"),
        "{out}"
    );
    let levels = on_hand(&db);
    assert_eq!(levels["2024-01-09"], "");
    assert_eq!(levels["2024-01-15"], "12");
    assert_eq!(levels["2024-01-20"], "0");
    let again = ok(&["import", "stock", p(&file), "--db", p(&db)]);
    assert!(
        again.contains("already imported as batch 2: nothing changed"),
        "{again}"
    );
    let list = ok(&["import", "list", "--db", p(&db)]);
    assert!(list.contains("stock") && list.contains("history"), "{list}");
    let undo = ok(&["import", "undo", "2", "--db", p(&db)]);
    assert!(undo.contains("2 on-hand levels"), "{undo}");
    assert_eq!(export(&db), before);
}

#[test]
fn a_promotion_calendar_marks_the_history_and_bad_calendars_exit_2_naming_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(dir.path());
    let before = export(&db);
    let file = dir.path().join("promos.csv");
    std::fs::write(
        &file,
        "sku,start,end,discount\nA,2024-01-05,2024-01-07,50%\n",
    )
    .unwrap();
    let out = ok(&["import", "promotions", p(&file), "--db", p(&db)]);
    assert!(
        out.contains("imported as batch 2: 1 promotions stored"),
        "{out}"
    );
    // The export's promo flag and price follow the calendar (price 0 here: a created SKU).
    let promo: Vec<String> = export(&db)
        .lines()
        .skip(1)
        .filter(|l| l.ends_with(",1"))
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect();
    assert_eq!(promo, ["2024-01-05", "2024-01-06", "2024-01-07"]);

    for (name, text, expected) in [
        (
            "reversed.csv",
            "sku,start,end,discount\nA,2024-02-05,2024-02-01,10\n",
            "promotions that end before they start in 1 row(s): row 2",
        ),
        (
            "unknown.csv",
            "sku,start,end,discount\nNOPE,2024-02-01,2024-02-05,10\n",
            "1 SKU(s) not in the catalog: NOPE",
        ),
        (
            "scope.csv",
            "start,end,discount\n2024-02-01,2024-02-05,10\n",
            "needs a sku or a category column",
        ),
    ] {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let out = forestock(&["import", "promotions", p(&f), "--db", p(&db)]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
    }
    ok(&["import", "undo", "2", "--db", p(&db)]);
    assert_eq!(export(&db), before);
}
