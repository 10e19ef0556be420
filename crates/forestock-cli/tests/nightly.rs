//! `forestock nightly` against the Shopify simulator, its webhook post caught by a loopback
//! receiver over real HTTP, the run lock that keeps it from running beside another run, the
//! user timer it installs, and `forestock promotions`.
//!
//! The keychain is the environment's: run inside a Secret Service session (scripts/test.sh) or
//! `keyctl session -` with `FORESTOCK_KEYCHAIN=keyutils`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use axum::{extract::State, routing::post, Json, Router};
use forestock_sim::{Platform, SimConfig};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

fn forestock() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_forestock"));
    c.env_remove("FORESTOCK_DB");
    c
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = forestock()
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

type Seen = Arc<Mutex<Vec<serde_json::Value>>>;

#[test]
fn nightly_syncs_the_simulated_shop_plans_and_posts_the_summary_to_the_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let out = forestock()
        .args(["demo", "--db", p(&source), "--skus", "5"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
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
    // The chat service: a loopback receiver recording each JSON body posted to it.
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route(
            "/services/T1/B1/{token}",
            post(
                |State(seen): State<Seen>, Json(body): Json<serde_json::Value>| async move {
                    seen.lock().unwrap().push(body);
                    "ok"
                },
            ),
        )
        .with_state(Arc::clone(&seen));
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let hook = format!(
        "http://{}/services/T1/B1/SECRETHOOKPART",
        listener.local_addr().unwrap()
    );
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });

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
    let out = run(
        &[
            "nightly",
            "webhook",
            "set",
            "--service",
            "slack",
            "--db",
            p(&db),
        ],
        &format!("{hook}\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("SECRETHOOKPART"), "{}", text(&out));

    // A run already holding the database's run lock (as the app's Sync & run does): refused
    // at once, naming why, with the database exit code.
    {
        let held = forestock_core::Store::open(&db).unwrap();
        let _lock = forestock_connect::lock::RunLock::acquire(&held).unwrap();
        let out = run(&["nightly", "--db", p(&db)], "");
        assert_eq!(out.status.code(), Some(3), "{}", text(&out));
        let t = text(&out);
        assert!(
            t.contains("another run of") && t.contains("Sync & run"),
            "{t}"
        );
        assert!(
            t.contains(&std::process::id().to_string()),
            "names the owner: {t}"
        );
        assert!(seen.lock().unwrap().is_empty());
    }

    let out = run(&["nightly", "--db", p(&db), "--format", "json"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("SECRETHOOKPART"), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["summary"];
    let orders = s["synced_orders"].as_u64().unwrap();
    assert!(orders > 0, "{v}");
    assert!(s["sync_skipped"].is_null(), "{v}");
    let notes = v["notifications"].as_array().unwrap();
    let desktop = notes.iter().find(|n| n["channel"] == "desktop").unwrap();
    assert!(
        desktop["delivered"] == true
            || desktop["detail"]
                .as_str()
                .unwrap()
                .starts_with("desktop notification skipped"),
        "{desktop}"
    );
    let slack = notes.iter().find(|n| n["channel"] == "slack").unwrap();
    assert_eq!(slack["delivered"], true, "{slack}");

    let posted = seen.lock().unwrap().clone();
    assert_eq!(posted.len(), 1, "{posted:?}");
    let body = posted[0]["text"].as_str().unwrap();
    assert!(body.contains(&format!("Synced {orders} orders")), "{body}");
    assert!(
        body.contains(&format!(
            "{} lines to order",
            s["lines_to_order"].as_u64().unwrap()
        )),
        "{body}"
    );

    // Audited once, with the summary; the webhook URL is nowhere in the database.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (n, after): (i64, String) = conn
        .query_row(
            "SELECT count(*), max(after) FROM audit_log WHERE action = 'nightly.run'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(n, 1);
    assert!(after.contains("synced_orders"), "{after}");
    drop(conn);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(14).any(|w| w == b"SECRETHOOKPART"),
                "webhook URL found in {}",
                path.display()
            );
        }
    }

    let out = run(&["nightly", "webhook", "clear", "--db", p(&db)], "");
    assert!(out.status.success(), "{}", text(&out));
    let out = run(&["connect", "remove", "--db", p(&db), "1"], "");
    assert!(out.status.success(), "{}", text(&out));
    rt.block_on(sim.shutdown());
}

#[test]
fn nightly_install_writes_a_systemd_user_timer_under_xdg_config_home() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = forestock()
        .args(["demo", "--db", p(&db), "--skus", "3", "--days", "90"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let xdg = dir.path().join("config");
    let nightly = |args: &[&str]| {
        forestock()
            .arg("nightly")
            .args(args)
            .args(["--db", p(&db)])
            .env("XDG_CONFIG_HOME", &xdg)
            // No systemctl on the PATH: the files are written, the commands reported.
            .env("PATH", "")
            .output()
            .unwrap()
    };
    let units = xdg.join("systemd/user");
    let out = nightly(&["install", "--at", "03:30", "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("OnCalendar=*-*-* 03:30:00"), "{t}");
    assert!(
        t.contains("would run: systemctl --user daemon-reload"),
        "{t}"
    );
    assert!(!units.exists());

    let out = nightly(&["install", "--at", "03:30"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    let service = std::fs::read_to_string(units.join("forestock-nightly.service")).unwrap();
    let timer = std::fs::read_to_string(units.join("forestock-nightly.timer")).unwrap();
    assert!(
        t.contains(&service) && t.contains(&timer),
        "shows what it wrote: {t}"
    );
    assert!(
        service.contains(&format!(
            "ExecStart=\"{}\" nightly --db \"{}\"",
            env!("CARGO_BIN_EXE_forestock"),
            db.display()
        )),
        "{service}"
    );
    assert!(
        // No systemctl on the PATH, or no user manager: the commands are named, not run.
        t.contains("not run: ") && t.contains("systemctl --user daemon-reload"),
        "{t}"
    );

    let out = nightly(&["status"]);
    assert!(text(&out).starts_with("installed:"), "{}", text(&out));
    let out = nightly(&["install", "--at", "25:00"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("HH:MM"), "{}", text(&out));

    let out = nightly(&["uninstall"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(!units.join("forestock-nightly.timer").exists());
    assert!(!units.join("forestock-nightly.service").exists());
}

#[test]
fn promotions_are_added_listed_edited_and_deleted_and_bad_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let out = forestock()
        .args(["demo", "--db", p(&db), "--skus", "3", "--days", "90"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let sku: String = conn
        .query_row("SELECT sku FROM variants ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    drop(conn);
    let fc = |args: &[&str]| {
        let mut a = vec!["promotions", "--db", p(&db)];
        a.extend_from_slice(args);
        run(&a, "")
    };
    let before = fc(&["list", "--format", "json"]);
    let n0 = serde_json::from_slice::<serde_json::Value>(&before.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    let out = fc(&[
        "add",
        "--name",
        "Spring sale",
        "--sku",
        &sku,
        "--start",
        "2031-03-01",
        "--end",
        "2031-03-07",
        "--discount",
        "25",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let listed: serde_json::Value =
        serde_json::from_slice(&fc(&["list", "--format", "json"]).stdout).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), n0 + 1);
    let added = listed.iter().find(|p| p["name"] == "Spring sale").unwrap();
    assert_eq!(added["sku"], sku.as_str());
    assert_eq!(added["days"], 7);
    let id = added["id"].as_i64().unwrap().to_string();
    let out = fc(&[
        "edit",
        &id,
        "--name",
        "Spring sale",
        "--sku",
        &sku,
        "--start",
        "2031-03-01",
        "--end",
        "2031-03-10",
        "--discount",
        "30",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let out = fc(&[
        "edit",
        &id,
        "--name",
        "Spring sale",
        "--sku",
        &sku,
        "--start",
        "2031-03-10",
        "--end",
        "2031-03-01",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("before it starts"), "{}", text(&out));
    let out = fc(&[
        "add",
        "--name",
        "x",
        "--sku",
        "NO-SUCH",
        "--start",
        "2031-03-01",
        "--end",
        "2031-03-02",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no SKU \"NO-SUCH\""), "{}", text(&out));
    let out = fc(&["delete", &id]);
    assert!(out.status.success(), "{}", text(&out));
    let out = fc(&["delete", &id]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}
