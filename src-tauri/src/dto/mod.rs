//! The types that cross the IPC boundary, exported to TypeScript by ts-rs into
//! `ui/src/lib/bindings.ts` (see `bindings_are_current` below; `UPDATE_BINDINGS=1 cargo test -p
//! forestock-app bindings` rewrites the file). One module per screen; they mirror library types
//! field for field. The planner grid, the SKU detail, the audit log and "Sync & run"'s events
//! are `forestock-api`'s own types (built with its `ts` feature): the shell adds nothing to them.

mod connect;
mod merchant;
mod plan;
mod po;
mod scenario;
mod settings;
mod supplier_tools;
mod suppliers;
mod week;
mod writeback;

pub use connect::*;
pub use merchant::*;
pub use plan::*;
pub use po::*;
pub use scenario::*;
pub use settings::*;
pub use supplier_tools::*;
pub use suppliers::*;
#[cfg(test)]
use ts_rs::TS;
pub use week::*;

/// Every type exported to the UI, in file order.
#[cfg(test)]
fn declarations() -> Vec<String> {
    use crate::error::{ApiError, ErrorCode};
    use forestock_api::audit::{AuditQuery, AuditView};
    use forestock_api::sync::{PlanRunSummary, RunEvent, RunStage, StoreSyncView};
    use forestock_api::views::{PlannerData, PlannerRow, SkuDetail};
    use forestock_connect::outbox::OutboxStatus;
    use forestock_plan::po::PoStatus;
    use forestock_plan::review::{LineFlag, LineStatus};
    // serde_json writes i64 as a JSON number; every count here is far below 2^53.
    let cfg = ts_rs::Config::new().with_large_int("number");
    vec![
        ErrorCode::decl(&cfg),
        ApiError::decl(&cfg),
        MerchantSummary::decl(&cfg),
        OpenProgress::decl(&cfg),
        forestock_api::merchants::RecentMerchant::decl(&cfg),
        forestock_api::merchants::RecentList::decl(&cfg),
        MerchantFiles::decl(&cfg),
        forestock_api::merchants::NewMerchant::decl(&cfg),
        forestock_api::setup::SetupStep::decl(&cfg),
        forestock_api::setup::SetupScreen::decl(&cfg),
        forestock_api::setup::ChecklistItem::decl(&cfg),
        forestock_api::setup::Checklist::decl(&cfg),
        PriceBreakView::decl(&cfg),
        SupplierView::decl(&cfg),
        SupplierEdit::decl(&cfg),
        PlanSettingsForm::decl(&cfg),
        SettingsView::decl(&cfg),
        SavedFile::decl(&cfg),
        AuditQuery::decl(&cfg),
        forestock_api::audit::FieldChange::decl(&cfg),
        AuditView::decl(&cfg),
        PlannerRow::decl(&cfg),
        PlannerData::decl(&cfg),
        forestock_api::chart::Granularity::decl(&cfg),
        forestock_api::chart::HistoryPoint::decl(&cfg),
        forestock_api::chart::ForecastPoint::decl(&cfg),
        forestock_api::chart::PastForecastPoint::decl(&cfg),
        forestock_api::chart::ProjectionPoint::decl(&cfg),
        forestock_api::chart::Incoming::decl(&cfg),
        forestock_api::chart::ForecastInfo::decl(&cfg),
        forestock_api::chart::ChartModel::decl(&cfg),
        forestock_api::grid::SortDir::decl(&cfg),
        forestock_api::grid::PlannerQuery::decl(&cfg),
        forestock_api::grid::PlannerItem::decl(&cfg),
        forestock_api::grid::PlannerTotals::decl(&cfg),
        forestock_api::grid::PlannerPage::decl(&cfg),
        forestock_api::accuracy::AccuracyBy::decl(&cfg),
        forestock_api::accuracy::AccuracyRow::decl(&cfg),
        forestock_api::accuracy::AccuracyRun::decl(&cfg),
        forestock_api::accuracy::AccuracyReport::decl(&cfg),
        SkuDetail::decl(&cfg),
        PoStatus::decl(&cfg),
        forestock_plan::po::PoActions::decl(&cfg),
        LineStatus::decl(&cfg),
        LineFlag::decl(&cfg),
        OutboxStatus::decl(&cfg),
        PoLineView::decl(&cfg),
        PoView::decl(&cfg),
        PoLineEdit::decl(&cfg),
        Exported::decl(&cfg),
        ScopeInput::decl(&cfg),
        ChangeInput::decl(&cfg),
        forestock_plan::scenario::ScenarioStatus::decl(&cfg),
        ScenarioView::decl(&cfg),
        TotalsView::decl(&cfg),
        EvaluationView::decl(&cfg),
        StoreView::decl(&cfg),
        ConnectForm::decl(&cfg),
        ConnectionCheck::decl(&cfg),
        forestock_api::stores::LocationChoice::decl(&cfg),
        forestock_api::stores::DefaultLocationView::decl(&cfg),
        ReattributedView::decl(&cfg),
        StoreSyncView::decl(&cfg),
        OutboxView::decl(&cfg),
        RunStage::decl(&cfg),
        PlanRunSummary::decl(&cfg),
        RunEvent::decl(&cfg),
        LineEdit::decl(&cfg),
        LineRef::decl(&cfg),
        LineDecision::decl(&cfg),
        forestock_api::import::FileKind::decl(&cfg),
        forestock_api::import::Dates::decl(&cfg),
        forestock_api::import::Unknown::decl(&cfg),
        forestock_api::import::FieldColumn::decl(&cfg),
        forestock_api::import::FileRequest::decl(&cfg),
        forestock_api::import::MonthValue::decl(&cfg),
        forestock_api::import::FileImport::decl(&cfg),
        forestock_api::import::BatchView::decl(&cfg),
        forestock_api::import::UndoneView::decl(&cfg),
        forestock_api::export::ExportWhat::decl(&cfg),
        forestock_api::export::ExportAs::decl(&cfg),
        forestock_api::promotions::PromotionInput::decl(&cfg),
        forestock_api::promotions::PromotionView::decl(&cfg),
        forestock_api::promotions::PromotionList::decl(&cfg),
        forestock_api::overrides::OverrideKind::decl(&cfg),
        forestock_api::overrides::OverrideInput::decl(&cfg),
        forestock_api::overrides::OverrideView::decl(&cfg),
        forestock_api::overrides::OverrideList::decl(&cfg),
        forestock_api::nightly::schedule::Scheduler::decl(&cfg),
        forestock_api::nightly::schedule::ScheduleFile::decl(&cfg),
        forestock_api::nightly::schedule::SchedulePlan::decl(&cfg),
        forestock_api::nightly::schedule::ScheduleOutcome::decl(&cfg),
        forestock_api::nightly::schedule::ScheduleStatus::decl(&cfg),
        forestock_api::kpis::Money::decl(&cfg),
        forestock_plan::money::Converted::decl(&cfg),
        forestock_api::rates::ExchangeRate::decl(&cfg),
        forestock_api::rates::RatesView::decl(&cfg),
        forestock_api::kpis::TurnsFigure::decl(&cfg),
        forestock_api::kpis::CoverFigure::decl(&cfg),
        forestock_api::kpis::WeekFigure::decl(&cfg),
        forestock_api::kpis::KpiReport::decl(&cfg),
        forestock_api::kpis::Kpi::decl(&cfg),
        forestock_api::kpis::KpiLine::decl(&cfg),
        forestock_api::kpis::KpiDetail::decl(&cfg),
        forestock_api::scenario::SupplierOrders::decl(&cfg),
        forestock_api::scenario::ScenarioColumn::decl(&cfg),
        forestock_api::scenario::Comparison::decl(&cfg),
    ]
    .into_iter()
    .chain(supplier_tools::declarations(&cfg))
    .chain(week::declarations(&cfg))
    .chain(writeback::declarations(&cfg))
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
