//! Bringing a merchant's own data in (`forestock import history|stock|promotions|undo|list`,
//! the app's Import screen): one function each, one transaction each, one audit entry each.
//!
//! The file is read and checked by `forestock-files` before anything here runs; this layer
//! decides what the database gets: the batch record, SKUs and locations the user chose to
//! create, the daily units ([`import_history`]), the end-of-day levels ([`import_stock`]) or the
//! promotions ([`import_promotions`]). An error anywhere rolls the whole import back.

mod catalog;
mod file;
mod promotions;
mod stock;

pub use file::{
    import_file, undo_batch, BatchView, Dates, FieldColumn, FileImport, FileKind, FileRequest,
    MonthValue, UndoneView,
};
pub use promotions::import_promotions;
pub use stock::import_stock;

use crate::{AuditStamp, Error, Result};
use catalog::Catalog;
use forestock_core::{ImportBatch, ImportKind, NewAuditEntry, NewImportBatch, RemovedBatch, Store};
use forestock_files::{DailyRow, DateOrder, FileInfo, HistoryFrame, Mapping, MonthTotal};
use serde::Serialize;
use std::collections::BTreeSet;

/// What to do with SKUs (and locations) the catalog does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Unknown {
    /// Refuse the import, listing them (the default: a typo must not become a SKU).
    #[default]
    Refuse,
    /// Create them (a SKU's price is its latest price in the file, else 0).
    Create,
    /// Leave their rows out (counted as skipped).
    Skip,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "clap", derive(clap::Args))]
pub struct ImportOptions {
    /// SKUs and locations the catalog does not have: refuse (listing them), create or skip.
    #[cfg_attr(feature = "clap", arg(long, value_enum, default_value = "refuse"))]
    pub unknown: Unknown,
    /// Check and preview only; nothing is written.
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            help = "Show the mapping, the first rows as they would be stored and the \
            totals per month; write nothing."
        )
    )]
    pub dry_run: bool,
    /// The merchant's currency when the database has no merchant yet.
    #[cfg_attr(
        feature = "clap",
        arg(
            long,
            default_value = "USD",
            help = "The merchant's currency, for a database this \
            import creates."
        )
    )]
    pub currency: String,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            unknown: Unknown::Refuse,
            dry_run: false,
            currency: "USD".into(),
        }
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Imported {
        batch: i64,
    },
    /// The same file (by SHA-256) is batch `batch` already: nothing changed.
    AlreadyImported {
        batch: i64,
    },
    DryRun,
}

/// The import's result, or its preview for a dry run; `R` is a row as stored (a day of units,
/// an end-of-day level, a promotion).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport<R = DailyRow> {
    pub kind: ImportKind,
    pub outcome: Outcome,
    pub file: FileInfo,
    pub mapping: Mapping,
    pub unused_columns: Vec<String>,
    pub date_order: Option<DateOrder>,
    pub rows_read: usize,
    /// Rows to store from the file (daily SKU × location rows, levels, promotions), stored
    /// or not.
    pub daily_rows: usize,
    pub rows_stored: usize,
    pub rows_skipped: usize,
    pub unknown_skus: Vec<String>,
    pub unknown_locations: Vec<String>,
    /// Promotion categories no SKU of the catalog has.
    pub unknown_categories: Vec<String>,
    /// Why the import would be refused (a dry run with unknown SKUs and no choice made).
    pub refusal: Option<String>,
    pub created_skus: usize,
    pub created_locations: usize,
    /// The first rows as they are (or would be) stored.
    pub preview: Vec<R>,
    /// Per month: units sold (history), days at 0 on hand (stock), promotions starting
    /// (promotions).
    pub months: Vec<MonthTotal>,
}

/// A stock import's report.
pub type StockReport = ImportReport<forestock_files::StockRow>;
/// A promotion calendar import's report.
pub type PromotionsReport = ImportReport<forestock_files::PromotionRow>;

/// How many daily rows a preview shows.
pub const PREVIEW_ROWS: usize = 10;
/// How many unknown SKUs a refusal names.
const NAMED: usize = 20;

/// Import `frame` (a history file read and checked by `forestock_files`) as one batch.
pub fn import_history(
    store: &mut Store,
    stamp: &AuditStamp,
    frame: &HistoryFrame,
    opts: &ImportOptions,
) -> Result<ImportReport> {
    let mut report = ImportReport {
        preview: frame.rows(0, PREVIEW_ROWS).map_err(files)?,
        months: frame.month_totals().map_err(files)?,
        ..ImportReport::new(
            ImportKind::History,
            &frame.file,
            &frame.mapping,
            &frame.unused,
            frame.date_order,
            frame.rows_read,
            frame.daily.height(),
        )
    };
    let skus = frame.skus().map_err(files)?;
    let locations = frame.locations().map_err(files)?;
    let Some(mut catalog) = triage(store, &mut report, skus, locations, opts)? else {
        return Ok(report);
    };
    if opts.dry_run {
        count_skipped(frame, &mut report, opts)?;
        return Ok(report);
    }

    let w = store.write()?;
    let batch = begin_batch(&w, stamp, &report, &opts.currency)?;
    if opts.unknown == Unknown::Create {
        catalog.create_locations(&w, batch, &report.unknown_locations)?;
        let unknown: BTreeSet<&String> = report.unknown_skus.iter().collect();
        for (code, first_day, price) in frame.sku_summary().map_err(files)? {
            if unknown.contains(&code) {
                let price = price.filter(|p| p.is_finite() && *p >= 0.0).unwrap_or(0.0);
                catalog.create_sku(&w, stamp, batch, &code, first_day, price)?;
            }
        }
        report.created_skus = report.unknown_skus.len();
        report.created_locations = report.unknown_locations.len();
    }
    let (stored, skipped) = store_rows(frame, &catalog, |(v, l), row| {
        w.insert_imported_demand(batch, v, l, row.date, row.units)
    })?;
    finish_batch(w, stamp, batch, &mut report, stored, skipped)?;
    Ok(report)
}

/// A checked file's rows, each naming a SKU and a location by code: what [`count_skipped`]
/// and [`store_rows`] walk for a history or a stock import alike.
trait CodedRows {
    type Row;
    fn codes(row: &Self::Row) -> (&str, &str);
    fn each(
        &self,
        visit: impl FnMut(Self::Row) -> forestock_files::Result<()>,
    ) -> forestock_files::Result<()>;
}

impl CodedRows for HistoryFrame {
    type Row = DailyRow;
    fn codes(row: &DailyRow) -> (&str, &str) {
        (&row.sku, &row.location)
    }
    fn each(
        &self,
        visit: impl FnMut(DailyRow) -> forestock_files::Result<()>,
    ) -> forestock_files::Result<()> {
        self.for_each_row(visit)
    }
}

impl CodedRows for forestock_files::StockFrame {
    type Row = forestock_files::StockRow;
    fn codes(row: &Self::Row) -> (&str, &str) {
        (&row.sku, &row.location)
    }
    fn each(
        &self,
        visit: impl FnMut(Self::Row) -> forestock_files::Result<()>,
    ) -> forestock_files::Result<()> {
        self.for_each_row(visit)
    }
}

/// A dry run's counts: rows of unknown SKUs or locations are skipped unless they would be
/// created. (`unknown_skus` and `unknown_locations` are sorted.)
fn count_skipped<F: CodedRows, R>(
    frame: &F,
    report: &mut ImportReport<R>,
    opts: &ImportOptions,
) -> Result<()> {
    if opts.unknown != Unknown::Create {
        let skus: BTreeSet<&str> = report.unknown_skus.iter().map(String::as_str).collect();
        let locations: BTreeSet<&str> = report
            .unknown_locations
            .iter()
            .map(String::as_str)
            .collect();
        let mut skipped = 0;
        frame
            .each(|row| {
                let (sku, location) = F::codes(&row);
                if skus.contains(sku) || locations.contains(location) {
                    skipped += 1;
                }
                Ok(())
            })
            .map_err(files)?;
        report.rows_skipped = skipped;
    }
    report.rows_stored = report.daily_rows - report.rows_skipped;
    Ok(())
}

/// Store every row whose SKU and location the catalog knows (by `insert`, given their ids);
/// the others are skipped. Returns (stored, skipped); the first write error stops the walk.
fn store_rows<F: CodedRows>(
    frame: &F,
    catalog: &Catalog,
    mut insert: impl FnMut((i64, i64), &F::Row) -> forestock_core::Result<()>,
) -> Result<(usize, usize)> {
    let (mut stored, mut skipped) = (0usize, 0usize);
    let mut write_error = None;
    frame
        .each(|row| {
            let (sku, location) = F::codes(&row);
            match catalog.ids(sku, location) {
                Some(ids) => {
                    if let Err(e) = insert(ids, &row) {
                        write_error = Some(e);
                        return Err(forestock_files::Error::Mapping("stopped".into()));
                    }
                    stored += 1;
                }
                None => skipped += 1,
            }
            Ok(())
        })
        .map_err(|e| match write_error.take() {
            Some(db) => Error::Core(db),
            None => files(e),
        })?;
    Ok((stored, skipped))
}

impl<R> ImportReport<R> {
    /// A report of a file about to be imported: what it is, nothing stored yet.
    fn new(
        kind: ImportKind,
        file: &FileInfo,
        mapping: &Mapping,
        unused: &[String],
        date_order: Option<DateOrder>,
        rows_read: usize,
        rows: usize,
    ) -> Self {
        ImportReport {
            kind,
            outcome: Outcome::DryRun,
            file: file.clone(),
            mapping: mapping.clone(),
            unused_columns: unused.to_vec(),
            date_order,
            rows_read,
            daily_rows: rows,
            rows_stored: 0,
            rows_skipped: 0,
            unknown_skus: Vec::new(),
            unknown_locations: Vec::new(),
            unknown_categories: Vec::new(),
            refusal: None,
            created_skus: 0,
            created_locations: 0,
            preview: Vec::new(),
            months: Vec::new(),
        }
    }
}

/// What every import checks before writing: the same file already imported as this kind
/// (then nothing changes), and codes the catalog does not have (refused, or previewed with the
/// refusal). `None`: the report is final. The caller fills `unknown_categories` first.
fn triage<R>(
    store: &Store,
    report: &mut ImportReport<R>,
    skus: Vec<String>,
    locations: Vec<String>,
    opts: &ImportOptions,
) -> Result<Option<Catalog>> {
    if let Some(found) = store
        .read()
        .import_batch_by_hash(report.kind, &report.file.sha256)?
    {
        report.outcome = Outcome::AlreadyImported { batch: found.id };
        return Ok(None);
    }
    let catalog = Catalog::read(store)?;
    report.unknown_skus = catalog.unknown_skus(skus);
    report.unknown_locations = catalog.unknown_locations(locations);
    let unknown = !report.unknown_skus.is_empty()
        || !report.unknown_locations.is_empty()
        || !report.unknown_categories.is_empty();
    if unknown && opts.unknown == Unknown::Refuse {
        if !opts.dry_run {
            return Err(Error::Invalid(refusal(report)));
        }
        report.refusal = Some(refusal(report));
        return Ok(None);
    }
    Ok(Some(catalog))
}

/// The batch record (and the merchant, for a database the import creates).
fn begin_batch<R>(
    w: &forestock_core::Writer<'_>,
    stamp: &AuditStamp,
    report: &ImportReport<R>,
    currency: &str,
) -> Result<i64> {
    catalog::ensure_merchant(w, stamp, currency)?;
    Ok(w.insert_import_batch(&NewImportBatch {
        kind: report.kind,
        file_name: report.file.name.clone(),
        sha256: report.file.sha256.clone(),
        format: json(&report.file.format)?,
        mapping: json(&report.mapping)?,
        rows_read: count(report.rows_read),
        rows_stored: 0,
        rows_skipped: 0,
        actor: stamp.actor.clone(),
        imported_at: stamp.at,
    })?)
}

/// The batch's counts, its one audit entry (`import.history|stock|promotions`), the commit.
fn finish_batch<R>(
    w: forestock_core::Writer<'_>,
    stamp: &AuditStamp,
    batch: i64,
    report: &mut ImportReport<R>,
    stored: usize,
    skipped: usize,
) -> Result<()> {
    w.set_import_counts(batch, count(stored), count(skipped))?;
    report.rows_stored = stored;
    report.rows_skipped = skipped;
    report.outcome = Outcome::Imported { batch };
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: format!("import.{}", report.kind.as_str()),
        entity: "import_batch".into(),
        entity_id: batch.to_string(),
        before: None,
        after: Some(serde_json::json!({
            "file": report.file.name, "sha256": report.file.sha256,
            "format": report.file.format, "mapping": report.mapping,
            "rows_read": report.rows_read, "rows_stored": stored, "rows_skipped": skipped,
            "created_skus": report.created_skus, "created_locations": report.created_locations,
        })),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(())
}

/// Remove batch `id` as a whole (its daily units, levels or promotions, and the SKUs and
/// locations it created that nothing else uses), audited with the batch as it was.
pub fn undo_import(
    store: &mut Store,
    stamp: &AuditStamp,
    id: i64,
) -> Result<(ImportBatch, RemovedBatch)> {
    let w = store.write()?;
    let (batch, removed) = w.delete_import_batch(id)?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "import.undo".into(),
        entity: "import_batch".into(),
        entity_id: id.to_string(),
        before: Some(json(&batch)?),
        after: Some(json(&removed)?),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok((batch, removed))
}

/// Every import batch, newest first.
pub fn list_imports(store: &Store) -> Result<Vec<ImportBatch>> {
    Ok(store.read().import_batches()?)
}

fn refusal<R>(report: &ImportReport<R>) -> String {
    let mut parts = Vec::new();
    for (what, list) in [
        ("SKU", &report.unknown_skus),
        ("location", &report.unknown_locations),
        ("category", &report.unknown_categories),
    ] {
        if list.is_empty() {
            continue;
        }
        let mut named: Vec<&str> = list.iter().take(NAMED).map(String::as_str).collect();
        let more = list.len().saturating_sub(NAMED);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        named.sort_unstable();
        let whose = if what == "category" {
            " of any SKU"
        } else {
            ""
        };
        parts.push(format!(
            "{} {what}(s) not in the catalog{whose}: {}{more}",
            list.len(),
            named.join(", ")
        ));
    }
    format!(
        "{}; import again with --unknown create to create them or --unknown skip to leave their \
         rows out",
        parts.join("; ")
    )
}

fn files(e: forestock_files::Error) -> Error {
    Error::Files(e)
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value> {
    serde_json::to_value(v).map_err(|e| Error::Core(forestock_core::Error::Json(e)))
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{AuditFilter, Classify, ErrorKind, FrontDoor};
    use forestock_files::{prepare_history, read_source, HistoryOptions};

    fn frame(text: &str) -> HistoryFrame {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sales.csv");
        std::fs::write(&path, text).unwrap();
        prepare_history(&read_source(&path).unwrap(), &HistoryOptions::default()).unwrap()
    }

    fn stamp() -> AuditStamp {
        AuditStamp::at(FrontDoor::Cli, Some("ana"), chrono::Utc::now().naive_utc())
    }

    /// Store with SKU `A` at location `WH`, from a first import.
    fn store_with_a() -> Store {
        let mut store = Store::in_memory().unwrap();
        let opts = ImportOptions {
            unknown: Unknown::Create,
            ..ImportOptions::default()
        };
        let f = frame("sku,location,date,units\nA,WH,2024-01-01,1\n");
        import_history(&mut store, &stamp(), &f, &opts).unwrap();
        store
    }

    fn counts(store: &Store) -> (usize, usize, usize) {
        let r = store.read();
        (
            r.import_batches().unwrap().len(),
            r.skus().unwrap().len(),
            r.audit_entries(&AuditFilter::default()).unwrap().len(),
        )
    }

    #[test]
    fn unknown_skus_are_refused_by_default_naming_them_and_nothing_is_written() {
        let mut store = store_with_a();
        let before = counts(&store);
        let f = frame(
            "sku,location,date,units\nA,WH,2024-01-02,2\nB9,WH,2024-01-02,1\nC7,WH,2024-01-02,1\n",
        );
        let e = import_history(&mut store, &stamp(), &f, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        let text = e.to_string();
        assert!(
            text.contains("2 SKU(s) not in the catalog: B9, C7"),
            "{text}"
        );
        assert!(
            text.contains("--unknown create") && text.contains("--unknown skip"),
            "{text}"
        );
        assert_eq!(counts(&store), before);
    }

    #[test]
    fn skip_leaves_the_rows_of_unknown_skus_out_and_counts_them() {
        let mut store = store_with_a();
        let f = frame(
            "sku,location,date,units\nA,WH,2024-01-02,2\nB9,WH,2024-01-02,1\nB9,WH,2024-01-03,4\n",
        );
        let opts = ImportOptions {
            unknown: Unknown::Skip,
            ..ImportOptions::default()
        };
        let r = import_history(&mut store, &stamp(), &f, &opts).unwrap();
        assert_eq!((r.rows_stored, r.rows_skipped, r.created_skus), (1, 2, 0));
        let Outcome::Imported { batch } = r.outcome else {
            panic!("{:?}", r.outcome)
        };
        let b = store.read().import_batch(batch).unwrap();
        assert_eq!((b.rows_read, b.rows_stored, b.rows_skipped), (3, 1, 2));
        assert_eq!(b.actor, "cli:ana");
        let audit = store
            .read()
            .audit_entries(&AuditFilter {
                action: Some("import.history".into()),
                ..AuditFilter::default()
            })
            .unwrap();
        assert_eq!(audit.len(), 2);
        assert_eq!(audit[0].entity_id, batch.to_string());
    }

    #[test]
    fn a_dry_run_previews_the_stored_rows_and_month_totals_and_writes_nothing() {
        let mut store = store_with_a();
        let before = counts(&store);
        let f = frame(
            "sku,location,date,units\nA,WH,2024-01-31,2\nA,WH,2024-02-01,5\nB9,WH,2024-02-02,1\n",
        );
        let opts = ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        };
        let r = import_history(&mut store, &stamp(), &f, &opts).unwrap();
        assert_eq!(r.outcome, Outcome::DryRun);
        assert_eq!(r.unknown_skus, ["B9"]);
        assert!(r.refusal.unwrap().contains("--unknown create"));
        let skip = ImportOptions {
            unknown: Unknown::Skip,
            ..opts.clone()
        };
        let r = import_history(&mut store, &stamp(), &f, &skip).unwrap();
        assert_eq!((r.rows_stored, r.rows_skipped), (2, 1));
        let months: Vec<(&str, i64)> = r
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.units))
            .collect();
        assert_eq!(months, [("2024-01", 2), ("2024-02", 6)]);
        assert_eq!(r.preview[0].units, 2);
        assert_eq!(counts(&store), before);
    }
}
