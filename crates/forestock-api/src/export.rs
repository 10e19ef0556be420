//! Typed exports (`forestock export history|forecast|plan|pos|audit`, the app's "Export…"):
//! one data frame per kind, written as Parquet or CSV through [`OutputFile`] (never onto the
//! database, atomically).

use crate::Result;
use forestock_core::{OutputFile, Store};
pub use forestock_files::export::{ExportFormat, ExportKind};
use serde::Deserialize;

/// What the app asks for, by name (`history`, …; `parquet` or `csv`).
// The CLI's help is given as `help` here: a doc comment would also reach the TypeScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum ExportWhat {
    #[cfg_attr(
        feature = "clap",
        value(
            help = "The daily demand history (synced orders and imported history, as the \
            forecaster reads it)."
        )
    )]
    History,
    #[cfg_attr(
        feature = "clap",
        value(help = "The latest forecast run, per SKU, location and day.")
    )]
    Forecast,
    #[cfg_attr(feature = "clap", value(help = "The latest plan's lines."))]
    Plan,
    #[cfg_attr(feature = "clap", value(help = "Purchase orders, one row per line."))]
    Pos,
    #[cfg_attr(feature = "clap", value(help = "The audit log."))]
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum ExportAs {
    Parquet,
    Csv,
}

impl From<ExportWhat> for ExportKind {
    fn from(w: ExportWhat) -> Self {
        match w {
            ExportWhat::History => ExportKind::History,
            ExportWhat::Forecast => ExportKind::Forecast,
            ExportWhat::Plan => ExportKind::Plan,
            ExportWhat::Pos => ExportKind::Pos,
            ExportWhat::Audit => ExportKind::Audit,
        }
    }
}

impl From<ExportAs> for ExportFormat {
    fn from(f: ExportAs) -> Self {
        match f {
            ExportAs::Parquet => ExportFormat::Parquet,
            ExportAs::Csv => ExportFormat::Csv,
        }
    }
}

/// The default file name: `forestock-history.parquet`, `forestock-pos.csv`, …
pub fn file_name(what: ExportWhat, format: ExportAs) -> String {
    let what = match what {
        ExportWhat::History => "history",
        ExportWhat::Forecast => "forecast",
        ExportWhat::Plan => "plan",
        ExportWhat::Pos => "pos",
        ExportWhat::Audit => "audit",
    };
    let ext = match format {
        ExportAs::Parquet => "parquet",
        ExportAs::Csv => "csv",
    };
    format!("forestock-{what}.{ext}")
}

/// Write `kind` as `format` to `out`; the number of rows.
pub fn export(
    store: &Store,
    kind: ExportKind,
    format: ExportFormat,
    out: &OutputFile,
) -> Result<usize> {
    out.check(&[store.path()])?;
    let mut frame = forestock_files::export::export_frame(store.read(), kind)?;
    out.write(&[store.path()], |w| {
        forestock_files::export::write_frame(&mut frame, format, w).map_err(crate::Error::from)
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_export_never_lands_on_the_database_and_writes_the_rows_it_counts() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("m.db");
        let store = Store::create(&db).unwrap();
        let e = export(
            &store,
            ExportKind::Audit,
            ExportFormat::Csv,
            &OutputFile::replacing(&db),
        )
        .unwrap_err();
        assert_eq!(
            forestock_core::Classify::kind(&e),
            forestock_core::ErrorKind::BadInput,
            "{e}"
        );
        let out = dir.path().join(file_name(ExportWhat::Audit, ExportAs::Csv));
        let rows = export(
            &store,
            ExportKind::Audit,
            ExportFormat::Csv,
            &OutputFile::new(&out, false),
        )
        .unwrap();
        assert_eq!(rows, 0);
        assert!(out.exists());
    }
}
