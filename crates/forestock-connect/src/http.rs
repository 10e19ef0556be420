//! The one HTTP client every connector shares, and the retry loop around each request.
//!
//! * User-Agent `forestock/<version>`.
//! * Redirects are followed only within the same origin: credentials ride in headers
//!   (`X-Shopify-Access-Token`, `X-Auth-Token`, `Authorization`) that reqwest would otherwise
//!   forward, so a redirect to another host stops with an error instead.
//! * Throttling (429 with `Retry-After` in either form, platform headers, Shopify's
//!   THROTTLED) is waited out as the platform asks and does not count as a failed attempt;
//!   5xx, timeouts and dropped connections are retried with exponential backoff and full
//!   jitter; auth failures are not.

use crate::error::{snippet, Error, Result};
use crate::progress::{Progress, SyncEvent};
use rand::Rng;
use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};
use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

/// The process-wide HTTP client (connection pool shared by every store).
pub fn shared_client() -> Result<reqwest::Client> {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(c) = CLIENT.get() {
        return Ok(c.clone());
    }
    let c = build_client()?;
    Ok(CLIENT.get_or_init(|| c).clone())
}

fn build_client() -> Result<reqwest::Client> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            // Hand the 3xx back to the caller, which reports it; never re-send credentials.
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .user_agent(concat!("forestock/", env!("CARGO_PKG_VERSION")))
        .redirect(policy)
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| Error::invalid("HTTP client", e.to_string()))
}

/// How hard to try before giving up.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
    /// And Jitter"): a uniform delay in `[0, min(max, base * 2^attempt)]`, at least 10 ms.
    pub fn backoff(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max_delay);
        let ms = cap.as_millis().max(10) as u64;
        Duration::from_millis(rng.gen_range(10..=ms.max(10)))
    }
}

/// The longest single wait a server may ask for (`Retry-After`, a rate-limit window, a
/// Shopify THROTTLED answer); asking for more waits this long and then asks again.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(120);

/// The most one request waits in total for throttling before giving up with the throttled
/// error (a server that never lets us in).
pub const MAX_THROTTLED_TOTAL: Duration = Duration::from_secs(15 * 60);

/// How long to wait after a throttled answer: what the server asked for, capped at
/// [`MAX_SERVER_WAIT`]; without one, exponential backoff (BigCommerce: "a 429 without these
/// headers means platform load, back off exponentially", API-NOTES §2.5).
pub fn throttled_wait(policy: &RetryPolicy, e: &Error, throttles: u32) -> Duration {
    match e.retry_after() {
        Some(w) => w.min(MAX_SERVER_WAIT),
        None => policy.backoff(throttles, &mut rand::thread_rng()),
    }
}

/// Run `op` until it succeeds, fails for good, or the attempts run out.
///
/// A throttled answer (HTTP 429, Shopify's THROTTLED) is not a failed attempt: the platform
/// is telling us when to come back, so it is waited out as it asks ([`throttled_wait`]) and
/// retried without using the `max_attempts` budget, up to [`MAX_THROTTLED_TOTAL`] of waiting
/// per request. Other retryable failures back off exponentially and count.
pub async fn with_retry<T, F, Fut>(
    policy: &RetryPolicy,
    progress: &Progress,
    store: &str,
    mut op: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 0u32;
    let mut throttles = 0u32;
    let mut throttled_for = Duration::ZERO;
    loop {
        let (wait, counts) = match op().await {
            Ok(v) => return Ok(v),
            Err(e @ Error::Throttled { .. }) if throttled_for < MAX_THROTTLED_TOTAL => {
                let wait = throttled_wait(policy, &e, throttles);
                throttles = throttles.saturating_add(1);
                throttled_for += wait;
                ((e, wait), false)
            }
            Err(e) if e.is_retryable() && attempt + 1 < policy.max_attempts => {
                let wait = match e.retry_after() {
                    Some(w) => w.min(MAX_SERVER_WAIT),
                    None => policy.backoff(attempt, &mut rand::thread_rng()),
                };
                ((e, wait), true)
            }
            Err(e) => return Err(e),
        };
        let (e, wait) = wait;
        progress.emit(SyncEvent::Retrying {
            store: store.to_string(),
            reason: e.to_string(),
            wait_ms: wait.as_millis() as u64,
            attempt: attempt + 1,
        });
        tokio::time::sleep(wait).await;
        if counts {
            attempt += 1;
        }
    }
}

/// Map a transport error (no response) to our error: the one place a `reqwest::Error` becomes
/// text. reqwest's Display includes the request URL with its query string, and Shopify's
/// bulk-result URL is pre-signed (the query string is a bearer credential for the shop's whole
/// export): the URL is dropped, and anything URL-like left in the source chain is cut down to
/// `scheme://host/path` ([`crate::remote_url::redact_urls`]).
pub fn transport_error(store: &str, e: reqwest::Error) -> Error {
    let at = e.url().map(crate::remote_url::display_url);
    let e = e.without_url();
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the response"
    } else if e.is_redirect() {
        "redirect refused"
    } else {
        "request failed"
    };
    let mut detail = match at {
        Some(at) => format!("{kind} ({at}): {e}"),
        None => format!("{kind}: {e}"),
    };
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        detail.push_str(&format!(": {s}"));
        src = s.source();
    }
    Error::Network {
        store: store.to_string(),
        // snippet() also strips URLs; kept explicit here, this is the transport edge.
        detail: snippet(&crate::remote_url::redact_urls(&detail)),
    }
}

/// The wait a `Retry-After` header asks for, in either of its forms (RFC 9110 §10.2.3):
/// delay-seconds (possibly fractional, as Shopify sends) or an HTTP-date (IMF-fixdate, or the
/// obsolete RFC 850 and asctime forms a recipient must also accept, RFC 9110 §5.6.7). A date
/// in the past means "now". BigCommerce's `X-Retry-After` (seconds) is read the same way.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers
        .get("retry-after")
        .or_else(|| headers.get("x-retry-after"))?;
    parse_retry_after(v.to_str().ok()?, std::time::SystemTime::now())
}

/// [`retry_after`] for one header value, relative to `now`.
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Read the body as text, mapping a dropped connection to a retryable error.
pub async fn body_text(store: &str, resp: Response) -> Result<String> {
    resp.text().await.map_err(|e| transport_error(store, e))
}

/// Classify a non-success status shared by every platform. Platform-specific codes (e.g.
/// NetSuite's `CONCURRENCY_LIMIT_EXCEEDED` in a 400) are handled by the caller first.
pub fn status_error(store: &str, status: StatusCode, headers: &HeaderMap, body: &str) -> Error {
    let detail = snippet(body);
    let store = store.to_string();
    match status.as_u16() {
        401 => Error::Auth {
            store,
            detail: format!("HTTP 401: {detail}"),
        },
        403 => Error::Permission {
            store,
            detail: format!("HTTP 403, the credentials lack a scope this sync needs: {detail}"),
        },
        429 => Error::Throttled {
            store,
            detail: format!("HTTP 429: {detail}"),
            retry_after: retry_after(headers),
        },
        300..=399 => Error::Rejected {
            store,
            status: status.as_u16(),
            detail: format!(
                "redirected to {} (another origin); credentials are not forwarded, check the \
                 store URL",
                crate::remote_url::redact_urls(
                    headers
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("?")
                )
            ),
        },
        500..=599 => Error::Server {
            store,
            status: status.as_u16(),
            detail,
        },
        s => Error::Rejected {
            store,
            status: s,
            detail,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..20 {
            let d = p.backoff(attempt, &mut rng);
            assert!(d <= Duration::from_secs(2), "{d:?}");
            assert!(d >= Duration::from_millis(10));
        }
        // Full jitter: with a fixed seed, values spread (not all equal).
        let ds: Vec<_> = (0..10).map(|_| p.backoff(5, &mut rng)).collect();
        assert!(ds.iter().any(|d| *d != ds[0]));
    }

    #[test]
    fn retry_after_parses_fractional_seconds() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", "2.0".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after", "0.25".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_millis(250)));
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn retry_after_parses_all_three_http_date_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:30 GMT").unwrap();
        for v in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                parse_retry_after(v, now),
                Some(Duration::from_secs(7)),
                "{v}"
            );
        }
        // A date already past: retry now.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("-3", now), None);
    }

    #[test]
    fn statuses_classify() {
        let h = HeaderMap::new();
        let e = status_error("Shop A", StatusCode::UNAUTHORIZED, &h, "bad token");
        assert!(e.is_auth() && !e.is_retryable());
        assert!(e.to_string().contains("Shop A"));
        assert!(status_error("s", StatusCode::BAD_GATEWAY, &h, "").is_retryable());
        assert!(status_error("s", StatusCode::TOO_MANY_REQUESTS, &h, "").is_retryable());
        assert!(!status_error("s", StatusCode::NOT_FOUND, &h, "").is_retryable());
    }

    #[tokio::test]
    async fn with_retry_retries_retryable_then_succeeds() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        };
        let mut n = 0;
        let r = with_retry(&p, &Progress::none(), "s", || {
            n += 1;
            let n = n;
            async move {
                if n < 3 {
                    Err(Error::Server {
                        store: "s".into(),
                        status: 503,
                        detail: String::new(),
                    })
                } else {
                    Ok(n)
                }
            }
        })
        .await
        .unwrap();
        assert_eq!(r, 3);
        let mut calls = 0;
        let e = with_retry(&p, &Progress::none(), "s", || {
            calls += 1;
            async {
                Err::<(), _>(Error::Auth {
                    store: "s".into(),
                    detail: String::new(),
                })
            }
        })
        .await
        .unwrap_err();
        assert!(e.is_auth());
        assert_eq!(calls, 1);
    }
}
