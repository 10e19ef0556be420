//! `forestock`: the headless front door to the same library the desktop app uses.
//!
//! Each verb lives in `cmd/<verb>.rs` with its own `Args` and `run`. Exit codes:
//! 0 success, 1 unexpected failure, 2 bad usage or bad input, 3 database problem
//! (missing, corrupt, newer version, another sync of it running), 4 remote service or credentials problem.

mod cmd;
mod exit;
mod prompt;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "forestock",
    version,
    about = "Local-first inventory planning: forecasts, reorder points and purchase orders on your laptop.",
    long_about = "Forestock keeps one SQLite database per merchant. Create the demo merchant with \
`forestock demo`, inspect it with `forestock info`, forecast and plan it, and export purchase orders. \
Every verb that opens a merchant takes --db PATH, anywhere on the command line (default: forestock.db in the current folder, or $FORESTOCK_DB; `forecast` needs one of them or --input, and the file-only verbs `backtest` and `policy-sim` do not use it).\n\n\
Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or input, 3 database problem, 4 remote service or credentials problem."
)]
struct Cli {
    /// The merchant database file, before or after the verb (default: forestock.db for the verbs
    /// that open one; `forecast` needs it or --input; `backtest` and `policy-sim` ignore it).
    #[arg(long, global = true, env = "FORESTOCK_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// Each verb once: its help text, its variant and its module (`cmd::<module>::{Args, run}`).
macro_rules! verbs {
    ($($(#[$attr:meta])* $verb:ident($module:ident),)*) => {
        #[derive(Subcommand)]
        enum Command {
            $($(#[$attr])* $verb(cmd::$module::Args),)*
        }

        // The arms carry the variants' attributes for their `cfg`; their docs say nothing there.
        #[allow(unused_doc_comments)]
        fn run(command: Command, db: &cmd::common::Db) -> anyhow::Result<()> {
            match command {
                $($(#[$attr])* Command::$verb(a) => cmd::$module::run(a, db),)*
            }
        }
    };
}

verbs! {
    /// Create the demo merchant: a seeded, believable shop with 24 months of history.
    Demo(demo),
    /// Show what a merchant database holds: counts, date range, last sync and run.
    Info(info),
    /// Write the daily demand history as long CSV (sku,location,date,units,on_hand,price,promo).
    ExportHistory(export_history),
    /// Typed exports for BI tools: history, forecast, plan, pos or audit as Parquet or CSV.
    Export(export),
    /// Bring your own data: import sales history files as batches (history, undo, list).
    Import(import),
    /// Forecast demand: from the merchant database (stores a versioned run) or a history CSV.
    Forecast(forecast),
    /// Forecast against actual over the last stored forecast runs: WAPE, bias, MASE and p10–p90
    /// coverage per SKU×location, category, supplier or location.
    Accuracy(accuracy),
    /// Rolling-origin backtest of every model on a history CSV, with accuracy per model.
    Backtest(backtest),
    /// Replay the recommended policy over the end of a history CSV against a cover rule.
    PolicySim(policy_sim),
    #[cfg(feature = "sim")]
    /// Serve the merchant as Shopify, BigCommerce, Adobe Commerce and NetSuite on loopback.
    Sim(sim),
    /// Connect a store (Shopify, BigCommerce, Adobe Commerce, NetSuite): secrets go to the OS keychain.
    Connect(connect),
    /// Copy every connected store into the database: products, locations, inventory, orders.
    Sync(sync),
    /// Push approved purchase orders to NetSuite as draft POs (queued in an outbox until sent).
    Push(push),
    /// Plan every active SKU×location: order quantities with rationale, transfers, alerts.
    Plan(plan),
    /// The exceptions of the latest plan (stockout risk, spikes, drift, accuracy, late orders).
    Alerts(alerts),
    /// Review the latest plan: grid, overrides with reason, approve/reject, locks, undo, settings.
    Review(review),
    /// What-if scenarios on the latest plan: create, set, evaluate, compare, apply, discard.
    Scenario(scenario),
    /// The KPI dashboard: inventory value, turns, cover, stockouts and lost sales, excess and
    /// dead stock, service level per week; `--detail KPI` lists a figure's lines.
    Kpis(kpis),
    /// Purchase orders: draft from approved lines, approve, export CSV/HTML, receive.
    Po(po),
    /// Suppliers: list, suggest from the store's vendors, add, edit, merge, delete, assign
    /// SKUs in bulk, import/export a supplier catalog CSV.
    Suppliers(suppliers),
    /// A new merchant: create its database (`setup new`), then see what is still missing
    /// before its first plan (`setup status`).
    Setup(setup),
    /// Transfers between locations proposed by the latest plan: list, approve, reject, export
    /// a CSV per pair of locations.
    Transfers(transfers),
    /// The audit log, newest first: what each entry is about by name and the fields it changed.
    Audit(audit),
    /// One SKU at one location as the app's chart shows it: history, forecast band, past
    /// forecasts, on-hand projection, safety stock, reorder point and the plan's rationale.
    Chart(chart),
    /// The nightly job: sync, forecast, plan, alerts and a notification of the summary;
    /// `install` runs it daily as a user timer.
    Nightly(nightly),
    /// The promotion calendar: list, add, edit, delete planned promotions.
    Promotions(promotions),
    /// Exchange rates for suppliers' currencies (merchant-currency units per 1 unit): list,
    /// set, delete.
    Rates(rates),
    /// Manual forecast overrides: the planner's percentage change or fixed daily quantity for
    /// a SKU or category over a period, with a reason; list, add, edit, delete.
    Overrides(overrides),
    /// Write the latest plan's forecast per SKU back to Shopify / BigCommerce: preview,
    /// approve, push (only after approval; pushing again writes nothing new), status.
    Writeback(writeback),
}

fn main() -> ExitCode {
    exit::quiet_on_broken_pipe();
    let cli = Cli::parse();
    match run(cli.command, &cmd::common::Db(cli.db)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::report(&err),
    }
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks over every verb and sub-verb (e.g. a global `--db` that a
    /// sub-verb also declares would be caught here, not by a user).
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }

    /// `--db` anywhere: before the verb, after it, after a sub-verb.
    #[test]
    fn db_is_taken_before_and_after_the_verb() {
        use clap::Parser;
        for args in [
            &["forestock", "--db", "x.db", "po", "draft"][..],
            &["forestock", "--db=x.db", "info", "--format", "json"],
            &["forestock", "po", "--db", "x.db", "draft"],
            &["forestock", "po", "draft", "--db", "x.db"],
        ] {
            let cli = super::Cli::try_parse_from(args).unwrap();
            assert_eq!(
                cli.db.as_deref(),
                Some(std::path::Path::new("x.db")),
                "{args:?}"
            );
        }
    }
}
