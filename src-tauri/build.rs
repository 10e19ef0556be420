/// Every command the UI may call. Listing them makes tauri-build generate an `allow-<command>`
/// permission for each, and then only the ones granted in `capabilities/` are callable.
const COMMANDS: &[&str] = &[
    "open_merchant",
    "merchant_files",
    "switch_merchant",
    "create_merchant",
    "open_demo",
    "pick_merchant_file",
    "setup_checklist",
    "default_locations",
    "set_default_location",
    "list_suppliers",
    "update_supplier",
    "create_supplier",
    "merge_suppliers",
    "delete_supplier",
    "assign_skus",
    "suggest_suppliers",
    "accept_suggestions",
    "import_supplier_catalog",
    "get_settings",
    "save_settings",
    "list_audit",
    "export_audit",
    "planner_rows",
    "sku_detail",
    "export_chart",
    "override_line",
    "decide_lines",
    "sync_and_run",
    "cancel_run",
    "list_pos",
    "draft_pos",
    "set_po_status",
    "edit_po_line",
    "export_po",
    "list_stores",
    "connect_store",
    "test_store",
    "remove_store",
    "list_outbox",
    "push_po",
    "list_scenarios",
    "create_scenario",
    "evaluate_scenario",
    "finish_scenario",
    "list_exceptions",
    "snooze_alert",
    "dismiss_alert",
    "approve_alert_line",
    "preview_approve_all",
    "approve_all",
    "review_state",
    "undo_last",
    "lock_lines",
    "list_transfers",
    "decide_transfers",
    "export_transfers",
    "receive_po",
    "po_receipts",
    "supplier_report",
];

fn main() {
    // The product's layout keeps tauri.conf.json at the repository top level.
    let attrs = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attrs) {
        println!("cargo:warning=tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
