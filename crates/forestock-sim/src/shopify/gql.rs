//! A focused GraphQL executor for the documented Shopify Admin queries: parse (with
//! `graphql-parser`), validate against [`super::schema`] (unknown fields and arguments are
//! rejected with graphql-ruby's error shape), compute the requested cost, then execute
//! over the merchant with lazy resolvers. Bulk mode (inside `bulkOperationRunQuery`) drops
//! paging arguments and flattens nested connections into JSONL lines with `__parentId`.

use super::schema::{self, Kind};
use super::search::Search;
use super::state::ShopState;
use crate::data::{self, Level, Location, Merchant, Order, Product, Variant};
use base64::Engine;
use chrono::NaiveDateTime;
use graphql_parser::query as q;
use serde_json::{json, Map, Value};
use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

pub type Doc = q::Document<'static, String>;
type SelSet = q::SelectionSet<'static, String>;
type Field = q::Field<'static, String>;

/// The largest page a connection may ask for.
pub const MAX_PAGE: i64 = 250;

/// One GraphQL error as Shopify (graphql-ruby) writes it.
#[derive(Debug, Clone)]
pub struct GqlError {
    pub message: String,
    pub pos: Option<graphql_parser::Pos>,
    pub path: Vec<String>,
    pub extensions: Value,
}

impl GqlError {
    pub fn new(
        message: impl Into<String>,
        pos: Option<graphql_parser::Pos>,
        path: &[String],
        ext: Value,
    ) -> Self {
        GqlError {
            message: message.into(),
            pos,
            path: path.to_vec(),
            extensions: ext,
        }
    }
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("message".into(), json!(self.message));
        if let Some(p) = self.pos {
            m.insert(
                "locations".into(),
                json!([{"line": p.line, "column": p.column}]),
            );
        }
        if !self.path.is_empty() {
            m.insert("path".into(), json!(self.path));
        }
        if !self.extensions.is_null() {
            m.insert("extensions".into(), self.extensions.clone());
        }
        Value::Object(m)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Query,
    Mutation,
}

/// A parsed, validated operation ready to run.
pub struct Prepared {
    pub doc: Doc,
    pub op_index: usize,
    pub kind: OpKind,
    pub vars: Map<String, Value>,
    pub requested_cost: u64,
    /// Connection fields in the operation (bulk queries allow at most 5).
    pub connections: usize,
}

pub fn gid(ty: &str, id: i64) -> String {
    format!("gid://shopify/{ty}/{id}")
}

/// The numeric id of a `gid://shopify/{ty}/{n}` (query string ignored).
pub fn parse_gid(s: &str, ty: &str) -> Option<i64> {
    let rest = s.strip_prefix("gid://shopify/")?;
    let (t, n) = rest.split_once('/')?;
    if t != ty {
        return None;
    }
    n.split('?').next()?.parse().ok()
}

pub fn gql_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Decimal strings without losing precision: at least two decimals.
pub fn money(x: f64) -> String {
    let two = format!("{x:.2}");
    if two.parse::<f64>().ok() == Some(x) {
        two
    } else {
        format!("{x}")
    }
}

fn ops(doc: &Doc) -> Vec<(usize, &q::OperationDefinition<'static, String>)> {
    doc.definitions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d {
            q::Definition::Operation(o) => Some((i, o)),
            _ => None,
        })
        .collect()
}

type OpParts<'o> = (
    OpKind,
    Option<&'o str>,
    &'o [q::VariableDefinition<'static, String>],
    &'o SelSet,
);

fn op_parts<'o>(op: &'o q::OperationDefinition<'static, String>) -> OpParts<'o> {
    match op {
        q::OperationDefinition::SelectionSet(ss) => (OpKind::Query, None, &[], ss),
        q::OperationDefinition::Query(qq) => (
            OpKind::Query,
            qq.name.as_deref(),
            &qq.variable_definitions,
            &qq.selection_set,
        ),
        q::OperationDefinition::Mutation(m) => (
            OpKind::Mutation,
            m.name.as_deref(),
            &m.variable_definitions,
            &m.selection_set,
        ),
        q::OperationDefinition::Subscription(s) => (
            OpKind::Query,
            s.name.as_deref(),
            &s.variable_definitions,
            &s.selection_set,
        ),
    }
}

pub fn parse(src: &str) -> Result<Doc, GqlError> {
    graphql_parser::parse_query::<String>(src)
        .map(|d| d.into_static())
        .map_err(|e| {
            let text = e.to_string();
            let text = text.trim().replace('\n', " ");
            GqlError::new(
                format!("Parse error: {text}"),
                None,
                &[],
                json!({"code": "PARSE_ERROR"}),
            )
        })
}

/// Parse, pick the operation, bind variables, validate and cost.
pub fn prepare(
    src: &str,
    op_name: Option<&str>,
    vars: Map<String, Value>,
    bulk: bool,
) -> Result<Prepared, Vec<GqlError>> {
    let doc = parse(src).map_err(|e| vec![e])?;
    let all = ops(&doc);
    let chosen = match op_name {
        Some(n) => all
            .iter()
            .find(|(_, o)| op_parts(o).1 == Some(n))
            .copied()
            .ok_or_else(|| {
                vec![GqlError::new(
                    format!("No operation named \"{n}\""),
                    None,
                    &[],
                    Value::Null,
                )]
            })?,
        None if all.len() == 1 => all[0],
        None if all.is_empty() => {
            return Err(vec![GqlError::new(
                "No operations in query document",
                None,
                &[],
                Value::Null,
            )])
        }
        None => {
            return Err(vec![GqlError::new(
                "An operation name is required",
                None,
                &[],
                Value::Null,
            )])
        }
    };
    let (kind, name, var_defs, ss) = op_parts(chosen.1);
    let mut bound = Map::new();
    let mut errs = Vec::new();
    for vd in var_defs {
        let v = vars
            .get(&vd.name)
            .cloned()
            .or_else(|| vd.default_value.as_ref().map(|d| to_json(d, &Map::new())));
        match v {
            Some(v) => {
                bound.insert(vd.name.clone(), v);
            }
            None => {
                if matches!(vd.var_type, q::Type::NonNullType(_)) {
                    errs.push(GqlError::new(
                        format!(
                            "Variable ${} of type {} was provided invalid value",
                            vd.name, vd.var_type
                        ),
                        Some(vd.position),
                        &[],
                        json!({"value": null, "problems": [{"path": [], "explanation": "Expected value to not be null"}]}),
                    ));
                }
            }
        }
    }
    let root = match kind {
        OpKind::Query => "QueryRoot",
        OpKind::Mutation => "Mutation",
    };
    let op_label = match (kind, name) {
        (OpKind::Query, Some(n)) => format!("query {n}"),
        (OpKind::Mutation, Some(n)) => format!("mutation {n}"),
        (OpKind::Query, None) => "query".into(),
        (OpKind::Mutation, None) => "mutation".into(),
    };
    let v = Validator {
        doc: &doc,
        vars: &bound,
        bulk,
        connections: Cell::new(0),
    };
    let mut path = vec![op_label];
    let mut cost = v.selection(root, ss, &mut path, &mut errs, 0);
    if kind == OpKind::Mutation {
        cost = cost.max(10);
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let connections = v.connections.get();
    Ok(Prepared {
        connections,
        op_index: chosen.0,
        doc,
        kind,
        vars: bound,
        requested_cost: cost,
    })
}

/// GraphQL literal → JSON, substituting variables.
pub fn to_json(v: &q::Value<'static, String>, vars: &Map<String, Value>) -> Value {
    match v {
        q::Value::Variable(n) => vars.get(n).cloned().unwrap_or(Value::Null),
        q::Value::Int(n) => n.as_i64().map(Value::from).unwrap_or(Value::Null),
        q::Value::Float(f) => json!(f),
        q::Value::String(s) => Value::String(s.clone()),
        q::Value::Boolean(b) => Value::Bool(*b),
        q::Value::Null => Value::Null,
        q::Value::Enum(e) => Value::String(e.clone()),
        q::Value::List(l) => Value::Array(l.iter().map(|x| to_json(x, vars)).collect()),
        q::Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), to_json(x, vars)))
                .collect(),
        ),
    }
}

fn fragment<'d>(doc: &'d Doc, name: &str) -> Option<&'d q::FragmentDefinition<'static, String>> {
    doc.definitions.iter().find_map(|d| match d {
        q::Definition::Fragment(f) if f.name == name => Some(f),
        _ => None,
    })
}

fn type_cond<'t>(tc: &'t q::TypeCondition<'static, String>) -> &'t str {
    match tc {
        q::TypeCondition::On(t) => t.as_str(),
    }
}

struct Validator<'a> {
    doc: &'a Doc,
    vars: &'a Map<String, Value>,
    bulk: bool,
    connections: Cell<usize>,
}

impl Validator<'_> {
    /// Validate a selection on `ty`; returns its requested cost.
    fn selection(
        &self,
        ty: &str,
        ss: &SelSet,
        path: &mut Vec<String>,
        errs: &mut Vec<GqlError>,
        conn_depth: usize,
    ) -> u64 {
        let mut cost = 0;
        for item in &ss.items {
            match item {
                q::Selection::Field(f) => cost += self.field(ty, f, path, errs, conn_depth),
                q::Selection::InlineFragment(fr) => {
                    let t = fr.type_condition.as_ref().map(type_cond).unwrap_or(ty);
                    if schema::fields(t).is_none() {
                        errs.push(GqlError::new(
                            format!("No such type {t}, so it can't be a fragment condition"),
                            Some(fr.position),
                            path,
                            json!({"code": "undefinedType", "typeName": t}),
                        ));
                        continue;
                    }
                    cost += self.selection(t, &fr.selection_set, path, errs, conn_depth);
                }
                q::Selection::FragmentSpread(sp) => match fragment(self.doc, &sp.fragment_name) {
                    Some(fd) => {
                        let t = type_cond(&fd.type_condition);
                        cost += self.selection(t, &fd.selection_set, path, errs, conn_depth);
                    }
                    None => errs.push(GqlError::new(
                        format!("Fragment {} was used, but not defined", sp.fragment_name),
                        Some(sp.position),
                        path,
                        json!({"code": "useAndDefineFragment", "fragmentName": sp.fragment_name}),
                    )),
                },
            }
        }
        cost
    }

    fn field(
        &self,
        ty: &str,
        f: &Field,
        path: &mut Vec<String>,
        errs: &mut Vec<GqlError>,
        conn_depth: usize,
    ) -> u64 {
        if f.name == "__typename" {
            return 0;
        }
        let Some(def) = schema::field(ty, &f.name) else {
            path.push(f.name.clone());
            errs.push(GqlError::new(
                format!("Field '{}' doesn't exist on type '{}'", f.name, ty),
                Some(f.position),
                path,
                json!({"code": "undefinedField", "typeName": ty, "fieldName": f.name}),
            ));
            path.pop();
            return 0;
        };
        path.push(f.alias.clone().unwrap_or_else(|| f.name.clone()));
        for (a, _) in &f.arguments {
            if !def.args.contains(&a.as_str()) {
                errs.push(GqlError::new(
                    format!("Field '{}' doesn't accept argument '{}'", f.name, a),
                    Some(f.position),
                    path,
                    json!({"code": "argumentNotAccepted", "name": f.name, "typeName": "Field", "argumentName": a}),
                ));
            }
        }
        let arg = |n: &str| {
            f.arguments
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| to_json(v, self.vars))
                .filter(|v| !v.is_null())
        };
        let cost = match def.kind {
            Kind::Scalar => {
                if !f.selection_set.items.is_empty() {
                    errs.push(GqlError::new(
                        format!(
                            "Selections can't be made on scalars (field '{}' returns a scalar but has selections [{}])",
                            f.name,
                            f.selection_set.items.len()
                        ),
                        Some(f.position),
                        path,
                        json!({"code": "selectionMismatch", "nodeName": format!("field '{}'", f.name)}),
                    ));
                }
                0
            }
            Kind::Obj(t) | Kind::List(t) => {
                if f.selection_set.items.is_empty() {
                    errs.push(GqlError::new(
                        format!(
                            "Field must have selections (field '{}' returns {} but has no selections. Did you mean '{} {{ ... }}'?)",
                            f.name, t, f.name
                        ),
                        Some(f.position),
                        path,
                        json!({"code": "selectionMismatch", "nodeName": format!("field '{}'", f.name), "typeName": t}),
                    ));
                }
                if f.name == "quantities" && arg("names").is_none() {
                    errs.push(GqlError::new(
                        "Field 'quantities' is missing required arguments: names",
                        Some(f.position),
                        path,
                        json!({"code": "missingRequiredArguments", "className": "Field", "name": "quantities", "arguments": "names"}),
                    ));
                }
                1 + self.selection(t, &f.selection_set, path, errs, conn_depth)
            }
            Kind::Conn(t) => {
                self.connections.set(self.connections.get() + 1);
                let first = arg("first").or_else(|| arg("last"));
                let n = match (&first, self.bulk) {
                    (Some(Value::Number(n)), _) => n.as_i64().unwrap_or(0),
                    (Some(_), _) => {
                        errs.push(GqlError::new(
                            format!("Argument 'first' on Field '{}' has an invalid value. Expected type 'Int'.", f.name),
                            Some(f.position),
                            path,
                            json!({"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": "first"}),
                        ));
                        0
                    }
                    (None, true) => 1,
                    (None, false) => {
                        errs.push(GqlError::new(
                            "you must provide one of first or last",
                            Some(f.position),
                            path,
                            Value::Null,
                        ));
                        0
                    }
                };
                if n > MAX_PAGE {
                    errs.push(GqlError::new(
                        format!(
                            "The 'first' argument on field '{}' must be at most {MAX_PAGE} (got {n}). Use a smaller page size.",
                            f.name
                        ),
                        Some(f.position),
                        path,
                        json!({"code": "MAX_PAGE_SIZE_EXCEEDED", "maximum": MAX_PAGE, "requested": n}),
                    ));
                }
                if n < 0 {
                    errs.push(GqlError::new(
                        format!(
                            "Argument 'first' on field '{}' must not be negative",
                            f.name
                        ),
                        Some(f.position),
                        path,
                        Value::Null,
                    ));
                }
                if self.bulk && conn_depth >= 3 {
                    errs.push(GqlError::new(
                        "Bulk queries cannot contain connections with a nesting depth greater than 2.",
                        Some(f.position),
                        path,
                        Value::Null,
                    ));
                }
                let per_node = self.conn_selection(t, &f.selection_set, path, errs, conn_depth + 1);
                2 + (n.max(0) as u64) * per_node
            }
        };
        path.pop();
        cost
    }

    /// The selection inside a connection (`nodes`, `edges { node cursor }`, `pageInfo`);
    /// returns the cost of one node.
    fn conn_selection(
        &self,
        node_ty: &str,
        ss: &SelSet,
        path: &mut Vec<String>,
        errs: &mut Vec<GqlError>,
        depth: usize,
    ) -> u64 {
        let conn_ty = format!("{node_ty}Connection");
        let mut per = 1;
        for item in &ss.items {
            let q::Selection::Field(f) = item else {
                continue;
            };
            path.push(f.name.clone());
            match f.name.as_str() {
                "__typename" => {}
                "nodes" => per += self.selection(node_ty, &f.selection_set, path, errs, depth),
                "pageInfo" => {
                    self.selection("PageInfo", &f.selection_set, path, errs, depth);
                }
                "edges" => {
                    for e in &f.selection_set.items {
                        let q::Selection::Field(ef) = e else { continue };
                        match ef.name.as_str() {
                            "cursor" | "__typename" => {}
                            "node" => {
                                path.push("node".into());
                                per += self.selection(node_ty, &ef.selection_set, path, errs, depth);
                                path.pop();
                            }
                            other => errs.push(GqlError::new(
                                format!("Field '{other}' doesn't exist on type '{node_ty}Edge'"),
                                Some(ef.position),
                                path,
                                json!({"code": "undefinedField", "typeName": format!("{node_ty}Edge"), "fieldName": other}),
                            )),
                        }
                    }
                }
                other => errs.push(GqlError::new(
                    format!("Field '{other}' doesn't exist on type '{conn_ty}'"),
                    Some(f.position),
                    path,
                    json!({"code": "undefinedField", "typeName": conn_ty, "fieldName": other}),
                )),
            }
            path.pop();
        }
        per
    }
}

/// A resolved object.
#[derive(Clone)]
pub enum Obj<'a> {
    Root,
    Variant(&'a Variant),
    Product(&'a Product),
    InvItem(&'a Variant),
    InvLevel(&'a Variant, Level),
    Location(&'a Location),
    Order(Rc<Order>),
    LineItem(Rc<Order>, usize),
    Refund(Rc<Order>, usize),
    RefundLine(Rc<Order>, usize, usize),
    /// A plain object held as JSON (payloads, money, bulk operations, metafields).
    Json(&'static str, Value),
}

impl Obj<'_> {
    pub fn type_name(&self) -> &'static str {
        match self {
            Obj::Root => "QueryRoot",
            Obj::Variant(_) => "ProductVariant",
            Obj::Product(_) => "Product",
            Obj::InvItem(_) => "InventoryItem",
            Obj::InvLevel(..) => "InventoryLevel",
            Obj::Location(_) => "Location",
            Obj::Order(_) => "Order",
            Obj::LineItem(..) => "LineItem",
            Obj::Refund(..) => "Refund",
            Obj::RefundLine(..) => "RefundLineItem",
            Obj::Json(t, _) => t,
        }
    }

    pub fn gid(&self) -> Option<String> {
        Some(match self {
            Obj::Variant(v) => gid("ProductVariant", v.id),
            Obj::Product(p) => gid("Product", p.id),
            Obj::InvItem(v) => gid("InventoryItem", v.id),
            Obj::InvLevel(v, l) => format!(
                "gid://shopify/InventoryLevel/{}?inventory_item_id={}",
                l.location_id, v.id
            ),
            Obj::Location(l) => gid("Location", l.id),
            Obj::Order(o) => gid("Order", o.id),
            Obj::LineItem(o, i) => gid("LineItem", o.lines[*i].id),
            Obj::Refund(o, i) => gid("Refund", o.refunds[*i].id),
            Obj::Json(_, v) => v.get("id")?.as_str()?.to_string(),
            Obj::Root | Obj::RefundLine(..) => return None,
        })
    }
}

pub enum Res<'a> {
    Null,
    Val(Value),
    One(Obj<'a>),
    Many(Vec<Obj<'a>>),
    /// A page already cut by the resolver (root connections): (cursor, node) pairs.
    Page {
        items: Vec<(String, Obj<'a>)>,
        has_next: bool,
        has_prev: bool,
    },
}

/// Collects the JSONL lines a bulk query produces.
pub struct BulkCtx {
    pub parent: String,
    pub lines: Vec<Value>,
}

pub struct Exec<'a> {
    pub m: &'a Merchant,
    /// The catalog as it was when the request (or bulk operation) began.
    pub cat: &'a crate::data::Catalog,
    pub shop: &'a ShopState,
    pub all_orders: bool,
    /// The token holds one of [`FULFILLMENT_ORDER_SCOPES`].
    pub fulfillment_orders: bool,
    /// The token holds `write_products` (metafields on products and variants).
    pub write_products: bool,
    pub vars: &'a Map<String, Value>,
    pub doc: &'a Doc,
    pub actual_cost: Cell<u64>,
    pub base_url: &'a str,
}

/// Any one of these lets a token read `Order.fulfillmentOrders` (API-NOTES 5b; shopify.dev
/// FulfillmentOrder "Requires one of the following access scopes").
pub const FULFILLMENT_ORDER_SCOPES: &[&str] = &[
    "read_merchant_managed_fulfillment_orders",
    "read_assigned_fulfillment_orders",
    "read_third_party_fulfillment_orders",
    "read_marketplace_fulfillment_orders",
];

fn err(msg: impl Into<String>, f: &Field, path: &[String]) -> GqlError {
    GqlError::new(msg, Some(f.position), path, Value::Null)
}

fn encode_cursor(last_id: i64, last_value: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(json!({"last_id": last_id, "last_value": last_value}).to_string())
}

/// `(last_id, last_value)` of a cursor this simulator issued.
pub fn decode_cursor(c: &str) -> Option<(i64, String)> {
    let raw = base64::engine::general_purpose::STANDARD.decode(c).ok()?;
    let v: Value = serde_json::from_slice(&raw).ok()?;
    let id = v.get("last_id")?.as_i64()?;
    let val = match v.get("last_value")? {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some((id, val))
}

impl<'a> Exec<'a> {
    fn args(&self, f: &Field) -> HashMap<String, Value> {
        f.arguments
            .iter()
            .map(|(k, v)| (k.clone(), to_json(v, self.vars)))
            .collect()
    }

    fn collect<'s>(&self, obj_ty: &str, ss: &'s SelSet, out: &mut Vec<&'s Field>)
    where
        'a: 's,
    {
        for item in &ss.items {
            match item {
                q::Selection::Field(f) => out.push(f),
                q::Selection::InlineFragment(fr) => {
                    let ok = fr
                        .type_condition
                        .as_ref()
                        .map(|t| {
                            let t = type_cond(t);
                            t == obj_ty || t == "Node"
                        })
                        .unwrap_or(true);
                    if ok {
                        self.collect(obj_ty, &fr.selection_set, out);
                    }
                }
                q::Selection::FragmentSpread(sp) => {
                    if let Some(fd) = fragment(self.doc, &sp.fragment_name) {
                        let t = type_cond(&fd.type_condition);
                        if t == obj_ty || t == "Node" {
                            let fd_ss: &'s SelSet = &fd.selection_set;
                            self.collect(obj_ty, fd_ss, out);
                        }
                    }
                }
            }
        }
    }

    /// Execute a selection on an object. In bulk mode nested connections become lines.
    pub fn object(
        &self,
        obj: &Obj<'a>,
        ss: &SelSet,
        path: &mut Vec<String>,
        mut bulk: Option<&mut BulkCtx>,
    ) -> Result<Map<String, Value>, GqlError> {
        self.actual_cost.set(self.actual_cost.get() + 1);
        let ty = obj.type_name();
        let mut fields = Vec::new();
        self.collect(ty, ss, &mut fields);
        let mut out = Map::new();
        for f in fields {
            let key = f.alias.clone().unwrap_or_else(|| f.name.clone());
            if f.name == "__typename" {
                out.insert(key, json!(ty));
                continue;
            }
            let kind = match (ty, f.name.as_str()) {
                ("Node", _) => Kind::Scalar,
                _ => schema::field(ty, &f.name)
                    .map(|d| d.kind)
                    .unwrap_or(Kind::Scalar),
            };
            path.push(key.clone());
            let args = self.args(f);
            let res = self.resolve(obj, f, &args, path)?;
            let v = match (kind, res) {
                (_, Res::Null) => Value::Null,
                (_, Res::Val(v)) => v,
                (_, Res::One(o)) => {
                    Value::Object(self.object(&o, &f.selection_set, path, bulk.as_deref_mut())?)
                }
                (Kind::Conn(_), res) => {
                    self.actual_cost.set(self.actual_cost.get() + 2);
                    let (items, has_next, has_prev) = match res {
                        Res::Page {
                            items,
                            has_next,
                            has_prev,
                        } => (items, has_next, has_prev),
                        Res::Many(all) => slice(all, &args, f, path)?,
                        _ => (Vec::new(), false, false),
                    };
                    if let Some(b) = bulk.as_deref_mut() {
                        let node_ss = conn_node_selection(&f.selection_set);
                        for (_, item) in items {
                            let mut child = BulkCtx {
                                parent: item.gid().unwrap_or_default(),
                                lines: Vec::new(),
                            };
                            let mut m = match node_ss {
                                Some(nss) => self.object(&item, nss, path, Some(&mut child))?,
                                None => Map::new(),
                            };
                            m.insert("__parentId".into(), json!(b.parent));
                            b.lines.push(Value::Object(m));
                            b.lines.append(&mut child.lines);
                        }
                        path.pop();
                        continue;
                    }
                    self.connection(items, has_next, has_prev, &f.selection_set, path)?
                }
                (_, Res::Many(list)) => {
                    let mut arr = Vec::with_capacity(list.len());
                    for o in list {
                        arr.push(Value::Object(self.object(
                            &o,
                            &f.selection_set,
                            path,
                            bulk.as_deref_mut(),
                        )?));
                    }
                    Value::Array(arr)
                }
                (_, Res::Page { items, .. }) => {
                    let mut arr = Vec::with_capacity(items.len());
                    for (_, o) in items {
                        arr.push(Value::Object(self.object(
                            &o,
                            &f.selection_set,
                            path,
                            bulk.as_deref_mut(),
                        )?));
                    }
                    Value::Array(arr)
                }
            };
            path.pop();
            out.insert(key, v);
        }
        Ok(out)
    }

    fn connection(
        &self,
        items: Vec<(String, Obj<'a>)>,
        has_next: bool,
        has_prev: bool,
        ss: &SelSet,
        path: &mut Vec<String>,
    ) -> Result<Value, GqlError> {
        let mut out = Map::new();
        for item in &ss.items {
            let q::Selection::Field(f) = item else {
                continue;
            };
            let key = f.alias.clone().unwrap_or_else(|| f.name.clone());
            path.push(key.clone());
            let v = match f.name.as_str() {
                "__typename" => json!("Connection"),
                "nodes" => {
                    let mut arr = Vec::with_capacity(items.len());
                    for (_, o) in &items {
                        arr.push(Value::Object(self.object(
                            o,
                            &f.selection_set,
                            path,
                            None,
                        )?));
                    }
                    Value::Array(arr)
                }
                "edges" => {
                    let mut arr = Vec::with_capacity(items.len());
                    for (c, o) in &items {
                        let mut e = Map::new();
                        for ei in &f.selection_set.items {
                            let q::Selection::Field(ef) = ei else {
                                continue;
                            };
                            let ek = ef.alias.clone().unwrap_or_else(|| ef.name.clone());
                            match ef.name.as_str() {
                                "cursor" => {
                                    e.insert(ek, json!(c));
                                }
                                "node" => {
                                    e.insert(
                                        ek,
                                        Value::Object(self.object(
                                            o,
                                            &ef.selection_set,
                                            path,
                                            None,
                                        )?),
                                    );
                                }
                                _ => {
                                    e.insert(ek, json!("Edge"));
                                }
                            }
                        }
                        arr.push(Value::Object(e));
                    }
                    Value::Array(arr)
                }
                "pageInfo" => {
                    let pi = json!({
                        "hasNextPage": has_next,
                        "hasPreviousPage": has_prev,
                        "startCursor": items.first().map(|(c, _)| c.clone()),
                        "endCursor": items.last().map(|(c, _)| c.clone()),
                    });
                    Value::Object(self.object(
                        &Obj::Json("PageInfo", pi),
                        &f.selection_set,
                        path,
                        None,
                    )?)
                }
                _ => Value::Null,
            };
            path.pop();
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }

    fn resolve(
        &self,
        obj: &Obj<'a>,
        f: &Field,
        args: &HashMap<String, Value>,
        path: &[String],
    ) -> Result<Res<'a>, GqlError> {
        let cat = self.cat;
        let name = f.name.as_str();
        let t = |x: NaiveDateTime| Res::Val(json!(gql_time(x)));
        Ok(match obj {
            Obj::Root => return self.root(f, args, path),
            Obj::Json(ty, v) => match schema::field(ty, name).map(|d| d.kind) {
                Some(Kind::Obj(t)) => match v.get(name) {
                    Some(x) if x.is_object() => Res::One(Obj::Json(t, x.clone())),
                    _ => Res::Null,
                },
                Some(Kind::List(t) | Kind::Conn(t)) => match v.get(name) {
                    Some(Value::Array(a)) => {
                        Res::Many(a.iter().map(|x| Obj::Json(t, x.clone())).collect())
                    }
                    _ => Res::Many(Vec::new()),
                },
                _ => Res::Val(v.get(name).cloned().unwrap_or(Value::Null)),
            },
            Obj::Variant(v) => match name {
                "id" => Res::Val(json!(gid("ProductVariant", v.id))),
                "legacyResourceId" => Res::Val(json!(v.id.to_string())),
                "sku" => Res::Val(json!(v.sku)),
                "title" => Res::Val(json!(v.title)),
                "displayName" => {
                    let p = cat
                        .product(v.product_id)
                        .map(|p| p.title.as_str())
                        .unwrap_or("");
                    Res::Val(json!(format!("{p} - {}", v.title)))
                }
                "price" => Res::Val(json!(money(v.price))),
                "compareAtPrice" => Res::Null,
                "barcode" => Res::Val(json!(v.barcode)),
                "availableForSale" => Res::Val(json!(v.status == "active")),
                "inventoryQuantity" => Res::Val(json!(cat
                    .levels(v.id)
                    .iter()
                    .map(Level::available)
                    .sum::<i64>())),
                "createdAt" => t(v.created_at),
                "updatedAt" => t(v.updated_at),
                "product" => cat
                    .product(v.product_id)
                    .map(Obj::Product)
                    .map_or(Res::Null, Res::One),
                "inventoryItem" => Res::One(Obj::InvItem(v)),
                _ => Res::Null,
            },
            Obj::Product(p) => match name {
                "id" => Res::Val(json!(gid("Product", p.id))),
                "legacyResourceId" => Res::Val(json!(p.id.to_string())),
                "title" => Res::Val(json!(p.title)),
                "handle" => Res::Val(json!(handle(&p.title))),
                "status" => Res::Val(json!(p.status.to_uppercase())),
                "vendor" => Res::Val(json!(p.vendor)),
                "productType" => Res::Val(json!(p.category)),
                "totalInventory" => Res::Val(json!(p
                    .variant_ids
                    .iter()
                    .flat_map(|v| cat.levels(*v))
                    .map(Level::available)
                    .sum::<i64>())),
                "createdAt" => t(p.created_at),
                "updatedAt" => t(p.updated_at),
                "variants" => Res::Many(
                    p.variant_ids
                        .iter()
                        .filter_map(|v| cat.variant(*v))
                        .map(Obj::Variant)
                        .collect(),
                ),
                _ => Res::Null,
            },
            Obj::InvItem(v) => match name {
                "id" => Res::Val(json!(gid("InventoryItem", v.id))),
                "legacyResourceId" => Res::Val(json!(v.id.to_string())),
                "sku" => Res::Val(json!(v.sku)),
                "tracked" => Res::Val(json!(true)),
                "createdAt" => t(v.created_at),
                "updatedAt" => t(v.updated_at),
                "unitCost" => match v.cost {
                    Some(c) => Res::One(Obj::Json(
                        "MoneyV2",
                        json!({"amount": money(c), "currencyCode": cat.currency}),
                    )),
                    None => Res::Null,
                },
                "variant" => Res::One(Obj::Variant(v)),
                "inventoryLevels" => Res::Many(
                    cat.levels(v.id)
                        .iter()
                        .map(|l| Obj::InvLevel(v, *l))
                        .collect(),
                ),
                _ => Res::Null,
            },
            Obj::InvLevel(v, l) => match name {
                "id" => Res::Val(json!(obj.gid())),
                "isActive" => Res::Val(json!(true)),
                "createdAt" => t(v.created_at),
                "updatedAt" => t(l.date.and_hms_opt(0, 0, 0).unwrap_or_default()),
                "location" => cat
                    .location(l.location_id)
                    .map(Obj::Location)
                    .map_or(Res::Null, Res::One),
                "item" => Res::One(Obj::InvItem(v)),
                "quantities" => {
                    let names = args
                        .get("names")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    let mut out = Vec::new();
                    for n in names {
                        let n = n.as_str().unwrap_or("");
                        let qty = match n {
                            "available" => l.available(),
                            "on_hand" => l.on_hand,
                            "committed" => l.committed,
                            "incoming" => l.incoming,
                            "reserved" | "damaged" | "safety_stock" | "quality_control" => 0,
                            other => {
                                return Err(err(
                                    format!("The quantity name '{other}' is not valid. Valid names are: available, committed, damaged, incoming, on_hand, quality_control, reserved, safety_stock."),
                                    f,
                                    path,
                                ))
                            }
                        };
                        out.push(Obj::Json(
                            "InventoryQuantity",
                            json!({"id": format!("gid://shopify/InventoryQuantity/{}?inventory_item_id={}&name={n}", l.location_id, v.id),
                                   "name": n, "quantity": qty,
                                   "updatedAt": gql_time(l.date.and_hms_opt(0, 0, 0).unwrap_or_default())}),
                        ));
                    }
                    Res::Many(out)
                }
                _ => Res::Null,
            },
            Obj::Location(l) => match name {
                "id" => Res::Val(json!(gid("Location", l.id))),
                "legacyResourceId" => Res::Val(json!(l.id.to_string())),
                "name" => Res::Val(json!(l.name)),
                "isActive" => Res::Val(json!(l.active)),
                "fulfillsOnlineOrders" => Res::Val(json!(l.kind == "warehouse")),
                _ => Res::Null,
            },
            Obj::Order(o) => match name {
                "id" => Res::Val(json!(gid("Order", o.id))),
                "legacyResourceId" => Res::Val(json!(o.id.to_string())),
                "name" => Res::Val(json!(o.name)),
                "createdAt" | "processedAt" => t(o.created_at),
                "updatedAt" => t(o.updated_at),
                "cancelledAt" => o.cancelled_at.map_or(Res::Null, t),
                "cancelReason" => Res::Val(if o.cancelled_at.is_some() {
                    json!("CUSTOMER")
                } else {
                    Value::Null
                }),
                "closed" => Res::Val(json!(true)),
                "currencyCode" => Res::Val(json!(o.currency)),
                "displayFinancialStatus" => Res::Val(json!(financial_status(o))),
                "subtotalLineItemsQuantity" => {
                    Res::Val(json!(o.lines.iter().map(|l| l.quantity).sum::<i64>()))
                }
                "currentSubtotalLineItemsQuantity" => Res::Val(json!(o
                    .lines
                    .iter()
                    .map(|l| current_qty(o, l.id))
                    .sum::<i64>())),
                // Only point-of-sale orders carry the location that processed them; online
                // orders answer null (API-NOTES 5b). `physicalLocation` is the pre-2024-07 name.
                "retailLocation" | "physicalLocation" => match pos_location(cat, o) {
                    Some(l) => Res::One(Obj::Location(l)),
                    None => Res::Null,
                },
                "fulfillmentOrders" => {
                    if !self.fulfillment_orders {
                        return Err(GqlError::new(
                            format!(
                                "Access denied for fulfillmentOrders field. Required access: one of `{}`.",
                                FULFILLMENT_ORDER_SCOPES.join("`, `")
                            ),
                            Some(f.position),
                            path,
                            json!({"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes"}),
                        ));
                    }
                    Res::Many(
                        fulfillment_orders(cat, o)
                            .into_iter()
                            .map(|v| Obj::Json("FulfillmentOrder", v))
                            .collect(),
                    )
                }
                "lineItems" => Res::Many(
                    (0..o.lines.len())
                        .map(|i| Obj::LineItem(o.clone(), i))
                        .collect(),
                ),
                "refunds" => {
                    let n = args
                        .get("first")
                        .and_then(Value::as_u64)
                        .map_or(usize::MAX, |n| n as usize);
                    Res::Many(
                        (0..o.refunds.len())
                            .take(n)
                            .map(|i| Obj::Refund(o.clone(), i))
                            .collect(),
                    )
                }
                _ => Res::Null,
            },
            Obj::LineItem(o, i) => {
                let line = &o.lines[*i];
                let cur = |x: f64| {
                    Obj::Json(
                        "MoneyBag",
                        json!({"shopMoney": {"amount": money(x), "currencyCode": o.currency}, "presentmentMoney": {"amount": money(x), "currencyCode": o.currency}}),
                    )
                };
                match name {
                    "id" => Res::Val(json!(gid("LineItem", line.id))),
                    "sku" => Res::Val(json!(line.sku)),
                    "name" | "title" => Res::Val(json!(line
                        .variant_id
                        .and_then(|v| cat.variant(v))
                        .and_then(|v| cat.product(v.product_id))
                        .map(|p| p.title.clone())
                        .unwrap_or_else(|| line.sku.clone()))),
                    "quantity" => Res::Val(json!(line.quantity)),
                    "currentQuantity" | "refundableQuantity" => {
                        Res::Val(json!(current_qty(o, line.id)))
                    }
                    "unfulfilledQuantity" => Res::Val(json!(0)),
                    "variant" => line
                        .variant_id
                        .and_then(|v| cat.variant(v))
                        .map(Obj::Variant)
                        .map_or(Res::Null, Res::One),
                    "originalUnitPriceSet" => Res::One(cur(line.unit_price)),
                    "discountedUnitPriceSet" => Res::One(cur((line.unit_price
                        - line.discount / line.quantity.max(1) as f64)
                        .max(0.0))),
                    "totalDiscountSet" => Res::One(cur(line.discount)),
                    _ => Res::Null,
                }
            }
            Obj::Refund(o, i) => {
                let r = &o.refunds[*i];
                match name {
                    "id" => Res::Val(json!(gid("Refund", r.id))),
                    "legacyResourceId" => Res::Val(json!(r.id.to_string())),
                    "createdAt" => t(r.created_at),
                    "note" => Res::Null,
                    "refundLineItems" => Res::Many(
                        (0..r.lines.len())
                            .map(|j| Obj::RefundLine(o.clone(), *i, j))
                            .collect(),
                    ),
                    _ => Res::Null,
                }
            }
            Obj::RefundLine(o, i, j) => {
                let rl = &o.refunds[*i].lines[*j];
                match name {
                    "id" => Res::Val(json!(gid("RefundLineItem", rl.id))),
                    "quantity" => Res::Val(json!(rl.quantity)),
                    "restockType" => {
                        Res::Val(json!(if rl.restocked { "RETURN" } else { "NO_RESTOCK" }))
                    }
                    "restocked" => Res::Val(json!(rl.restocked)),
                    "lineItem" => match o.lines.iter().position(|l| l.id == rl.line_id) {
                        Some(k) => Res::One(Obj::LineItem(o.clone(), k)),
                        None => Res::Null,
                    },
                    "location" => o
                        .location_id
                        .and_then(|id| cat.location(id))
                        .map(Obj::Location)
                        .map_or(Res::Null, Res::One),
                    "subtotalSet" => Res::One(Obj::Json(
                        "MoneyBag",
                        json!({"shopMoney": {"amount": money(rl.amount), "currencyCode": o.currency}, "presentmentMoney": {"amount": money(rl.amount), "currencyCode": o.currency}}),
                    )),
                    _ => Res::Null,
                }
            }
        })
    }

    fn order_visible(&self, created: i64) -> bool {
        self.all_orders || created >= data::epoch(self.m.sixty_day_cutoff())
    }

    fn root(
        &self,
        f: &Field,
        args: &HashMap<String, Value>,
        path: &[String],
    ) -> Result<Res<'a>, GqlError> {
        let cat = self.cat;
        let first = args
            .get("first")
            .or_else(|| args.get("last"))
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .max(0) as usize;
        let after = match args.get("after").and_then(Value::as_str) {
            Some(c) => Some(
                decode_cursor(c)
                    .ok_or_else(|| err("Invalid cursor for current pagination sort.", f, path))?,
            ),
            None => None,
        };
        let search = match args.get("query").and_then(Value::as_str) {
            Some(s) => Search::parse(s).map_err(|e| err(e, f, path))?,
            None => Search::default(),
        };
        let id_arg = || args.get("id").and_then(Value::as_str).unwrap_or("");
        Ok(match f.name.as_str() {
            "productVariants" | "inventoryItems" => {
                if let Some(k) = args.get("sortKey").and_then(Value::as_str) {
                    if k != "ID" {
                        return Err(bad_enum(f, path, "sortKey", k, "ProductVariantSortKeys"));
                    }
                }
                let start = after
                    .as_ref()
                    .map_or(0, |(id, _)| cat.variants.partition_point(|v| v.id <= *id));
                let item = f.name == "inventoryItems";
                page(
                    cat.variants[start..].iter().filter(|v| {
                        search.matches_time("updated_at", v.updated_at)
                            && search.matches_time("created_at", v.created_at)
                            && search.matches_str("sku", &v.sku)
                            && search.matches_id(v.id)
                    }),
                    first,
                    after.is_some(),
                    |v| (v.id, v.id.to_string()),
                    |v| {
                        if item {
                            Obj::InvItem(v)
                        } else {
                            Obj::Variant(v)
                        }
                    },
                )
            }
            "products" => {
                let start = after
                    .as_ref()
                    .map_or(0, |(id, _)| cat.products.partition_point(|p| p.id <= *id));
                page(
                    cat.products[start..].iter().filter(|p| {
                        search.matches_time("updated_at", p.updated_at)
                            && search.matches_time("created_at", p.created_at)
                            && search.matches_id(p.id)
                            && search.matches_str("status", &p.status)
                            && search.matches_str("vendor", &p.vendor)
                    }),
                    first,
                    after.is_some(),
                    |p| (p.id, p.id.to_string()),
                    Obj::Product,
                )
            }
            "locations" => {
                let inactive = args
                    .get("includeInactive")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let after_id = after.as_ref().map_or(i64::MIN, |(id, _)| *id);
                page(
                    cat.locations
                        .iter()
                        .filter(|l| l.id > after_id && (inactive || l.active)),
                    first,
                    after.is_some(),
                    |l| (l.id, l.id.to_string()),
                    Obj::Location,
                )
            }
            "orders" => {
                let key = args.get("sortKey").and_then(Value::as_str).unwrap_or("ID");
                let by_updated = match key {
                    "ID" => false,
                    "UPDATED_AT" => true,
                    other => return Err(bad_enum(f, path, "sortKey", other, "OrderSortKeys")),
                };
                let idx = &self.m.orders;
                let sort = if by_updated {
                    data::OrderSort::Updated
                } else {
                    data::OrderSort::Id
                };
                let start = match &after {
                    None => 0,
                    Some((id, val)) if by_updated => {
                        let u: i64 = val.parse().map_err(|_| {
                            err("Invalid cursor for current pagination sort.", f, path)
                        })?;
                        idx.start_after(sort, u, *id)
                    }
                    Some((id, _)) => idx.start_after(sort, 0, *id),
                };
                // With `updated_at:>t` on the updated-at order, skip straight to t.
                let start = match (sort, search.lower_bound("updated_at")) {
                    (data::OrderSort::Updated, Some(t)) => {
                        start.max(idx.start_after(sort, t - 1, i64::MAX))
                    }
                    _ => start,
                };
                let mut chosen = Vec::new();
                let mut has_next = false;
                for k in idx.iter_from(sort, start) {
                    if !self.order_visible(k.created)
                        || !search.matches_time("updated_at", data::from_epoch(k.updated))
                        || !search.matches_time("created_at", data::from_epoch(k.created))
                        || !search.matches_id(k.id)
                    {
                        continue;
                    }
                    if chosen.len() == first {
                        has_next = true;
                        break;
                    }
                    chosen.push(k);
                }
                let ids: Vec<i64> = chosen.iter().map(|k| k.id).collect();
                let orders = self
                    .m
                    .fetch_orders(&ids)
                    .map_err(|e| err(format!("Internal error: {e}"), f, path))?;
                let items = orders
                    .into_iter()
                    .map(|o| {
                        let c = if by_updated {
                            encode_cursor(o.id, &data::epoch(o.updated_at).to_string())
                        } else {
                            encode_cursor(o.id, &o.id.to_string())
                        };
                        (c, Obj::Order(Rc::new(o)))
                    })
                    .collect();
                Res::Page {
                    items,
                    has_next,
                    has_prev: after.is_some(),
                }
            }
            "productVariant" => parse_gid(id_arg(), "ProductVariant")
                .and_then(|id| cat.variant(id))
                .map_or(Res::Null, |v| Res::One(Obj::Variant(v))),
            "inventoryItem" => parse_gid(id_arg(), "InventoryItem")
                .and_then(|id| cat.variant(id))
                .map_or(Res::Null, |v| Res::One(Obj::InvItem(v))),
            "product" => parse_gid(id_arg(), "Product")
                .and_then(|id| cat.product(id))
                .map_or(Res::Null, |p| Res::One(Obj::Product(p))),
            "location" => parse_gid(id_arg(), "Location")
                .and_then(|id| cat.location(id))
                .map_or(Res::Null, |l| Res::One(Obj::Location(l))),
            "order" => self.order_by_gid(id_arg(), f, path)?,
            "node" => {
                let id = id_arg();
                if let Some(n) = parse_gid(id, "ProductVariant") {
                    cat.variant(n)
                        .map_or(Res::Null, |v| Res::One(Obj::Variant(v)))
                } else if let Some(n) = parse_gid(id, "InventoryItem") {
                    cat.variant(n)
                        .map_or(Res::Null, |v| Res::One(Obj::InvItem(v)))
                } else if let Some(n) = parse_gid(id, "Product") {
                    cat.product(n)
                        .map_or(Res::Null, |p| Res::One(Obj::Product(p)))
                } else if let Some(n) = parse_gid(id, "Location") {
                    cat.location(n)
                        .map_or(Res::Null, |l| Res::One(Obj::Location(l)))
                } else if parse_gid(id, "Order").is_some() {
                    self.order_by_gid(id, f, path)?
                } else if let Some(n) = parse_gid(id, "BulkOperation") {
                    self.shop
                        .bulk_json(n, self.base_url)
                        .map_or(Res::Null, |b| Res::One(Obj::Json("BulkOperation", b)))
                } else {
                    Res::Null
                }
            }
            "currentBulkOperation" => {
                let ty = args.get("type").and_then(Value::as_str).unwrap_or("QUERY");
                if ty != "QUERY" {
                    Res::Null
                } else {
                    self.shop
                        .current_bulk_json(self.base_url)
                        .map_or(Res::Null, |b| Res::One(Obj::Json("BulkOperation", b)))
                }
            }
            "bulkOperation" => parse_gid(id_arg(), "BulkOperation")
                .and_then(|n| self.shop.bulk_json(n, self.base_url))
                .map_or(Res::Null, |b| Res::One(Obj::Json("BulkOperation", b))),
            "shop" => Res::One(Obj::Json(
                "Shop",
                json!({"id": "gid://shopify/Shop/1", "name": cat.shop_name, "currencyCode": cat.currency,
                       "ianaTimezone": "Etc/UTC", "myshopifyDomain": "forestock-demo.myshopify.com"}),
            )),
            "bulkOperationRunQuery" => {
                let query = args.get("query").and_then(Value::as_str).unwrap_or("");
                Res::One(Obj::Json(
                    "BulkOperationRunQueryPayload",
                    self.shop
                        .start_bulk(query, self.all_orders, self.fulfillment_orders),
                ))
            }
            "bulkOperationCancel" => {
                let id = parse_gid(id_arg(), "BulkOperation").unwrap_or(-1);
                Res::One(Obj::Json(
                    "BulkOperationCancelPayload",
                    self.shop.cancel_bulk(id, self.base_url),
                ))
            }
            "metafieldsSet" => {
                // Writing a metafield needs the owner resource's write scope: `write_products`
                // for products and variants (shopify.dev metafieldsSet: "requires the same
                // access level needed to mutate the owner resource").
                if !self.write_products {
                    return Err(GqlError::new(
                        "Access denied for metafieldsSet field. Required access: `write_products` access scope.",
                        Some(f.position),
                        path,
                        json!({"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes", "requiredAccess": "`write_products` access scope."}),
                    ));
                }
                let input = args.get("metafields").cloned().unwrap_or(Value::Null);
                let arr = input.as_array().cloned().unwrap_or_default();
                if arr.len() > 25 {
                    return Err(GqlError::new(
                        format!(
                            "The input array size of {} is greater than the maximum allowed of 25.",
                            arr.len()
                        ),
                        Some(f.position),
                        &[path.to_vec(), vec!["metafields".into()]].concat(),
                        json!({"code": "MAX_INPUT_SIZE_EXCEEDED"}),
                    ));
                }
                Res::One(Obj::Json(
                    "MetafieldsSetPayload",
                    self.shop.metafields_set(cat, &arr),
                ))
            }
            _ => Res::Null,
        })
    }

    fn order_by_gid(&self, id: &str, f: &Field, path: &[String]) -> Result<Res<'a>, GqlError> {
        let Some(n) = parse_gid(id, "Order") else {
            return Ok(Res::Null);
        };
        match self.m.orders.contains(n) {
            Some(k) if self.order_visible(k.created) => {
                let mut v = self
                    .m
                    .fetch_orders(&[n])
                    .map_err(|e| err(format!("Internal error: {e}"), f, path))?;
                Ok(v.pop()
                    .map_or(Res::Null, |o| Res::One(Obj::Order(Rc::new(o)))))
            }
            _ => Ok(Res::Null),
        }
    }

    /// Run a bulk query's root connection over every node, handing each finished group of
    /// lines (the root object, then its nested lines) to `emit`.
    pub fn bulk_root(
        &self,
        f: &Field,
        emit: &mut dyn FnMut(Vec<Value>) -> std::io::Result<()>,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<(), String> {
        let cat = self.cat;
        let node_ss =
            conn_node_selection(&f.selection_set).ok_or("the bulk query selects no nodes")?;
        let mut path = vec![f.name.clone()];
        let mut run = |obj: Obj<'a>| -> Result<(), String> {
            let mut ctx = BulkCtx {
                parent: obj.gid().unwrap_or_default(),
                lines: Vec::new(),
            };
            let m = self
                .object(&obj, node_ss, &mut path, Some(&mut ctx))
                .map_err(|e| e.message)?;
            let mut lines = vec![Value::Object(m)];
            lines.append(&mut ctx.lines);
            emit(lines).map_err(|e| e.to_string())
        };
        let args = self.args(f);
        let search = match args.get("query").and_then(Value::as_str) {
            Some(s) => Search::parse(s)?,
            None => Search::default(),
        };
        match f.name.as_str() {
            "productVariants" | "inventoryItems" => {
                for v in &cat.variants {
                    if cancelled() {
                        return Ok(());
                    }
                    if search.matches_time("updated_at", v.updated_at)
                        && search.matches_str("sku", &v.sku)
                    {
                        run(if f.name == "inventoryItems" {
                            Obj::InvItem(v)
                        } else {
                            Obj::Variant(v)
                        })?;
                    }
                }
            }
            "products" => {
                for p in &cat.products {
                    if cancelled() {
                        return Ok(());
                    }
                    if search.matches_time("updated_at", p.updated_at) {
                        run(Obj::Product(p))?;
                    }
                }
            }
            "locations" => {
                for l in &cat.locations {
                    run(Obj::Location(l))?;
                }
            }
            "orders" => {
                let keys: Vec<i64> = self
                    .m
                    .orders
                    .by_id
                    .iter()
                    .filter(|k| {
                        self.order_visible(k.created)
                            && search.matches_time("updated_at", data::from_epoch(k.updated))
                            && search.matches_time("created_at", data::from_epoch(k.created))
                    })
                    .map(|k| k.id)
                    .collect();
                for chunk in keys.chunks(500) {
                    if cancelled() {
                        return Ok(());
                    }
                    for o in self.m.fetch_orders(chunk).map_err(|e| e.to_string())? {
                        run(Obj::Order(Rc::new(o)))?;
                    }
                }
            }
            other => return Err(format!("Bulk queries over '{other}' are not supported")),
        }
        Ok(())
    }
}

/// The selection applied to each node of a connection (`nodes { .. }` or `edges { node { .. } }`).
pub fn conn_node_selection(ss: &SelSet) -> Option<&SelSet> {
    for item in &ss.items {
        let q::Selection::Field(f) = item else {
            continue;
        };
        match f.name.as_str() {
            "nodes" => return Some(&f.selection_set),
            "edges" => {
                for e in &f.selection_set.items {
                    if let q::Selection::Field(ef) = e {
                        if ef.name == "node" {
                            return Some(&ef.selection_set);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn bad_enum(f: &Field, path: &[String], arg: &str, val: &str, ty: &str) -> GqlError {
    GqlError::new(
        format!(
            "Argument '{arg}' on Field '{}' has an invalid value ({val}). Expected type '{ty}'.",
            f.name
        ),
        Some(f.position),
        path,
        json!({"code": "argumentLiteralsIncompatible", "typeName": "Field", "argumentName": arg}),
    )
}

fn handle(title: &str) -> String {
    title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

pub fn current_qty(o: &Order, line_id: i64) -> i64 {
    o.lines.iter().find(|l| l.id == line_id).map_or(0, |l| {
        (l.quantity - l.cancelled_qty - o.refunded_qty(line_id)).max(0)
    })
}

/// The demo's rule for which orders are point-of-sale sales: those attributed to a retail
/// location (a shop counter). Warehouse orders are online orders.
fn pos_location<'c>(cat: &'c crate::data::Catalog, o: &Order) -> Option<&'c crate::data::Location> {
    o.location_id
        .and_then(|id| cat.location(id))
        .filter(|l| l.kind == "retail")
}

/// An online order's fulfillment orders: one assigned to the location the demo attributed
/// the sale to (so synced demand stays comparable with the demo's), or to the first active
/// location when the demo has none, holding the units fulfilled there; and one more per other
/// location that fulfilled part of a line (a line of 5 with 2 units shipped from B: 3 units
/// in A's fulfillment order, 2 in B's; shopify.dev FulfillmentOrder, FulfillmentOrderLineItem
/// `totalQuantity`). Every tenth order is still OPEN (unfulfilled); the rest are CLOSED. A
/// POS order is fulfilled on the spot at its location.
fn fulfillment_orders(cat: &crate::data::Catalog, o: &Order) -> Vec<Value> {
    let loc = o
        .location_id
        .and_then(|id| cat.location(id))
        .or_else(|| cat.locations.iter().find(|l| l.active));
    let Some(loc) = loc else { return Vec::new() };
    let open = o.id % 10 == 0;
    let status = if o.cancelled_at.is_some() {
        "CANCELLED"
    } else if open {
        "OPEN"
    } else {
        "CLOSED"
    };
    let mut at: Vec<(&crate::data::Location, Vec<(&crate::data::OrderLine, i64)>)> =
        vec![(loc, Vec::new())];
    for l in &o.lines {
        if l.home_qty() > 0 || l.elsewhere.is_empty() {
            at[0].1.push((l, l.home_qty()));
        }
        for &(lid, q) in &l.elsewhere {
            let Some(other) = cat.location(lid) else {
                continue;
            };
            match at.iter_mut().find(|(x, _)| x.id == other.id) {
                Some((_, v)) => v.push((l, q)),
                None => at.push((other, vec![(l, q)])),
            }
        }
    }
    at.into_iter()
        .enumerate()
        .filter(|(_, (_, lines))| !lines.is_empty())
        .map(|(k, (loc, lines))| {
            let k = k as i64;
            let lines: Vec<Value> = lines
                .into_iter()
                .map(|(l, q)| {
                    json!({
                        "id": gid("FulfillmentOrderLineItem", l.id * 100 + k),
                        "totalQuantity": q,
                        "remainingQuantity": if open { q } else { 0 },
                        "lineItem": {"id": gid("LineItem", l.id), "sku": l.sku, "quantity": l.quantity},
                    })
                })
                .collect();
            json!({
                "id": gid("FulfillmentOrder", o.id * 100 + k),
                "status": status,
                "assignedLocation": {
                    "name": loc.name,
                    "location": {"id": gid("Location", loc.id), "legacyResourceId": loc.id.to_string(), "name": loc.name, "isActive": loc.active, "fulfillsOnlineOrders": loc.kind == "warehouse"},
                },
                "lineItems": lines,
            })
        })
        .collect()
}

fn financial_status(o: &Order) -> &'static str {
    let sold: i64 = o.lines.iter().map(|l| l.quantity - l.cancelled_qty).sum();
    let refunded: i64 = o
        .refunds
        .iter()
        .flat_map(|r| &r.lines)
        .map(|l| l.quantity)
        .sum();
    if o.cancelled_at.is_some() && sold == 0 {
        "VOIDED"
    } else if refunded == 0 {
        "PAID"
    } else if refunded >= sold {
        "REFUNDED"
    } else {
        "PARTIALLY_REFUNDED"
    }
}

/// Cut a root list into a page: `(cursor, node)` pairs and whether more follow.
fn page<'a, T: 'a, I: Iterator<Item = &'a T>>(
    it: I,
    first: usize,
    has_prev: bool,
    key: impl Fn(&T) -> (i64, String),
    wrap: impl Fn(&'a T) -> Obj<'a>,
) -> Res<'a> {
    let mut items = Vec::new();
    let mut has_next = false;
    for x in it {
        if items.len() == first {
            has_next = true;
            break;
        }
        let (id, v) = key(x);
        items.push((encode_cursor(id, &v), wrap(x)));
    }
    Res::Page {
        items,
        has_next,
        has_prev,
    }
}

type Sliced<'a> = (Vec<(String, Obj<'a>)>, bool, bool);

/// Page a nested connection held as a full list (`first`/`after` over positions).
fn slice<'a>(
    all: Vec<Obj<'a>>,
    args: &HashMap<String, Value>,
    f: &Field,
    path: &[String],
) -> Result<Sliced<'a>, GqlError> {
    let first = args
        .get("first")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |n| n as usize);
    let start = match args.get("after").and_then(Value::as_str) {
        Some(c) => decode_cursor(c)
            .map(|(i, _)| (i + 1).max(0) as usize)
            .ok_or_else(|| err("Invalid cursor for current pagination sort.", f, path))?,
        None => 0,
    };
    let total = all.len();
    let items: Vec<(String, Obj<'a>)> = all
        .into_iter()
        .enumerate()
        .skip(start)
        .take(first)
        .map(|(i, o)| (encode_cursor(i as i64, &i.to_string()), o))
        .collect();
    let has_next = start.saturating_add(items.len()) < total;
    Ok((items, has_next, start > 0))
}
