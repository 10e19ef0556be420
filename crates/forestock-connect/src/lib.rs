//! Store and ERP clients (Shopify, BigCommerce, Adobe Commerce, NetSuite), the sync engine
//! that copies a store into the merchant database, and the keychain that holds credentials.
//!
//! Invariants:
//! * Secrets exist only in the OS keychain and, in memory, in [`Secret`]; the database keeps
//!   a reference (`stores.keychain_ref`).
//! * Every page of remote data is committed together with its cursor, in one transaction, so
//!   a sync killed at any point resumes where it stopped; rows are keyed by
//!   `(store_id, external_id)` so nothing is duplicated.
//! * Every error names the store it is about and says whether a retry can help
//!   ([`Error::is_retryable`]).
//!
//! ```no_run
//! use forestock_connect::{sync_all, Keychain, Progress, SyncEvent, SyncOptions};
//! # async fn run() -> Result<(), forestock_connect::Error> {
//! let mut db = forestock_core::Store::open("shop.db".as_ref())?;
//! let keychain = Keychain::from_env()?; // FORESTOCK_KEYCHAIN=keyutils on headless Linux
//! let progress = Progress::new(|e: &SyncEvent| eprintln!("{e:?}"));
//! let now = chrono::Utc::now().naive_utc();
//! for (store, result) in sync_all(&mut db, &keychain, &SyncOptions::new(now), &progress).await? {
//!     match result {
//!         Ok(r) => println!("{store}: {} orders", r.orders),
//!         Err(e) => eprintln!("{store}: {e} (retry helps: {})", e.is_retryable()),
//!     }
//! }
//! # Ok(()) }
//! ```

pub mod adobe;
pub mod bigcommerce;
pub mod credentials;
pub mod error;
pub mod http;
pub mod jsonl;
pub mod lock;
pub mod netsuite;
pub mod oauth1;
pub mod outbox;
mod pass;
pub mod progress;
pub mod push;
pub mod remote;
pub mod remote_url;
pub mod secret;
pub mod shopify;
mod sql;
pub mod state;
pub mod stores;
pub mod sync;
pub mod webhook;
pub mod writeback;

pub use credentials::{Backend, Credentials, Keychain, KeychainRef};
pub use error::{Error, Result};
pub use progress::{Progress, SyncEvent};
pub use secret::Secret;
pub use stores::{connect_store, remove_store, ConnectRequest};
pub use sync::{sync_all, sync_store, SyncOptions, SyncReport};
