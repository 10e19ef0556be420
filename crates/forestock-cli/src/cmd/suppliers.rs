//! `forestock suppliers`: list, suggest (from the store's vendors) and accept, add, edit,
//! merge, delete, assign SKUs in bulk, import and export a supplier catalog CSV. Adapters
//! over `forestock_api::suppliers`; every change is audited there.

use crate::cmd::common::{report, show, Format, OnDb};
use forestock_api::suppliers::{
    self, catalog, AcceptSuggestions, SkuSelection, SkuTerms, SupplierInput,
};
use forestock_core::OutputFile;
use std::path::PathBuf;

pub type Args = OnDb<Action>;

/// A supplier's terms as typed.
#[derive(clap::Args, Clone)]
pub struct Terms {
    /// ISO 4217 currency of its prices (default: the merchant's).
    #[arg(long)]
    currency: Option<String>,
    /// Mean lead time in days.
    #[arg(long)]
    lead_time: Option<f64>,
    /// Lead-time standard deviation in days.
    #[arg(long)]
    lead_time_sd: Option<f64>,
    #[arg(long)]
    moq: Option<i64>,
    #[arg(long)]
    case_pack: Option<i64>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    notes: Option<String>,
}

/// Which SKUs: every given criterion must match; `--sku` adds SKUs by code.
#[derive(clap::Args, Clone)]
pub struct Selection {
    /// The product's vendor (brand, manufacturer), without case.
    #[arg(long)]
    vendor: Option<String>,
    /// The product's category, without case.
    #[arg(long)]
    category: Option<String>,
    /// Text found in the SKU code or title.
    #[arg(long)]
    search: Option<String>,
    /// A SKU code (repeatable).
    #[arg(long = "sku")]
    skus: Vec<String>,
    /// Only SKUs without a supplier yet.
    #[arg(long)]
    unlinked: bool,
}

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
    Accept {
        /// Vendor names to accept (default: all suggestions).
        names: Vec<String>,
        /// Currency of the new suppliers (default: the merchant's).
        #[arg(long)]
        currency: Option<String>,
        /// Lead time of the new suppliers in days (default: the plan settings').
        #[arg(long)]
        lead_time: Option<f64>,
    },
    /// Create a supplier.
    Add {
        name: String,
        #[command(flatten)]
        terms: Terms,
    },
    /// Change a supplier's name or terms (others stay); a reason is required.
    Edit {
        /// Supplier name or id.
        supplier: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        terms: Terms,
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
        selection: Selection,
        /// The supplier's code for the item (one SKU only).
        #[arg(long)]
        supplier_sku: Option<String>,
        #[arg(long)]
        unit_cost: Option<f64>,
        #[arg(long)]
        moq: Option<i64>,
        #[arg(long)]
        case_pack: Option<i64>,
        #[arg(long)]
        lead_time: Option<f64>,
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

impl Terms {
    fn input(self, name: Option<String>) -> SupplierInput {
        SupplierInput {
            name,
            currency: self.currency,
            lead_time_mean_days: self.lead_time,
            lead_time_sd_days: self.lead_time_sd,
            moq: self.moq,
            case_pack: self.case_pack,
            email: self.email,
            notes: self.notes,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open()?;
    match args.action {
        Action::Performance => {
            report(fmt, &forestock_api::po::supplier_report(&store, &stamp)?)?;
        }
        Action::List => report(fmt, &suppliers::list(&store)?)?,
        Action::Suggest => report(fmt, &suppliers::suggest(&store)?)?,
        Action::Accept {
            names,
            currency,
            lead_time,
        } => {
            let r = suppliers::accept(
                &mut store,
                &stamp,
                &AcceptSuggestions {
                    names,
                    currency,
                    lead_time_days: lead_time,
                },
            )?;
            report(fmt, &r)?;
        }
        Action::Add { name, terms } => {
            let new = terms.input(Some(name)).resolve(&store, None)?;
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
            let new = terms.input(name).resolve(&store, Some(&old))?;
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
            supplier_sku,
            unit_cost,
            moq,
            case_pack,
            lead_time,
        } => {
            let s = suppliers::find(&store, &supplier)?;
            let r = suppliers::assign(
                &mut store,
                &stamp,
                s.id,
                &SkuSelection {
                    vendor: selection.vendor,
                    category: selection.category,
                    search: selection.search,
                    skus: selection.skus,
                    unlinked_only: selection.unlinked,
                },
                &SkuTerms {
                    supplier_sku,
                    unit_cost,
                    moq,
                    case_pack,
                    lead_time_days: lead_time,
                },
            )?;
            report(fmt, &r)?;
        }
        Action::Import { input, dry_run } => {
            let bytes = std::fs::read(&input).map_err(|e| {
                crate::exit::reworded(
                    &forestock_core::Error::Invalid {
                        what: "input",
                        detail: e.to_string(),
                    },
                    format!("cannot read {}: {e}", input.display()),
                )
            })?;
            let r = catalog::import(&mut store, &stamp, &bytes, dry_run)?;
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
            let n = catalog::export(&mut store, &stamp, &out, &[&args.db.db])?;
            if fmt == Format::Text {
                println!("wrote {n} rows to {}", output.display());
            }
        }
    }
    Ok(())
}
