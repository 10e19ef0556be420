//! Which column of a file holds which field. Guessed from the header names (English, German,
//! Spanish, French, Italian, Portuguese and Dutch words merchants' exports use) and, for the date
//! and the units, from the content; the user can change any of it (`--mapping sku=Artikel,…`).
//! Each kind of file (history, stock, promotions) has its own fields ([`Field::of`]).

use crate::error::{Error, Result};
use forestock_core::ImportKind;
use polars::prelude::{DataFrame, DataType};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field Forestock stores from a history file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Sku,
    Location,
    Date,
    Units,
    OnHand,
    Price,
    Promo,
    OrderId,
    Channel,
    /// Promotions: the category a promotion covers (instead of one SKU).
    Category,
    /// Promotions: the first and last day.
    Start,
    End,
    /// Promotions: percent off the list price.
    Discount,
    /// Promotions: what the merchant calls it.
    Name,
}

/// The fields of a stock file.
const STOCK: [Field; 4] = [Field::Sku, Field::Location, Field::Date, Field::OnHand];
/// The fields of a promotion calendar.
const PROMOTIONS: [Field; 7] = [
    Field::Sku,
    Field::Category,
    Field::Location,
    Field::Start,
    Field::End,
    Field::Discount,
    Field::Name,
];

impl Field {
    /// Every field, whatever the kind of file.
    pub const EVERY: [Field; 14] = [
        Field::Sku,
        Field::Location,
        Field::Date,
        Field::Units,
        Field::OnHand,
        Field::Price,
        Field::Promo,
        Field::OrderId,
        Field::Channel,
        Field::Category,
        Field::Start,
        Field::End,
        Field::Discount,
        Field::Name,
    ];

    /// The fields of a history file.
    pub const ALL: [Field; 9] = [
        Field::Sku,
        Field::Location,
        Field::Date,
        Field::Units,
        Field::OnHand,
        Field::Price,
        Field::Promo,
        Field::OrderId,
        Field::Channel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Sku => "sku",
            Field::Location => "location",
            Field::Date => "date",
            Field::Units => "units",
            Field::OnHand => "on_hand",
            Field::Price => "price",
            Field::Promo => "promo",
            Field::OrderId => "order_id",
            Field::Channel => "channel",
            Field::Category => "category",
            Field::Start => "start",
            Field::End => "end",
            Field::Discount => "discount",
            Field::Name => "name",
        }
    }

    /// The fields a file of `kind` can hold.
    pub fn of(kind: ImportKind) -> &'static [Field] {
        match kind {
            ImportKind::History => &Field::ALL,
            ImportKind::Stock => &STOCK,
            ImportKind::Promotions => &PROMOTIONS,
        }
    }

    /// The fields every file of `kind` must map (a promotion calendar also needs a SKU or a
    /// category column: checked by the promotion reader).
    pub fn required(kind: ImportKind) -> &'static [Field] {
        match kind {
            ImportKind::History => &[Field::Sku, Field::Date, Field::Units],
            ImportKind::Stock => &[Field::Sku, Field::Date, Field::OnHand],
            ImportKind::Promotions => &[Field::Start, Field::End],
        }
    }

    /// Header words for the field, normalised (see [`normalise`]), most specific first.
    fn words(self) -> &'static [&'static str] {
        match self {
            Field::Sku => &[
                "sku",
                "itemid",
                "item",
                "artikel",
                "artikelnummer",
                "artnr",
                "artikelnr",
                "productsku",
                "variantsku",
                "productid",
                "productcode",
                "product",
                "article",
                "reference",
                "referencia",
                "articulo",
                "codigo",
                "produit",
                "articolo",
                "codice",
                "produto",
                "artikelcode",
            ],
            Field::Location => &[
                "location",
                "locationid",
                "storeid",
                "store",
                "shop",
                "warehouse",
                "lager",
                "filiale",
                "standort",
                "tienda",
                "almacen",
                "ubicacion",
                "sucursal",
                "magasin",
                "entrepot",
                "boutique",
                "negozio",
                "magazzino",
                "loja",
                "winkel",
                "vestiging",
                "branch",
                "outlet",
                "site",
            ],
            Field::Date => &[
                "date",
                "day",
                "datum",
                "tag",
                "fecha",
                "dia",
                "jour",
                "data",
                "orderdate",
                "saledate",
                "salesdate",
                "createdat",
                "verkaufsdatum",
                "buchungsdatum",
                "timestamp",
                "datetime",
            ],
            Field::Units => &[
                "units",
                "unitssold",
                "quantity",
                "qty",
                "menge",
                "anzahl",
                "stuck",
                "stk",
                "cantidad",
                "unidades",
                "quantite",
                "qte",
                "quantita",
                "quantidade",
                "aantal",
                "sold",
                "pieces",
                "pcs",
                "value",
            ],
            Field::OnHand => &[
                "onhand",
                "stock",
                "stocklevel",
                "inventory",
                "bestand",
                "lagerbestand",
                "existencias",
                "disponible",
                "giacenza",
                "voorraad",
            ],
            Field::Price => &[
                "price",
                "unitprice",
                "sellprice",
                "preis",
                "precio",
                "prix",
                "prezzo",
                "preco",
                "prijs",
            ],
            Field::Promo => &[
                "promo",
                "promotion",
                "onpromotion",
                "aktion",
                "promocion",
                "oferta",
                "promozione",
                "actie",
            ],
            Field::OrderId => &[
                "orderid",
                "order",
                "ordernumber",
                "ordername",
                "bestellung",
                "bestellnummer",
                "auftrag",
                "pedido",
                "commande",
                "ordine",
                "bestelling",
                "receipt",
                "ticket",
                "transactionid",
                "invoice",
                "beleg",
                "bon",
            ],
            Field::Channel => &[
                "channel",
                "saleschannel",
                "kanal",
                "canal",
                "canale",
                "kanaal",
            ],
            Field::Category => &[
                "category",
                "productcategory",
                "categoryname",
                "collection",
                "producttype",
                "kategorie",
                "warengruppe",
                "categoria",
                "categorie",
                "department",
                "abteilung",
            ],
            Field::Start => &[
                "start",
                "startdate",
                "startson",
                "begin",
                "from",
                "validfrom",
                "startdatum",
                "beginn",
                "von",
                "gultigab",
                "inicio",
                "fechainicio",
                "desde",
                "debut",
                "datedebut",
                "inizio",
                "datainizio",
                "dal",
                "van",
            ],
            Field::End => &[
                "end",
                "enddate",
                "endson",
                "until",
                "to",
                "validto",
                "validuntil",
                "enddatum",
                "ende",
                "bis",
                "gultigbis",
                "fin",
                "fechafin",
                "hasta",
                "datefin",
                "fine",
                "datafine",
                "al",
                "tot",
            ],
            Field::Discount => &[
                "discount",
                "discountpct",
                "discountpercent",
                "percentoff",
                "off",
                "rabatt",
                "nachlass",
                "descuento",
                "remise",
                "reduction",
                "sconto",
                "desconto",
                "korting",
            ],
            Field::Name => &[
                "name",
                "promotion",
                "promotionname",
                "promo",
                "campaign",
                "title",
                "kampagne",
                "aktion",
                "bezeichnung",
                "campana",
                "campagne",
                "campagna",
                "actie",
            ],
        }
    }
}

impl std::str::FromStr for Field {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let n = s.trim().to_ascii_lowercase();
        Field::EVERY
            .into_iter()
            .find(|f| f.as_str() == n)
            .ok_or_else(|| {
                Error::Mapping(format!(
                    "unknown field {s:?} (fields: {})",
                    Field::EVERY.map(Field::as_str).join(", ")
                ))
            })
    }
}

/// Field → the file's column holding it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping(pub BTreeMap<Field, String>);

impl Mapping {
    pub fn column(&self, f: Field) -> Option<&str> {
        self.0.get(&f).map(String::as_str)
    }

    /// `sku=Artikel,units=Menge` as written on the command line.
    pub fn parse_overrides(text: &str) -> Result<Vec<(Field, Option<String>)>> {
        text.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|pair| {
                let (field, column) = pair.split_once('=').ok_or_else(|| {
                    Error::Mapping(format!("{pair:?} is not field=column (e.g. sku=Artikel)"))
                })?;
                let column = column.trim();
                Ok((
                    field.parse()?,
                    (!column.is_empty()).then(|| column.to_string()),
                ))
            })
            .collect()
    }

    /// Apply the user's choices over a guess; a column the file does not have is refused,
    /// naming the columns it has. An empty column (`promo=`) unmaps the field.
    pub fn apply(
        &mut self,
        overrides: &[(Field, Option<String>)],
        columns: &[String],
    ) -> Result<()> {
        for (field, column) in overrides {
            match column {
                Some(c) if !columns.contains(c) => {
                    return Err(Error::Mapping(format!(
                        "{}={c}: the file has no column {c:?} (its columns: {})",
                        field.as_str(),
                        columns.join(", ")
                    )))
                }
                Some(c) => {
                    self.0.retain(|_, v| v != c);
                    self.0.insert(*field, c.clone());
                }
                None => {
                    self.0.remove(field);
                }
            }
        }
        Ok(())
    }

    /// Refuse a field a file of `kind` does not have (`--mapping units=…` on a stock file).
    pub fn check_fields(&self, kind: ImportKind) -> Result<()> {
        let fields = Field::of(kind);
        match self.0.keys().find(|f| !fields.contains(f)) {
            Some(f) => Err(Error::Mapping(format!(
                "a {} file has no field {} (its fields: {})",
                kind.as_str(),
                f.as_str(),
                fields
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            None => Ok(()),
        }
    }

    /// Refuse a mapping that leaves out what every row of a file of `kind` needs.
    pub fn check_required(&self, columns: &[String], kind: ImportKind) -> Result<()> {
        let missing: Vec<&str> = Field::required(kind)
            .iter()
            .copied()
            .filter(|f| !self.0.contains_key(f))
            .map(Field::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Mapping(format!(
            "no column for {} (the file's columns: {}); name it with --mapping {}=COLUMN",
            missing.join(", "),
            columns.join(", "),
            missing[0]
        )))
    }

    /// The file's columns that no field uses.
    pub fn unused<'a>(&self, columns: &'a [String]) -> Vec<&'a str> {
        columns
            .iter()
            .filter(|c| !self.0.values().any(|v| v == *c))
            .map(String::as_str)
            .collect()
    }
}

/// Lower case, accents folded, only letters and digits: `Quantité` → `quantite`,
/// `Stück` → `stuck`, `order_id` → `orderid`.
pub fn normalise(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter_map(|c| {
            let folded = match c {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
                'ç' => 'c',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ñ' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                'ß' => 's',
                c => c,
            };
            folded.is_alphanumeric().then_some(folded)
        })
        .collect()
}

/// Guess the mapping of `frame`'s columns to the fields of a `kind` file: an exact header word
/// first, then a header that starts with one (`Artikelbezeichnung` is not `Artikel`, so exact
/// wins), then, for the date and the quantity only, a column whose first values all read as
/// dates / whole numbers. In a stock file a quantity column (`Menge`, `qty`) is the level.
pub fn guess(frame: &DataFrame, kind: ImportKind) -> Mapping {
    let columns: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let norm: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    let mut m = Mapping::default();
    let taken = |m: &Mapping, c: &str| m.0.values().any(|v| v == c);
    let fields = Field::of(kind);
    for pass in 0..2 {
        for &f in fields {
            if m.0.contains_key(&f) {
                continue;
            }
            let hit = f.words().iter().find_map(|w| {
                (0..columns.len()).find(|&i| {
                    !taken(&m, &columns[i])
                        && if pass == 0 {
                            norm[i] == *w
                        } else {
                            w.len() >= 3 && norm[i].starts_with(w)
                        }
                })
            });
            if let Some(i) = hit {
                m.0.insert(f, columns[i].clone());
            }
        }
    }
    if kind == ImportKind::Stock && !m.0.contains_key(&Field::OnHand) {
        let quantity = Field::Units
            .words()
            .iter()
            .find_map(|w| (0..columns.len()).find(|&i| !taken(&m, &columns[i]) && norm[i] == *w));
        if let Some(i) = quantity {
            m.0.insert(Field::OnHand, columns[i].clone());
        }
    }
    let by_content: &[Field] = match kind {
        ImportKind::History => &[Field::Date, Field::Units],
        ImportKind::Stock => &[Field::Date, Field::OnHand],
        ImportKind::Promotions => &[],
    };
    for &f in by_content {
        if m.0.contains_key(&f) {
            continue;
        }
        let hit = columns
            .iter()
            .find(|c| !taken(&m, c) && looks_like(frame, c, f));
        if let Some(c) = hit {
            m.0.insert(f, c.clone());
        }
    }
    m
}

/// Whether the first 100 values of `column` read as `f` (dates, or whole numbers ≥ 0).
fn looks_like(frame: &DataFrame, column: &str, f: Field) -> bool {
    let Ok(col) = frame.column(column) else {
        return false;
    };
    let head = col.head(Some(100));
    match head.dtype() {
        DataType::Date | DataType::Datetime(..) => return f == Field::Date,
        dt if dt.is_integer() => return f != Field::Date,
        _ => {}
    }
    let Ok(text) = head.cast(&DataType::String) else {
        return false;
    };
    let Ok(text) = text.str() else { return false };
    let mut any = false;
    for v in text.iter().flatten() {
        any = true;
        let ok = match f {
            Field::Date => crate::dates::parse_any(v).is_some(),
            _ => v.trim().parse::<u64>().is_ok(),
        };
        if !ok {
            return false;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use polars::prelude::{Column, DataFrame};

    fn frame(cols: &[(&str, &[&str])]) -> DataFrame {
        DataFrame::new_infer_height(
            cols.iter()
                .map(|(n, v)| Column::new((*n).into(), v.to_vec()))
                .collect(),
        )
        .unwrap()
    }

    fn names(m: &Mapping) -> Vec<(&'static str, &str)> {
        m.0.iter().map(|(f, c)| (f.as_str(), c.as_str())).collect()
    }

    #[test]
    fn german_spanish_and_french_headers_map_to_the_fields() {
        let de = frame(&[
            ("Artikel", &["A1"]),
            ("Lager", &["Köln"]),
            ("Datum", &["01.02.2024"]),
            ("Menge", &["3"]),
        ]);
        assert_eq!(
            names(&guess(&de, ImportKind::History)),
            [
                ("sku", "Artikel"),
                ("location", "Lager"),
                ("date", "Datum"),
                ("units", "Menge")
            ]
        );
        let es = frame(&[
            ("Código", &["A1"]),
            ("Tienda", &["MAD"]),
            ("Fecha", &["01/02/2024"]),
            ("Cantidad", &["3"]),
            ("Precio", &["2,50"]),
        ]);
        let m = guess(&es, ImportKind::History);
        assert_eq!(m.column(Field::Sku), Some("Código"));
        assert_eq!(m.column(Field::Units), Some("Cantidad"));
        assert_eq!(m.column(Field::Price), Some("Precio"));
        let fr = frame(&[
            ("Référence", &["A1"]),
            ("Jour", &["2024-02-01"]),
            ("Quantité", &["3"]),
        ]);
        let m = guess(&fr, ImportKind::History);
        assert_eq!(m.column(Field::Date), Some("Jour"));
        assert_eq!(m.column(Field::Units), Some("Quantité"));
        assert_eq!(m.column(Field::Location), None);
    }

    #[test]
    fn unnamed_date_and_units_columns_are_found_by_content() {
        let f = frame(&[
            ("sku", &["A1", "B2"]),
            ("x", &["2024-02-01", "2024-02-02"]),
            ("y", &["3", "0"]),
        ]);
        let m = guess(&f, ImportKind::History);
        assert_eq!(
            (m.column(Field::Date), m.column(Field::Units)),
            (Some("x"), Some("y"))
        );
    }

    #[test]
    fn a_mapping_to_a_missing_column_or_without_sku_is_refused_by_name() {
        let cols = vec!["Artikel".to_string(), "Datum".to_string()];
        let mut m = Mapping::default();
        let o = Mapping::parse_overrides("sku=Artikel,units=Menge").unwrap();
        let e = m.apply(&o, &cols).unwrap_err();
        assert!(e.to_string().contains("no column \"Menge\""), "{e}");
        let mut m = Mapping::default();
        m.apply(&Mapping::parse_overrides("date=Datum").unwrap(), &cols)
            .unwrap();
        let e = m.check_required(&cols, ImportKind::History).unwrap_err();
        assert!(e.to_string().contains("no column for sku, units"), "{e}");
        assert!(Mapping::parse_overrides("colour=Farbe").is_err());
    }
}
