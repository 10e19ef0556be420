//! Round trips through a REAL keychain backend (Secret Service or kernel keyutils). Run
//! inside `dbus-run-session` with gnome-keyring unlocked, or `keyctl session -` with
//! `FORESTOCK_KEYCHAIN=keyutils`; without a backend these tests fail with a message saying so.

use forestock_connect::{Credentials, Keychain, KeychainRef, Secret};

fn keychain() -> Keychain {
    Keychain::from_env().expect("FORESTOCK_KEYCHAIN names a known backend")
}

#[test]
fn credentials_round_trip_through_a_second_handle_and_are_removed() {
    let kc = keychain();
    let r = KeychainRef::new_random();
    let creds = Credentials::AdobeOAuth1 {
        consumer_key: "ck".into(),
        consumer_secret: Secret::new("cs-secret-value"),
        access_token: Secret::new("at"),
        access_token_secret: Secret::new("ats-secret-value"),
    };
    if let Err(e) = kc.save(&r, &creds) {
        panic!(
            "no usable keychain backend: {e}\nrun the tests inside `dbus-run-session` with \
             gnome-keyring unlocked, or `keyctl session -` with FORESTOCK_KEYCHAIN=keyutils"
        );
    }
    // A fresh handle (as another process would have) sees the same entry.
    let back = keychain()
        .load(&KeychainRef::parse(&r.to_string()).unwrap(), "Shop")
        .unwrap();
    assert_eq!(
        back.secret_values(),
        vec!["cs-secret-value", "at", "ats-secret-value"]
    );
    assert!(!format!("{back:?}").contains("secret-value"));
    kc.delete(&r).unwrap();
    let e = keychain().load(&r, "Shop A").unwrap_err();
    assert!(e.to_string().contains("Shop A"), "{e}");
    // Deleting again is fine (idempotent removal).
    kc.delete(&r).unwrap();
}

/// The flow the CLI and the app follow: connect (verify, keychain, row), sync everything from
/// the keychain, remove (entry gone, data kept). Needs a real keychain backend too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_sync_all_and_remove_through_the_keychain() {
    use crate::support::*;
    use forestock_connect::stores::{connect_store, credentials_for, remove_store, ConnectRequest};
    use forestock_connect::{sync_all, Error};
    use forestock_core::{Platform, Store};
    use forestock_sim::Platform as Sim;

    let s = serve_skus(&[Sim::Shopify], 10, |_| {}).await;
    let url = s.sim.url(Sim::Shopify).unwrap();
    let token = s.sim.config().shopify.admin_token.clone();
    let path = s.dir.path().join("new.db");
    let mut db = Store::create(&path).unwrap();
    let kc = keychain();
    let req = |url: &str, token: &str| ConnectRequest {
        platform: Platform::Shopify,
        name: None,
        base_url: url.to_string(),
        settings: serde_json::json!({"api_version": "2026-01"}),
        credentials: Credentials::ShopifyToken {
            token: Secret::new(token),
        },
    };
    // Wrong token: nothing stored anywhere.
    let e = connect_store(
        &mut db,
        &kc,
        req(&url, "shpat_nope"),
        &demo_stamp(),
        Default::default(),
    )
    .await
    .unwrap_err();
    assert!(e.is_auth(), "{e}");
    assert!(db.read().stores().unwrap().is_empty());
    assert!(db.read().merchant().unwrap().is_none());
    // Not a store.
    let e = connect_store(
        &mut db,
        &kc,
        req(&format!("{url}/nothing/here/"), &token),
        &demo_stamp(),
        Default::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::NotAStore { .. }), "{e}");

    let rec = connect_store(
        &mut db,
        &kc,
        req(&url, &token),
        &demo_stamp(),
        Default::default(),
    )
    .await
    .unwrap_or_else(|e| panic!("connect failed (is a keychain backend running?): {e}"));
    assert_eq!(rec.name, "Northwind Outfitters");
    assert_eq!(
        db.read().merchant().unwrap().unwrap().name,
        "Northwind Outfitters"
    );
    let r = rec.keychain_ref.clone().unwrap();
    assert!(r.starts_with("forestock:store-"));
    assert!(matches!(
        credentials_for(&kc, &rec).unwrap(),
        Credentials::ShopifyToken { .. }
    ));
    // Connecting the same store twice is refused.
    assert!(connect_store(
        &mut db,
        &kc,
        req(&url, &token),
        &demo_stamp(),
        Default::default()
    )
    .await
    .is_err());

    let results = sync_all(&mut db, &kc, &options(), &quiet()).await.unwrap();
    assert_eq!(results.len(), 1);
    assert!(results[0].1.as_ref().unwrap().orders > 1000);
    let run = db
        .read()
        .last_run(forestock_core::RunKind::Sync)
        .unwrap()
        .unwrap();
    assert_eq!(run.status, forestock_core::RunStatus::Ok);

    let orders = db.read().info().unwrap().orders;
    remove_store(&mut db, &kc, rec.id, &demo_stamp()).unwrap();
    assert!(db.read().stores().unwrap().is_empty());
    assert_eq!(
        db.read().info().unwrap().orders,
        orders,
        "synced data stays"
    );
    let e = kc.load(&KeychainRef::parse(&r).unwrap(), "x").unwrap_err();
    assert!(matches!(e, Error::NoCredentials { .. }), "{e}");
    drop(db);
    assert_not_in_files(s.dir.path(), &[&token]);
    s.sim.shutdown().await;
}
