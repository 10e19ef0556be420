use crate::client;
use crate::fixture::sim;
use base64::Engine;
use forestock_sim::oauth1;
use forestock_sim::{Fault, Platform, SimConfig};
use serde_json::{json, Value};

fn cfg() -> SimConfig {
    SimConfig {
        platforms: vec![Platform::NetSuite],
        ..SimConfig::default()
    }
}

#[test]
fn signer_matches_oracles_published_vector() {
    let ck = "ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4";
    let cs = "d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5";
    let tk = "2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc";
    let ts = "c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295";
    let p = |k: &str, v: &str| (k.to_string(), v.to_string());
    let oauth = vec![
        p("oauth_consumer_key", ck),
        p("oauth_nonce", "fjaLirsIcCGVZWzBX0pg"),
        p("oauth_signature_method", "HMAC-SHA256"),
        p("oauth_timestamp", "1508242306"),
        p("oauth_token", tk),
        p("oauth_version", "1.0"),
        p("realm", "123456"),
    ];
    let base = oauth1::base_string(
        "GET",
        "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40",
        &oauth,
    );
    assert!(base.starts_with("GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&oauth_consumer_key%3Def40"));
    assert!(!base.contains("realm"));
    let sig = oauth1::sign(&base, cs, ts);
    assert_eq!(sig, "B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=");
    assert_eq!(
        oauth1::encode(&sig),
        "B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D"
    );
    // The RESTlet vector with query parameters.
    let mut with_query = oauth.clone();
    for (k, v) in [
        ("script", "6"),
        ("deploy", "1"),
        ("customParam", "someValue"),
        ("testParam", "someOtherValue"),
    ] {
        with_query.push(p(k, v));
    }
    let base = oauth1::base_string(
        "POST",
        "https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl",
        &with_query,
    );
    assert_eq!(
        oauth1::sign(&base, cs, ts),
        "+KK4SKNgz4ZiILGLwOMtfYlgcXSy1eis8ldE9X90azQ="
    );
}

/// An OAuth 1.0a header for a request to the simulator.
fn tba(h: &forestock_sim::SimHandle, method: &str, url: &str, nonce: &str, ts: i64) -> String {
    let c = &h.config().netsuite;
    let (base_url, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<(String, String)> = form_urlencoded_pairs(query);
    let oauth = [
        ("oauth_consumer_key", c.consumer_key.clone()),
        ("oauth_nonce", nonce.to_string()),
        ("oauth_signature_method", "HMAC-SHA256".into()),
        ("oauth_timestamp", ts.to_string()),
        ("oauth_token", c.token_id.clone()),
        ("oauth_version", "1.0".into()),
    ];
    params.extend(oauth.iter().map(|(k, v)| (k.to_string(), v.clone())));
    let sig = oauth1::sign(
        &oauth1::base_string(method, base_url, &params),
        &c.consumer_secret,
        &c.token_secret,
    );
    let mut header = format!("OAuth realm=\"{}\"", c.account_id);
    for (k, v) in oauth
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .chain([("oauth_signature".to_string(), sig)])
    {
        header.push_str(&format!(", {k}=\"{}\"", oauth1::encode(&v)));
    }
    header
}

fn form_urlencoded_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (oauth1::decode(k), oauth1::decode(v))
        })
        .collect()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[tokio::test]
async fn tba_accepts_good_signatures_and_rejects_replay_skew_and_tampering() {
    let (_f, h) = sim(cfg()).await;
    let base = h.url(Platform::NetSuite).unwrap();
    let url = format!("{base}/services/rest/record/v1/purchaseOrder");
    let get = |auth: String| client().get(&url).header("Authorization", auth).send();
    // One timestamp for both: a nonce must be unique per timestamp (RFC 5849 §3.3), so the
    // same nonce a second later is a new request, not a replay.
    let at = now();
    let r = get(tba(&h, "GET", &url, "nonce-1", at)).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // The same nonce and timestamp again: refused.
    let r = get(tba(&h, "GET", &url, "nonce-1", at)).await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["o:errorDetails"][0]["o:errorCode"], "INVALID_LOGIN");
    // Ten minutes off: refused.
    assert_eq!(
        get(tba(&h, "GET", &url, "nonce-2", now() - 600))
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    // Signed for another method: refused.
    assert_eq!(
        get(tba(&h, "POST", &url, "nonce-3", now()))
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    // No auth at all.
    assert_eq!(
        client().get(&url).send().await.unwrap().status().as_u16(),
        401
    );
    h.shutdown().await;
}

fn jwt(header: Value, payload: Value) -> String {
    let e = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.c2lnbmF0dXJl", e(&header), e(&payload))
}

async fn token_endpoint_rules(h: &forestock_sim::SimHandle) {
    let base = h.url(Platform::NetSuite).unwrap();
    let c = &h.config().netsuite;
    let token_url = format!("{base}/services/rest/auth/oauth2/v1/token");
    let t = now();
    let good = jwt(
        json!({"typ": "JWT", "alg": "PS256", "kid": c.certificate_id}),
        json!({"iss": c.client_id, "scope": ["restlets", "rest_webservices"], "aud": token_url, "iat": t, "exp": t + 3600}),
    );
    let form = |a: String| {
        vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            (
                "client_assertion_type".to_string(),
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_string(),
            ),
            ("client_assertion".to_string(), a),
        ]
    };
    let r: Value = client()
        .post(&token_url)
        .form(&form(good))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["token_type"], "bearer");
    assert_eq!(r["expires_in"], 3600);
    // An assertion valid for two hours, or with RS256, is refused.
    let long = jwt(
        json!({"alg": "PS256", "kid": c.certificate_id}),
        json!({"iss": c.client_id, "scope": "rest_webservices", "aud": token_url, "iat": t, "exp": t + 7200}),
    );
    let r = client()
        .post(&token_url)
        .form(&form(long))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let rs = jwt(
        json!({"alg": "RS256", "kid": c.certificate_id}),
        json!({"iss": c.client_id, "scope": "rest_webservices", "aud": token_url, "iat": t, "exp": t + 600}),
    );
    assert_eq!(
        client()
            .post(&token_url)
            .form(&form(rs))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        400
    );
}

async fn token(h: &forestock_sim::SimHandle) -> String {
    let base = h.url(Platform::NetSuite).unwrap();
    let c = &h.config().netsuite;
    let token_url = format!("{base}/services/rest/auth/oauth2/v1/token");
    let t = now();
    let a = jwt(
        json!({"typ": "JWT", "alg": "ES256", "kid": c.certificate_id}),
        json!({"iss": c.client_id, "scope": "restlets,rest_webservices", "aud": token_url, "iat": t, "exp": t + 3600}),
    );
    let r: Value = client()
        .post(&token_url)
        .form(&[
            ("grant_type", "client_credentials"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &a),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["access_token"].as_str().unwrap().to_string()
}

fn po(entity: Option<&str>, item: &str, qty: i64) -> Value {
    let mut b = json!({"subsidiary": {"id": "1"}, "tranDate": "2026-06-30", "memo": "Draft from forecast run 1",
        "item": {"items": [{"item": {"id": item}, "quantity": qty, "rate": 3.15}]}});
    if let Some(e) = entity {
        b["entity"] = json!({"id": e});
    }
    b
}

#[tokio::test]
async fn idempotent_put_by_external_id_yields_one_purchase_order() {
    let (_f, h) = sim(cfg()).await;
    token_endpoint_rules(&h).await;
    let tok = token(&h).await;
    let base = h.url(Platform::NetSuite).unwrap();
    let url = format!("{base}/services/rest/record/v1/purchaseOrder/eid:FCST-PO-2026-000001");
    // `replace=item`: the update's lines replace the PO's (without it they are added; see
    // a_repush_replaces_the_lines_only_with_replace_item).
    let put = |body: Value| {
        client()
            .put(format!("{url}?replace=item"))
            .bearer_auth(&tok)
            .json(&body)
            .send()
    };
    let r1 = put(po(Some("1"), "1", 24)).await.unwrap();
    assert_eq!(r1.status().as_u16(), 204);
    let loc1 = r1.headers()["location"].to_str().unwrap().to_string();
    let r2 = put(po(Some("1"), "1", 30)).await.unwrap();
    assert_eq!(r2.status().as_u16(), 204);
    assert_eq!(r2.headers()["location"].to_str().unwrap(), loc1);
    let pos = h.netsuite().unwrap().purchase_orders();
    assert_eq!(pos.len(), 1, "pushing twice yields one purchase order");
    assert_eq!(pos[0].writes, 2);
    assert_eq!(pos[0].body["item"]["items"][0]["quantity"], 30);
    let id = loc1.rsplit('/').next().unwrap();
    let got: Value = client()
        .get(format!("{base}/services/rest/record/v1/purchaseOrder/{id}"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["externalId"], "FCST-PO-2026-000001");
    // A PO without entity, or with an unknown item, is rejected and stores nothing.
    let r = put(po(None, "1", 5)).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let b: Value = r.json().await.unwrap();
    assert_eq!(b["o:errorDetails"][0]["o:errorCode"], "INVALID_CONTENT");
    assert_eq!(b["o:errorDetails"][0]["o:errorPath"], "entity");
    let r = client()
        .put(format!(
            "{base}/services/rest/record/v1/purchaseOrder/eid:OTHER"
        ))
        .bearer_auth(&tok)
        .json(&po(Some("1"), "9999", 5))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["o:errorDetails"][0]["o:errorPath"],
        "item.items[0].item"
    );
    // POST with an external id that exists is a duplicate.
    let mut dup = po(Some("1"), "1", 1);
    dup["externalId"] = json!("FCST-PO-2026-000001");
    let r = client()
        .post(format!("{base}/services/rest/record/v1/purchaseOrder"))
        .bearer_auth(&tok)
        .json(&dup)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(h.netsuite().unwrap().purchase_orders().len(), 1);
    // A wrong bearer token: 401 with WWW-Authenticate.
    let r = client()
        .put(&url)
        .bearer_auth("nope")
        .json(&po(Some("1"), "1", 1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    h.shutdown().await;
}

/// NetSuite help "Replacing a Sublist" (section_1545297048): with `replace=item` the lines
/// sent become the PO's lines; without it an update adds them to the lines already there.
#[tokio::test]
async fn a_repush_replaces_the_lines_only_with_replace_item() {
    let (_f, h) = sim(cfg()).await;
    let tok = token(&h).await;
    let base = h.url(Platform::NetSuite).unwrap();
    let url = format!("{base}/services/rest/record/v1/purchaseOrder/eid:FCST-x-PO-1");
    let put = |q: &'static str, body: Value| {
        client()
            .put(format!("{url}{q}"))
            .bearer_auth(&tok)
            .json(&body)
            .send()
    };
    let two = |a: i64, b: i64| {
        let mut p = po(Some("1"), "1", a);
        p["item"]["items"]
            .as_array_mut()
            .unwrap()
            .push(json!({"item": {"id": "2"}, "quantity": b, "rate": 1.0}));
        p
    };
    assert_eq!(put("", two(10, 20)).await.unwrap().status().as_u16(), 204);
    let lines = |h: &forestock_sim::SimHandle| -> Vec<(String, i64)> {
        h.netsuite().unwrap().purchase_orders()[0].body["item"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["item"]["id"].as_str().unwrap().to_string(),
                    l["quantity"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    // Without replace: the line sent is added.
    assert_eq!(
        put("", po(Some("1"), "1", 5))
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(
        lines(&h),
        vec![("1".into(), 10), ("2".into(), 20), ("1".into(), 5)]
    );
    // With replace=item: exactly the lines sent.
    assert_eq!(
        put("?replace=item", po(Some("1"), "2", 7))
            .await
            .unwrap()
            .status()
            .as_u16(),
        204
    );
    assert_eq!(lines(&h), vec![("2".into(), 7)]);
    assert_eq!(h.netsuite().unwrap().purchase_orders().len(), 1);
    // Body fields not sent stay; those sent change.
    let mut memo_only = po(Some("1"), "2", 7);
    memo_only["memo"] = json!("changed");
    memo_only.as_object_mut().unwrap().remove("subsidiary");
    put("?replace=item", memo_only).await.unwrap();
    let body = &h.netsuite().unwrap().purchase_orders()[0].body;
    assert_eq!(body["memo"], "changed");
    assert_eq!(body["subsidiary"]["id"], "1");
    h.shutdown().await;
}

#[tokio::test]
async fn suiteql_answers_in_lists_and_logs_each_query() {
    let (_f, h) = sim(cfg()).await;
    let tok = token(&h).await;
    let base = h.url(Platform::NetSuite).unwrap();
    let q = |body: Value| {
        client()
            .post(format!(
                "{base}/services/rest/query/v1/suiteql?limit=1000&offset=0"
            ))
            .bearer_auth(&tok)
            .header("Prefer", "transient")
            .json(&body)
            .send()
    };
    let all: Value = q(json!({"q": "SELECT id, itemid FROM item ORDER BY id"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let skus: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["itemid"].as_str().unwrap().to_string())
        .collect();
    let r: Value = q(
        json!({"q": "SELECT id, itemid FROM item WHERE itemid IN (?, ?, ?)",
        "params": [skus[0], skus[2], "NO-SUCH-SKU"]}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(r["totalResults"], 2);
    let got: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["itemid"].as_str().unwrap())
        .collect();
    assert!(got.contains(&skus[0].as_str()) && got.contains(&skus[2].as_str()));
    // Literals and AND work with IN; an unterminated list is refused.
    let r: Value = q(json!({"q": format!("SELECT id FROM item WHERE itemid IN ('{}') AND isinactive = ?", skus[1]), "params": ["F"]}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["totalResults"], 1);
    let r = q(json!({"q": "SELECT id FROM item WHERE itemid IN (?, ?", "params": ["a", "b"]}))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let log = h.netsuite().unwrap().suiteql_log();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!(log[1].matched, 2);
    h.shutdown().await;
}

#[tokio::test]
async fn suiteql_pages_vendors_and_items() {
    let (_f, h) = sim(cfg()).await;
    let tok = token(&h).await;
    let base = h.url(Platform::NetSuite).unwrap();
    let q = |limit: u32, offset: u32, body: Value, transient: bool| {
        let mut r = client()
            .post(format!(
                "{base}/services/rest/query/v1/suiteql?limit={limit}&offset={offset}"
            ))
            .bearer_auth(&tok)
            .json(&body);
        if transient {
            r = r.header("Prefer", "transient");
        }
        r.send()
    };
    let vendors = json!({"q": "SELECT id, entityid, companyname, isinactive FROM vendor WHERE isinactive = ?", "params": ["F"]});
    let r: Value = q(1000, 0, vendors.clone(), true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["totalResults"], 2);
    assert_eq!(r["items"][0]["companyname"], "Supplier 0");
    assert!(
        r["items"][0]["id"].is_string(),
        "columns come back as strings"
    );
    assert_eq!(
        q(1000, 0, vendors, false).await.unwrap().status().as_u16(),
        400
    );
    let items = json!({"q": "SELECT id, itemid FROM item ORDER BY id"});
    let p1: Value = q(4, 0, items.clone(), true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p1["count"], 4);
    assert_eq!(p1["hasMore"], true);
    let p2: Value = q(4, 4, items.clone(), true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p2["count"], 2);
    assert_eq!(p2["hasMore"], false);
    assert_eq!(
        q(4, 3, items, true).await.unwrap().status().as_u16(),
        400,
        "offset must be a multiple of limit"
    );
    let r: Value = q(1000, 0, json!({"q": "SELECT item, vendor, purchaseprice FROM itemvendor WHERE vendor = ?", "params": [1]}), true).await.unwrap().json().await.unwrap();
    assert_eq!(r["totalResults"], 3);
    let r = q(1000, 0, json!({"q": "SELECT colour FROM item"}), true)
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    h.shutdown().await;
}

#[tokio::test]
async fn concurrency_limit_answers_429_with_its_code() {
    let (_f, h) = sim(cfg()).await;
    let tok = token(&h).await;
    let base = h.url(Platform::NetSuite).unwrap();
    h.faults(Platform::NetSuite).inject(Fault::RateLimited, 1);
    let r = client()
        .get(format!("{base}/services/rest/record/v1/purchaseOrder"))
        .bearer_auth(&tok)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let b: Value = r.json().await.unwrap();
    assert_eq!(
        b["o:errorDetails"][0]["o:errorCode"],
        "CONCURRENCY_LIMIT_EXCEEDED"
    );
    // Real concurrency: 12 requests at once against a limit of 5, each slowed down.
    h.faults(Platform::NetSuite)
        .set_latency(std::time::Duration::from_millis(200));
    let reqs = (0..12).map(|_| {
        client()
            .get(format!("{base}/services/rest/record/v1/purchaseOrder"))
            .bearer_auth(&tok)
            .send()
    });
    let codes: Vec<u16> = futures_join(reqs).await;
    assert!(codes.contains(&429), "{codes:?}");
    assert!(codes.contains(&200), "{codes:?}");
    h.shutdown().await;
}

async fn futures_join<F>(fs: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = reqwest::Result<reqwest::Response>> + Send + 'static,
{
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap().unwrap().status().as_u16());
    }
    out
}
