//! The append-only audit log: who did what, when, before/after, and why.

use crate::db::{Reader, Writer};
use crate::error::{Error, Result};
use crate::sql;
use chrono::NaiveDateTime;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The door an audited action came in by. Part of the actor, so the log says whether the
/// planner acted from the command line or the app (and automatic work still names the person
/// who started it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontDoor {
    Cli,
    App,
}

impl FrontDoor {
    fn prefix(self) -> &'static str {
        match self {
            FrontDoor::Cli => "cli",
            FrontDoor::App => "app",
        }
    }
}

/// Who and when, for every audit entry: one scheme for the actor (`<door>:<os user>`, or just
/// `<door>` when the OS does not say who) and `at` always in UTC. Built once per action at the
/// front door ([`AuditStamp::now`]); the libraries take its parts as arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditStamp {
    pub actor: String,
    /// UTC, whatever the machine's time zone.
    pub at: NaiveDateTime,
}

impl AuditStamp {
    /// The stamp for an action happening now, by the OS user (`USER`, else `USERNAME`), through
    /// `door`.
    pub fn now(door: FrontDoor) -> Self {
        let user = ["USER", "USERNAME"]
            .into_iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|u| !u.trim().is_empty());
        AuditStamp::at(door, user.as_deref(), chrono::Utc::now().naive_utc())
    }

    /// A stamp for a given user and UTC time (tests, replays).
    pub fn at(door: FrontDoor, user: Option<&str>, at: NaiveDateTime) -> Self {
        let actor = match user.map(str::trim).filter(|u| !u.is_empty()) {
            Some(u) => format!("{}:{u}", door.prefix()),
            None => door.prefix().to_string(),
        };
        AuditStamp { actor, at }
    }

    /// True when `actor` follows the one scheme (`cli`, `app`, `cli:<user>`, `app:<user>`).
    pub fn is_actor(actor: &str) -> bool {
        let door = actor
            .split_once(':')
            .map_or(actor, |(d, u)| if u.trim().is_empty() { "" } else { d });
        [FrontDoor::Cli, FrontDoor::App]
            .iter()
            .any(|d| d.prefix() == door)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

impl Writer<'_> {
    /// Append one entry. The log cannot be edited or deleted afterwards (schema triggers).
    pub fn audit(&self, e: &NewAuditEntry) -> Result<i64> {
        if e.actor.trim().is_empty() || e.action.trim().is_empty() {
            return Err(Error::invalid(
                "audit entry",
                "actor and action are required",
            ));
        }
        self.tx
            .prepare_cached(sql::AUDIT_INSERT_AUDIT_LOG)?
            .execute(params![
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                e.before,
                e.after,
                e.reason
            ])?;
        Ok(self.tx.last_insert_rowid())
    }
}

/// Filter for [`Reader::audit_entries`]; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub limit: Option<i64>,
}

impl Reader<'_> {
    /// Entries newest first.
    pub fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut st = self.conn.prepare(sql::AUDIT_ENTRIES_SELECT_AUDIT_LOG)?;
        let rows = st.query_map(
            params![f.entity, f.entity_id, f.action, f.limit.unwrap_or(-1)],
            |r| {
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    entity_id: r.get(5)?,
                    before: r.get(6)?,
                    after: r.get(7)?,
                    reason: r.get(8)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The names an audit entry's entity id may refer to, read at once by
/// [`Reader::audit_names`]: ids of rows since deleted are simply absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditNames {
    /// Variant id → (SKU code, product title with the variant's own title).
    pub variants: HashMap<i64, (String, String)>,
    /// Location id → (code, name).
    pub locations: HashMap<i64, (String, String)>,
    pub suppliers: HashMap<i64, String>,
    /// Purchase-order id → (number, supplier name).
    pub purchase_orders: HashMap<i64, (String, Option<String>)>,
    pub scenarios: HashMap<i64, String>,
    /// Store id → (name, platform).
    pub stores: HashMap<i64, (String, String)>,
    /// Import batch id → (file name, kind).
    pub import_batches: HashMap<i64, (String, String)>,
}

impl Reader<'_> {
    /// Every name an audit entry can refer to (SKUs, locations, suppliers, POs, scenarios,
    /// stores, import batches), in one statement whatever the number of entries shown.
    pub fn audit_names(&self) -> Result<AuditNames> {
        let mut out = AuditNames::default();
        let mut st = self.conn.prepare(sql::AUDIT_NAMES_SELECT)?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(0)?;
            let id: i64 = r.get(1)?;
            let name: String = r.get(2)?;
            let detail: Option<String> = r.get(3)?;
            let text = || detail.clone().unwrap_or_default();
            match kind.as_str() {
                "variant" => {
                    out.variants.insert(id, (name, text()));
                }
                "location" => {
                    out.locations.insert(id, (name, text()));
                }
                "supplier" => {
                    out.suppliers.insert(id, name);
                }
                "purchase_order" => {
                    out.purchase_orders.insert(id, (name, detail));
                }
                "scenario" => {
                    out.scenarios.insert(id, name);
                }
                "store" => {
                    out.stores.insert(id, (name, text()));
                }
                _ => {
                    out.import_batches.insert(id, (name, text()));
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod stamp_tests {
    use super::*;

    #[test]
    fn both_front_doors_write_the_actor_one_way() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let cli = AuditStamp::at(FrontDoor::Cli, Some("ana"), at);
        let app = AuditStamp::at(FrontDoor::App, Some("ana"), at);
        assert_eq!(
            (cli.actor.as_str(), app.actor.as_str()),
            ("cli:ana", "app:ana")
        );
        assert_eq!(AuditStamp::at(FrontDoor::App, Some("  "), at).actor, "app");
        assert_eq!(AuditStamp::at(FrontDoor::Cli, None, at).actor, "cli");
        for ok in ["cli:ana", "app:ana", "cli", "app"] {
            assert!(AuditStamp::is_actor(ok), "{ok}");
        }
        for bad in ["ana", "forestock", "user", "cli:", "web:ana"] {
            assert!(!AuditStamp::is_actor(bad), "{bad}");
        }
    }

    #[test]
    fn a_stamp_made_now_is_utc() {
        let before = chrono::Utc::now().naive_utc();
        let s = AuditStamp::now(FrontDoor::Cli);
        let after = chrono::Utc::now().naive_utc();
        assert!(before <= s.at && s.at <= after, "{}", s.at);
        assert!(AuditStamp::is_actor(&s.actor), "{}", s.actor);
    }
}
