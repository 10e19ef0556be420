//! Typed exports (`forestock export history|forecast|plan|pos|audit`): one data frame per kind
//! with its columns typed (dates as dates, times as UTC datetimes, quantities as integers,
//! money as floats beside a `currency` column), written as Parquet or as CSV. CSV goes through
//! the one CSV writer (`forestock_core::csv_writer`) with every text cell guarded against
//! formula injection (`forestock_core::guard_text`), as the PO CSV is.

use crate::error::Result;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{csv_writer, guard_text, Reader};
use polars::prelude::*;
use rusqlite::types::ValueRef;
use std::io::Write;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The daily demand history (what the forecaster reads).
    History,
    /// The latest forecast run, per SKU × location × day.
    Forecast,
    /// The latest plan's lines.
    Plan,
    /// Purchase orders, one row per line.
    Pos,
    /// The audit log.
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Parquet,
    Csv,
}

/// A column's type in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ty {
    Text,
    Int,
    Real,
    Bool,
    Date,
    /// UTC, to the millisecond.
    DateTime,
}

/// The export of `kind` as a typed frame.
pub fn export_frame(r: Reader<'_>, kind: ExportKind) -> Result<DataFrame> {
    let currency = r.merchant()?.map(|m| m.currency).unwrap_or_default();
    match kind {
        ExportKind::History => history_frame(r, &currency),
        ExportKind::Forecast => query_frame(
            r,
            "SELECT d.run_id, v.sku, l.code, d.date, d.mean, d.p10, d.p50, d.p90, s.model \
             FROM forecast_days d \
             JOIN forecast_series s ON s.run_id = d.run_id AND s.variant_id = d.variant_id \
                  AND s.location_id = d.location_id \
             JOIN variants v ON v.id = d.variant_id JOIN locations l ON l.id = d.location_id \
             WHERE d.run_id = (SELECT max(run_id) FROM forecast_series) \
             ORDER BY v.sku, l.code, d.day",
            &[
                ("run_id", Ty::Int),
                ("sku", Ty::Text),
                ("location", Ty::Text),
                ("date", Ty::Date),
                ("mean", Ty::Real),
                ("p10", Ty::Real),
                ("p50", Ty::Real),
                ("p90", Ty::Real),
                ("model", Ty::Text),
            ],
        ),
        ExportKind::Plan => query_frame(
            r,
            "SELECT p.run_id, date(r.started_at), v.sku, l.code, s.name, p.recommended_qty, \
             p.override_qty, coalesce(p.override_qty, p.recommended_qty), p.override_reason, \
             p.status, p.needs_approval, p.order_value, \
             coalesce(s.currency, (SELECT currency FROM merchant)) \
             FROM plan_lines p JOIN runs r ON r.id = p.run_id \
             JOIN variants v ON v.id = p.variant_id JOIN locations l ON l.id = p.location_id \
             LEFT JOIN suppliers s ON s.id = p.supplier_id \
             WHERE p.run_id = (SELECT max(run_id) FROM plan_lines) ORDER BY v.sku, l.code",
            &[
                ("run_id", Ty::Int),
                ("plan_date", Ty::Date),
                ("sku", Ty::Text),
                ("location", Ty::Text),
                ("supplier", Ty::Text),
                ("recommended_qty", Ty::Int),
                ("override_qty", Ty::Int),
                ("final_qty", Ty::Int),
                ("override_reason", Ty::Text),
                ("status", Ty::Text),
                ("needs_approval", Ty::Bool),
                ("order_value", Ty::Real),
                ("currency", Ty::Text),
            ],
        ),
        ExportKind::Pos => query_frame(
            r,
            "SELECT po.number, po.status, s.name, l.code, po.order_date, po.expected_date, v.sku, \
             pl.quantity, pl.received_qty, pl.unit_cost, pl.quantity * pl.unit_cost, po.currency \
             FROM purchase_orders po JOIN po_lines pl ON pl.po_id = po.id \
             JOIN suppliers s ON s.id = po.supplier_id JOIN locations l ON l.id = po.location_id \
             JOIN variants v ON v.id = pl.variant_id ORDER BY po.id, v.sku",
            &[
                ("po_number", Ty::Text),
                ("status", Ty::Text),
                ("supplier", Ty::Text),
                ("location", Ty::Text),
                ("order_date", Ty::Date),
                ("expected_date", Ty::Date),
                ("sku", Ty::Text),
                ("quantity", Ty::Int),
                ("received_qty", Ty::Int),
                ("unit_cost", Ty::Real),
                ("line_total", Ty::Real),
                ("currency", Ty::Text),
            ],
        ),
        ExportKind::Audit => query_frame(
            r,
            "SELECT id, at, actor, action, entity, entity_id, before, after, reason \
             FROM audit_log ORDER BY id",
            &[
                ("id", Ty::Int),
                ("at", Ty::DateTime),
                ("actor", Ty::Text),
                ("action", Ty::Text),
                ("entity", Ty::Text),
                ("entity_id", Ty::Text),
                ("before", Ty::Text),
                ("after", Ty::Text),
                ("reason", Ty::Text),
            ],
        ),
    }
}

/// Write `frame` to `out`; returns the number of data rows.
pub fn write_frame(
    frame: &mut DataFrame,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<usize> {
    match format {
        ExportFormat::Parquet => {
            ParquetWriter::new(out).finish(frame)?;
        }
        ExportFormat::Csv => write_csv(frame, out)?,
    }
    Ok(frame.height())
}

fn write_csv(frame: &DataFrame, out: &mut dyn Write) -> Result<()> {
    let mut w = csv_writer(out, b',', false);
    w.write_record(frame.get_column_names().iter().map(|c| c.as_str()))
        .map_err(forestock_core::Error::from)?;
    let columns = frame.columns();
    let mut record = Vec::with_capacity(columns.len());
    for i in 0..frame.height() {
        record.clear();
        for c in columns {
            record.push(cell(c.get(i)?));
        }
        w.write_record(&record)
            .map_err(forestock_core::Error::from)?;
    }
    w.flush()?;
    Ok(())
}

/// One CSV cell: ISO dates and times, numbers as they are, text guarded.
fn cell(v: AnyValue<'_>) -> String {
    let epoch = NaiveDate::default();
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => guard_text(s),
        AnyValue::StringOwned(s) => guard_text(&s),
        AnyValue::Boolean(b) => b.to_string(),
        AnyValue::Date(days) => (epoch + chrono::Days::new(u64::try_from(days).unwrap_or(0)))
            .format("%Y-%m-%d")
            .to_string(),
        AnyValue::Datetime(ms, _, _) => chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string())
            .unwrap_or_default(),
        other => other.to_string(),
    }
}

fn history_frame(r: Reader<'_>, currency: &str) -> Result<DataFrame> {
    let (mut sku, mut loc, mut date, mut units) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut on_hand, mut price, mut promo) = (Vec::new(), Vec::new(), Vec::new());
    let epoch = NaiveDate::default();
    r.demand_history(|s| {
        for i in 0..s.units.len() {
            sku.push(s.sku.clone());
            loc.push(s.location.clone());
            date.push(i32::try_from((s.date(i) - epoch).num_days()).unwrap_or(0));
            #[allow(clippy::cast_possible_truncation)] // whole units, as the CSV export rounds
            units.push(s.units[i].round() as i64);
            on_hand.push(s.on_hand[i]);
            price.push(s.price[i]);
            promo.push(s.promo[i]);
        }
        Ok(())
    })?;
    let n = sku.len();
    Ok(DataFrame::new(
        n,
        vec![
            Column::new("sku".into(), sku),
            Column::new("location".into(), loc),
            Int32Chunked::from_vec("date".into(), date)
                .into_date()
                .into_column(),
            Column::new("units".into(), units),
            Column::new("on_hand".into(), on_hand),
            Column::new("price".into(), price),
            Column::new("currency".into(), vec![currency; n]),
            Column::new("promo".into(), promo),
        ],
    )?)
}

/// Run `sql` and build its columns typed as `spec` says.
fn query_frame(r: Reader<'_>, sql: &str, spec: &[(&str, Ty)]) -> Result<DataFrame> {
    enum Buf {
        Text(Vec<Option<String>>),
        Int(Vec<Option<i64>>),
        Real(Vec<Option<f64>>),
        Bool(Vec<Option<bool>>),
        Date(Vec<Option<i32>>),
        DateTime(Vec<Option<i64>>),
    }
    let mut bufs: Vec<Buf> = spec
        .iter()
        .map(|(_, t)| match t {
            Ty::Text => Buf::Text(Vec::new()),
            Ty::Int => Buf::Int(Vec::new()),
            Ty::Real => Buf::Real(Vec::new()),
            Ty::Bool => Buf::Bool(Vec::new()),
            Ty::Date => Buf::Date(Vec::new()),
            Ty::DateTime => Buf::DateTime(Vec::new()),
        })
        .collect();
    let epoch = NaiveDate::default();
    let mut st = r.conn().prepare(sql).map_err(forestock_core::Error::from)?;
    let mut rows = st.query([]).map_err(forestock_core::Error::from)?;
    let mut n = 0;
    while let Some(row) = rows.next().map_err(forestock_core::Error::from)? {
        n += 1;
        for (i, b) in bufs.iter_mut().enumerate() {
            let v = row.get_ref(i).map_err(forestock_core::Error::from)?;
            let text = || match v {
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Integer(x) => Some(x.to_string()),
                ValueRef::Real(x) => Some(x.to_string()),
                _ => None,
            };
            match b {
                Buf::Text(c) => c.push(text()),
                Buf::Int(c) => c.push(match v {
                    ValueRef::Integer(x) => Some(x),
                    _ => None,
                }),
                #[allow(clippy::cast_precision_loss)] // an integer amount, well within 2^53
                Buf::Real(c) => c.push(match v {
                    ValueRef::Real(x) => Some(x),
                    ValueRef::Integer(x) => Some(x as f64),
                    _ => None,
                }),
                Buf::Bool(c) => c.push(match v {
                    ValueRef::Integer(x) => Some(x != 0),
                    _ => None,
                }),
                Buf::Date(c) => c.push(
                    text()
                        .and_then(|t| NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok())
                        .and_then(|d| i32::try_from((d - epoch).num_days()).ok()),
                ),
                Buf::DateTime(c) => c.push(text().and_then(|t| {
                    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
                        .iter()
                        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
                        .map(|t| t.and_utc().timestamp_millis())
                })),
            }
        }
    }
    let columns = spec
        .iter()
        .zip(bufs)
        .map(|((name, _), b)| {
            let name = PlSmallStr::from(*name);
            match b {
                Buf::Text(v) => Column::new(name, v),
                Buf::Int(v) => Column::new(name, v),
                Buf::Real(v) => Column::new(name, v),
                Buf::Bool(v) => Column::new(name, v),
                Buf::Date(v) => Int32Chunked::from_iter_options(name, v.into_iter())
                    .into_date()
                    .into_column(),
                Buf::DateTime(v) => Int64Chunked::from_iter_options(name, v.into_iter())
                    .into_datetime(TimeUnit::Milliseconds, None)
                    .into_column(),
            }
        })
        .collect();
    Ok(DataFrame::new(n, columns)?)
}
