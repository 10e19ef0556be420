//! `forestock sim`: serve a merchant database as Shopify, BigCommerce, Adobe Commerce and
//! NetSuite on loopback, print the base URLs and demo credentials, serve until Ctrl-C.

use super::common::{Db, Format};
use anyhow::Context;
use forestock_sim::{Platform, SimConfig};

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum PlatformArg {
    Shopify,
    Bigcommerce,
    Adobe,
    Netsuite,
    All,
}

#[derive(clap::Args)]
pub struct Args {
    /// Which platform to simulate.
    #[arg(long, value_enum, default_value = "all")]
    pub platform: PlatformArg,
    /// First port to listen on (127.0.0.1); 0 picks free ports. With several platforms
    /// they take consecutive ports.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// `json` prints one object keyed by platform: {"shopify": {"url": …, "token": …}, …}.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Serve Shopify bulk-result URLs from this origin instead (real Shopify hands out a
    /// cloud-storage URL); e.g. an origin where nothing listens, to rehearse a failed download.
    #[arg(long, value_name = "ORIGIN")]
    pub bulk_origin: Option<String>,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    // Open once through the shared path for its clear errors (missing, not a database).
    drop(db.open()?);
    let platforms = match args.platform {
        PlatformArg::Shopify => vec![Platform::Shopify],
        PlatformArg::Bigcommerce => vec![Platform::BigCommerce],
        PlatformArg::Adobe => vec![Platform::Adobe],
        PlatformArg::Netsuite => vec![Platform::NetSuite],
        PlatformArg::All => Platform::ALL.to_vec(),
    };
    let config = SimConfig {
        platforms,
        port: args.port,
        ..SimConfig::default()
    };
    super::common::runtime()?.block_on(async move {
        let handle = forestock_sim::start(db.path(), config).await?;
        if let (Some(origin), Some(shopify)) = (&args.bulk_origin, handle.shopify()) {
            shopify.set_bulk_origin(Some(origin.trim_end_matches('/').to_string()));
        }
        let endpoints = handle.endpoints();
        match args.format {
            Format::Json => println!("{}", serde_json::to_string(&endpoints)?),
            Format::Text => {
                print!("{}", forestock_sim::endpoints_text(&endpoints));
                println!("Serving until Ctrl-C.");
            }
        }
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        handle.shutdown().await;
        Ok(())
    })
}
