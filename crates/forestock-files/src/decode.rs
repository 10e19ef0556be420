//! Text files as they come from spreadsheets and POS exports: UTF-8 (with or without a byte
//! order mark), UTF-16 LE/BE with a byte order mark (Excel's "Unicode text"), or Latin-1
//! (Excel's "CSV" on a Western-European Windows). Anything else is refused rather than read
//! as mojibake.

use crate::error::{Error, Result};
use encoding_rs::{Encoding, WINDOWS_1252};
use serde::Serialize;
use std::path::Path;

/// The encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// ISO 8859-1 as Windows writes it (windows-1252, which the WHATWG Encoding Standard uses
    /// for every "latin1" / "iso-8859-1" label: <https://encoding.spec.whatwg.org/#names-and-labels>).
    Latin1,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Utf16Le => "UTF-16 LE",
            TextEncoding::Utf16Be => "UTF-16 BE",
            TextEncoding::Latin1 => "Latin-1",
        }
    }
}

/// Decode `bytes` (the whole file) to UTF-8 text.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, TextEncoding)> {
    let refuse = |detail: String| Error::Encoding {
        path: path.to_path_buf(),
        detail,
    };
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let which = match enc.name() {
            "UTF-8" => TextEncoding::Utf8Bom,
            "UTF-16LE" => TextEncoding::Utf16Le,
            _ => TextEncoding::Utf16Be,
        };
        let text = enc
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .ok_or_else(|| {
                refuse(format!(
                    "invalid {} after its byte order mark",
                    which.as_str()
                ))
            })?;
        return Ok((text.into_owned(), which));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), TextEncoding::Utf8));
    }
    // Not UTF-8: Latin-1 if every byte is text in windows-1252. NUL and other control bytes
    // mean UTF-16 without a byte order mark or a binary file; 0x81, 0x8D, 0x8F, 0x90 and 0x9D
    // are unassigned in windows-1252 (<https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT>).
    if let Some(at) = bytes.iter().position(|&b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7f
            || matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d)
    }) {
        let hint = if bytes[at] == 0 {
            " (UTF-16 without a byte order mark, or not a text file)"
        } else {
            ""
        };
        return Err(refuse(format!(
            "byte 0x{:02X} at offset {at} is not text in UTF-8 or Latin-1{hint}",
            bytes[at]
        )));
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), TextEncoding::Latin1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut out = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let b = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend(b);
        }
        out
    }

    #[test]
    fn every_supported_encoding_reads_to_the_same_text() {
        let text = "Artikel;Menge;Datum\nMüsli;3;01/02/2024\n";
        let p = Path::new("x.csv");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        let (latin1, _, _) = WINDOWS_1252.encode(text);
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (bom, TextEncoding::Utf8Bom),
            (utf16(text, false), TextEncoding::Utf16Le),
            (utf16(text, true), TextEncoding::Utf16Be),
            (latin1.into_owned(), TextEncoding::Latin1),
        ] {
            assert_eq!(decode(p, &bytes).unwrap(), (text.to_string(), enc));
        }
    }

    #[test]
    fn utf16_without_a_bom_and_binary_files_are_refused_naming_the_byte() {
        let mut no_bom = utf16("sku,units\n", false);
        no_bom.drain(..2);
        no_bom.push(0xE9); // not valid UTF-8 either
        let e = decode(Path::new("x.csv"), &no_bom).unwrap_err();
        assert!(matches!(e, Error::Encoding { .. }), "{e}");
        assert!(
            e.to_string().contains("UTF-16 without a byte order mark"),
            "{e}"
        );
        let e = decode(Path::new("x.csv"), b"sku\x81units\xff").unwrap_err();
        assert!(e.to_string().contains("0x81"), "{e}");
    }
}
