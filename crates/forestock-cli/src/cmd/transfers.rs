//! `forestock transfers`: the latest plan's proposed transfers between locations — list,
//! approve or reject, export a transfer CSV per pair of locations. Every change is audited.

use crate::cmd::common::{report, show, Db, OnDb};
use forestock_api::transfers as api;
use forestock_core::OutputFile;
use std::path::PathBuf;

pub type Args = OnDb<Action>;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Every proposed transfer of the latest plan, with its id and status.
    List,
    /// Approve transfers by id.
    Approve {
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Reject transfers by id; a reason is required.
    Reject {
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long)]
        reason: String,
    },
    /// Write the approved transfers from one location to another as CSV (UTF-8 with a byte
    /// order mark; from_location,to_location,sku,title,quantity,reason,plan_transfer_id) and
    /// mark them exported.
    Export {
        /// Location code the stock leaves.
        #[arg(long)]
        from: String,
        /// Location code the stock goes to.
        #[arg(long)]
        to: String,
        /// The CSV file (default: transfer-FROM-to-TO.csv).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut store, stamp, fmt) = args.open(db)?;
    match args.action {
        Action::List => {
            report(fmt, &api::list(&store)?)?;
        }
        Action::Approve { ids } => {
            let n = api::decide(&mut store, &stamp, &ids, true, "")?;
            println!("{n} transfers approved");
        }
        Action::Reject { ids, reason } => {
            let n = api::decide(&mut store, &stamp, &ids, false, &reason)?;
            println!("{n} transfers rejected");
        }
        Action::Export {
            from,
            to,
            output,
            force,
        } => {
            let path = output.unwrap_or_else(|| PathBuf::from(api::export_file_name(&from, &to)));
            let done = api::export(
                &mut store,
                &stamp,
                &from,
                &to,
                &OutputFile::new(&path, force),
            )?;
            show(fmt, &done, || {
                format!("wrote {} transfers to {}\n", done.len(), path.display())
            })?;
        }
    }
    Ok(())
}
