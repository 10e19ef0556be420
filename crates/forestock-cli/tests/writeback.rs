//! `forestock writeback` against the Shopify simulator: preview, a push refused before
//! approval, approve by hash, push, and a second push that writes nothing.
//!
//! The keychain is the environment's: run inside a Secret Service session (scripts/test.sh) or
//! `keyctl session -` with `FORESTOCK_KEYCHAIN=keyutils`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use forestock_sim::{Platform, SimConfig};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_forestock"))
        .env_remove("FORESTOCK_DB")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _unread = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = run(args, "");
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn writeback_is_sent_only_after_approval_and_once() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let out = run(&["demo", "--db", p(&source), "--skus", "5"], "");
    assert!(out.status.success(), "{}", text(&out));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sim = rt
        .block_on(forestock_sim::start(
            &source,
            SimConfig {
                platforms: vec![Platform::Shopify],
                port: 0,
                ..SimConfig::default()
            },
        ))
        .unwrap();
    let ep = sim.endpoints()[&Platform::Shopify].clone();
    let db = dir.path().join("shop.db");
    let out = run(
        &["connect", "shopify", "--db", p(&db), "--url", &ep.url],
        &format!("{}\n", ep.credentials["token"]),
    );
    assert!(
        out.status.success(),
        "connect failed (this test needs a keychain: a Secret Service session, or \
         `keyctl session -` with FORESTOCK_KEYCHAIN=keyutils): {}",
        text(&out)
    );
    for verb in [&["sync", "--db", p(&db)][..], &["plan", "--db", p(&db)][..]] {
        let out = run(verb, "");
        assert!(out.status.success(), "{verb:?}: {}", text(&out));
    }

    let preview = json(&["writeback", "preview", "--db", p(&db), "--format", "json"]);
    let skus = preview["skus"].as_array().unwrap().len();
    assert!(skus > 0, "{preview}");
    let hash = preview["content_hash"].as_str().unwrap().to_string();

    // Not approved: refused as bad input, nothing sent.
    let out = run(&["writeback", "push", "--db", p(&db)], "");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("approve"), "{}", text(&out));
    assert!(sim.shopify().unwrap().metafields().is_empty());

    let approved = json(&[
        "writeback",
        "approve",
        "--db",
        p(&db),
        "--hash",
        &hash,
        "--format",
        "json",
    ]);
    assert_eq!(approved["batch_matches"], true, "{approved}");

    let pushed = json(&["writeback", "push", "--db", p(&db), "--format", "json"]);
    assert_eq!(pushed["written"].as_u64().unwrap() as usize, 2 * skus);
    assert_eq!(sim.shopify().unwrap().metafields().len(), 2 * skus);
    let again = json(&["writeback", "push", "--db", p(&db), "--format", "json"]);
    assert_eq!(again["written"], 0, "{again}");
    assert_eq!(sim.shopify().unwrap().metafield_writes() as usize, 2 * skus);
    let status = json(&["writeback", "status", "--db", p(&db), "--format", "json"]);
    assert_eq!(status["batch"]["status"], "pushed", "{status}");
    assert_eq!(status["to_write"], 0, "{status}");

    let out = run(&["connect", "remove", "--db", p(&db), "1"], "");
    assert!(out.status.success(), "{}", text(&out));
    rt.block_on(sim.shutdown());
}
