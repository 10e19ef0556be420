//! The one rule for a URL Forestock sends credentials to, and the one way a URL may appear in
//! an error, event or log line.
//!
//! * A store or ERP URL must be `https://`. Plain `http://` is accepted only for loopback hosts
//!   (127.0.0.0/8, ::1, `localhost`), where the simulators run: on any other host the token in
//!   the request header would cross the network in cleartext.
//!   Shopify (shopify.dev/docs/api/usage/authentication), BigCommerce
//!   (developer.bigcommerce.com/docs/start/authentication), Adobe Commerce and NetSuite
//!   (API-NOTES §4 "Record service": `https://{accountId}.suitetalk.api.netsuite.com`) all
//!   serve their APIs over HTTPS only.
//! * A URL never carries a user name or password (`https://user:pw@host`): the credentials are
//!   read from stdin into the keychain; a password in the URL would land in the database, the
//!   audit log and the printed store list. Nor a query string or fragment, for the same reason.
//! * Text that reaches an error message keeps only `scheme://host[:port]/path` of any URL in it:
//!   Shopify's bulk-operation result URL is pre-signed (its query string is a bearer credential
//!   for the shop's whole export, API-NOTES §1.6), and reqwest's errors print the full URL.

use crate::error::{Error, Result};
use std::net::IpAddr;

/// Check a store or ERP base URL before anything is sent to it, at connect time and every
/// time a stored one is used. `store` names the store in the error. The error never repeats
/// the user name or password the URL carried.
pub fn check_remote_url(store: &str, raw: &str) -> Result<url::Url> {
    let bad = |detail: String| Error::invalid("store URL", format!("{store}: {detail}"));
    let u = url::Url::parse(raw.trim()).map_err(|e| {
        if raw.contains('@') {
            // Could be `user:password@…` that failed to parse: never repeat it.
            bad(format!("the URL given is not a URL ({e})"))
        } else {
            bad(format!("{:?} is not a URL ({e})", raw.trim()))
        }
    })?;
    // Without a host the "path" may be `user:password@…` that lost its scheme: never shown.
    let shown = if u.has_host() {
        display_url(&u)
    } else {
        "the URL given".to_string()
    };
    if !u.username().is_empty() || u.password().is_some() {
        return Err(bad(format!(
            "{shown} carries a user name or password (user:password@host); remove it: \
             credentials are read from stdin (or the connect form) and kept in the keychain, \
             never in the URL"
        )));
    }
    let Some(host) = u.host() else {
        return Err(bad(format!("{shown} has no host")));
    };
    match u.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(bad(format!(
                "{shown} is plain http://, so the access token would travel in cleartext; use \
                 https:// (http:// is accepted only for loopback hosts such as 127.0.0.1 or \
                 localhost)"
            )))
        }
        other => {
            return Err(bad(format!(
                "{shown} uses the scheme {other}:, not https://"
            )))
        }
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(bad(format!(
            "{shown} has a query string or fragment; give the bare base URL (a query string \
             would be stored in the database)"
        )));
    }
    Ok(u)
}

/// [`check_remote_url`] for a URL read back from the database (every client checks it again
/// before sending a token): a row written before the rule existed is refused with a hint.
pub fn check_stored_url(store: &str, raw: &str) -> Result<url::Url> {
    check_remote_url(store, raw).map_err(|e| match e {
        Error::Invalid { what, detail } => Error::Invalid {
            what,
            detail: format!(
                "{detail}. Nothing was sent to it; remove this store (`forestock connect \
                 remove`) and connect it again with a valid URL"
            ),
        },
        e => e,
    })
}

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(a) => IpAddr::V4(*a).is_loopback(),
        url::Host::Ipv6(a) => IpAddr::V6(*a).is_loopback(),
    }
}

/// A URL as it may be shown: `scheme://host[:port]/path`, without user name, password, query
/// string or fragment. Unparseable input shows as its scheme only.
pub fn display_url(u: &url::Url) -> String {
    let mut shown = format!("{}://{}", u.scheme(), u.host_str().unwrap_or(""));
    if let Some(p) = u.port() {
        shown.push_str(&format!(":{p}"));
    }
    shown.push_str(u.path());
    shown
}

/// A stored store URL as it may be printed (store lists, audit entries): rows written by
/// versions before the URL rule may hold `user:password@`; those parts are never shown.
pub fn display_stored_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(u) if u.has_host() => display_url(&u),
        _ if raw.contains('@') => "(hidden: not a valid URL)".to_string(),
        _ => redact_urls(raw),
    }
}

/// Replace every `http://` or `https://` URL inside `text` by its [`display_url`] form, so
/// no query string (a pre-signed link's signature), fragment or password survives.
pub fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')'))
            .unwrap_or(tail.len());
        let candidate = &tail[..end];
        match url::Url::parse(candidate) {
            Ok(u) => out.push_str(&display_url(&u)),
            Err(_) => {
                let scheme = candidate.split("://").next().unwrap_or("http");
                out.push_str(scheme);
                out.push_str("://…");
            }
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn find_url_start(s: &str) -> Option<usize> {
    let lower = s.to_ascii_lowercase();
    [lower.find("https://"), lower.find("http://")]
        .into_iter()
        .flatten()
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_loopback_http_pass() {
        for ok in [
            "https://shop.myshopify.com",
            "https://api.bigcommerce.com/stores/abc",
            "http://127.0.0.1:8080",
            "http://127.8.9.10/x",
            "http://[::1]:9000/",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            assert!(check_remote_url("s", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn cleartext_userinfo_and_other_schemes_are_refused() {
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
            "ftp://shop.example.com",
            "file:///etc/passwd",
            "https://shop.example.com/?token=abc",
            "https://shop.example.com/#frag",
            "not a url",
        ] {
            let e = check_remote_url("s", bad).unwrap_err();
            assert_eq!(e.code(), "invalid", "{bad}: {e}");
        }
        let e = check_remote_url("s", "https://admin:hunter2pw@shop.example.com").unwrap_err();
        assert!(!e.to_string().contains("hunter2pw"), "{e}");
        assert!(!e.to_string().contains("admin"), "{e}");
        let e = check_remote_url("s", "https://hunter2pw@shop.example.com").unwrap_err();
        assert!(!e.to_string().contains("hunter2pw"), "{e}");
        for raw in [
            "https://user:hunter2pw@",
            "ftp://user:hunter2pw@shop.example.com",
            "user:hunter2pw@shop.example.com",
            "http://user:hunter2pw@example.com",
        ] {
            let e = check_remote_url("s", raw).unwrap_err();
            assert!(!e.to_string().contains("hunter2pw"), "{raw}: {e}");
        }
    }

    #[test]
    fn redact_urls_keeps_host_and_path_only() {
        let t = "error sending request for url (https://storage.googleapis.com/b/x.jsonl?X-Goog-Signature=abc123&Expires=9): connection refused";
        let r = redact_urls(t);
        assert_eq!(
            r,
            "error sending request for url (https://storage.googleapis.com/b/x.jsonl): connection refused"
        );
        assert_eq!(
            redact_urls("see http://u:pw@127.0.0.1:99/p?q=1#f and HTTPS://x/?a"),
            "see http://127.0.0.1:99/p and https://x/"
        );
        assert_eq!(redact_urls("no url here"), "no url here");
        assert_eq!(redact_urls("https://[bad?sig=1"), "https://…");
    }
}
