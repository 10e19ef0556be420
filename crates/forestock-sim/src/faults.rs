//! Fault injection, settable at run time from tests: latency, bursts of throttling, server
//! errors, connections dropped mid-body, malformed JSON, and (per platform) revoked tokens.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::Platform;

/// One injected failure, applied to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The platform's own "slow down" answer: Shopify a THROTTLED GraphQL body (HTTP 200),
    /// BigCommerce 429 with `X-Rate-Limit-*` headers, Adobe 429, NetSuite 429
    /// `CONCURRENCY_LIMIT_EXCEEDED`.
    RateLimited,
    /// A bare HTTP 429 with `Retry-After: 1` (platform load, no rate-limit headers).
    TooManyRequests,
    /// A bare HTTP 429 whose `Retry-After` is an HTTP-date this many seconds ahead (the
    /// other form RFC 9110 §10.2.3 allows, e.g. `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`).
    TooManyRequestsUntil(u64),
    /// An HTTP 5xx with a short body (e.g. 500, 502, 503).
    ServerError(u16),
    /// The real response is computed, its headers and first half sent, then the connection
    /// is closed: the client sees a truncated body.
    DropConnection,
    /// HTTP 200 whose body is the real JSON cut in half (not parseable).
    MalformedJson,
}

#[derive(Default)]
struct FaultState {
    queue: VecDeque<Fault>,
    every: Option<(u64, Fault)>,
    latency: Duration,
    revoked: HashSet<String>,
}

/// The fault switches of one simulated platform. Cheap to clone; all clones share state.
#[derive(Clone, Default)]
pub struct Faults {
    state: Arc<Mutex<FaultState>>,
    requests: Arc<AtomicU64>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, FaultState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Delay every response by `d`.
    pub fn set_latency(&self, d: Duration) {
        self.lock().latency = d;
    }
    /// Fail the next `count` requests with `fault` (queued after faults already pending).
    pub fn inject(&self, fault: Fault, count: usize) {
        let mut s = self.lock();
        for _ in 0..count {
            s.queue.push_back(fault);
        }
    }
    /// Fail every `n`th request (counting from now) with `fault`; `n = 0` turns it off.
    pub fn every(&self, n: u64, fault: Fault) {
        self.lock().every = (n > 0).then_some((n, fault));
        self.requests.store(0, Ordering::SeqCst);
    }
    /// Revoke a token (or API key, consumer key, client id): later requests with it get the
    /// platform's 401.
    pub fn revoke(&self, token: &str) {
        self.lock().revoked.insert(token.to_string());
    }
    pub fn is_revoked(&self, token: &str) -> bool {
        self.lock().revoked.contains(token)
    }
    /// Remove every pending fault, the latency and the periodic fault (revocations stay).
    pub fn clear(&self) {
        let mut s = self.lock();
        s.queue.clear();
        s.every = None;
        s.latency = Duration::ZERO;
    }
    /// Requests seen since start (or since the last [`Faults::every`]).
    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
    fn next(&self) -> (Duration, Option<Fault>) {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        let mut s = self.lock();
        let fault = s.queue.pop_front().or_else(|| match s.every {
            Some((k, f)) if n % k == 0 => Some(f),
            _ => None,
        });
        (s.latency, fault)
    }
}

#[derive(Clone)]
pub(crate) struct FaultLayerState {
    pub faults: Faults,
    pub platform: Platform,
    /// Shopify's bucket size and restore rate, for a realistic injected THROTTLED body.
    pub bucket: (f64, f64),
}

/// Axum middleware applying the platform's faults around the real handler.
pub(crate) async fn apply(State(st): State<FaultLayerState>, req: Request, next: Next) -> Response {
    let (latency, fault) = st.faults.next();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        None => next.run(req).await,
        Some(Fault::RateLimited) => crate::rate_limited_response(st.platform, st.bucket),
        Some(Fault::TooManyRequests) => {
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            r.headers_mut()
                .insert("retry-after", HeaderValue::from_static("1"));
            r
        }
        Some(Fault::TooManyRequestsUntil(secs)) => {
            let at = std::time::SystemTime::now() + Duration::from_secs(secs);
            let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            if let Ok(v) = HeaderValue::from_str(&httpdate::fmt_http_date(at)) {
                r.headers_mut().insert("retry-after", v);
            }
            r
        }
        Some(Fault::ServerError(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, format!("simulated server error {code}")).into_response()
        }
        Some(Fault::MalformedJson) => {
            let resp = next.run(req).await;
            let (mut parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            let cut = if cut.is_empty() {
                Bytes::from_static(b"{\"data\":")
            } else {
                cut
            };
            parts.status = StatusCode::OK;
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            parts.headers.insert(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            Response::from_parts(parts, Body::from(cut))
        }
        Some(Fault::DropConnection) => {
            let resp = next.run(req).await;
            let (mut parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let full = bytes.len().max(2);
            let half = bytes.slice(..bytes.len() / 2);
            parts
                .headers
                .insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(full));
            use futures_util::StreamExt;
            // Send the headers and the first half, pause so they reach the client, then
            // fail the body: hyper closes the connection mid-message.
            let stream = futures_util::stream::iter(vec![Ok::<Bytes, std::io::Error>(half)]).chain(
                futures_util::stream::once(async {
                    tokio::time::sleep(Duration::from_millis(30)).await;
                    Err(std::io::Error::new(
                        std::io::ErrorKind::ConnectionReset,
                        "simulated dropped connection",
                    ))
                }),
            );
            Response::from_parts(parts, Body::from_stream(stream))
        }
    }
}
