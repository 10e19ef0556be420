//! Progress of a sync, as events: the CLI draws bars from them, the app forwards them over
//! its IPC channel.

use serde::Serialize;
use std::sync::Arc;

/// One thing that happened during a sync. Serialized with a `kind` tag for the UI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SyncEvent {
    Started {
        store: String,
        resource: String,
        total: Option<u64>,
    },
    /// `done` of `total` items (if known) for a resource; `rate` items per second so far.
    Progress {
        store: String,
        resource: String,
        done: u64,
        total: Option<u64>,
        rate: f64,
    },
    Finished {
        store: String,
        resource: String,
        done: u64,
    },
    Retrying {
        store: String,
        reason: String,
        wait_ms: u64,
        attempt: u32,
    },
    Note {
        store: String,
        message: String,
    },
}

type Callback = Arc<dyn Fn(&SyncEvent) + Send + Sync>;

/// A cheap-to-clone progress callback.
#[derive(Clone)]
pub struct Progress(Option<Callback>);

impl Progress {
    pub fn new(f: impl Fn(&SyncEvent) + Send + Sync + 'static) -> Progress {
        Progress(Some(Arc::new(f)))
    }

    /// Discard every event.
    pub fn none() -> Progress {
        Progress(None)
    }

    pub fn emit(&self, e: SyncEvent) {
        if let Some(f) = &self.0 {
            f(&e);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Counts items of one resource and emits rate-limited progress events.
pub(crate) struct Meter {
    progress: Progress,
    store: String,
    resource: String,
    total: Option<u64>,
    done: u64,
    started: std::time::Instant,
}

impl Meter {
    pub fn start(progress: &Progress, store: &str, resource: &str, total: Option<u64>) -> Meter {
        progress.emit(SyncEvent::Started {
            store: store.to_string(),
            resource: resource.to_string(),
            total,
        });
        Meter {
            progress: progress.clone(),
            store: store.to_string(),
            resource: resource.to_string(),
            total,
            done: 0,
            started: std::time::Instant::now(),
        }
    }

    pub fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    pub fn add(&mut self, n: u64) {
        self.done += n;
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.progress.emit(SyncEvent::Progress {
            store: self.store.clone(),
            resource: self.resource.clone(),
            done: self.done,
            total: self.total,
            rate: self.done as f64 / secs,
        });
    }

    pub fn finish(self) -> u64 {
        self.progress.emit(SyncEvent::Finished {
            store: self.store,
            resource: self.resource,
            done: self.done,
        });
        self.done
    }
}
