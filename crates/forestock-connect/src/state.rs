//! Per store×resource sync state: the cursor of the page being worked through and where the
//! next incremental pass starts (the time the last complete pass began, less
//! [`SINCE_MARGIN`]). Saved in the same transaction as the page it describes.

use crate::error::Result;
use crate::sql;
use chrono::NaiveDateTime;
use forestock_core::{Reader, SyncState, Writer};
use serde::{de::DeserializeOwned, Serialize};

/// The state of one resource, with a typed in-progress cursor.
#[derive(Debug, Clone)]
pub struct ResourceState<C> {
    /// Where an interrupted pass stopped; `None` when no pass is under way.
    pub cursor: Option<C>,
    /// Where the next incremental pass starts (platform format; see [`mark_after_pass`]);
    /// `None` before the first complete pass.
    pub updated_since: Option<String>,
}

pub fn load<C: DeserializeOwned>(
    r: &Reader<'_>,
    store_id: i64,
    resource: &str,
) -> Result<ResourceState<C>> {
    let s = r.sync_state(store_id, resource)?;
    Ok(match s {
        None => ResourceState {
            cursor: None,
            updated_since: None,
        },
        Some(s) => ResourceState {
            // A cursor from an older version that no longer parses restarts the pass.
            cursor: s.cursor.and_then(|c| serde_json::from_str(&c).ok()),
            updated_since: s.updated_since,
        },
    })
}

/// Save progress inside a pass.
pub fn save_cursor<C: Serialize>(
    w: &Writer<'_>,
    store_id: i64,
    resource: &str,
    cursor: &C,
    updated_since: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    w.put_sync_state(&SyncState {
        store_id,
        resource: resource.to_string(),
        cursor: Some(serde_json::to_string(cursor).map_err(forestock_core::Error::from)?),
        updated_since: updated_since.map(str::to_string),
        last_synced_at: Some(now),
        status: "running".into(),
        last_error: None,
    })?;
    Ok(())
}

/// Mark a pass complete with its new high-water mark.
pub fn save_done(
    w: &Writer<'_>,
    store_id: i64,
    resource: &str,
    updated_since: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    w.put_sync_state(&SyncState {
        store_id,
        resource: resource.to_string(),
        cursor: None,
        updated_since: updated_since.map(str::to_string),
        last_synced_at: Some(now),
        status: "ok".into(),
        last_error: None,
    })?;
    Ok(())
}

/// Record a failure without losing the cursor (the next sync resumes from it).
pub fn save_error(w: &Writer<'_>, store_id: i64, resource: &str, error: &str) -> Result<()> {
    w.tx().execute(
        sql::SAVE_ERROR_INSERT_SYNC_STATE,
        rusqlite::params![store_id, resource, error],
    )?;
    Ok(())
}

/// How far before a pass began the next incremental pass starts. A record changed while a
/// pass runs may sit on a page already read; the next pass must still ask for it. Starting
/// from the highest `updated_at` seen would skip it whenever a record on a later page changed
/// after it. The margin covers the clock difference between this machine and the platform
/// and the lag between a change and its appearing in the platform's search index; passes
/// overlap by this much, which is harmless (rows are upserted by external id).
pub const SINCE_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// The high-water mark to store when a pass ends: the time it began minus [`SINCE_MARGIN`],
/// formatted for the platform. `started` is None only for a cursor written by an older
/// version; then the old mark (`fallback`) is kept.
pub fn mark_after_pass(
    started: Option<NaiveDateTime>,
    fallback: Option<String>,
    format: impl Fn(NaiveDateTime) -> String,
) -> Option<String> {
    match started {
        Some(t) => Some(format(t - SINCE_MARGIN)),
        None => fallback,
    }
}
