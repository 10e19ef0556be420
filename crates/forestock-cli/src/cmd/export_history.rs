use crate::cmd::common::{output_file, Db};
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the CSV (`-` for standard output).
    #[arg(long, short, default_value = "-")]
    pub output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let Some(out) = output_file(&args.output, args.force) else {
        let store = db.open()?;
        let out = std::io::stdout().lock();
        store.read().export_history(std::io::BufWriter::new(out))?;
        return Ok(());
    };
    // refused before the database is even opened: an existing file, the database itself
    out.check(&[db.path()])?;
    let store = db.open()?;
    let rows = out.write(&[db.path()], |w| store.read().export_history(w))?;
    writeln!(
        std::io::stderr(),
        "wrote {rows} rows to {}",
        args.output.display()
    )?;
    Ok(())
}
