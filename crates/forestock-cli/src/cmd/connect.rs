//! `forestock connect`: add a store (credentials to the OS keychain, a reference in the
//! database), list connected stores, or remove one (and its keychain entry).
//!
//! Secrets are read from stdin (one per line, in the order given below) or prompted for
//! without echo on a terminal; never from the command line.

use super::common::{report, Db, Format, Sub};
use crate::exit;
use crate::prompt::read_secret;
use forestock_api::merchants::with_database;
use forestock_api::text::PlainText;
use forestock_connect::credentials::Keychain;
use forestock_connect::secret::Secret;
use forestock_connect::stores::{self, ConnectRequest};
use forestock_connect::Credentials;

pub type Args = Sub<What>;

/// Where the store lives and what to call it.
#[derive(clap::Args, Clone)]
pub struct Common {
    /// The store's base URL (Shopify: https://SHOP.myshopify.com; BigCommerce:
    /// https://api.bigcommerce.com/stores/HASH; Adobe Commerce: https://HOST; NetSuite:
    /// https://ACCOUNT.suitetalk.api.netsuite.com). Must be https:// (http:// only for loopback
    /// hosts, e.g. `forestock sim`), with no user:password@ and no query string.
    #[arg(long)]
    pub url: String,
    /// A name for the store (default: the shop's own name).
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(clap::Subcommand)]
pub enum What {
    /// Shopify: reads the Admin API token from stdin, or with --client-id the app's client
    /// secret (client-credentials grant).
    Shopify {
        #[command(flatten)]
        common: Common,
        /// The Dev Dashboard app's client id (then stdin holds its client secret).
        #[arg(long)]
        client_id: Option<String>,
        /// GraphQL Admin API version (YYYY-MM).
        #[arg(long, default_value = forestock_connect::shopify::DEFAULT_API_VERSION)]
        api_version: String,
    },
    /// BigCommerce: reads the store-level API account access token from stdin.
    Bigcommerce {
        #[command(flatten)]
        common: Common,
    },
    /// Adobe Commerce: OAuth 1.0a integration (--consumer-key). Reads, one per line from
    /// stdin, the consumer secret, the access token and the access token secret (the
    /// integration page's order). With --bearer reads one token instead.
    Adobe {
        #[command(flatten)]
        common: Common,
        #[arg(long, required_unless_present = "bearer")]
        consumer_key: Option<String>,
        /// No longer accepted: the access token is a secret; it is read from stdin.
        #[arg(long, hide = true)]
        access_token: Option<String>,
        /// Use a bearer token (an admin token, or an integration token when the admin allowed it).
        #[arg(long)]
        bearer: bool,
    },
    /// NetSuite: OAuth 2.0 client credentials (--client-id, --certificate-id; stdin holds
    /// the PEM private key) or token-based auth (--consumer-key; stdin holds, one per line,
    /// the consumer secret, the token id and the token secret).
    Netsuite {
        #[command(flatten)]
        common: Common,
        /// The account id (e.g. 1234567 or 1234567_SB1).
        #[arg(long)]
        account: String,
        #[arg(long, conflicts_with = "consumer_key", requires = "certificate_id")]
        client_id: Option<String>,
        #[arg(long)]
        certificate_id: Option<String>,
        #[arg(long)]
        consumer_key: Option<String>,
        /// No longer accepted: the token id is a secret; it is read from stdin.
        #[arg(long, hide = true)]
        token_id: Option<String>,
    },
    /// List connected stores (never their secrets).
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Remove a store and its keychain entry; synced data stays.
    Remove {
        /// The store's id, name or URL.
        store: String,
    },
    /// Name the location that takes the orders the platform gives no location (BigCommerce's
    /// shipped orders, Adobe Commerce's, Shopify's with no fulfilment location; default: the
    /// store's first active warehouse). Orders already placed there by default move too.
    DefaultLocation {
        /// The store's id, name or URL.
        store: String,
        /// The location's code (as `forestock info` lists it).
        location: String,
    },
}

/// A secret given as a command-line flag (the old `--access-token`, `--token-id`): refused
/// before anything is read or written, without repeating the value; the process list and the
/// shell history have it already, so the user is told to renew it.
fn refuse_secret_flag(flag: &str, given: Option<String>, stdin_order: &str) -> anyhow::Result<()> {
    match given {
        None => Ok(()),
        Some(_) => Err(exit::usage(format!(
            "{flag} is not accepted: a value on the command line is visible in the process \
             list and the shell history. Pipe it on stdin instead ({stdin_order}, one per line); \
             consider renewing the one you typed, it may be in your shell history"
        ))),
    }
}

fn secret(prompt: &str) -> anyhow::Result<Secret> {
    let s = read_secret(prompt).map_err(|e| exit::usage(format!("cannot read the secret: {e}")))?;
    if s.is_empty() {
        return Err(exit::usage(format!(
            "no secret given: pipe it on stdin (e.g. `echo TOKEN | forestock connect …`) or \
             type it at the prompt ({})",
            prompt.trim_end_matches([':', ' '])
        )));
    }
    Ok(s)
}

/// Read every line of stdin (a PEM key), or prompt for a path-free paste on a terminal.
fn secret_block(prompt: &str) -> anyhow::Result<Secret> {
    use std::io::{IsTerminal, Read};
    if std::io::stdin().is_terminal() {
        eprintln!("{prompt} (paste it, then Ctrl-D):");
    }
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| exit::usage(format!("cannot read the key: {e}")))?;
    if s.trim().is_empty() {
        return Err(exit::usage("no private key on stdin"));
    }
    Ok(Secret::new(s.trim().to_string()))
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let stamp = super::common::stamp();
    let (common, credentials, api_version) = match args.action {
        What::List { format } => return report(format, &forestock_api::stores::list(&db.open()?)?),
        What::Remove { store } => {
            let mut s = db.open()?;
            // A store that does not exist is said before the keychain is opened.
            let id = stores::find_store(&s, &store)?.id;
            let removed = stores::remove_store(&mut s, &Keychain::from_env()?, id, &stamp)?;
            let (out, note) = forestock_api::text::store_removed(&removed);
            print!("{out}");
            eprint!("{}", note.unwrap_or_default());
            return Ok(());
        }
        What::DefaultLocation { store, location } => {
            let mut s = db.open()?;
            let r = forestock_api::stores::set_default_location(&mut s, &store, &location, &stamp)?;
            print!("{}", r.text());
            return Ok(());
        }
        What::Shopify {
            common,
            client_id,
            api_version,
        } => {
            let creds = match client_id {
                Some(client_id) => Credentials::ShopifyClient {
                    client_id,
                    client_secret: secret("Shopify client secret: ")?,
                },
                None => Credentials::ShopifyToken {
                    token: secret("Shopify Admin API token: ")?,
                },
            };
            (common, creds, Some(api_version))
        }
        What::Bigcommerce { common } => {
            let token = secret("BigCommerce access token: ")?;
            (common, Credentials::BigCommerce { token }, None)
        }
        What::Adobe {
            common,
            consumer_key,
            access_token,
            bearer,
        } => {
            refuse_secret_flag(
                "--access-token",
                access_token,
                "consumer secret, access token, access token secret",
            )?;
            let creds = match (bearer, consumer_key) {
                (true, _) => Credentials::AdobeBearer {
                    token: secret("Adobe Commerce token: ")?,
                },
                (false, Some(consumer_key)) => Credentials::AdobeOAuth1 {
                    consumer_key,
                    consumer_secret: secret("Consumer secret: ")?,
                    access_token: secret("Access token: ")?,
                    access_token_secret: secret("Access token secret: ")?,
                },
                (false, None) => return Err(exit::usage("give --consumer-key, or --bearer")),
            };
            (common, creds, None)
        }
        What::Netsuite {
            common,
            account,
            client_id,
            certificate_id,
            consumer_key,
            token_id,
        } => {
            refuse_secret_flag(
                "--token-id",
                token_id,
                "consumer secret, token id, token secret",
            )?;
            let creds = match (client_id, certificate_id, consumer_key) {
                (Some(client_id), Some(certificate_id), None) => Credentials::NetSuiteM2m {
                    account: account.clone(),
                    client_id,
                    certificate_id,
                    private_key_pem: secret_block("Certificate private key (PKCS#8 PEM)")?,
                },
                (None, None, Some(consumer_key)) => Credentials::NetSuiteTba {
                    account: account.clone(),
                    consumer_key,
                    consumer_secret: secret("Consumer secret: ")?,
                    token: secret("Token id: ")?,
                    token_secret: secret("Token secret: ")?,
                },
                _ => {
                    return Err(exit::usage(
                        "give --client-id and --certificate-id (OAuth 2.0), or --consumer-key \
                         (TBA; stdin holds the consumer secret, token id and token secret)",
                    ))
                }
            };
            (common, creds, None)
        }
    };
    let keychain = Keychain::from_env()?;
    let rt = super::common::runtime()?;
    let mut req = ConnectRequest::new(&common.url, common.name.clone(), credentials);
    if let Some(v) = api_version {
        req.settings["api_version"] = v.into();
    }
    // A database made for a connection that never happened is not left behind.
    let rec = with_database(db.path(), false, |db| {
        rt.block_on(forestock_api::stores::connect(db, &keychain, req, &stamp))
    })?;
    print!("{}", forestock_api::text::store_connected(&rec, db.path()));
    Ok(())
}
