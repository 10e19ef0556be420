//! End to end on a (small) demo merchant: every platform serves the same counts the
//! merchant database holds.

use crate::client;
use forestock_core::Store;
use forestock_sim::{start, Platform, SimConfig};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
async fn every_platform_serves_the_demo_merchant_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let info = {
        let mut store = Store::create(&path).unwrap();
        let cfg = forestock_demo::DemoConfig {
            skus: 40,
            days: 120,
            ..Default::default()
        };
        forestock_demo::generate(&mut store, &cfg, &mut |_| {}).unwrap();
        store.read().info().unwrap()
    };
    let h = start(&path, SimConfig::default()).await.unwrap();
    let c = h.config().clone();

    // Shopify: variants and all orders through one bulk operation each.
    let url = h.url(Platform::Shopify).unwrap();
    let gql = |q: String| {
        let url = url.clone();
        let token = c.shopify.admin_token.clone();
        async move {
            client()
                .post(format!("{url}/admin/api/2025-10/graphql.json"))
                .header("X-Shopify-Access-Token", token)
                .json(&json!({"query": q}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let mut roots = Vec::new();
    for inner in ["{ productVariants { edges { node { id sku } } } }", "{ orders { edges { node { id lineItems { edges { node { quantity currentQuantity } } } } } } }"] {
        let b = gql(format!("mutation {{ bulkOperationRunQuery(query: {}) {{ bulkOperation {{ id }} userErrors {{ message }} }} }}", serde_json::to_string(inner).unwrap())).await;
        assert_eq!(b["data"]["bulkOperationRunQuery"]["userErrors"], json!([]), "{b}");
        let mut op = Value::Null;
        for _ in 0..500 {
            op = gql("{ currentBulkOperation { status rootObjectCount objectCount url } }".into()).await["data"]["currentBulkOperation"].clone();
            if op["status"] == "COMPLETED" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(op["status"], "COMPLETED");
        let text = client().get(op["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
        assert_eq!(text.lines().count().to_string(), op["objectCount"].as_str().unwrap());
        roots.push(op["rootObjectCount"].as_str().unwrap().parse::<i64>().unwrap());
    }
    assert_eq!(roots, [info.skus, info.orders]);

    // BigCommerce: variants in the catalog, orders in v2.
    let bc = h.url(Platform::BigCommerce).unwrap();
    let get = |p: String| {
        client()
            .get(format!("{bc}{p}"))
            .header("X-Auth-Token", &c.bigcommerce.access_token)
            .send()
    };
    let b: Value = get("/v3/catalog/variants?limit=1".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(b["meta"]["pagination"]["total"], info.skus);
    let mut orders = 0;
    for page in 1.. {
        let r = get(format!("/v2/orders?limit=250&page={page}"))
            .await
            .unwrap();
        if r.status().as_u16() == 204 {
            break;
        }
        orders += r.json::<Value>().await.unwrap().as_array().unwrap().len() as i64;
    }
    assert_eq!(orders, info.orders);

    // Adobe Commerce: total_count of orders and products, through an admin token.
    let ad = h.url(Platform::Adobe).unwrap();
    let tok: String = client()
        .post(format!("{ad}/rest/V1/integration/admin/token"))
        .json(&json!({"username": c.adobe.admin_username, "password": c.adobe.admin_password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (p, n) in [("orders", info.orders), ("products", info.skus)] {
        let b: Value = client()
            .get(format!("{ad}/rest/V1/{p}?searchCriteria[pageSize]=1"))
            .bearer_auth(&tok)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(b["total_count"], n, "{p}");
    }

    // NetSuite: every SKU is an item, every supplier a vendor.
    let ns = h.url(Platform::NetSuite).unwrap();
    let suiteql = |q: &str| {
        client()
            .post(format!("{ns}/services/rest/query/v1/suiteql?limit=1000"))
            .header("Prefer", "transient")
            .header("Authorization", "Bearer none")
            .json(&json!({"q": q}))
            .send()
    };
    assert_eq!(
        suiteql("SELECT id FROM item")
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    assert!(info.suppliers > 0);
    h.shutdown().await;
}
