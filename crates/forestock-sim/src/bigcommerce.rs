//! The BigCommerce simulator (v3 catalog and inventory, v2 orders).

use crate::config::BigCommerceConfig;
use crate::data::Merchant;
use crate::faults::Faults;
use axum::Router;
use std::sync::Arc;

pub(crate) fn router(_cfg: BigCommerceConfig, _m: Arc<Merchant>, _f: Faults) -> Router {
    Router::new()
}
