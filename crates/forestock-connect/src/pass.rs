//! The one resumable page pass every paged resource runs: load the cursor → fetch a page →
//! write its rows and save the cursor in one transaction → commit → progress and
//! cancellation checks. Kill-safety rests here: a page and the cursor past it are committed
//! together, so a sync killed at any point resumes at the first page not committed, and rows
//! are upserted by external id, so nothing is duplicated.

use crate::error::Result;
use crate::progress::Meter;
use crate::state;
use crate::sync::Ctx;
use chrono::NaiveDateTime;
use forestock_core::{Store, Writer};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::future::Future;

/// The saved cursor of a paged pass: the platform's page position `at` (flattened, so the
/// stored JSON is `{"after": ..}` or `{"next_page": ..}` beside the fields below).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Cursor<P> {
    #[serde(flatten)]
    pub at: P,
    /// The filter this pass uses (kept so a resumed pass asks the same question).
    pub since: Option<String>,
    /// Highest `updated_at` seen so far in this pass.
    pub max_seen: Option<String>,
    /// When the pass began: the next pass starts from here ([`state::mark_after_pass`]).
    #[serde(default)]
    pub started: Option<NaiveDateTime>,
}

/// A page position by opaque cursor (GraphQL `after`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct After {
    pub after: Option<String>,
}

/// A page position by page number (REST `page=`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Numbered {
    pub next_page: u64,
}

/// What one fetch returns.
pub(crate) struct Page<P, R> {
    /// The mapped rows, handed to the sink.
    pub rows: R,
    /// How many items the page counts for in the progress meter.
    pub count: u64,
    /// The highest `updated_at` on the page (platform format), for incremental passes.
    pub max_seen: Option<String>,
    /// The position of the next page.
    pub next: P,
    /// Whether there is a next page.
    pub more: bool,
    /// The pass's total item count, when the platform says.
    pub total: Option<u64>,
}

/// How a pass keeps its high-water mark.
#[derive(Clone, Copy)]
pub(crate) enum Mark {
    /// A full pass every time (locations, inventory): no `since`, no mark.
    Full,
    /// An incremental pass: it filters on the stored mark and, when complete, stores the
    /// time it began minus [`state::SINCE_MARGIN`], formatted by this function.
    Since(fn(NaiveDateTime) -> String),
}

/// The later of two platform timestamps (same format, so string order is time order).
pub(crate) fn max_str(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b > a { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Run (or resume) one resumable paged pass over `resource`. `fetch` gets the cursor of the
/// page to read (a fresh pass starts at `start`, filtered on the stored mark when `mark` is
/// [`Mark::Since`]); `sink` writes a page's rows inside the transaction that also saves the
/// cursor past it (or, after the last page, marks the pass done). Returns the items counted.
pub(crate) async fn run_pass<P, R, O, F, Fut, S>(
    db: &mut Store,
    ctx: &Ctx,
    resource: &str,
    start: P,
    mark: Mark,
    fetch: F,
    sink: S,
) -> Result<u64>
where
    P: Clone + Serialize + DeserializeOwned,
    F: FnMut(Cursor<P>) -> Fut,
    Fut: Future<Output = Result<Page<P, R>>>,
    S: FnMut(&Writer<'_>, R) -> Result<O>,
{
    let st = state::load::<Cursor<P>>(&db.read(), ctx.store_id, resource)?;
    let updated_since = match mark {
        Mark::Full => None,
        Mark::Since(_) => st.updated_since.clone(),
    };
    let cur = st.cursor.unwrap_or(Cursor {
        at: start,
        since: updated_since.clone(),
        max_seen: None,
        started: Some(ctx.now),
    });
    let meter = Meter::start(&ctx.progress, &ctx.store_name, resource, None);
    resume_pass(
        db,
        ctx,
        resource,
        cur,
        updated_since,
        mark,
        meter,
        fetch,
        sink,
    )
    .await
}

/// [`run_pass`] from a cursor the caller holds (Shopify's bulk pass: its cursor names a
/// bulk operation started before the first page). `updated_since` is the mark the pass
/// filters on (saved with every cursor); `meter` counts the items.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn resume_pass<P, R, O, F, Fut, S>(
    db: &mut Store,
    ctx: &Ctx,
    resource: &str,
    mut cur: Cursor<P>,
    updated_since: Option<String>,
    mark: Mark,
    mut meter: Meter,
    mut fetch: F,
    mut sink: S,
) -> Result<u64>
where
    P: Clone + Serialize,
    F: FnMut(Cursor<P>) -> Fut,
    Fut: Future<Output = Result<Page<P, R>>>,
    S: FnMut(&Writer<'_>, R) -> Result<O>,
{
    loop {
        ctx.check()?;
        let page = fetch(cur.clone()).await?;
        if page.total.is_some() {
            meter.set_total(page.total);
        }
        cur.max_seen = max_str(cur.max_seen.take(), page.max_seen);
        cur.at = page.next;
        let w = db.write()?;
        sink(&w, page.rows)?; // what the sink reports (counts applied) is not needed here
        if page.more {
            state::save_cursor(
                &w,
                ctx.store_id,
                resource,
                &cur,
                updated_since.as_deref(),
                ctx.now,
            )?;
        } else {
            let done = match mark {
                Mark::Full => None,
                Mark::Since(format) => state::mark_after_pass(
                    cur.started,
                    max_str(updated_since.clone(), cur.max_seen.clone()),
                    format,
                ),
            };
            state::save_done(&w, ctx.store_id, resource, done.as_deref(), ctx.now)?;
        }
        w.commit()?;
        meter.add(page.count);
        ctx.page_done()?;
        if !page.more {
            return Ok(meter.finish());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::remote::{RemoteLocation, Sink};
    use forestock_core::LocationKind;
    use std::cell::RefCell;

    const PAGES: u64 = 5;
    const PER_PAGE: u64 = 3;

    fn ts(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    /// A fake page source: page `n` holds locations `n*10 ..`; it fails once on `fail_on`.
    async fn page(
        cur: Cursor<Numbered>,
        asked: &RefCell<Vec<u64>>,
        fail_on: Option<u64>,
    ) -> Result<Page<Numbered, Vec<RemoteLocation>>> {
        let n = cur.at.next_page;
        asked.borrow_mut().push(n);
        if Some(n) == fail_on {
            return Err(Error::Network {
                store: "S".into(),
                detail: "connection reset on page 3".into(),
            });
        }
        let rows = (0..PER_PAGE)
            .map(|i| RemoteLocation {
                external_id: format!("loc-{n}-{i}"),
                code: format!("L{n}{i}"),
                name: format!("Location {n}.{i}"),
                kind: LocationKind::Warehouse,
                active: true,
            })
            .collect();
        Ok(Page {
            rows,
            count: PER_PAGE,
            max_seen: Some(format!("2026-01-0{n}T00:00:00Z")),
            next: Numbered { next_page: n + 1 },
            more: n < PAGES,
            total: Some(PAGES * PER_PAGE),
        })
    }

    fn fmt(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    async fn run(
        db: &mut Store,
        ctx: &Ctx,
        asked: &RefCell<Vec<u64>>,
        fail_on: Option<u64>,
    ) -> Result<u64> {
        let store_id = ctx.store_id;
        run_pass(
            db,
            ctx,
            "locations",
            Numbered { next_page: 1 },
            Mark::Since(fmt),
            |cur| page(cur, asked, fail_on),
            |w, rows| Sink::new(w, store_id).locations(&rows),
        )
        .await
    }

    fn rows(db: &Store, store_id: i64) -> (i64, i64) {
        db.read()
            .conn()
            .query_row(
                "SELECT count(*), count(DISTINCT external_id) FROM locations WHERE store_id = ?1",
                [store_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    #[tokio::test]
    async fn a_pass_interrupted_mid_way_resumes_where_it_stopped() {
        let mut db = Store::in_memory().unwrap();
        let first_run = ts("2026-02-01 10:00:00");
        let w = db.write().unwrap();
        let store_id = w
            .insert_store(
                &forestock_core::NewStore {
                    platform: forestock_core::Platform::BigCommerce,
                    name: "S".into(),
                    base_url: "https://s.example.com".into(),
                    keychain_ref: None,
                    settings: serde_json::json!({}),
                },
                first_run,
            )
            .unwrap();
        w.commit().unwrap();

        // Run 1 fails fetching page 3: pages 1-2 are committed with the cursor past them.
        let asked = RefCell::new(Vec::new());
        let ctx = Ctx::for_test(store_id, "S", first_run);
        let err = run(&mut db, &ctx, &asked, Some(3)).await.unwrap_err();
        assert!(matches!(err, Error::Network { .. }), "{err:?}");
        assert_eq!(*asked.borrow(), vec![1, 2, 3]);
        assert_eq!(rows(&db, store_id), (6, 6));
        let st = state::load::<Cursor<Numbered>>(&db.read(), store_id, "locations").unwrap();
        let cur = st.cursor.expect("the cursor past page 2 is saved");
        assert_eq!(cur.at.next_page, 3);
        assert_eq!(cur.started, Some(first_run));
        assert_eq!(cur.max_seen.as_deref(), Some("2026-01-02T00:00:00Z"));
        assert_eq!(st.updated_since, None);

        // Run 2 (later) resumes at page 3, not page 1, and ends with every row once.
        let asked = RefCell::new(Vec::new());
        let ctx = Ctx::for_test(store_id, "S", ts("2026-02-01 11:00:00"));
        let n = run(&mut db, &ctx, &asked, None).await.unwrap();
        assert_eq!(*asked.borrow(), vec![3, 4, 5]);
        assert_eq!(n, 3 * PER_PAGE);
        assert_eq!(rows(&db, store_id), (15, 15));
        let st = state::load::<Cursor<Numbered>>(&db.read(), store_id, "locations").unwrap();
        assert!(st.cursor.is_none(), "a finished pass leaves no cursor");
        // The next pass starts from when the interrupted pass began, less the margin.
        assert_eq!(st.updated_since, Some(fmt(first_run - state::SINCE_MARGIN)));
    }

    #[test]
    fn the_stored_cursor_json_is_unchanged() {
        let c = Cursor {
            at: After {
                after: Some("abc".into()),
            },
            since: None,
            max_seen: None,
            started: None,
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"after": "abc", "since": null, "max_seen": null, "started": null})
        );
        let old: Cursor<Numbered> =
            serde_json::from_str(r#"{"next_page":4,"since":"x","max_seen":null}"#).unwrap();
        assert_eq!(old.at.next_page, 4);
        assert_eq!(old.started, None);
    }
}
