//! `forestock promotions list|add|edit|delete`: the promotion calendar. A promotion is for one
//! SKU or one category (optionally one location), from a first to a last day, with a discount;
//! the next plan's forecast is lifted on its days.

use super::common::{show, stamp, Calendar, Db, Entries};
use forestock_api::promotions::{self, PromotionInput};
use forestock_api::text::PlainText;

pub type Args = Calendar<PromotionInput>;

pub fn run(args: Args, db: &Db) -> anyhow::Result<()> {
    let (mut db, stamp) = (db.open()?, stamp());
    match args.action {
        Entries::List(f) => {
            let list = promotions::list(&db)?;
            show(f.format, &list.promotions, || list.text())?;
        }
        Entries::Add(p) => {
            let id = promotions::add(&mut db, &stamp, &p)?;
            println!("added promotion {id}; the next plan forecasts with it");
        }
        Entries::Edit { id, fields } => {
            promotions::edit(&mut db, &stamp, id, &fields)?;
            println!("changed promotion {id}");
        }
        Entries::Delete { id } => {
            promotions::delete(&mut db, &stamp, id)?;
            println!("deleted promotion {id}");
        }
    }
    Ok(())
}
