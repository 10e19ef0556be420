//! The Forestock desktop shell. Glue only: every decision lives in the library crates; the
//! commands here adapt them to IPC (see `commands/`).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod demo;
mod dto;
mod error;
mod state;

use state::AppState;
use std::sync::Arc;
use tauri::Manager;

fn main() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let args: Vec<String> = std::env::args().collect();
            let path = state::resolve_db_path(&args, app.path().app_data_dir().ok())
                .map_err(|e| e.message)?;
            app.manage(Arc::new(AppState::new(path)));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::merchant::open_merchant,
            commands::suppliers::list_suppliers,
            commands::suppliers::update_supplier,
            commands::audit::list_audit,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("forestock-app: {e}");
        std::process::exit(1);
    }
}
