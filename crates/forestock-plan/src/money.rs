//! Money in more than one currency. Suppliers invoice in their own currency
//! (`suppliers.currency`) and the merchant keeps its books in another (`merchant.currency`), so
//! totals are kept per currency and never added across currencies ([`Money`],
//! [`per_currency`]).
//!
//! The planner may enter exchange rates ([`set_rate`], [`delete_rate`], [`rates`]; audited):
//! `rate` is how many units of the merchant's currency one unit of `currency` is worth. They are
//! used for two things only: comparing a foreign line's order value with the approval value
//! threshold (which is in the merchant's currency, [`Rates::to_merchant`]), and an approximate
//! total in the merchant's currency shown beside the per-currency figures, saying which rates
//! made it ([`Rates::convert`]). The per-currency figures stay the primary ones.

use crate::error::{Error, Result};
use crate::sql;
use chrono::NaiveDateTime;
use forestock_core::{NewAuditEntry, Reader, Store};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Money {
    pub currency: String,
    pub amount: f64,
}

/// Sum amounts per currency (never across currencies), ordered by currency code.
pub fn per_currency(items: impl IntoIterator<Item = (String, f64)>) -> Vec<Money> {
    let mut m: BTreeMap<String, f64> = BTreeMap::new();
    for (c, a) in items {
        *m.entry(c).or_default() += a;
    }
    m.into_iter()
        .map(|(currency, amount)| Money { currency, amount })
        .collect()
}

/// An exchange rate the planner entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExchangeRate {
    /// ISO 4217 code of the foreign currency.
    pub currency: String,
    /// Units of the merchant's currency per 1 unit of `currency`.
    pub rate: f64,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
}

/// A total converted into the merchant's currency with the entered rates: an approximation
/// shown beside the per-currency figures, never instead of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Converted {
    /// The merchant's currency.
    pub currency: String,
    pub amount: f64,
    /// The rates used (currency → merchant-currency units per unit), by currency code.
    pub rates: Vec<Money>,
    /// In words: "≈ 1,234.00 EUR at rates you entered: USD 0.92".
    pub note: String,
}

/// The merchant's currency and the rates entered for other currencies.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rates {
    pub merchant: String,
    rates: BTreeMap<String, f64>,
}

impl Rates {
    /// Rates from a list (tests, callers that already read them).
    pub fn new(merchant: &str, rates: impl IntoIterator<Item = (String, f64)>) -> Rates {
        Rates {
            merchant: merchant.to_string(),
            rates: rates.into_iter().collect(),
        }
    }

    /// The merchant's currency and the stored rates.
    pub fn load(r: &Reader<'_>) -> Result<Rates> {
        let merchant = merchant_currency(r)?;
        let rates = rates(r)?.into_iter().map(|x| (x.currency, x.rate));
        Ok(Rates::new(&merchant, rates))
    }

    /// The rate of `currency` (1 for the merchant's own), if one is entered.
    pub fn rate(&self, currency: &str) -> Option<f64> {
        if currency == self.merchant {
            Some(1.0)
        } else {
            self.rates.get(currency).copied()
        }
    }

    /// A cost in the merchant's currency (the store's cost of an item) in `currency`, at the
    /// rate entered; as it is without one (there is nothing better to go on).
    pub fn merchant_cost_in(&self, currency: &str, cost: f64) -> f64 {
        self.rate(currency)
            .filter(|r| *r > 0.0)
            .map_or(cost, |r| cost / r)
    }

    /// `amount` of `currency` in the merchant's currency; `None` without a rate.
    pub fn to_merchant(&self, currency: &str, amount: f64) -> Option<f64> {
        self.rate(currency).map(|r| amount * r)
    }

    /// Per-currency totals converted into one merchant-currency total, when at least one is
    /// foreign and every foreign one has a rate (`None` otherwise: the per-currency figures are
    /// then all there is to show).
    pub fn convert(&self, totals: &[Money]) -> Option<Converted> {
        if totals.iter().all(|m| m.currency == self.merchant) {
            return None;
        }
        let mut amount = 0.0;
        let mut used = Vec::new();
        for m in totals {
            let rate = self.rate(&m.currency)?;
            amount += m.amount * rate;
            if m.currency != self.merchant {
                used.push(Money {
                    currency: m.currency.clone(),
                    amount: rate,
                });
            }
        }
        let list: Vec<String> = used
            .iter()
            .map(|r| format!("{} {}", r.currency, r.amount))
            .collect();
        Some(Converted {
            currency: self.merchant.clone(),
            amount,
            note: format!(
                "≈ {} {} at rates you entered: {}",
                grouped(amount),
                self.merchant,
                list.join(", ")
            ),
            rates: used,
        })
    }

    /// Why a line (or PO line) of order value `value` in `currency` needs approval under
    /// `threshold` (in the merchant's currency): above it once converted, or not comparable
    /// because no rate is entered for its currency. `None` when it passes.
    pub fn value_reason(&self, currency: &str, value: f64, threshold: f64) -> Option<String> {
        match self.to_merchant(currency, value) {
            None => Some(format!(
                "no exchange rate for {currency}: the order value cannot be compared with the \
                 threshold"
            )),
            Some(v) if v > threshold && currency == self.merchant => Some(format!(
                "order value {value:.2} {currency} above the approval threshold {threshold:.2} {}",
                self.merchant
            )),
            Some(v) if v > threshold => Some(format!(
                "order value {value:.2} {currency} (≈ {v:.2} {} at the rate you entered: \
                 {currency} {}) above the approval threshold {threshold:.2} {}",
                self.merchant,
                self.rate(currency).unwrap_or(1.0),
                self.merchant
            )),
            Some(_) => None,
        }
    }
}

/// `1234.5` as `1,234.50`.
pub fn grouped(amount: f64) -> String {
    let s = format!("{:.2}", amount.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if amount < 0.0 && s != "0.00" { "-" } else { "" };
    format!("{sign}{out}.{frac}")
}

/// The merchant's currency (USD before a merchant is stored, as the alerts take it).
fn merchant_currency(r: &Reader<'_>) -> Result<String> {
    Ok(r.merchant()?
        .map_or_else(|| "USD".to_string(), |m| m.currency))
}

/// The entered rates, by currency code.
pub fn rates(r: &Reader<'_>) -> Result<Vec<ExchangeRate>> {
    let mut st = r.conn().prepare(sql::RATES_SELECT_EXCHANGE_RATES)?;
    let rows = st.query_map([], |row| {
        Ok(ExchangeRate {
            currency: row.get(0)?,
            rate: row.get(1)?,
            updated_at: row.get(2)?,
            updated_by: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A currency code as typed: trimmed and upper-cased, and known to ISO 4217 (the
/// `iso_currency` crate's table of the maintenance agency's list; the merchant and supplier
/// catalog checks use the same).
fn currency_code(currency: &str) -> Result<String> {
    let code = currency.trim().to_ascii_uppercase();
    if code.len() != 3 || iso_currency::Currency::from_code(&code).is_none() {
        return Err(Error::invalid(
            "exchange rate",
            format!(
                "{:?} is not an ISO 4217 currency code (three letters, e.g. USD, EUR, GBP)",
                currency.trim()
            ),
        ));
    }
    Ok(code)
}

fn stored(r: &Reader<'_>, code: &str) -> Result<Option<ExchangeRate>> {
    Ok(r.conn()
        .query_row(sql::RATE_SELECT_EXCHANGE_RATES, [code], |row| {
            Ok(ExchangeRate {
                currency: row.get(0)?,
                rate: row.get(1)?,
                updated_at: row.get(2)?,
                updated_by: row.get(3)?,
            })
        })
        .optional()?)
}

/// Enter (or change) the rate of `currency`: units of the merchant's currency per 1 unit of
/// it. Refused, naming the problem, for a code that is not an ISO 4217 currency, the merchant's
/// own currency, and a rate that is not a finite number above 0; nothing is written then. The
/// change is audited with the rate before and after.
pub fn set_rate(
    store: &mut Store,
    currency: &str,
    rate: f64,
    actor: &str,
    at: NaiveDateTime,
) -> Result<ExchangeRate> {
    let code = currency_code(currency)?;
    let merchant = merchant_currency(&store.read())?;
    if code == merchant {
        return Err(Error::invalid(
            "exchange rate",
            format!("{code} is the merchant's own currency: its rate is always 1"),
        ));
    }
    if !(rate.is_finite() && rate > 0.0) {
        return Err(Error::invalid(
            "exchange rate",
            format!(
                "the rate of {code} must be a number above 0 ({merchant} per 1 {code}), not {rate}"
            ),
        ));
    }
    let before = stored(&store.read(), &code)?;
    let after = ExchangeRate {
        currency: code.clone(),
        rate,
        updated_at: at,
        updated_by: actor.to_string(),
    };
    let w = store.write()?;
    w.set_exchange_rate(&code, rate, at, actor)?;
    w.audit(&NewAuditEntry {
        at,
        actor: actor.into(),
        action: "rate.set".into(),
        entity: "exchange_rates".into(),
        entity_id: code.clone(),
        before: before
            .map(|b| serde_json::json!({"currency": b.currency, "rate": b.rate, "per": merchant})),
        after: Some(serde_json::json!({"currency": code, "rate": rate, "per": merchant})),
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(after)
}

/// Delete the rate of `currency` (audited with the rate it had). Refused for a code with no
/// rate entered.
pub fn delete_rate(
    store: &mut Store,
    currency: &str,
    actor: &str,
    at: NaiveDateTime,
) -> Result<ExchangeRate> {
    let code = currency_code(currency)?;
    let Some(before) = stored(&store.read(), &code)? else {
        return Err(Error::not_found("exchange rate for", code));
    };
    let merchant = merchant_currency(&store.read())?;
    let w = store.write()?;
    w.tx().execute(sql::DELETE_RATE_EXCHANGE_RATES, [&code])?;
    w.audit(&NewAuditEntry {
        at,
        actor: actor.into(),
        action: "rate.delete".into(),
        entity: "exchange_rates".into(),
        entity_id: code.clone(),
        before: Some(
            serde_json::json!({"currency": before.currency, "rate": before.rate, "per": merchant}),
        ),
        after: None,
        reason: String::new(),
    })?;
    w.commit()?;
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(c: &str, a: f64) -> Money {
        Money {
            currency: c.into(),
            amount: a,
        }
    }

    #[test]
    fn totals_are_kept_per_currency() {
        let t = per_currency([
            ("USD".to_string(), 10.0),
            ("EUR".to_string(), 5.0),
            ("USD".to_string(), 2.5),
        ]);
        assert_eq!(t, vec![m("EUR", 5.0), m("USD", 12.5)]);
    }

    #[test]
    fn a_total_is_converted_only_with_every_rate_and_says_which() {
        let none = Rates::new("EUR", []);
        assert_eq!(none.convert(&[m("EUR", 3.0)]), None, "nothing foreign");
        assert_eq!(none.convert(&[m("EUR", 3.0), m("USD", 1.0)]), None);
        let r = Rates::new("EUR", [("USD".to_string(), 0.92)]);
        let c = r.convert(&[m("EUR", 1000.0), m("USD", 300.0)]).unwrap();
        assert!((c.amount - 1276.0).abs() < 1e-9);
        assert_eq!(c.note, "≈ 1,276.00 EUR at rates you entered: USD 0.92");
        assert_eq!(c.rates, vec![m("USD", 0.92)]);
    }

    #[test]
    fn the_value_threshold_compares_in_the_merchant_currency() {
        let r = Rates::new("EUR", [("USD".to_string(), 0.5)]);
        // 6,000 USD is 3,000 EUR: under a 5,000 EUR threshold.
        assert_eq!(r.value_reason("USD", 6000.0, 5000.0), None);
        let why = r.value_reason("USD", 12000.0, 5000.0).unwrap();
        assert!(
            why.starts_with("order value 12000.00 USD (≈ 6000.00 EUR"),
            "{why}"
        );
        assert!(r.value_reason("EUR", 6000.0, 5000.0).is_some());
        assert_eq!(
            r.value_reason("GBP", 1.0, 5000.0).as_deref(),
            Some("no exchange rate for GBP: the order value cannot be compared with the threshold")
        );
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(grouped(1234.0), "1,234.00");
        assert_eq!(grouped(1234567.891), "1,234,567.89");
        assert_eq!(grouped(12.0), "12.00");
        assert_eq!(grouped(-1234.5), "-1,234.50");
    }
}
