//! The states of a purchase order and the moves between them, encoded once:
//! draft → approved → exported/pushed → partially received → received, or cancelled from draft
//! or approved. The database keeps the snake_case text (`purchase_orders.status TEXT`), JSON and
//! the UI's bindings carry the same strings; unknown text read back is refused, naming it.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Where a purchase order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PoStatus {
    Draft,
    Approved,
    Exported,
    Pushed,
    PartiallyReceived,
    Received,
    Cancelled,
}

impl PoStatus {
    /// Every state, in life order.
    pub const ALL: [PoStatus; 7] = [
        PoStatus::Draft,
        PoStatus::Approved,
        PoStatus::Exported,
        PoStatus::Pushed,
        PoStatus::PartiallyReceived,
        PoStatus::Received,
        PoStatus::Cancelled,
    ];

    /// The states a PO may be pushed to NetSuite from: approved, or already exported to the
    /// supplier as CSV. The push checks it when queuing and again at the moment of sending.
    pub const PUSHABLE: [PoStatus; 2] = [PoStatus::Approved, PoStatus::Exported];

    /// The text stored in the database and carried in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            PoStatus::Draft => "draft",
            PoStatus::Approved => "approved",
            PoStatus::Exported => "exported",
            PoStatus::Pushed => "pushed",
            PoStatus::PartiallyReceived => "partially_received",
            PoStatus::Received => "received",
            PoStatus::Cancelled => "cancelled",
        }
    }

    /// The state named `s`; unknown text is refused, naming it and the known states.
    pub fn parse(s: &str) -> Result<PoStatus> {
        PoStatus::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "purchase order state",
                    format!("unknown state {s:?} (known: {})", PoStatus::known()),
                )
            })
    }

    fn known() -> String {
        PoStatus::ALL.map(PoStatus::as_str).join(", ")
    }

    /// Whether a PO may move from this state to `to` (the one table of allowed moves).
    pub fn can_transition_to(self, to: PoStatus) -> bool {
        use PoStatus::*;
        matches!(
            (self, to),
            (Draft, Approved | Cancelled)
                | (Approved, Exported | Pushed | Cancelled)
                | (Exported, Pushed)
                | (
                    Exported | Pushed | PartiallyReceived,
                    PartiallyReceived | Received
                )
        )
    }

    /// Whether a PO in this state may be pushed to NetSuite.
    pub fn is_pushable(self) -> bool {
        PoStatus::PUSHABLE.contains(&self)
    }

    /// Whether the order went to the supplier, so goods may be received against it.
    pub fn is_receivable(self) -> bool {
        matches!(
            self,
            PoStatus::Exported | PoStatus::Pushed | PoStatus::PartiallyReceived
        )
    }

    /// Whether the PO may be exported to the supplier as CSV (approved, or re-exported once
    /// sent).
    pub fn is_exportable(self) -> bool {
        matches!(
            self,
            PoStatus::Approved | PoStatus::Exported | PoStatus::Pushed
        )
    }
}

/// What may be done with a PO in its state, from the rules above: the app's buttons follow it,
/// so the UI derives nothing from the state itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PoActions {
    pub approve: bool,
    pub cancel: bool,
    /// Change or remove lines (drafts only).
    pub edit_lines: bool,
    pub export: bool,
    pub push: bool,
    pub receive: bool,
}

impl PoStatus {
    /// What may be done with a PO in this state.
    pub fn actions(self) -> PoActions {
        PoActions {
            approve: self.can_transition_to(PoStatus::Approved),
            cancel: self.can_transition_to(PoStatus::Cancelled),
            edit_lines: self == PoStatus::Draft,
            export: self.is_exportable(),
            push: self.is_pushable(),
            receive: self.is_receivable(),
        }
    }
}

impl fmt::Display for PoStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for PoStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<PoStatus> {
        PoStatus::parse(s)
    }
}

impl PartialEq<&str> for PoStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl ToSql for PoStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for PoStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = value.as_str()?;
        PoStatus::parse(s).map_err(|_| {
            FromSqlError::Other(
                format!(
                    "unknown purchase order status {s:?} in the database (known: {})",
                    PoStatus::known()
                )
                .into(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_po_cannot_be_approved_again() {
        assert!(!PoStatus::Cancelled.can_transition_to(PoStatus::Approved));
        for to in PoStatus::ALL {
            assert!(
                !PoStatus::Cancelled.can_transition_to(to),
                "cancelled → {to}"
            );
            assert!(!PoStatus::Received.can_transition_to(to), "received → {to}");
        }
    }

    #[test]
    fn po_transitions_follow_the_life_of_an_order() {
        use PoStatus::*;
        let allowed: Vec<(PoStatus, PoStatus)> = PoStatus::ALL
            .into_iter()
            .flat_map(|a| PoStatus::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a.can_transition_to(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Draft, Approved),
                (Draft, Cancelled),
                (Approved, Exported),
                (Approved, Pushed),
                (Approved, Cancelled),
                (Exported, Pushed),
                (Exported, PartiallyReceived),
                (Exported, Received),
                (Pushed, PartiallyReceived),
                (Pushed, Received),
                (PartiallyReceived, PartiallyReceived),
                (PartiallyReceived, Received),
            ]
        );
        assert_eq!(
            PoStatus::ALL
                .into_iter()
                .filter(|s| s.is_pushable())
                .collect::<Vec<_>>(),
            vec![Approved, Exported]
        );
    }

    #[test]
    fn po_actions_follow_the_transitions() {
        let d = PoStatus::Draft.actions();
        assert!(d.approve && d.cancel && d.edit_lines && !d.export && !d.push && !d.receive);
        let a = PoStatus::Approved.actions();
        assert!(!a.approve && a.cancel && !a.edit_lines && a.export && a.push && !a.receive);
        let c = PoStatus::Cancelled.actions();
        assert_eq!(
            c,
            PoActions {
                approve: false,
                cancel: false,
                edit_lines: false,
                export: false,
                push: false,
                receive: false
            }
        );
        assert!(PoStatus::Pushed.actions().receive && !PoStatus::Pushed.actions().push);
    }

    #[test]
    fn po_states_keep_their_stored_text() {
        for s in PoStatus::ALL {
            assert_eq!(PoStatus::parse(s.as_str()).unwrap(), s);
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::Value::String(s.as_str().into())
            );
        }
        let e = PoStatus::parse("aproved").unwrap_err().to_string();
        assert!(e.contains("\"aproved\"") && e.contains("approved"), "{e}");
    }
}
