use crate::cmd::common::{open_db, DbArg};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Where to write the CSV (`-` for standard output).
    #[arg(long, short, default_value = "-")]
    pub output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let store = open_db(&args.db.db)?;
    if args.output.as_os_str() == "-" {
        let out = std::io::stdout().lock();
        store.read().export_history(std::io::BufWriter::new(out))?;
        return Ok(());
    }
    if args.output.exists() && !args.force {
        return Err(crate::exit::usage(format!(
            "{} already exists (use --force to replace it)",
            args.output.display()
        )));
    }
    // Write beside the target and rename, so a failure never leaves a half-written file.
    let dir = match args.output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| crate::exit::usage(format!("cannot write to {}: {e}", dir.display())))?;
    let mut buf = std::io::BufWriter::new(tmp);
    let rows = store.read().export_history(&mut buf)?;
    let tmp = buf.into_inner().context("flushing the history CSV")?;
    tmp.as_file().sync_all().ok();
    tmp.persist(&args.output)
        .map_err(|e| crate::exit::usage(format!("cannot write {}: {e}", args.output.display())))?;
    writeln!(
        std::io::stderr(),
        "wrote {rows} rows to {}",
        args.output.display()
    )?;
    Ok(())
}
