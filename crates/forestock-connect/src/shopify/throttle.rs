//! Shopify's cost-based throttling: the leaky bucket read from every response.

use serde_json::Value;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub(super) struct Bucket {
    pub(super) max: f64,
    pub(super) available: f64,
    pub(super) restore_rate: f64,
    pub(super) at: Instant,
}

impl Bucket {
    /// Seconds to wait before `cost` points are available.
    pub(super) fn wait_for(&self, cost: f64, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        let avail = (self.available + elapsed * self.restore_rate).min(self.max);
        let cost = cost.min(self.max);
        if avail >= cost || self.restore_rate <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((cost - avail) / self.restore_rate)
        }
    }
}

/// Read `extensions.cost.throttleStatus` from a GraphQL response.
pub(super) fn parse_throttle(v: &Value) -> Option<(f64, Bucket)> {
    let cost = v.get("extensions")?.get("cost")?;
    let requested = cost.get("requestedQueryCost")?.as_f64()?;
    let t = cost.get("throttleStatus")?;
    Some((
        requested,
        Bucket {
            max: t.get("maximumAvailable")?.as_f64()?,
            available: t.get("currentlyAvailable")?.as_f64()?,
            restore_rate: t.get("restoreRate")?.as_f64()?,
            at: Instant::now(),
        },
    ))
}

/// What identifies a query's cost: its text and page size (`first`).
pub(super) fn cost_key(query: &str, variables: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    query.hash(&mut h);
    variables.get("first").and_then(Value::as_u64).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn throttle_status_is_read_not_assumed() {
        let v = json!({"extensions":{"cost":{"requestedQueryCost":502,"actualQueryCost":null,
            "throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":102,"restoreRate":100.0}}}});
        let (req, b) = parse_throttle(&v).unwrap();
        assert_eq!(req, 502.0);
        assert_eq!(b.max, 2000.0);
        let w = b.wait_for(502.0, b.at);
        assert!((w.as_secs_f64() - 4.0).abs() < 1e-6, "{w:?}");
        assert_eq!(b.wait_for(50.0, b.at), Duration::ZERO);
        // The bucket refills with time.
        assert_eq!(
            b.wait_for(502.0, b.at + Duration::from_secs(5)),
            Duration::ZERO
        );
    }
}
