//! `forestock import history|undo|list`: bring a merchant's own sales history in from CSV,
//! Parquet or JSON lines, as batches that can be listed and undone.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use forestock_api::import::{
    import_history, list_imports, undo_import, ImportOptions, ImportReport, Outcome, Unknown,
};
use forestock_core::Store;
use forestock_files::{prepare_history, read_source, DateOrder, HistoryOptions, Mapping};
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
    /// Remove an import batch as a whole (its units, and the SKUs and locations it created).
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
    /// (fields: sku, location, date, units, on_hand, price, promo, order_id, channel).
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
        What::History(a) => history(a),
        What::Undo { db, batch } => {
            let mut store = open_db(&db.db)?;
            let (b, removed) = undo_import(&mut store, &stamp(), batch)?;
            println!(
                "undid batch {} ({}): removed {} daily rows, {} SKU(s), {} location(s){}",
                b.id,
                b.file_name,
                removed.demand_rows,
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
                    "{:>4}  {}  {:<24} {:>9} rows read {:>9} stored {:>7} skipped  {}  sha256 {}",
                    b.id,
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

fn history(a: HistoryArgs) -> anyhow::Result<()> {
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
    let frame = prepare_history(&src, &opts)?;
    drop(src);
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
    let report = if path.exists() {
        let mut store = open_db(path)?;
        import_history(&mut store, &stamp(), &frame, &import)?
    } else if a.dry_run {
        // A preview for a database not made yet: against an empty catalog, nothing written.
        let mut store = Store::in_memory()?;
        import_history(&mut store, &stamp(), &frame, &import)?
    } else {
        let mut store = Store::create(path)?;
        let result = import_history(&mut store, &stamp(), &frame, &import);
        drop(store);
        if result.is_err() {
            remove_database(path);
        }
        result?
    };
    if a.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
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

fn print_report(r: &ImportReport) {
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
    if !r.unused_columns.is_empty() {
        println!("unused   {}", r.unused_columns.join(", "));
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
    println!(
        "rows     {} read, {} daily SKU x location rows",
        r.rows_read, r.daily_rows
    );
    if !r.unknown_skus.is_empty() || !r.unknown_locations.is_empty() {
        println!(
            "unknown  {} SKU(s): {}; {} location(s): {}",
            r.unknown_skus.len(),
            shorten(&r.unknown_skus),
            r.unknown_locations.len(),
            shorten(&r.unknown_locations)
        );
    }
    if matches!(r.outcome, Outcome::DryRun) {
        println!("\nfirst rows as stored:");
        println!(
            "  {:<20} {:<12} {:<10} {:>8}",
            "sku", "location", "date", "units"
        );
        for row in &r.preview {
            println!(
                "  {:<20} {:<12} {:<10} {:>8}",
                row.sku, row.location, row.date, row.units
            );
        }
        println!("\nunits per month:");
        for m in &r.months {
            println!("  {}  {:>10}", m.month, m.units);
        }
    }
    match r.outcome {
        Outcome::Imported { batch } => println!(
            "imported as batch {batch}: {} daily rows stored, {} skipped, {} SKU(s) and {} location(s) created (undo: forestock import undo {batch})",
            r.rows_stored, r.rows_skipped, r.created_skus, r.created_locations
        ),
        Outcome::AlreadyImported { batch } => {
            println!("already imported as batch {batch}: nothing changed")
        }
        Outcome::DryRun => match &r.refusal {
            Some(why) => println!("\ndry run: the import would be refused: {why}; nothing written"),
            None => println!(
                "\ndry run: {} daily rows would be stored, {} skipped; nothing written",
                r.rows_stored, r.rows_skipped
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
