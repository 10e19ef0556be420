//! Installing the nightly job as the user's own scheduled task, no administrator rights:
//!
//! * Linux: a systemd user service and timer in `$XDG_CONFIG_HOME/systemd/user/` (else
//!   `~/.config/systemd/user/`), the user-unit search path of systemd.unit(5) "Unit File Load
//!   Path"; the timer fires daily at the time given (`OnCalendar=*-*-* HH:MM:00`,
//!   systemd.time(7)) and, with `Persistent=true` (systemd.timer(5)), catches up a run missed
//!   while the machine was off. Then `systemctl --user daemon-reload` and
//!   `enable --now` the timer, when `systemctl` is there (softly: without a user manager the
//!   files stay and the output says what to run).
//! * macOS: a launchd agent `~/Library/LaunchAgents/com.forestock.nightly.plist` with
//!   `StartCalendarInterval` (launchd.plist(5)), loaded with `launchctl load -w`.
//! * Windows: a Task Scheduler task made with `schtasks /Create /SC DAILY /ST HH:MM`
//!   (<https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/schtasks-create>).
//!
//! Every file and command is shown before (`--dry-run`) and after it is written.

use crate::{AuditStamp, Error, Result};
use chrono::{NaiveTime, Timelike};
use forestock_core::{NewAuditEntry, OutputFile, Store};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The systemd unit names (service and timer share the stem).
pub const UNIT: &str = "forestock-nightly";
/// The launchd label.
pub const LABEL: &str = "com.forestock.nightly";
/// The Task Scheduler task name.
pub const TASK: &str = "Forestock nightly";
/// When the job runs if no time is given: early morning, after the day's orders are in and
/// before the planner starts.
pub const DEFAULT_AT: &str = "02:00";

/// The scheduler a machine has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Scheduler {
    Systemd,
    Launchd,
    TaskScheduler,
}

impl Scheduler {
    /// This machine's.
    pub fn current() -> Scheduler {
        if cfg!(target_os = "macos") {
            Scheduler::Launchd
        } else if cfg!(windows) {
            Scheduler::TaskScheduler
        } else {
            Scheduler::Systemd
        }
    }
}

/// Where the user's scheduler files go, from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// `$XDG_CONFIG_HOME`, else `$HOME/.config` (Linux).
    pub config: Option<PathBuf>,
    /// `$HOME` (macOS: `Library/LaunchAgents` under it).
    pub home: Option<PathBuf>,
}

impl Dirs {
    /// From the process environment.
    pub fn from_env() -> Dirs {
        Dirs::from_vars(|k: &str| std::env::var_os(k))
    }

    /// From `var` (tests pass their own).
    pub fn from_vars(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Dirs {
        let set = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let home = set("HOME").or_else(|| set("USERPROFILE"));
        // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and ignored.
        let config = set("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| home.as_ref().map(|h| h.join(".config")));
        Dirs { config, home }
    }
}

/// One file the installation writes, with its full content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScheduleFile {
    pub path: String,
    pub content: String,
}

/// What installing (or removing) the nightly job writes and runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SchedulePlan {
    pub scheduler: Scheduler,
    /// `HH:MM`, local time (empty when removing).
    pub at: String,
    pub files: Vec<ScheduleFile>,
    /// The commands that register it with the scheduler, in order.
    pub commands: Vec<String>,
}

/// What an install or uninstall did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScheduleOutcome {
    pub plan: SchedulePlan,
    /// False for a dry run.
    pub applied: bool,
    /// Each command run and how it went, or why it was not run.
    pub notes: Vec<String>,
}

/// Whether the nightly job is installed, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScheduleStatus {
    pub scheduler: Scheduler,
    pub installed: bool,
    /// The files that are there, with their content.
    pub files: Vec<ScheduleFile>,
}

/// `HH:MM` (24-hour) as a time of day.
pub fn parse_at(s: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        Error::Invalid(format!(
            "{s:?} is not a time of day: give HH:MM on the 24-hour clock, e.g. 02:00"
        ))
    })
}

/// A systemd unit-file value quoted as one word (systemd.syntax(7) "Quoting"; `%` doubled, as
/// systemd.unit(5) "Specifiers" expands `%x`).
fn systemd_word(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('%', "%%");
    format!("\"{escaped}\"")
}

/// XML text escaping for the plist.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

fn unit_dir(dirs: &Dirs) -> Result<PathBuf> {
    dirs.config
        .as_ref()
        .map(|c| c.join("systemd").join("user"))
        .ok_or_else(|| {
            Error::Invalid(
                "neither XDG_CONFIG_HOME nor HOME is set: cannot tell where user units go".into(),
            )
        })
}

fn agent_path(dirs: &Dirs) -> Result<PathBuf> {
    dirs.home
        .as_ref()
        .map(|h| {
            h.join("Library")
                .join("LaunchAgents")
                .join(format!("{LABEL}.plist"))
        })
        .ok_or_else(|| Error::Invalid("HOME is not set: cannot tell where LaunchAgents are".into()))
}

/// The files and commands that run `exe nightly --db db` daily at `at` with `scheduler`.
/// `keychain` is the `FORESTOCK_KEYCHAIN` backend to pass on, if one is chosen.
pub fn install_plan(
    scheduler: Scheduler,
    dirs: &Dirs,
    exe: &Path,
    db: &Path,
    at: NaiveTime,
    keychain: Option<&str>,
) -> Result<SchedulePlan> {
    let hhmm = format!("{:02}:{:02}", at.hour(), at.minute());
    let (files, commands) = match scheduler {
        Scheduler::Systemd => {
            let dir = unit_dir(dirs)?;
            let env = keychain
                .map(|k| {
                    format!(
                        "Environment={}\n",
                        systemd_word(&format!("FORESTOCK_KEYCHAIN={k}"))
                    )
                })
                .unwrap_or_default();
            let service = format!(
                "[Unit]\n\
                 Description=Forestock nightly run (sync, forecast, plan, alerts) of {db}\n\
                 \n\
                 [Service]\n\
                 Type=oneshot\n\
                 {env}\
                 ExecStart={exe} nightly --db {dbw}\n",
                db = shown(db).replace('%', "%%"),
                exe = systemd_word(&shown(exe)),
                dbw = systemd_word(&shown(db)),
            );
            let timer = format!(
                "[Unit]\n\
                 Description=Run the Forestock nightly job daily at {hhmm}\n\
                 \n\
                 [Timer]\n\
                 OnCalendar=*-*-* {hhmm}:00\n\
                 Persistent=true\n\
                 Unit={UNIT}.service\n\
                 \n\
                 [Install]\n\
                 WantedBy=timers.target\n"
            );
            (
                vec![
                    ScheduleFile {
                        path: shown(&dir.join(format!("{UNIT}.service"))),
                        content: service,
                    },
                    ScheduleFile {
                        path: shown(&dir.join(format!("{UNIT}.timer"))),
                        content: timer,
                    },
                ],
                vec![
                    "systemctl --user daemon-reload".to_string(),
                    format!("systemctl --user enable --now {UNIT}.timer"),
                ],
            )
        }
        Scheduler::Launchd => {
            let path = agent_path(dirs)?;
            let env = keychain
                .map(|k| {
                    format!(
                        "  <key>EnvironmentVariables</key>\n  <dict>\n    <key>FORESTOCK_KEYCHAIN</key>\n    <string>{}</string>\n  </dict>\n",
                        xml(k)
                    )
                })
                .unwrap_or_default();
            let plist = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                 <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
                 <plist version=\"1.0\">\n\
                 <dict>\n\
                 \x20 <key>Label</key>\n\
                 \x20 <string>{LABEL}</string>\n\
                 \x20 <key>ProgramArguments</key>\n\
                 \x20 <array>\n\
                 \x20   <string>{exe}</string>\n\
                 \x20   <string>nightly</string>\n\
                 \x20   <string>--db</string>\n\
                 \x20   <string>{db}</string>\n\
                 \x20 </array>\n\
                 {env}\
                 \x20 <key>StartCalendarInterval</key>\n\
                 \x20 <dict>\n\
                 \x20   <key>Hour</key>\n\
                 \x20   <integer>{h}</integer>\n\
                 \x20   <key>Minute</key>\n\
                 \x20   <integer>{m}</integer>\n\
                 \x20 </dict>\n\
                 </dict>\n\
                 </plist>\n",
                exe = xml(&shown(exe)),
                db = xml(&shown(db)),
                h = at.hour(),
                m = at.minute(),
            );
            let cmd = format!("launchctl load -w \"{}\"", shown(&path));
            (
                vec![ScheduleFile {
                    path: shown(&path),
                    content: plist,
                }],
                vec![cmd],
            )
        }
        Scheduler::TaskScheduler => {
            // schtasks /TR takes the whole command line as one argument; inner quotes are
            // written \" (schtasks-create, "To schedule a task that runs ... with spaces").
            let tr = format!("\\\"{}\\\" nightly --db \\\"{}\\\"", shown(exe), shown(db));
            (
                Vec::new(),
                vec![format!(
                    "schtasks /Create /TN \"{TASK}\" /SC DAILY /ST {hhmm} /TR \"{tr}\" /F"
                )],
            )
        }
    };
    Ok(SchedulePlan {
        scheduler,
        at: hhmm,
        files,
        commands,
    })
}

/// The files and commands that remove the nightly job.
pub fn uninstall_plan(scheduler: Scheduler, dirs: &Dirs) -> Result<SchedulePlan> {
    let (files, commands) = match scheduler {
        Scheduler::Systemd => {
            let dir = unit_dir(dirs)?;
            (
                ["service", "timer"]
                    .iter()
                    .map(|ext| ScheduleFile {
                        path: shown(&dir.join(format!("{UNIT}.{ext}"))),
                        content: String::new(),
                    })
                    .collect(),
                vec![
                    format!("systemctl --user disable --now {UNIT}.timer"),
                    "systemctl --user daemon-reload".to_string(),
                ],
            )
        }
        Scheduler::Launchd => {
            let path = agent_path(dirs)?;
            (
                vec![ScheduleFile {
                    path: shown(&path),
                    content: String::new(),
                }],
                vec![format!("launchctl unload -w \"{}\"", shown(&path))],
            )
        }
        Scheduler::TaskScheduler => (
            Vec::new(),
            vec![format!("schtasks /Delete /TN \"{TASK}\" /F")],
        ),
    };
    Ok(SchedulePlan {
        scheduler,
        at: String::new(),
        files,
        commands,
    })
}

/// Run one of the plan's commands, softly: a missing tool or a failure is a note, not an
/// error (the files are written; the note says what to run by hand).
fn run_soft(cmd: &str, scheduler: Scheduler) -> String {
    let parts = split_command(cmd);
    let Some((program, args)) = parts.split_first() else {
        return format!("{cmd}: nothing to run");
    };
    // `systemctl --user` talks to the user's service manager through
    // `$XDG_RUNTIME_DIR/systemd/private` (systemctl(1), `--user`); without one (a session with
    // no user manager, a container) it would wait for a bus timeout before failing.
    if scheduler == Scheduler::Systemd && !user_manager_reachable() {
        return format!(
            "not run: no systemd user manager is running in this session; run `{cmd}` after \
             logging in to your desktop"
        );
    }
    match std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
    {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!(
            "not run: {program} is not available here; run `{cmd}` where {} runs",
            match scheduler {
                Scheduler::Systemd => "your systemd user manager",
                Scheduler::Launchd => "launchd",
                Scheduler::TaskScheduler => "Task Scheduler",
            }
        ),
        Err(e) => format!("not run: `{cmd}`: {e}"),
        Ok(o) if o.status.success() => format!("ran `{cmd}`"),
        Ok(o) => {
            // The last line says why (systemctl reports what it did before it failed first).
            let err = String::from_utf8_lossy(&o.stderr);
            let why = err
                .lines()
                .map(str::trim)
                .rfind(|l| !l.is_empty())
                .unwrap_or("no message");
            format!(
                "`{cmd}` did not finish ({why}); the files are in place: run it again once the \
                 scheduler is reachable"
            )
        }
    }
}

fn user_manager_reachable() -> bool {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .is_some_and(|d| d.join("systemd").join("private").exists())
}

/// Split a command line of the plan (only double quotes, as the plan writes them; `\"` inside
/// a quoted word stays a quote).
fn split_command(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = cmd.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
                any = true;
            }
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Write the plan's files (each through [`OutputFile`], replacing an earlier install of the job)
/// and, when `run_commands`, run its commands softly. A dry run only returns the plan.
pub fn apply(plan: SchedulePlan, dry_run: bool, run_commands: bool) -> Result<ScheduleOutcome> {
    if dry_run {
        return Ok(ScheduleOutcome {
            plan,
            applied: false,
            notes: vec!["dry run: nothing written".into()],
        });
    }
    let mut notes = Vec::new();
    for f in &plan.files {
        let path = Path::new(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::Invalid(format!("cannot create {}: {e}", parent.display())))?;
        }
        OutputFile::replacing(path).write(&[], |w| -> Result<()> {
            w.write_all(f.content.as_bytes())
                .map_err(|e| Error::Invalid(format!("cannot write {}: {e}", f.path)))
        })?;
        notes.push(format!("wrote {}", f.path));
    }
    if run_commands {
        notes.extend(plan.commands.iter().map(|c| run_soft(c, plan.scheduler)));
    } else {
        notes.extend(plan.commands.iter().map(|c| format!("to run: `{c}`")));
    }
    Ok(ScheduleOutcome {
        plan,
        applied: true,
        notes,
    })
}

/// Remove the plan's files (a missing one is already gone), running its commands first.
pub fn apply_uninstall(
    plan: SchedulePlan,
    dry_run: bool,
    run_commands: bool,
) -> Result<ScheduleOutcome> {
    if dry_run {
        return Ok(ScheduleOutcome {
            plan,
            applied: false,
            notes: vec!["dry run: nothing removed".into()],
        });
    }
    let mut notes = Vec::new();
    if run_commands {
        // Stop the timer before its files go.
        if let Some(first) = plan.commands.first() {
            notes.push(run_soft(first, plan.scheduler));
        }
    }
    for f in &plan.files {
        match std::fs::remove_file(&f.path) {
            Ok(()) => notes.push(format!("removed {}", f.path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                notes.push(format!("{} was not there", f.path));
            }
            Err(e) => return Err(Error::Invalid(format!("cannot remove {}: {e}", f.path))),
        }
    }
    if run_commands {
        notes.extend(
            plan.commands
                .iter()
                .skip(1)
                .map(|c| run_soft(c, plan.scheduler)),
        );
    }
    Ok(ScheduleOutcome {
        plan,
        applied: true,
        notes,
    })
}

/// Whether the job's files are in place (Task Scheduler: never known without asking it).
pub fn status(scheduler: Scheduler, dirs: &Dirs) -> Result<ScheduleStatus> {
    let plan = uninstall_plan(scheduler, dirs)?;
    let files: Vec<ScheduleFile> = plan
        .files
        .iter()
        .filter_map(|f| {
            std::fs::read_to_string(&f.path)
                .ok()
                .map(|content| ScheduleFile {
                    path: f.path.clone(),
                    content,
                })
        })
        .collect();
    Ok(ScheduleStatus {
        scheduler,
        installed: !plan.files.is_empty() && files.len() == plan.files.len(),
        files,
    })
}

/// The `forestock` command line program the app's switch schedules: beside the app's own
/// executable (where the installers and `cargo build` put both), else refused naming where it
/// looked (the CLI's `nightly install` schedules itself).
pub fn cli_beside(app_exe: &Path) -> Result<PathBuf> {
    let cli = app_exe.with_file_name(format!("forestock{}", std::env::consts::EXE_SUFFIX));
    if cli.is_file() {
        Ok(cli)
    } else {
        Err(Error::NotFound(format!(
            "the forestock command line program is not beside the app (looked for {}); install              it there, or run `forestock nightly install --db <database>` from a terminal",
            cli.display()
        )))
    }
}

/// Install the nightly job for `db` on this machine (the CLI's `nightly install`, the app's
/// Settings switch): `exe` is the `forestock` command line program. Audited in `db` unless a
/// dry run. The keychain backend in use (`FORESTOCK_KEYCHAIN`) is passed on to the job.
pub fn install(
    store: &mut Store,
    stamp: &AuditStamp,
    exe: &Path,
    at: NaiveTime,
    dry_run: bool,
) -> Result<ScheduleOutcome> {
    let db = std::path::absolute(store.path())
        .map_err(|e| Error::Invalid(format!("cannot resolve the database path: {e}")))?;
    let keychain = std::env::var("FORESTOCK_KEYCHAIN").ok();
    let plan = install_plan(
        Scheduler::current(),
        &Dirs::from_env(),
        exe,
        &db,
        at,
        keychain.as_deref().filter(|k| !k.is_empty()),
    )?;
    let out = apply(plan, dry_run, true)?;
    if out.applied {
        audit(store, stamp, "nightly.install", &out)?;
    }
    Ok(out)
}

/// Remove the nightly job from this machine, audited in `store` unless a dry run.
pub fn uninstall(store: &mut Store, stamp: &AuditStamp, dry_run: bool) -> Result<ScheduleOutcome> {
    let plan = uninstall_plan(Scheduler::current(), &Dirs::from_env())?;
    let out = apply_uninstall(plan, dry_run, true)?;
    if out.applied {
        audit(store, stamp, "nightly.uninstall", &out)?;
    }
    Ok(out)
}

fn audit(store: &mut Store, stamp: &AuditStamp, action: &str, out: &ScheduleOutcome) -> Result<()> {
    let w = store.write()?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: action.into(),
        entity: "nightly".into(),
        entity_id: "schedule".into(),
        before: None,
        after: Some(serde_json::json!({
            "scheduler": out.plan.scheduler,
            "at": out.plan.at,
            "files": out.plan.files.iter().map(|f| &f.path).collect::<Vec<_>>(),
        })),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn dirs(root: &Path) -> Dirs {
        let config = root.join("xdg");
        let home = root.join("home");
        Dirs::from_vars(move |k| match k {
            "XDG_CONFIG_HOME" => Some(config.clone().into()),
            "HOME" => Some(home.clone().into()),
            _ => None,
        })
    }

    #[test]
    fn the_systemd_units_run_the_job_daily_at_the_given_time() {
        let d = Dirs {
            config: Some("/home/ann/.config".into()),
            home: Some("/home/ann".into()),
        };
        let plan = install_plan(
            Scheduler::Systemd,
            &d,
            Path::new("/opt/forestock/bin/forestock"),
            Path::new("/home/ann/shops/my shop.db"),
            parse_at("06:30").unwrap(),
            Some("keyutils"),
        )
        .unwrap();
        assert_eq!(plan.files.len(), 2);
        assert_eq!(
            plan.files[0].path,
            "/home/ann/.config/systemd/user/forestock-nightly.service"
        );
        assert_eq!(
            plan.files[0].content,
            "[Unit]\n\
             Description=Forestock nightly run (sync, forecast, plan, alerts) of /home/ann/shops/my shop.db\n\
             \n\
             [Service]\n\
             Type=oneshot\n\
             Environment=\"FORESTOCK_KEYCHAIN=keyutils\"\n\
             ExecStart=\"/opt/forestock/bin/forestock\" nightly --db \"/home/ann/shops/my shop.db\"\n"
        );
        assert_eq!(
            plan.files[1].path,
            "/home/ann/.config/systemd/user/forestock-nightly.timer"
        );
        assert_eq!(
            plan.files[1].content,
            "[Unit]\n\
             Description=Run the Forestock nightly job daily at 06:30\n\
             \n\
             [Timer]\n\
             OnCalendar=*-*-* 06:30:00\n\
             Persistent=true\n\
             Unit=forestock-nightly.service\n\
             \n\
             [Install]\n\
             WantedBy=timers.target\n"
        );
        assert_eq!(
            plan.commands,
            [
                "systemctl --user daemon-reload",
                "systemctl --user enable --now forestock-nightly.timer"
            ]
        );
    }

    #[test]
    fn percent_signs_and_quotes_in_paths_are_escaped_for_systemd() {
        let d = Dirs {
            config: Some("/c".into()),
            home: None,
        };
        let plan = install_plan(
            Scheduler::Systemd,
            &d,
            Path::new("/bin/forestock"),
            Path::new("/data/100% \"real\".db"),
            parse_at("02:00").unwrap(),
            None,
        )
        .unwrap();
        assert!(plan.files[0].content.contains(
            "ExecStart=\"/bin/forestock\" nightly --db \"/data/100%% \\\"real\\\".db\"\n"
        ));
        assert!(!plan.files[0].content.contains("Environment"));
    }

    #[test]
    fn launchd_and_task_scheduler_get_their_own_form() {
        let d = Dirs {
            config: None,
            home: Some("/Users/ann".into()),
        };
        let exe = Path::new("/Applications/Forestock.app/Contents/MacOS/forestock");
        let at = parse_at("23:05").unwrap();
        let plist = install_plan(
            Scheduler::Launchd,
            &d,
            exe,
            Path::new("/Users/ann/a&b.db"),
            at,
            None,
        )
        .unwrap();
        assert_eq!(
            plist.files[0].path,
            "/Users/ann/Library/LaunchAgents/com.forestock.nightly.plist"
        );
        let c = &plist.files[0].content;
        assert!(c.contains("<string>/Users/ann/a&amp;b.db</string>"), "{c}");
        assert!(
            c.contains("<key>Hour</key>\n    <integer>23</integer>"),
            "{c}"
        );
        assert!(
            c.contains("<key>Minute</key>\n    <integer>5</integer>"),
            "{c}"
        );
        let win = install_plan(
            Scheduler::TaskScheduler,
            &d,
            Path::new(r"C:\Program Files\Forestock\forestock.exe"),
            Path::new(r"C:\Users\ann\shop.db"),
            at,
            None,
        )
        .unwrap();
        assert!(win.files.is_empty());
        assert_eq!(
            win.commands,
            [
                r#"schtasks /Create /TN "Forestock nightly" /SC DAILY /ST 23:05 /TR "\"C:\Program Files\Forestock\forestock.exe\" nightly --db \"C:\Users\ann\shop.db\"" /F"#
            ]
        );
    }

    #[test]
    fn install_writes_the_units_under_xdg_config_home_and_uninstall_removes_them() {
        let tmp = tempfile::tempdir().unwrap();
        let d = dirs(tmp.path());
        let plan = install_plan(
            Scheduler::Systemd,
            &d,
            Path::new("/bin/forestock"),
            Path::new("/data/shop.db"),
            parse_at("02:00").unwrap(),
            None,
        )
        .unwrap();
        let dry = apply(plan.clone(), true, false).unwrap();
        assert!(!dry.applied);
        assert!(!status(Scheduler::Systemd, &d).unwrap().installed);
        let out = apply(plan.clone(), false, false).unwrap();
        assert!(out.applied);
        let unit_dir = tmp.path().join("xdg/systemd/user");
        for f in &plan.files {
            assert!(Path::new(&f.path).starts_with(&unit_dir), "{}", f.path);
            assert_eq!(std::fs::read_to_string(&f.path).unwrap(), f.content);
        }
        let st = status(Scheduler::Systemd, &d).unwrap();
        assert!(st.installed);
        assert_eq!(st.files, plan.files);
        // Installing again (another time) replaces the job.
        let later = install_plan(
            Scheduler::Systemd,
            &d,
            Path::new("/bin/forestock"),
            Path::new("/data/shop.db"),
            parse_at("03:15").unwrap(),
            None,
        )
        .unwrap();
        apply(later, false, false).unwrap();
        let timer = std::fs::read_to_string(unit_dir.join("forestock-nightly.timer")).unwrap();
        assert!(timer.contains("OnCalendar=*-*-* 03:15:00"));
        let gone = apply_uninstall(
            uninstall_plan(Scheduler::Systemd, &d).unwrap(),
            false,
            false,
        )
        .unwrap();
        assert!(gone.notes.iter().any(|n| n.starts_with("removed")));
        assert!(!status(Scheduler::Systemd, &d).unwrap().installed);
        assert!(std::fs::read_dir(&unit_dir).unwrap().next().is_none());
    }

    #[test]
    fn times_are_hh_mm_and_a_relative_xdg_config_home_is_ignored() {
        assert_eq!(
            parse_at("7:05").unwrap(),
            NaiveTime::from_hms_opt(7, 5, 0).unwrap()
        );
        for bad in ["24:00", "noon", "12:60", ""] {
            assert!(parse_at(bad).unwrap_err().to_string().contains("HH:MM"));
        }
        let d = Dirs::from_vars(|k| match k {
            "XDG_CONFIG_HOME" => Some("relative/dir".into()),
            "HOME" => Some("/home/ann".into()),
            _ => None,
        });
        assert_eq!(d.config, Some(PathBuf::from("/home/ann/.config")));
    }

    #[test]
    fn plan_commands_split_into_words_as_written() {
        assert_eq!(
            split_command(r#"launchctl load -w "/Users/a b/x.plist""#),
            ["launchctl", "load", "-w", "/Users/a b/x.plist"]
        );
    }
}
