//! Where the desktop app's files are: the merchant database it starts on (named with `--db` or
//! `FORESTOCK_DB`, the demo with `--demo`, else the last one opened), its config folder (the
//! recent-merchants list), the demo merchant's file, and the folder exports go to. The shell
//! gives the OS's folders and the command line; the choices are made here.

use crate::merchants;
use std::path::{Path, PathBuf};

/// The OS's own folders, as the shell finds them (each may be missing).
#[derive(Debug, Clone, Default)]
pub struct OsFolders {
    pub config: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub downloads: Option<PathBuf>,
}

/// The app's own folders.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    /// Where the recent-merchants list lives (`FORESTOCK_CONFIG_DIR`, else the OS config folder).
    pub config: Option<PathBuf>,
    /// Where the demo merchant is made (the app-data folder).
    pub data: Option<PathBuf>,
}

impl Folders {
    /// Where the demo merchant lives: `merchant.db` in the app-data folder (where earlier
    /// versions kept their only database).
    pub fn demo_path(&self) -> Option<PathBuf> {
        self.data.as_deref().map(|d| d.join("merchant.db"))
    }
}

/// Where exports go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDir {
    pub dir: PathBuf,
    /// Write into `dir` without asking (no save dialog).
    pub fixed: bool,
}

/// What the app starts with.
#[derive(Debug, Clone)]
pub struct Start {
    /// The merchant database to open; `None` on first run (the window offers the demo or
    /// setting up a shop).
    pub db: Option<PathBuf>,
    pub folders: Folders,
    pub exports: ExportDir,
    /// What went wrong with the recent-merchants list, for the planner to read once.
    pub notes: Vec<String>,
}

/// The app's start from its command line and the OS's folders.
pub fn start(args: &[String], os: OsFolders) -> Start {
    let folders = Folders {
        config: resolve_config_dir(os.config),
        data: os.data,
    };
    let recent = folders
        .config
        .as_deref()
        .map(merchants::recent)
        .unwrap_or_default();
    let demo = folders.demo_path();
    let named =
        explicit_db_path(args).or_else(|| demo_requested(args).then(|| demo.clone()).flatten());
    let db = merchants::start_path(named, &recent, demo.as_deref());
    let anchor = db.clone().or(demo).unwrap_or_else(|| "merchant.db".into());
    let exports = export_dir_from(
        std::env::var_os("FORESTOCK_EXPORT_DIR"),
        os.downloads,
        &anchor,
    );
    Start {
        db,
        folders,
        exports,
        notes: recent.notes,
    }
}

/// The config folder: `FORESTOCK_CONFIG_DIR` (tests and scripted runs), else the OS one.
fn resolve_config_dir(os: Option<PathBuf>) -> Option<PathBuf> {
    std::env::var_os("FORESTOCK_CONFIG_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or(os)
}

/// The database named at start: `--db PATH`, else `FORESTOCK_DB`; `None` lets the app choose
/// ([`merchants::start_path`]).
fn explicit_db_path(args: &[String]) -> Option<PathBuf> {
    let from_args = args
        .windows(2)
        .find(|w| w[0] == "--db")
        .map(|w| PathBuf::from(&w[1]))
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--db=").map(PathBuf::from))
        });
    from_args.or_else(|| {
        std::env::var_os("FORESTOCK_DB")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })
}

/// `--demo`: start on the built-in demo merchant (made on first use where
/// [`Folders::demo_path`] says), whatever was opened last, as `scripts/app.sh` does when no
/// database is named.
fn demo_requested(args: &[String]) -> bool {
    args.iter().any(|a| a == "--demo")
}

/// The export folder: `FORESTOCK_EXPORT_DIR` (written to without a dialog), else `Forestock` in
/// the user's downloads folder, where the save dialog opens.
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
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
        assert_eq!(explicit_db_path(&args), Some(PathBuf::from("/tmp/x.db")));
        let args = vec!["app".to_string(), "--db=/tmp/y.db".into()];
        assert_eq!(explicit_db_path(&args), Some(PathBuf::from("/tmp/y.db")));
        assert!(demo_requested(&["forestock-app".into(), "--demo".into()]));
        assert!(!demo_requested(&args));
    }
}
