//! Per store×resource sync state: the cursor of the page being worked through and the
//! updated-at high-water mark of the last complete pass. Saved in the same transaction as
//! the page it describes.

use crate::error::Result;
use chrono::NaiveDateTime;
use forestock_core::{Reader, SyncState, Writer};
use serde::{de::DeserializeOwned, Serialize};

/// The state of one resource, with a typed in-progress cursor.
#[derive(Debug, Clone)]
pub struct ResourceState<C> {
    /// Where an interrupted pass stopped; `None` when no pass is under way.
    pub cursor: Option<C>,
    /// The updated-at mark of the last complete pass (platform format); `None` before the
    /// first complete pass.
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
        "INSERT INTO sync_state (store_id, resource, status, last_error) VALUES (?1, ?2, 'failed', ?3) \
         ON CONFLICT(store_id, resource) DO UPDATE SET status = 'failed', last_error = excluded.last_error",
        rusqlite::params![store_id, resource, error],
    )?;
    Ok(())
}
