//! The app's Import screen in one call: read the file at a path, map it (the guess, then the
//! planner's choices), check it, and preview or import it as history, stock or promotions,
//! returning one view whatever the kind (the preview rows as text cells). Dates whose order
//! the data cannot tell come back as a question (`ambiguous_dates`), not as an error, so the
//! screen can ask for the order and try again.

use super::{
    import_history, import_promotions, import_stock, ImportOptions, ImportReport, Outcome, Unknown,
};
use crate::{AuditStamp, Error, Result};
use forestock_core::{ImportKind, Store};
use forestock_files::{
    guess, prepare_history, prepare_promotions, prepare_stock, read_source, DateOrder, Field,
    HistoryOptions, MonthTotal,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the screen asks for.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileRequest {
    pub kind: FileKind,
    pub path: String,
    /// The planner's mapping: every field of the kind with its column (`null`: unmapped).
    /// Empty: the guess.
    pub mapping: Vec<FieldColumn>,
    /// `dmy`, `mdy` or `ymd`; `null`: read from the data.
    pub date_order: Option<Dates>,
    /// The location of every row, for a file without a location column.
    pub location: Option<String>,
    pub unknown: Unknown,
    pub dry_run: bool,
}

/// The order of day, month and year in text dates (`forestock_files::DateOrder`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Dates {
    Dmy,
    Mdy,
    Ymd,
}

impl From<Dates> for DateOrder {
    fn from(d: Dates) -> Self {
        match d {
            Dates::Dmy => DateOrder::Dmy,
            Dates::Mdy => DateOrder::Mdy,
            Dates::Ymd => DateOrder::Ymd,
        }
    }
}

impl From<DateOrder> for Dates {
    fn from(d: DateOrder) -> Self {
        match d {
            DateOrder::Dmy => Dates::Dmy,
            DateOrder::Mdy => Dates::Mdy,
            DateOrder::Ymd => Dates::Ymd,
        }
    }
}

/// `history`, `stock` or `promotions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    History,
    Stock,
    Promotions,
}

impl From<FileKind> for ImportKind {
    fn from(k: FileKind) -> Self {
        match k {
            FileKind::History => ImportKind::History,
            FileKind::Stock => ImportKind::Stock,
            FileKind::Promotions => ImportKind::Promotions,
        }
    }
}

/// One field of the kind and the file's column for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldColumn {
    pub field: String,
    pub column: Option<String>,
    /// Every row needs it (the import is refused without it).
    #[serde(default)]
    pub required: bool,
}

/// Units (history), days at 0 on hand (stock) or promotions starting (promotions) in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthValue {
    pub month: String,
    pub value: i64,
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileImport {
    pub kind: FileKind,
    /// `dry_run`, `imported` or `already_imported`.
    pub outcome: String,
    /// The batch stored (or found: the same file imported before).
    pub batch: Option<i64>,
    pub file_name: String,
    pub format: String,
    /// The file's columns, in order.
    pub columns: Vec<String>,
    /// The mapping used: every field of the kind.
    pub mapping: Vec<FieldColumn>,
    /// As read from the data or given (`null`: typed dates, or not known yet).
    pub date_order: Option<Dates>,
    /// Examples of dates that could be day/month or month/day: the planner must say which
    /// (nothing else is filled in then).
    pub ambiguous_dates: Option<String>,
    pub rows_read: i64,
    pub rows: i64,
    pub rows_stored: i64,
    pub rows_skipped: i64,
    pub unknown_skus: Vec<String>,
    pub unknown_locations: Vec<String>,
    pub unknown_categories: Vec<String>,
    /// Why the import would be refused (unknown codes and no choice made).
    pub refusal: Option<String>,
    pub created_skus: i64,
    pub created_locations: i64,
    /// The first rows as they will be stored.
    pub preview_columns: Vec<String>,
    pub preview: Vec<Vec<String>>,
    pub months_label: String,
    pub months: Vec<MonthValue>,
}

/// One import batch, as the screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatchView {
    pub id: i64,
    pub kind: String,
    pub file_name: String,
    pub rows_read: i64,
    pub rows_stored: i64,
    pub rows_skipped: i64,
    pub actor: String,
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    pub imported_at: String,
}

impl From<forestock_core::ImportBatch> for BatchView {
    fn from(b: forestock_core::ImportBatch) -> Self {
        BatchView {
            id: b.id,
            kind: b.kind,
            file_name: b.file_name,
            rows_read: b.rows_read,
            rows_stored: b.rows_stored,
            rows_skipped: b.rows_skipped,
            actor: b.actor,
            imported_at: b.imported_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

/// What undoing a batch removed, in words for the screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UndoneView {
    pub batch: BatchView,
    pub summary: String,
}

/// Undo batch `id` ([`super::undo_import`]), described.
pub fn undo_batch(store: &mut Store, stamp: &AuditStamp, id: i64) -> Result<UndoneView> {
    let (b, r) = super::undo_import(store, stamp, id)?;
    let mut parts = Vec::new();
    for (n, what) in [
        (r.demand_rows, "daily rows"),
        (r.stock_rows, "on-hand levels"),
        (r.promotions, "promotions"),
        (r.skus, "SKUs"),
        (r.locations, "locations"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    Ok(UndoneView {
        summary: format!(
            "batch {} ({}) undone: removed {}",
            b.id,
            b.file_name,
            if parts.is_empty() {
                "nothing".to_string()
            } else {
                parts.join(", ")
            }
        ),
        batch: b.into(),
    })
}

/// Read, map, check and preview or import the file `req` names.
pub fn import_file(store: &mut Store, stamp: &AuditStamp, req: &FileRequest) -> Result<FileImport> {
    let path = Path::new(req.path.trim());
    let src = read_source(path)?;
    let kind = ImportKind::from(req.kind);
    let columns: Vec<String> = src
        .head
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut overrides = Vec::new();
    for fc in &req.mapping {
        let field: Field = fc.field.parse()?;
        overrides.push((field, fc.column.clone().filter(|c| !c.is_empty())));
    }
    let opts = HistoryOptions {
        overrides,
        date_order: req.date_order.map(DateOrder::from),
        location: req.location.clone().filter(|l| !l.trim().is_empty()),
    };
    let import = ImportOptions {
        unknown: req.unknown,
        dry_run: req.dry_run,
        currency: "USD".into(),
    };
    let ambiguous = |e: &forestock_files::Error| match e {
        forestock_files::Error::AmbiguousDates { examples } => Some(examples.clone()),
        _ => None,
    };
    let prepared = match kind {
        ImportKind::History => prepare_history(&src, &opts).map(|f| {
            import_history(store, stamp, &f, &import).map(|r| {
                view(r, ["sku", "location", "date", "units"], "units", |d| {
                    vec![
                        d.sku.clone(),
                        d.location.clone(),
                        d.date.to_string(),
                        d.units.to_string(),
                    ]
                })
            })
        }),
        ImportKind::Stock => prepare_stock(&src, &opts).map(|f| {
            import_stock(store, stamp, &f, &import).map(|r| {
                view(
                    r,
                    ["sku", "location", "date", "on_hand"],
                    "days at 0 on hand",
                    |d| {
                        vec![
                            d.sku.clone(),
                            d.location.clone(),
                            d.date.to_string(),
                            d.on_hand.to_string(),
                        ]
                    },
                )
            })
        }),
        ImportKind::Promotions => prepare_promotions(&src, &opts).map(|f| {
            import_promotions(store, stamp, &f, &import).map(|r| {
                view(
                    r,
                    ["sku or category", "location", "days", "discount %"],
                    "promotions starting",
                    |p| {
                        vec![
                            p.sku.clone().unwrap_or_else(|| {
                                format!("category {}", p.category.clone().unwrap_or_default())
                            }),
                            p.location
                                .clone()
                                .unwrap_or_else(|| "every location".into()),
                            format!("{} – {}", p.start, p.end),
                            p.discount_pct.to_string(),
                        ]
                    },
                )
            })
        }),
    };
    let mut out = match prepared {
        Ok(result) => result?,
        Err(e) => match ambiguous(&e) {
            Some(examples) => {
                let mut m = guess(&src.head, kind);
                m.apply(&opts.overrides, &columns)?;
                FileImport {
                    kind: req.kind,
                    outcome: "dry_run".into(),
                    batch: None,
                    file_name: src.name.clone(),
                    format: src.format.to_string(),
                    columns: Vec::new(),
                    mapping: fields(kind, &m),
                    date_order: None,
                    ambiguous_dates: Some(examples),
                    rows_read: count(src.count_rows()?),
                    rows: 0,
                    rows_stored: 0,
                    rows_skipped: 0,
                    unknown_skus: Vec::new(),
                    unknown_locations: Vec::new(),
                    unknown_categories: Vec::new(),
                    refusal: None,
                    created_skus: 0,
                    created_locations: 0,
                    preview_columns: Vec::new(),
                    preview: Vec::new(),
                    months_label: String::new(),
                    months: Vec::new(),
                }
            }
            None => return Err(Error::Files(e)),
        },
    };
    out.kind = req.kind;
    out.columns = columns;
    Ok(out)
}

/// Every field of `kind` with its column in `m`.
fn fields(kind: ImportKind, m: &forestock_files::Mapping) -> Vec<FieldColumn> {
    let required = Field::required(kind);
    Field::of(kind)
        .iter()
        .map(|f| FieldColumn {
            field: f.as_str().to_string(),
            column: m.column(*f).map(str::to_string),
            required: required.contains(f),
        })
        .collect()
}

fn view<R>(
    r: ImportReport<R>,
    preview_columns: [&str; 4],
    months_label: &str,
    cells: impl Fn(&R) -> Vec<String>,
) -> FileImport {
    let (outcome, batch) = match r.outcome {
        Outcome::DryRun => ("dry_run", None),
        Outcome::Imported { batch } => ("imported", Some(batch)),
        Outcome::AlreadyImported { batch } => ("already_imported", Some(batch)),
    };
    FileImport {
        kind: FileKind::History,
        outcome: outcome.into(),
        batch,
        file_name: r.file.name.clone(),
        format: r.file.format.to_string(),
        columns: Vec::new(),
        mapping: fields(r.kind, &r.mapping),
        date_order: r.date_order.map(Dates::from),
        ambiguous_dates: None,
        rows_read: count(r.rows_read),
        rows: count(r.daily_rows),
        rows_stored: count(r.rows_stored),
        rows_skipped: count(r.rows_skipped),
        unknown_skus: r.unknown_skus,
        unknown_locations: r.unknown_locations,
        unknown_categories: r.unknown_categories,
        refusal: r.refusal,
        created_skus: count(r.created_skus),
        created_locations: count(r.created_locations),
        preview_columns: preview_columns.iter().map(|c| c.to_string()).collect(),
        preview: r.preview.iter().map(cells).collect(),
        months_label: months_label.into(),
        months: r
            .months
            .into_iter()
            .map(|MonthTotal { month, units }| MonthValue {
                month,
                value: units,
            })
            .collect(),
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::FrontDoor;

    fn request(path: &Path, kind: FileKind) -> FileRequest {
        FileRequest {
            kind,
            path: path.display().to_string(),
            mapping: Vec::new(),
            date_order: None,
            location: None,
            unknown: Unknown::Create,
            dry_run: true,
        }
    }

    #[test]
    fn ambiguous_dates_are_a_question_and_the_answer_gives_the_preview_then_the_import() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Verkauf.csv");
        std::fs::write(
            &path,
            "Artikel;Filiale;Datum;Menge\nA;WH;01/02/2024;3\nA;WH;02/02/2024;4\n",
        )
        .unwrap();
        let mut store = Store::in_memory().unwrap();
        let stamp = AuditStamp::at(FrontDoor::App, Some("ana"), chrono::Utc::now().naive_utc());
        let mut req = request(&path, FileKind::History);
        let q = import_file(&mut store, &stamp, &req).unwrap();
        assert_eq!(q.ambiguous_dates.as_deref(), Some("01/02/2024, 02/02/2024"));
        assert_eq!(q.mapping[0].column.as_deref(), Some("Artikel"));
        assert!(q.preview.is_empty());
        req.date_order = Some(Dates::Dmy);
        let p = import_file(&mut store, &stamp, &req).unwrap();
        assert_eq!(p.preview[1], ["A", "WH", "2024-02-02", "4"]);
        assert_eq!(
            p.months,
            [MonthValue {
                month: "2024-02".into(),
                value: 7
            }]
        );
        assert_eq!(p.columns, ["Artikel", "Filiale", "Datum", "Menge"]);
        assert!(store.read().import_batches().unwrap().is_empty());
        req.dry_run = false;
        let done = import_file(&mut store, &stamp, &req).unwrap();
        assert_eq!((done.outcome.as_str(), done.batch), ("imported", Some(1)));
        assert_eq!(store.read().import_batches().unwrap()[0].actor, "app:ana");
    }
}
