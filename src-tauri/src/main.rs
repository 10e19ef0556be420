//! The Forestock desktop shell. Glue only: every decision lives in the library crates; the
//! commands here adapt them to IPC (see `commands/`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod dto;
mod error;
mod export;
mod state;

use state::AppState;
use std::sync::Arc;
use tauri::Manager;

fn main() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let args: Vec<String> = std::env::args().collect();
            let os = forestock_api::folders::OsFolders {
                config: app.path().app_config_dir().ok(),
                data: app.path().app_data_dir().ok(),
                downloads: app.path().download_dir().ok(),
            };
            let start = forestock_api::folders::start(&args, os);
            app.manage(Arc::new(AppState::starting(start)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::merchant::open_merchant,
            commands::merchant::merchant_files,
            commands::merchant::switch_merchant,
            commands::merchant::create_merchant,
            commands::merchant::open_demo,
            commands::merchant::pick_merchant_file,
            commands::merchant::setup_checklist,
            commands::connect::default_locations,
            commands::connect::set_default_location,
            commands::suppliers::list_suppliers,
            commands::suppliers::update_supplier,
            commands::suppliers::create_supplier,
            commands::suppliers::merge_suppliers,
            commands::suppliers::delete_supplier,
            commands::suppliers::assign_skus,
            commands::suppliers::suggest_suppliers,
            commands::suppliers::accept_suggestions,
            commands::suppliers::import_supplier_catalog,
            commands::import::import_file,
            commands::import::import_batches,
            commands::import::undo_import_batch,
            commands::import::pick_import_file,
            commands::import::export_data,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::list_rates,
            commands::settings::set_rate,
            commands::settings::delete_rate,
            commands::audit::list_audit,
            commands::audit::export_audit,
            commands::planner::planner_rows,
            commands::planner::planner_page,
            commands::accuracy::forecast_accuracy,
            commands::planner::sku_detail,
            commands::planner::export_chart,
            commands::planner::override_line,
            commands::planner::decide_lines,
            commands::run::sync_and_run,
            commands::run::cancel_run,
            commands::orders::list_pos,
            commands::orders::draft_pos,
            commands::orders::set_po_status,
            commands::orders::edit_po_line,
            commands::orders::export_po,
            commands::connect::list_stores,
            commands::connect::connect_store,
            commands::connect::test_store,
            commands::connect::remove_store,
            commands::orders::list_outbox,
            commands::orders::push_po,
            commands::scenarios::list_scenarios,
            commands::scenarios::create_scenario,
            commands::scenarios::evaluate_scenario,
            commands::scenarios::finish_scenario,
            commands::scenarios::compare_scenarios,
            commands::kpis::kpi_report,
            commands::kpis::kpi_lines,
            commands::week::list_exceptions,
            commands::week::snooze_alert,
            commands::week::dismiss_alert,
            commands::week::unmute_alert,
            commands::week::approve_alert_line,
            commands::week::preview_approve_all,
            commands::week::approve_all,
            commands::week::review_state,
            commands::week::undo_last,
            commands::week::lock_lines,
            commands::week::unlock_lines,
            commands::week::list_transfers,
            commands::week::decide_transfers,
            commands::week::export_transfers,
            commands::week::receive_po,
            commands::week::po_receipts,
            commands::week::supplier_report,
            commands::promotions::list_promotions,
            commands::promotions::save_promotion,
            commands::promotions::delete_promotion,
            commands::overrides::list_forecast_overrides,
            commands::overrides::save_forecast_override,
            commands::overrides::delete_forecast_override,
            commands::nightly::nightly_status,
            commands::nightly::install_nightly,
            commands::nightly::uninstall_nightly,
            commands::writeback::writeback_preview,
            commands::writeback::writeback_approve,
            commands::writeback::writeback_push,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("forestock-app: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    /// A command registered with the handler but not listed in `build.rs` and granted in
    /// `capabilities/default.json` is refused by the window at run time ("… not allowed").
    #[test]
    fn every_registered_command_is_granted_to_the_window() {
        let main = include_str!("main.rs");
        let build = include_str!("../build.rs");
        let caps = include_str!("../capabilities/default.json");
        let start = main.find("generate_handler![").expect("the handler list");
        let end = start + main[start..].find(']').expect("its end");
        let names: Vec<&str> = main[start..end]
            .split(',')
            .filter_map(|s| s.trim().rsplit("::").next())
            .filter(|s| !s.is_empty())
            .collect();
        assert!(names.len() > 40, "{names:?}");
        for name in names {
            assert!(
                build.contains(&format!("\"{name}\"")),
                "{name} is not listed in build.rs"
            );
            let allow = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                caps.contains(&allow),
                "{allow} is not granted in capabilities/default.json"
            );
        }
    }
}
