//! The supplier CSV of purchase orders and its configurable layout.
//!
//! A supplier's or ERP's import expects its own columns, headers and delimiter (many European
//! spreadsheet locales read `;`). A layout is written as a short spec that a planner can type
//! in settings or on the command line: `field[=Header],field[=Header],...`, for example
//! `supplier_sku=Item No,quantity=Qty,unit_cost=Price`. The default is the column set of
//! API-NOTES §5.1's recommended export. Output is RFC 4180, UTF-8, CRLF; free text is guarded
//! against formula injection (OWASP "CSV Injection"), numbers stay plain numbers.
//!
//! The file starts with a UTF-8 byte order mark by default: suppliers open these files in
//! Excel, which reads a CSV without one in the system's legacy code page and garbles
//! non-ASCII names (`Müller GmbH` → `MÃ¼ller GmbH`). An ERP import that rejects the mark can
//! have it left out ([`CsvLayout::bom`], `forestock po export --no-bom`).

// the formula-injection guard and CSV writer shared with every other export
use forestock_core::{csv_writer, guard_text, UTF8_BOM};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::po::PurchaseOrder;

/// A value a PO CSV column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoField {
    PoNumber,
    SupplierName,
    OrderDate,
    ExpectedDate,
    ShipToLocation,
    Sku,
    SupplierSku,
    Barcode,
    Description,
    Quantity,
    UnitCost,
    Currency,
    LineTotal,
    Notes,
}

impl PoField {
    /// Every field, in the default column order.
    pub const ALL: [PoField; 14] = [
        PoField::PoNumber,
        PoField::SupplierName,
        PoField::OrderDate,
        PoField::ExpectedDate,
        PoField::ShipToLocation,
        PoField::Sku,
        PoField::SupplierSku,
        PoField::Barcode,
        PoField::Description,
        PoField::Quantity,
        PoField::UnitCost,
        PoField::Currency,
        PoField::LineTotal,
        PoField::Notes,
    ];

    /// The field's name in a layout spec (and its default header).
    pub fn name(self) -> &'static str {
        match self {
            PoField::PoNumber => "po_number",
            PoField::SupplierName => "supplier_name",
            PoField::OrderDate => "order_date",
            PoField::ExpectedDate => "expected_date",
            PoField::ShipToLocation => "ship_to_location",
            PoField::Sku => "sku",
            PoField::SupplierSku => "supplier_sku",
            PoField::Barcode => "barcode",
            PoField::Description => "description",
            PoField::Quantity => "quantity",
            PoField::UnitCost => "unit_cost",
            PoField::Currency => "currency",
            PoField::LineTotal => "line_total",
            PoField::Notes => "notes",
        }
    }

    fn parse(s: &str) -> Option<PoField> {
        PoField::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// One column: what it holds and the header it is written under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoColumn {
    pub field: PoField,
    pub header: String,
}

/// Columns and delimiter of a PO CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvLayout {
    pub columns: Vec<PoColumn>,
    pub delimiter: u8,
    /// Start the file with a UTF-8 byte order mark (default: yes, for Excel; see the module).
    pub bom: bool,
}

impl Default for CsvLayout {
    fn default() -> Self {
        CsvLayout {
            columns: PoField::ALL
                .into_iter()
                .map(|field| PoColumn {
                    field,
                    header: field.name().to_string(),
                })
                .collect(),
            delimiter: b',',
            bom: true,
        }
    }
}

/// The default layout written as a spec.
pub fn default_spec() -> String {
    CsvLayout::default().spec()
}

impl CsvLayout {
    /// Parse a spec (`field[=Header],...`; an empty spec is the default layout) and a
    /// delimiter (`,`, `;`, `tab` or `|`). Errors name the bad part and list what is allowed.
    pub fn parse(spec: &str, delimiter: &str) -> Result<CsvLayout> {
        let delimiter = match delimiter.trim() {
            "" | "," => b',',
            ";" => b';',
            "tab" | "\t" => b'\t',
            "|" => b'|',
            other => {
                return Err(Error::invalid(
                    "PO CSV layout",
                    format!("delimiter {other:?} is not one of: , ; tab |"),
                ))
            }
        };
        if spec.trim().is_empty() {
            return Ok(CsvLayout {
                delimiter,
                ..CsvLayout::default()
            });
        }
        let mut columns: Vec<PoColumn> = Vec::new();
        for part in spec.split(',') {
            let part = part.trim();
            let (name, header) = match part.split_once('=') {
                Some((n, h)) => (n.trim(), h.trim()),
                None => (part, part),
            };
            let field = PoField::parse(name).ok_or_else(|| {
                let known: Vec<&str> = PoField::ALL.iter().map(|f| f.name()).collect();
                Error::invalid(
                    "PO CSV layout",
                    format!("unknown column {name:?} (known: {})", known.join(", ")),
                )
            })?;
            if header.is_empty() {
                return Err(Error::invalid(
                    "PO CSV layout",
                    format!("column {name:?} has an empty header"),
                ));
            }
            if header.chars().any(char::is_control) {
                return Err(Error::invalid(
                    "PO CSV layout",
                    format!("the header of column {name:?} contains a control character"),
                ));
            }
            if columns.iter().any(|c| c.header == header) {
                return Err(Error::invalid(
                    "PO CSV layout",
                    format!("header {header:?} appears twice"),
                ));
            }
            columns.push(PoColumn {
                field,
                header: header.to_string(),
            });
        }
        if !columns.iter().any(|c| c.field == PoField::Quantity) {
            return Err(Error::invalid(
                "PO CSV layout",
                "a purchase order needs a quantity column",
            ));
        }
        if !columns.iter().any(|c| {
            matches!(
                c.field,
                PoField::Sku | PoField::SupplierSku | PoField::Barcode
            )
        }) {
            return Err(Error::invalid(
                "PO CSV layout",
                "a purchase order needs an item column: sku, supplier_sku or barcode",
            ));
        }
        Ok(CsvLayout {
            columns,
            delimiter,
            bom: true,
        })
    }

    /// The layout written back as a spec (a header equal to the field name is left out).
    pub fn spec(&self) -> String {
        self.columns
            .iter()
            .map(|c| {
                if c.header == c.field.name() {
                    c.field.name().to_string()
                } else {
                    format!("{}={}", c.field.name(), c.header)
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The CSV of several POs under one header row.
    pub fn write(&self, pos: &[&PurchaseOrder]) -> Result<String> {
        let mut w = csv_writer(Vec::new(), self.delimiter, true);
        // Headers are the planner's own text, but a guarded header is harmless and safe.
        w.write_record(self.columns.iter().map(|c| guard_text(&c.header)))?;
        for po in pos {
            for l in &po.lines {
                w.write_record(self.columns.iter().map(|c| match c.field {
                    PoField::PoNumber => guard_text(&po.number),
                    PoField::SupplierName => guard_text(&po.supplier),
                    PoField::OrderDate => po.order_date.to_string(),
                    PoField::ExpectedDate => po.expected_date.to_string(),
                    PoField::ShipToLocation => guard_text(&po.location),
                    PoField::Sku => guard_text(&l.sku),
                    PoField::SupplierSku => guard_text(l.supplier_sku.as_deref().unwrap_or("")),
                    PoField::Barcode => guard_text(l.barcode.as_deref().unwrap_or("")),
                    PoField::Description => guard_text(&l.description),
                    PoField::Quantity => l.quantity.to_string(),
                    PoField::UnitCost => format!("{:.2}", l.unit_cost),
                    PoField::Currency => guard_text(&po.currency),
                    PoField::LineTotal => format!("{:.2}", l.quantity as f64 * l.unit_cost),
                    PoField::Notes => guard_text(&l.notes),
                }))?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::State(format!("CSV buffer: {e}")))?;
        let text =
            String::from_utf8(bytes).map_err(|e| Error::State(format!("CSV is not UTF-8: {e}")))?;
        Ok(if self.bom {
            format!("{UTF8_BOM}{text}")
        } else {
            text
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_spec_round_trips() {
        let l = CsvLayout::parse(&default_spec(), ",").unwrap();
        assert_eq!(l, CsvLayout::default());
        assert!(default_spec().starts_with("po_number,supplier_name,"));
    }

    #[test]
    fn custom_spec_keeps_order_headers_and_delimiter() {
        let l = CsvLayout::parse("supplier_sku=Item No, quantity = Qty ,unit_cost", ";").unwrap();
        assert_eq!(l.delimiter, b';');
        let got: Vec<(&str, &str)> = l
            .columns
            .iter()
            .map(|c| (c.field.name(), c.header.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("supplier_sku", "Item No"),
                ("quantity", "Qty"),
                ("unit_cost", "unit_cost")
            ]
        );
        assert_eq!(l.spec(), "supplier_sku=Item No,quantity=Qty,unit_cost");
    }

    #[test]
    fn bad_specs_name_the_problem() {
        let msg = |spec: &str, d: &str| CsvLayout::parse(spec, d).unwrap_err().to_string();
        assert!(msg("sku,qty", ",").contains("unknown column \"qty\""));
        assert!(msg("sku,quantity=", ",").contains("empty header"));
        assert!(msg("sku=A,quantity=A", ",").contains("appears twice"));
        assert!(msg("sku,unit_cost", ",").contains("quantity column"));
        assert!(msg("quantity,notes", ",").contains("item column"));
        assert!(msg("", ":").contains("delimiter"));
    }

    #[test]
    fn po_csv_has_a_bom_for_excel() {
        let po: PurchaseOrder = serde_json::from_value(serde_json::json!({
            "id": 1, "number": "PO-00001", "status": "approved", "supplier_id": 1,
            "supplier": "Müller GmbH", "location_id": 1, "location": "WH1",
            "order_date": "2026-11-25", "expected_date": "2026-12-09", "currency": " =EUR",
            "notes": "", "total": 10.0, "lines": [{"variant_id": 1, "sku": "S-1", "description": "Zwölf",
            "quantity": 2, "unit_cost": 5.0, "received_qty": 0, "notes": "a\rb"}]
        }))
        .unwrap();
        let text = CsvLayout::default().write(&[&po]).unwrap();
        assert!(text.starts_with("\u{feff}po_number,"), "{text:?}");
        assert!(text.contains(",Müller GmbH,"), "UTF-8 as is: {text:?}");
        assert!(
            text.contains(",' =EUR,"),
            "the currency is guarded too: {text:?}"
        );
        assert!(text.contains(",\"a\rb\"\r\n"), "CR quoted: {text:?}");
        let plain = CsvLayout {
            bom: false,
            ..CsvLayout::default()
        };
        assert!(plain.write(&[&po]).unwrap().starts_with("po_number,"));
    }

    #[test]
    fn guard_prefixes_formula_starts_only() {
        assert_eq!(guard_text("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard_text("-5"), "'-5");
        assert_eq!(guard_text("Acme = best"), "Acme = best");
    }
}
