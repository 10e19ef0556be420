use crate::client;
use crate::fixture::{self, sim};
use forestock_sim::oauth1;
use forestock_sim::{Platform, SimConfig, SimHandle};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

fn cfg() -> SimConfig {
    SimConfig {
        platforms: vec![Platform::Adobe],
        ..SimConfig::default()
    }
}

static NONCE: AtomicU64 = AtomicU64::new(0);

/// GET a path (with query) signed with OAuth 1.0a HMAC-SHA256 and the integration credentials.
async fn signed(h: &SimHandle, path_and_query: &str) -> reqwest::Response {
    let c = &h.config().adobe;
    let url = format!("{}{path_and_query}", h.url(Platform::Adobe).unwrap());
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut params: Vec<(String, String)> = query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (oauth1::decode(k), oauth1::decode(v))
        })
        .collect();
    let oauth = vec![
        ("oauth_consumer_key".to_string(), c.consumer_key.clone()),
        (
            "oauth_nonce".to_string(),
            format!("n{}", NONCE.fetch_add(1, Ordering::SeqCst)),
        ),
        (
            "oauth_signature_method".to_string(),
            "HMAC-SHA256".to_string(),
        ),
        (
            "oauth_timestamp".to_string(),
            chrono::Utc::now().timestamp().to_string(),
        ),
        ("oauth_token".to_string(), c.access_token.clone()),
        ("oauth_version".to_string(), "1.0".to_string()),
    ];
    params.extend(oauth.clone());
    let sig = oauth1::sign(
        &oauth1::base_string("GET", base, &params),
        &c.consumer_secret,
        &c.access_token_secret,
    );
    let header = oauth
        .iter()
        .chain([&("oauth_signature".to_string(), sig)])
        .map(|(k, v)| format!("{k}=\"{}\"", oauth1::encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    client()
        .get(&url)
        .header("Authorization", format!("OAuth {header}"))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn auth_signed_admin_token_and_refusals() {
    let (_f, h) = sim(cfg()).await;
    let base = h.url(Platform::Adobe).unwrap();
    let path = "/rest/V1/inventory/sources?searchCriteria[pageSize]=10";
    assert_eq!(signed(&h, path).await.status().as_u16(), 200);
    // The integration access token alone as a bearer is disabled by default.
    let r = client()
        .get(format!("{base}{path}"))
        .bearer_auth(&h.config().adobe.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let b: Value = r.json().await.unwrap();
    assert_eq!(
        b["message"],
        "The consumer isn't authorized to access %resources."
    );
    // An admin token works as a bearer.
    let c = &h.config().adobe;
    let tok: String = client()
        .post(format!("{base}/rest/V1/integration/admin/token"))
        .json(&json!({"username": c.admin_username, "password": c.admin_password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = client()
        .get(format!(
            "{base}/rest/default/V1/inventory/sources?searchCriteria"
        ))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let r = client()
        .post(format!("{base}/rest/V1/integration/admin/token"))
        .json(&json!({"username": "admin", "password": "bad"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A header that is not a valid signature is refused.
    let r = client()
        .get(format!("{base}{path}"))
        .header("Authorization", "OAuth oauth_consumer_key=\"x\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // searchCriteria is required.
    let r = signed(&h, "/rest/V1/products").await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["parameters"]["fieldName"],
        "searchCriteria"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn orders_page_round_trip_and_past_the_end() {
    let (_f, h) = sim(cfg()).await;
    let q = |page: usize| {
        format!("/rest/V1/orders?searchCriteria[pageSize]=100&searchCriteria[currentPage]={page}&searchCriteria[sortOrders][0][field]=entity_id&searchCriteria[sortOrders][0][direction]=ASC")
    };
    let mut ids = Vec::new();
    let mut canceled_units = 0;
    for page in 1..=3 {
        let b: Value = signed(&h, &q(page)).await.json().await.unwrap();
        assert_eq!(b["total_count"], fixture::ORDERS);
        for o in b["items"].as_array().unwrap() {
            ids.push(o["entity_id"].as_i64().unwrap());
            for l in o["items"].as_array().unwrap() {
                canceled_units += l["qty_canceled"].as_i64().unwrap();
            }
        }
    }
    assert_eq!(ids.len() as i64, fixture::ORDERS);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert!(canceled_units > 0);
    let r = signed(&h, &q(4)).await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["parameters"],
        json!([4, 3])
    );
    // Incremental filter on updated_at.
    let b: Value = signed(&h, "/rest/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=updated_at&searchCriteria[filter_groups][0][filters][0][value]=2026-06-01%2000:00:00&searchCriteria[filter_groups][0][filters][0][condition_type]=gt&searchCriteria[pageSize]=500").await.json().await.unwrap();
    let n = b["total_count"].as_i64().unwrap();
    assert!(n > 0 && n < fixture::ORDERS);
    // Products with cost in custom_attributes; MSI source items per source.
    let b: Value = signed(&h, "/rest/V1/products?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=SKU-00").await.json().await.unwrap();
    assert_eq!(b["total_count"], 1);
    let attrs = b["items"][0]["custom_attributes"].as_array().unwrap();
    assert!(attrs
        .iter()
        .any(|a| a["attribute_code"] == "cost" && a["value"] == "4.125"));
    let b: Value = signed(
        &h,
        "/rest/V1/inventory/source-items?searchCriteria[pageSize]=100",
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(b["total_count"], fixture::SKUS * 2);
    h.shutdown().await;
}

/// API-NOTES 5b: shipments name the MSI source they deducted from
/// (`extension_attributes.source_code`), page like every list, and a request without an
/// `order_id` filter or with an unknown criterion is refused.
#[tokio::test]
async fn shipments_carry_their_source_code_page_by_criteria_and_refuse_bad_criteria() {
    let (_f, h) = sim(cfg()).await;
    let ids = (1..=40)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let q = |page: usize| {
        format!("/rest/V1/shipments?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]={ids}&searchCriteria[filter_groups][0][filters][0][condition_type]=in&searchCriteria[pageSize]=10&searchCriteria[currentPage]={page}&searchCriteria[sortOrders][0][field]=entity_id&searchCriteria[sortOrders][0][direction]=ASC")
    };
    let first: Value = signed(&h, &q(1)).await.json().await.unwrap();
    let total = first["total_count"].as_u64().unwrap();
    assert!(total > 10, "{first}");
    let mut seen = Vec::new();
    for page in 1..=total.div_ceil(10) as usize {
        let b: Value = signed(&h, &q(page)).await.json().await.unwrap();
        for sh in b["items"].as_array().unwrap() {
            assert!(
                sh["extension_attributes"]["source_code"].is_string(),
                "{sh}"
            );
            let order = sh["order_id"].as_i64().unwrap();
            assert!((1..=40).contains(&order));
            assert!(sh["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|i| i["qty"].as_i64().unwrap() > 0 && i["order_item_id"].is_i64()));
            seen.push(sh["entity_id"].as_i64().unwrap());
        }
    }
    assert_eq!(seen.len() as u64, total);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
    // Every tenth order is still processing: no shipment for order 10, 20, ...
    let orders: Value = signed(&h, "/rest/V1/orders?searchCriteria[filter_groups][0][filters][0][field]=entity_id&searchCriteria[filter_groups][0][filters][0][value]=10&searchCriteria[pageSize]=1").await.json().await.unwrap();
    assert_eq!(orders["items"][0]["state"], "processing");
    assert_eq!(orders["items"][0]["items"][0]["qty_shipped"], 0);
    let none: Value = signed(&h, "/rest/V1/shipments?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=10&searchCriteria[pageSize]=10").await.json().await.unwrap();
    assert_eq!(none["total_count"], 0);
    // Refused: no searchCriteria, no order filter, a filter on another field, a bad value.
    for bad in [
        "/rest/V1/shipments",
        "/rest/V1/shipments?searchCriteria[pageSize]=10",
        "/rest/V1/shipments?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=X",
        "/rest/V1/shipments?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=abc",
        "/rest/V1/shipments?searchCriteria[bogus]=1",
    ] {
        let r = signed(&h, bad).await;
        assert_eq!(r.status().as_u16(), 400, "{bad}");
        assert!(r.json::<Value>().await.unwrap()["message"].is_string());
    }
}
