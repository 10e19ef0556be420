//! Opening a merchant database, migrations, and the read/write handles.

use crate::error::{Error, Result};
use crate::sql;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Append-only migrations, applied in order. Never edit one that has shipped: add a new one.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_merchant",
        include_str!("../migrations/0001_merchant.sql"),
    ),
    (
        "0002_connect",
        include_str!("../migrations/0002_connect.sql"),
    ),
    (
        "0003_forecast_runs",
        include_str!("../migrations/0003_forecast_runs.sql"),
    ),
    ("0004_plan", include_str!("../migrations/0004_plan.sql")),
    ("0005_push", include_str!("../migrations/0005_push.sql")),
    (
        "0006_order_attribution",
        include_str!("../migrations/0006_order_attribution.sql"),
    ),
    (
        "0007_supplier_terms",
        include_str!("../migrations/0007_supplier_terms.sql"),
    ),
    (
        "0008_imports",
        include_str!("../migrations/0008_imports.sql"),
    ),
    (
        "0010_fulfilment_split",
        include_str!("../migrations/0010_fulfilment_split.sql"),
    ),
    (
        "0012_review_alerts_transfers_receipts",
        include_str!("../migrations/0012_review_alerts_transfers_receipts.sql"),
    ),
    (
        "0014_stock_and_promotion_imports",
        include_str!("../migrations/0014_stock_and_promotion_imports.sql"),
    ),
    (
        "0015_exchange_rates",
        include_str!("../migrations/0015_exchange_rates.sql"),
    ),
    (
        "0016_forecast_overrides_and_excess_alerts",
        include_str!("../migrations/0016_forecast_overrides_and_excess_alerts.sql"),
    ),
    (
        "0017_writeback",
        include_str!("../migrations/0017_writeback.sql"),
    ),
];

/// How long a statement waits for another connection's lock before "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open merchant database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Open an existing merchant database, migrating it to this version's schema.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::Missing {
                path: path.to_path_buf(),
            });
        }
        check_header(path)?;
        Self::connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }

    /// Open an existing merchant database for reading only (`forestock info`): nothing is
    /// written to the file, no `-wal`/`-shm` companion is created for a file that is not a
    /// Forestock database, and an empty or foreign file is refused untouched. A Forestock
    /// database of an older schema is upgraded as [`Store::open`] does (it is ours to write).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::Missing {
                path: path.to_path_buf(),
            });
        }
        if check_header(path)? == Header::Empty {
            return Err(Error::NotADatabase {
                path: path.to_path_buf(),
                detail: "the file is empty".into(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.classify(e.into()))?;
        let found = store.identify().map_err(|e| store.classify(e))?;
        if found == 0 {
            return Err(Error::NotADatabase {
                path: path.to_path_buf(),
                detail: "an empty SQLite file, not one Forestock wrote".into(),
            });
        }
        if found < SCHEMA_VERSION {
            drop(store);
            return Store::open(path);
        }
        Ok(store)
    }

    /// Refuse with [`Error::InUse`] when another connection (the app, a running `forestock`
    /// command) has the database at `path` open. A WAL-mode connection keeps a shared lock on
    /// the database file for as long as it is open, and SQLite takes an exclusive lock on the
    /// file for a connection in `locking_mode = EXCLUSIVE` (<https://sqlite.org/wal.html>,
    /// "Sometimes Queries Return SQLITE_BUSY In WAL Mode" and "Use of WAL Without Shared-Memory"),
    /// so failing to get that lock at once means someone else has it open. Files that are not
    /// SQLite databases are nobody's open database: no check.
    pub fn ensure_not_in_use(path: &Path) -> Result<()> {
        if !path.exists()
            || check_header(path)
                .map(|h| h == Header::Empty)
                .unwrap_or(true)
        {
            return Ok(());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let in_use = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                Error::InUse {
                    path: path.to_path_buf(),
                }
            }
            _ => Error::Open {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
        };
        conn.busy_timeout(Duration::ZERO).map_err(in_use)?;
        let _mode: String = conn
            .query_row(sql::ENSURE_NOT_IN_USE_PRAGMA_STMT, [], |r| r.get(0))
            .map_err(in_use)?;
        conn.execute_batch("BEGIN EXCLUSIVE; SELECT count(*) FROM sqlite_master; COMMIT;")
            .map_err(in_use)?;
        Ok(())
    }

    /// Create a new, empty merchant database. Refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(Error::Open {
                path: path.to_path_buf(),
                detail: "file already exists".into(),
            });
        }
        Self::connect(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }

    /// A private in-memory database with the full schema (tests and scratch work).
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<Store> {
        let conn = Connection::open_with_flags(path, flags).map_err(|e| Error::Open {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        // Identify the file before anything writes to it: setting WAL mode rewrites the header
        // of somebody else's SQLite file and leaves -wal/-shm files beside it.
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.classify(e.into()))?;
        store.identify().map_err(|e| store.classify(e))?;
        store.configure().map_err(|e| store.classify(e))?;
        store.migrate().map_err(|e| store.classify(e))?;
        Ok(store)
    }

    /// The file's schema version, refusing a newer Forestock's file and an SQLite file that is
    /// not ours (schema version 0 with tables in it). Reads only.
    fn identify(&self) -> Result<i64> {
        // Both reads in one read transaction, so they see one snapshot: a file that another
        // process is migrating at this moment is seen before its migration or after it, never
        // as "tables but no version" (which would read as somebody else's file).
        let snapshot = self.conn.unchecked_transaction()?;
        let found: i64 = snapshot.query_row(sql::INFO_PRAGMA_STMT, [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerVersion {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == 0 {
            // A non-empty database with user_version 0 is somebody else's SQLite file.
            let tables: i64 =
                snapshot.query_row(sql::IDENTIFY_SELECT_SQLITE_MASTER, [], |r| r.get(0))?;
            if tables > 0 {
                return Err(Error::NotADatabase {
                    path: self.path.clone(),
                    detail: "an SQLite file, but not one Forestock wrote".into(),
                });
            }
        }
        Ok(found)
    }

    fn classify(&self, e: Error) -> Error {
        match e {
            Error::Sql(rusqlite::Error::SqliteFailure(f, detail))
                if matches!(f.code, rusqlite::ErrorCode::NotADatabase) =>
            {
                Error::NotADatabase {
                    path: self.path.clone(),
                    detail: detail.unwrap_or_else(|| f.to_string()),
                }
            }
            other => other,
        }
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets the app read while a sync writes; NORMAL is durable across app crashes.
        // Switching a fresh file to WAL needs an exclusive lock, and SQLite answers BUSY at
        // once (no busy handler) when another process is switching it at the same moment:
        // retry for as long as the busy timeout would have waited.
        let started = std::time::Instant::now();
        let mode: String = loop {
            match self
                .conn
                .query_row(sql::CONFIGURE_PRAGMA_STMT, [], |r| r.get(0))
            {
                Err(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < BUSY_TIMEOUT =>
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => break other?,
            }
        };
        if mode != "wal" && mode != "memory" {
            return Err(Error::Open {
                path: self.path.clone(),
                detail: format!("journal mode {mode}"),
            });
        }
        self.conn.execute_batch(
            // A 64 MiB page cache (the default is 2 MiB): reading two years of demand history
            // for planning is several times faster, and a laptop has the memory.
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; \
             PRAGMA cache_size = -65536;",
        )?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        // Fast path without a write lock: opening a current database must not wait for a
        // sync that is writing. `identify` also refuses newer and foreign files.
        let found = self.identify()?;
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        // The version is read again inside the IMMEDIATE transaction that migrates: two
        // processes opening an old (or fresh) file at once then migrate it once, the second
        // waiting for the first and finding nothing left to do.
        // Foreign keys off while migrating (they cannot change inside a transaction), so that a
        // migration may rebuild a table others refer to; all of them are checked before the
        // commit (<https://www.sqlite.org/lang_altertable.html#otheralter>).
        self.conn.execute_batch(sql::MIGRATE_FOREIGN_KEYS_OFF)?;
        let result = self.migrate_in_transaction();
        self.conn.execute_batch(sql::MIGRATE_FOREIGN_KEYS_ON)?;
        result
    }

    fn migrate_in_transaction(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row(sql::INFO_PRAGMA_STMT, [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerVersion {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        for (_, sql) in &MIGRATIONS[usize::try_from(found).unwrap_or(0)..] {
            tx.execute_batch(sql)?;
        }
        let broken: Option<String> = tx
            .query_row(sql::MIGRATE_FOREIGN_KEY_CHECK, [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(Error::Open {
                path: self.path.clone(),
                detail: format!("a migration left rows of {table} pointing at nothing"),
            });
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Where this database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read handle.
    pub fn read(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// Start a write transaction; nothing is stored until [`Writer::commit`].
    ///
    /// The transaction is `IMMEDIATE`: it takes the write lock at once, waiting up to the
    /// busy timeout for another writer (another process: the app and a nightly sync). A
    /// deferred transaction that reads first would take a snapshot and then, when it tries
    /// to write after another process committed, fail at once with "database is locked"
    /// (SQLITE_BUSY_SNAPSHOT; the busy handler is not called for it —
    /// <https://www.sqlite.org/lang_transaction.html>, "BEGIN IMMEDIATE").
    pub fn write(&mut self) -> Result<Writer<'_>> {
        Ok(Writer {
            tx: self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?,
        })
    }
}

/// What the first bytes of a file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Empty,
    Sqlite,
}

fn check_header(path: &Path) -> Result<Header> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| Error::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::Open {
            path: path.to_path_buf(),
            detail: "it is a directory".into(),
        });
    }
    let n = file.read(&mut header).map_err(|e| Error::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if n == 0 {
        return Ok(Header::Empty); // Store::open makes a fresh database of an empty file
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
            detail: "the file does not start with an SQLite header".into(),
        });
    }
    Ok(Header::Sqlite)
}

/// A read handle on a merchant database.
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub(crate) conn: &'a Connection,
}

impl<'a> Reader<'a> {
    /// The raw connection, for crates that own tables of their own (forecast runs, plans).
    pub fn conn(&self) -> &'a Connection {
        self.conn
    }
}

/// A write transaction on a merchant database.
pub struct Writer<'a> {
    pub(crate) tx: Transaction<'a>,
}

impl Writer<'_> {
    /// Read through the same transaction (sees its uncommitted writes).
    pub fn read(&self) -> Reader<'_> {
        Reader { conn: &self.tx }
    }

    /// The raw transaction, for crates that own tables of their own.
    pub fn tx(&self) -> &Transaction<'_> {
        &self.tx
    }

    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}
