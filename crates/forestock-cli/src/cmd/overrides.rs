//! `forestock overrides list|add|edit|delete`: manual forecast overrides. An override is the
//! planner's own judgement on top of the statistical forecast for a period — a percentage
//! change (`--percent 30`) or a fixed daily quantity (`--daily-qty 12`) — for one SKU or one
//! category (optionally one location), with a reason; the next plan applies it.

use super::common::{show, stamp, Calendar, Db, Entries};
use forestock_api::overrides::{self, OverrideFlags};
use forestock_api::text::PlainText;

pub type Args = Calendar<OverrideFlags>;

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
