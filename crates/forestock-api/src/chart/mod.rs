//! A SKU×location's chart: what it shows ([`model`]: a year of history with stockouts and
//! promotions, the forecast and its band, past forecasts against what sold, the on-hand
//! projection with safety stock, reorder point and incoming orders) and its export, audited.
//! Drawing is the caller's (the desktop shell links the plotting library); the data, the file
//! name and the audit entry are decided here.

pub mod model;

pub use model::{
    chart_model, chart_model_by_code, ChartModel, ForecastInfo, ForecastPoint, Granularity,
    HistoryPoint, Incoming, PastForecastPoint, PlanFacts, ProjectionPoint,
};

use crate::{AuditStamp, Error, Result};
use forestock_core::{NewAuditEntry, OutputFile, Reader, SeriesHistory, Store};
use std::path::PathBuf;

/// Days of history a chart shows (the tail of the series).
pub const CHART_DAYS: usize = 365;

/// An exported chart's file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    /// `png` or `svg`; anything else is bad input naming the value.
    pub fn parse(s: &str) -> Result<ChartFormat> {
        match s {
            "png" => Ok(ChartFormat::Png),
            "svg" => Ok(ChartFormat::Svg),
            other => Err(Error::Invalid(format!(
                "chart format {other:?}: choose png or svg"
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// The daily history of one SKU×location, if it has sold.
///
/// The core reads every series in one pass; a per-series read in `forestock-core` would make
/// this cheaper.
pub fn history(r: &Reader<'_>, variant_id: i64, location_id: i64) -> Result<Option<SeriesHistory>> {
    let mut found = None;
    r.demand_history(|h| {
        if h.variant_id == variant_id && h.location_id == location_id {
            found = Some(h);
        }
        Ok(())
    })?;
    Ok(found)
}

/// The chart's title for a SKU at a location.
pub fn title(sku: &str, location: &str) -> String {
    format!("{sku} at {location}")
}

/// Export one SKU×location's chart at a granularity: `render` draws it, `target` gives the path for the
/// default file name (`None`: the planner cancelled, nothing is written or audited). The file
/// is written atomically, never onto the database, then the export is audited. Returns the
/// path and the bytes written.
#[allow(clippy::too_many_arguments)] // the line, how to draw it, and where it goes
pub fn export<E: From<Error>>(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: i64,
    granularity: Granularity,
    format: ChartFormat,
    render: impl FnOnce(&ChartModel, ChartFormat) -> std::result::Result<Vec<u8>, E>,
    target: impl FnOnce(&str) -> std::result::Result<Option<PathBuf>, E>,
) -> std::result::Result<Option<(PathBuf, usize)>, E> {
    let (name, bytes) = {
        let data = chart_model(store, variant_id, location_id, granularity)?;
        if data.history.is_empty() {
            return Err(Error::NotFound(format!(
                "{} at {} has no history to chart yet",
                data.sku, data.location
            ))
            .into());
        }
        let (sku, loc) = (&data.sku, &data.location);
        let bytes = render(&data, format)?;
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect()
        };
        let name = format!(
            "{}-{}{}.{}",
            safe(sku),
            safe(loc),
            match granularity {
                Granularity::Daily => "",
                Granularity::Weekly => "-weekly",
            },
            format.extension()
        );
        (name, bytes)
    };
    let Some(path) = target(&name)? else {
        return Ok(None);
    };
    OutputFile::replacing(&path)
        .write(&[store.path()], |f| {
            std::io::Write::write_all(f, &bytes).map_err(forestock_core::Error::from)
        })
        .map_err(Error::from)?;
    let w = store.write().map_err(Error::from)?;
    w.audit(&NewAuditEntry {
        at: stamp.at,
        actor: stamp.actor.clone(),
        action: "chart.export".into(),
        entity: "chart".into(),
        entity_id: format!("{variant_id}:{location_id}"),
        before: None,
        after: Some(serde_json::json!({
            "path": path.display().to_string(),
            "format": format.extension(),
            "granularity": granularity.as_str(),
        })),
        reason: String::new(),
    })
    .map_err(Error::from)?;
    w.commit().map_err(Error::from)?;
    Ok(Some((path, bytes.len())))
}
