//! Integration tests: the real clients against the loopback simulators, over real HTTP.
//! One binary; modules mirror `src/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod adobe;
mod attribution;
mod bigcommerce;
mod concurrency;
mod ground_truth;
mod keychain;
mod netsuite;
mod push;
mod secrets;
mod shopify;
mod suppliers;
mod support;
mod writeback;
