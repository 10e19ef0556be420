//! Pieces shared by the verbs: the database argument, output formats.

use forestock_core::Store;
use std::path::{Path, PathBuf};

/// `--db PATH`: the merchant database. Global within its verb, so it is accepted after a
/// sub-verb too (`forestock po draft --db X`, `forestock review approve --db X …`).
#[derive(clap::Args, Clone)]
pub struct DbArg {
    /// The merchant database file.
    #[arg(
        long,
        global = true,
        default_value = "forestock.db",
        env = "FORESTOCK_DB"
    )]
    pub db: PathBuf,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Open an existing merchant database; a missing file is an error naming the way to make one.
pub fn open_db(path: &Path) -> anyhow::Result<Store> {
    Store::open(path).map_err(|e| match e {
        forestock_core::Error::Missing { .. } => crate::exit::database(format!(
            "database {} does not exist (create the demo merchant with `forestock demo --db {}`)",
            path.display(),
            path.display()
        )),
        e => crate::exit::database(e.to_string()),
    })
}
