//! The error that crosses the IPC edge: a small stable `code` the UI branches on, and a message
//! a planner can read. The UI never matches message strings.

use forestock_core::Classify;
use serde::Serialize;
use ts_rs::TS;

/// The code the UI branches on: the libraries' one classification, [`ErrorKind`], spelt in
/// snake_case (`not_found`, `bad_input`, `database`, `busy`, `remote`, `cancelled`,
/// `internal`).
pub use forestock_core::ErrorKind as ErrorCode;

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

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ApiError {
    /// A library error: its kind decides the code, its message (which names the problem and,
    /// for a store, the store) is the planner's.
    pub fn classified<E: Classify + std::fmt::Display>(e: &E) -> Self {
        ApiError::new(e.kind(), e.to_string())
    }
}

/// Every library error crosses the IPC edge through [`ApiError::classified`].
macro_rules! from_classified {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError::classified(&e)
            }
        }
    )*};
}

from_classified!(
    forestock_api::Error,
    forestock_core::Error,
    forestock_plan::Error,
    forestock_connect::Error,
    forestock_connect::push::PushError,
    forestock_demo::Error,
);

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

    // `ErrorCode` is the kind itself now (the conversion is the identity); the test still
    // holds the UI's codes to the kinds.
    #[allow(clippy::useless_conversion)]
    #[test]
    fn every_kind_has_its_own_code() {
        use forestock_core::ErrorKind as K;
        let kinds = [
            K::NotFound,
            K::BadInput,
            K::Database,
            K::Busy,
            K::Remote,
            K::Cancelled,
            K::Internal,
        ];
        let codes: std::collections::HashSet<_> = kinds
            .iter()
            .map(|k| format!("{:?}", ErrorCode::from(*k)))
            .collect();
        assert_eq!(codes.len(), kinds.len());
        // The names match: the UI's code is the kind, spelt in snake_case.
        for k in kinds {
            assert_eq!(format!("{k:?}"), format!("{:?}", ErrorCode::from(k)));
        }
    }

    #[test]
    fn plan_errors_keep_their_kind_across_the_edge() {
        use forestock_plan::Error as P;
        let code = |e: P| ApiError::from(e).code;
        assert_eq!(code(P::State("exported".into())), ErrorCode::BadInput);
        assert_eq!(
            code(P::NotFound {
                what: "purchase order",
                key: "PO-9".into()
            }),
            ErrorCode::NotFound
        );
        assert_eq!(
            code(P::Store(forestock_core::Error::Missing {
                path: "x.db".into()
            })),
            ErrorCode::Database
        );
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
