//! Metafield writes (`metafieldsSet`).

use super::client::ShopifyClient;
use super::mapping::{str_of, At};
use crate::error::{snippet, Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One approved metafield write (e.g. a forecast or reorder point on a variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetafieldWrite {
    /// A ProductVariant or Product gid.
    pub owner_id: String,
    pub namespace: String,
    pub key: String,
    /// Shopify type, e.g. `number_integer`, `number_decimal`, `json`.
    pub kind: String,
    pub value: String,
}

/// `metafieldsSet` takes at most 25 metafields per call.
pub const METAFIELDS_PER_CALL: usize = 25;

impl ShopifyClient {
    /// Write metafields in calls of at most 25. Each call is atomic on Shopify's side; a
    /// call with user errors stops here (earlier calls stay written) and says which entry
    /// failed. Returns how many were written.
    pub async fn set_metafields(&self, writes: &[MetafieldWrite]) -> Result<usize> {
        const SET: &str =
            "mutation Set($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { \
            metafields { id key namespace } userErrors { field message code elementIndex } } }";
        let valid = |s: &str, min: usize, max: usize| {
            (min..=max).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        if let Some(bad) = writes
            .iter()
            .find(|w| !valid(&w.key, 2, 64) || !valid(&w.namespace, 3, 255))
        {
            return Err(Error::invalid(
                "metafield",
                format!(
                    "{}: namespace {:?} (3–255) and key {:?} (2–64) may hold only letters, digits, '_' and '-'",
                    self.store, bad.namespace, bad.key
                ),
            ));
        }
        let mut written = 0;
        for chunk in writes.chunks(METAFIELDS_PER_CALL) {
            let m: Vec<Value> = chunk
                .iter()
                .map(|w| {
                    json!({"ownerId": w.owner_id, "namespace": w.namespace, "key": w.key,
                        "type": w.kind, "value": w.value})
                })
                .collect();
            let d = self.graphql(SET, json!({ "m": m })).await?;
            let errors: Vec<String> = d
                .at("/metafieldsSet/userErrors")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|e| {
                    let i = e.get("elementIndex").and_then(Value::as_u64);
                    let who = i
                        .and_then(|i| chunk.get(i as usize))
                        .map(|w| format!("{} {}.{}", w.owner_id, w.namespace, w.key))
                        .unwrap_or_default();
                    format!("{who}: {}", str_of(e, "message").unwrap_or_default())
                })
                .collect();
            if !errors.is_empty() {
                return Err(Error::Rejected {
                    store: self.store.clone(),
                    status: 200,
                    detail: format!(
                        "metafieldsSet refused the call ({written} written before it): {}",
                        snippet(&errors.join("; "))
                    ),
                });
            }
            written += chunk.len();
        }
        Ok(written)
    }
}
