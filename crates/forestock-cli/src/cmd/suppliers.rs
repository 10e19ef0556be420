//! `forestock suppliers`: list, suggest (from the store's vendors) and accept, add, edit,
//! merge, delete, assign SKUs in bulk, import and export a supplier catalog CSV. Adapters
//! over `forestock_api::suppliers`; every change is audited there.

use crate::cmd::common::{report, show, Db, Format, OnDb};
use forestock_api::suppliers::{
    self, catalog, AcceptSuggestions, SkuSelection, SkuTerms, SupplierInput,
};
use forestock_core::OutputFile;
use std::path::PathBuf;

pub type Args = OnDb<Action>;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Every supplier with its terms and SKU count.
    List,
    /// On-time share and lead time learned from receipts (synced, and those recorded against
    /// purchase orders), against each supplier's stated lead time.
    Performance,
    /// Suppliers suggested from the store's product vendors, brands or manufacturers, for
    /// SKUs without a supplier: what would be created and which SKUs each gets.
    Suggest,
    /// Accept suggestions: create those suppliers and link their SKUs with the synced costs.
    Accept(AcceptSuggestions),
    /// Create a supplier.
    Add {
        name: String,
        #[command(flatten)]
        terms: SupplierInput,
    },
    /// Change a supplier's name or terms (others stay); a reason is required.
    Edit {
        /// Supplier name or id.
        supplier: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        terms: SupplierInput,
        #[arg(long)]
        reason: String,
    },
    /// Merge a supplier into another: SKU links, purchase orders (numbers and states kept),
    /// receipts and plan lines move; the first supplier is removed.
    Merge {
        from: String,
        into: String,
        #[arg(long)]
        reason: String,
    },
    /// Delete a supplier no purchase order names.
    Delete {
        supplier: String,
        #[arg(long)]
        reason: String,
    },
    /// Link SKUs to a supplier in bulk, with per-SKU terms (unset terms follow the supplier).
    Assign {
        supplier: String,
        #[command(flatten)]
        selection: SkuSelection,
        #[command(flatten)]
        terms: SkuTerms,
    },
    /// Import a supplier catalog CSV
    /// (supplier,sku,supplier_sku,unit_cost,currency,moq,case_pack,lead_time_days): all rows
    /// or none; every bad row is named with its line.
    Import {
        input: PathBuf,
        /// Only report what the file would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the supplier catalog CSV (the import's layout).
    Export {
        #[arg(long)]
        output: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open(db)?;
    match args.action {
        Action::Performance => {
            report(fmt, &forestock_api::po::supplier_report(&store, &stamp)?)?;
        }
        Action::List => report(fmt, &suppliers::list(&store)?)?,
        Action::Suggest => report(fmt, &suppliers::suggest(&store)?)?,
        Action::Accept(a) => report(fmt, &suppliers::accept(&mut store, &stamp, &a)?)?,
        Action::Add { name, terms } => {
            let new = SupplierInput {
                name: Some(name),
                ..terms
            };
            let new = new.resolve(&store, None)?;
            let s = suppliers::create(&mut store, &stamp, &new)?;
            show(fmt, &s, || {
                format!("created supplier {} ({})\n", s.id, s.name)
            })?;
        }
        Action::Edit {
            supplier,
            name,
            terms,
            reason,
        } => {
            let old = suppliers::find(&store, &supplier)?;
            let new = SupplierInput { name, ..terms }.resolve(&store, Some(&old))?;
            let s = suppliers::edit(&mut store, &stamp, old.id, &new, &reason)?;
            show(fmt, &s, || {
                format!("updated supplier {} ({})\n", s.id, s.name)
            })?;
        }
        Action::Merge { from, into, reason } => {
            let (a, b) = (
                suppliers::find(&store, &from)?,
                suppliers::find(&store, &into)?,
            );
            report(
                fmt,
                &suppliers::merge(&mut store, &stamp, a.id, b.id, &reason)?,
            )?;
        }
        Action::Delete { supplier, reason } => {
            let s = suppliers::find(&store, &supplier)?;
            report(fmt, &suppliers::delete(&mut store, &stamp, s.id, &reason)?)?;
        }
        Action::Assign {
            supplier,
            selection,
            terms,
        } => {
            let s = suppliers::find(&store, &supplier)?;
            let r = suppliers::assign(&mut store, &stamp, s.id, &selection, &terms)?;
            report(fmt, &r)?;
        }
        Action::Import { input, dry_run } => {
            let r = catalog::import_file(&mut store, &stamp, &input, dry_run)?;
            // Bad rows are listed once, by the error below.
            report(fmt, &r)?;
            if !r.errors.is_empty() {
                return Err(forestock_api::Error::Rows {
                    what: "supplier catalog",
                    rows: r.errors,
                }
                .into());
            }
        }
        Action::Export { output, force } => {
            let out = OutputFile::new(&output, force);
            let n = catalog::export(&mut store, &stamp, &out, &[db.path()])?;
            if fmt == Format::Text {
                println!("wrote {n} rows to {}", output.display());
            }
        }
    }
    Ok(())
}
