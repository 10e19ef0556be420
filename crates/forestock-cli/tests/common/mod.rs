//! Running the `forestock` binary from the integration tests that drive it (plan, suppliers,
//! import): one copy of the runner shared by those test binaries.
#![allow(dead_code)] // each test binary uses its own subset

use serde_json::Value;
use std::process::{Command, Output};

/// Run `forestock` with `args`, never reading the caller's `FORESTOCK_DB`.
pub fn forestock(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forestock"))
        .args(args)
        .env_remove("FORESTOCK_DB")
        .output()
        .unwrap()
}

/// Run a command that must succeed; its standard output.
pub fn ok(args: &[&str]) -> String {
    let out = forestock(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Run a command with `--format json` that must succeed; its output parsed.
pub fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(&a)).unwrap()
}
