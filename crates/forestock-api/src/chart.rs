//! A SKU×location's chart: what it shows (a year of daily demand, stock and promotion days)
//! and its export, audited. Drawing is the caller's (the desktop shell links the plotting
//! library); the data, the file name and the audit entry are decided here.

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

/// What a chart draws: its title and the series' daily history.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub title: String,
    pub history: SeriesHistory,
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

/// Export one SKU×location's chart: `render` draws it, `target` gives the path for the
/// default file name (`None`: the planner cancelled, nothing is written or audited). The file
/// is written atomically, never onto the database, then the export is audited. Returns the
/// path and the bytes written.
pub fn export<E: From<Error>>(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: i64,
    format: ChartFormat,
    render: impl FnOnce(&ChartData, ChartFormat) -> std::result::Result<Vec<u8>, E>,
    target: impl FnOnce(&str) -> std::result::Result<Option<PathBuf>, E>,
) -> std::result::Result<Option<(PathBuf, usize)>, E> {
    let (name, bytes) = {
        let r = store.read();
        let sku = r
            .skus()
            .map_err(Error::from)?
            .into_iter()
            .find(|s| s.id == variant_id);
        let loc = r
            .locations()
            .map_err(Error::from)?
            .into_iter()
            .find(|l| l.id == location_id);
        let (Some(sku), Some(loc)) = (sku, loc) else {
            return Err(Error::NotFound(format!(
                "SKU {variant_id} at location {location_id} not found"
            ))
            .into());
        };
        let history = history(&r, variant_id, location_id)?.ok_or_else(|| {
            Error::NotFound(format!(
                "{} at {} has no history to chart yet",
                sku.sku, loc.code
            ))
        })?;
        let data = ChartData {
            title: title(&sku.sku, &loc.code),
            history,
        };
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
            "{}-{}.{}",
            safe(&sku.sku),
            safe(&loc.code),
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
        })),
        reason: String::new(),
    })
    .map_err(Error::from)?;
    w.commit().map_err(Error::from)?;
    Ok(Some((path, bytes.len())))
}
