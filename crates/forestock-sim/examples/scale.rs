//! Measure the simulator on a larger demo merchant: start-up time, a Shopify bulk
//! operation over every order, and one page of each platform.
//!
//! `cargo run -p forestock-sim --example scale -- [SKUS] [DB]` (the demo merchant is
//! generated into DB if that file does not exist yet).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use forestock_core::Store;
use forestock_sim::{start, Platform, SimConfig};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let skus: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let path = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| format!("/tmp/forestock-scale-{skus}.db")),
    );
    if !path.exists() {
        let t = Instant::now();
        let mut store = Store::create(&path).unwrap();
        let cfg = forestock_demo::DemoConfig {
            skus,
            ..Default::default()
        };
        forestock_demo::generate(&mut store, &cfg, &mut |_| {}).unwrap();
        println!("generated {skus} SKUs in {:.1?}", t.elapsed());
    }
    let info = Store::open(&path).unwrap().read().info().unwrap();
    println!(
        "merchant: {} SKUs, {} orders, {} lines",
        info.skus, info.orders, info.order_lines
    );
    let t = Instant::now();
    let h = start(&path, SimConfig::default()).await.unwrap();
    println!("simulators up in {:.2?}", t.elapsed());
    let url = h.url(Platform::Shopify).unwrap();
    let token = h.config().shopify.admin_token.clone();
    let c = reqwest::Client::new();
    let gql = |q: String| {
        let c = c.clone();
        let url = url.clone();
        let token = token.clone();
        async move {
            c.post(format!("{url}/admin/api/2025-10/graphql.json"))
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
    let t = Instant::now();
    let inner = "{ orders { edges { node { id createdAt cancelledAt lineItems { edges { node { sku quantity currentQuantity } } } } } } }";
    let b = gql(format!("mutation {{ bulkOperationRunQuery(query: {}) {{ bulkOperation {{ id }} userErrors {{ message }} }} }}", serde_json::to_string(inner).unwrap())).await;
    assert_eq!(b["data"]["bulkOperationRunQuery"]["userErrors"], json!([]));
    let op = loop {
        let op = gql(
            "{ currentBulkOperation { status objectCount rootObjectCount fileSize url } }".into(),
        )
        .await["data"]["currentBulkOperation"]
            .clone();
        if op["status"] != "RUNNING" && op["status"] != "CREATED" {
            break op;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    println!(
        "bulk orders: {} in {:.2?}: {} objects, {} bytes",
        op["status"],
        t.elapsed(),
        op["objectCount"],
        op["fileSize"]
    );
    let t = Instant::now();
    let body = c
        .get(op["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    println!("downloaded {} bytes in {:.2?}", body.len(), t.elapsed());
    let t = Instant::now();
    let b = gql("{ orders(first: 10, sortKey: UPDATED_AT) { nodes { id lineItems(first: 20) { nodes { sku } } } pageInfo { endCursor } } }".into()).await;
    println!(
        "one orders page (10) in {:.2?}, cost {}",
        t.elapsed(),
        b["extensions"]["cost"]["actualQueryCost"]
    );
    h.shutdown().await;
}
