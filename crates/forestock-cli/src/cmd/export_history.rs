use crate::cmd::common::{open_db, output_file, DbArg};
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
    let Some(out) = output_file(&args.output, args.force) else {
        let store = open_db(&args.db.db)?;
        let out = std::io::stdout().lock();
        store.read().export_history(std::io::BufWriter::new(out))?;
        return Ok(());
    };
    // refused before the database is even opened: an existing file, the database itself
    out.check(&[&args.db.db])?;
    let store = open_db(&args.db.db)?;
    let rows = out.write(&[&args.db.db], |w| store.read().export_history(w))?;
    writeln!(
        std::io::stderr(),
        "wrote {rows} rows to {}",
        args.output.display()
    )?;
    Ok(())
}
