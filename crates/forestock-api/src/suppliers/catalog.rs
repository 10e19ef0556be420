//! The supplier catalog CSV: one row per supplier × SKU, columns
//! `supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days`.
//!
//! Export writes the terms the planner uses for each link (the SKU's own, else its
//! supplier's) so the file is a complete catalogue; free-text cells are guarded against
//! formula injection as every Forestock CSV is ([`forestock_core::guard_text`]).
//!
//! Import is all or nothing: every row is checked first and every bad row is reported with
//! its line number and reason; nothing is written unless the whole file is accepted. A dry
//! run reports what the file would change. A supplier the file names that does not exist is
//! created with the file's currency and its most common MOQ, case pack and lead time; a term
//! equal to the supplier's own is stored as "the supplier's" so later supplier changes apply.

use super::audit;
use crate::{AuditStamp, Error, Result};
use forestock_core::{
    csv_writer, guard_text, NewSupplier, OutputFile, Store, Supplier, SupplierSku,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The columns, in order.
pub const CATALOG_HEADER: [&str; 8] = [
    "supplier",
    "sku",
    "supplier_sku",
    "unit_cost",
    "currency",
    "moq",
    "case_pack",
    "lead_time_days",
];

/// A bad row: its line in the file (1 = the header) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "RowErrorView"))]
pub struct RowError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A supplier the import creates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCatalogSupplier {
    pub name: String,
    pub currency: String,
    pub moq: i64,
    pub case_pack: i64,
    pub lead_time_days: f64,
}

/// What a catalog file does (or would do, on a dry run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogImport {
    /// Data rows read.
    pub rows: usize,
    pub new_suppliers: Vec<NewCatalogSupplier>,
    /// Links created, links whose terms change, rows already as stored.
    pub new_links: usize,
    pub changed_links: usize,
    pub unchanged: usize,
    /// Every bad row; the file is refused when this is not empty.
    pub errors: Vec<RowError>,
    /// Whether the changes were stored (false on a dry run or a refused file).
    pub written: bool,
}

/// One checked row.
struct Row {
    line: u64,
    supplier: String,
    variant_id: i64,
    sku: String,
    supplier_sku: Option<String>,
    unit_cost: Option<f64>,
    currency: Option<String>,
    moq: Option<i64>,
    case_pack: Option<i64>,
    lead_time_days: Option<f64>,
}

/// Undo [`guard_text`]: a cell exported as `'=…` reads back as `=…`.
fn unguard(s: &str) -> String {
    let t = s.trim();
    match t.strip_prefix('\'') {
        Some(rest) if guard_text(rest) != rest => rest.to_string(),
        _ => t.to_string(),
    }
}

fn parse_int(v: &str, what: &str) -> std::result::Result<Option<i64>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let n: i64 = v
        .parse()
        .map_err(|_| format!("{what} {v:?} is not a whole number"))?;
    if n < 0 {
        return Err(format!("{what} {n} is negative"));
    }
    if n == 0 {
        return Err(format!("{what} 0: it must be at least 1"));
    }
    Ok(Some(n))
}

fn parse_num(v: &str, what: &str, zero_ok: bool) -> std::result::Result<Option<f64>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let n: f64 = v
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| format!("{what} {v:?} is not a number"))?;
    if n < 0.0 {
        return Err(format!("{what} {v} is negative"));
    }
    if n == 0.0 && !zero_ok {
        return Err(format!("{what} 0: it must be more than 0"));
    }
    Ok(Some(n))
}

/// ISO 4217: three capital letters naming a currency in the standard's list (the
/// `iso_currency` crate's table of the ISO 4217 maintenance agency's list).
fn parse_currency(v: &str) -> std::result::Result<Option<String>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() != 3 || !v.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "currency {v:?} is not an ISO 4217 code (three capital letters, e.g. EUR)"
        ));
    }
    if iso_currency::Currency::from_code(v).is_none() {
        return Err(format!("currency {v:?} is not an ISO 4217 currency"));
    }
    Ok(Some(v.to_string()))
}

/// The value of a parsed cell, or its reason noted in `why`.
fn take<T>(r: std::result::Result<Option<T>, String>, why: &mut Vec<String>) -> Option<T> {
    r.unwrap_or_else(|e| {
        why.push(e);
        None
    })
}

/// Read and check every row of `input`; bad rows go to `errors`.
fn read_rows(store: &Store, input: &[u8], errors: &mut Vec<RowError>) -> Result<Vec<Row>> {
    let input = input
        .strip_prefix(forestock_core::UTF8_BOM.as_bytes())
        .unwrap_or(input);
    let mut rd = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let skus: HashMap<String, i64> = store
        .read()
        .skus()?
        .into_iter()
        .map(|s| (s.sku, s.id))
        .collect();
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, i64), u64> = HashMap::new();
    let mut header_ok = false;
    for (i, rec) in rd.records().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i as u64 + 1, |p| p.line());
                errors.push(RowError {
                    line,
                    reason: format!("not readable as CSV: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map_or(i as u64 + 1, |p| p.line());
        if i == 0 {
            let got: Vec<String> = rec.iter().map(|c| c.trim().to_lowercase()).collect();
            if got != CATALOG_HEADER {
                errors.push(RowError {
                    line,
                    reason: format!(
                        "the header must be {}, found {}",
                        CATALOG_HEADER.join(","),
                        got.join(",")
                    ),
                });
                return Ok(rows);
            }
            header_ok = true;
            continue;
        }
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rec.len() != CATALOG_HEADER.len() {
            errors.push(RowError {
                line,
                reason: format!(
                    "expected {} columns, found {}",
                    CATALOG_HEADER.len(),
                    rec.len()
                ),
            });
            continue;
        }
        let cell = |k: usize| unguard(rec.get(k).unwrap_or(""));
        let mut why = Vec::new();
        let supplier = cell(0);
        if supplier.is_empty() {
            why.push("the supplier is empty".to_string());
        }
        let sku = cell(1);
        let variant_id = if sku.is_empty() {
            why.push("the SKU is empty".to_string());
            None
        } else {
            let v = skus.get(&sku).copied();
            if v.is_none() {
                why.push(format!("unknown SKU {sku:?}"));
            }
            v
        };
        let unit_cost = take(parse_num(&cell(3), "unit cost", true), &mut why);
        let currency = take(parse_currency(&cell(4)), &mut why);
        let moq = take(parse_int(&cell(5), "MOQ"), &mut why);
        let case_pack = take(parse_int(&cell(6), "case pack"), &mut why);
        let lead_time_days = take(parse_num(&cell(7), "lead time", false), &mut why);
        if let (Some(m), Some(c)) = (moq, case_pack) {
            if m % c != 0 {
                why.push(format!("MOQ {m} is not a multiple of the case pack {c}"));
            }
        }
        if let Some(v) = variant_id {
            let key = (supplier.to_lowercase(), v);
            if let Some(first) = seen.get(&key) {
                why.push(format!("duplicate of line {first} ({supplier}, {sku})"));
            } else {
                seen.insert(key, line);
            }
        }
        match (why.is_empty(), variant_id) {
            (true, Some(variant_id)) => rows.push(Row {
                line,
                supplier,
                variant_id,
                sku,
                supplier_sku: Some(cell(2)).filter(|s| !s.is_empty()),
                unit_cost,
                currency,
                moq,
                case_pack,
                lead_time_days,
            }),
            _ => errors.push(RowError {
                line,
                reason: why.join("; "),
            }),
        }
    }
    if !header_ok && errors.is_empty() {
        errors.push(RowError {
            line: 1,
            reason: format!(
                "the file is empty: it needs the header {}",
                CATALOG_HEADER.join(",")
            ),
        });
    }
    Ok(rows)
}

/// The most common value (the smallest among equals, for a stable answer).
fn mode<T: Copy + PartialOrd>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut v: Vec<T> = values.collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let mut best: Option<(T, usize)> = None;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j] == v[i] {
            j += 1;
        }
        if best.is_none_or(|(_, n)| j - i > n) {
            best = Some((v[i], j - i));
        }
        i = j;
    }
    best.map(|(x, _)| x)
}

/// [`import`] of the catalog CSV at `path`, read whole first; a file that cannot be read is
/// bad input naming it.
pub fn import_file(
    store: &mut Store,
    stamp: &AuditStamp,
    path: &std::path::Path,
    dry_run: bool,
) -> Result<CatalogImport> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Invalid(format!("cannot read {}: {e}", path.display())))?;
    import(store, stamp, &bytes, dry_run)
}

/// Import a supplier catalog (`supplier.catalog_import`), or with `dry_run` only report what
/// it would change. A file with any bad row is refused whole: on a dry run the report lists
/// the errors; otherwise the error does, and nothing is written.
pub fn import(
    store: &mut Store,
    stamp: &AuditStamp,
    input: &[u8],
    dry_run: bool,
) -> Result<CatalogImport> {
    let mut errors = Vec::new();
    let rows = read_rows(store, input, &mut errors)?;
    let merchant_currency = store
        .read()
        .merchant()?
        .map(|m| m.currency)
        .ok_or_else(|| Error::Invalid("the database has no merchant yet".into()))?;
    let default_lead =
        forestock_plan::settings::load_settings(&store.read())?.default_lead_time_days;
    let existing: HashMap<String, Supplier> = store
        .read()
        .suppliers()?
        .into_iter()
        .map(|s| (s.name.trim().to_lowercase(), s))
        .collect();
    // Currencies: an existing supplier's is fixed; a new supplier takes its first row's.
    let mut currency_of: HashMap<String, (String, u64)> = existing
        .iter()
        .map(|(k, s)| (k.clone(), (s.currency.clone(), 0)))
        .collect();
    let mut ok_rows = Vec::new();
    for r in rows {
        let key = r.supplier.to_lowercase();
        if let Some(c) = &r.currency {
            match currency_of.get(&key) {
                Some((have, first)) if have != c => {
                    errors.push(RowError {
                        line: r.line,
                        reason: if *first == 0 {
                            format!("{} trades in {have}, not {c}", r.supplier)
                        } else {
                            format!("{} is in {have} on line {first}, not {c}", r.supplier)
                        },
                    });
                    continue;
                }
                Some(_) => {}
                None => {
                    currency_of.insert(key, (c.clone(), r.line));
                }
            }
        }
        ok_rows.push(r);
    }
    errors.sort_by_key(|e| e.line);
    // New suppliers and their terms: the most common of their rows.
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &ok_rows {
        if !existing.contains_key(&r.supplier.to_lowercase()) {
            groups.entry(r.supplier.to_lowercase()).or_default().push(r);
        }
    }
    let new_suppliers: Vec<NewCatalogSupplier> = groups
        .values()
        .map(|rs| {
            let case_pack = mode(rs.iter().filter_map(|r| r.case_pack)).unwrap_or(1);
            let moq = mode(rs.iter().filter_map(|r| r.moq)).unwrap_or(case_pack);
            NewCatalogSupplier {
                name: rs[0].supplier.clone(),
                currency: currency_of
                    .get(&rs[0].supplier.to_lowercase())
                    .map_or(merchant_currency.clone(), |c| c.0.clone()),
                moq: if moq % case_pack == 0 { moq } else { case_pack },
                case_pack,
                lead_time_days: mode(rs.iter().filter_map(|r| r.lead_time_days))
                    .unwrap_or(default_lead),
            }
        })
        .collect();
    let links: HashMap<(i64, i64), SupplierSku> = store
        .read()
        .supplier_skus()?
        .into_iter()
        .map(|l| ((l.supplier_id, l.variant_id), l))
        .collect();
    let mut report = CatalogImport {
        rows: ok_rows.len() + errors.len(),
        new_suppliers,
        new_links: 0,
        changed_links: 0,
        unchanged: 0,
        errors,
        written: false,
    };
    // The link each row makes, against the supplier's own terms.
    let terms_of = |r: &Row, moq: i64, case: i64, lead: f64, id: i64| SupplierSku {
        supplier_id: id,
        variant_id: r.variant_id,
        supplier_sku: r.supplier_sku.clone(),
        unit_cost: r.unit_cost,
        is_primary: true,
        moq: r.moq.filter(|m| *m != moq),
        case_pack: r.case_pack.filter(|c| *c != case),
        lead_time_days: r.lead_time_days.filter(|l| (l - lead).abs() > 1e-9),
    };
    for r in &ok_rows {
        match existing.get(&r.supplier.to_lowercase()) {
            Some(s) => {
                let new = terms_of(r, s.moq, s.case_pack, s.lead_time_mean_days, s.id);
                match links.get(&(s.id, r.variant_id)) {
                    None => report.new_links += 1,
                    Some(old)
                        if SupplierSku {
                            is_primary: true,
                            ..old.clone()
                        } == new =>
                    {
                        report.unchanged += 1
                    }
                    Some(_) => report.changed_links += 1,
                }
            }
            None => report.new_links += 1,
        }
    }
    if !report.errors.is_empty() {
        if dry_run {
            return Ok(report);
        }
        return Err(Error::Rows {
            what: "supplier catalog",
            rows: report.errors,
        });
    }
    if dry_run {
        return Ok(report);
    }
    let w = store.write()?;
    let mut ids: HashMap<String, (i64, i64, i64, f64)> = existing
        .values()
        .map(|s| {
            (
                s.name.trim().to_lowercase(),
                (s.id, s.moq, s.case_pack, s.lead_time_mean_days),
            )
        })
        .collect();
    for n in &report.new_suppliers {
        let id = w.insert_supplier(&NewSupplier {
            name: n.name.clone(),
            currency: n.currency.clone(),
            lead_time_mean_days: n.lead_time_days,
            lead_time_sd_days: 0.0,
            moq: n.moq,
            case_pack: n.case_pack,
            price_breaks: Vec::new(),
            email: None,
            notes: "created by a supplier catalog import".into(),
        })?;
        ids.insert(
            n.name.to_lowercase(),
            (id, n.moq, n.case_pack, n.lead_time_days),
        );
    }
    for r in &ok_rows {
        let Some(&(id, moq, case, lead)) = ids.get(&r.supplier.to_lowercase()) else {
            continue;
        };
        let has_primary = w
            .read()
            .supplier_skus()?
            .iter()
            .any(|l| l.variant_id == r.variant_id && l.is_primary && l.supplier_id != id);
        let was_primary = links.get(&(id, r.variant_id)).is_none_or(|l| l.is_primary);
        w.link_supplier_sku(&SupplierSku {
            is_primary: was_primary && !has_primary,
            ..terms_of(r, moq, case, lead, id)
        })?;
    }
    report.written = true;
    audit(
        &w,
        stamp,
        "supplier.catalog_import",
        "*",
        None,
        Some(serde_json::json!({
            "rows": report.rows, "new_suppliers": report.new_suppliers,
            "new_links": report.new_links, "changed_links": report.changed_links,
            "skus": ok_rows.iter().map(|r| format!("{}:{}", r.supplier, r.sku)).collect::<Vec<_>>(),
        })),
        "",
    )?;
    w.commit()?;
    Ok(report)
}

/// One exported row: a link with the terms the planner uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogRow {
    pub supplier: String,
    pub sku: String,
    pub supplier_sku: Option<String>,
    pub unit_cost: Option<f64>,
    pub currency: String,
    pub moq: i64,
    pub case_pack: i64,
    pub lead_time_days: f64,
}

/// Every supplier × SKU link, by supplier name then SKU.
pub fn rows(store: &Store) -> Result<Vec<CatalogRow>> {
    let r = store.read();
    let suppliers: HashMap<i64, Supplier> = r.suppliers()?.into_iter().map(|s| (s.id, s)).collect();
    let skus: HashMap<i64, String> = r.skus()?.into_iter().map(|s| (s.id, s.sku)).collect();
    let mut out: Vec<CatalogRow> = r
        .supplier_skus()?
        .into_iter()
        .filter_map(|l| {
            let s = suppliers.get(&l.supplier_id)?;
            Some(CatalogRow {
                supplier: s.name.clone(),
                sku: skus.get(&l.variant_id)?.clone(),
                supplier_sku: l.supplier_sku,
                unit_cost: l.unit_cost,
                currency: s.currency.clone(),
                moq: l.moq.unwrap_or(s.moq),
                case_pack: l.case_pack.unwrap_or(s.case_pack),
                lead_time_days: l.lead_time_days.unwrap_or(s.lead_time_mean_days),
            })
        })
        .collect();
    out.sort_by(|a, b| a.supplier.cmp(&b.supplier).then(a.sku.cmp(&b.sku)));
    Ok(out)
}

/// Write [`rows`] as CSV (RFC 4180, CRLF, the header first; text cells guarded).
pub fn write_csv(rows: &[CatalogRow], out: &mut dyn std::io::Write) -> Result<()> {
    let mut w = csv_writer(out, b',', true);
    w.write_record(CATALOG_HEADER).map_err(csv_err)?;
    for r in rows {
        w.write_record([
            guard_text(&r.supplier),
            guard_text(&r.sku),
            guard_text(r.supplier_sku.as_deref().unwrap_or("")),
            r.unit_cost.map_or(String::new(), |c| c.to_string()),
            r.currency.clone(),
            r.moq.to_string(),
            r.case_pack.to_string(),
            r.lead_time_days.to_string(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()
        .map_err(|e| Error::Core(forestock_core::Error::from(csv::Error::from(e))))?;
    Ok(())
}

fn csv_err(e: csv::Error) -> Error {
    Error::Core(forestock_core::Error::from(e))
}

/// Export the catalog to `out` (`supplier.catalog_export`, audited with the row count);
/// `inputs` are files the output must not replace. Returns the rows written.
pub fn export(
    store: &mut Store,
    stamp: &AuditStamp,
    out: &OutputFile,
    inputs: &[&Path],
) -> Result<usize> {
    let rows = rows(store)?;
    out.write(inputs, |w| write_csv(&rows, w))?;
    let w = store.write()?;
    audit(
        &w,
        stamp,
        "supplier.catalog_export",
        "*",
        None,
        Some(serde_json::json!({"rows": rows.len(), "file": out.path().display().to_string()})),
        "",
    )?;
    w.commit()?;
    Ok(rows.len())
}
