//! `forestock import history|stock|promotions|undo|list`: bring a merchant's own sales
//! history, on-hand snapshots and promotion calendars in from CSV, Parquet or JSON lines, as
//! batches that can be listed and undone.

use crate::cmd::common::{open_db, report, show, stamp, DbArg, Format};
use forestock_api::import::{
    import_history, import_promotions, import_stock, list_imports, undo_import, ImportOptions,
    ImportReport, Unknown,
};
use forestock_api::merchants::with_database;
use forestock_api::text::{self, ImportPreview};
use forestock_core::Store;
use forestock_files::{
    prepare_history, prepare_promotions, prepare_stock, read_source, DateOrder, HistoryOptions,
    Mapping, SourceFile,
};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
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
        #[command(flatten)]
        db: DbArg,
        /// The batch number (`forestock import list`).
        batch: i64,
    },
    /// The import batches, newest first.
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum DateFormat {
    Dmy,
    Mdy,
    Ymd,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
enum UnknownArg {
    Refuse,
    Create,
    Skip,
}

#[derive(clap::Args)]
struct HistoryArgs {
    #[command(flatten)]
    db: DbArg,
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
    date_format: Option<DateFormat>,
    /// The location code of every row, for a file without a location column.
    #[arg(long)]
    location: Option<String>,
    /// Show the mapping, the first rows as they would be stored and the totals per month;
    /// write nothing.
    #[arg(long)]
    dry_run: bool,
    /// SKUs and locations the catalog does not have: refuse (listing them), create or skip.
    #[arg(long, value_enum, default_value = "refuse")]
    unknown: UnknownArg,
    /// The merchant's currency, for a database this import creates.
    #[arg(long, default_value = "USD")]
    currency: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    match args.what {
        What::History(a) => import(a, |store, opts, src, import| {
            let frame = prepare_history(&src, opts)?;
            drop(src); // the file's columns are not needed while storing
            printed(&import_history(store, &stamp(), &frame, import)?)
        }),
        What::Stock(a) => import(a, |store, opts, src, import| {
            let frame = prepare_stock(&src, opts)?;
            drop(src); // the file's columns are not needed while storing
            printed(&import_stock(store, &stamp(), &frame, import)?)
        }),
        What::Promotions(a) => import(a, |store, opts, src, import| {
            let frame = prepare_promotions(&src, opts)?;
            drop(src); // the file's columns are not needed while storing
            printed(&import_promotions(store, &stamp(), &frame, import)?)
        }),
        What::Undo { db, batch } => {
            let mut store = open_db(&db.db)?;
            let (b, removed) = undo_import(&mut store, &stamp(), batch)?;
            println!(
                "undid {} batch {} ({}): removed {} daily rows, {} on-hand levels, {} promotions, \
                 {} SKU(s), {} location(s){}",
                b.kind,
                b.id,
                b.file_name,
                removed.demand_rows,
                removed.stock_rows,
                removed.promotions,
                removed.skus,
                removed.locations,
                if removed.kept > 0 {
                    format!("; kept {} that other data uses", removed.kept)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        What::List { db, format } => report(format, &list_imports(&open_db(&db.db)?)?),
    }
}

/// A report ready to print: the api's report as JSON, and as text.
struct Printed {
    json: serde_json::Value,
    text: String,
}

fn printed<R: Serialize + ImportPreview>(r: &ImportReport<R>) -> anyhow::Result<Printed> {
    Ok(Printed {
        json: serde_json::to_value(r)?,
        text: text::import_report(r),
    })
}

type Importer =
    fn(&mut Store, &HistoryOptions, SourceFile, &ImportOptions) -> anyhow::Result<Printed>;

fn import(a: HistoryArgs, run: Importer) -> anyhow::Result<()> {
    // The file is read and checked whole before the database is touched.
    let src = read_source(&a.file)?;
    let opts = HistoryOptions {
        overrides: match &a.mapping {
            Some(m) => Mapping::parse_overrides(m)?,
            None => Vec::new(),
        },
        date_order: a.date_format.map(|f| match f {
            DateFormat::Dmy => DateOrder::Dmy,
            DateFormat::Mdy => DateOrder::Mdy,
            DateFormat::Ymd => DateOrder::Ymd,
        }),
        location: a.location.clone(),
    };
    let import = ImportOptions {
        unknown: match a.unknown {
            UnknownArg::Refuse => Unknown::Refuse,
            UnknownArg::Create => Unknown::Create,
            UnknownArg::Skip => Unknown::Skip,
        },
        dry_run: a.dry_run,
        currency: a.currency.clone(),
    };
    // A preview of a database not made yet is against an empty catalog; a database this
    // import made is removed if it fails ("nothing written").
    let printed = with_database(&a.db.db, a.dry_run, |store| run(store, &opts, src, &import))?;
    show(a.format, &printed.json, || printed.text)
}
