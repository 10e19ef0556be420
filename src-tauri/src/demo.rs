//! First run: no database yet, so the app starts on the demo merchant without asking.

use crate::dto::OpenProgress;
use crate::error::{ApiError, ApiResult, ErrorCode};
use forestock_core::Store;
use forestock_demo::{DemoConfig, Progress};
use std::path::Path;

/// Generate the demo merchant at `path`. It is written to a sibling `.partial` file and renamed
/// into place, so an interrupted first run never leaves a half-filled database behind.
pub fn create(path: &Path, report: &mut dyn FnMut(OpenProgress)) -> ApiResult<Store> {
    let io = |what: &str, e: std::io::Error| {
        ApiError::new(
            ErrorCode::Database,
            format!("cannot {what} {}: {e}", path.display()),
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io("create the folder of", e))?;
    }
    let partial = path.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial); // a leftover from an interrupted run, if any
    {
        let mut store = Store::create(&partial)?;
        forestock_demo::generate(&mut store, &DemoConfig::default(), &mut |p| {
            report(match p {
                Progress::Catalog => OpenProgress::Catalog,
                Progress::Simulating { done, total } => OpenProgress::Simulating { done, total },
                Progress::Writing { done, total } => OpenProgress::Writing { done, total },
            })
        })?;
    }
    std::fs::rename(&partial, path).map_err(|e| io("move the demo database to", e))?;
    Ok(Store::open(path)?)
}
