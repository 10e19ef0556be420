//! Where the merchant database lives. The shell keeps only the path: each command opens its own
//! connection on a blocking thread (SQLite in WAL mode makes that cheap), so no lock is ever held
//! across an `.await` and a long sync never blocks a read.

use crate::error::{ApiError, ApiResult};
use forestock_core::Store;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

pub struct AppState {
    db: PathBuf,
    exports: ExportDir,
    /// Set by `cancel_run`; checked by the running job between stages.
    pub cancel: Arc<AtomicBool>,
    /// True while "Sync & run" is running, so a second click cannot start another.
    pub running: AtomicBool,
}

impl AppState {
    pub fn new(db: PathBuf, exports: ExportDir) -> Self {
        AppState {
            db,
            exports,
            cancel: Arc::new(AtomicBool::new(false)),
            running: AtomicBool::new(false),
        }
    }

    /// Where exported files go (or where the save dialog opens).
    pub fn export_dir(&self) -> &Path {
        &self.exports.dir
    }

    /// True when exports are written straight into [`Self::export_dir`] without a save dialog
    /// (`FORESTOCK_EXPORT_DIR` is set: scripted and end-to-end runs).
    pub fn export_without_dialog(&self) -> bool {
        self.exports.fixed
    }

    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// The OS keychain the store secrets live in (`FORESTOCK_KEYCHAIN` picks a backend).
    pub fn keychain(&self) -> ApiResult<forestock_connect::Keychain> {
        Ok(forestock_connect::Keychain::from_env()?)
    }

    /// Open the merchant database (it must exist).
    pub fn open(&self) -> ApiResult<Store> {
        Ok(Store::open(&self.db)?)
    }
}

/// The database path: `--db PATH`, else `FORESTOCK_DB`, else `merchant.db` in the app-data folder.
pub fn resolve_db_path(args: &[String], app_data: Option<PathBuf>) -> ApiResult<PathBuf> {
    let from_args = args
        .windows(2)
        .find(|w| w[0] == "--db")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--db=").map(PathBuf::from))
        });
    if let Some(p) = from_args {
        return Ok(p);
    }
    if let Some(p) = std::env::var_os("FORESTOCK_DB").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    app_data
        .map(|d| d.join("merchant.db"))
        .ok_or_else(|| ApiError::internal("no app-data folder on this system; pass --db PATH"))
}

/// Where exports go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDir {
    pub dir: PathBuf,
    /// Write into `dir` without asking (no save dialog).
    pub fixed: bool,
}

/// The export folder: `FORESTOCK_EXPORT_DIR` (written to without a dialog), else `Forestock` in
/// the user's downloads folder, where the save dialog opens.
pub fn resolve_export_dir(downloads: Option<PathBuf>, db: &Path) -> ExportDir {
    export_dir_from(std::env::var_os("FORESTOCK_EXPORT_DIR"), downloads, db)
}

fn export_dir_from(
    env: Option<std::ffi::OsString>,
    downloads: Option<PathBuf>,
    db: &Path,
) -> ExportDir {
    if let Some(p) = env.filter(|v| !v.is_empty()) {
        return ExportDir {
            dir: PathBuf::from(p),
            fixed: true,
        };
    }
    ExportDir {
        dir: downloads
            .map(|d| d.join("Forestock"))
            .unwrap_or_else(|| db.parent().unwrap_or(Path::new(".")).join("exports")),
        fixed: false,
    }
}

/// Run blocking library work off the async runtime.
pub async fn blocking<T, F>(f: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> ApiResult<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("background task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_dir_env_means_no_dialog_else_downloads_with_dialog() {
        let db = Path::new("/data/merchant.db");
        let fixed = export_dir_from(
            Some("/tmp/out".into()),
            Some("/home/a/Downloads".into()),
            db,
        );
        assert_eq!(
            fixed,
            ExportDir {
                dir: "/tmp/out".into(),
                fixed: true
            }
        );
        let asks = export_dir_from(Some("".into()), Some("/home/a/Downloads".into()), db);
        assert_eq!(
            asks,
            ExportDir {
                dir: "/home/a/Downloads/Forestock".into(),
                fixed: false
            }
        );
        let no_downloads = export_dir_from(None, None, db);
        assert_eq!(no_downloads.dir, PathBuf::from("/data/exports"));
        assert!(!no_downloads.fixed);
    }

    #[test]
    fn db_path_prefers_argument() {
        let args = vec!["app".to_string(), "--db".into(), "/tmp/x.db".into()];
        let p = resolve_db_path(&args, Some("/data".into())).unwrap();
        assert_eq!(p, PathBuf::from("/tmp/x.db"));
        let args = vec!["app".to_string(), "--db=/tmp/y.db".into()];
        assert_eq!(
            resolve_db_path(&args, None).unwrap(),
            PathBuf::from("/tmp/y.db")
        );
    }
}

/// Run a connector future to completion from a blocking thread (the connect crate's futures
/// hold the database connection, so they stay off the async workers).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tauri::async_runtime::block_on(f)
}

/// Who and when, for audit entries written on the planner's behalf.
pub mod planner {
    use forestock_core::{AuditStamp, FrontDoor};

    /// The stamp of an action now: `app:<OS user>` (the scheme the CLI shares as `cli:<OS
    /// user>`), at the wall-clock time in UTC. The shell is the one place that reads the clock;
    /// the libraries take "who" and "now" as arguments.
    pub fn stamp() -> AuditStamp {
        AuditStamp::now(FrontDoor::App)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_app_stamps_utc_and_names_the_app() {
            let before = chrono::Utc::now().naive_utc();
            let s = stamp();
            let after = chrono::Utc::now().naive_utc();
            assert!(before <= s.at && s.at <= after, "{} not in UTC", s.at);
            assert!(
                s.actor == "app" || s.actor.starts_with("app:"),
                "{}",
                s.actor
            );
            assert!(AuditStamp::is_actor(&s.actor));
        }
    }
}
