//! The use cases on in-memory merchant databases.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod accuracy;
mod audit;
mod chart;
mod kpis;
mod retention;
mod setup;
mod suppliers;
mod use_cases;
mod week;

/// A stamp of the app's front door, now.
fn app_stamp() -> forestock_api::AuditStamp {
    forestock_api::AuditStamp::at(
        forestock_core::FrontDoor::App,
        Some("ann"),
        chrono::Utc::now().naive_utc(),
    )
}

/// A small demo merchant of `skus` SKUs and `days` days of history in a temporary directory.
fn small_demo(skus: usize, days: u32) -> (tempfile::TempDir, forestock_core::Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let cfg = forestock_demo::DemoConfig {
        skus,
        days,
        ..Default::default()
    };
    forestock_api::demo::create(&path, &cfg, &mut |_| {}).unwrap();
    (dir, forestock_core::Store::open(&path).unwrap())
}
