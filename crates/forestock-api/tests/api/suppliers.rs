//! Suppliers: catalog import/export, merge, delete, bulk assignment, suggestions.

use chrono::{NaiveDate, NaiveDateTime};
use forestock_api::suppliers::{self, catalog, AcceptSuggestions, SkuSelection, SkuTerms};
use forestock_api::AuditStamp;
use forestock_core::*;

fn ts(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn stamp() -> AuditStamp {
    AuditStamp::at(FrontDoor::Cli, Some("ann"), ts("2026-03-01 09:00:00"))
}

fn new_supplier(name: &str, currency: &str) -> NewSupplier {
    NewSupplier {
        name: name.into(),
        currency: currency.into(),
        lead_time_mean_days: 14.0,
        lead_time_sd_days: 2.0,
        moq: 12,
        case_pack: 6,
        price_breaks: vec![],
        email: None,
        notes: String::new(),
    }
}

/// A merchant in USD with SKUs MUG-1, MUG-2 (vendor Hearth, Kitchen), TEE-1 (vendor Loom,
/// Apparel) and SOCK-1 (no vendor), and no suppliers.
fn seed() -> Store {
    let mut store = Store::in_memory().unwrap();
    let w = store.write().unwrap();
    w.set_merchant(&Merchant {
        name: "Test shop".into(),
        currency: "USD".into(),
        timezone: "UTC".into(),
        as_of: None,
        is_demo: false,
        created_at: ts("2026-01-01 00:00:00"),
    })
    .unwrap();
    for (title, category, vendor, skus) in [
        ("Mug", "Kitchen", "Hearth", &["MUG-1", "MUG-2"][..]),
        ("Tee", "Apparel", "Loom", &["TEE-1"][..]),
        ("Sock", "Apparel", "", &["SOCK-1"][..]),
    ] {
        let p = w
            .insert_product(&NewProduct {
                store_id: None,
                external_id: None,
                title: title.into(),
                category: category.into(),
                vendor: vendor.into(),
                status: ProductStatus::Active,
                created_at: ts("2025-06-01 00:00:00"),
            })
            .unwrap();
        for (i, sku) in skus.iter().enumerate() {
            w.insert_variant(
                &NewVariant {
                    product_id: p,
                    external_id: None,
                    sku: (*sku).into(),
                    title: format!("v{i}"),
                    barcode: None,
                    price: 10.0,
                    cost: Some(4.0 + i as f64),
                    attributes: serde_json::json!({}),
                    status: SkuStatus::Active,
                    created_date: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                    discontinue_date: None,
                },
                ts("2026-01-01 00:00:00"),
            )
            .unwrap();
        }
    }
    w.commit().unwrap();
    store
}

fn audit_count(store: &Store) -> usize {
    store
        .read()
        .audit_entries(&AuditFilter::default())
        .unwrap()
        .len()
}

fn links(store: &Store) -> Vec<SupplierSku> {
    store.read().supplier_skus().unwrap()
}

const HEADER: &str = "supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days\n";

#[test]
fn a_supplier_csv_with_bad_rows_is_refused_line_by_line_and_nothing_is_written() {
    let mut store = seed();
    let file = format!(
        "{HEADER}\
         Acme,MUG-1,A-1,3.5,USD,12,6,10\n\
         Acme,NOPE-9,A-2,3.5,USD,12,6,10\n\
         Acme,MUG-2,A-3,3.5,USD,-6,6,10\n\
         Acme,TEE-1,A-4,3.5,USD,12,0,10\n\
         Bolt,MUG-1,B-1,3.5,XYZ,,,\n\
         Bolt,MUG-2,B-2,3.5,euro,,,\n\
         Bolt,TEE-1,B-3,abc,USD,2.5,,\n\
         Acme,MUG-1,A-1,3.5,USD,12,6,10\n\
         Cask,SOCK-1,C-1,1,USD,,,0\n"
    );
    let e = catalog::import(&mut store, &stamp(), file.as_bytes(), false).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let forestock_api::Error::Rows { rows, .. } = &e else {
        panic!("expected bad rows, got {e}");
    };
    let got: Vec<(u64, &str)> = rows.iter().map(|r| (r.line, r.reason.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "unknown SKU \"NOPE-9\""),
            (4, "MOQ -6 is negative"),
            (5, "case pack 0: it must be at least 1"),
            (6, "currency \"XYZ\" is not an ISO 4217 currency"),
            (
                7,
                "currency \"euro\" is not an ISO 4217 code (three capital letters, e.g. EUR)"
            ),
            (
                8,
                "unit cost \"abc\" is not a number; MOQ \"2.5\" is not a whole number"
            ),
            (9, "duplicate of line 2 (Acme, MUG-1)"),
            (10, "lead time 0: it must be more than 0"),
        ]
    );
    assert!(e.to_string().contains("line 3: unknown SKU \"NOPE-9\""));
    // The good line 2 was not written either: all or nothing.
    assert!(store.read().suppliers().unwrap().is_empty());
    assert!(links(&store).is_empty());
    assert_eq!(audit_count(&store), 0);
}

#[test]
fn a_dry_run_reports_what_a_catalog_would_change_and_writes_nothing() {
    let mut store = seed();
    suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let before = audit_count(&store);
    let file = format!("{HEADER}Acme,MUG-1,A-1,3.5,USD,12,6,14\nNewCo,TEE-1,N-1,2,EUR,10,5,21\n");
    let r = catalog::import(&mut store, &stamp(), file.as_bytes(), true).unwrap();
    assert!(!r.written);
    assert!(r.errors.is_empty());
    assert_eq!((r.rows, r.new_links, r.changed_links), (2, 2, 0));
    assert_eq!(r.new_suppliers.len(), 1);
    let n = &r.new_suppliers[0];
    assert_eq!(
        (
            n.name.as_str(),
            n.currency.as_str(),
            n.moq,
            n.case_pack,
            n.lead_time_days
        ),
        ("NewCo", "EUR", 10, 5, 21.0)
    );
    assert_eq!(store.read().suppliers().unwrap().len(), 1);
    assert!(links(&store).is_empty());
    assert_eq!(audit_count(&store), before);
}

#[test]
fn a_dry_run_of_a_bad_file_lists_the_errors_instead_of_failing() {
    let mut store = seed();
    let file = format!("{HEADER}Acme,MUG-1,A-1,3.5,USD,12,0,14\n");
    let r = catalog::import(&mut store, &stamp(), file.as_bytes(), true).unwrap();
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].line, 2);
    assert!(!r.written);
}

#[test]
fn a_catalog_with_a_wrong_header_is_refused_at_line_1() {
    let mut store = seed();
    let e = catalog::import(&mut store, &stamp(), b"sku,qty\nMUG-1,3\n", false).unwrap_err();
    let forestock_api::Error::Rows { rows, .. } = e else {
        panic!("expected bad rows");
    };
    assert_eq!(rows[0].line, 1);
    assert!(rows[0]
        .reason
        .starts_with("the header must be supplier,sku,"));
}

#[test]
fn a_row_in_another_currency_than_its_existing_supplier_is_refused() {
    let mut store = seed();
    suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "EUR")).unwrap();
    let file = format!("{HEADER}acme,MUG-1,A-1,3.5,USD,12,6,14\n");
    let e = catalog::import(&mut store, &stamp(), file.as_bytes(), false).unwrap_err();
    assert!(
        e.to_string()
            .contains("line 2: acme trades in EUR, not USD"),
        "{e}"
    );
    assert!(links(&store).is_empty());
}

#[test]
fn an_import_stores_per_sku_terms_only_where_they_differ_from_the_supplier() {
    let mut store = seed();
    let acme = suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let file = format!("{HEADER}Acme,MUG-1,A-1,3.5,USD,12,6,14\nAcme,MUG-2,A-2,2.25,,24,12,30\n");
    let before = audit_count(&store);
    let r = catalog::import(&mut store, &stamp(), file.as_bytes(), false).unwrap();
    assert!(r.written);
    assert_eq!(audit_count(&store), before + 1);
    let l = links(&store);
    assert_eq!(l.len(), 2);
    let mug1 = &l[0];
    assert_eq!(mug1.supplier_id, acme.id);
    assert_eq!(mug1.supplier_sku.as_deref(), Some("A-1"));
    assert_eq!(mug1.unit_cost, Some(3.5));
    // Same as Acme's own terms: stored as "the supplier's".
    assert_eq!(
        (mug1.moq, mug1.case_pack, mug1.lead_time_days),
        (None, None, None)
    );
    let mug2 = &l[1];
    assert_eq!(
        (mug2.moq, mug2.case_pack, mug2.lead_time_days),
        (Some(24), Some(12), Some(30.0))
    );
    assert!(mug1.is_primary && mug2.is_primary);
}

#[test]
fn an_exported_catalog_imports_back_unchanged_even_with_formula_like_names() {
    let mut store = seed();
    let file = format!(
        "{HEADER}=HYPERLINK(\"x\"),MUG-1,-A-1,3.5,EUR,12,6,14\nLoom,TEE-1,,2,USD,1,1,7.5\n"
    );
    catalog::import(&mut store, &stamp(), file.as_bytes(), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.csv");
    let n = catalog::export(&mut store, &stamp(), &OutputFile::new(&path, false), &[]).unwrap();
    assert_eq!(n, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    // Formula-like text cells are guarded as in every Forestock CSV.
    assert!(
        text.contains("\"'=HYPERLINK(\"\"x\"\")\",MUG-1,'-A-1,3.5,EUR,12,6,14\r\n"),
        "{text}"
    );
    let again = catalog::import(&mut store, &stamp(), text.as_bytes(), true).unwrap();
    assert!(again.errors.is_empty(), "{:?}", again.errors);
    assert_eq!(
        (again.new_links, again.changed_links, again.unchanged),
        (0, 0, 2)
    );
    assert!(again.new_suppliers.is_empty());
}

/// A purchase order of `supplier` in the given status, straight into the table.
fn po(store: &mut Store, supplier: i64, number: &str, status: &str) {
    let w = store.write().unwrap();
    let loc = w
        .insert_location(&NewLocation {
            code: format!("L-{number}"),
            name: "Warehouse".into(),
            kind: LocationKind::Warehouse,
            store_id: None,
            external_id: None,
        })
        .unwrap();
    w.tx()
        .execute(
            &format!(
                "INSERT INTO purchase_orders (number, supplier_id, location_id, status, currency, \
                 order_date, expected_date, created_at, updated_at) VALUES ('{number}', {supplier}, \
                 {loc}, '{status}', 'USD', '2026-02-01', '2026-02-15', '2026-02-01', '2026-02-01')"
            ),
            [],
        )
        .unwrap();
    w.commit().unwrap();
}

#[test]
fn merging_moves_links_and_purchase_orders_and_keeps_their_numbers() {
    let mut store = seed();
    let a = suppliers::create(&mut store, &stamp(), &new_supplier("Acme Ltd", "USD")).unwrap();
    let b = suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let sel = |skus: &[&str]| SkuSelection {
        skus: skus.iter().map(|s| s.to_string()).collect(),
        ..SkuSelection::default()
    };
    let cost = |c: f64| SkuTerms {
        unit_cost: Some(c),
        ..SkuTerms::default()
    };
    suppliers::assign(
        &mut store,
        &stamp(),
        a.id,
        &sel(&["MUG-1", "TEE-1"]),
        &cost(1.0),
    )
    .unwrap();
    suppliers::assign(&mut store, &stamp(), b.id, &sel(&["TEE-1"]), &cost(2.0)).unwrap();
    po(&mut store, a.id, "PO-00001", "received");
    let before = audit_count(&store);
    let r = suppliers::merge(&mut store, &stamp(), a.id, b.id, "same company").unwrap();
    assert_eq!(audit_count(&store), before + 1);
    assert_eq!((r.moved.links_moved, r.moved.links_dropped), (1, 1));
    assert_eq!(r.moved.purchase_orders, 1);
    let names: Vec<String> = store
        .read()
        .suppliers()
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, vec!["Acme"]);
    let l = links(&store);
    assert!(l.iter().all(|l| l.supplier_id == b.id));
    // TEE-1 keeps the surviving supplier's cost.
    let tee = store.read().sku_by_code("TEE-1").unwrap().id;
    assert_eq!(
        l.iter().find(|l| l.variant_id == tee).unwrap().unit_cost,
        Some(2.0)
    );
    let pos = store.read().supplier_purchase_orders(b.id).unwrap();
    assert_eq!(pos[0].number, "PO-00001");
    assert_eq!(pos[0].status, "received");
}

#[test]
fn suppliers_in_different_currencies_are_not_merged() {
    let mut store = seed();
    let a = suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let b = suppliers::create(&mut store, &stamp(), &new_supplier("Brio", "EUR")).unwrap();
    let e = suppliers::merge(&mut store, &stamp(), a.id, b.id, "x").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.to_string().contains("Acme trades in USD and Brio in EUR"));
    assert_eq!(store.read().suppliers().unwrap().len(), 2);
}

#[test]
fn a_supplier_with_purchase_orders_is_not_deleted_and_the_message_names_them() {
    let mut store = seed();
    let a = suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    po(&mut store, a.id, "PO-00007", "approved");
    let e = suppliers::delete(&mut store, &stamp(), a.id, "gone").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(
        e.to_string()
            .contains("open purchase orders: PO-00007 (approved)"),
        "{e}"
    );
    let b = suppliers::create(&mut store, &stamp(), &new_supplier("Brio", "USD")).unwrap();
    po(&mut store, b.id, "PO-00008", "received");
    let e = suppliers::delete(&mut store, &stamp(), b.id, "gone").unwrap_err();
    assert!(
        e.to_string().contains("merge it into another supplier"),
        "{e}"
    );
    let c = suppliers::create(&mut store, &stamp(), &new_supplier("Cask", "USD")).unwrap();
    suppliers::assign(
        &mut store,
        &stamp(),
        c.id,
        &SkuSelection {
            skus: vec!["MUG-1".into()],
            ..SkuSelection::default()
        },
        &SkuTerms::default(),
    )
    .unwrap();
    let r = suppliers::delete(&mut store, &stamp(), c.id, "never used").unwrap();
    assert_eq!(r.skus_without_supplier, vec!["MUG-1"]);
    assert!(links(&store).is_empty());
    assert_eq!(store.read().suppliers().unwrap().len(), 2);
}

#[test]
fn a_second_supplier_with_the_same_name_is_refused() {
    let mut store = seed();
    suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let e = suppliers::create(&mut store, &stamp(), &new_supplier(" acme ", "USD")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.to_string().contains("already exists"));
}

#[test]
fn bulk_assignment_by_category_links_every_match_and_makes_the_supplier_primary() {
    let mut store = seed();
    let a = suppliers::create(&mut store, &stamp(), &new_supplier("Acme", "USD")).unwrap();
    let b = suppliers::create(&mut store, &stamp(), &new_supplier("Brio", "USD")).unwrap();
    let apparel = SkuSelection {
        category: Some("apparel".into()),
        ..SkuSelection::default()
    };
    let r = suppliers::assign(&mut store, &stamp(), a.id, &apparel, &SkuTerms::default()).unwrap();
    assert_eq!(r.skus, vec!["SOCK-1", "TEE-1"]);
    assert_eq!(r.linked, 2);
    let tee = SkuSelection {
        search: Some("tee".into()),
        ..SkuSelection::default()
    };
    let terms = SkuTerms {
        supplier_sku: Some("BR-T".into()),
        unit_cost: Some(3.0),
        moq: Some(24),
        case_pack: Some(12),
        lead_time_days: Some(5.0),
    };
    suppliers::assign(&mut store, &stamp(), b.id, &tee, &terms).unwrap();
    let tee_id = store.read().sku_by_code("TEE-1").unwrap().id;
    let l: Vec<SupplierSku> = links(&store)
        .into_iter()
        .filter(|l| l.variant_id == tee_id)
        .collect();
    let primary: Vec<i64> = l
        .iter()
        .filter(|l| l.is_primary)
        .map(|l| l.supplier_id)
        .collect();
    assert_eq!(primary, vec![b.id]);
    let br = l.iter().find(|l| l.supplier_id == b.id).unwrap();
    assert_eq!(
        (br.moq, br.case_pack, br.lead_time_days),
        (Some(24), Some(12), Some(5.0))
    );
    // A supplier SKU names one item: refused for a selection of several.
    let e = suppliers::assign(&mut store, &stamp(), b.id, &apparel, &terms).unwrap_err();
    assert!(e.to_string().contains("the selection has 2 SKUs"), "{e}");
    let e = suppliers::assign(&mut store, &stamp(), b.id, &SkuSelection::default(), &terms)
        .unwrap_err();
    assert!(e.to_string().starts_with("say which SKUs"));
    let bad = SkuTerms {
        case_pack: Some(0),
        ..SkuTerms::default()
    };
    let e = suppliers::assign(&mut store, &stamp(), b.id, &apparel, &bad).unwrap_err();
    assert_eq!(e.to_string(), "case pack 0 must be at least 1");
}

#[test]
fn suggestions_group_unlinked_skus_by_vendor_and_accepting_creates_and_links_them() {
    let mut store = seed();
    let s = suppliers::suggest(&store).unwrap();
    let got: Vec<(&str, usize, usize)> = s
        .iter()
        .map(|s| (s.name.as_str(), s.skus.len(), s.with_cost))
        .collect();
    assert_eq!(got, vec![("Hearth", 2, 2), ("Loom", 1, 1)]);
    assert_eq!(s[0].skus[1].unit_cost, Some(5.0));
    let e = suppliers::accept(
        &mut store,
        &stamp(),
        &AcceptSuggestions {
            names: vec!["Nobody".into()],
            ..AcceptSuggestions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "no suggestion is named Nobody");
    let before = audit_count(&store);
    let r = suppliers::accept(
        &mut store,
        &stamp(),
        &AcceptSuggestions {
            names: vec!["hearth".into()],
            currency: None,
            lead_time_days: Some(9.0),
        },
    )
    .unwrap();
    assert_eq!(audit_count(&store), before + 1);
    assert_eq!(r.created, vec!["Hearth"]);
    assert_eq!(r.linked, 2);
    let sup = &store.read().suppliers().unwrap()[0];
    assert_eq!(
        (sup.currency.as_str(), sup.lead_time_mean_days),
        ("USD", 9.0)
    );
    let rows = suppliers::list(&store).unwrap();
    assert_eq!(rows[0].skus, 2);
    // Linked SKUs are no longer suggested.
    let left: Vec<String> = suppliers::suggest(&store)
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(left, vec!["Loom"]);
}

#[test]
fn typed_supplier_values_take_the_merchants_defaults_when_creating_and_keep_the_rest_when_editing()
{
    use suppliers::SupplierInput;
    let mut store = seed();
    let input = SupplierInput {
        name: Some("  Hearth Ltd ".into()),
        email: Some("  ".into()),
        ..Default::default()
    };
    let new = input.resolve(&store, None).unwrap();
    let default_lead = forestock_plan::settings::load_settings(&store.read())
        .unwrap()
        .default_lead_time_days;
    assert_eq!(new.name, "Hearth Ltd");
    assert_eq!(new.currency, "USD", "the merchant's currency");
    assert_eq!(new.lead_time_mean_days, default_lead);
    assert_eq!((new.moq, new.case_pack, new.email), (1, 1, None));
    let err = SupplierInput::default().resolve(&store, None).unwrap_err();
    assert!(err.to_string().contains("needs a name"), "{err}");

    let created = suppliers::create(&mut store, &stamp(), &new_supplier("Loom", "EUR")).unwrap();
    let edited = SupplierInput {
        moq: Some(24),
        currency: Some(" eur ".into()),
        ..Default::default()
    }
    .resolve(&store, Some(&created))
    .unwrap();
    assert_eq!(edited.name, "Loom");
    assert_eq!(edited.currency, "EUR");
    assert_eq!(edited.moq, 24);
    assert_eq!(
        (
            edited.lead_time_mean_days,
            edited.lead_time_sd_days,
            edited.case_pack
        ),
        (14.0, 2.0, 6),
        "unset terms keep the supplier's"
    );
    assert_eq!(suppliers::find(&store, "loom").unwrap().id, created.id);
    assert_eq!(
        suppliers::find(&store, &created.id.to_string()).unwrap().id,
        created.id
    );
    let missing = suppliers::find(&store, "Nobody").unwrap_err();
    assert_eq!(missing.to_string(), "supplier Nobody not found");
}

#[test]
fn the_suppliers_screen_counts_primary_skus_and_its_forms_create_edit_assign_and_merge() {
    use suppliers::screen::{self, AssignForm, MergeForm, SupplierEdit, SupplierForm};
    let mut store = seed();
    let form = SupplierForm {
        name: "  Acme ".into(),
        currency: "usd".into(),
        lead_time_mean_days: 10.0,
        lead_time_sd_days: 2.0,
        moq: 1,
        case_pack: 1,
        email: None,
        notes: String::new(),
    };
    let a = screen::create(&mut store, &stamp(), &form).unwrap();
    assert_eq!((a.name.as_str(), a.currency.as_str()), ("Acme", "USD"));
    assert_eq!(a.primary_skus, 0);
    let b = screen::create(
        &mut store,
        &stamp(),
        &SupplierForm {
            name: "Brio".into(),
            ..form.clone()
        },
    )
    .unwrap();
    // Blank texts in the form select nothing by them: the category alone picks the apparel.
    let assign = AssignForm {
        supplier_id: a.id,
        vendor: Some(" ".into()),
        category: Some("apparel".into()),
        search: None,
        skus: vec![],
        unlinked_only: false,
        supplier_sku: Some(String::new()),
        unit_cost: None,
        moq: None,
        case_pack: None,
        lead_time_days: None,
    };
    let r = screen::assign(&mut store, &stamp(), &assign).unwrap();
    assert_eq!(r.skus, vec!["SOCK-1", "TEE-1"]);
    let counts: Vec<(String, i64)> = screen::list(&store)
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.primary_skus))
        .collect();
    assert_eq!(counts, vec![("Acme".into(), 2), ("Brio".into(), 0)]);
    let edited = screen::update(
        &mut store,
        &stamp(),
        // The Suppliers screen sends the edit as one flat object: the form's fields beside
        // the id and the reason.
        &serde_json::from_value::<SupplierEdit>(serde_json::json!({
            "id": a.id,
            "name": "Acme Ltd",
            "currency": "USD",
            "lead_time_mean_days": 12.0,
            "lead_time_sd_days": 3.0,
            "moq": 6,
            "case_pack": 6,
            "email": "orders@acme.test",
            "notes": "net 30",
            "reason": "new terms",
        }))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.moq, edited.primary_skus),
        ("Acme Ltd", 6, 2)
    );
    let merged = screen::merge(
        &mut store,
        &stamp(),
        &MergeForm {
            from: a.id,
            into: b.id,
            reason: "one supplier".into(),
        },
    )
    .unwrap();
    assert_eq!(
        (merged.from.as_str(), merged.into.as_str()),
        ("Acme Ltd", "Brio")
    );
    assert_eq!(merged.links_moved, 2);
    let after = screen::list(&store).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].primary_skus, 2);
}
