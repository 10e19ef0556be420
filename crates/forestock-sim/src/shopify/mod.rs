//! The Shopify Admin GraphQL API simulator.

pub mod gql;
pub mod schema;
pub mod search;
pub mod state;

use crate::faults::{self, FaultLayerState, Faults};
use crate::Platform;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use state::ShopState;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

pub use state::{BulkOp, Metafield};

const INVALID_TOKEN: &str =
    "[API] Invalid API key or access token (unrecognized login or wrong password)";

#[derive(Clone)]
pub(crate) struct AppState {
    pub shop: Arc<ShopState>,
    pub faults: Faults,
}

pub(crate) fn router(shop: Arc<ShopState>, faults: Faults) -> Router {
    let st = AppState {
        shop,
        faults: faults.clone(),
    };
    Router::new()
        .route("/admin/api/{version}/graphql.json", post(graphql))
        .route("/admin/oauth/access_token", post(access_token))
        .route("/_bulk/{id}/{file}", get(bulk_file))
        .layer(axum::middleware::from_fn_with_state(
            FaultLayerState {
                faults,
                platform: Platform::Shopify,
                bucket: (st.shop.cfg.bucket_size, st.shop.cfg.restore_rate),
            },
            faults::apply,
        ))
        .with_state(st)
}

fn json_response(status: StatusCode, version: Option<&str>, body: Value) -> Response {
    let mut r = (status, Json(body)).into_response();
    if let Some(v) = version.and_then(|v| HeaderValue::from_str(v).ok()) {
        r.headers_mut().insert("x-shopify-api-version", v);
    }
    r
}

/// The THROTTLED body (HTTP 200, no `data`).
pub(crate) fn throttled_body(requested: u64, available: f64, max: f64, rate: f64) -> Value {
    json!({
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED",
            "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
        "extensions": {"cost": {"requestedQueryCost": requested, "actualQueryCost": null,
            "throttleStatus": {"maximumAvailable": max, "currentlyAvailable": available.floor(), "restoreRate": rate}}}
    })
}

/// Any `YYYY-MM` (API-NOTES §1.2: unsupported versions fall forward, so all are served) or
/// `unstable`.
fn valid_version(v: &str) -> bool {
    v == "unstable"
        || (v.len() == 7
            && v.as_bytes()[4] == b'-'
            && v[..4].bytes().all(|b| b.is_ascii_digit())
            && v[5..].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m)))
}

async fn graphql(
    State(st): State<AppState>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !valid_version(&version) {
        return json_response(StatusCode::NOT_FOUND, None, json!({"errors": "Not Found"}));
    }
    let v = Some(version.as_str());
    let token = headers
        .get("x-shopify-access-token")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let info = match st.shop.token(token) {
        Some(info) if !st.faults.is_revoked(token) => info,
        _ => {
            return json_response(
                StatusCode::UNAUTHORIZED,
                v,
                json!({"errors": INVALID_TOKEN}),
            )
        }
    };
    let req: Value = match serde_json::from_slice(&body) {
        Ok(Value::Object(m)) => Value::Object(m),
        _ => {
            return json_response(
                StatusCode::BAD_REQUEST,
                v,
                json!({"errors": {"query": "Required parameter missing or invalid"}}),
            )
        }
    };
    let Some(query) = req.get("query").and_then(Value::as_str).map(str::to_string) else {
        return json_response(
            StatusCode::BAD_REQUEST,
            v,
            json!({"errors": {"query": "Required parameter missing or invalid"}}),
        );
    };
    let vars = match req.get("variables") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let op_name = req
        .get("operationName")
        .and_then(Value::as_str)
        .map(str::to_string);
    let prepared = match gql::prepare(&query, op_name.as_deref(), vars, false) {
        Ok(p) => p,
        Err(errs) => {
            let errs: Vec<Value> = errs.iter().map(gql::GqlError::to_json).collect();
            return json_response(StatusCode::OK, v, json!({"errors": errs}));
        }
    };
    let cfg = &st.shop.cfg;
    let requested = prepared.requested_cost;
    if requested > cfg.max_query_cost {
        return json_response(
            StatusCode::OK,
            v,
            json!({"errors": [{"message": format!(
                "Query cost is {requested}, which exceeds the single query max cost limit ({}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
                cfg.max_query_cost),
                "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": cfg.max_query_cost}}]}),
        );
    }
    let outcome = st.shop.take(requested as f64);
    if !outcome.allowed {
        return json_response(
            StatusCode::OK,
            v,
            throttled_body(
                requested,
                outcome.currently_available,
                cfg.bucket_size,
                cfg.restore_rate,
            ),
        );
    }
    let all_orders = info.scopes.iter().any(|s| s == "read_all_orders");
    let fulfillment_orders = info
        .scopes
        .iter()
        .any(|s| gql::FULFILLMENT_ORDER_SCOPES.contains(&s.as_str()));
    let write_products = info.scopes.iter().any(|s| s == "write_products");
    let shop = st.shop.clone();
    let joined = tokio::task::spawn_blocking(move || {
        let base = shop.base_url();
        let cat = shop.merchant.catalog();
        let exec = gql::Exec {
            m: &shop.merchant,
            cat: &cat,
            shop: &shop,
            all_orders,
            fulfillment_orders,
            write_products,
            vars: &prepared.vars,
            doc: &prepared.doc,
            actual_cost: Cell::new(0),
            base_url: &base,
        };
        let ss = match prepared.doc.definitions.get(prepared.op_index) {
            Some(graphql_parser::query::Definition::Operation(op)) => match op {
                graphql_parser::query::OperationDefinition::SelectionSet(ss) => ss,
                graphql_parser::query::OperationDefinition::Query(q) => &q.selection_set,
                graphql_parser::query::OperationDefinition::Mutation(m) => &m.selection_set,
                graphql_parser::query::OperationDefinition::Subscription(s) => &s.selection_set,
            },
            _ => {
                return (
                    Err(gql::GqlError::new("No operation", None, &[], Value::Null)),
                    0,
                )
            }
        };
        let res = exec.object(&gql::Obj::Root, ss, &mut Vec::new(), None);
        // The root object itself is not charged.
        let actual = exec.actual_cost.get().saturating_sub(1);
        (res, actual)
    })
    .await;
    let (res, actual) = match joined {
        Ok(x) => x,
        Err(e) => {
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                v,
                json!({"errors": [{"message": format!("Internal error: {e}")}]}),
            )
        }
    };
    let actual = if prepared.kind == gql::OpKind::Mutation {
        requested
    } else {
        actual.min(requested)
    };
    let available = st.shop.refund(requested.saturating_sub(actual) as f64);
    let ext = json!({"cost": {"requestedQueryCost": requested, "actualQueryCost": actual,
        "throttleStatus": {"maximumAvailable": cfg.bucket_size, "currentlyAvailable": available.floor(), "restoreRate": cfg.restore_rate}}});
    match res {
        Ok(data) => json_response(StatusCode::OK, v, json!({"data": data, "extensions": ext})),
        Err(e) => json_response(
            StatusCode::OK,
            v,
            json!({"errors": [e.to_json()], "data": null, "extensions": ext}),
        ),
    }
}

async fn access_token(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let is_json = headers
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    let params: Map<String, Value> = if is_json {
        serde_json::from_slice(&body).unwrap_or_default()
    } else {
        form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect()
    };
    let get = |k: &str| params.get(k).and_then(Value::as_str).unwrap_or("");
    if get("grant_type") != "client_credentials" {
        return json_response(
            StatusCode::BAD_REQUEST,
            None,
            json!({"error": "unsupported_grant_type", "error_description": "grant_type must be client_credentials"}),
        );
    }
    let cfg = &st.shop.cfg;
    if get("client_id") != cfg.client_id
        || get("client_secret") != cfg.client_secret
        || st.faults.is_revoked(&cfg.client_id)
    {
        return json_response(
            StatusCode::UNAUTHORIZED,
            None,
            json!({"error": "invalid_client", "error_description": "Client authentication failed: the client_id or client_secret is invalid."}),
        );
    }
    let token = st.shop.issue_token();
    json_response(
        StatusCode::OK,
        None,
        json!({"access_token": token, "scope": cfg.scopes.join(","), "expires_in": cfg.token_ttl.as_secs()}),
    )
}

async fn bulk_file(
    State(st): State<AppState>,
    Path((id, file)): Path<(i64, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let key = q.get("X-Goog-Signature").map(String::as_str).unwrap_or("");
    let named = file == format!("bulk-{id}.jsonl");
    let found = if named {
        st.shop.bulk_file(id, key)
    } else {
        None
    };
    let Some(path) = found else {
        return (
            StatusCode::FORBIDDEN,
            "<Error><Code>AccessDenied</Code><Message>Access denied.</Message></Error>",
        )
            .into_response();
    };
    match tokio::fs::File::open(&path).await {
        Ok(f) => {
            let len = f.metadata().await.map(|m| m.len()).unwrap_or(0);
            let stream = tokio_util::io::ReaderStream::new(f);
            let mut r = Response::new(Body::from_stream(stream));
            r.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/jsonl"),
            );
            r.headers_mut()
                .insert("content-length", HeaderValue::from(len));
            r
        }
        Err(_) => (StatusCode::NOT_FOUND, "gone").into_response(),
    }
}
