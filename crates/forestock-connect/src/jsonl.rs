//! Bulk-operation results (JSONL) read from disk with bounded memory.
//!
//! A result can be hundreds of megabytes (24 months of orders). It is streamed to a temporary
//! file, indexed once (byte offsets of each top-level object and of the child lines that
//! belong to it; a child always comes after its parent), and then read back a chunk of
//! top-level objects at a time, each rebuilt with its children nested under
//! `place(child)` — so memory holds one chunk, not the whole export.

use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};

/// Where a child line sits in its top-level object: `None` = the object itself, `Some(j)` =
/// inside its `refunds[j]` (a child parented to a nested, non-connection node).
type Slot = Option<usize>;

pub struct JsonlIndex {
    file: std::fs::File,
    store: String,
    tops: Vec<u64>,
    children: Vec<Vec<(u64, Slot)>>,
}

fn parse(store: &str, line: &str, n: usize) -> Result<Value> {
    serde_json::from_str(line)
        .map_err(|e| Error::malformed(store, format!("bulk result line {n}: {e}")))
}

impl JsonlIndex {
    /// Index a JSONL file. A child line whose parent never appeared is an error.
    pub fn build(store: &str, mut file: std::fs::File) -> Result<JsonlIndex> {
        file.seek(SeekFrom::Start(0)).map_err(|e| io(store, e))?;
        let mut reader = BufReader::new(file.try_clone().map_err(|e| io(store, e))?);
        let mut tops = Vec::new();
        let mut children: Vec<Vec<(u64, Slot)>> = Vec::new();
        let mut index: HashMap<String, (usize, Slot)> = HashMap::new();
        let mut offset = 0u64;
        let mut line = String::new();
        let mut n = 0;
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(|e| io(store, e))?;
            if read == 0 {
                break;
            }
            n += 1;
            let at = offset;
            offset += read as u64;
            if line.trim().is_empty() {
                continue;
            }
            let v = parse(store, &line, n)?;
            match v.get("__parentId").and_then(Value::as_str) {
                None => {
                    let ti = tops.len();
                    if let Some(id) = v.get("id").and_then(Value::as_str) {
                        index.insert(id.to_string(), (ti, None));
                    }
                    if let Some(id) = v.pointer("/inventoryItem/id").and_then(Value::as_str) {
                        index.insert(id.to_string(), (ti, None));
                    }
                    if let Some(Value::Array(rs)) = v.get("refunds") {
                        for (j, r) in rs.iter().enumerate() {
                            if let Some(id) = r.get("id").and_then(Value::as_str) {
                                index.insert(id.to_string(), (ti, Some(j)));
                            }
                        }
                    }
                    tops.push(at);
                    children.push(Vec::new());
                }
                Some(parent) => {
                    let Some(&(ti, slot)) = index.get(parent) else {
                        return Err(Error::malformed(
                            store,
                            format!("bulk result line {n}: child of unknown parent {parent}"),
                        ));
                    };
                    children[ti].push((at, slot));
                }
            }
        }
        Ok(JsonlIndex {
            file,
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

    fn line_at(&mut self, at: u64) -> Result<Value> {
        self.file
            .seek(SeekFrom::Start(at))
            .map_err(|e| io(&self.store, e))?;
        let mut reader = BufReader::new(Read::by_ref(&mut self.file));
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| io(&self.store, e))?;
        parse(&self.store, &line, 0)
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
            for (at, slot) in kids {
                let mut child = self.line_at(at)?;
                if let Some(o) = child.as_object_mut() {
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

fn io(store: &str, e: std::io::Error) -> Error {
    Error::Network {
        store: store.to_string(),
        detail: format!("bulk result file: {e}"),
    }
}
