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
        access_token: "at".into(),
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
        vec!["cs-secret-value", "ats-secret-value"]
    );
    assert!(!format!("{back:?}").contains("secret-value"));
    kc.delete(&r).unwrap();
    let e = keychain().load(&r, "Shop A").unwrap_err();
    assert!(e.to_string().contains("Shop A"), "{e}");
    // Deleting again is fine (idempotent removal).
    kc.delete(&r).unwrap();
}
