//! `forestock overrides list|add|edit|delete`: manual forecast overrides. An override is the
//! planner's own judgement on top of the statistical forecast for a period — a percentage
//! change (`--percent 30`) or a fixed daily quantity (`--daily-qty 12`) — for one SKU or one
//! category (optionally one location), with a reason; the next plan applies it.

use super::common::{show, stamp, Calendar, Db, Entries};
use chrono::NaiveDate;
use forestock_api::overrides::{self, OverrideInput, OverrideKind};
use forestock_api::text::PlainText;

pub type Args = Calendar<Fields>;

/// [`OverrideInput`] as typed: its kind and value are one of two flags.
#[derive(clap::Args, Clone)]
pub struct Fields {
    /// The SKU it is for (or --category).
    #[arg(long)]
    sku: Option<String>,
    /// The category it is for (or --sku).
    #[arg(long)]
    category: Option<String>,
    /// Only at this location (code); every location when left out.
    #[arg(long)]
    location: Option<String>,
    /// First day, YYYY-MM-DD.
    #[arg(long)]
    start: NaiveDate,
    /// Last day, YYYY-MM-DD.
    #[arg(long)]
    end: NaiveDate,
    /// Change the forecast by this many percent (above -100, at most +1000).
    #[arg(long, allow_negative_numbers = true, conflicts_with = "daily_qty")]
    #[arg(required_unless_present = "daily_qty")]
    percent: Option<f64>,
    /// Set the forecast to this many units a day.
    #[arg(long)]
    daily_qty: Option<f64>,
    /// Why (required): e.g. "influencer campaign".
    #[arg(long)]
    reason: String,
}

impl From<Fields> for OverrideInput {
    fn from(f: Fields) -> Self {
        let (kind, value) = match (f.percent, f.daily_qty) {
            (_, Some(q)) => (OverrideKind::DailyQty, q),
            (p, None) => (OverrideKind::Percent, p.unwrap_or(0.0)),
        };
        let (sku, category, location, reason) = (f.sku, f.category, f.location, f.reason);
        let (start, end) = (f.start, f.end);
        OverrideInput {
            sku,
            category,
            location,
            start,
            end,
            kind,
            value,
            reason,
        }
    }
}

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut db, stamp) = (db.open()?, stamp());
    match args.action {
        Entries::List(f) => {
            let list = overrides::list(&db)?;
            show(f.format, &list.overrides, || list.text())?;
        }
        Entries::Add(f) => {
            let id = overrides::add(&mut db, &stamp, &f.into())?;
            println!("added forecast override {id}; the next plan applies it");
        }
        Entries::Edit { id, fields } => {
            overrides::edit(&mut db, &stamp, id, &fields.into())?;
            println!("changed forecast override {id}");
        }
        Entries::Delete { id } => {
            overrides::delete(&mut db, &stamp, id)?;
            println!("deleted forecast override {id}; the next plan forecasts without it");
        }
    }
    Ok(())
}
