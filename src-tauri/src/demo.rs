//! First run: no database yet, so the app starts on the demo merchant without asking
//! ([`forestock_api::demo::create`], the workflow `forestock demo` runs).

use crate::dto::OpenProgress;
use crate::error::{ApiError, ApiResult, ErrorCode};
use forestock_core::Store;
use forestock_demo::{DemoConfig, Progress};
use std::path::Path;

/// Generate the demo merchant at `path` (its folder is created first).
pub fn create(path: &Path, report: &mut dyn FnMut(OpenProgress)) -> ApiResult<Store> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            let at = dir.display();
            ApiError::new(
                ErrorCode::Database,
                format!("cannot create the folder {at}: {e}"),
            )
        })?;
    }
    forestock_api::demo::create(path, &DemoConfig::default(), &mut |p| {
        report(match p {
            Progress::Catalog => OpenProgress::Catalog,
            Progress::Simulating { done, total } => OpenProgress::Simulating { done, total },
            Progress::Writing { done, total } => OpenProgress::Writing { done, total },
        })
    })?;
    Ok(Store::open(path)?)
}
