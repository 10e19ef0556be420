//! `forestock import history|stock|promotions|undo|list`: bring a merchant's own sales
//! history, on-hand snapshots and promotion calendars in from CSV, Parquet or JSON lines, as
//! batches that can be listed and undone.

use crate::cmd::common::{report, show, stamp, Db, Format, Sub};
use forestock_api::import::{
    import_history, import_promotions, import_stock, list_imports, undo_import, ImportOptions,
    ImportReport,
};
use forestock_api::merchants::with_database;
use forestock_api::text::{self, ImportPreview};
use forestock_core::{AuditStamp, Store};
use forestock_files::{
    prepare_history, prepare_promotions, prepare_stock, read_source, DateOrder, HistoryOptions,
    Mapping, SourceFile,
};
use serde::Serialize;
use std::path::PathBuf;

pub type Args = Sub<What>;

#[derive(clap::Subcommand)]
pub enum What {
    /// Import a sales history file (daily totals or order lines) as one batch; the same file
    /// twice changes nothing. Creates the database if it does not exist.
    History(HistoryArgs),
    /// Import end-of-day on-hand levels (`sku, location, date, on_hand`) as one batch: a day
    /// at 0 with no sale is then a stockout for forecasting, not a day without demand.
    Stock(HistoryArgs),
    /// Import a promotion calendar (`sku` or `category`, `start`, `end`, `discount` in
    /// percent; optional `location`, `name`) as one batch: planned promotions raise the
    /// forecast on their days by the lift past promotions showed.
    Promotions(HistoryArgs),
    /// Remove an import batch as a whole (its rows, and the SKUs and locations it created).
    Undo {
        /// The batch number (`forestock import list`).
        batch: i64,
    },
    /// The import batches, newest first.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(clap::Args)]
pub struct HistoryArgs {
    /// The file: CSV (any delimiter; UTF-8, UTF-16 or Latin-1), Parquet or JSON lines.
    file: PathBuf,
    /// Columns for fields, over the guess: `sku=Artikel,units=Menge,date=Datum,location=Lager`
    /// (history: sku, location, date, units, on_hand, price, promo, order_id, channel; stock:
    /// sku, location, date, on_hand; promotions: sku, category, location, start, end,
    /// discount, name).
    #[arg(long)]
    mapping: Option<String>,
    /// The order of day, month and year in text dates, when the data does not tell.
    #[arg(long, value_enum)]
    date_format: Option<DateOrder>,
    /// The location code of every row, for a file without a location column.
    #[arg(long)]
    location: Option<String>,
    #[command(flatten)]
    import: ImportOptions,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    match args.action {
        What::History(a) => import(a, db, prepare_history, import_history),
        What::Stock(a) => import(a, db, prepare_stock, import_stock),
        What::Promotions(a) => import(a, db, prepare_promotions, import_promotions),
        What::Undo { batch } => {
            let mut store = db.open()?;
            let (b, removed) = undo_import(&mut store, &stamp(), batch)?;
            print!("{}", text::import_undone(&b, &removed));
            Ok(())
        }
        What::List { format } => report(format, &list_imports(&db.open()?)?),
    }
}

/// Read and check the file whole, then `prepare` its rows and `store` them as one batch.
fn import<F, R: Serialize + ImportPreview>(
    a: HistoryArgs,
    db: &Db,
    prepare: fn(&SourceFile, &HistoryOptions) -> forestock_files::Result<F>,
    store: fn(
        &mut Store,
        &AuditStamp,
        &F,
        &ImportOptions,
    ) -> forestock_api::Result<ImportReport<R>>,
) -> anyhow::Result<()> {
    // The file is read and checked whole before the database is touched.
    let src = read_source(&a.file)?;
    let opts = HistoryOptions {
        overrides: match &a.mapping {
            Some(m) => Mapping::parse_overrides(m)?,
            None => Vec::new(),
        },
        date_order: a.date_format,
        location: a.location.clone(),
    };
    // A preview of a database not made yet is against an empty catalog; a database this
    // import made is removed if it fails ("nothing written").
    let (dry_run, import) = (a.import.dry_run, &a.import);
    let report = with_database(db.path(), dry_run, |db| {
        let frame = prepare(&src, &opts)?;
        drop(src); // the file's columns are not needed while storing
        anyhow::Ok(store(db, &stamp(), &frame, import)?)
    })?;
    show(a.format, &report, || text::import_report(&report))
}
