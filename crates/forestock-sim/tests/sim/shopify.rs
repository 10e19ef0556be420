use crate::client;
use crate::fixture::{self, sim};
use forestock_sim::{Fault, Platform, ShopifyConfig, SimConfig};
use serde_json::{json, Value};
use std::time::Duration;

const V: &str = "2025-07";

fn cfg() -> SimConfig {
    SimConfig {
        platforms: vec![Platform::Shopify],
        ..SimConfig::default()
    }
}

async fn gql(url: &str, token: &str, query: &str, vars: Value) -> (u16, Value) {
    let r = client()
        .post(format!("{url}/admin/api/{V}/graphql.json"))
        .header("X-Shopify-Access-Token", token)
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert_eq!(
        r.headers()
            .get("x-shopify-api-version")
            .map(|h| h.to_str().unwrap()),
        Some(V)
    );
    (status, r.json().await.unwrap())
}

const VARIANTS: &str = "query Variants($first:Int!, $after:String, $q:String) {
  productVariants(first:$first, after:$after, query:$q) {
    pageInfo { hasNextPage endCursor }
    nodes { id sku price updatedAt product { id title status vendor }
      inventoryItem { id tracked unitCost { amount currencyCode } } } } }";

const ORDERS: &str = "query Orders($first:Int!, $after:String, $q:String) {
  orders(first:$first, after:$after, query:$q, sortKey:UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id name createdAt updatedAt cancelledAt
      lineItems(first:20) { nodes { id sku quantity currentQuantity variant { id } } }
      refunds(first:10) { id createdAt refundLineItems(first:20) { nodes { quantity restockType lineItem { id } } } } } } }";

#[tokio::test]
async fn wrong_token_gets_shopify_401() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    // Not a version: 404.
    let r = client()
        .post(format!("{url}/admin/api/latest/graphql.json"))
        .json(&json!({"query": "{ shop { name } }"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let (status, body) = gql(&url, "shpat_wrong", "{ shop { name } }", json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(
        body,
        json!({"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"})
    );
    // A revoked token is refused the same way.
    let token = h.config().shopify.admin_token.clone();
    assert_eq!(
        gql(&url, &token, "{ shop { name } }", json!({})).await.0,
        200
    );
    h.faults(Platform::Shopify).revoke(&token);
    assert_eq!(
        gql(&url, &token, "{ shop { name } }", json!({})).await.0,
        401
    );
    h.shutdown().await;
}

#[tokio::test]
async fn client_credentials_token_works_and_bad_secret_fails() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let c = &h.config().shopify;
    let r = client()
        .post(format!("{url}/admin/oauth/access_token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &c.client_id),
            ("client_secret", "nope"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let r: Value = client()
        .post(format!("{url}/admin/oauth/access_token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", &c.client_id),
            ("client_secret", &c.client_secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["access_token"].as_str().unwrap();
    assert!(token.starts_with("shpat_"));
    assert!(r["scope"].as_str().unwrap().contains("read_all_orders"));
    let (status, body) = gql(&url, token, "{ shop { name currencyCode } }", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["shop"]["name"], "Fixture Shop");
    h.shutdown().await;
}

#[tokio::test]
async fn variants_paginate_with_cost_extensions() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let mut after = Value::Null;
    let mut skus = Vec::new();
    let mut pages = 0;
    loop {
        let (_, body) = gql(&url, &token, VARIANTS, json!({"first": 4, "after": after})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let conn = &body["data"]["productVariants"];
        for n in conn["nodes"].as_array().unwrap() {
            skus.push(n["sku"].as_str().unwrap().to_string());
            assert!(n["inventoryItem"]["id"]
                .as_str()
                .unwrap()
                .starts_with("gid://shopify/InventoryItem/"));
        }
        let cost = &body["extensions"]["cost"];
        assert!(cost["requestedQueryCost"].as_u64().unwrap() > 0);
        assert!(
            cost["actualQueryCost"].as_u64().unwrap()
                <= cost["requestedQueryCost"].as_u64().unwrap()
        );
        assert_eq!(cost["throttleStatus"]["maximumAvailable"], 2000.0);
        pages += 1;
        if !conn["pageInfo"]["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = conn["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(pages, 2);
    skus.sort();
    assert_eq!(
        skus,
        ["SKU-00", "SKU-01", "SKU-10", "SKU-11", "SKU-20", "SKU-30"]
    );
    // Cost with precise decimals, null when missing.
    let (_, body) = gql(
        &url,
        &token,
        VARIANTS,
        json!({"first": 10, "q": "sku:SKU-00"}),
    )
    .await;
    let n = &body["data"]["productVariants"]["nodes"][0];
    assert_eq!(n["inventoryItem"]["unitCost"]["amount"], "4.125");
    assert_eq!(n["price"], "10.00");
    let (_, body) = gql(
        &url,
        &token,
        VARIANTS,
        json!({"first": 10, "q": "sku:SKU-20"}),
    )
    .await;
    assert!(body["data"]["productVariants"]["nodes"][0]["inventoryItem"]["unitCost"].is_null());
    h.shutdown().await;
}

#[tokio::test]
async fn rejects_first_over_250_unknown_fields_and_arguments() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let (status, body) = gql(
        &url,
        &token,
        "{ productVariants(first: 300) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.get("data").is_none());
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "MAX_PAGE_SIZE_EXCEEDED"
    );
    let (_, body) = gql(
        &url,
        &token,
        "{ productVariants(first: 5) { nodes { id colour } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "Field 'colour' doesn't exist on type 'ProductVariant'"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "undefinedField");
    let (_, body) = gql(
        &url,
        &token,
        "{ locations(first: 5, bogus: 1) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "argumentNotAccepted"
    );
    let (_, body) = gql(
        &url,
        &token,
        "{ orders(last: 5) { nodes { id } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "argumentNotAccepted",
        "backward paging is refused, not ignored"
    );
    let (_, body) = gql(&url, &token, "{ orders { nodes { id } } }", json!({})).await;
    assert_eq!(
        body["errors"][0]["message"],
        "you must provide one of first or last"
    );
    let (_, body) = gql(&url, &token, "{ shop { name ", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "PARSE_ERROR");
    h.shutdown().await;
}

#[tokio::test]
async fn leaky_bucket_throttles_then_restores() {
    let mut c = cfg();
    c.shopify = ShopifyConfig {
        bucket_size: 120.0,
        restore_rate: 50.0,
        ..ShopifyConfig::default()
    };
    let (_f, h) = sim(c).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    // Requested: 2 + 50 × 1 = 52; actual is refunded down to what was returned (6 nodes).
    let q = "{ locations(first: 50) { nodes { id name } } }";
    let (_, b1) = gql(&url, &token, q, json!({})).await;
    assert_eq!(b1["extensions"]["cost"]["requestedQueryCost"], 52);
    assert!(
        b1["extensions"]["cost"]["actualQueryCost"]
            .as_u64()
            .unwrap()
            < 52
    );
    // A query requesting more than the bucket holds is throttled with HTTP 200.
    // Requested 2 + 119 = 121 points: more than the bucket can ever hold.
    let big = "{ productVariants(first: 119) { nodes { id } } }";
    let (status, body) = gql(&url, &token, big, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(body["errors"][0]["extensions"]["code"], "THROTTLED");
    assert!(body.get("data").is_none());
    let ts = &body["extensions"]["cost"]["throttleStatus"];
    assert_eq!(ts["maximumAvailable"], 120.0);
    assert_eq!(ts["restoreRate"], 50.0);
    assert!(ts["currentlyAvailable"].as_f64().unwrap() <= 120.0);
    // Over the single-query maximum.
    let (_, body) = gql(&url, &token, "{ productVariants(first: 250) { nodes { id product { id } inventoryItem { id unitCost { amount } } } } }", json!({})).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "MAX_COST_EXCEEDED");
    h.shutdown().await;
}

#[tokio::test]
async fn bucket_restores_at_the_restore_rate() {
    let mut c = cfg();
    c.shopify = ShopifyConfig {
        bucket_size: 30.0,
        restore_rate: 10.0,
        ..ShopifyConfig::default()
    };
    let (_f, h) = sim(c).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    // Mutations cost 10 and nothing is refunded: three drain the bucket.
    let m = "mutation($m:[MetafieldsSetInput!]!){ metafieldsSet(metafields:$m){ userErrors { message } } }";
    let vars = json!({"m": [{"ownerId": "gid://shopify/ProductVariant/1", "namespace": "forestock", "key": "rop", "type": "number_integer", "value": "3"}]});
    for _ in 0..3 {
        let (_, b) = gql(&url, &token, m, vars.clone()).await;
        assert_eq!(b["extensions"]["cost"]["actualQueryCost"], 10, "{b}");
    }
    let (_, b) = gql(&url, &token, m, vars.clone()).await;
    assert_eq!(b["errors"][0]["extensions"]["code"], "THROTTLED");
    // (10 - available) / 10 points per second: at most one second.
    tokio::time::sleep(Duration::from_millis(1050)).await;
    let (_, b) = gql(&url, &token, m, vars.clone()).await;
    assert!(b.get("errors").is_none(), "{b}");
    h.shutdown().await;
}

/// Send a query, waiting out THROTTLED answers as a client must.
async fn gql_patient(url: &str, token: &str, query: &str, vars: Value) -> Value {
    loop {
        let (_, b) = gql(url, token, query, vars.clone()).await;
        if b["errors"][0]["extensions"]["code"] != "THROTTLED" {
            return b;
        }
        let c = &b["extensions"]["cost"];
        let need = c["requestedQueryCost"].as_f64().unwrap()
            - c["throttleStatus"]["currentlyAvailable"].as_f64().unwrap();
        tokio::time::sleep(Duration::from_secs_f64(
            need.max(0.0) / c["throttleStatus"]["restoreRate"].as_f64().unwrap(),
        ))
        .await;
    }
}

#[tokio::test]
async fn orders_respect_read_all_orders_and_paginate() {
    // A Plus-sized restore rate keeps the test quick; throttling is still in play.
    let mut c = cfg();
    c.shopify.restore_rate = 1000.0;
    let (_f, h) = sim(c).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let fetch_all = |token: String| {
        let url = url.clone();
        async move {
            let mut after = Value::Null;
            let mut ids = Vec::new();
            let mut refunds = 0;
            loop {
                // 10 orders × (1 + 42 + 43) = 862 points: under the 1000 single-query maximum.
                let body =
                    gql_patient(&url, &token, ORDERS, json!({"first": 10, "after": after})).await;
                assert!(body.get("errors").is_none(), "{body}");
                let conn = &body["data"]["orders"];
                for o in conn["nodes"].as_array().unwrap() {
                    ids.push(o["id"].as_str().unwrap().to_string());
                    refunds += o["refunds"].as_array().unwrap().len();
                }
                if !conn["pageInfo"]["hasNextPage"].as_bool().unwrap() {
                    break;
                }
                after = conn["pageInfo"]["endCursor"].clone();
            }
            (ids, refunds)
        }
    };
    let (all, refunds) = fetch_all(token.clone()).await;
    assert_eq!(all.len() as i64, fixture::ORDERS);
    let mut dedup = all.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), all.len(), "no order twice across pages");
    assert!(refunds > 0);
    h.shopify()
        .unwrap()
        .add_token("shpat_recent_only", &["read_products", "read_orders"], None);
    let (recent, _) = fetch_all("shpat_recent_only".into()).await;
    assert_eq!(recent.len() as i64, fixture::recent_orders());
    assert!(recent.len() < all.len());
    // currentQuantity accounts for cancellations: a cancelled order's lines are 0.
    let body = gql_patient(
        &url,
        &token,
        ORDERS,
        json!({"first": 10, "q": "updated_at:>'2024-01-01T00:00:00Z'"}),
    )
    .await;
    for o in body["data"]["orders"]["nodes"].as_array().unwrap() {
        assert!(o["updatedAt"].as_str().unwrap() > "2024-01-01T00:00:00Z");
        if !o["cancelledAt"].is_null() {
            for l in o["lineItems"]["nodes"].as_array().unwrap() {
                assert_eq!(l["currentQuantity"], 0);
            }
        }
    }
    h.shutdown().await;
}

#[tokio::test]
async fn bulk_operation_lifecycle_and_jsonl() {
    let mut c = cfg();
    c.shopify.bulk_manual = true;
    let (_f, h) = sim(c).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let run = r#"mutation { bulkOperationRunQuery(query: """{ productVariants { edges { node { id sku
        inventoryItem { id inventoryLevels { edges { node { location { id }
        quantities(names:["available","on_hand"]) { name quantity } } } } } } } } }""") {
        bulkOperation { id status } userErrors { field message } } }"#;
    let (_, body) = gql(&url, &token, run, json!({})).await;
    assert_eq!(
        body["data"]["bulkOperationRunQuery"]["userErrors"],
        json!([]),
        "{body}"
    );
    let id = body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A second one while the first runs is refused.
    let (_, body) = gql(&url, &token, run, json!({})).await;
    assert!(
        body["data"]["bulkOperationRunQuery"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("already in progress")
    );
    let poll = "{ currentBulkOperation { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl } }";
    // Wait for the file, then release it.
    let n: i64 = id.rsplit('/').next().unwrap().parse().unwrap();
    for _ in 0..100 {
        if h.shopify()
            .unwrap()
            .bulk_operations()
            .iter()
            .any(|o| o.id == n && o.ready)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (_, body) = gql(&url, &token, poll, json!({})).await;
    assert_eq!(body["data"]["currentBulkOperation"]["status"], "RUNNING");
    assert!(body["data"]["currentBulkOperation"]["url"].is_null());
    assert!(h.shopify().unwrap().complete_bulk(n));
    let (_, body) = gql(&url, &token, poll, json!({})).await;
    let op = &body["data"]["currentBulkOperation"];
    assert_eq!(op["status"], "COMPLETED");
    assert_eq!(op["id"], id.as_str());
    assert_eq!(op["rootObjectCount"], "6");
    // 6 variants + 12 inventory levels.
    assert_eq!(op["objectCount"], "18");
    let file = client()
        .get(op["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(file.len().to_string(), op["fileSize"].as_str().unwrap());
    let lines: Vec<Value> = file
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 18);
    let mut seen = std::collections::HashSet::new();
    for l in &lines {
        if let Some(p) = l.get("__parentId") {
            assert!(seen.contains(p.as_str().unwrap()), "child after its parent");
            assert!(l["quantities"].is_array());
        } else {
            assert!(l["inventoryItem"]["id"].is_string());
            assert!(l["inventoryItem"].get("inventoryLevels").is_none());
            seen.insert(l["id"].as_str().unwrap().to_string());
        }
    }
    // node(id:) polling works too.
    let (_, body) = gql(
        &url,
        &token,
        "query($id: ID!) { node(id: $id) { ... on BulkOperation { id status } } }",
        json!({"id": id}),
    )
    .await;
    assert_eq!(body["data"]["node"]["status"], "COMPLETED");
    h.shutdown().await;
}

#[tokio::test]
async fn bulk_orders_without_read_all_orders_keep_the_window_and_failures_show() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    h.shopify()
        .unwrap()
        .add_token("shpat_recent", &["read_orders"], None);
    let run = r#"mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id lineItems { edges { node { id quantity } } } } } } }") { bulkOperation { id } userErrors { message } } }"#;
    let (_, body) = gql(&url, "shpat_recent", run, json!({})).await;
    assert_eq!(
        body["data"]["bulkOperationRunQuery"]["userErrors"],
        json!([]),
        "{body}"
    );
    let poll = "{ currentBulkOperation { status rootObjectCount url } }";
    let mut op = Value::Null;
    for _ in 0..200 {
        let (_, b) = gql(&url, "shpat_recent", poll, json!({})).await;
        op = b["data"]["currentBulkOperation"].clone();
        if op["status"] == "COMPLETED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(op["status"], "COMPLETED");
    assert_eq!(op["rootObjectCount"], fixture::recent_orders().to_string());
    // More than 5 connections is refused (the root plus five aliased line-item connections).
    let six = r#"mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id a: lineItems { nodes { id } } b: lineItems { nodes { id } } c: lineItems { nodes { id } } d: lineItems { nodes { id } } e: lineItems { nodes { id } } } } } }") { bulkOperation { id } userErrors { message } } }"#;
    let (_, body) = gql(&url, "shpat_recent", six, json!({})).await;
    assert!(body["data"]["bulkOperationRunQuery"]["bulkOperation"].is_null());
    assert!(
        body["data"]["bulkOperationRunQuery"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("more than 5 connections"),
        "{body}"
    );
    // An invalid bulk query is a user error, not an operation.
    let bad = r#"mutation { bulkOperationRunQuery(query: "{ productVariants { edges { node { id colour } } } }") { bulkOperation { id } userErrors { field message } } }"#;
    let (_, body) = gql(&url, "shpat_recent", bad, json!({})).await;
    assert!(body["data"]["bulkOperationRunQuery"]["bulkOperation"].is_null());
    assert!(
        body["data"]["bulkOperationRunQuery"]["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    h.shutdown().await;
}

#[tokio::test]
async fn metafields_set_is_atomic_and_limited_to_25() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let m = "mutation($m:[MetafieldsSetInput!]!){ metafieldsSet(metafields:$m){ metafields { id key value compareDigest } userErrors { field message code } } }";
    let owner = "gid://shopify/ProductVariant/1";
    let input = |n: usize| -> Value {
        (0..n).map(|i| json!({"ownerId": owner, "namespace": "forestock", "key": format!("rop_{i}"), "type": "number_integer", "value": "12"})).collect()
    };
    let (_, body) = gql(&url, &token, m, json!({"m": input(26)})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "MAX_INPUT_SIZE_EXCEEDED"
    );
    let mut bad = input(3);
    bad[2]["value"] = json!("twelve");
    let (_, body) = gql(&url, &token, m, json!({"m": bad})).await;
    assert_eq!(body["data"]["metafieldsSet"]["metafields"], json!([]));
    assert_eq!(
        body["data"]["metafieldsSet"]["userErrors"][0]["field"],
        json!(["metafields", "2", "value"])
    );
    assert!(
        h.shopify().unwrap().metafields().is_empty(),
        "nothing saved when one entry fails"
    );
    let (_, body) = gql(&url, &token, m, json!({"m": input(25)})).await;
    assert_eq!(
        body["data"]["metafieldsSet"]["metafields"]
            .as_array()
            .unwrap()
            .len(),
        25
    );
    assert_eq!(h.shopify().unwrap().metafields().len(), 25);
    h.shutdown().await;
}

#[tokio::test]
async fn faults_drop_and_malform_then_recover() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let faults = h.faults(Platform::Shopify);
    faults.inject(Fault::DropConnection, 1);
    faults.inject(Fault::MalformedJson, 1);
    faults.inject(Fault::ServerError(503), 1);
    faults.inject(Fault::RateLimited, 1);
    let send = || {
        client()
            .post(format!("{url}/admin/api/{V}/graphql.json"))
            .header("X-Shopify-Access-Token", &token)
            .json(&json!({"query": VARIANTS, "variables": {"first": 5}}))
            .send()
    };
    match send().await {
        Ok(r) => assert!(r.bytes().await.is_err(), "the body is cut off"),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    let r = send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).is_err());
    assert_eq!(send().await.unwrap().status().as_u16(), 503);
    let b: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(b["errors"][0]["extensions"]["code"], "THROTTLED");
    // Injected throttling carries usable numbers for the client's wait.
    assert_eq!(
        b["extensions"]["cost"]["throttleStatus"]["restoreRate"],
        100.0
    );
    assert_eq!(
        b["extensions"]["cost"]["throttleStatus"]["maximumAvailable"],
        2000.0
    );
    let b: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(
        b["data"]["productVariants"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    h.shutdown().await;
}

/// API-NOTES 5b: `Order.location` was removed in 2024-07; online orders carry no
/// point-of-sale location and are placed by their fulfillment orders, which need a
/// fulfillment-order read scope.
#[tokio::test]
async fn the_removed_order_location_field_is_refused() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let (_, body) = gql(
        &url,
        &token,
        "{ orders(first: 5) { nodes { id location { id } } } }",
        json!({}),
    )
    .await;
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "undefinedField");
}

#[tokio::test]
async fn online_orders_have_no_pos_location_and_are_placed_by_fulfillment_orders() {
    let mut c = cfg();
    c.shopify.restore_rate = 1000.0;
    let (_f, h) = sim(c).await;
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let q = "{ orders(first: 15) { nodes { id retailLocation { id fulfillsOnlineOrders } physicalLocation { id }
        fulfillmentOrders(first: 1) { nodes { status assignedLocation { location { id } }
          lineItems(first: 5) { nodes { totalQuantity lineItem { id } } } } } } } }";
    let body = gql_patient(&url, &token, q, json!({})).await;
    let orders = body["data"]["orders"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    let (mut pos, mut online, mut open) = (0, 0, 0);
    for o in orders {
        let fos = o["fulfillmentOrders"]["nodes"].as_array().unwrap();
        assert!(!fos.is_empty(), "every order has a fulfillment order: {o}");
        open += fos.iter().filter(|f| f["status"] == "OPEN").count();
        if o["retailLocation"].is_null() {
            online += 1;
            assert!(o["physicalLocation"].is_null(), "{o}");
        } else {
            pos += 1;
            assert_eq!(o["retailLocation"]["fulfillsOnlineOrders"], false, "{o}");
            assert_eq!(
                o["retailLocation"]["id"],
                fos[0]["assignedLocation"]["location"]["id"]
            );
        }
    }
    assert!(pos > 0 && online > 0, "pos {pos} online {online}");
    assert!(open > 0, "some orders are unfulfilled");

    h.shopify()
        .unwrap()
        .add_token("shpat_no_fo", &["read_orders"], None);
    let (_, body) = gql(
        &url,
        "shpat_no_fo",
        "{ orders(first: 1) { nodes { id fulfillmentOrders(first: 1) { nodes { id } } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "ACCESS_DENIED",
        "{body}"
    );
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("read_merchant_managed_fulfillment_orders"));
}

/// `metafieldsSet` needs `write_products` for variant owners: without it, a top-level
/// ACCESS_DENIED error naming the scope, and nothing saved.
#[tokio::test]
async fn metafields_set_without_write_products_is_access_denied() {
    let (_f, h) = sim(cfg()).await;
    let url = h.url(Platform::Shopify).unwrap();
    h.shopify()
        .unwrap()
        .add_token("shpat_read_only", &["read_products"], None);
    let m = "mutation($m:[MetafieldsSetInput!]!){ metafieldsSet(metafields:$m){ userErrors { message } } }";
    let vars = json!({"m": [{"ownerId": "gid://shopify/ProductVariant/1", "namespace": "forestock",
        "key": "forecast_units_30d", "type": "number_decimal", "value": "4.5"}]});
    let (_, body) = gql(&url, "shpat_read_only", m, vars).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "ACCESS_DENIED",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("write_products"),
        "{body}"
    );
    assert!(h.shopify().unwrap().metafields().is_empty());
    h.shutdown().await;
}
