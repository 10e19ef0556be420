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

impl ShopifyClient {
    /// Write metafields in calls of at most 25, each entry answered on its own: `Ok` with the
    /// metafield's id, or `Err` with Shopify's message for that entry.
    ///
    /// `metafieldsSet` is atomic per call (one invalid entry saves none), so a call with user
    /// errors is sent again without the entries they name (`field` is `["metafields", "<i>",
    /// …]`, or `elementIndex`); an error naming no entry fails the whole call's entries. A
    /// call-level failure (credentials, a missing scope, the network after retries) is the
    /// outer `Err`: entries already answered stay written on Shopify's side, so the caller
    /// records nothing for this call and a later push sends them again (an update in place).
    /// A token without `write_products` gets a [`Error::Permission`] naming that scope.
    pub async fn set_metafields_each(
        &self,
        writes: &[MetafieldWrite],
    ) -> Result<Vec<std::result::Result<String, String>>> {
        const SET: &str =
            "mutation Set($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { \
            metafields { id key namespace ownerType } userErrors { field message code elementIndex } } }";
        let mut out: Vec<Option<std::result::Result<String, String>>> = vec![None; writes.len()];
        for (c, chunk) in writes.chunks(METAFIELDS_PER_CALL).enumerate() {
            let base = c * METAFIELDS_PER_CALL;
            // Indexes (into `writes`) still to send in this chunk.
            let mut pending: Vec<usize> = (base..base + chunk.len()).collect();
            while !pending.is_empty() {
                let m: Vec<Value> = pending
                    .iter()
                    .map(|&i| {
                        let w = &writes[i];
                        json!({"ownerId": w.owner_id, "namespace": w.namespace, "key": w.key,
                            "type": w.kind, "value": w.value})
                    })
                    .collect();
                let d = self
                    .graphql(SET, json!({ "m": m }))
                    .await
                    .map_err(|e| match e {
                        Error::Permission { store, detail } => Error::Permission {
                            store,
                            detail: format!(
                                "writing variant metafields needs the write_products scope; \
                                 add it to the app and connect again ({detail})"
                            ),
                        },
                        e => e,
                    })?;
                let errors: Vec<Value> = d
                    .at("/metafieldsSet/userErrors")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if errors.is_empty() {
                    let ids: Vec<String> = d
                        .at("/metafieldsSet/metafields")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|x| str_of(x, "id").unwrap_or_default())
                        .collect();
                    for (k, &i) in pending.iter().enumerate() {
                        out[i] = Some(Ok(ids.get(k).cloned().unwrap_or_default()));
                    }
                    break;
                }
                let mut named = false;
                for e in &errors {
                    let message = snippet(&format!(
                        "{} [{}]",
                        str_of(e, "message").unwrap_or_else(|| "refused".into()),
                        str_of(e, "code").unwrap_or_default()
                    ));
                    let index = e.get("elementIndex").and_then(Value::as_u64).or_else(|| {
                        let f = e.get("field").and_then(Value::as_array)?;
                        f.get(1)?.as_str()?.parse().ok()
                    });
                    match index.and_then(|k| pending.get(k as usize)) {
                        Some(&i) => {
                            named = true;
                            out[i] = Some(Err(message));
                        }
                        None => {
                            for &i in &pending {
                                out[i].get_or_insert_with(|| Err(message.clone()));
                            }
                        }
                    }
                }
                if !named {
                    break;
                }
                pending.retain(|&i| out[i].is_none());
            }
        }
        Ok(out
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Err("not answered".into())))
            .collect())
    }
}
