//! Merchant databases: set up a new merchant's file, open one safely, and the list of recent
//! merchant files the app offers (a small JSON file in the OS config folder).
//!
//! One merchant per SQLite file. A new merchant's file is built beside its final name
//! (`NAME.partial`) and renamed into place once its first transaction is committed, so a
//! failed set-up leaves no half-made database behind. Opening refuses a missing file, an empty
//! one and any SQLite file Forestock did not write ([`forestock_core::Store::open`]'s check),
//! before the caller lets go of the merchant it had open.

use crate::{AuditStamp, Error, Result};
use forestock_core::{Merchant, NewAuditEntry, Store};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The recent-merchants file's name inside the config folder.
pub const RECENT_FILE: &str = "recent-merchants.json";
/// How many merchant files the recent list keeps (most recently opened first).
pub const MAX_RECENT: usize = 10;

/// What "Set up my shop" asks for.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewMerchant {
    /// The shop's name, as the app's header shows it.
    pub name: String,
    /// The currency its prices and costs are in (ISO 4217, e.g. `EUR`).
    pub currency: String,
    /// The full path of the new database file; it must not exist yet.
    pub path: String,
    /// The shop's IANA time zone (e.g. `America/Los_Angeles`): its days start at its local
    /// midnight. Empty: this computer's zone when it can be read, else UTC ([`local_timezone`]).
    #[serde(default)]
    pub timezone: String,
}

/// This computer's IANA time zone when the OS tells it and the time zone database knows it,
/// else `UTC`: a new merchant's default zone.
pub fn local_timezone() -> String {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|z| timezone_name(&z).ok())
        .unwrap_or_else(|| "UTC".into())
}

/// A zone name as typed, checked against the IANA time zone database (the `chrono-tz` crate's
/// copy): `Europe/Paris`, `America/Los_Angeles`, `UTC`. Returns the database's spelling.
pub fn timezone_name(typed: &str) -> Result<String> {
    let t = typed.trim();
    t.parse::<chrono_tz::Tz>()
        .map(|z| z.name().to_string())
        .map_err(|_| {
            Error::Invalid(format!(
                "time zone {t:?} is not an IANA time zone name (e.g. Europe/Paris, \
                 America/Los_Angeles, UTC)"
            ))
        })
}

/// Create a new, empty merchant database at `new.path` holding only the merchant (name,
/// currency, no fixed "as of" date: it plans as of its last sync) and the audit entry of its
/// creation. Refuses a relative path, an existing file, an empty name and a currency that is
/// not ISO 4217; nothing is written then. The folder is created if missing.
pub fn create(new: &NewMerchant, stamp: &AuditStamp) -> Result<Store> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::Invalid("the shop's name is empty".into()));
    }
    let currency = new.currency.trim().to_ascii_uppercase();
    // The ISO 4217 list, as the `iso_currency` crate holds it (the catalog import checks the
    // same way).
    if iso_currency::Currency::from_code(&currency).is_none() {
        return Err(Error::Invalid(format!(
            "currency {:?} is not an ISO 4217 currency code (e.g. USD, EUR, GBP)",
            new.currency.trim()
        )));
    }
    let timezone = if new.timezone.trim().is_empty() {
        local_timezone()
    } else {
        timezone_name(&new.timezone)?
    };
    let path = PathBuf::from(new.path.trim());
    if new.path.trim().is_empty() || !path.is_absolute() {
        return Err(Error::Invalid(format!(
            "give the full path of the new database file (e.g. /home/you/Forestock/shop.db), \
             not {:?}",
            new.path.trim()
        )));
    }
    if path.exists() {
        return Err(Error::Invalid(format!(
            "{} already exists; open it instead, or choose a new file name",
            path.display()
        )));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::Invalid(format!("cannot create the folder {}: {e}", dir.display()))
        })?;
    }
    let partial = crate::demo::partial_path(&path);
    crate::demo::remove_db_files(&partial)?;
    let built = write_new(&partial, name, &currency, &timezone, stamp);
    if let Err(e) = built {
        let _cleaned = crate::demo::remove_db_files(&partial);
        return Err(e);
    }
    if path.exists() {
        let _cleaned = crate::demo::remove_db_files(&partial);
        return Err(Error::Invalid(format!(
            "{} was created by someone else meanwhile; nothing was changed",
            path.display()
        )));
    }
    std::fs::rename(&partial, &path)
        .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", path.display())))?;
    Ok(Store::open(&path)?)
}

fn write_new(
    partial: &Path,
    name: &str,
    currency: &str,
    timezone: &str,
    stamp: &AuditStamp,
) -> Result<()> {
    // The file is one the user named: when it cannot be created, that is theirs to fix.
    let mut store = Store::create(partial).map_err(|e| Error::Invalid(e.to_string()))?;
    let w = store.write()?;
    let merchant = Merchant {
        name: name.to_string(),
        currency: currency.to_string(),
        timezone: timezone.to_string(),
        as_of: None,
        is_demo: false,
        created_at: stamp.at,
    };
    w.set_merchant(&merchant)?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "merchant.create".into(),
        entity: "merchant".into(),
        entity_id: name.to_string(),
        before: None,
        after: Some(serde_json::json!({"name": name, "currency": currency, "timezone": timezone})),
        reason: String::new(),
    })?;
    w.commit()?;
    // Dropping the only connection checkpoints the WAL into the file and removes it
    // (<https://sqlite.org/wal.html>, "Automatic Checkpoint" and the close behaviour), so the
    // rename that follows moves the whole database.
    drop(store);
    Ok(())
}

/// Open an existing merchant database to switch to it. Refuses, naming the file: a missing
/// file, an empty file (it would become a new database), an SQLite file Forestock did not
/// write, a corrupt file and one written by a newer Forestock.
pub fn open(path: &Path) -> Result<Store> {
    if !path.is_absolute() {
        return Err(Error::Invalid(format!(
            "give the full path of the merchant database, not {:?}",
            path.display().to_string()
        )));
    }
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(forestock_core::Error::NotADatabase {
            path: path.to_path_buf(),
            detail: "the file is empty; use \"Set up my shop\" to start a new merchant".into(),
        }
        .into());
    }
    Ok(Store::open(path)?)
}

/// Work on the merchant database at `path`, creating it when it does not exist yet. A
/// database created here is removed again when `work` fails, so a failed first import or
/// connection leaves nothing behind; with `preview`, a missing database is an empty one in
/// memory and no file is made.
pub fn with_database<T, E: From<Error>>(
    path: &Path,
    preview: bool,
    work: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
) -> std::result::Result<T, E> {
    if path.exists() {
        return work(&mut Store::open(path).map_err(Error::from)?);
    }
    if preview {
        return work(&mut Store::in_memory().map_err(Error::from)?);
    }
    let mut store = Store::create(path).map_err(Error::from)?;
    let result = work(&mut store);
    drop(store);
    if result.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = path.as_os_str().to_os_string();
            p.push(suffix);
            let _ignored_if_absent = std::fs::remove_file(p);
        }
    }
    result
}

/// A new merchant database made at `path`: its shop, its time zone and the next step
/// (`forestock setup new`).
pub fn created_text(store: &Store, path: &std::path::Path) -> Result<String> {
    let zone = store
        .read()
        .merchant()?
        .map(|m| m.timezone)
        .unwrap_or_default();
    Ok(format!(
        "created {} for {} (time zone {zone}); next: forestock connect … --db {}\n",
        path.display(),
        display_name(store)?,
        path.display()
    ))
}

/// The merchant's name as the recent list shows it.
pub fn display_name(store: &Store) -> Result<String> {
    Ok(store
        .read()
        .merchant()?
        .map(|m| m.name)
        .unwrap_or_else(|| "Unnamed merchant".into()))
}

/// One merchant file the app opened before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecentMerchant {
    /// Absolute path of the database file.
    pub path: String,
    /// The merchant's name when it was last opened.
    pub name: String,
}

/// The recent merchant files (most recent first) and what was wrong with the list, if
/// anything: an unreadable file, entries whose database is gone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RecentList {
    pub entries: Vec<RecentMerchant>,
    /// One sentence per problem, for the planner to read.
    pub notes: Vec<String>,
}

/// The file's shape on disk (`version` lets a later release change it).
#[derive(Debug, Serialize, Deserialize)]
struct RecentFile {
    version: u32,
    recent: Vec<RecentMerchant>,
}

fn recent_path(config_dir: &Path) -> PathBuf {
    config_dir.join(RECENT_FILE)
}

/// Read the recent list from `config_dir`. A missing file is an empty list. An unreadable or
/// corrupt file is kept aside as `recent-merchants.json.unreadable` and the list starts empty,
/// with a note saying so. Entries whose database file no longer exists are dropped from the
/// list (and from the file), each with a note naming it.
pub fn recent(config_dir: &Path) -> RecentList {
    let path = recent_path(config_dir);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return RecentList::default(),
        Err(e) => {
            return RecentList {
                entries: Vec::new(),
                notes: vec![format!(
                    "The list of recent merchants ({}) could not be read: {e}",
                    path.display()
                )],
            }
        }
    };
    let parsed: RecentFile = match serde_json::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let aside = path.with_extension("json.unreadable");
            let kept = std::fs::rename(&path, &aside).is_ok();
            return RecentList {
                entries: Vec::new(),
                notes: vec![format!(
                    "The list of recent merchants ({}) is damaged ({e}); it starts again empty{}. \
                     No merchant database was touched.",
                    path.display(),
                    if kept {
                        format!(" and the damaged file is kept as {}", aside.display())
                    } else {
                        String::new()
                    }
                )],
            };
        }
    };
    let (entries, gone): (Vec<_>, Vec<_>) = parsed
        .recent
        .into_iter()
        .partition(|e| Path::new(&e.path).is_file());
    let mut notes: Vec<String> = gone
        .iter()
        .map(|e| {
            format!(
                "{} ({}) is no longer there (moved or deleted); it was removed from the recent list",
                e.name, e.path
            )
        })
        .collect();
    if !gone.is_empty() {
        if let Err(e) = write_recent(config_dir, &entries) {
            notes.push(e.to_string());
        }
    }
    RecentList { entries, notes }
}

/// Put `path` at the top of the recent list (once), keeping at most [`MAX_RECENT`] entries.
/// The file is written whole to a temporary file and renamed over the old one.
pub fn remember(config_dir: &Path, path: &Path, name: &str) -> Result<()> {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let key = path.display().to_string();
    let mut entries = recent(config_dir).entries;
    entries.retain(|e| e.path != key);
    entries.insert(
        0,
        RecentMerchant {
            path: key,
            name: name.to_string(),
        },
    );
    entries.truncate(MAX_RECENT);
    write_recent(config_dir, &entries)
}

fn write_recent(config_dir: &Path, entries: &[RecentMerchant]) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::Internal(format!(
            "cannot save the list of recent merchants in {}: {e}",
            config_dir.display()
        ))
    };
    std::fs::create_dir_all(config_dir).map_err(fail)?;
    let body = serde_json::to_string_pretty(&RecentFile {
        version: 1,
        recent: entries.to_vec(),
    })?;
    let path = recent_path(config_dir);
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, body).map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)
}

/// A file name for a new merchant in `dir` that is not taken yet: `my-shop.db`, else
/// `my-shop-2.db`, `my-shop-3.db`, …
pub fn unused_path(dir: &Path) -> PathBuf {
    (1u32..)
        .map(|n| {
            dir.join(if n == 1 {
                "my-shop.db".to_string()
            } else {
                format!("my-shop-{n}.db")
            })
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join("my-shop.db"))
}

/// Which merchant database the app opens at start: the one named on the command line (or
/// `FORESTOCK_DB`), else the most recently opened one that still exists, else the database
/// earlier versions kept in the app-data folder, else none (first run: the app asks).
pub fn start_path(
    explicit: Option<PathBuf>,
    recent: &RecentList,
    legacy: Option<&Path>,
) -> Option<PathBuf> {
    explicit
        .or_else(|| recent.entries.first().map(|e| PathBuf::from(&e.path)))
        .or_else(|| legacy.filter(|p| p.is_file()).map(Path::to_path_buf))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{Classify, ErrorKind};

    /// A database made for work that fails is removed again; one that existed stays; a
    /// preview of a missing one writes no file.
    #[test]
    fn with_database_leaves_nothing_behind_when_the_work_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        let failed: Result<()> = with_database(&path, false, |_| Err(Error::Invalid("no".into())));
        assert!(failed.is_err());
        assert!(
            !path.exists(),
            "a failed first use removes the database it made"
        );
        let seen: Result<bool> = with_database(&path, true, |_| Ok(true));
        assert!(seen.unwrap() && !path.exists(), "a preview makes no file");
        with_database::<_, Error>(&path, false, |_| Ok(())).unwrap();
        assert!(path.exists(), "a successful first use keeps it");
        let again: Result<()> = with_database(&path, false, |_| Err(Error::Invalid("no".into())));
        assert!(
            again.is_err() && path.exists(),
            "an existing database is never removed"
        );
    }

    /// The error of a call that must fail (a `Store` has no `Debug` for `unwrap_err`).
    fn err<T>(r: Result<T>) -> Error {
        match r {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    fn stamp() -> AuditStamp {
        AuditStamp {
            actor: "app:ana".into(),
            at: chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        }
    }

    fn new(dir: &Path, file: &str, currency: &str) -> NewMerchant {
        NewMerchant {
            name: " Fern & Moss ".into(),
            currency: currency.into(),
            path: dir.join(file).display().to_string(),
            timezone: String::new(),
        }
    }

    #[test]
    fn a_new_merchant_keeps_the_time_zone_given_and_refuses_an_unknown_one() {
        let dir = tempfile::tempdir().unwrap();
        let la = NewMerchant {
            timezone: " America/Los_Angeles ".into(),
            ..new(dir.path(), "la.db", "USD")
        };
        let store = create(&la, &stamp()).unwrap();
        let m = store.read().merchant().unwrap().unwrap();
        assert_eq!(m.timezone, "America/Los_Angeles");
        let audit = store
            .read()
            .audit_entries(&forestock_core::AuditFilter::default())
            .unwrap();
        assert_eq!(
            audit[0].after.as_ref().unwrap()["timezone"],
            "America/Los_Angeles"
        );
        let bad = NewMerchant {
            timezone: "Mars/Olympus".into(),
            ..new(dir.path(), "mars.db", "USD")
        };
        let e = err(create(&bad, &stamp()));
        assert!(
            e.to_string()
                .contains("\"Mars/Olympus\" is not an IANA time zone name"),
            "{e}"
        );
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(!dir.path().join("mars.db").exists());
        // Left empty: this computer's zone when it can be read (a valid IANA name), else UTC.
        let store = create(&new(dir.path(), "here.db", "USD"), &stamp()).unwrap();
        let zone = store.read().merchant().unwrap().unwrap().timezone;
        assert_eq!(zone, local_timezone());
        assert!(timezone_name(&zone).is_ok(), "{zone}");
    }

    #[test]
    fn a_new_merchant_holds_its_name_and_currency_plans_by_its_sync_and_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let store = create(&new(dir.path(), "shops/fern.db", "eur"), &stamp()).unwrap();
        let m = store.read().merchant().unwrap().unwrap();
        assert_eq!(
            (m.name.as_str(), m.currency.as_str()),
            ("Fern & Moss", "EUR")
        );
        assert!(!m.is_demo && m.as_of.is_none());
        let audit = store
            .read()
            .audit_entries(&forestock_core::AuditFilter::default())
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "merchant.create");
        assert_eq!(audit[0].actor, "app:ana");
        drop(store);
        let names: Vec<String> = std::fs::read_dir(dir.path().join("shops"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
        // It opens again as a Forestock database.
        assert_eq!(
            display_name(&open(&dir.path().join("shops/fern.db")).unwrap()).unwrap(),
            "Fern & Moss"
        );
    }

    #[test]
    fn setting_up_refuses_an_existing_file_a_bad_currency_a_relative_path_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("taken.db");
        std::fs::write(&taken, "keep me").unwrap();
        let e = err(create(&new(dir.path(), "taken.db", "USD"), &stamp()));
        assert!(e.to_string().contains("already exists"), "{e}");
        assert_eq!(std::fs::read_to_string(&taken).unwrap(), "keep me");
        let e = err(create(&new(dir.path(), "x.db", "EURO"), &stamp()));
        assert!(e.to_string().contains("\"EURO\" is not an ISO 4217"), "{e}");
        assert_eq!(e.kind(), ErrorKind::BadInput);
        let rel = NewMerchant {
            path: "shop.db".into(),
            ..new(dir.path(), "", "USD")
        };
        assert!(err(create(&rel, &stamp()))
            .to_string()
            .contains("full path"));
        let blank = NewMerchant {
            name: "  ".into(),
            ..new(dir.path(), "y.db", "USD")
        };
        assert!(err(create(&blank, &stamp()))
            .to_string()
            .contains("name is empty"));
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the existing file is there");
    }

    #[test]
    fn opening_refuses_another_programs_sqlite_file_an_empty_file_and_a_missing_one() {
        let dir = tempfile::tempdir().unwrap();
        let foreign = dir.path().join("photos.sqlite");
        rusqlite_like_foreign(&foreign);
        let before = std::fs::read(&foreign).unwrap();
        let e = err(open(&foreign));
        assert!(e.to_string().contains("not a Forestock database"), "{e}");
        assert_eq!(e.kind(), ErrorKind::Database);
        assert_eq!(
            std::fs::read(&foreign).unwrap(),
            before,
            "the file is untouched"
        );
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, "").unwrap();
        let e = err(open(&empty));
        assert!(e.to_string().contains("the file is empty"), "{e}");
        assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
        let e = err(open(&dir.path().join("gone.db")));
        assert_eq!(e.kind(), ErrorKind::Database);
    }

    /// Another program's SQLite file: a table, `user_version` 0.
    fn rusqlite_like_foreign(path: &Path) {
        // Store::create writes Forestock's schema; the foreign file is built by hand instead:
        // a valid SQLite file (made by Forestock's own connection type) whose tables are not
        // ours and whose user_version is 0.
        let s = Store::create(path).unwrap();
        s.read()
            .conn()
            .execute_batch(
                "PRAGMA journal_mode=DELETE; PRAGMA user_version=0; CREATE TABLE photos(id);",
            )
            .unwrap();
    }

    #[test]
    fn the_recent_list_puts_the_last_opened_first_once_and_keeps_ten() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config");
        let mut files = Vec::new();
        for i in 0..12 {
            let p = dir.path().join(format!("m{i}.db"));
            std::fs::write(&p, "x").unwrap();
            remember(&cfg, &p, &format!("Shop {i}")).unwrap();
            files.push(p);
        }
        remember(&cfg, &files[5], "Shop 5 renamed").unwrap();
        let list = recent(&cfg);
        assert!(list.notes.is_empty(), "{:?}", list.notes);
        assert_eq!(list.entries.len(), MAX_RECENT);
        assert_eq!(list.entries[0].name, "Shop 5 renamed");
        assert_eq!(list.entries[1].name, "Shop 11");
        assert_eq!(
            list.entries
                .iter()
                .filter(|e| e.name.starts_with("Shop 5"))
                .count(),
            1
        );
        let (explicit, legacy) = (Some(PathBuf::from("/x.db")), None);
        assert_eq!(
            start_path(explicit, &list, legacy),
            Some(PathBuf::from("/x.db"))
        );
        assert_eq!(
            start_path(None, &list, None),
            Some(PathBuf::from(&list.entries[0].path))
        );
        assert_eq!(
            start_path(None, &RecentList::default(), Some(&files[0])),
            Some(files[0].clone())
        );
        assert_eq!(
            start_path(
                None,
                &RecentList::default(),
                Some(&dir.path().join("none.db"))
            ),
            None
        );
        std::fs::write(dir.path().join("my-shop.db"), "x").unwrap();
        assert_eq!(unused_path(dir.path()), dir.path().join("my-shop-2.db"));
    }

    #[test]
    fn a_merchant_file_that_is_gone_is_dropped_from_the_recent_list_with_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
        std::fs::write(&a, "x").unwrap();
        std::fs::write(&b, "x").unwrap();
        remember(dir.path(), &a, "Alder").unwrap();
        remember(dir.path(), &b, "Birch").unwrap();
        std::fs::remove_file(&b).unwrap();
        let list = recent(dir.path());
        assert_eq!(
            list.entries
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>(),
            ["Alder"]
        );
        assert_eq!(list.notes.len(), 1);
        assert!(list.notes[0].starts_with("Birch ("), "{}", list.notes[0]);
        assert!(list.notes[0].contains("removed from the recent list"));
        // The file was rewritten: the next read has nothing to report.
        assert_eq!(
            recent(dir.path()),
            RecentList {
                entries: list.entries,
                notes: vec![]
            }
        );
    }

    #[test]
    fn a_corrupt_recent_list_starts_empty_says_so_and_keeps_the_damaged_file_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(RECENT_FILE),
            "{\"version\":1,\"recent\":[{\"pa",
        )
        .unwrap();
        let list = recent(dir.path());
        assert!(list.entries.is_empty());
        assert_eq!(list.notes.len(), 1);
        assert!(list.notes[0].contains("is damaged"), "{}", list.notes[0]);
        let aside = dir.path().join("recent-merchants.json.unreadable");
        assert!(std::fs::read_to_string(&aside).unwrap().contains("\"pa"));
        // The list works again from there.
        let a = dir.path().join("a.db");
        std::fs::write(&a, "x").unwrap();
        remember(dir.path(), &a, "Alder").unwrap();
        assert_eq!(recent(dir.path()).entries.len(), 1);
    }
}
