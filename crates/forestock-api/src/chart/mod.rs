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

/// The daily history of one SKU×location, if it has sold or has stock there.
pub fn history(r: &Reader<'_>, variant_id: i64, location_id: i64) -> Result<Option<SeriesHistory>> {
    Ok(r.series_history(variant_id, location_id)?)
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::import::{import_history, ImportOptions, Unknown};
    use forestock_core::FrontDoor;
    use forestock_files::{prepare_history, read_source, HistoryOptions};
    use std::collections::HashMap;

    /// The SKU detail reads one series through the indexes; it must be the very series the
    /// whole-history pass builds (sales net of refunds, snapshots, imported units before the
    /// first synced order, the start moved back by an import), for every SKU×location.
    #[test]
    fn one_series_read_alone_equals_the_whole_history_pass() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus: 12,
            days: 120,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        let mut store = Store::open(&path).unwrap();
        let (sku, loc, first) = {
            let r = store.read();
            let all = r.demand_history_vec();
            let s = &all[0];
            (s.sku.clone(), s.location.clone(), s.start)
        };
        // Imported sales of a known SKU before the store's first order (they count, and move
        // its start back), the same SKU at a new location, and a new SKU.
        let before = first - chrono::Days::new(20);
        let csv = format!(
            "sku,location,date,units\n{sku},{loc},{before},3\n{sku},POPUP,{before},2\n\
             NEW-1,POPUP,{before},5\n"
        );
        let file = dir.path().join("sales.csv");
        std::fs::write(&file, csv).unwrap();
        let frame =
            prepare_history(&read_source(&file).unwrap(), &HistoryOptions::default()).unwrap();
        let stamp = AuditStamp::at(FrontDoor::Cli, Some("ana"), chrono::Utc::now().naive_utc());
        let opts = ImportOptions {
            unknown: Unknown::Create,
            ..ImportOptions::default()
        };
        import_history(&mut store, &stamp, &frame, &opts).unwrap();

        let r = store.read();
        let all: HashMap<(i64, i64), SeriesHistory> = r
            .demand_history_vec()
            .into_iter()
            .map(|s| ((s.variant_id, s.location_id), s))
            .collect();
        assert!(all.len() > 20, "{}", all.len());
        assert!(
            all.values().any(|s| s.start == before),
            "the import moved a start back"
        );
        assert!(all.values().any(|s| s.sku == "NEW-1"));
        for (&(v, l), s) in &all {
            assert_eq!(
                history(&r, v, l).unwrap().as_ref(),
                Some(s),
                "{} at {}",
                s.sku,
                s.location
            );
        }
        // A SKU at a location where it never sold nor was stocked has no history.
        let new_sku = all.values().find(|s| s.sku == "NEW-1").unwrap().variant_id;
        let elsewhere = r
            .locations()
            .unwrap()
            .into_iter()
            .find(|x| x.code != "POPUP")
            .unwrap()
            .id;
        assert_eq!(history(&r, new_sku, elsewhere).unwrap(), None);
    }

    trait AllSeries {
        fn demand_history_vec(&self) -> Vec<SeriesHistory>;
    }

    impl AllSeries for Reader<'_> {
        fn demand_history_vec(&self) -> Vec<SeriesHistory> {
            let mut v = Vec::new();
            self.demand_history(|s| {
                v.push(s);
                Ok(())
            })
            .unwrap();
            v
        }
    }
}
