//! `forestock import history|stock|promotions|undo|list`: bring a merchant's own sales
//! history, on-hand snapshots and promotion calendars in from CSV, Parquet or JSON lines, as
//! batches that can be listed and undone.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use forestock_api::import::{
    import_history, import_promotions, import_stock, list_imports, undo_import, ImportOptions,
    ImportReport, Outcome, Unknown,
};
use forestock_core::Store;
use forestock_files::{
    prepare_history, prepare_promotions, prepare_stock, read_source, DateOrder, HistoryOptions,
    Mapping, SourceFile,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

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
            let r = import_history(store, &stamp(), &frame, import)?;
            Ok(Printed::new(r, |row| {
                vec![
                    row.sku.clone(),
                    row.location.clone(),
                    row.date.to_string(),
                    row.units.to_string(),
                ]
            }))
        }),
        What::Stock(a) => import(a, |store, opts, src, import| {
            let frame = prepare_stock(&src, opts)?;
            drop(src); // the file's columns are not needed while storing
            let r = import_stock(store, &stamp(), &frame, import)?;
            Ok(Printed::new(r, |row| {
                vec![
                    row.sku.clone(),
                    row.location.clone(),
                    row.date.to_string(),
                    row.on_hand.to_string(),
                ]
            }))
        }),
        What::Promotions(a) => import(a, |store, opts, src, import| {
            let frame = prepare_promotions(&src, opts)?;
            drop(src); // the file's columns are not needed while storing
            let r = import_promotions(store, &stamp(), &frame, import)?;
            Ok(Printed::new(r, |row| {
                vec![
                    row.sku.clone().unwrap_or_else(|| {
                        format!("category {}", row.category.clone().unwrap_or_default())
                    }),
                    row.location.clone().unwrap_or_else(|| "all".into()),
                    format!("{}..{}", row.start, row.end),
                    format!("{}%", row.discount_pct),
                ]
            }))
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
        What::List { db, format } => {
            let store = open_db(&db.db)?;
            let batches = list_imports(&store)?;
            if format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&batches)?);
                return Ok(());
            }
            if batches.is_empty() {
                println!("no imports");
            }
            for b in batches {
                println!(
                    "{:>4}  {:<10} {}  {:<24} {:>9} rows read {:>9} stored {:>7} skipped  {}  sha256 {}",
                    b.id,
                    b.kind,
                    b.imported_at.format("%Y-%m-%d %H:%M:%S"),
                    b.file_name,
                    b.rows_read,
                    b.rows_stored,
                    b.rows_skipped,
                    b.actor,
                    &b.sha256[..12.min(b.sha256.len())]
                );
            }
            Ok(())
        }
    }
}

/// A report ready to print: the api's report as JSON, and its preview rows as cells.
struct Printed {
    json: serde_json::Value,
    head: ReportHead,
    preview: Vec<Vec<String>>,
}

/// What every kind of report says, for the text output.
struct ReportHead {
    kind: forestock_core::ImportKind,
    outcome: Outcome,
    file: forestock_files::FileInfo,
    mapping: Mapping,
    unused: Vec<String>,
    date_order: Option<DateOrder>,
    rows_read: usize,
    rows: usize,
    stored: usize,
    skipped: usize,
    unknown: [(&'static str, Vec<String>); 3],
    refusal: Option<String>,
    created: (usize, usize),
    months: Vec<forestock_files::MonthTotal>,
}

impl Printed {
    fn new<R: Serialize>(r: ImportReport<R>, cells: impl Fn(&R) -> Vec<String>) -> Printed {
        Printed {
            json: serde_json::to_value(&r).unwrap_or_default(),
            preview: r.preview.iter().map(cells).collect(),
            head: ReportHead {
                kind: r.kind,
                outcome: r.outcome,
                file: r.file,
                mapping: r.mapping,
                unused: r.unused_columns,
                date_order: r.date_order,
                rows_read: r.rows_read,
                rows: r.daily_rows,
                stored: r.rows_stored,
                skipped: r.rows_skipped,
                unknown: [
                    ("SKU(s)", r.unknown_skus),
                    ("location(s)", r.unknown_locations),
                    ("categories", r.unknown_categories),
                ],
                refusal: r.refusal,
                created: (r.created_skus, r.created_locations),
                months: r.months,
            },
        }
    }
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
    let path = &a.db.db;
    let printed = if path.exists() {
        let mut store = open_db(path)?;
        run(&mut store, &opts, src, &import)?
    } else if a.dry_run {
        // A preview for a database not made yet: against an empty catalog, nothing written.
        let mut store = Store::in_memory()?;
        run(&mut store, &opts, src, &import)?
    } else {
        let mut store = Store::create(path)?;
        let result = run(&mut store, &opts, src, &import);
        drop(store);
        if result.is_err() {
            remove_database(path);
        }
        result?
    };
    if a.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&printed.json)?);
    } else {
        print_report(&printed);
    }
    Ok(())
}

/// A database this command created and whose import failed is removed: "nothing written".
fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        let _ignored_if_absent = std::fs::remove_file(PathBuf::from(p));
    }
}

fn print_report(p: &Printed) {
    let r = &p.head;
    println!(
        "file     {} ({}, sha256 {})",
        r.file.name,
        r.file.format,
        &r.file.sha256[..12]
    );
    let mapping: Vec<String> = r
        .mapping
        .0
        .iter()
        .map(|(f, c)| format!("{}={c}", f.as_str()))
        .collect();
    println!("mapping  {}", mapping.join(","));
    if !r.unused.is_empty() {
        println!("unused   {}", r.unused.join(", "));
    }
    if let Some(o) = r.date_order {
        println!(
            "dates    {}",
            serde_json::to_value(o)
                .map(|v| v.to_string())
                .unwrap_or_default()
                .trim_matches('"')
        );
    }
    let (rows, columns, per_month) = match r.kind {
        forestock_core::ImportKind::History => (
            "daily SKU x location rows",
            ["sku", "location", "date", "units"],
            "units per month",
        ),
        forestock_core::ImportKind::Stock => (
            "daily on-hand levels",
            ["sku", "location", "date", "on_hand"],
            "days at 0 on hand per month",
        ),
        forestock_core::ImportKind::Promotions => (
            "promotions",
            ["sku or category", "location", "days", "discount"],
            "promotions starting per month",
        ),
    };
    println!("rows     {} read, {} {rows}", r.rows_read, r.rows);
    for (what, list) in &r.unknown {
        if !list.is_empty() {
            println!("unknown  {} {what}: {}", list.len(), shorten(list));
        }
    }
    if matches!(r.outcome, Outcome::DryRun) {
        println!("\nfirst rows as stored:");
        println!(
            "  {:<20} {:<12} {:<22} {:>8}",
            columns[0], columns[1], columns[2], columns[3]
        );
        for row in &p.preview {
            if let [a, b, c, d] = row.as_slice() {
                println!("  {a:<20} {b:<12} {c:<22} {d:>8}");
            }
        }
        println!("\n{per_month}:");
        for m in &r.months {
            println!("  {}  {:>10}", m.month, m.units);
        }
    }
    match r.outcome {
        Outcome::Imported { batch } => println!(
            "imported as batch {batch}: {} {rows} stored, {} skipped, {} SKU(s) and {} location(s) created (undo: forestock import undo {batch})",
            r.stored, r.skipped, r.created.0, r.created.1
        ),
        Outcome::AlreadyImported { batch } => {
            println!("already imported as batch {batch}: nothing changed")
        }
        Outcome::DryRun => match &r.refusal {
            Some(why) => println!("\ndry run: the import would be refused: {why}; nothing written"),
            None => println!(
                "\ndry run: {} {rows} would be stored, {} skipped; nothing written",
                r.stored, r.skipped
            ),
        },
    }
}

fn shorten(list: &[String]) -> String {
    let mut s: Vec<&str> = list.iter().take(10).map(String::as_str).collect();
    if list.len() > 10 {
        s.push("…");
    }
    s.join(", ")
}
