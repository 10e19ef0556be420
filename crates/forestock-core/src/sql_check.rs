//! Checks that keep each crate's SQL owned: every named statement prepares against a freshly
//! migrated database, and no statement is written inline outside the crate's `sql` module.
//! Each crate with SQL calls both from a test beside its `sql` module.

use crate::Store;
use std::path::Path;

/// The statements that do not prepare on a fresh in-memory database (migrated to the latest
/// schema), each as `NAME: error`; empty when all prepare.
pub fn unprepared(statements: &[(&str, &str)]) -> Vec<String> {
    let store = match Store::in_memory() {
        Ok(s) => s,
        Err(e) => return vec![format!("the fresh database: {e}")],
    };
    let r = store.read();
    statements
        .iter()
        .filter_map(|(name, sql)| r.conn().prepare(sql).err().map(|e| format!("{name}: {e}")))
        .collect()
}

/// Lines of the Rust files under `src` (recursively) that open a string literal with an SQL
/// statement (`"SELECT `, `"INSERT `, `"UPDATE `, `"DELETE `, `"WITH `), outside the files
/// named in `owners` (the crate's `sql` module): `path:line`.
pub fn inline_sql(src: &Path, owners: &[&str]) -> Vec<String> {
    const STARTS: [&str; 5] = [
        "\"SELECT ",
        "\"INSERT ",
        "\"UPDATE ",
        "\"DELETE ",
        "\"WITH ",
    ];
    let mut found = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            found.push(format!("{}: unreadable", dir.display()));
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let owned = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| owners.contains(&n));
            if owned || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (i, line) in text.lines().enumerate() {
                if STARTS.iter().any(|s| line.contains(s)) {
                    found.push(format!("{}:{}", path.display(), i + 1));
                }
            }
        }
    }
    found.sort();
    found
}

/// The tests of a crate's `sql` module, written once: every statement of `$all` (`&[(name,
/// sql)]`) prepares against a freshly migrated database, and, given the owning files, no
/// statement is written inline in another file under the crate's `src`.
#[macro_export]
macro_rules! sql_owner_tests {
    ($all:expr) => {
        /// A renamed table or column fails here, not in front of a planner.
        #[test]
        fn every_statement_prepares_against_a_freshly_migrated_database() {
            let failed = $crate::sql_check::unprepared($all);
            assert!(failed.is_empty(), "{failed:#?}");
        }
    };
    ($all:expr, $owners:expr) => {
        $crate::sql_owner_tests!($all);

        /// Every statement of the crate is one of the named ones.
        #[test]
        fn no_sql_is_written_outside_the_sql_module() {
            // The crate's folder as the test runner gives it (cargo and nextest set it when
            // they run a test), else as it was at build time: a test binary reused from another
            // checkout of the same target folder still reads this checkout's sources.
            let dir = std::env::var_os("CARGO_MANIFEST_DIR")
                .unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
            let src = std::path::Path::new(&dir).join("src");
            let inline = $crate::sql_check::inline_sql(&src, $owners);
            assert!(inline.is_empty(), "{inline:#?}");
        }
    };
}
