//! The Adobe Commerce (Magento 2) REST simulator.

use crate::config::AdobeConfig;
use crate::data::Merchant;
use crate::faults::Faults;
use axum::Router;
use std::sync::Arc;

pub(crate) fn router(_cfg: AdobeConfig, _m: Arc<Merchant>, _f: Faults) -> Router {
    Router::new()
}
