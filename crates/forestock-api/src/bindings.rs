//! The TypeScript declarations of the library types the app's web view receives or sends
//! (feature `ts`): the use cases' read models, requests and events, and the plan's and
//! connectors' states they carry. The app writes them, after its own few IPC types, into
//! `ui/src/lib/bindings.ts` (its test `bindings_are_current`).

use ts_rs::TS;

/// Every library type exported to the UI, one declaration each, grouped by screen.
pub fn declarations(cfg: &ts_rs::Config) -> Vec<String> {
    use crate::{
        accuracy, audit, chart, export, grid, import, kpis, merchants, nightly::schedule,
        overrides, promotions, rates, scenario, setup, stores, suppliers, sync, views,
    };
    use forestock_connect::{outbox, writeback};
    use forestock_plan::{
        alerts, bulk, exceptions, lead_times, money, po, review, scenario as what_if, transfers,
    };
    vec![
        // The open merchant, first run and the set-up checklist.
        merchants::RecentMerchant::decl(cfg),
        merchants::RecentList::decl(cfg),
        merchants::NewMerchant::decl(cfg),
        setup::SetupStep::decl(cfg),
        setup::ChecklistItem::decl(cfg),
        setup::SetupScreen::decl(cfg),
        setup::Checklist::decl(cfg),
        // The audit log.
        audit::AuditQuery::decl(cfg),
        audit::FieldChange::decl(cfg),
        audit::AuditView::decl(cfg),
        // The planner grid, the SKU detail and its chart, forecast accuracy.
        views::PlannerRow::decl(cfg),
        views::PlannerData::decl(cfg),
        chart::Granularity::decl(cfg),
        chart::HistoryPoint::decl(cfg),
        chart::ForecastPoint::decl(cfg),
        chart::PastForecastPoint::decl(cfg),
        chart::ProjectionPoint::decl(cfg),
        chart::Incoming::decl(cfg),
        chart::ForecastInfo::decl(cfg),
        chart::ChartModel::decl(cfg),
        grid::SortDir::decl(cfg),
        grid::PlannerQuery::decl(cfg),
        grid::PlannerItem::decl(cfg),
        grid::PlannerTotals::decl(cfg),
        grid::PlannerPage::decl(cfg),
        accuracy::AccuracyBy::decl(cfg),
        accuracy::AccuracyRow::decl(cfg),
        accuracy::AccuracyRun::decl(cfg),
        accuracy::AccuracyReport::decl(cfg),
        views::SkuDetail::decl(cfg),
        // States and flags the screens switch on.
        po::PoStatus::decl(cfg),
        po::PoActions::decl(cfg),
        review::LineStatus::decl(cfg),
        review::LineFlag::decl(cfg),
        review::LineKey::decl(cfg),
        outbox::OutboxStatus::decl(cfg),
        outbox::OutboxItem::decl(cfg),
        // Scenarios.
        what_if::ScenarioStatus::decl(cfg),
        what_if::Totals::decl(cfg),
        scenario::SupplierOrders::decl(cfg),
        scenario::ScenarioColumn::decl(cfg),
        scenario::Comparison::decl(cfg),
        // Connect & sync, "Sync & run".
        stores::LocationChoice::decl(cfg),
        stores::DefaultLocationView::decl(cfg),
        stores::Reattributed::decl(cfg),
        sync::StoreSyncView::decl(cfg),
        sync::RunStage::decl(cfg),
        sync::PlanRunSummary::decl(cfg),
        sync::RunEvent::decl(cfg),
        // Import & export.
        import::FileKind::decl(cfg),
        import::Dates::decl(cfg),
        import::Unknown::decl(cfg),
        import::FieldColumn::decl(cfg),
        import::FileRequest::decl(cfg),
        import::MonthValue::decl(cfg),
        import::FileImport::decl(cfg),
        import::BatchView::decl(cfg),
        import::UndoneView::decl(cfg),
        export::ExportWhat::decl(cfg),
        export::ExportAs::decl(cfg),
        // Promotions and forecast overrides.
        promotions::PromotionInput::decl(cfg),
        promotions::PromotionView::decl(cfg),
        promotions::PromotionList::decl(cfg),
        overrides::OverrideKind::decl(cfg),
        overrides::OverrideInput::decl(cfg),
        overrides::OverrideView::decl(cfg),
        overrides::OverrideList::decl(cfg),
        // The nightly job's schedule.
        schedule::Scheduler::decl(cfg),
        schedule::ScheduleFile::decl(cfg),
        schedule::SchedulePlan::decl(cfg),
        schedule::ScheduleOutcome::decl(cfg),
        schedule::ScheduleStatus::decl(cfg),
        // KPIs, money and exchange rates.
        kpis::Money::decl(cfg),
        money::Converted::decl(cfg),
        rates::ExchangeRate::decl(cfg),
        rates::RatesView::decl(cfg),
        kpis::TurnsFigure::decl(cfg),
        kpis::CoverFigure::decl(cfg),
        kpis::WeekFigure::decl(cfg),
        kpis::KpiReport::decl(cfg),
        kpis::Kpi::decl(cfg),
        kpis::KpiLine::decl(cfg),
        kpis::KpiDetail::decl(cfg),
        // Suppliers.
        suppliers::AssignReport::decl(cfg),
        // Exceptions, the review bar, transfers, receiving and the supplier report.
        alerts::AlertKind::decl(cfg),
        alerts::Severity::decl(cfg),
        alerts::Alert::decl(cfg),
        alerts::StoredAlert::decl(cfg),
        alerts::AlertStats::decl(cfg),
        exceptions::MuteAction::decl(cfg),
        exceptions::Mute::decl(cfg),
        exceptions::ExceptionFilter::decl(cfg),
        exceptions::Exception::decl(cfg),
        exceptions::ExceptionList::decl(cfg),
        bulk::Exclusion::decl(cfg),
        bulk::CurrencyValue::decl(cfg),
        bulk::Excluded::decl(cfg),
        bulk::ApprovalPreview::decl(cfg),
        review::LastAction::decl(cfg),
        transfers::TransferStatus::decl(cfg),
        transfers::TransferLine::decl(cfg),
        lead_times::PoReceipt::decl(cfg),
        lead_times::SupplierPerformance::decl(cfg),
        lead_times::SupplierReport::decl(cfg),
        // Write-back of forecasts to the stores.
        writeback::WriteField::decl(cfg),
        writeback::SkuWrite::decl(cfg),
        writeback::Batch::decl(cfg),
        writeback::Preview::decl(cfg),
        writeback::SkuError::decl(cfg),
        writeback::PushReport::decl(cfg),
    ]
}
