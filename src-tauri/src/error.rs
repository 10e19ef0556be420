//! The error that crosses the IPC edge: a small stable `code` the UI branches on, and a message
//! a planner can read. The UI never matches message strings.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request named something that does not exist (a SKU, a PO, a store).
    NotFound,
    /// The request carried a value the library rejected; the message says which.
    BadInput,
    /// The database file is missing, corrupt, not SQLite, or from a newer Forestock.
    Database,
    /// Another process holds the database; retrying in a moment may work.
    Busy,
    /// The user cancelled the operation.
    Cancelled,
    /// A remote store or the keychain could not be reached.
    Remote,
    /// Anything else: a bug or an environment problem.
    Internal,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn internal(message: impl std::fmt::Display) -> Self {
        ApiError::new(ErrorCode::Internal, message.to_string())
    }
}

impl From<forestock_core::Error> for ApiError {
    fn from(e: forestock_core::Error) -> Self {
        use forestock_core::Error as E;
        let code = if e.is_retryable() {
            ErrorCode::Busy
        } else if e.is_bad_input() {
            match e {
                E::NotFound { .. } => ErrorCode::NotFound,
                _ => ErrorCode::BadInput,
            }
        } else {
            match e {
                E::Missing { .. }
                | E::NotADatabase { .. }
                | E::NewerVersion { .. }
                | E::InUse { .. }
                | E::Open { .. } => ErrorCode::Database,
                _ => ErrorCode::Internal,
            }
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<forestock_plan::Error> for ApiError {
    fn from(e: forestock_plan::Error) -> Self {
        use forestock_plan::Error as E;
        match e {
            E::Store(e) => ApiError::from(e),
            E::Invalid { .. } | E::State(_) | E::Empty(_) => {
                ApiError::new(ErrorCode::BadInput, e.to_string())
            }
            E::NotFound { .. } => ApiError::new(ErrorCode::NotFound, e.to_string()),
            E::Io { .. } => ApiError::new(ErrorCode::BadInput, e.to_string()),
            _ => ApiError::internal(e),
        }
    }
}

/// The connect crate's own codes (`auth`, `network`, …) fold into the UI's small set; its
/// messages already name the store and say what to do.
impl From<forestock_connect::Error> for ApiError {
    fn from(e: forestock_connect::Error) -> Self {
        use forestock_connect::Error as E;
        let code = match e {
            E::Db(inner) => return ApiError::from(inner),
            E::Invalid { .. } => ErrorCode::BadInput,
            E::Cancelled { .. } => ErrorCode::Cancelled,
            E::SyncRunning { .. } => ErrorCode::Busy,
            _ => ErrorCode::Remote,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<forestock_connect::push::PushError> for ApiError {
    fn from(e: forestock_connect::push::PushError) -> Self {
        use forestock_connect::push::PushError as E;
        match e {
            E::Plan(e) => ApiError::from(e),
            E::Connect(e) => ApiError::from(e),
        }
    }
}

impl From<tauri::Error> for ApiError {
    fn from(e: tauri::Error) -> Self {
        ApiError::internal(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use forestock_connect::Error as C;

    #[test]
    fn connector_errors_map_to_the_ui_codes() {
        let code = |e: C| ApiError::from(e).code;
        let store = || "Shop".to_string();
        assert_eq!(
            code(C::Network {
                store: store(),
                detail: "refused".into()
            }),
            ErrorCode::Remote
        );
        assert_eq!(
            code(C::Auth {
                store: store(),
                detail: "401".into()
            }),
            ErrorCode::Remote
        );
        assert_eq!(code(C::Keychain("locked".into())), ErrorCode::Remote);
        assert_eq!(code(C::Cancelled { store: store() }), ErrorCode::Cancelled);
        assert_eq!(
            code(C::SyncRunning {
                db: "shop.db".into(),
                owner: "process 7".into()
            }),
            ErrorCode::Busy
        );
        assert_eq!(
            code(C::Invalid {
                what: "store",
                detail: "no connected store named \"x\"".into()
            }),
            ErrorCode::BadInput
        );
        let missing = forestock_core::Error::NotFound {
            what: "store",
            key: "9".into(),
        };
        assert_eq!(code(C::Db(missing)), ErrorCode::NotFound);
    }

    #[test]
    fn connector_messages_name_the_store() {
        let e = ApiError::from(C::Network {
            store: "Shop".into(),
            detail: "refused".into(),
        });
        assert!(
            e.message.starts_with("Shop: network problem"),
            "{}",
            e.message
        );
    }
}
