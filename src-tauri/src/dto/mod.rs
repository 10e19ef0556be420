//! The types that cross the IPC boundary, exported to TypeScript by ts-rs into
//! `ui/src/lib/bindings.ts` (see `bindings_are_current` below; `UPDATE_BINDINGS=1 cargo test -p
//! forestock-app bindings` rewrites the file). One module per screen; they mirror library types
//! field for field. The planner grid, the SKU detail, the audit log and "Sync & run"'s events
//! are `forestock-api`'s own types (built with its `ts` feature): the shell adds nothing to them,
//! and `forestock_api::bindings` lists them.

mod connect;
mod merchant;
mod plan;
mod po;
mod scenario;
mod settings;
mod week;

pub use connect::*;
pub use merchant::*;
pub use plan::*;
pub use po::*;
pub use scenario::*;
pub use settings::*;
#[cfg(test)]
use ts_rs::TS;
pub use week::*;

/// Every type exported to the UI: the shell's own, then the libraries'
/// ([`forestock_api::bindings`]).
#[cfg(test)]
fn declarations() -> Vec<String> {
    use crate::error::{ApiError, ErrorCode};
    // serde_json writes i64 as a JSON number; every count here is far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    vec![
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
        MerchantFiles::decl(&cfg),
        PlanSettingsForm::decl(&cfg),
        SettingsView::decl(&cfg),
        SavedFile::decl(&cfg),
        PoLineView::decl(&cfg),
        PoView::decl(&cfg),
        PoLineEdit::decl(&cfg),
        Exported::decl(&cfg),
        ScopeInput::decl(&cfg),
        ChangeInput::decl(&cfg),
        ScenarioView::decl(&cfg),
        EvaluationView::decl(&cfg),
        StoreView::decl(&cfg),
        ConnectForm::decl(&cfg),
        ConnectionCheck::decl(&cfg),
        LineEdit::decl(&cfg),
        LineDecision::decl(&cfg),
        ReviewState::decl(&cfg),
        ReceivedLine::decl(&cfg),
        ReceiptForm::decl(&cfg),
    ]
    .into_iter()
    .chain(forestock_api::bindings::declarations(&cfg))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render() -> String {
        let mut out = String::from(
            "// Generated from src-tauri/src/dto/ by ts-rs. Do not edit by hand:\n\
             // UPDATE_BINDINGS=1 cargo test -p forestock-app bindings\n\n",
        );
        for d in declarations() {
            out.push_str("export ");
            out.push_str(d.trim());
            out.push_str("\n\n");
        }
        out.trim_end().to_string() + "\n"
    }

    #[test]
    fn bindings_are_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts");
        let want = render();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "ui/src/lib/bindings.ts is out of date; run UPDATE_BINDINGS=1 cargo test -p forestock-app bindings"
        );
    }
}
