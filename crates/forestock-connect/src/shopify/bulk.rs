//! Bulk operations: start, poll, cancel, and download the JSONL result.

use super::client::ShopifyClient;
use super::mapping::{str_of, At};
use crate::error::{snippet, Error, Result};
use crate::http::{body_text, status_error, transport_error, with_retry};
use crate::jsonl::JsonlIndex;
use crate::progress::SyncEvent;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

impl ShopifyClient {
    /// Start a bulk query and wait for it; returns the JSONL download URL (None: no data).
    /// While waiting, `stop` is asked between polls (the sync's cancel button): when it says
    /// stop, or the operation runs longer than `timeout`, the operation is cancelled on
    /// Shopify's side ([`ShopifyClient::cancel_bulk`]) so it stops costing the shop and
    /// does not hold the bulk-query slot, and the error is returned.
    pub async fn run_bulk(
        &self,
        query: &str,
        resume: Option<&str>,
        stop: &(dyn Fn() -> Result<()> + Sync),
        timeout: Duration,
    ) -> Result<BulkResult> {
        let id = match resume {
            Some(id) => id.to_string(),
            None => self.start_bulk(query).await?,
        };
        self.wait_bulk(&id, stop, timeout).await
    }

    /// `bulkOperationCancel` (API-NOTES §1.6): asks Shopify to stop an operation; returns the
    /// status it reports (`CANCELING`, later `CANCELED`). An operation that already ended is
    /// left as it is.
    pub async fn cancel_bulk(&self, id: &str) -> Result<String> {
        const CANCEL: &str = "mutation Cancel($id: ID!) { bulkOperationCancel(id: $id) { \
            bulkOperation { id status } userErrors { field message } } }";
        let d = self.graphql(CANCEL, json!({ "id": id })).await?;
        let r = d
            .get("bulkOperationCancel")
            .ok_or_else(|| Error::malformed(&self.store, "no bulkOperationCancel"))?;
        let status = r
            .at("/bulkOperation/status")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let errs: Vec<String> = r
            .get("userErrors")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|e| str_of(e, "message")).collect())
            .unwrap_or_default();
        if !errs.is_empty() && status.is_empty() {
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!(
                    "bulk operation {id} could not be cancelled: {}",
                    errs.join("; ")
                ),
            });
        }
        Ok(status)
    }

    /// Cancel `id` after `why` stopped the wait for it, then hand `why` back. The cancel is
    /// best effort: failing to cancel is reported as a note, not instead of `why`.
    pub(super) async fn abandon_bulk(&self, id: &str, why: Error) -> Error {
        let note = match self.cancel_bulk(id).await {
            Ok(status) => format!("bulk operation {id} cancelled ({status})"),
            Err(e) => format!("bulk operation {id} could not be cancelled: {e}"),
        };
        self.progress.emit(SyncEvent::Note {
            store: self.store.clone(),
            message: note,
        });
        why
    }

    /// Start a bulk query; returns its id.
    pub async fn start_bulk(&self, query: &str) -> Result<String> {
        const RUN: &str = "mutation Run($q: String!) { bulkOperationRunQuery(query: $q) { \
            bulkOperation { id status } userErrors { field message } } }";
        for _ in 0..120 {
            let d = self.graphql(RUN, json!({ "q": query })).await?;
            let r = d
                .get("bulkOperationRunQuery")
                .ok_or_else(|| Error::malformed(&self.store, "no bulkOperationRunQuery"))?;
            let errs: Vec<String> = r
                .get("userErrors")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|e| str_of(e, "message")).collect())
                .unwrap_or_default();
            if errs.is_empty() {
                return r
                    .at("/bulkOperation/id")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| Error::malformed(&self.store, "bulk operation has no id"));
            }
            let joined = errs.join("; ");
            if joined.to_ascii_lowercase().contains("in progress") {
                // Another bulk query (ours from a killed run, or another app) is running:
                // wait for it rather than fail.
                self.progress.emit(SyncEvent::Note {
                    store: self.store.clone(),
                    message: "waiting for a bulk operation already in progress".into(),
                });
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            return Err(Error::Remote {
                store: self.store.clone(),
                detail: format!("bulk query refused: {}", snippet(&joined)),
            });
        }
        Err(Error::Remote {
            store: self.store.clone(),
            detail: "another bulk operation kept running for a minute; try again later".into(),
        })
    }

    pub(super) async fn wait_bulk(
        &self,
        id: &str,
        stop: &(dyn Fn() -> Result<()> + Sync),
        timeout: Duration,
    ) -> Result<BulkResult> {
        const POLL: &str = "query Poll($id: ID!) { bulkOperation(id: $id) { id status errorCode \
            objectCount url partialDataUrl } }";
        let started = Instant::now();
        let mut delay = Duration::from_millis(100);
        loop {
            if let Err(e) = stop() {
                return Err(self.abandon_bulk(id, e).await);
            }
            if started.elapsed() > timeout {
                let e = Error::Remote {
                    store: self.store.clone(),
                    detail: format!(
                        "bulk operation {id} did not finish within {} s; it was cancelled, \
                         sync again later",
                        timeout.as_secs()
                    ),
                };
                return Err(self.abandon_bulk(id, e).await);
            }
            let d = self.graphql(POLL, json!({ "id": id })).await?;
            let op = d
                .get("bulkOperation")
                .filter(|n| !n.is_null())
                .ok_or_else(|| Error::Remote {
                    store: self.store.clone(),
                    detail: format!("bulk operation {id} is gone"),
                })?;
            let status = str_of(op, "status").unwrap_or_default();
            match status.as_str() {
                "COMPLETED" => {
                    return Ok(BulkResult {
                        id: id.to_string(),
                        url: str_of(op, "url"),
                    })
                }
                "CREATED" | "RUNNING" | "CANCELING" => {}
                other => {
                    return Err(Error::Remote {
                        store: self.store.clone(),
                        detail: format!(
                            "bulk operation {id} ended {other} ({})",
                            str_of(op, "errorCode").unwrap_or_default()
                        ),
                    })
                }
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }

    /// Stream a bulk result to a temporary file and index it (bounded memory). No
    /// credentials are sent: the URL is pre-signed.
    pub async fn download_indexed(&self, url: &str) -> Result<JsonlIndex> {
        use std::io::Write;
        let url = url::Url::parse(url)
            // Never echo the URL: its query string is the signature (a bearer credential).
            .map_err(|e| {
                Error::malformed(
                    &self.store,
                    format!("the bulk result URL is not a URL ({e})"),
                )
            })?;
        let file = with_retry(&self.retry, &self.progress, &self.store, || async {
            self.requests.fetch_add(1, Ordering::Relaxed);
            let mut resp = self
                .http
                .get(url.clone())
                .timeout(Duration::from_secs(3600))
                .send()
                .await
                .map_err(|e| transport_error(&self.store, e))?;
            let status = resp.status();
            if !status.is_success() {
                let headers = resp.headers().clone();
                let body = body_text(&self.store, resp).await?;
                return Err(status_error(&self.store, status, &headers, &body));
            }
            let io = |e: std::io::Error| Error::Network {
                store: self.store.clone(),
                detail: format!("cannot write the bulk result to a temporary file: {e}"),
            };
            let mut file = tempfile::tempfile().map_err(io)?;
            {
                let mut w = std::io::BufWriter::new(&mut file);
                while let Some(bytes) = resp
                    .chunk()
                    .await
                    .map_err(|e| transport_error(&self.store, e))?
                {
                    w.write_all(&bytes).map_err(io)?;
                }
                w.flush().map_err(io)?;
            }
            Ok(file)
        })
        .await?;
        JsonlIndex::build(&self.store, file)
    }
}

/// What a finished bulk operation left. `url` is pre-signed (its query string is a bearer
/// credential for the export): `Debug` shows it without the query string.
#[derive(Clone)]
pub struct BulkResult {
    pub id: String,
    pub url: Option<String>,
}

impl std::fmt::Debug for BulkResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkResult")
            .field("id", &self.id)
            .field(
                "url",
                &self.url.as_deref().map(crate::remote_url::redact_urls),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_result_debug_hides_the_signature() {
        let r = BulkResult {
            id: "gid://shopify/BulkOperation/1".into(),
            url: Some("https://storage.googleapis.com/b/x.jsonl?X-Goog-Signature=s3cr3t".into()),
        };
        let shown = format!("{r:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("storage.googleapis.com/b/x.jsonl"),
            "{shown}"
        );
    }
}
