//! `forestock promotions list|add|edit|delete`: the promotion calendar. A promotion is for one
//! SKU or one category (optionally one location), from a first to a last day, with a discount;
//! the next plan's forecast is lifted on its days.

use super::common::{open_db, show, stamp, DbArg, Format, Target};
use forestock_api::promotions::{self, PromotionInput};
use forestock_api::text::PlainText;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Args, Clone)]
pub struct Fields {
    /// A name for the promotion (e.g. "Summer sale").
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub target: Target,
    /// Discount in percent (0 to below 100).
    #[arg(long, default_value_t = 0.0)]
    pub discount: f64,
}

impl Fields {
    fn input(&self) -> PromotionInput {
        PromotionInput {
            name: self.name.clone(),
            sku: self.target.sku.clone(),
            category: self.target.category.clone(),
            location: self.target.location.clone(),
            start: self.target.start,
            end: self.target.end,
            discount_pct: self.discount,
        }
    }
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Every promotion, with the latest plan's forecast over its days.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Add a planned promotion.
    Add(Fields),
    /// Change promotion ID (every field given again).
    Edit {
        id: i64,
        #[command(flatten)]
        fields: Fields,
    },
    /// Delete promotion ID.
    Delete { id: i64 },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut db = open_db(&args.db.db)?;
    match args.action {
        Action::List { format } => {
            let list = promotions::list(&db)?;
            show(format, &list.promotions, || list.text())?;
        }
        Action::Add(f) => {
            let id = promotions::add(&mut db, &stamp(), &f.input())?;
            println!("added promotion {id}; the next plan forecasts with it");
        }
        Action::Edit { id, fields } => {
            promotions::edit(&mut db, &stamp(), id, &fields.input())?;
            println!("changed promotion {id}");
        }
        Action::Delete { id } => {
            promotions::delete(&mut db, &stamp(), id)?;
            println!("deleted promotion {id}");
        }
    }
    Ok(())
}
