//! The Forestock desktop shell. Glue only: every decision lives in the library crates; the
//! commands here adapt them to IPC (see `commands/`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod chart;
mod commands;
mod demo;
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
            let path = state::resolve_db_path(&args, app.path().app_data_dir().ok())
                .map_err(|e| e.message)?;
            let exports = state::resolve_export_dir(app.path().download_dir().ok(), &path);
            app.manage(Arc::new(AppState::new(path, exports)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::merchant::open_merchant,
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
            commands::audit::list_audit,
            commands::audit::export_audit,
            commands::planner::planner_rows,
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
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("forestock-app: {e}");
        std::process::exit(1);
    }
}
