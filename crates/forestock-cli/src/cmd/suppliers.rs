//! `forestock suppliers`: list, suggest (from the store's vendors) and accept, add, edit,
//! merge, delete, assign SKUs in bulk, import and export a supplier catalog CSV. Adapters
//! over `forestock_api::suppliers`; every change is audited there.

use crate::cmd::common::{open_db, stamp, DbArg, Format};
use forestock_api::suppliers::{
    self, catalog, AcceptSuggestions, SkuSelection, SkuTerms, SupplierInput,
};
use forestock_core::OutputFile;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    #[command(subcommand)]
    pub action: Action,
}

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

fn print<T: serde::Serialize>(fmt: Format, value: &T, text: impl FnOnce()) -> anyhow::Result<()> {
    match fmt {
        Format::Json => println!("{}", serde_json::to_string_pretty(value)?),
        Format::Text => text(),
    }
    Ok(())
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut store = open_db(&args.db.db)?;
    let stamp = stamp();
    let fmt = args.format;
    match args.action {
        Action::Performance => {
            let r = forestock_api::po::supplier_report(&store, &stamp)?;
            print(fmt, &r, || {
                println!(
                    "receipts up to {}; a learned lead time needs {} received lines",
                    r.until, r.min_receipts
                );
                for p in &r.suppliers {
                    println!(
                        "{:>4}  {:<28} stated {:>5.1} d  lead time {:>5.1}±{:.1} d ({})  \
                         {:>4} received lines  on time {}{}",
                        p.supplier_id,
                        p.supplier,
                        p.stated_days,
                        p.lead_time_days,
                        p.lead_time_sd_days,
                        if p.learned { "learned" } else { "stated" },
                        p.deliveries,
                        p.on_time_pct
                            .map_or_else(|| "—".to_string(), |x| format!("{x:.0}%")),
                        p.mean_days_late
                            .map_or_else(String::new, |x| format!(", late by {x:.1} d on average")),
                    );
                }
            })?;
        }
        Action::List => {
            let rows = suppliers::list(&store)?;
            print(fmt, &rows, || {
                for r in &rows {
                    let s = &r.supplier;
                    println!(
                        "{:>4}  {:<28} {}  lead {:.0}±{:.0} d  MOQ {}  case {}  {} SKUs{}",
                        s.id,
                        s.name,
                        s.currency,
                        s.lead_time_mean_days,
                        s.lead_time_sd_days,
                        s.moq,
                        s.case_pack,
                        r.skus,
                        if r.open_pos > 0 {
                            format!(", {} open POs", r.open_pos)
                        } else {
                            String::new()
                        }
                    );
                }
                if rows.is_empty() {
                    println!("no suppliers yet: try `forestock suppliers suggest` or `import`");
                }
            })?;
        }
        Action::Suggest => {
            let s = suppliers::suggest(&store)?;
            print(fmt, &s, || {
                for g in &s {
                    println!(
                        "{:<28} {} {} SKUs ({} with a cost): {}",
                        g.name,
                        if g.existing_supplier_id.is_some() {
                            "link to existing,"
                        } else {
                            "new supplier,"
                        },
                        g.skus.len(),
                        g.with_cost,
                        g.skus
                            .iter()
                            .take(5)
                            .map(|k| k.sku.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                            + if g.skus.len() > 5 { ", …" } else { "" }
                    );
                }
                if s.is_empty() {
                    println!("nothing to suggest: every SKU with a vendor has a supplier");
                }
            })?;
        }
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
            print(fmt, &r, || {
                println!(
                    "created {} suppliers ({}), linked {} SKUs",
                    r.created.len(),
                    r.created.join(", "),
                    r.linked
                );
            })?;
        }
        Action::Add { name, terms } => {
            let new = terms.input(Some(name)).resolve(&store, None)?;
            let s = suppliers::create(&mut store, &stamp, &new)?;
            print(fmt, &s, || {
                println!("created supplier {} ({})", s.id, s.name)
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
            print(fmt, &s, || {
                println!("updated supplier {} ({})", s.id, s.name)
            })?;
        }
        Action::Merge { from, into, reason } => {
            let (a, b) = (
                suppliers::find(&store, &from)?,
                suppliers::find(&store, &into)?,
            );
            let r = suppliers::merge(&mut store, &stamp, a.id, b.id, &reason)?;
            print(fmt, &r, || {
                println!(
                    "merged {} into {}: {} SKU links moved ({} already there), {} POs, {} receipts",
                    r.from.name,
                    r.into.name,
                    r.moved.links_moved,
                    r.moved.links_dropped,
                    r.moved.purchase_orders,
                    r.moved.receipts
                );
            })?;
        }
        Action::Delete { supplier, reason } => {
            let s = suppliers::find(&store, &supplier)?;
            let r = suppliers::delete(&mut store, &stamp, s.id, &reason)?;
            print(fmt, &r, || {
                println!(
                    "deleted supplier {} ({}); {} SKU links removed",
                    r.supplier.id, r.supplier.name, r.skus_unlinked
                );
                if !r.skus_without_supplier.is_empty() {
                    println!(
                        "{} SKUs now have no supplier and will show as \"needs a supplier\": {}",
                        r.skus_without_supplier.len(),
                        r.skus_without_supplier.join(", ")
                    );
                }
            })?;
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
            print(fmt, &r, || {
                println!(
                    "{}: {} SKUs linked, {} updated, {} selected",
                    r.supplier,
                    r.linked,
                    r.updated,
                    r.skus.len()
                );
            })?;
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
            print(fmt, &r, || {
                let verb = if r.written {
                    "imported"
                } else {
                    "would import"
                };
                println!(
                    "{verb} {} rows: {} new suppliers{}, {} new links, {} changed, {} unchanged{}",
                    r.rows,
                    r.new_suppliers.len(),
                    if r.new_suppliers.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({})",
                            r.new_suppliers
                                .iter()
                                .map(|s| s.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    r.new_links,
                    r.changed_links,
                    r.unchanged,
                    if r.errors.is_empty() {
                        String::new()
                    } else {
                        format!("; {} bad rows: the file would be refused", r.errors.len())
                    }
                );
            })?;
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
