//! `forestock setup`: start a new merchant's database (what the app's "Set up my shop" does)
//! and show what is still missing before its first plan (the app's set-up checklist).

use super::common::{report, Db, Format, Sub};
use forestock_api::merchants::{self, NewMerchant};

pub type Args = Sub<What>;

#[derive(clap::Subcommand)]
pub enum What {
    /// Create a new, empty merchant database (it must not exist yet); then `forestock connect`.
    New {
        /// The shop's name.
        #[arg(long)]
        name: String,
        /// Its currency (ISO 4217, e.g. EUR).
        #[arg(long)]
        currency: String,
        /// Its IANA time zone (e.g. America/Los_Angeles): its days start at local midnight.
        /// Default: this computer's zone, else UTC.
        #[arg(long)]
        timezone: Option<String>,
    },
    /// What is done and still missing: connect a store, initial sync, suppliers and lead
    /// times, first plan; and the date plans are made for.
    Status {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    match args.action {
        What::New {
            name,
            currency,
            timezone,
        } => {
            let path = std::path::absolute(db.path())?;
            let form = NewMerchant {
                name,
                currency,
                path: path.display().to_string(),
                timezone: timezone.unwrap_or_default(),
            };
            let store = merchants::create(&form, &super::common::stamp())?;
            print!("{}", merchants::created_text(&store, &path)?);
        }
        What::Status { format } => {
            let store = db.open()?;
            report(format, &forestock_api::setup::checklist(&store)?)?;
        }
    }
    Ok(())
}
