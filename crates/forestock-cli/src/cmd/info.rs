use crate::cmd::common::{open_db_read_only, DbArg, Format};
use forestock_core::MerchantInfo;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // read only: `info` on a file that is not a Forestock database must not change it
    let store = open_db_read_only(&args.db.db)?;
    let info = store.read().info()?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&info)?),
        Format::Text => print_text(&info),
    }
    Ok(())
}

fn print_text(i: &MerchantInfo) {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    println!("Merchant        {}", opt(i.merchant.clone()));
    println!("Currency        {}", opt(i.currency.clone()));
    println!("Data as of      {}", opt(i.as_of.map(|d| d.to_string())));
    println!("Stores          {}", i.stores);
    println!(
        "SKUs            {} ({} active) in {} products",
        i.skus, i.active_skus, i.products
    );
    println!("Locations       {}", i.locations);
    println!("Suppliers       {}", i.suppliers);
    println!(
        "Orders          {} ({} cancelled), {} lines, {} refunds",
        i.orders, i.cancelled_orders, i.order_lines, i.refunds
    );
    println!(
        "Units sold      {} (net of cancellations and refunds)",
        i.units_sold
    );
    println!(
        "Order dates     {} … {}",
        opt(i.first_order_date.map(|d| d.to_string())),
        opt(i.last_order_date.map(|d| d.to_string()))
    );
    println!("Inventory rows  {}", i.inventory_snapshots);
    println!("Promotions      {}", i.promotions);
    println!("Receipts        {}", i.receipts);
    println!(
        "Last sync       {}",
        opt(i.last_sync.map(|d| d.to_string()))
    );
    println!(
        "Last forecast   {}",
        opt(i.last_forecast_run.map(|d| d.to_string()))
    );
    println!(
        "Last plan       {}",
        opt(i.last_plan_run.map(|d| d.to_string()))
    );
}
