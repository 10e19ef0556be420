//! Write-back: the forecast of the latest plan pushed to the store the SKUs were synced from,
//! only after the planner approved the batch.
//!
//! **What is written**, per SKU (one remote variant), in the namespace [`NAMESPACE`]:
//! * [`KEY_UNITS`] (Shopify type `number_decimal`): the expected units over the next
//!   [`HORIZON_DAYS`] days (or the plan's horizon if shorter) from the day after the planning
//!   date, summed over the SKU's locations: the mean the plan used, one decimal.
//! * [`KEY_CONFIDENCE`] (type `json`): the p10–p90 interval of that total, the dates it
//!   covers, and the same three figures per location code. A location's interval is the
//!   window-total distribution the planner orders from
//!   ([`forestock_forecast::Uncertainty::distribution`], read at the calibrated window levels);
//!   the SKU's total adds the locations' means and variances (locations taken as independent)
//!   into one distribution of the same family
//!   ([`forestock_forecast::DemandDistribution::from_moments`]).
//!
//! **Where**: Shopify: metafields on the ProductVariant (`metafieldsSet`, at most 25 per call,
//! needs `write_products`; API-NOTES §1.7). One variant is one SKU whatever the location, so
//! per-location figures go inside the JSON value rather than into one metafield per location.
//! BigCommerce: variant metafields with `permission_set: app_only` (why not custom fields:
//! see `bigcommerce_write.rs`). Only SKUs synced from that store are written; SKUs in the plan
//! from imports, the demo or another store are skipped and counted.
//!
//! **Flow**: [`preview`] computes the batch and writes nothing. [`approve`] freezes it
//! (`writeback_batches` / `writeback_lines`, the content's SHA-256) and audits who and when.
//! [`push`] refuses without an approval, or when the preview no longer matches the approved
//! content (the plan changed: approve again); it sends only values that differ from what was
//! last written to that store (`writeback_written`), records each answer as it comes (so a
//! crash resumes without writing twice; BigCommerce updates the existing metafield by id), and
//! reports errors per SKU without stopping the others. Pushing the same batch again sends
//! nothing.

mod sql;

use crate::bigcommerce::BigCommerceClient;
use crate::credentials::Credentials;
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::shopify::{MetafieldWrite, ShopifyClient};
use crate::sync::SyncOptions;
use chrono::{NaiveDate, NaiveDateTime};
use forestock_core::{NewAuditEntry, Platform, Store, StoreRecord};
use forestock_forecast::{DemandDistribution, Uncertainty};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The metafield namespace of every value written.
pub const NAMESPACE: &str = "forestock";
/// Expected units over the horizon (all locations).
pub const KEY_UNITS: &str = "forecast_units_30d";
/// The p10–p90 interval of that total, with the per-location figures.
pub const KEY_CONFIDENCE: &str = "forecast_confidence";
/// Days of forecast summed into [`KEY_UNITS`].
pub const HORIZON_DAYS: usize = 30;
/// The interval written as the confidence: the 10th and 90th percentiles (an 80% interval).
const LOW: f64 = 0.1;
const HIGH: f64 = 0.9;

/// One value to write and what the store held last.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackField"))]
pub struct WriteField {
    pub key: String,
    /// The Shopify metafield type (`number_decimal`, `json`); BigCommerce stores text.
    pub kind: String,
    pub value: String,
    /// What was last written to this store for this SKU and key (None: never).
    pub last_written: Option<String>,
}

impl WriteField {
    pub fn changed(&self) -> bool {
        self.last_written.as_deref() != Some(self.value.as_str())
    }
}

/// One SKU of a preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackSku"))]
pub struct SkuWrite {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub sku: String,
    /// The remote owner: a ProductVariant gid (Shopify), `product_id/variant_id` (BigCommerce).
    pub owner: String,
    /// Expected units over the horizon, all locations, and its p10–p90 interval.
    pub units: f64,
    pub p10: f64,
    pub p90: f64,
    pub locations: u32,
    pub fields: Vec<WriteField>,
}

/// An approved batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackBatch"))]
pub struct Batch {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub content_hash: String,
    /// Values (SKU × key) in the batch.
    pub lines: u32,
    pub skipped: u32,
    pub approved_by: String,
    pub approved_at: NaiveDateTime,
    /// `approved`, `pushed` or `partial` (some values failed; a push retries them).
    pub status: String,
    pub pushed_at: Option<NaiveDateTime>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub plan_run_id: Option<i64>,
}

/// What a push would write to one store, per SKU. Reading it changes nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackPreview"))]
pub struct Preview {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub store_id: i64,
    pub store: String,
    pub platform: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub plan_run_id: Option<i64>,
    /// The first and last day the forecast covers.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub skus: Vec<SkuWrite>,
    /// SKUs in the plan that were not synced from this store (imported, demo, another store).
    pub skipped_not_synced: u32,
    /// SKUs synced from this store with no line in the latest plan.
    pub synced_without_forecast: u32,
    /// Values that differ from what was last written (what a push would send).
    pub to_write: u32,
    /// SHA-256 of the content (store, and per value: SKU, owner, key, type, value).
    pub content_hash: String,
    /// The store's current approved batch, and whether it is this very content.
    pub batch: Option<Batch>,
    pub batch_matches: bool,
}

/// A value a push could not write.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackError"))]
pub struct SkuError {
    pub sku: String,
    pub key: String,
    pub error: String,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "WritebackPushReport"))]
pub struct PushReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub batch_id: i64,
    pub store: String,
    /// Values sent and accepted.
    pub written: u32,
    /// Values already on the store as last written (not sent).
    pub unchanged: u32,
    pub failed: Vec<SkuError>,
    /// `pushed` or `partial`.
    pub status: String,
}

/// A client that can write to a store.
pub enum WriteClient {
    Shopify(Box<ShopifyClient>),
    BigCommerce(Box<BigCommerceClient>),
}

impl WriteClient {
    /// The store's client from its credentials (Shopify and BigCommerce only).
    pub fn for_store(
        store: &StoreRecord,
        creds: &Credentials,
        opts: &SyncOptions,
        progress: &Progress,
    ) -> Result<WriteClient> {
        match store.platform {
            Platform::Shopify => Ok(WriteClient::Shopify(Box::new(crate::sync::shopify_client(
                store, creds, opts, progress,
            )?))),
            Platform::BigCommerce => Ok(WriteClient::BigCommerce(Box::new(
                BigCommerceClient::from_store(store, creds, opts, progress)?,
            ))),
            p => Err(unsupported(store, p)),
        }
    }

    /// HTTP requests sent so far.
    pub fn request_count(&self) -> u64 {
        match self {
            WriteClient::Shopify(c) => c.request_count(),
            WriteClient::BigCommerce(c) => c.request_count(),
        }
    }
}

fn unsupported(store: &StoreRecord, p: Platform) -> Error {
    Error::invalid(
        "write-back",
        format!(
            "{} is a {p} store; the forecast is written back to Shopify and BigCommerce stores only",
            store.name
        ),
    )
}

/// Whether a store of this platform can take a write-back.
pub fn supported(p: Platform) -> bool {
    matches!(p, Platform::Shopify | Platform::BigCommerce)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A SKU's figures at one location: mean total, its variance, the p10 and p90.
struct LocationFigures {
    units: f64,
    variance: f64,
    p10: f64,
    p90: f64,
}

fn location_figures(forecast: &[f64], u: &Uncertainty, h: usize) -> LocationFigures {
    let days = &forecast[..h.min(forecast.len())];
    let total: f64 = days.iter().sum();
    // Count noise of the window as SeriesForecast::window computes it: sum of mu + phi mu^2.
    let noise: f64 = days.iter().map(|mu| mu + u.dispersion * mu * mu).sum();
    let d = u.distribution(total, noise);
    let level = |p: f64| u.calibration.map_or(p, |c| c.window_level(days.len(), p));
    LocationFigures {
        units: total,
        variance: d.variance(),
        p10: d.quantile(level(LOW)),
        p90: d.quantile(level(HIGH)),
    }
}

/// The inputs of a plan line this needs (the full type is `forestock_plan::line::LineInputs`).
#[derive(serde::Deserialize)]
struct LineForecast {
    today: NaiveDate,
    forecast: Vec<f64>,
    #[serde(default)]
    uncertainty: Uncertainty,
}

struct Synced {
    variant_id: i64,
    sku: String,
    owner: String,
}

fn owner_of(platform: Platform, variant_ext: &str, product_ext: &str) -> String {
    match platform {
        Platform::BigCommerce => format!("{product_ext}/{variant_ext}"),
        _ => variant_ext.to_string(),
    }
}

type Written = HashMap<(i64, String), (String, Option<String>)>;

fn written(db: &Store, store_id: i64) -> Result<Written> {
    let r = db.read();
    let mut st = r.conn().prepare(sql::WRITTEN)?;
    let rows = st.query_map([store_id], |r| {
        Ok((
            (r.get::<_, i64>(0)?, r.get::<_, String>(1)?),
            (r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn current_batch(db: &Store, store_id: i64) -> Result<Option<Batch>> {
    Ok(db
        .read()
        .conn()
        .query_row(sql::CURRENT_BATCH, [store_id], |r| {
            Ok(Batch {
                id: r.get(0)?,
                content_hash: r.get(1)?,
                lines: r.get(2)?,
                skipped: r.get(3)?,
                approved_by: r.get(4)?,
                approved_at: r.get(5)?,
                status: r.get(6)?,
                pushed_at: r.get(7)?,
                plan_run_id: r.get(8)?,
            })
        })
        .optional()?)
}

/// What a push to `store` would write: the latest plan's forecast for each SKU synced from it.
/// Reads only.
pub fn preview(db: &Store, store: &StoreRecord) -> Result<Preview> {
    if !supported(store.platform) {
        return Err(unsupported(store, store.platform));
    }
    let r = db.read();
    let c = r.conn();
    let run: Option<(i64, Option<NaiveDate>)> = c
        .query_row(sql::LATEST_PLAN_RUN, [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // variant -> [(location code, line)]
    let mut lines: BTreeMap<i64, Vec<(String, LineForecast)>> = BTreeMap::new();
    if let Some((run, _)) = run {
        let mut st = c.prepare(sql::PLAN_LINES)?;
        let mut rows = st.query([run])?;
        while let Some(row) = rows.next()? {
            let inputs: String = row.get(2)?;
            let line: LineForecast = serde_json::from_str(&inputs).map_err(|e| {
                Error::invalid(
                    "plan line",
                    format!(
                        "inputs of variant {}: {e}",
                        row.get::<_, i64>(0).unwrap_or(0)
                    ),
                )
            })?;
            lines
                .entry(row.get(0)?)
                .or_default()
                .push((row.get(1)?, line));
        }
    }
    let mut synced = Vec::new();
    {
        let mut st = c.prepare(sql::SYNCED_VARIANTS)?;
        let mut rows = st.query([store.id])?;
        while let Some(row) = rows.next()? {
            let v: String = row.get(2)?;
            let p: String = row.get(3)?;
            synced.push(Synced {
                variant_id: row.get(0)?,
                sku: row.get(1)?,
                owner: owner_of(store.platform, &v, &p),
            });
        }
    }
    let last = written(db, store.id)?;
    let synced_ids: HashSet<i64> = synced.iter().map(|s| s.variant_id).collect();
    let skipped_not_synced = lines.keys().filter(|v| !synced_ids.contains(v)).count() as u32;
    let mut skus = Vec::new();
    let mut synced_without_forecast = 0;
    let (mut from, mut to) = (None, None);
    for s in &synced {
        let Some(ls) = lines.get(&s.variant_id) else {
            synced_without_forecast += 1;
            continue;
        };
        let h = ls
            .iter()
            .map(|(_, l)| l.forecast.len())
            .max()
            .unwrap_or(0)
            .min(HORIZON_DAYS);
        if h == 0 {
            synced_without_forecast += 1;
            continue;
        }
        let first = ls[0].1.today + chrono::Days::new(1);
        let last_day = first + chrono::Days::new(h as u64 - 1);
        from = from.or(Some(first));
        to = to.or(Some(last_day));
        let mut per_loc = serde_json::Map::new();
        let (mut mean, mut var) = (0.0, 0.0);
        for (code, l) in ls {
            let f = location_figures(&l.forecast, &l.uncertainty, h);
            mean += f.units;
            var += f.variance;
            per_loc.insert(
                code.clone(),
                json!({"units": round1(f.units), "p10": round1(f.p10), "p90": round1(f.p90)}),
            );
        }
        let total = DemandDistribution::from_moments(mean, var);
        let (units, p10, p90) = (
            round1(mean),
            round1(total.quantile(LOW)),
            round1(total.quantile(HIGH)),
        );
        let confidence = json!({
            "from": first, "to": last_day, "units": units, "p10": p10, "p90": p90,
            "interval": "p10-p90", "locations": per_loc,
        });
        let field = |key: &str, kind: &str, value: String| WriteField {
            key: key.into(),
            kind: kind.into(),
            last_written: last
                .get(&(s.variant_id, key.to_string()))
                .map(|(v, _)| v.clone()),
            value,
        };
        skus.push(SkuWrite {
            variant_id: s.variant_id,
            sku: s.sku.clone(),
            owner: s.owner.clone(),
            units,
            p10,
            p90,
            locations: ls.len() as u32,
            fields: vec![
                field(KEY_UNITS, "number_decimal", format!("{units:.1}")),
                field(KEY_CONFIDENCE, "json", confidence.to_string()),
            ],
        });
    }
    let to_write = skus
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|f| f.changed())
        .count() as u32;
    let content_hash = hash(store.id, &skus);
    let batch = current_batch(db, store.id)?;
    Ok(Preview {
        store_id: store.id,
        store: store.name.clone(),
        platform: store.platform.to_string(),
        plan_run_id: run.map(|(id, _)| id),
        from,
        to,
        skipped_not_synced,
        synced_without_forecast,
        to_write,
        batch_matches: batch
            .as_ref()
            .is_some_and(|b| b.content_hash == content_hash),
        content_hash,
        skus,
        batch,
    })
}

/// SHA-256 (hex) of what a batch writes, in order: the store, then per value the SKU, owner,
/// key, type and value.
fn hash(store_id: i64, skus: &[SkuWrite]) -> String {
    let mut h = Sha256::new();
    h.update(format!("store\t{store_id}\n"));
    for s in skus {
        for f in &s.fields {
            h.update(format!(
                "{}\t{}\t{}\t{}\t{}\n",
                s.sku, s.owner, f.key, f.kind, f.value
            ));
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Approve the store's current preview: freeze it as a batch (superseding any earlier one)
/// and audit who and when with its content hash. `expected_hash` is the hash of the preview the
/// planner read; when the preview has changed since, nothing is approved.
pub fn approve(
    db: &mut Store,
    store: &StoreRecord,
    expected_hash: Option<&str>,
    actor: &str,
    at: NaiveDateTime,
) -> Result<(Preview, Batch)> {
    let p = preview(db, store)?;
    if let Some(h) = expected_hash {
        if h != p.content_hash {
            return Err(Error::invalid(
                "write-back approval",
                format!(
                    "{}: the preview changed since it was read (the plan or the store's SKUs \
                     changed); read the preview again and approve that",
                    store.name
                ),
            ));
        }
    }
    if p.skus.is_empty() {
        return Err(Error::invalid(
            "write-back approval",
            format!(
                "{}: nothing to write: no SKU synced from this store has a forecast in the \
                 latest plan (run a plan first; {} planned SKUs are not from this store)",
                store.name, p.skipped_not_synced
            ),
        ));
    }
    let lines: u32 = p.skus.iter().map(|s| s.fields.len() as u32).sum();
    let w = db.write()?;
    w.tx().execute(sql::SUPERSEDE, [store.id])?;
    w.tx().execute(
        sql::BATCH_INSERT,
        params![
            store.id,
            p.plan_run_id,
            p.content_hash,
            lines,
            p.skipped_not_synced,
            actor,
            at
        ],
    )?;
    let id = w.tx().last_insert_rowid();
    {
        let mut ins = w.tx().prepare(sql::LINE_INSERT)?;
        for s in &p.skus {
            for f in &s.fields {
                ins.execute(params![
                    id,
                    s.variant_id,
                    s.sku,
                    s.owner,
                    f.key,
                    f.kind,
                    f.value
                ])?;
            }
        }
    }
    w.audit(&NewAuditEntry {
        at,
        actor: actor.into(),
        action: "writeback.approve".into(),
        entity: "writeback_batch".into(),
        entity_id: id.to_string(),
        before: None,
        after: Some(json!({
            "store": store.name, "content_hash": p.content_hash, "skus": p.skus.len(),
            "values": lines, "to_write": p.to_write, "skipped_not_synced": p.skipped_not_synced,
            "plan_run_id": p.plan_run_id, "from": p.from, "to": p.to,
        })),
        reason: String::new(),
    })?;
    w.commit()?;
    let batch = current_batch(db, store.id)?
        .ok_or_else(|| Error::invalid("write-back", "the approved batch was not stored"))?;
    let p = preview(db, store)?;
    Ok((p, batch))
}

/// A value and what the store answered: the remote id (if any) or the error.
type Answer<'a> = (&'a Line, std::result::Result<Option<String>, String>);

/// Record answers in one transaction: written values (and their remote ids) and failures.
fn record_answers(
    db: &mut Store,
    store_id: i64,
    batch_id: i64,
    at: NaiveDateTime,
    answers: &[Answer<'_>],
) -> Result<()> {
    let w = db.write()?;
    for (l, a) in answers {
        match a {
            Ok(remote_id) => {
                w.tx().execute(
                    sql::WRITTEN_UPSERT,
                    params![
                        store_id,
                        l.variant_id,
                        l.key,
                        l.value,
                        remote_id,
                        batch_id,
                        at
                    ],
                )?;
                w.tx().execute(
                    sql::LINE_UPDATE,
                    params![batch_id, l.variant_id, l.key, "written", None::<String>],
                )?;
            }
            Err(e) => {
                w.tx().execute(
                    sql::LINE_UPDATE,
                    params![batch_id, l.variant_id, l.key, "failed", e],
                )?;
            }
        }
    }
    w.commit()?;
    Ok(())
}

struct Line {
    variant_id: i64,
    sku: String,
    owner: String,
    key: String,
    kind: String,
    value: String,
}

/// Push the store's approved batch: refused without one, or when the current preview differs
/// from it (a changed plan needs a new approval). Sends only values that differ from what was
/// last written, records each answer in its own transaction, audits the push with the
/// failures per SKU.
pub async fn push(
    db: &mut Store,
    store: &StoreRecord,
    client: &WriteClient,
    actor: &str,
    at: NaiveDateTime,
) -> Result<PushReport> {
    let p = preview(db, store)?;
    let Some(batch) = p.batch.clone() else {
        return Err(Error::invalid(
            "write-back",
            format!(
                "{}: nothing approved to push; read the preview and approve it first \
                 (`forestock writeback preview`, then `approve`)",
                store.name
            ),
        ));
    };
    if !p.batch_matches {
        return Err(Error::invalid(
            "write-back",
            format!(
                "{}: the forecast changed since batch {} was approved (by {} at {}); nothing \
                 was sent: read the new preview and approve it",
                store.name, batch.id, batch.approved_by, batch.approved_at
            ),
        ));
    }
    let lines: Vec<Line> = {
        let r = db.read();
        let mut st = r.conn().prepare(sql::BATCH_LINES)?;
        let rows = st.query_map([batch.id], |r| {
            Ok(Line {
                variant_id: r.get(0)?,
                sku: r.get(1)?,
                owner: r.get(2)?,
                key: r.get(3)?,
                kind: r.get(4)?,
                value: r.get(5)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let last = written(db, store.id)?;
    let mut unchanged = Vec::new();
    let mut send = Vec::new();
    for l in lines {
        match last.get(&(l.variant_id, l.key.clone())) {
            Some((v, _)) if *v == l.value => unchanged.push(l),
            _ => send.push(l),
        }
    }
    {
        let w = db.write()?;
        for l in &unchanged {
            w.tx().execute(
                sql::LINE_UPDATE,
                params![batch.id, l.variant_id, l.key, "unchanged", None::<String>],
            )?;
        }
        w.commit()?;
    }
    let mut failed = Vec::new();
    let mut written_n = 0u32;
    let record = |db: &mut Store, answers: &[Answer<'_>]| {
        record_answers(db, store.id, batch.id, at, answers)
    };
    let mut stopped: Option<Error> = None;
    match client {
        WriteClient::Shopify(c) => {
            for chunk in send.chunks(crate::shopify::METAFIELDS_PER_CALL) {
                let writes: Vec<MetafieldWrite> = chunk
                    .iter()
                    .map(|l| MetafieldWrite {
                        owner_id: l.owner.clone(),
                        namespace: NAMESPACE.into(),
                        key: l.key.clone(),
                        kind: l.kind.clone(),
                        value: l.value.clone(),
                    })
                    .collect();
                match c.set_metafields_each(&writes).await {
                    Ok(answers) => {
                        let answers: Vec<_> = chunk
                            .iter()
                            .zip(answers)
                            .map(|(l, a)| (l, a.map(Some)))
                            .collect();
                        record(db, &answers)?;
                    }
                    // Credentials, scope, network after retries: the rest would fail alike.
                    Err(e) => {
                        stopped = Some(e);
                        break;
                    }
                }
            }
        }
        WriteClient::BigCommerce(c) => {
            for l in &send {
                let Some((product, variant)) = l.owner.split_once('/') else {
                    record(
                        db,
                        &[(
                            l,
                            Err(format!("owner {:?} is not product/variant", l.owner)),
                        )],
                    )?;
                    continue;
                };
                let known = last
                    .get(&(l.variant_id, l.key.clone()))
                    .and_then(|(_, id)| id.as_deref())
                    .and_then(|id| id.parse().ok());
                let description = if l.key == KEY_UNITS {
                    "Forestock: expected units over the next 30 days (all locations)"
                } else {
                    "Forestock: p10-p90 interval of the 30-day forecast, per location"
                };
                match c
                    .set_variant_metafield(
                        product,
                        variant,
                        known,
                        (NAMESPACE, &l.key, &l.value, description),
                    )
                    .await
                {
                    Ok(id) => record(db, &[(l, Ok(Some(id.to_string())))])?,
                    Err(e @ (Error::Rejected { .. } | Error::Invalid { .. })) => {
                        record(db, &[(l, Err(e.to_string()))])?;
                    }
                    Err(e) => {
                        stopped = Some(e);
                        break;
                    }
                }
            }
        }
    }
    // Collect the outcome from the batch's lines (what this push and earlier ones recorded).
    let statuses: Vec<(String, String, String, Option<String>)> = {
        let r = db.read();
        let mut st = r.conn().prepare(sql::BATCH_LINES)?;
        let rows = st.query_map([batch.id], |r| {
            Ok((r.get(1)?, r.get(3)?, r.get(6)?, r.get(7)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let sent: HashSet<(String, String)> = send
        .iter()
        .map(|l| (l.sku.clone(), l.key.clone()))
        .collect();
    for (sku, key, status, error) in &statuses {
        if !sent.contains(&(sku.clone(), key.clone())) {
            continue;
        }
        match status.as_str() {
            "written" => written_n += 1,
            "failed" => failed.push(SkuError {
                sku: sku.clone(),
                key: key.clone(),
                error: error.clone().unwrap_or_default(),
            }),
            // Not reached: the push stopped before it.
            _ => failed.push(SkuError {
                sku: sku.clone(),
                key: key.clone(),
                error: stopped
                    .as_ref()
                    .map_or_else(|| "not sent".into(), |e| format!("not sent: {e}")),
            }),
        }
    }
    let status = if failed.is_empty() {
        "pushed"
    } else {
        "partial"
    };
    let w = db.write()?;
    w.tx()
        .execute(sql::BATCH_FINISH, params![batch.id, status, at])?;
    w.audit(&NewAuditEntry {
        at,
        actor: actor.into(),
        action: "writeback.push".into(),
        entity: "writeback_batch".into(),
        entity_id: batch.id.to_string(),
        before: None,
        after: Some(json!({
            "store": store.name, "content_hash": batch.content_hash, "written": written_n,
            "unchanged": unchanged.len(), "failed": failed.iter().map(|f| json!({
                "sku": f.sku, "key": f.key, "error": f.error})).collect::<Vec<_>>(),
        })),
        reason: String::new(),
    })?;
    w.commit()?;
    if let Some(e) = stopped {
        // Stopped for the whole store (credentials, scope, network): recorded and audited
        // above; the caller gets the reason.
        if written_n == 0 {
            return Err(e);
        }
    }
    Ok(PushReport {
        batch_id: batch.id,
        store: store.name.clone(),
        written: written_n,
        unchanged: unchanged.len() as u32,
        failed,
        status: status.into(),
    })
}
