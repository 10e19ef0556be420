//! `forestock overrides list|add|edit|delete`: manual forecast overrides. An override is the
//! planner's own judgement on top of the statistical forecast for a period — a percentage
//! change (`--percent 30`) or a fixed daily quantity (`--daily-qty 12`) — for one SKU or one
//! category (optionally one location), with a reason; the next plan applies it.

use super::common::{open_db, show, stamp, DbArg, Format, Target};
use forestock_api::overrides::{self, OverrideInput, OverrideKind};
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
    #[command(flatten)]
    pub target: Target,
    /// Change the forecast by this many percent (above -100, at most +1000).
    #[arg(
        long,
        allow_negative_numbers = true,
        conflicts_with = "daily_qty",
        required_unless_present = "daily_qty"
    )]
    pub percent: Option<f64>,
    /// Set the forecast to this many units a day.
    #[arg(long)]
    pub daily_qty: Option<f64>,
    /// Why (required): e.g. "influencer campaign".
    #[arg(long)]
    pub reason: String,
}

impl Fields {
    fn input(&self) -> OverrideInput {
        let (kind, value) = match (self.percent, self.daily_qty) {
            (_, Some(q)) => (OverrideKind::DailyQty, q),
            (p, None) => (OverrideKind::Percent, p.unwrap_or(0.0)),
        };
        OverrideInput {
            sku: self.target.sku.clone(),
            category: self.target.category.clone(),
            location: self.target.location.clone(),
            start: self.target.start,
            end: self.target.end,
            kind,
            value,
            reason: self.reason.clone(),
        }
    }
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Every override, earliest first.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Add an override.
    Add(Fields),
    /// Change override ID (every field given again).
    Edit {
        id: i64,
        #[command(flatten)]
        fields: Fields,
    },
    /// Delete override ID.
    Delete { id: i64 },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut db = open_db(&args.db.db)?;
    match args.action {
        Action::List { format } => {
            let list = overrides::list(&db)?;
            show(format, &list.overrides, || list.text())?;
        }
        Action::Add(f) => {
            let id = overrides::add(&mut db, &stamp(), &f.input())?;
            println!("added forecast override {id}; the next plan applies it");
        }
        Action::Edit { id, fields } => {
            overrides::edit(&mut db, &stamp(), id, &fields.input())?;
            println!("changed forecast override {id}");
        }
        Action::Delete { id } => {
            overrides::delete(&mut db, &stamp(), id)?;
            println!("deleted forecast override {id}; the next plan forecasts without it");
        }
    }
    Ok(())
}
