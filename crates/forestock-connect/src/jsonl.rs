//! Bulk-operation results (JSONL) read from disk with bounded memory.
//!
//! A result can be hundreds of megabytes (24 months of orders). It is streamed to a temporary
//! file, indexed once (byte offsets of each top-level object and of the child lines that
//! belong to it; a child always comes after its parent), and then read back a chunk of
//! top-level objects at a time, each rebuilt with its children nested under
//! `place(child)` — so memory holds one chunk, not the whole export.

use crate::error::{Error, Result};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Seek, SeekFrom};

/// Where a child line sits in its top-level object: `None` = the object itself, `Some(j)` =
/// inside its `refunds[j]` (a child parented to a nested, non-connection node).
type Slot = Option<usize>;

pub struct JsonlIndex {
    reader: BufReader<std::fs::File>,
    /// Where the reader stands (None: unknown, seek first).
    pos: Option<u64>,
    line: Vec<u8>,
    store: String,
    tops: Vec<u64>,
    /// Per top-level object: its descendants' offsets, where they go, and whether the line's
    /// parent is itself a child (it then keeps its `__parentId`, see [`JsonlIndex::build`]).
    children: Vec<Vec<(u64, Slot, bool)>>,
}

/// The ids of one line, borrowed where the JSON has no escapes.
#[derive(serde::Deserialize)]
struct Head<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(rename = "__parentId", borrow, default)]
    parent: Option<Cow<'a, str>>,
    #[serde(rename = "inventoryItem", borrow, default)]
    inventory_item: Option<IdOnly<'a>>,
    #[serde(borrow, default)]
    refunds: Option<Vec<IdOnly<'a>>>,
}

#[derive(serde::Deserialize)]
struct IdOnly<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
}

impl JsonlIndex {
    /// Index a JSONL file. A child line whose parent never appeared is an error.
    ///
    /// A grandchild (a line parented to a fulfillment order, itself a child of its order:
    /// `orders { fulfillmentOrders { lineItems } }`) is placed in the same top-level object as
    /// its parent and keeps its `__parentId`, so the mapper can nest it (only fulfillment
    /// orders are indexed as parents, to keep the index to what is needed).
    ///
    /// Only the ids are parsed here (`id`, `__parentId`, `inventoryItem.id`, `refunds[].id`;
    /// everything else is skipped without allocating): the whole object is parsed once, when
    /// its chunk is applied.
    pub fn build(store: &str, mut file: std::fs::File) -> Result<JsonlIndex> {
        file.seek(SeekFrom::Start(0)).map_err(|e| io(store, e))?;
        let mut reader =
            BufReader::with_capacity(1 << 20, file.try_clone().map_err(|e| io(store, e))?);
        let mut tops = Vec::new();
        let mut children: Vec<Vec<(u64, Slot, bool)>> = Vec::new();
        let mut index: HashMap<String, (usize, Slot, bool)> = HashMap::new();
        let mut offset = 0u64;
        let mut line = Vec::new();
        let mut n = 0;
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|e| io(store, e))?;
            if read == 0 {
                break;
            }
            n += 1;
            let at = offset;
            offset += read as u64;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let head: Head<'_> = serde_json::from_slice(&line)
                .map_err(|e| Error::malformed(store, format!("bulk result line {n}: {e}")))?;
            match head.parent {
                None => {
                    let ti = tops.len();
                    if let Some(id) = head.id {
                        index.insert(id.into_owned(), (ti, None, false));
                    }
                    if let Some(id) = head.inventory_item.and_then(|i| i.id) {
                        index.insert(id.into_owned(), (ti, None, false));
                    }
                    for (j, r) in head.refunds.unwrap_or_default().into_iter().enumerate() {
                        if let Some(id) = r.id {
                            index.insert(id.into_owned(), (ti, Some(j), false));
                        }
                    }
                    tops.push(at);
                    children.push(Vec::new());
                }
                Some(parent) => {
                    let Some(&(ti, slot, grand)) = index.get(parent.as_ref()) else {
                        return Err(Error::malformed(
                            store,
                            format!("bulk result line {n}: child of unknown parent {parent}"),
                        ));
                    };
                    if let Some(id) = head.id.filter(|i| i.starts_with(FULFILLMENT_ORDER)) {
                        index.insert(id.into_owned(), (ti, slot, true));
                    }
                    children[ti].push((at, slot, grand));
                }
            }
        }
        let reader = BufReader::with_capacity(1 << 20, file);
        Ok(JsonlIndex {
            reader,
            pos: None,
            line: Vec::new(),
            store: store.to_string(),
            tops,
            children,
        })
    }

    pub fn len(&self) -> usize {
        self.tops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tops.is_empty()
    }

    /// The line starting at byte `at`. Lines are mostly read in file order (a chunk's
    /// objects, each followed by its children), so the buffered reader only seeks when the
    /// next line is not the one after the last.
    fn line_at(&mut self, at: u64) -> Result<Value> {
        if self.pos != Some(at) {
            self.reader
                .seek(SeekFrom::Start(at))
                .map_err(|e| io(&self.store, e))?;
        }
        self.line.clear();
        let read = self
            .reader
            .read_until(b'\n', &mut self.line)
            .map_err(|e| io(&self.store, e))?;
        self.pos = Some(at + read as u64);
        serde_json::from_slice(&self.line)
            .map_err(|e| Error::malformed(&self.store, format!("bulk result at byte {at}: {e}")))
    }

    /// Top-level objects `range`, each with its children nested.
    pub fn objects(
        &mut self,
        range: std::ops::Range<usize>,
        place: impl Fn(&Value) -> &'static str,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::with_capacity(range.len());
        for ti in range {
            let mut top = self.line_at(self.tops[ti])?;
            let kids = self.children[ti].clone();
            for (at, slot, grand) in kids {
                let mut child = self.line_at(at)?;
                if let Some(o) = child.as_object_mut().filter(|_| !grand) {
                    o.remove("__parentId");
                }
                let field = place(&child);
                let target = match slot {
                    None => Some(&mut top),
                    Some(j) => top.get_mut("refunds").and_then(|r| r.get_mut(j)),
                };
                if let Some(obj) = target.and_then(Value::as_object_mut) {
                    let entry = obj.entry(field).or_insert_with(|| Value::Array(Vec::new()));
                    if !entry.is_array() {
                        *entry = Value::Array(Vec::new());
                    }
                    if let Value::Array(a) = entry {
                        a.push(child);
                    }
                }
            }
            out.push(top);
        }
        Ok(out)
    }
}

/// The id prefix of the one kind of child line that has children of its own.
const FULFILLMENT_ORDER: &str = "gid://shopify/FulfillmentOrder/";

fn io(store: &str, e: std::io::Error) -> Error {
    Error::Network {
        store: store.to_string(),
        detail: format!("bulk result file: {e}"),
    }
}
