//! Shopify: the GraphQL Admin API client and the Shopify side of the sync.
//!
//! * GraphQL only (REST is legacy since 2024-10); the API version is a store setting
//!   (`settings.api_version`, default [`DEFAULT_API_VERSION`]).
//! * Auth: a static Admin API token, or a client id/secret exchanged for a ~24 h token with
//!   the client-credentials grant (refreshed before expiry and after a 401).
//! * Cost-based throttling: the leaky bucket's `maximumAvailable`, `currentlyAvailable` and
//!   `restoreRate` are read from every response (never hard-coded); a query waits until the
//!   bucket holds its cost, and a `THROTTLED` answer waits `(requested - available) / rate`.
//! * First syncs of variants, inventory and order history use bulk operations (JSONL);
//!   later syncs page with an `updated_at:>=` search filter. Inventory is always a full
//!   snapshot (inventory changes do not move a variant's `updatedAt`).
//!
//! Layout: [`client`] (HTTP, auth, GraphQL calls), [`throttle`] (the cost bucket),
//! [`bulk`] (bulk operations), [`metafields`] (metafield writes), [`queries`] (GraphQL
//! text), [`mapping`] (JSON → remote rows) and [`sync`] (the passes).

mod bulk;
mod client;
mod mapping;
mod metafields;
mod queries;
mod sync;
mod throttle;

pub use bulk::BulkResult;
pub use client::{ShopInfo, ShopifyClient};
pub use metafields::{MetafieldWrite, METAFIELDS_PER_CALL};
pub(crate) use sync::sync;

use crate::secret::Secret;

pub const DEFAULT_API_VERSION: &str = "2026-01";

/// How a Shopify client authenticates.
#[derive(Debug, Clone)]
pub enum ShopifyAuth {
    /// A static Admin API access token (legacy custom apps).
    Token(Secret),
    /// Client-credentials grant for apps on stores the merchant's organisation owns.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
}
