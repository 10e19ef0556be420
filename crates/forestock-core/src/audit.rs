//! The append-only audit log: who did what, when, before/after, and why.

use crate::db::{Reader, Writer};
use crate::error::{Error, Result};
use crate::sql;
use chrono::NaiveDateTime;
use rusqlite::params;
use serde::{Deserialize, Serialize};

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
