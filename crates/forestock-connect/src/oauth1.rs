//! OAuth 1.0a request signing with HMAC-SHA256 (RFC 5849 §3.4), as NetSuite token-based
//! authentication and Adobe Commerce integrations use it.

use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;

/// RFC 3986 unreserved characters stay as they are; everything else is %XX (upper-case hex).
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

/// The four values an OAuth 1.0a signature needs.
pub struct Signer<'a> {
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: &'a str,
    pub token_secret: &'a str,
    /// NetSuite puts the account id here; Adobe Commerce uses none.
    pub realm: Option<&'a str>,
}

impl Signer<'_> {
    /// The `Authorization` header for a request. `url` may carry a query string: its
    /// parameters are signed, but it is not part of the base URI.
    pub fn header(&self, method: &str, url: &url::Url, nonce: &str, timestamp: i64) -> String {
        let sig = self.signature(method, url, nonce, timestamp);
        let ts = timestamp.to_string();
        let mut parts = Vec::new();
        if let Some(realm) = self.realm {
            parts.push(format!("realm=\"{}\"", encode(realm)));
        }
        for (k, v) in [
            ("oauth_consumer_key", self.consumer_key),
            ("oauth_token", self.token),
            ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", ts.as_str()),
            ("oauth_nonce", nonce),
            ("oauth_version", "1.0"),
            ("oauth_signature", sig.as_str()),
        ] {
            parts.push(format!("{k}=\"{}\"", encode(v)));
        }
        format!("OAuth {}", parts.join(", "))
    }

    /// The base64 HMAC-SHA256 signature.
    pub fn signature(&self, method: &str, url: &url::Url, nonce: &str, timestamp: i64) -> String {
        let base = self.base_string(method, url, nonce, timestamp);
        let key = format!(
            "{}&{}",
            encode(self.consumer_secret),
            encode(self.token_secret)
        );
        // HMAC accepts keys of any length; this cannot fail.
        let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(base.as_bytes());
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    pub fn base_string(&self, method: &str, url: &url::Url, nonce: &str, timestamp: i64) -> String {
        let ts = timestamp.to_string();
        let mut params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (encode(&k), encode(&v)))
            .collect();
        for (k, v) in [
            ("oauth_consumer_key", self.consumer_key),
            ("oauth_nonce", nonce),
            ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", ts.as_str()),
            ("oauth_token", self.token),
            ("oauth_version", "1.0"),
        ] {
            params.push((encode(k), encode(v)));
        }
        params.sort();
        let param_str = params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        format!(
            "{}&{}&{}",
            method.to_ascii_uppercase(),
            encode(&base_uri(url)),
            encode(&param_str)
        )
    }
}

/// Scheme and host lower-case, default port dropped, path kept, no query or fragment.
fn base_uri(url: &url::Url) -> String {
    let scheme = url.scheme().to_ascii_lowercase();
    let host = url.host_str().unwrap_or("").to_ascii_lowercase();
    let port = match url.port() {
        Some(p) => format!(":{p}"),
        None => String::new(),
    };
    format!("{scheme}://{host}{port}{}", url.path())
}

/// A random nonce of 20 alphanumeric characters.
pub fn nonce() -> String {
    use rand::distributions::Alphanumeric;
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CK: &str = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4";
    const CS: &str = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5";
    const TK: &str = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc";
    const TS: &str = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295";

    fn signer() -> Signer<'static> {
        Signer {
            consumer_key: CK,
            consumer_secret: CS,
            token: TK,
            token_secret: TS,
            realm: Some("123456"),
        }
    }

    /// Oracle's worked example (NetSuite help section_1534941088).
    #[test]
    fn oracle_published_vector() {
        let url = url::Url::parse(
            "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40",
        )
        .unwrap();
        let s = signer();
        let base = s.base_string("GET", &url, "fjaLirsIcCGVZWzBX0pg", 1508242306);
        assert!(base.starts_with(
            "GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&oauth_consumer_key%3Def40"
        ));
        assert!(base.ends_with("oauth_timestamp%3D1508242306%26oauth_token%3D2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc%26oauth_version%3D1.0"));
        assert_eq!(
            s.signature("GET", &url, "fjaLirsIcCGVZWzBX0pg", 1508242306),
            "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY="
        );
        let header = s.header("GET", &url, "fjaLirsIcCGVZWzBX0pg", 1508242306);
        assert!(header.starts_with("OAuth realm=\"123456\", "));
        assert!(header
            .contains("oauth_signature=\"B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D\""));
    }

    /// The RESTlet vector with query parameters (same credentials).
    #[test]
    fn oracle_vector_with_query_parameters() {
        let url = url::Url::parse("https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&customParam=someValue&testParam=someOtherValue").unwrap();
        assert_eq!(
            signer().signature("POST", &url, "fjaLirsIcCGVZWzBX0pg", 1508242306),
            "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="
        );
    }

    #[test]
    fn encoding_leaves_only_unreserved() {
        assert_eq!(encode("a b+c/~_-.*"), "a%20b%2Bc%2F~_-.%2A");
        assert_eq!(encode("é"), "%C3%A9");
        assert_eq!(nonce().len(), 20);
    }
}
