use crate::client;
use crate::fixture::{self, sim};
use forestock_sim::{BigCommerceConfig, Platform, SimConfig};
use serde_json::Value;
use std::time::Duration;

fn cfg() -> SimConfig {
    SimConfig {
        platforms: vec![Platform::BigCommerce],
        ..SimConfig::default()
    }
}

async fn get(h: &forestock_sim::SimHandle, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", h.url(Platform::BigCommerce).unwrap()))
        .header("X-Auth-Token", &h.config().bigcommerce.access_token)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn wrong_token_is_401_in_each_api_shape() {
    let (_f, h) = sim(cfg()).await;
    let base = h.url(Platform::BigCommerce).unwrap();
    let r = client()
        .get(format!("{base}/v3/catalog/products"))
        .header("X-Auth-Token", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["status"], 401);
    assert!(b["title"].is_string());
    let r = client()
        .get(format!("{base}/v2/orders"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b[0]["status"], 401);
    // Another store hash is not found.
    let other = base.replace("/stores/fsdemo01", "/stores/nothere");
    let r = client()
        .get(format!("{other}/v3/catalog/products"))
        .header("X-Auth-Token", &h.config().bigcommerce.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    h.shutdown().await;
}

#[tokio::test]
async fn catalog_and_v2_orders_page_round_trip() {
    let (_f, h) = sim(cfg()).await;
    let r = get(&h, "/v3/catalog/products?include=variants&limit=3&page=1").await;
    let b: Value = r.json().await.unwrap();
    let p = &b["meta"]["pagination"];
    assert_eq!(p["total"], 4);
    assert_eq!(p["total_pages"], 2);
    assert_eq!(p["links"]["next"], "?page=2&limit=3&include=variants");
    let b2: Value = get(&h, "/v3/catalog/products?include=variants&limit=3&page=2")
        .await
        .json()
        .await
        .unwrap();
    let variants: usize = b["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(b2["data"].as_array().unwrap())
        .map(|p| p["variants"].as_array().unwrap().len())
        .sum();
    assert_eq!(variants, fixture::SKUS);
    assert_eq!(
        get(&h, "/v3/catalog/products?limit=251")
            .await
            .status()
            .as_u16(),
        413
    );
    // Inventory per location.
    let inv: Value = get(&h, "/v3/inventory/items?limit=100")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(inv["data"].as_array().unwrap().len(), fixture::SKUS);
    assert_eq!(inv["data"][0]["locations"].as_array().unwrap().len(), 2);
    let locs: Value = get(&h, "/v3/inventory/locations")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(locs["meta"]["pagination"]["total"], 2);
    // v2 orders: bare arrays, 204 past the end, every order once.
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let r = get(
            &h,
            &format!("/v2/orders?limit=250&page={page}&sort=date_modified:asc"),
        )
        .await;
        if r.status().as_u16() == 204 {
            assert!(r.bytes().await.unwrap().is_empty());
            break;
        }
        let arr: Value = r.json().await.unwrap();
        for o in arr.as_array().unwrap() {
            assert!(o["date_created"].as_str().unwrap().ends_with("+0000"));
            seen.push(o["id"].as_i64().unwrap());
        }
        page += 1;
    }
    assert_eq!(seen.len() as i64, fixture::ORDERS);
    assert_eq!(page, 3);
    assert_eq!(get(&h, "/v2/orders?limit=300").await.status().as_u16(), 413);
    // Lines and refunds of an order with a refund (every 5th order from the first).
    let lines: Value = get(&h, "/v2/orders/1/products").await.json().await.unwrap();
    assert_eq!(lines[0]["quantity_refunded"], 1);
    let refunds: Value = get(&h, "/v3/orders/1/payment_actions/refunds")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(refunds["data"][0]["items"][0]["item_id"], lines[0]["id"]);
    // Incremental filter.
    let r = get(
        &h,
        "/v2/orders?min_date_modified=2026-06-01T00:00:00Z&limit=250",
    )
    .await;
    let n = r.json::<Value>().await.unwrap().as_array().unwrap().len();
    assert!(n > 0 && (n as i64) < fixture::ORDERS);
    h.shutdown().await;
}

#[tokio::test]
async fn rate_limit_headers_and_429_when_the_quota_is_spent() {
    let mut c = cfg();
    c.bigcommerce = BigCommerceConfig {
        quota: 3,
        window: Duration::from_millis(1500),
        ..BigCommerceConfig::default()
    };
    let (_f, h) = sim(c).await;
    let mut lefts = Vec::new();
    for _ in 0..3 {
        let r = get(&h, "/v3/inventory/locations").await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["x-rate-limit-requests-quota"], "3");
        assert_eq!(r.headers()["x-rate-limit-time-window-ms"], "1500");
        lefts.push(
            r.headers()["x-rate-limit-requests-left"]
                .to_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(lefts, ["2", "1", "0"]);
    let r = get(&h, "/v3/inventory/locations").await;
    assert_eq!(r.status().as_u16(), 429);
    let reset: u64 = r.headers()["x-rate-limit-time-reset-ms"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reset <= 1500);
    tokio::time::sleep(Duration::from_millis(reset + 50)).await;
    assert_eq!(
        get(&h, "/v3/inventory/locations").await.status().as_u16(),
        200
    );
    h.shutdown().await;
}

/// Variant metafields as BigCommerce answers them: required fields and lengths (422), one
/// namespace + key per variant (409), a variant of another product (404), update by id, and
/// writes refused without the Products modify scope (403).
#[tokio::test]
async fn variant_metafields_enforce_the_rules_and_read_back() {
    let (_f, h) = sim(cfg()).await;
    let base = h.url(Platform::BigCommerce).unwrap();
    let token = h.config().bigcommerce.access_token.clone();
    let vs: Value = get(&h, "/v3/catalog/variants?limit=250")
        .await
        .json()
        .await
        .unwrap();
    let v0 = &vs["data"][0];
    let (pid, vid) = (
        v0["product_id"].as_i64().unwrap(),
        v0["id"].as_i64().unwrap(),
    );
    let other = vs["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["product_id"].as_i64() != Some(pid))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("{base}/v3/catalog/products/{pid}/variants/{vid}/metafields");
    let send = |method: reqwest::Method, url: String, body: Value| {
        let token = token.clone();
        async move {
            let r = client()
                .request(method, url)
                .header("X-Auth-Token", token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let good = serde_json::json!({"permission_set": "app_only", "namespace": "forestock",
        "key": "forecast_units_30d", "value": "42.5"});
    // Missing and over-long fields, an unknown permission set: 422 naming them; nothing stored.
    let (s, b) = send(
        reqwest::Method::POST,
        path.clone(),
        serde_json::json!({"namespace": "forestock", "key": "k".repeat(65), "value": "1",
            "permission_set": "everyone"}),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert!(b["errors"]["key"].is_string(), "{b}");
    assert!(b["errors"]["permission_set"].is_string(), "{b}");
    let (s, b) = send(
        reqwest::Method::POST,
        path.clone(),
        serde_json::json!({"permission_set": "app_only", "namespace": "forestock", "key": "k"}),
    )
    .await;
    assert_eq!(s, 422);
    assert!(b["errors"]["value"].is_string(), "{b}");
    assert!(h.bigcommerce().unwrap().metafields().is_empty());
    // Created once; a second one with the same namespace and key is a conflict.
    let (s, b) = send(reqwest::Method::POST, path.clone(), good.clone()).await;
    assert_eq!(s, 200, "{b}");
    let id = b["data"]["id"].as_i64().unwrap();
    assert_eq!(b["data"]["resource_type"], "variant");
    let (s, _) = send(reqwest::Method::POST, path.clone(), good.clone()).await;
    assert_eq!(s, 409);
    // Updated by id; read back.
    let mut newer = good.clone();
    newer["value"] = serde_json::json!("50.0");
    let (s, b) = send(reqwest::Method::PUT, format!("{path}/{id}"), newer).await;
    assert_eq!(s, 200, "{b}");
    let list: Value = get(
        &h,
        &format!("/v3/catalog/products/{pid}/variants/{vid}/metafields?namespace=forestock"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["data"][0]["value"], "50.0");
    assert_eq!(h.bigcommerce().unwrap().metafield_writes(), 2);
    // A variant of another product, an unknown metafield id: 404.
    let wrong = format!("{base}/v3/catalog/products/{pid}/variants/{other}/metafields");
    let (s, _) = send(reqwest::Method::POST, wrong, good.clone()).await;
    assert_eq!(s, 404);
    let (s, _) = send(reqwest::Method::PUT, format!("{path}/999999"), good.clone()).await;
    assert_eq!(s, 404);
    h.shutdown().await;

    // A read-only API account: 403 on writes, reads still served.
    let mut c = cfg();
    c.bigcommerce.scopes = vec!["store_v2_products_read_only".into()];
    let (_f, h) = sim(c).await;
    let base = h.url(Platform::BigCommerce).unwrap();
    let r = client()
        .post(format!(
            "{base}/v3/catalog/products/{pid}/variants/{vid}/metafields"
        ))
        .header("X-Auth-Token", &h.config().bigcommerce.access_token)
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = get(
        &h,
        &format!("/v3/catalog/products/{pid}/variants/{vid}/metafields"),
    )
    .await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(h.bigcommerce().unwrap().metafields().is_empty());
    h.shutdown().await;
}
