//! Sending the nightly summary: a desktop notification, and a post to a Slack or Microsoft
//! Teams channel through its incoming webhook.
//!
//! The webhook URL is itself a credential (anyone who has it can post to the channel), so it
//! lives in the OS keychain (entry `forestock:nightly-webhook`, [`KeychainRef::nightly_webhook`])
//! and never in the database, a log line, an audit entry or an error message: errors name the
//! service, never the URL. Like every URL Forestock sends to, it passes
//! [`forestock_connect::remote_url::check_remote_url`] when it is set and again each time it is
//! used: `https://` only, plain `http://` only on loopback (where the tests' receiver runs).
//!
//! A notification that cannot be delivered never fails the run: the outcome of each channel
//! is reported beside the summary.

use super::NightlySummary;
use crate::{AuditStamp, Error, Result};
use forestock_connect::{Keychain, KeychainRef, Secret};
use forestock_core::{NewAuditEntry, Store};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The chat service a webhook posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Slack,
    Teams,
}

impl Service {
    pub fn parse(s: &str) -> Result<Service> {
        match s.trim().to_ascii_lowercase().as_str() {
            "slack" => Ok(Service::Slack),
            "teams" | "msteams" | "microsoft-teams" => Ok(Service::Teams),
            other => Err(Error::Invalid(format!(
                "unknown chat service {other:?}: use slack or teams"
            ))),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Service::Slack => "Slack",
            Service::Teams => "Microsoft Teams",
        }
    }

    /// The JSON body of the service's incoming webhook for a title and a text.
    ///
    /// * Slack: `{"text": …}`, the minimal incoming-webhook message
    ///   (<https://api.slack.com/messaging/webhooks>, "Posting a message"); `*bold*` is Slack's
    ///   mrkdwn.
    /// * Teams, classic incoming webhook: an Office 365 connector `MessageCard` with `@type`,
    ///   `@context`, `summary`, `title` and `text` (<https://learn.microsoft.com/en-us/outlook/actionable-messages/message-card-reference>,
    ///   the format Teams' incoming webhooks accept:
    ///   <https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using>).
    /// * Teams, Workflows ("When a Teams webhook request is received", the successor of the
    ///   retired Office 365 connectors): a `message` whose one attachment is an Adaptive Card
    ///   (`contentType` `application/vnd.microsoft.card.adaptive`, card version 1.4, one
    ///   `TextBlock` per line, `wrap` on): the shape the workflow's "Post card in a chat or
    ///   channel" step reads (<https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook>,
    ///   "Send Adaptive Cards using an Incoming Webhook").
    pub fn payload(self, kind: TeamsKind, title: &str, text: &str) -> serde_json::Value {
        match (self, kind) {
            (Service::Slack, _) => serde_json::json!({ "text": format!("*{title}*\n{text}") }),
            (Service::Teams, TeamsKind::Connector) => serde_json::json!({
                "@type": "MessageCard",
                "@context": "https://schema.org/extensions",
                "summary": title,
                "title": title,
                // MessageCard text is markdown: two spaces before a newline break the line.
                "text": text.replace('\n', "  \n"),
            }),
            (Service::Teams, TeamsKind::Workflow) => {
                let mut body = vec![serde_json::json!({
                    "type": "TextBlock", "size": "Large", "weight": "Bolder",
                    "text": title, "wrap": true,
                })];
                body.extend(
                    text.lines().filter(|l| !l.trim().is_empty()).map(
                        |l| serde_json::json!({ "type": "TextBlock", "text": l, "wrap": true }),
                    ),
                );
                serde_json::json!({
                    "type": "message",
                    "attachments": [{
                        "contentType": "application/vnd.microsoft.card.adaptive",
                        "contentUrl": null,
                        "content": {
                            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                            "type": "AdaptiveCard",
                            "version": "1.4",
                            "body": body,
                        },
                    }],
                })
            }
        }
    }
}

/// Which kind of Teams URL a webhook is: a classic incoming webhook (Office 365 connector,
/// `https://….webhook.office.com/webhookb2/…`, no query string) or a Workflows trigger
/// (Power Automate: `…/workflows/{id}/triggers/manual/paths/invoke?api-version=…&sp=…&sv=…&sig=…`,
/// whose query string carries the shared-access signature). Slack URLs are always `Connector`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamsKind {
    Connector,
    Workflow,
}

/// The query parameters a Workflows trigger URL carries, `sig` (the signature) required.
const WORKFLOW_QUERY: [&str; 4] = ["api-version", "sp", "sv", "sig"];

/// Whether `url` is a Teams Workflows trigger URL: its path names a workflow's manual trigger
/// (`/workflows/{id}/triggers/manual/paths/invoke`) and its query holds only the trigger's
/// parameters, with a signature.
fn workflow_url(u: &url::Url) -> bool {
    let path = u.path();
    let mut names = u
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect::<Vec<_>>();
    names.sort();
    names.dedup();
    path.contains("/workflows/")
        && path.ends_with("/triggers/manual/paths/invoke")
        && names.iter().any(|n| n == "sig")
        && names.iter().all(|n| WORKFLOW_QUERY.contains(&n.as_str()))
        && u.fragment().is_none()
}

/// What became of one channel's notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Delivery {
    /// `desktop`, `slack` or `teams`.
    pub channel: String,
    pub delivered: bool,
    /// What happened, in words (never the webhook URL).
    pub detail: String,
}

/// The webhook set up for the nightly summary: its service, and its URL as a secret.
pub struct Webhook {
    pub service: Service,
    pub url: Secret,
}

#[derive(Serialize, Deserialize)]
struct StoredWebhook {
    service: Service,
    url: String,
}

/// Check a webhook URL by the one rule for remote URLs, and tell which kind of Teams URL it
/// is; the error names the service and the rule, never the URL (its path is the credential).
///
/// A Teams Workflows URL is the one exception to "no query string": its signature is in the
/// query (`sig=…`), so the rule is applied to the URL without it, and the query may hold only
/// the trigger's parameters. The remote-URL rule refuses queries because they would be stored
/// in the database; a webhook URL is kept only in the keychain.
pub fn check_url(service: Service, url: &Secret) -> Result<TeamsKind> {
    let refuse = |e: forestock_connect::Error| {
        Error::Invalid(without_urls(
            &e.to_string()
                .replace("invalid store URL", "invalid webhook URL"),
        ))
    };
    let raw = url.expose().trim();
    if service == Service::Teams {
        if let Ok(u) = url::Url::parse(raw) {
            if u.query().is_some() && workflow_url(&u) {
                let mut bare = u.clone();
                bare.set_query(None);
                forestock_connect::remote_url::check_remote_url(service.label(), bare.as_str())
                    .map_err(refuse)?;
                return Ok(TeamsKind::Workflow);
            }
        }
    }
    forestock_connect::remote_url::check_remote_url(service.label(), raw)
        .map(|_| TeamsKind::Connector)
        .map_err(|e| {
            let e = refuse(e);
            match (service, e) {
                (Service::Teams, Error::Invalid(m)) if m.contains("query string") => {
                    Error::Invalid(format!(
                        "{m}; a Teams Workflows URL is accepted with its query when its path \
                         ends in /workflows/…/triggers/manual/paths/invoke and its query holds \
                         only api-version, sp, sv and sig"
                    ))
                }
                (_, e) => e,
            }
        })
}

/// `text` with every URL-like word replaced (an error from the URL check repeats the URL's
/// scheme, host and path).
fn without_urls(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            if w.contains("://") {
                "<the webhook URL>"
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Save the nightly job's webhook in the keychain, after checking its URL, and audit that it
/// was set (the service only). `url` comes from stdin or the app's form, never a flag.
pub fn set_webhook(
    store: &mut Store,
    stamp: &AuditStamp,
    keychain: &Keychain,
    service: Service,
    url: &Secret,
) -> Result<()> {
    check_url(service, url)?;
    let stored = StoredWebhook {
        service,
        url: url.expose().trim().to_string(),
    };
    let blob = Secret::new(serde_json::to_string(&stored)?);
    keychain.save_secret(&KeychainRef::nightly_webhook(), &blob)?;
    audit_webhook(store, stamp, "nightly.webhook.set", Some(service))
}

/// Remove the webhook from the keychain (nothing set is not an error), audited.
pub fn clear_webhook(store: &mut Store, stamp: &AuditStamp, keychain: &Keychain) -> Result<()> {
    keychain.delete(&KeychainRef::nightly_webhook())?;
    audit_webhook(store, stamp, "nightly.webhook.clear", None)
}

fn audit_webhook(
    store: &mut Store,
    stamp: &AuditStamp,
    action: &str,
    service: Option<Service>,
) -> Result<()> {
    let w = store.write()?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: action.into(),
        entity: "nightly".into(),
        entity_id: "webhook".into(),
        before: None,
        after: service.map(|s| serde_json::json!({ "service": s })),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(())
}

/// The webhook saved in the keychain, if any.
pub fn webhook(keychain: &Keychain) -> Result<Option<Webhook>> {
    let Some(blob) = keychain.load_secret(&KeychainRef::nightly_webhook())? else {
        return Ok(None);
    };
    let stored: StoredWebhook = serde_json::from_str(blob.expose()).map_err(|_| {
        Error::Invalid(
            "the keychain entry forestock:nightly-webhook is not in Forestock's format; set the \
             webhook again"
                .into(),
        )
    })?;
    Ok(Some(Webhook {
        service: stored.service,
        url: Secret::new(stored.url),
    }))
}

/// Post a test summary to the webhook set up (`forestock nightly webhook test`, the app's
/// "Send a test"); with none set, an error saying how to set one.
pub async fn post_test(keychain: &Keychain, stamp: &crate::AuditStamp) -> Result<Delivery> {
    let Some(w) = webhook(keychain)? else {
        return Err(Error::Invalid(
            "no webhook set: `echo URL | forestock nightly webhook set --service slack`".into(),
        ));
    };
    Ok(post(&w, &super::NightlySummary::test_message(stamp)).await)
}

/// Post the summary to the webhook. Never fails: the outcome says what happened, naming the
/// service and never the URL.
pub async fn post(webhook: &Webhook, summary: &NightlySummary) -> Delivery {
    let channel = match webhook.service {
        Service::Slack => "slack",
        Service::Teams => "teams",
    }
    .to_string();
    let label = webhook.service.label();
    let outcome = send(webhook, summary).await;
    match outcome {
        Ok(detail) => Delivery {
            channel,
            delivered: true,
            detail,
        },
        Err(e) => Delivery {
            channel,
            delivered: false,
            detail: format!("{label}: {}", without_urls(&e.to_string())),
        },
    }
}

async fn send(webhook: &Webhook, summary: &NightlySummary) -> Result<String> {
    let label = webhook.service.label();
    let kind = check_url(webhook.service, &webhook.url)?;
    let client = reqwest::Client::builder()
        // A chat service answers in well under a second; a hung one must not hold the nightly
        // job.
        .timeout(Duration::from_secs(20))
        .build()
        .map_err(|e| Error::Internal(e.without_url().to_string()))?;
    let body = webhook
        .service
        .payload(kind, &summary.title(), &summary.text());
    let resp = client
        .post(webhook.url.expose().trim())
        .json(&body)
        .send()
        .await
        .map_err(|e| Error::Invalid(format!("not sent: {}", e.without_url())))?;
    let status = resp.status();
    if status.is_success() {
        Ok(format!("posted to {label} (HTTP {})", status.as_u16()))
    } else {
        Err(Error::Invalid(format!(
            "{label} refused the message with HTTP {}",
            status.as_u16()
        )))
    }
}

/// The PowerShell script that shows a toast with `title` and `body`: the toast's XML
/// (ToastGeneric template, "Toast content schema" on learn.microsoft.com) loaded into a WinRT
/// `XmlDocument` and shown by `ToastNotificationManager`. A program without an installed
/// Start-menu shortcut has no application id of its own, so the toast is raised under Windows
/// PowerShell's (the id Windows registers for `powershell.exe`). The text is XML-escaped down
/// to printable ASCII, which leaves nothing that could end the single-quoted PowerShell string.
pub fn windows_toast_script(title: &str, body: &str) -> String {
    // Every character outside printable ASCII becomes a character reference: PowerShell also
    // ends a single-quoted string at the typographic quotes U+2018–U+201B (about_Quoting_Rules),
    // which a shop's name ("Ann’s Garden") or a store's error may hold; LoadXml reads the
    // references back, so the toast shows the same text.
    let xml = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&apos;"),
                ' '..='~' | '\n' => out.push(c),
                c => out.push_str(&format!("&#x{:X};", u32::from(c))),
            }
        }
        out
    };
    format!(
        "$ErrorActionPreference = 'Stop'\n\
         [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] | Out-Null\n\
         [Windows.Data.Xml.Dom.XmlDocument, Windows.Data.Xml.Dom.XmlDocument, ContentType = WindowsRuntime] | Out-Null\n\
         $xml = New-Object Windows.Data.Xml.Dom.XmlDocument\n\
         $xml.LoadXml('<toast><visual><binding template=\"ToastGeneric\"><text>{}</text><text>{}</text></binding></visual></toast>')\n\
         $app = '{{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}}\\WindowsPowerShell\\v1.0\\powershell.exe'\n\
         [Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier($app).Show((New-Object Windows.UI.Notifications.ToastNotification $xml))\n",
        xml(title),
        xml(body)
    )
}

/// A script as `powershell.exe -EncodedCommand` takes it: base64 of its UTF-16LE bytes.
pub fn encoded_command(script: &str) -> String {
    use base64::Engine;
    let bytes: Vec<u8> = script.encode_utf16().flat_map(u16::to_le_bytes).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Show the summary as a desktop notification: `notify-send` (libnotify, through the desktop's
/// notification daemon) on Linux and the BSDs, `osascript`'s `display notification` on macOS,
/// a toast shown by Windows PowerShell on Windows ([`windows_toast_script`]).
/// Without the tool, a daemon or a desktop session it is skipped, saying why; never an error.
pub fn desktop(summary: &NightlySummary) -> Delivery {
    desktop_with(&summary.title(), &summary.text())
}

fn desktop_with(title: &str, body: &str) -> Delivery {
    let skipped = |detail: String| Delivery {
        channel: "desktop".into(),
        delivered: false,
        detail,
    };
    let mut cmd = if cfg!(target_os = "macos") {
        // AppleScript string literals: backslash and double quote escaped.
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        let mut c = std::process::Command::new("osascript");
        c.arg("-e").arg(format!(
            "display notification \"{}\" with title \"{}\"",
            q(body),
            q(title)
        ));
        c
    } else if cfg!(windows) {
        // Windows PowerShell 5.1 (part of every Windows 10/11) shows a toast through the WinRT
        // ToastNotificationManager; the script goes base64-encoded UTF-16LE in
        // `-EncodedCommand` (about_PowerShell_exe), so no command-line quoting applies.
        let mut c = std::process::Command::new("powershell.exe");
        c.args([
            "-NoProfile",
            "-NonInteractive",
            "-EncodedCommand",
            &encoded_command(&windows_toast_script(title, body)),
        ]);
        c
    } else {
        let mut c = std::process::Command::new("notify-send");
        c.args(["--app-name=Forestock", "--"]).arg(title).arg(body);
        c
    };
    match cmd
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
    {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => skipped(format!(
            "desktop notification skipped: {} is not installed{}",
            cmd.get_program().to_string_lossy(),
            if cfg!(target_os = "macos") || cfg!(windows) {
                ""
            } else {
                " (install libnotify-bin / libnotify)"
            }
        )),
        Err(e) => skipped(format!("desktop notification skipped: {e}")),
        Ok(out) if out.status.success() => Delivery {
            channel: "desktop".into(),
            delivered: true,
            detail: "desktop notification shown".into(),
        },
        Ok(out) => {
            let err = String::from_utf8_lossy(&out.stderr);
            let first = err.lines().next().unwrap_or("").trim();
            skipped(format!(
                "desktop notification skipped: no notification daemon answered ({})",
                if first.is_empty() {
                    format!("exit status {}", out.status)
                } else {
                    first.to_string()
                }
            ))
        }
    }
}

/// Send the summary on every channel: the desktop, and the webhook when one is set up.
/// A keychain that cannot be read is reported as the webhook's outcome.
pub async fn send_all(summary: &NightlySummary, keychain: Option<&Keychain>) -> Vec<Delivery> {
    let mut out = vec![desktop(summary)];
    if let Some(k) = keychain {
        match webhook(k) {
            Ok(Some(w)) => out.push(post(&w, summary).await),
            Ok(None) => {}
            Err(e) => out.push(Delivery {
                channel: "webhook".into(),
                delivered: false,
                detail: format!("webhook not read: {}", without_urls(&e.to_string())),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::{extract::State, http::StatusCode, routing::post as route_post, Json, Router};
    use std::sync::{Arc, Mutex};

    /// The toast's text cannot end the PowerShell string or break the XML: quotes and markup
    /// arrive escaped, and `-EncodedCommand` carries the script unchanged.
    #[test]
    fn the_windows_toast_script_escapes_the_text_and_encodes_losslessly() {
        let script = windows_toast_script(
            "Forestock: O'Brien’s shop",
            "2 lines <to order> & \"1\"\nnext’); Start-Process calc; #",
        );
        let start = script.find("LoadXml('").unwrap() + "LoadXml('".len();
        let end = start + script[start..].find("')").unwrap();
        let xml = &script[start..end];
        // Nothing that ends a PowerShell single-quoted string is left in the text.
        assert!(script.is_ascii(), "{script}");
        assert!(!xml.contains('\''), "{xml}");
        assert!(
            xml.contains("<text>Forestock: O&apos;Brien&#x2019;s shop</text>"),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<text>2 lines &lt;to order&gt; &amp; &quot;1&quot;\nnext&#x2019;); Start-Process calc; #</text>"
            ),
            "{xml}"
        );
        assert_eq!(xml.matches('<').count(), xml.matches('>').count());

        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded_command(&script))
            .unwrap();
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(String::from_utf16(&units).unwrap(), script);
    }

    fn summary() -> NightlySummary {
        NightlySummary {
            merchant: "Test shop".into(),
            currency: "EUR".into(),
            at: "2026-01-02 02:00".into(),
            synced_orders: 5,
            failed_stores: vec![],
            sync_skipped: None,
            lines_to_order: 2,
            order_value: vec![crate::kpis::Money {
                currency: "EUR".into(),
                amount: 99.5,
            }],
            alerts: vec![],
        }
    }

    type Seen = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

    /// A loopback receiver standing in for the chat service: records each post's path and
    /// JSON body and answers `status`.
    async fn receiver(status: StatusCode) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let app = Router::new()
            .route(
                "/{*path}",
                route_post(
                    |State((seen, status)): State<(Seen, StatusCode)>,
                     uri: axum::http::Uri,
                     Json(body): Json<serde_json::Value>| async move {
                        seen.lock().unwrap().push((uri.path().to_string(), body));
                        (status, "ok")
                    },
                ),
            )
            .with_state((Arc::clone(&seen), status));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}"), seen)
    }

    #[tokio::test]
    async fn slack_and_teams_get_their_documented_webhook_json_over_http() {
        let (base, seen) = receiver(StatusCode::OK).await;
        let slack = Webhook {
            service: Service::Slack,
            url: Secret::new(format!("{base}/services/T000/B000/XXXX")),
        };
        let d = post(&slack, &summary()).await;
        assert!(d.delivered, "{d:?}");
        assert_eq!(d.channel, "slack");
        let teams = Webhook {
            service: Service::Teams,
            url: Secret::new(format!("{base}/webhookb2/abc/IncomingWebhook/def")),
        };
        let d = post(&teams, &summary()).await;
        assert!(d.delivered, "{d:?}");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].0, "/services/T000/B000/XXXX");
        let text = seen[0].1["text"].as_str().unwrap();
        assert!(
            text.starts_with("*Forestock nightly: Test shop*\n"),
            "{text}"
        );
        assert!(
            text.contains("2 lines to order, order value 99.50 EUR"),
            "{text}"
        );
        let card = &seen[1].1;
        assert_eq!(card["@type"], "MessageCard");
        assert_eq!(card["@context"], "https://schema.org/extensions");
        assert_eq!(card["title"], "Forestock nightly: Test shop");
        assert!(card["text"]
            .as_str()
            .unwrap()
            .contains("Synced 5 orders  \n"));
    }

    #[tokio::test]
    async fn a_refused_post_is_reported_without_the_url() {
        let (base, _seen) = receiver(StatusCode::FORBIDDEN).await;
        let url = format!("{base}/services/T000/B000/SECRETPART");
        let w = Webhook {
            service: Service::Slack,
            url: Secret::new(url.clone()),
        };
        let d = post(&w, &summary()).await;
        assert!(!d.delivered);
        assert!(d.detail.contains("HTTP 403"), "{}", d.detail);
        assert!(!d.detail.contains("SECRETPART"), "{}", d.detail);
        // Nothing listening: a network error, still without the URL.
        let gone = Webhook {
            service: Service::Teams,
            url: Secret::new("http://127.0.0.1:9/webhookb2/SECRETPART".to_string()),
        };
        let d = post(&gone, &summary()).await;
        assert!(!d.delivered);
        assert!(!d.detail.contains("SECRETPART"), "{}", d.detail);
    }

    #[tokio::test]
    async fn a_teams_workflows_url_gets_an_adaptive_card_and_keeps_its_signature() {
        let (base, seen) = receiver(StatusCode::ACCEPTED).await;
        let url = format!(
            "{base}/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01\
             &sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SECRETSIG"
        );
        let w = Webhook {
            service: Service::Teams,
            url: Secret::new(url),
        };
        assert_eq!(check_url(w.service, &w.url).unwrap(), TeamsKind::Workflow);
        let d = post(&w, &summary()).await;
        // Workflows answer 202 Accepted.
        assert!(d.delivered, "{d:?}");
        assert!(d.detail.contains("HTTP 202"), "{}", d.detail);
        assert!(!d.detail.contains("SECRETSIG"), "{}", d.detail);
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, "/workflows/0a1b2c/triggers/manual/paths/invoke");
        let msg = &seen[0].1;
        assert_eq!(msg["type"], "message");
        let att = &msg["attachments"][0];
        assert_eq!(
            att["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert_eq!(att["content"]["type"], "AdaptiveCard");
        assert_eq!(att["content"]["version"], "1.4");
        let blocks = att["content"]["body"].as_array().unwrap();
        assert_eq!(blocks[0]["text"], "Forestock nightly: Test shop");
        assert!(blocks.iter().all(|b| b["type"] == "TextBlock"));
        assert!(
            blocks
                .iter()
                .any(|b| b["text"].as_str().unwrap().contains("2 lines to order")),
            "{blocks:?}"
        );
        // A refused post still never repeats the signature.
        let (base, _) = receiver(StatusCode::UNAUTHORIZED).await;
        let w = Webhook {
            service: Service::Teams,
            url: Secret::new(format!(
                "{base}/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=1&sig=SECRETSIG"
            )),
        };
        let d = post(&w, &summary()).await;
        assert!(!d.delivered);
        assert!(d.detail.contains("HTTP 401"), "{}", d.detail);
        assert!(!d.detail.contains("SECRETSIG"), "{}", d.detail);
    }

    #[test]
    fn only_a_workflow_trigger_may_carry_a_query_and_only_for_teams() {
        let teams = |u: &str| check_url(Service::Teams, &Secret::new(u.to_string()));
        let wf = "https://prod-12.westus.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/\
                  invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SECRETSIG";
        assert_eq!(teams(wf).unwrap(), TeamsKind::Workflow);
        assert_eq!(
            teams("https://contoso.webhook.office.com/webhookb2/a/IncomingWebhook/b/c").unwrap(),
            TeamsKind::Connector
        );
        for bad in [
            // Workflows over plain http off loopback: the signature would travel in the clear.
            "http://prod-12.westus.logic.azure.com/workflows/0a1b/triggers/manual/paths/invoke?sig=SECRETSIG",
            // Not a trigger path.
            "https://prod-12.westus.logic.azure.com/workflows/0a1b?sig=SECRETSIG",
            // A query with something else than the trigger's parameters.
            "https://prod-12.westus.logic.azure.com/workflows/0a1b/triggers/manual/paths/invoke?sig=SECRETSIG&token=x",
            // No signature.
            "https://prod-12.westus.logic.azure.com/workflows/0a1b/triggers/manual/paths/invoke?api-version=1&sv=SECRETSIG",
        ] {
            let e = teams(bad).unwrap_err().to_string();
            assert!(!e.contains("SECRETSIG"), "{e}");
            assert!(e.contains("Microsoft Teams"), "{e}");
        }
        let e = teams("https://prod-12.westus.logic.azure.com/workflows/0a1b?sig=SECRETSIG")
            .unwrap_err()
            .to_string();
        assert!(e.contains("triggers/manual/paths/invoke"), "{e}");
        // Slack never takes a query string, even one shaped like a workflow's.
        assert!(check_url(Service::Slack, &Secret::new(wf.to_string())).is_err());
    }

    #[test]
    fn webhook_urls_follow_the_remote_url_rule_and_errors_never_repeat_them() {
        let ok = |u: &str| check_url(Service::Slack, &Secret::new(u.to_string()));
        ok("https://hooks.slack.com/services/T000/B000/XXXX").unwrap();
        // Loopback is where tests receive; plain http elsewhere would send the credential in
        // the clear.
        ok("http://127.0.0.1:8080/services/T/B/X").unwrap();
        for bad in [
            "http://hooks.slack.com/services/T000/B000/SECRETPART",
            "https://user:pw@hooks.slack.com/services/SECRETPART",
            "ftp://hooks.slack.com/SECRETPART",
            "https://example.com/SECRETPART?sig=1",
        ] {
            let e = ok(bad).unwrap_err().to_string();
            assert!(!e.contains("SECRETPART"), "{e}");
            assert!(e.contains("Slack"), "{e}");
        }
    }

    #[test]
    fn without_a_notification_tool_or_daemon_the_desktop_notice_is_skipped_softly() {
        // Whatever this machine has: it never panics or errors, and says what happened.
        let d = desktop(&summary());
        assert_eq!(d.channel, "desktop");
        assert!(
            d.delivered || d.detail.starts_with("desktop notification skipped"),
            "{d:?}"
        );
    }
}
