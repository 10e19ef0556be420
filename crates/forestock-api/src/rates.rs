//! Exchange rates the planner enters (`forestock rates list|set|delete`, the app's Settings
//! screen): units of the merchant's currency per 1 unit of a supplier's currency. The plan uses
//! them to compare a foreign line's order value with the approval threshold and to show an
//! approximate total beside the per-currency ones ([`forestock_plan::money`]). Every change is
//! audited with the stamp.

use crate::{AuditStamp, Error, Result};
use forestock_core::Store;
pub use forestock_plan::money::ExchangeRate;
use serde::Serialize;

/// The merchant's currency and the rates entered for other currencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RatesView {
    pub merchant_currency: String,
    /// By currency code.
    pub rates: Vec<ExchangeRate>,
    /// Currencies suppliers invoice in that have no rate entered, by code: their lines need
    /// approval whatever their value (it cannot be compared with the threshold).
    pub missing: Vec<String>,
}

/// The rates, and the supplier currencies still without one.
pub fn list(store: &Store) -> Result<RatesView> {
    let r = store.read();
    let merchant_currency = r.merchant()?.map(|m| m.currency).unwrap_or_default();
    let rates = forestock_plan::money::rates(&r)?;
    let mut missing: Vec<String> = r
        .suppliers()?
        .into_iter()
        .map(|s| s.currency)
        .filter(|c| *c != merchant_currency && !rates.iter().any(|x| x.currency == *c))
        .collect();
    missing.sort();
    missing.dedup();
    Ok(RatesView {
        merchant_currency,
        rates,
        missing,
    })
}

/// A rate as typed on the command line: a plain decimal number (`0.92`).
pub fn parse_rate(text: &str) -> Result<f64> {
    text.trim().parse::<f64>().map_err(|_| {
        Error::Invalid(format!(
            "the rate {:?} is not a number (give how many units of the merchant's currency one \
             unit of the other is worth, e.g. 0.92)",
            text.trim()
        ))
    })
}

/// Enter or change the rate of `currency` (validated: an ISO 4217 code other than the
/// merchant's, a finite rate above 0; audited with before/after).
pub fn set(
    store: &mut Store,
    stamp: &AuditStamp,
    currency: &str,
    rate: f64,
) -> Result<ExchangeRate> {
    Ok(forestock_plan::money::set_rate(
        store,
        currency,
        rate,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Delete the rate of `currency` (audited); returns the rate it had.
pub fn delete(store: &mut Store, stamp: &AuditStamp, currency: &str) -> Result<ExchangeRate> {
    Ok(forestock_plan::money::delete_rate(
        store,
        currency,
        &stamp.actor,
        stamp.at,
    )?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{FrontDoor, Merchant, NewSupplier};

    fn store() -> Store {
        let mut store = Store::in_memory().unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let w = store.write().unwrap();
        w.set_merchant(&Merchant {
            name: "Shop".into(),
            currency: "EUR".into(),
            timezone: "Europe/Paris".into(),
            as_of: None,
            is_demo: false,
            created_at: at,
        })
        .unwrap();
        for (name, currency) in [("Acme", "USD"), ("Brit", "GBP"), ("Local", "EUR")] {
            w.insert_supplier(&NewSupplier {
                name: name.into(),
                currency: currency.into(),
                lead_time_mean_days: 10.0,
                lead_time_sd_days: 1.0,
                moq: 1,
                case_pack: 1,
                price_breaks: vec![],
                email: None,
                notes: String::new(),
            })
            .unwrap();
        }
        w.commit().unwrap();
        store
    }

    #[test]
    fn the_list_names_the_supplier_currencies_still_without_a_rate() {
        let mut store = store();
        let stamp = AuditStamp::at(FrontDoor::App, Some("ann"), chrono::Utc::now().naive_utc());
        let v = list(&store).unwrap();
        assert_eq!(v.merchant_currency, "EUR");
        assert!(v.rates.is_empty());
        assert_eq!(v.missing, ["GBP", "USD"]);
        let set = set(&mut store, &stamp, " usd ", 0.92).unwrap();
        assert_eq!((set.currency.as_str(), set.rate), ("USD", 0.92));
        assert_eq!(set.updated_by, "app:ann");
        let v = list(&store).unwrap();
        assert_eq!(v.missing, ["GBP"]);
        assert_eq!(v.rates.len(), 1);
        delete(&mut store, &stamp, "USD").unwrap();
        assert_eq!(list(&store).unwrap().missing, ["GBP", "USD"]);
    }

    #[test]
    fn a_rate_that_is_not_a_number_is_refused_naming_it() {
        assert_eq!(parse_rate(" 0.92 ").unwrap(), 0.92);
        let e = parse_rate("0,92").unwrap_err().to_string();
        assert!(e.contains("\"0,92\" is not a number"), "{e}");
    }
}
