//! Where the merchant database lives. The shell keeps only the path: each command opens its own
//! connection on a blocking thread (SQLite in WAL mode makes that cheap), so no lock is ever held
//! across an `.await` and a long sync never blocks a read.

use crate::error::{ApiError, ApiResult, ErrorCode};
pub use forestock_api::folders::{ExportDir, Folders};
use forestock_core::{AuditStamp, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, RwLock};

pub struct AppState {
    /// The open merchant's database; `None` until the planner chose one on first run. Switched
    /// only once the new file has opened as a merchant database (never left half-open).
    db: RwLock<Option<PathBuf>>,
    folders: Folders,
    exports: ExportDir,
    /// What went wrong with the recent-merchants list at start, shown once.
    notes: Mutex<Vec<String>>,
    /// Set by `cancel_run`; checked by the running job between stages.
    pub cancel: Arc<AtomicBool>,
    /// True while "Sync & run" is running, so a second click cannot start another.
    pub running: AtomicBool,
    /// The planner grid's lines between windows (kept per database and plan version).
    pub grid: forestock_api::grid::GridCache,
}

impl AppState {
    /// An app with `db` open (tests).
    #[cfg(test)]
    pub fn new(db: PathBuf, exports: ExportDir) -> Self {
        Self::starting(forestock_api::folders::Start {
            db: Some(db),
            folders: Folders::default(),
            exports,
            notes: Vec::new(),
        })
    }

    pub fn starting(start: forestock_api::folders::Start) -> Self {
        AppState {
            db: RwLock::new(start.db),
            folders: start.folders,
            exports: start.exports,
            notes: Mutex::new(start.notes),
            cancel: Arc::new(AtomicBool::new(false)),
            running: AtomicBool::new(false),
            grid: Default::default(),
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

    /// The open merchant's database file, if one is chosen.
    pub fn current(&self) -> Option<PathBuf> {
        self.db.read().ok().and_then(|g| g.clone())
    }

    pub fn db_path(&self) -> ApiResult<PathBuf> {
        self.current().ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "no merchant is open yet: explore the demo shop or set up your shop",
            )
        })
    }

    /// Make `path` the open merchant (after it opened). Refused while "Sync & run" runs, so a
    /// run never writes to one merchant while the window shows another.
    pub fn switch_to(&self, path: PathBuf) -> ApiResult<()> {
        if self.running.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(ApiError::new(
                ErrorCode::Busy,
                "a Sync & run is in progress; switch merchants when it has finished",
            ));
        }
        let mut g = self
            .db
            .write()
            .map_err(|_| ApiError::internal("the open-merchant lock is poisoned"))?;
        *g = Some(path);
        Ok(())
    }

    pub fn folders(&self) -> &Folders {
        &self.folders
    }

    /// The start-up notes, once.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }

    /// The OS keychain the store secrets live in (`FORESTOCK_KEYCHAIN` picks a backend).
    pub fn keychain(&self) -> ApiResult<forestock_connect::Keychain> {
        Ok(forestock_connect::Keychain::from_env()?)
    }

    /// Open the merchant database (it must exist).
    pub fn open(&self) -> ApiResult<Store> {
        Ok(Store::open(&self.db_path()?)?)
    }

    /// Run `f` on the open merchant's database off the async runtime; its library error
    /// crosses the IPC edge classified ([`ApiError`]'s `From`s).
    pub async fn read<T, E>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, E> + Send + 'static,
    ) -> ApiResult<T>
    where
        T: Send + 'static,
        ApiError: From<E>,
    {
        let state = Arc::clone(self);
        blocking(move || Ok(f(&state.open()?)?)).await
    }

    /// Like [`Self::read`], for an action the planner takes: `f` also gets the stamp its audit
    /// entry carries ([`planner::stamp`]).
    pub async fn write<T, E>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store, &AuditStamp) -> Result<T, E> + Send + 'static,
    ) -> ApiResult<T>
    where
        T: Send + 'static,
        ApiError: From<E>,
    {
        let state = Arc::clone(self);
        blocking(move || Ok(f(&mut state.open()?, &planner::stamp())?)).await
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
    fn switching_is_refused_while_a_run_is_in_progress_and_keeps_the_open_merchant() {
        let exports = ExportDir {
            dir: "/tmp".into(),
            fixed: true,
        };
        let st = AppState::new("/data/a.db".into(), exports);
        st.running.store(true, std::sync::atomic::Ordering::SeqCst);
        let e = st.switch_to("/data/b.db".into()).unwrap_err();
        assert_eq!(e.code, ErrorCode::Busy);
        assert_eq!(st.current(), Some(PathBuf::from("/data/a.db")));
        st.running.store(false, std::sync::atomic::Ordering::SeqCst);
        st.switch_to("/data/b.db".into()).unwrap();
        assert_eq!(st.db_path().unwrap(), PathBuf::from("/data/b.db"));
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
