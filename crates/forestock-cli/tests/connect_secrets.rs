//! `forestock connect` never takes a secret on the command line (the process list and the
//! shell history would have it) and refuses store URLs a token must not be sent to.
//!
//! The simulator runs in this process; `forestock` is the real binary. The keychain is the
//! environment's: run inside a Secret Service session (scripts/test.sh) or `keyctl session -`
//! with `FORESTOCK_KEYCHAIN=keyutils`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

use forestock_sim::{Platform, SimConfig};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

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
    // The CLI may exit before reading stdin (a refused flag): a broken pipe is fine.
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

fn assert_not_in_dir(dir: &Path, secrets: &[&str]) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with("source.db") {
            let bytes = std::fs::read(&path).unwrap();
            for s in secrets {
                assert!(
                    !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                    "secret found in {}",
                    path.display()
                );
            }
        }
    }
}

struct Served {
    dir: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
    sim: Option<forestock_sim::SimHandle>,
}

impl Served {
    fn start(platform: Platform) -> Served {
        Served::start_with(platform, "5")
    }

    /// A simulator serving the demo merchant with `skus` SKUs.
    fn start_with(platform: Platform, skus: &str) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("source.db");
        let out = forestock()
            .args(["demo", "--db", p(&source), "--skus", skus])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let config = SimConfig {
            platforms: vec![platform],
            port: 0,
            ..SimConfig::default()
        };
        let sim = rt.block_on(forestock_sim::start(&source, config)).unwrap();
        Served {
            dir,
            rt,
            sim: Some(sim),
        }
    }

    fn endpoint(&self, platform: Platform) -> forestock_sim::Endpoint {
        self.sim.as_ref().unwrap().endpoints()[&platform].clone()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(sim) = self.sim.take() {
            self.rt.block_on(sim.shutdown());
        }
    }
}

/// Connect with the secrets on stdin, check the store works and holds no secret in the
/// database, then remove it (and its keychain entry).
fn connect_from_stdin(served: &Served, db: &Path, platform: &str, args: &[&str], stdin: &str) {
    let mut all = vec!["connect", platform, "--db", p(db)];
    all.extend_from_slice(args);
    let out = run(&all, stdin);
    assert!(
        out.status.success(),
        "forestock connect {platform} failed (this test needs a keychain: run it inside a \
         Secret Service session as scripts/test.sh does, or `keyctl session -` with \
         FORESTOCK_KEYCHAIN=keyutils): {}",
        text(&out)
    );
    let secrets: Vec<&str> = stdin.lines().collect();
    for s in &secrets {
        assert!(!text(&out).contains(s), "{}", text(&out));
    }
    assert_not_in_dir(served.dir.path(), &secrets);
    let out = run(&["connect", "remove", "--db", p(db), "1"], "");
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("keychain entry"), "{}", text(&out));
}

#[test]
fn the_adobe_token_is_read_from_stdin_not_argv() {
    let served = Served::start(Platform::Adobe);
    let ep = served.endpoint(Platform::Adobe);
    let c = &ep.credentials;
    let db = served.dir.path().join("adobe.db");
    // The old flag: refused before anything is read or written, the value not repeated.
    let out = run(
        &[
            "connect",
            "adobe",
            "--db",
            p(&db),
            "--url",
            &ep.url,
            "--consumer-key",
            &c["consumer_key"],
            "--access-token",
            &c["access_token"],
        ],
        &format!("{}\n{}\n", c["consumer_secret"], c["access_token_secret"]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("stdin"), "{}", text(&out));
    assert!(!text(&out).contains(&c["access_token"]), "{}", text(&out));
    assert!(!db.exists(), "nothing written");
    // The documented order: consumer secret, access token, access token secret.
    connect_from_stdin(
        &served,
        &db,
        "adobe",
        &["--url", &ep.url, "--consumer-key", &c["consumer_key"]],
        &format!(
            "{}\n{}\n{}\n",
            c["consumer_secret"], c["access_token"], c["access_token_secret"]
        ),
    );
}

#[test]
fn the_netsuite_token_id_is_read_from_stdin_not_argv() {
    let served = Served::start(Platform::NetSuite);
    let ep = served.endpoint(Platform::NetSuite);
    let c = &ep.credentials;
    let db = served.dir.path().join("erp.db");
    let out = run(
        &[
            "connect",
            "netsuite",
            "--db",
            p(&db),
            "--url",
            &ep.url,
            "--account",
            &c["account_id"],
            "--consumer-key",
            &c["consumer_key"],
            "--token-id",
            &c["token_id"],
        ],
        &format!("{}\n{}\n", c["consumer_secret"], c["token_secret"]),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("stdin"), "{}", text(&out));
    assert!(!text(&out).contains(&c["token_id"]), "{}", text(&out));
    assert!(!db.exists(), "nothing written");
    // The documented order: consumer secret, token id, token secret.
    connect_from_stdin(
        &served,
        &db,
        "netsuite",
        &[
            "--url",
            &ep.url,
            "--account",
            &c["account_id"],
            "--consumer-key",
            &c["consumer_key"],
        ],
        &format!(
            "{}\n{}\n{}\n",
            c["consumer_secret"], c["token_id"], c["token_secret"]
        ),
    );
}

#[test]
fn a_plain_http_or_password_bearing_store_url_is_refused_by_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.db");
    let password = "pw-in-the-url-77";
    for url in [
        "http://example.com".to_string(),
        format!("https://admin:{password}@shop.example.com"),
        format!("http://admin:{password}@127.0.0.1:9"),
    ] {
        let out = run(
            &["connect", "shopify", "--db", p(&db), "--url", &url],
            "shpat_token_on_stdin\n",
        );
        assert_eq!(out.status.code(), Some(2), "{url}: {}", text(&out));
        assert!(!text(&out).contains(password), "{}", text(&out));
        assert!(!db.exists(), "nothing written for {url}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Connecting a store and queueing a push named the actor "user", a push's result
/// "forestock", while the CLI's other entries said `cli:<user>`: the audit log wrote who acted
/// three ways. Under a far-east time zone (UTC+14), connect, push and remove must each write
/// entries stamped "now" in UTC and naming the CLI's user the one way, `cli:<user>`.
#[test]
fn store_and_push_entries_name_the_cli_user_and_are_stamped_utc() {
    let served = Served::start_with(Platform::NetSuite, "30");
    let ep = served.endpoint(Platform::NetSuite);
    let c = &ep.credentials;
    // The merchant's own database: the simulator's seed (same suppliers and SKUs).
    let db = served.dir.path().join("erp.db");
    let db = p(&db);
    let cli = |args: &[&str], stdin: &str| {
        let mut child = forestock()
            .args(args)
            .env("TZ", "XYZ-14")
            .env("USER", "tz-tester")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _unread = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        text(&out)
    };
    let start = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(2);
    cli(&["demo", "--db", db, "--skus", "30"], "");
    let conn = rusqlite::Connection::open(db).unwrap();
    let last = || -> i64 {
        conn.query_row("SELECT coalesce(max(id), 0) FROM audit_log", [], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let after_demo = last();
    cli(&["plan", "--db", db, "--quiet"], "");
    cli(&["review", "--db", db, "approve", "--all"], "");
    cli(&["po", "--db", db, "draft"], "");
    cli(&["po", "--db", db, "approve", "PO-00001"], "");
    cli(
        &[
            "connect",
            "netsuite",
            "--db",
            db,
            "--url",
            &ep.url,
            "--account",
            &c["account_id"],
            "--consumer-key",
            &c["consumer_key"],
        ],
        &format!(
            "{}\n{}\n{}\n",
            c["consumer_secret"], c["token_id"], c["token_secret"]
        ),
    );
    cli(&["push", "--db", db], "");
    cli(&["connect", "remove", "--db", db, "1"], "");
    let end = chrono::Utc::now().naive_utc() + chrono::Duration::minutes(2);

    let mut st = conn
        .prepare("SELECT action, actor, at FROM audit_log WHERE id > ?1 ORDER BY id")
        .unwrap();
    let stamps: Vec<(String, String, String)> = st
        .query_map([after_demo], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let actions: Vec<&str> = stamps.iter().map(|(a, _, _)| a.as_str()).collect();
    for a in ["store.connect", "po.queue_push", "po.push", "store.remove"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    for (action, actor, at) in &stamps {
        let t =
            chrono::NaiveDateTime::parse_from_str(&at[..19].replace('T', " "), "%Y-%m-%d %H:%M:%S")
                .unwrap_or_else(|e| panic!("{action}: {at}: {e}"));
        assert!(t >= start && t <= end, "{action} stamped {at}, not UTC now");
        assert_eq!(actor, "cli:tz-tester", "{action}");
    }
}
