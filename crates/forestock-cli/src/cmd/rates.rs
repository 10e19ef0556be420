//! `forestock rates list|set|delete`: exchange rates for suppliers' currencies, as units of the
//! merchant's currency per 1 unit of the other. The plan compares a foreign line's order value
//! with the approval threshold (in the merchant's currency) with them; without a rate such a
//! line always needs approval. Every change is audited.

use super::common::{report, stamp, Db, Format, Sub};
use forestock_api::{rates, text};

pub type Args = Sub<Action>;

#[derive(clap::Subcommand)]
pub enum Action {
    /// The rates entered, and the suppliers' currencies still without one.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Enter or change the rate of CUR: RATE units of the merchant's currency per 1 CUR
    /// (e.g. `forestock rates set USD 0.92` for a shop keeping its books in EUR).
    Set {
        /// ISO 4217 code of the supplier's currency (e.g. USD).
        currency: String,
        /// Units of the merchant's currency per 1 unit of CUR, above 0.
        #[arg(allow_negative_numbers = true)]
        rate: String,
    },
    /// Delete the rate of CUR.
    Delete {
        /// ISO 4217 code (e.g. USD).
        currency: String,
    },
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let mut db = db.open()?;
    match args.action {
        Action::List { format } => {
            report(format, &rates::list(&db)?)?;
        }
        Action::Set { currency, rate } => {
            let rate = rates::parse_rate(&rate)?;
            let r = rates::set(&mut db, &stamp(), &currency, rate)?;
            let merchant = rates::list(&db)?.merchant_currency;
            print!("{}", text::rate_set(&r, &merchant));
        }
        Action::Delete { currency } => {
            let r = rates::delete(&mut db, &stamp(), &currency)?;
            print!("{}", text::rate_deleted(&r));
        }
    }
    Ok(())
}
