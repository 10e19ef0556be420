//! Shopify webhook deliveries: HMAC verification over the raw body (before any parsing) and
//! at-most-once application keyed by `X-Shopify-Webhook-Id`.

use crate::error::{Error, Result};
use base64::Engine;
use chrono::NaiveDateTime;
use forestock_core::Store;
use hmac::{Hmac, Mac};
use rusqlite::params;
use sha2::Sha256;

/// True when `header` (base64 of HMAC-SHA256 over `body`, keyed with the app's client
/// secret) is valid. Compared in constant time. During a secret rotation pass both secrets.
pub fn verify_shopify(secrets: &[&str], body: &[u8], header: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(header.trim()) else {
        return false;
    };
    secrets.iter().any(|secret| {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
            return false;
        };
        mac.update(body);
        // `verify_slice` compares in constant time.
        mac.verify_slice(&given).is_ok()
    })
}

/// Record a delivery; returns false when it was already seen (a duplicate to ignore).
pub fn first_delivery(
    db: &mut Store,
    store_id: i64,
    delivery_id: &str,
    topic: &str,
    now: NaiveDateTime,
) -> Result<bool> {
    if delivery_id.trim().is_empty() {
        return Err(Error::invalid(
            "webhook",
            "delivery without X-Shopify-Webhook-Id",
        ));
    }
    let w = db.write()?;
    let n = w.tx().execute(
        "INSERT OR IGNORE INTO webhook_deliveries (store_id, delivery_id, topic, received_at) \
         VALUES (?1, ?2, ?3, ?4)",
        params![store_id, delivery_id, topic, now],
    )?;
    w.commit()?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The self-computed vector of API-NOTES §1.8.
    #[test]
    fn api_notes_vector_and_tampering() {
        let body = br#"{"id":820982911946154508,"topic":"orders/updated"}"#;
        let header = "tBeBuZPWFVRlxc/owgwtrSupFjaLkM5eVM0JCgZpES4=";
        assert!(verify_shopify(&["test_client_secret"], body, header));
        assert!(verify_shopify(
            &["new_secret", "test_client_secret"],
            body,
            header
        ));
        assert!(!verify_shopify(&["other_secret"], body, header));
        let mut tampered = body.to_vec();
        tampered[7] = b'9';
        assert!(!verify_shopify(&["test_client_secret"], &tampered, header));
        assert!(!verify_shopify(
            &["test_client_secret"],
            body,
            "not base64!"
        ));
    }

    #[test]
    fn duplicate_deliveries_are_seen_once() {
        let mut db = Store::in_memory().unwrap();
        let now = NaiveDateTime::default();
        let w = db.write().unwrap();
        let id = w
            .insert_store(
                &forestock_core::NewStore {
                    platform: forestock_core::Platform::Shopify,
                    name: "S".into(),
                    base_url: "https://s.myshopify.com".into(),
                    keychain_ref: None,
                    settings: serde_json::json!({}),
                },
                now,
            )
            .unwrap();
        w.commit().unwrap();
        assert!(first_delivery(&mut db, id, "d-1", "orders/updated", now).unwrap());
        assert!(!first_delivery(&mut db, id, "d-1", "orders/updated", now).unwrap());
        assert!(first_delivery(&mut db, id, "d-2", "orders/updated", now).unwrap());
        assert!(first_delivery(&mut db, id, " ", "x", now).is_err());
    }
}
