//! OAuth 1.0a (RFC 5849) HMAC-SHA256 signatures as NetSuite TBA and Adobe Commerce
//! integrations use them: the base string, the signature, and parsing the
//! `Authorization: OAuth ...` header. Verified against Oracle's published vector.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::BTreeMap;

/// Percent-encode per RFC 3986: only `A-Z a-z 0-9 - . _ ~` stay, upper-case hex.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` escapes (and nothing else: `+` stays `+`).
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The signature base string: `METHOD&enc(base_uri)&enc(sorted params)`.
/// `params` holds every query parameter and every `oauth_*` parameter except
/// `oauth_signature` (and never `realm`), already decoded.
pub fn base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut enc: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "realm" && k != "oauth_signature")
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    enc.sort();
    let joined = enc
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(base_uri),
        encode(&joined)
    )
}

/// `base64(HMAC-SHA256(enc(consumer_secret)&enc(token_secret), base_string))`.
pub fn sign(base_string: &str, consumer_secret: &str, token_secret: &str) -> String {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(base_string.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Constant-time comparison of two signatures.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The parameters of an `Authorization: OAuth k="v", ...` header, decoded.
pub fn parse_header(h: &str) -> Option<BTreeMap<String, String>> {
    let rest = h.trim().strip_prefix("OAuth")?.trim_start();
    let mut out = BTreeMap::new();
    for part in rest.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=')?;
        let v = v.trim().trim_matches('"');
        out.insert(k.trim().to_string(), decode(v));
    }
    Some(out)
}

/// The base URI of a request as the signer saw it: scheme and host lower-case, default
/// port dropped, no query.
pub fn base_uri(scheme: &str, host: &str, path: &str) -> String {
    let scheme = scheme.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    let host = match (scheme.as_str(), host.rsplit_once(':')) {
        ("http", Some((h, "80"))) | ("https", Some((h, "443"))) => h.to_string(),
        _ => host,
    };
    format!("{scheme}://{host}{path}")
}

/// What a server checks a signed request against.
pub(crate) struct Expected<'a> {
    pub consumer_key: &'a str,
    pub consumer_secret: &'a str,
    pub token: &'a str,
    pub token_secret: &'a str,
    /// `Some`: the header's `realm` must equal it (NetSuite: the account id).
    pub realm: Option<&'a str>,
    pub tolerance_secs: i64,
}

/// Verify an `Authorization: OAuth …` header for `method` on `http://{host}{path}?{query}`.
/// A verified request consumes its nonce; `Err` says why it failed (for logs, never for
/// the client).
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify(
    exp: &Expected<'_>,
    nonces: &std::sync::Mutex<std::collections::HashSet<(String, String)>>,
    method: &str,
    host: &str,
    path: &str,
    query: Option<&str>,
    header: &str,
    now_secs: i64,
) -> Result<(), String> {
    let p = parse_header(header).ok_or("malformed OAuth header")?;
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or("");
    if let Some(realm) = exp.realm {
        if get("realm") != realm {
            return Err("wrong realm".into());
        }
    }
    if get("oauth_consumer_key") != exp.consumer_key || get("oauth_token") != exp.token {
        return Err("unknown consumer or token".into());
    }
    if get("oauth_signature_method") != "HMAC-SHA256" {
        return Err("signature method must be HMAC-SHA256".into());
    }
    if p.contains_key("oauth_version") && get("oauth_version") != "1.0" {
        return Err("oauth_version must be 1.0".into());
    }
    let ts: i64 = get("oauth_timestamp")
        .parse()
        .map_err(|_| "bad timestamp")?;
    if (now_secs - ts).abs() > exp.tolerance_secs {
        return Err("timestamp outside the accepted window".into());
    }
    let nonce = get("oauth_nonce");
    if nonce.is_empty() {
        return Err("missing nonce".into());
    }
    let mut params: Vec<(String, String)> = query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    for (k, v) in &p {
        if k.starts_with("oauth_") && k != "oauth_signature" {
            params.push((k.clone(), v.clone()));
        }
    }
    let base = base_string(method, &base_uri("http", host, path), &params);
    let expected = sign(&base, exp.consumer_secret, exp.token_secret);
    if !same(&expected, get("oauth_signature")) {
        return Err("signature mismatch".into());
    }
    let mut seen = nonces.lock().unwrap_or_else(|e| e.into_inner());
    if !seen.insert((nonce.to_string(), ts.to_string())) {
        return Err("nonce already used".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_is_rfc3986() {
        assert_eq!(encode("a b+c/~"), "a%20b%2Bc%2F~");
        assert_eq!(decode("a%20b%2Bc%2F~"), "a b+c/~");
    }

    #[test]
    fn header_round_trip() {
        let h = r#"OAuth realm="123456", oauth_token="t", oauth_signature="B5O%2B%3D""#;
        let p = parse_header(h).unwrap();
        assert_eq!(p["realm"], "123456");
        assert_eq!(p["oauth_signature"], "B5O+=");
    }

    #[test]
    fn base_uri_drops_default_port() {
        assert_eq!(
            base_uri("HTTPS", "Example.COM:443", "/a/B"),
            "https://example.com/a/B"
        );
        assert_eq!(
            base_uri("http", "127.0.0.1:8080", "/x"),
            "http://127.0.0.1:8080/x"
        );
    }
}
