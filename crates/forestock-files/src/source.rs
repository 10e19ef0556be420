//! Reading a file as it came: its format told from its bytes, its text decoded, its header
//! checked, every column kept as the file had it (CSV columns as text, so that nothing is
//! guessed before the mapping and the date order are known).

use crate::decode::{decode, TextEncoding};
use crate::error::{Error, Result};
use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// Text beyond this many bytes is read a part at a time: an order-lines CSV can hold tens of
/// millions of rows, and one frame of them all as text would take gigabytes.
pub const CHUNK_BYTES: usize = 64 << 20;

/// A file read, before any mapping.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The file's name without its folder (what the batch records).
    pub name: String,
    /// SHA-256 of the file's bytes, lower-case hex: the same file imported twice is the same batch.
    pub sha256: String,
    pub format: FileFormat,
    /// The file's first rows: all of them, except in a CSV larger than [`CHUNK_BYTES`], where
    /// they are its first part ([`SourceFile::parts`] reads the rest). The mapping is guessed
    /// from these.
    pub head: DataFrame,
    /// The number a user sees for the first data row: 2 in a CSV (its header is row 1), 1 in
    /// Parquet and JSON lines.
    pub first_row: usize,
    /// The rest of a large CSV.
    rest: Option<CsvRest>,
}

/// The parts of a large CSV after its first, read when they are walked.
#[derive(Debug, Clone)]
struct CsvRest {
    text: PartText,
    delimiter: u8,
    /// The header line, put before each part so that each parses alone.
    header: Vec<u8>,
    /// Byte ranges of the parts after the first, each ending at a line end outside quotes.
    ranges: Vec<Range<usize>>,
}

#[derive(Debug, Clone)]
enum PartText {
    /// UTF-8 without a byte order mark: read from the file part by part.
    File(PathBuf),
    /// Decoded from another encoding: held.
    Memory(Arc<String>),
}

impl SourceFile {
    /// The number a user sees for the data row at `index` (0-based).
    pub fn row_number(&self, index: usize) -> usize {
        index + self.first_row
    }

    /// Whether the file is read in more than one part.
    pub fn is_split(&self) -> bool {
        self.rest.is_some()
    }

    /// Walk the file's rows a part at a time: `visit(first_index, part)`, `first_index` being
    /// the 0-based index of the part's first row in the file. Only the named `columns` are
    /// read from the later parts (all when `None`).
    pub fn parts(
        &self,
        columns: Option<&[String]>,
        mut visit: impl FnMut(usize, DataFrame) -> Result<()>,
    ) -> Result<()> {
        let head = match columns {
            Some(c) => self.head.select(c.iter().map(String::as_str))?,
            None => self.head.clone(),
        };
        let mut index = head.height();
        visit(0, head)?;
        let Some(rest) = &self.rest else {
            return Ok(());
        };
        let mut file = match &rest.text {
            PartText::File(path) => {
                Some(std::fs::File::open(path).map_err(|e| self.read_error(e))?)
            }
            PartText::Memory(_) => None,
        };
        for range in &rest.ranges {
            let mut bytes = rest.header.clone();
            match (&rest.text, file.as_mut()) {
                (PartText::Memory(text), _) => {
                    bytes.extend_from_slice(&text.as_bytes()[range.clone()])
                }
                (PartText::File(_), Some(f)) => {
                    use std::io::{Read, Seek, SeekFrom};
                    let start = bytes.len();
                    bytes.resize(start + range.len(), 0);
                    f.seek(SeekFrom::Start(range.start as u64))
                        .and_then(|_| f.read_exact(&mut bytes[start..]))
                        .map_err(|e| self.read_error(e))?;
                    if std::str::from_utf8(&bytes[start..]).is_err() {
                        return Err(Error::Read {
                            path: self.path.clone(),
                            detail: "the file changed while it was read".into(),
                        });
                    }
                }
                (PartText::File(_), None) => unreachable!("the file is opened above"),
            }
            let part = parse_csv(&self.path, bytes, rest.delimiter, columns)?;
            let n = part.height();
            visit(index, part)?;
            index += n;
        }
        Ok(())
    }

    /// Every row as one frame (on-hand snapshots and promotion calendars, which are small;
    /// history files are walked with [`SourceFile::parts`]).
    pub fn whole(&self) -> Result<DataFrame> {
        if self.rest.is_none() {
            return Ok(self.head.clone());
        }
        let mut all: Option<DataFrame> = None;
        self.parts(None, |_, part| {
            match &mut all {
                Some(df) => {
                    df.vstack_mut(&part)?;
                }
                None => all = Some(part),
            }
            Ok(())
        })?;
        Ok(all.unwrap_or_else(|| self.head.clone()))
    }

    /// Every data row in the file (a file in parts is counted by reading one column of it).
    pub fn count_rows(&self) -> Result<usize> {
        let Some(first) = self.head.get_column_names().first().map(|c| c.to_string()) else {
            return Ok(0);
        };
        let mut rows = 0;
        self.parts(Some(std::slice::from_ref(&first)), |_, part| {
            rows += part.height();
            Ok(())
        })?;
        Ok(rows)
    }

    fn read_error(&self, e: std::io::Error) -> Error {
        Error::Read {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }
}

/// Read `path` (CSV, Parquet or JSON lines, told from the bytes and the extension).
pub fn read_source(path: &Path) -> Result<SourceFile> {
    read_source_in_parts(path, CHUNK_BYTES)
}

/// [`read_source`] with parts of `chunk` bytes (tests use small ones).
pub(crate) fn read_source_in_parts(path: &Path, chunk: usize) -> Result<SourceFile> {
    let read_error = |e: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size as usize > chunk {
        if let Some(src) = read_large_utf8_csv(path, chunk)? {
            return Ok(src);
        }
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    if bytes.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    let ext = extension(path);
    let corrupt = |format: &'static str, detail: String| Error::Corrupt {
        path: path.to_path_buf(),
        format,
        detail,
    };
    let mut rest = None;
    // Parquet files start and end with the magic `PAR1`
    // (<https://parquet.apache.org/docs/file-format/>): a file cut short loses its footer.
    let (format, head, first_row) = if bytes.starts_with(b"PAR1") || ext == "parquet" {
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
        if looks_like_json_lines(&ext, &text) {
            let frame = JsonReader::new(Cursor::new(text.as_bytes()))
                .with_json_format(JsonFormat::JsonLines)
                .finish()
                .map_err(|e| corrupt("JSON lines", e.to_string()))?;
            (FileFormat::JsonLines, frame, 1)
        } else {
            let delimiter = sniff_delimiter(&text);
            check_header(path, &text, delimiter)?;
            let format = FileFormat::Csv {
                delimiter: char::from(delimiter),
                encoding,
            };
            let frame = if text.len() > chunk {
                // A large decoded file: parts of the text held here.
                let mut split = Splitter::new(chunk);
                split.feed(text.as_bytes());
                let (header, first, ranges) = split.finish(text.len());
                let head = text.as_bytes()[..first.end].to_vec();
                let header = text.as_bytes()[header].to_vec();
                rest = Some(CsvRest {
                    text: PartText::Memory(Arc::new(text)),
                    delimiter,
                    header,
                    ranges,
                });
                parse_csv(path, head, delimiter, None)?
            } else {
                parse_csv(path, text.into_bytes(), delimiter, None)?
            };
            (format, frame, 2)
        }
    };
    if head.height() == 0 {
        return Err(Error::NoData {
            path: path.to_path_buf(),
        });
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        name: file_name(path),
        sha256,
        format,
        head,
        first_row,
        rest,
    })
}

/// A UTF-8 CSV (no byte order mark) larger than `chunk`: hashed, checked and split into parts
/// in one pass over the file, its first part parsed. `None` when it is not one (Parquet, JSON
/// lines, another encoding): the caller reads it whole.
fn read_large_utf8_csv(path: &Path, chunk: usize) -> Result<Option<SourceFile>> {
    use std::io::Read;
    let read_error = |e: std::io::Error| Error::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let ext = extension(path);
    if matches!(ext.as_str(), "parquet" | "jsonl" | "ndjson" | "json") {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let mut buf = vec![0u8; 8 << 20];
    let mut sha = Sha256::new();
    let mut split = Splitter::new(chunk);
    let mut utf8 = Utf8Check::default();
    let mut head: Vec<u8> = Vec::new();
    let mut len = 0usize;
    loop {
        let n = file.read(&mut buf).map_err(read_error)?;
        if n == 0 {
            break;
        }
        let bytes = &buf[..n];
        if len == 0 {
            let first = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]);
            let first = first.trim_start_matches([' ', '\t', '\r', '\n']);
            if bytes.starts_with(b"PAR1")
                || bytes.starts_with(&[0xEF, 0xBB, 0xBF])
                || bytes.starts_with(&[0xFF, 0xFE])
                || bytes.starts_with(&[0xFE, 0xFF])
                || first.starts_with('{')
            {
                return Ok(None);
            }
        }
        if !utf8.feed(bytes) {
            return Ok(None);
        }
        sha.update(bytes);
        split.feed(bytes);
        // keep the bytes up to the end of the first part (found once a line ends past `chunk`)
        if split.first_end().is_none_or(|e| head.len() < e) {
            head.extend_from_slice(bytes);
        }
        len += n;
    }
    if !utf8.finish() {
        return Ok(None);
    }
    let (header, first, ranges) = split.finish(len);
    head.truncate(first.end);
    let text = std::str::from_utf8(&head).map_err(|e| Error::Read {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let delimiter = sniff_delimiter(text);
    check_header(path, text, delimiter)?;
    let header = head[header].to_vec();
    let frame = parse_csv(path, head, delimiter, None)?;
    if frame.height() == 0 {
        return Err(Error::NoData {
            path: path.to_path_buf(),
        });
    }
    Ok(Some(SourceFile {
        path: path.to_path_buf(),
        name: file_name(path),
        sha256: hex(&sha.finalize()),
        format: FileFormat::Csv {
            delimiter: char::from(delimiter),
            encoding: TextEncoding::Utf8,
        },
        head: frame,
        first_row: 2,
        rest: Some(CsvRest {
            text: PartText::File(path.to_path_buf()),
            delimiter,
            header,
            ranges,
        }),
    }))
}

/// Parse CSV text (a header line, then rows) with every column as text: the mapping and the
/// date order decide the types. Only `columns` are kept when given.
fn parse_csv(
    path: &Path,
    text: Vec<u8>,
    delimiter: u8,
    columns: Option<&[String]>,
) -> Result<DataFrame> {
    let mut options = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .map_parse_options(|o| o.with_separator(delimiter));
    if let Some(c) = columns {
        options = options.with_columns(Some(c.iter().map(|c| c.as_str().into()).collect()));
    }
    options
        .into_reader_with_file_handle(Cursor::new(text))
        .finish()
        .map_err(|e| Error::Corrupt {
            path: path.to_path_buf(),
            format: "CSV",
            detail: e.to_string(),
        })
}

/// Finds where a CSV's records end (a line end outside RFC 4180 quotes: a doubled quote inside
/// a quoted cell toggles twice), and cuts the text after its header into parts of about
/// `chunk` bytes, each ending at a record's end.
struct Splitter {
    chunk: usize,
    in_quotes: bool,
    pos: usize,
    header_end: Option<usize>,
    part_start: usize,
    ends: Vec<usize>,
}

impl Splitter {
    fn new(chunk: usize) -> Self {
        Splitter {
            chunk: chunk.max(1),
            in_quotes: false,
            pos: 0,
            header_end: None,
            part_start: 0,
            ends: Vec::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.pos += 1;
            match b {
                b'"' => self.in_quotes = !self.in_quotes,
                b'\n' if !self.in_quotes => match self.header_end {
                    None => {
                        self.header_end = Some(self.pos);
                        self.part_start = self.pos;
                    }
                    Some(_) if self.pos - self.part_start >= self.chunk => {
                        self.ends.push(self.pos);
                        self.part_start = self.pos;
                    }
                    Some(_) => {}
                },
                _ => {}
            }
        }
    }

    /// The end of the first part (header included), once known.
    fn first_end(&self) -> Option<usize> {
        self.ends.first().copied()
    }

    /// (the header's bytes, the first part's bytes from 0, the later parts' ranges).
    fn finish(self, len: usize) -> (Range<usize>, Range<usize>, Vec<Range<usize>>) {
        let header = 0..self.header_end.unwrap_or(len);
        let mut bounds = self.ends;
        if bounds.last() != Some(&len) {
            bounds.push(len);
        }
        let first = 0..bounds[0];
        let ranges = bounds
            .windows(2)
            .map(|w| w[0]..w[1])
            .filter(|r| !r.is_empty())
            .collect();
        (header, first, ranges)
    }
}

/// UTF-8 checked a buffer at a time (a character may straddle two buffers).
#[derive(Default)]
struct Utf8Check {
    carry: Vec<u8>,
}

impl Utf8Check {
    /// False at the first byte that is not UTF-8.
    fn feed(&mut self, bytes: &[u8]) -> bool {
        let mut joined;
        let bytes = if self.carry.is_empty() {
            bytes
        } else {
            joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(bytes);
            &joined[..]
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => true,
            // an incomplete character at the end waits for the next buffer
            Err(e) if e.error_len().is_none() => {
                self.carry = bytes[e.valid_up_to()..].to_vec();
                true
            }
            Err(_) => false,
        }
    }

    fn finish(self) -> bool {
        self.carry.is_empty()
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn looks_like_json_lines(ext: &str, text: &str) -> bool {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    matches!(ext, "jsonl" | "ndjson" | "json") || first.starts_with('{')
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
        let sku = src.head.column("Artikel").unwrap().str().unwrap().get(0);
        assert_eq!(sku, Some("A;1"));
        assert_eq!(src.sha256.len(), 64);
    }

    /// Order lines over several days, with a quoted cell holding a line end and a delimiter.
    fn order_lines(rows: usize) -> String {
        let mut text = String::from("order,when,sku,store,qty,price\n");
        for n in 0..rows {
            let sku = if n % 7 == 0 {
                "\"B,\nx\"".to_string()
            } else {
                format!("A{}", n % 5)
            };
            text.push_str(&format!(
                "O{n},{:02}/0{}/2024 10:{:02},{sku},S{},{},{}.5\n",
                1 + n % 28,
                1 + n % 3,
                n % 60,
                n % 2,
                1 + n % 3,
                n % 4
            ));
        }
        text
    }

    #[test]
    fn a_file_read_in_parts_gives_the_rows_and_daily_totals_it_gives_whole() {
        let dir = tempfile::tempdir().unwrap();
        let text = order_lines(500);
        let p = write(dir.path(), "lines.csv", text.as_bytes());
        let whole = read_source(&p).unwrap();
        assert!(!whole.is_split());
        let opts = crate::HistoryOptions::default();
        let expected = crate::prepare_history(&whole, &opts).unwrap();
        for chunk in [200, 1_000, 5_000] {
            let split = read_source_in_parts(&p, chunk).unwrap();
            assert!(split.is_split(), "{chunk}");
            assert_eq!(split.sha256, whole.sha256);
            assert_eq!(split.count_rows().unwrap(), 500);
            assert_eq!(split.whole().unwrap(), whole.head, "{chunk}");
            let got = crate::prepare_history(&split, &opts).unwrap();
            assert_eq!(got.rows_read, 500);
            assert_eq!(got.date_order, expected.date_order);
            assert_eq!(
                got.rows(0, usize::MAX).unwrap(),
                expected.rows(0, usize::MAX).unwrap(),
                "{chunk}"
            );
        }
    }

    #[test]
    fn a_line_repeated_in_a_later_part_is_refused_with_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = order_lines(300);
        text.push_str("O5,06/03/2024 10:05,A0,S1,3,1.5\n"); // row 302 repeats row 7
        let p = write(dir.path(), "dup.csv", text.as_bytes());
        let e = crate::prepare_history(
            &read_source_in_parts(&p, 500).unwrap(),
            &crate::HistoryOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("duplicated order lines"), "{e}");
        assert!(e.to_string().contains("row 302"), "{e}");
    }

    #[test]
    fn the_date_order_of_a_file_in_parts_is_read_from_every_part() {
        let dir = tempfile::tempdir().unwrap();
        // Ambiguous dates first (day and month both ≤ 12); a 13th day only near the end.
        let mut text = String::from("sku,location,date,units\n");
        for d in 1..=12 {
            for s in 0..20 {
                text.push_str(&format!("S{s},W,{d:02}/03/2024,1\n"));
            }
        }
        text.push_str("S0,W,13/03/2024,2\n");
        let p = write(dir.path(), "dmy.csv", text.as_bytes());
        let split = read_source_in_parts(&p, 300).unwrap();
        assert!(split.is_split());
        let h = crate::prepare_history(&split, &crate::HistoryOptions::default()).unwrap();
        assert_eq!(h.date_order, Some(crate::DateOrder::Dmy));
        assert_eq!(h.daily.height(), 20 * 12 + 1);
    }

    #[test]
    fn a_large_latin1_file_is_decoded_then_read_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("Artikel;Lager;Datum;Menge\n");
        for d in 1..=28 {
            text.push_str(&format!("Käse;Köln;{d:02}.02.2024;{d}\n"));
        }
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let p = write(dir.path(), "de.csv", &latin1);
        let split = read_source_in_parts(&p, 100).unwrap();
        assert!(split.is_split());
        assert!(matches!(
            split.format,
            FileFormat::Csv {
                delimiter: ';',
                encoding: TextEncoding::Latin1
            }
        ));
        let h = crate::prepare_history(&split, &crate::HistoryOptions::default()).unwrap();
        assert_eq!(h.rows_read, 28);
        let total: i64 = h.rows(0, 100).unwrap().iter().map(|r| r.units).sum();
        assert_eq!(total, (1..=28).sum::<i64>());
        assert_eq!(h.rows(0, 1).unwrap()[0].sku, "Käse");
    }
}
