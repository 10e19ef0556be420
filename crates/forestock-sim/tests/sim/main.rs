//! Integration tests of the simulators over real loopback HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod adobe;
mod bigcommerce;
mod demo;
mod fixture;
mod netsuite;
mod shopify;

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}
