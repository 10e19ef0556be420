//! Forestock's merchant database: domain types, the SQLite store, migrations and the audit log.
//!
//! One SQLite file holds one merchant. Every connection is opened by [`Store::open`] (WAL,
//! foreign keys, busy timeout) which applies the append-only migrations in one transaction and
//! refuses a file written by a newer version of Forestock. Reads go through [`Reader`], writes
//! through [`Writer`] (a transaction), so mutation shows in signatures.
//!
//! ```no_run
//! use forestock_core::{Store, NewLocation, LocationKind};
//! let mut store = Store::open("merchant.db".as_ref())?;
//! let w = store.write()?;
//! w.insert_location(&NewLocation { code: "WH1".into(), name: "Main warehouse".into(),
//!     kind: LocationKind::Warehouse, store_id: None, external_id: None })?;
//! w.commit()?;
//! println!("{} locations", store.read().locations()?.len());
//! # Ok::<(), forestock_core::Error>(())
//! ```

mod audit;
mod csv_export;
mod db;
mod error;
mod history;
mod import;
mod imported;
mod info;
mod model;
mod output;
mod read;
mod sql;
pub mod sql_check;
mod supplier;
mod write;

pub use audit::{AuditEntry, AuditFilter, AuditNames, AuditStamp, FrontDoor, NewAuditEntry};
pub use csv_export::{csv_writer, guard_text, write_audit_csv, AUDIT_CSV_HEADER, UTF8_BOM};
pub use db::{Reader, Store, Writer, SCHEMA_VERSION};
pub use error::{is_busy, Classify, Error, ErrorKind, Result};
pub use history::{HistoryRow, HistoryWriter, SeriesHistory};
pub use import::{CreatedEntity, ImportBatch, ImportKind, NewImportBatch, RemovedBatch};
pub use info::MerchantInfo;
pub use model::*;
pub use output::OutputFile;
pub use supplier::{MergeCounts, SupplierChange, SupplierPo};
pub use write::date_key;
