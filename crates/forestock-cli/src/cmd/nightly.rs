//! `forestock nightly`: sync, forecast, plan and alerts in one run (what a timer starts each
//! night), refused while the app's Sync & run or another nightly run of the same database is
//! in progress (exit 3). Prints the summary and sends it as a desktop notification and to the
//! Slack or Teams webhook if one is set (`nightly webhook set`, the URL read from stdin into the
//! keychain). `nightly install|uninstall|status` manage the user timer.

use super::common::{report, show, stamp, Db, Format};
use crate::exit;
use crate::prompt::read_secret;
use forestock_api::nightly::{notify, schedule};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// Output format of the run's summary.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Do not send notifications (desktop or webhook); the summary is still printed and audited.
    #[arg(long)]
    pub no_notify: bool,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Run the job daily as your user: a systemd user timer (Linux), a launchd agent (macOS)
    /// or a Task Scheduler task (Windows). Shows every file and command.
    Install {
        /// Time of day, HH:MM on the 24-hour clock (local time).
        #[arg(long, default_value = schedule::DEFAULT_AT)]
        at: String,
        /// Show what would be written and run, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove the scheduled job.
    Uninstall {
        /// Show what would be removed, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Whether the job is installed, with its files.
    Status,
    /// The Slack or Microsoft Teams incoming webhook the summary is posted to (kept in the OS
    /// keychain; the URL is read from stdin, never a flag).
    Webhook {
        #[command(subcommand)]
        action: WebhookAction,
    },
}

#[derive(clap::Subcommand)]
pub enum WebhookAction {
    /// Save the webhook: `echo URL | forestock nightly webhook set --service slack`.
    Set {
        /// slack or teams.
        #[arg(long)]
        service: String,
    },
    /// Remove the webhook.
    Clear,
    /// Post a test summary to the webhook now.
    Test,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    match args.action {
        None => run_job(&args, db),
        Some(Action::Install { ref at, dry_run }) => {
            let at = schedule::parse_at(at)?;
            let mut db = db.open()?;
            let exe = std::env::current_exe()
                .map_err(|e| anyhow::anyhow!("cannot tell where this program is: {e}"))?;
            let out = schedule::install(&mut db, &stamp(), &exe, at, dry_run)?;
            report(args.format, &out)
        }
        Some(Action::Uninstall { dry_run }) => {
            let mut db = db.open()?;
            let out = schedule::uninstall(&mut db, &stamp(), dry_run)?;
            report(args.format, &out)
        }
        Some(Action::Status) => {
            let st = schedule::status(schedule::Scheduler::current(), &schedule::Dirs::from_env())?;
            report(args.format, &st)
        }
        Some(Action::Webhook { ref action }) => webhook(db, action),
    }
}

fn webhook(db: &Db, action: &WebhookAction) -> anyhow::Result<()> {
    let keychain = forestock_connect::Keychain::from_env()?;
    match action {
        WebhookAction::Set { service } => {
            let service = notify::Service::parse(service)?;
            let url = read_secret(&format!("{} incoming webhook URL: ", service.label()))?;
            if url.expose().trim().is_empty() {
                return Err(exit::usage(
                    "no webhook URL given: pipe it on stdin (e.g. `echo URL | forestock nightly \
                     webhook set --service slack`) or type it at the prompt",
                ));
            }
            let mut db = db.open()?;
            notify::set_webhook(&mut db, &stamp(), &keychain, service, &url)?;
            println!(
                "{} webhook saved in the keychain (forestock:nightly-webhook)",
                service.label()
            );
        }
        WebhookAction::Clear => {
            let mut db = db.open()?;
            notify::clear_webhook(&mut db, &stamp(), &keychain)?;
            println!("webhook removed");
        }
        WebhookAction::Test => {
            let (rt, stamp) = (super::common::runtime()?, stamp());
            let d = rt.block_on(notify::post_test(&keychain, &stamp))?;
            println!("{}", d.detail);
            if !d.delivered {
                return Err(exit::remote("the test message was not delivered"));
            }
        }
    }
    Ok(())
}

fn run_job(args: &Args, db: &Db) -> anyhow::Result<()> {
    let mut db = db.open()?;
    let stamp = stamp();
    let rt = super::common::runtime()?;
    let quiet = args.format == Format::Json;
    let summary = rt.block_on(forestock_api::nightly::run(&mut db, &stamp, move |e| {
        if quiet {
            return;
        }
        if let Some(line) = forestock_api::text::run_event(e) {
            eprintln!("{line}");
        }
    }))?;
    let deliveries = if args.no_notify {
        Vec::new()
    } else {
        // A keychain that cannot be opened only means no webhook post; say so.
        let keychain = forestock_connect::Keychain::from_env().ok();
        rt.block_on(notify::send_all(&summary, keychain.as_ref()))
    };
    let json = serde_json::json!({ "summary": summary, "notifications": deliveries });
    show(args.format, &json, || {
        let sent = deliveries
            .iter()
            .map(|d| format!("{}: {}\n", d.channel, d.detail));
        format!("{}\n{}\n", summary.title(), summary.text()) + &sent.collect::<String>()
    })
}
