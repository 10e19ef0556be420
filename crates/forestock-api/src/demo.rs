//! Creating the demo merchant (`forestock demo`, and the app's first run when no database
//! exists yet): a seeded, believable shop written to a sibling `.partial` file and renamed into
//! place, so an interrupted run leaves the old database (if any) untouched and no half-written
//! one.

use crate::{Error, Result};
use forestock_core::Store;
use forestock_demo::{DemoConfig, DemoSummary, Progress};
use std::path::{Path, PathBuf};

/// Generate the demo merchant at `path`, replacing a database already there (the caller
/// decides whether one may be replaced). A database another program has open is never
/// replaced: it would keep writing to the deleted file.
pub fn create(
    path: &Path,
    cfg: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<DemoSummary> {
    cfg.validate()?;
    Store::ensure_not_in_use(path)?;
    let partial = partial_path(path);
    remove_db_files(&partial)?;
    let built = build(&partial, cfg, progress)
        // Checked again just before the swap.
        .and_then(|summary| Ok(Store::ensure_not_in_use(path).map(|()| summary)?));
    let summary = match built {
        Ok(s) => s,
        Err(e) => {
            let _cleaned = remove_db_files(&partial);
            return Err(e);
        }
    };
    remove_db_files(path)?;
    std::fs::rename(&partial, path)
        .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", path.display())))?;
    Ok(summary)
}

fn build(
    partial: &Path,
    cfg: &DemoConfig,
    progress: &mut dyn FnMut(Progress),
) -> Result<DemoSummary> {
    // The file the demo writes is one the user named: when it cannot be created, that is the
    // user's to fix, whatever the database layer calls it.
    let mut store = Store::create(partial).map_err(|e| Error::Invalid(e.to_string()))?;
    Ok(forestock_demo::generate(&mut store, cfg, progress)?)
}

pub(crate) fn partial_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// Remove a database file with its WAL and shared-memory companions.
pub(crate) fn remove_db_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Error::Invalid(format!(
                    "cannot replace {}: {e}",
                    path.display()
                )))
            }
        }
    }
    Ok(())
}

/// The demo merchant made at `path`, as `forestock demo --format json` reports it.
pub fn summary_json(
    path: &Path,
    cfg: &DemoConfig,
    s: &DemoSummary,
    seconds: f64,
) -> serde_json::Value {
    serde_json::json!({
        "db": path, "seed": cfg.seed, "skus": s.skus, "products": s.products,
        "locations": s.locations, "suppliers": s.suppliers, "orders": s.orders,
        "order_lines": s.order_lines, "inventory_rows": s.snapshots, "receipts": s.receipts,
        "promotions": s.promotions, "seconds": seconds,
    })
}

/// The demo merchant made at `path`, in one sentence.
pub fn summary_text(path: &Path, cfg: &DemoConfig, s: &DemoSummary, seconds: f64) -> String {
    format!(
        "Created the demo merchant in {} ({seconds:.1} s): {} SKUs in {} products, {} \
         locations, {} suppliers, {} orders ({} lines), {} promotions, history to {}.\n",
        path.display(),
        s.skus,
        s.products,
        s.locations,
        s.suppliers,
        s.orders,
        s.order_lines,
        s.promotions,
        cfg.end_date
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// One rule for `forestock demo --force` and the app's first run: the new merchant
    /// replaces the file and its WAL companions, and no `.partial` file is left behind.
    #[test]
    fn the_demo_replaces_the_file_and_leaves_no_partial_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        std::fs::write(&path, "").unwrap();
        std::fs::write(dir.path().join("m.db-wal"), "stale").unwrap();
        let cfg = DemoConfig {
            skus: 5,
            days: 90,
            ..DemoConfig::default()
        };
        let summary = create(&path, &cfg, &mut |_| {}).unwrap();
        assert_eq!(summary.skus, 5);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.read().skus().unwrap().len(), 5);
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
    }
}
