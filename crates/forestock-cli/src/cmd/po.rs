//! `forestock po`: purchase orders from approved plan lines — draft, list, show, approve,
//! export (supplier CSV, or printable HTML), receive, cancel. Every change is audited.

use crate::cmd::common::{report, show, Db, Format, OnDb};
use forestock_api::po::{CsvOptions, ExportWhich, Receipt};
use forestock_api::text;
use forestock_core::OutputFile;
use forestock_plan::po::{self, PoStatus};
use std::path::PathBuf;

pub type Args = OnDb<Action>;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Group the latest plan's approved lines into draft POs per supplier and location.
    Draft,
    /// Every purchase order, newest first.
    List,
    /// One purchase order with its lines.
    Show {
        /// PO number (e.g. PO-00001) or id.
        po: String,
    },
    /// Approve a draft PO.
    Approve { po: String },
    /// Cancel a draft or approved PO; a reason is required.
    Cancel {
        po: String,
        #[arg(long)]
        reason: String,
    },
    /// Write approved POs as the supplier's CSV (UTF-8 with a byte order mark so Excel reads
    /// non-ASCII names, header row; free text guarded against spreadsheet formulas) and mark
    /// them exported.
    Export {
        /// One PO (number or id).
        #[arg(
            long,
            conflicts_with = "supplier",
            required_unless_present = "supplier"
        )]
        po: Option<String>,
        /// Every approved PO of this supplier (name or id) in one file.
        #[arg(long)]
        supplier: Option<String>,
        /// The CSV file to write.
        #[arg(long)]
        output: PathBuf,
        /// Replace the CSV file if it exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        options: CsvOptions,
    },
    /// Write a printable HTML page of a PO (does not change its state).
    Html {
        po: String,
        #[arg(long)]
        output: PathBuf,
        /// Replace the HTML file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Record received quantities (partial receipts allowed): --line SKU=QTY, or --all.
    Receive {
        po: String,
        #[arg(long = "line", value_name = "SKU=QTY")]
        lines: Vec<String>,
        /// Receive everything still open.
        #[arg(long, conflicts_with = "lines")]
        all: bool,
        /// The day the goods arrived (YYYY-MM-DD; default today). Receipt dates teach the
        /// supplier's lead time.
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open(db)?;
    match args.action {
        Action::Draft => {
            let pos = forestock_api::po::draft(&mut store, &stamp)?;
            if pos.is_empty() && fmt == Format::Text {
                println!("no approved lines to order: approve lines with `forestock review approve` first");
            }
            report(fmt, &pos)?;
        }
        Action::List => report(fmt, &po::list(&store)?)?,
        Action::Show { po } => report(fmt, &po::find(&store, &po)?)?,
        Action::Approve { po } => {
            let id = po::find(&store, &po)?.id;
            let p = forestock_api::po::set_status(&mut store, &stamp, id, PoStatus::Approved, "")?;
            report(fmt, &p)?;
        }
        Action::Cancel { po, reason } => {
            let id = po::find(&store, &po)?.id;
            let to = PoStatus::Cancelled;
            let p = forestock_api::po::set_status(&mut store, &stamp, id, to, &reason)?;
            report(fmt, &p)?;
        }
        Action::Export {
            po,
            supplier,
            output,
            force,
            options,
        } => {
            let which = match (po, supplier) {
                (Some(p), _) => ExportWhich::Number(p),
                (None, Some(s)) => ExportWhich::Supplier(s),
                (None, None) => return Err(crate::exit::usage("say which PO: --po or --supplier")),
            };
            let out = OutputFile::new(&output, force);
            let pos = forestock_api::po::export_csv(&mut store, &stamp, &which, &out, &options)?;
            show(fmt, &pos, || text::po_export(&output, &pos))?;
        }
        Action::Html { po, output, force } => {
            let out = OutputFile::new(&output, force);
            forestock_api::po::export_html(&store, &po, &out, &[db.path()])?;
            println!("wrote {}", output.display());
        }
        Action::Receive { po, lines, all, on } => {
            let id = po::find(&store, &po)?.id;
            let receipt = match all {
                true => Receipt::Everything,
                false => Receipt::parse_lines(&store, &lines)?,
            };
            let p = forestock_api::po::receive(&mut store, &stamp, id, &receipt, on)?;
            report(fmt, &p)?;
        }
    }
    Ok(())
}
