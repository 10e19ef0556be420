//! The NetSuite REST simulator (record API purchase orders, SuiteQL, OAuth).

use crate::config::NetSuiteConfig;
use crate::data::Merchant;
use crate::faults::Faults;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Serialize)]
pub struct PurchaseOrder {
    pub internal_id: i64,
    pub external_id: Option<String>,
    pub body: Value,
}

#[allow(dead_code)] // The record and query handlers land next.
pub(crate) struct NsState {
    pub cfg: NetSuiteConfig,
    pub merchant: Arc<Merchant>,
    pos: Mutex<Vec<PurchaseOrder>>,
}

impl NsState {
    pub fn new(cfg: NetSuiteConfig, merchant: Arc<Merchant>) -> Arc<NsState> {
        Arc::new(NsState {
            cfg,
            merchant,
            pos: Mutex::new(Vec::new()),
        })
    }
    pub fn purchase_orders(&self) -> Vec<PurchaseOrder> {
        self.pos.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

pub(crate) fn concurrency_exceeded() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        axum::Json(json!({
            "type": "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1",
            "title": "Bad Request", "status": 429, "o:errorCode": "USER_ERROR",
            "o:errorDetails": [{"detail": "Concurrent request limit exceeded. Request blocked.",
                                "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED"}]})),
    )
        .into_response()
}

pub(crate) fn router(_st: Arc<NsState>, _f: Faults) -> Router {
    Router::new()
}
