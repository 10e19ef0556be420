//! Reading a file as it came: its format told from its bytes, its text decoded, its header
//! checked, every column kept as the file had it (CSV columns as text, so that nothing is
//! guessed before the mapping and the date order are known).

use crate::decode::{decode, TextEncoding};
use crate::error::{Error, Result};
use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// What kind of file it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "format", rename_all = "kebab-case")]
pub enum FileFormat {
    Csv {
        delimiter: char,
        encoding: TextEncoding,
    },
    Parquet,
    JsonLines,
}

impl std::fmt::Display for FileFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileFormat::Csv {
                delimiter,
                encoding,
            } => write!(
                f,
                "CSV ({}-separated, {})",
                match delimiter {
                    '\t' => "tab".to_string(),
                    c => format!("{c:?}"),
                },
                encoding.as_str()
            ),
            FileFormat::Parquet => f.write_str("Parquet"),
            FileFormat::JsonLines => f.write_str("JSON lines"),
        }
    }
}

/// A file read whole, before any mapping.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file's name without its folder (what the batch records).
    pub name: String,
    /// SHA-256 of the file's bytes, lower-case hex: the same file imported twice is the same batch.
    pub sha256: String,
    pub format: FileFormat,
    pub frame: DataFrame,
    /// The number a user sees for the first data row: 2 in a CSV (its header is row 1), 1 in
    /// Parquet and JSON lines.
    pub first_row: usize,
}

impl SourceFile {
    /// The number a user sees for the data row at `index` (0-based).
    pub fn row_number(&self, index: usize) -> usize {
        index + self.first_row
    }
}

/// Read `path` (CSV, Parquet or JSON lines, told from the bytes and the extension).
pub fn read_source(path: &Path) -> Result<SourceFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    if bytes.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let corrupt = |format: &'static str, detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        format,
        detail,
    };
    // Parquet files start and end with the magic `PAR1`
    // (<https://parquet.apache.org/docs/file-format/>): a file cut short loses its footer.
    let (format, frame, first_row) = if bytes.starts_with(b"PAR1") || ext == "parquet" {
        if !bytes.starts_with(b"PAR1") || !bytes.ends_with(b"PAR1") || bytes.len() < 12 {
            return Err(corrupt(
                "Parquet",
                "it does not start and end with the Parquet magic bytes (truncated or not Parquet)"
                    .into(),
            ));
        }
        let frame = ParquetReader::new(Cursor::new(bytes))
            .finish()
            .map_err(|e| corrupt("Parquet", e.to_string()))?;
        (FileFormat::Parquet, frame, 1)
    } else {
        let (text, encoding) = text_of(path, bytes)?;
        let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        if matches!(ext.as_str(), "jsonl" | "ndjson" | "json") || first.starts_with('{') {
            let frame = JsonReader::new(Cursor::new(text.as_bytes()))
                .with_json_format(JsonFormat::JsonLines)
                .finish()
                .map_err(|e| corrupt("JSON lines", e.to_string()))?;
            (FileFormat::JsonLines, frame, 1)
        } else {
            let delimiter = sniff_delimiter(&text);
            check_header(path, &text, delimiter)?;
            let frame = CsvReadOptions::default()
                .with_has_header(true)
                // every column as text: the mapping and the date order decide the types
                .with_infer_schema_length(Some(0))
                .map_parse_options(|o| o.with_separator(delimiter))
                .into_reader_with_file_handle(Cursor::new(text.as_bytes()))
                .finish()
                .map_err(|e| corrupt("CSV", e.to_string()))?;
            let format = FileFormat::Csv {
                delimiter: char::from(delimiter),
                encoding,
            };
            (format, frame, 2)
        }
    };
    if frame.height() == 0 {
        return Err(Error::NoData {
            path: path.to_path_buf(),
        });
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256,
        format,
        frame,
        first_row,
    })
}

/// The text of a file: UTF-8 without a byte order mark is used as it is (no copy of a
/// 400 MB file), anything else decoded.
fn text_of(path: &Path, bytes: Vec<u8>) -> Result<(String, TextEncoding)> {
    match String::from_utf8(bytes) {
        Ok(s) if !s.starts_with('\u{feff}') => Ok((s, TextEncoding::Utf8)),
        Ok(s) => decode(path, s.as_bytes()),
        Err(e) => decode(path, e.as_bytes()),
    }
}

/// The delimiter that splits the first lines into the most columns, the same number on each
/// line (RFC 4180 quoting understood by the `csv` crate); `,` when nothing splits.
fn sniff_delimiter(text: &str) -> u8 {
    let sample: String = text.lines().take(50).collect::<Vec<_>>().join("\n");
    let mut best = (b',', 1usize);
    for d in [b',', b';', b'\t', b'|'] {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(d)
            .from_reader(sample.as_bytes());
        let widths: Vec<usize> = reader
            .records()
            .map_while(std::result::Result::ok)
            .map(|r| r.len())
            .collect();
        let Some(&w) = widths.first() else { continue };
        if w > best.1 && widths.iter().all(|&x| x == w) {
            best = (d, w);
        }
    }
    best.0
}

/// A header row names its columns: refuse a first row with an empty name or a cell that is
/// a number or a date (the file starts with data).
fn check_header(path: &Path, text: &str, delimiter: u8) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let no_header = |detail: String| Error::NoHeader {
        path: path.to_path_buf(),
        detail,
    };
    let Some(Ok(first)) = reader.records().next() else {
        return Err(no_header("the first line cannot be read".into()));
    };
    for (i, cell) in first.iter().enumerate() {
        let cell = cell.trim();
        if cell.is_empty() {
            return Err(no_header(format!("column {} of row 1 has no name", i + 1)));
        }
        let looks_like_data =
            cell.parse::<f64>().is_ok() || crate::dates::parse_any(cell).is_some();
        if looks_like_data {
            return Err(no_header(format!(
                "row 1 holds the value {cell:?} where a column name is expected; add a header row \
                 (e.g. sku,location,date,units)"
            )));
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_every_line_alike() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b\n\"x;y\",2\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), b'|');
    }

    #[test]
    fn empty_headerless_and_truncated_files_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_source(&write(dir.path(), "e.csv", b"")).unwrap_err();
        assert!(matches!(e, Error::Empty { .. }), "{e}");
        let e = read_source(&write(dir.path(), "h.csv", b"A1,CA_1,2024-01-02,3\n")).unwrap_err();
        assert!(matches!(e, Error::NoHeader { .. }), "{e}");
        assert!(e.to_string().contains("\"2024-01-02\""), "{e}");
        let e = read_source(&write(dir.path(), "t.parquet", b"PAR1\x15\x04garbage")).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Corrupt {
                    format: "Parquet",
                    ..
                }
            ),
            "{e}"
        );
        let e = read_source(&write(dir.path(), "n.csv", b"sku,units\n")).unwrap_err();
        assert!(matches!(e, Error::NoData { .. }), "{e}");
    }

    #[test]
    fn a_quoted_semicolon_file_keeps_its_cells_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "q.csv",
            "Artikel;Lager;Datum;Menge\n\"A;1\";Köln;01.02.2024;3\n".as_bytes(),
        );
        let src = read_source(&p).unwrap();
        assert_eq!(
            src.format,
            FileFormat::Csv {
                delimiter: ';',
                encoding: TextEncoding::Utf8
            }
        );
        let sku = src.frame.column("Artikel").unwrap().str().unwrap().get(0);
        assert_eq!(sku, Some("A;1"));
        assert_eq!(src.sha256.len(), 64);
    }
}
