//! Transfers between locations proposed by the latest plan (`forestock transfers …`, the app's
//! Transfers screen): list, approve or reject, export a CSV per pair of locations. Each action is
//! audited once, in the library, with the stamp.

use crate::{AuditStamp, Result};
use forestock_core::{OutputFile, Store};
use forestock_plan::transfers;

pub use forestock_plan::transfers::{TransferLine, TransferStatus};

/// The transfers of the latest plan, by pair of locations then SKU.
pub fn list(store: &Store) -> Result<Vec<TransferLine>> {
    Ok(transfers::list(store)?)
}

/// Approve transfers, or reject them (a reason is required to reject); returns how many.
pub fn decide(
    store: &mut Store,
    stamp: &AuditStamp,
    ids: &[i64],
    approve: bool,
    reason: &str,
) -> Result<usize> {
    Ok(transfers::decide(
        store,
        ids,
        approve,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// The default file name of the transfer CSV from `from` to `to`.
pub fn export_file_name(from: &str, to: &str) -> String {
    transfers::file_name(from.trim(), to.trim())
}

/// Write the approved transfers from `from` to `to` into `out` and mark them exported.
pub fn export(
    store: &mut Store,
    stamp: &AuditStamp,
    from: &str,
    to: &str,
    out: &OutputFile,
) -> Result<Vec<TransferLine>> {
    Ok(transfers::export_pair(
        store,
        from.trim(),
        to.trim(),
        out,
        &stamp.actor,
        stamp.at,
    )?)
}
