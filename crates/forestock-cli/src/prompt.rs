//! Reading a secret from the terminal or a pipe: shell-only code, so it lives in the CLI (the
//! desktop app takes secrets from its own form); the [`Secret`] type stays in
//! `forestock-connect`, where credentials use it.

use forestock_connect::Secret;
use std::io::IsTerminal;

/// Read a secret from stdin when it is piped, or prompt for it without echo on a terminal.
/// Trailing newlines are removed.
pub fn read_secret(prompt: &str) -> std::io::Result<Secret> {
    if std::io::stdin().is_terminal() {
        Ok(Secret::new(rpassword::prompt_password(prompt)?))
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(Secret::new(line.trim_end_matches(['\r', '\n']).to_string()))
    }
}
