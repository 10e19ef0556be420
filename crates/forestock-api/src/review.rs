//! The planner's review of the latest plan (`forestock review …`, the app's planner grid):
//! override a line's quantity with a reason, approve or reject lines, lock SKUs, undo, and the
//! planning settings. Each action is audited once, in the library, with the stamp.

use crate::{AuditStamp, Error, Result};
use forestock_core::Store;
use forestock_plan::bulk;
use forestock_plan::review;
use forestock_plan::settings::{self, PlanSettings};

pub use forestock_plan::bulk::ApprovalPreview;
pub use forestock_plan::review::{GridRow, LastAction, LineKey};

/// The database id of SKU `code`.
pub fn variant_id(store: &Store, code: &str) -> Result<i64> {
    store.read().sku_by_code(code).map(|s| s.id).map_err(|e| {
        if e.is_bad_input() {
            Error::NotFound(format!("SKU {code:?} not found"))
        } else {
            e.into()
        }
    })
}

/// The database id of location `code` (any case); the error lists the known codes.
pub fn location_id(store: &Store, code: &str) -> Result<i64> {
    let locs = store.read().locations()?;
    locs.iter()
        .find(|l| l.code.eq_ignore_ascii_case(code))
        .map(|l| l.id)
        .ok_or_else(|| {
            Error::NotFound(format!(
                "location {code:?} not found (known: {})",
                locs.iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
}

/// The plan line of SKU `sku` at location `location` (codes, as a planner types them).
pub fn line_key(store: &Store, sku: &str, location: &str) -> Result<LineKey> {
    Ok(LineKey {
        variant_id: variant_id(store, sku)?,
        location_id: location_id(store, location)?,
    })
}

/// Plan lines written `SKU@LOCATION` (the CLI's `--line`), each resolved; the first that
/// is malformed or names nothing known is the error.
pub fn line_keys(store: &Store, lines: &[String]) -> Result<Vec<LineKey>> {
    let key = |l: &String| {
        let (sku, loc) = l
            .rsplit_once('@')
            .ok_or_else(|| Error::Invalid(format!("--line {l:?}: expected SKU@LOCATION")))?;
        line_key(store, sku.trim(), loc.trim())
    };
    lines.iter().map(key).collect()
}

/// Override a line's quantity (whole cases, at least the MOQ); a reason is required. The
/// line returns to `proposed`, flagged for approval past the review thresholds.
pub fn override_line(
    store: &mut Store,
    stamp: &AuditStamp,
    key: LineKey,
    qty: i64,
    reason: &str,
) -> Result<GridRow> {
    Ok(review::override_qty(
        store,
        key,
        qty,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Approve lines, or reject them (a reason is required to reject); returns how many changed.
pub fn decide(
    store: &mut Store,
    stamp: &AuditStamp,
    keys: &[LineKey],
    approve: bool,
    reason: &str,
) -> Result<usize> {
    Ok(review::decide(
        store,
        keys,
        approve,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// What approving every line within the review thresholds will do (count, units, value per
/// currency, lines left out and why), without changing anything.
pub fn preview_within_thresholds(store: &Store) -> Result<ApprovalPreview> {
    Ok(bulk::preview_within_thresholds(store)?)
}

/// Approve every proposed line within the review thresholds as one action (one undo takes it
/// back); returns the summary of what it did.
pub fn approve_within_thresholds(store: &mut Store, stamp: &AuditStamp) -> Result<ApprovalPreview> {
    Ok(bulk::approve_within_thresholds(
        store,
        &stamp.actor,
        stamp.at,
    )?)
}

/// The action undo would take back next, if any.
pub fn last_action(store: &Store) -> Result<Option<LastAction>> {
    Ok(review::last_action(store)?)
}

/// What "the inputs changed materially" means, in one sentence.
pub fn material_rule() -> String {
    forestock_plan::material::rule()
}

/// Lock a SKU (at one location, or everywhere): re-plans keep its quantity.
pub fn lock(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: Option<i64>,
    reason: &str,
) -> Result<()> {
    Ok(review::lock(
        store,
        variant_id,
        location_id,
        reason,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Remove a lock.
pub fn unlock(
    store: &mut Store,
    stamp: &AuditStamp,
    variant_id: i64,
    location_id: Option<i64>,
) -> Result<()> {
    Ok(review::unlock(
        store,
        variant_id,
        location_id,
        &stamp.actor,
        stamp.at,
    )?)
}

/// Unlock lines (each SKU at its location): the next plan recommends their quantity again.
/// Each unlock is audited; a line that is not locked there is refused, naming it, and the lines
/// before it stay unlocked. Returns how many were unlocked.
pub fn unlock_lines(store: &mut Store, stamp: &AuditStamp, lines: &[(i64, i64)]) -> Result<usize> {
    for &(variant_id, location_id) in lines {
        unlock(store, stamp, variant_id, Some(location_id)).map_err(|e| match e {
            Error::Plan(forestock_plan::Error::NotFound { .. }) => {
                let r = store.read();
                let sku = r
                    .skus()
                    .ok()
                    .and_then(|s| s.into_iter().find(|s| s.id == variant_id))
                    .map_or_else(|| format!("#{variant_id}"), |s| s.sku);
                let loc = r
                    .locations()
                    .ok()
                    .and_then(|l| l.into_iter().find(|l| l.id == location_id))
                    .map_or_else(|| format!("#{location_id}"), |l| l.code);
                Error::NotFound(format!("{sku} at {loc} is not locked"))
            }
            other => other,
        })?;
    }
    Ok(lines.len())
}

/// Undo the last `steps` actions of the latest plan (an approve-all or a selection is one
/// action); returns how many lines were restored.
pub fn undo(store: &mut Store, stamp: &AuditStamp, steps: usize) -> Result<usize> {
    Ok(review::undo(store, steps, &stamp.actor, stamp.at)?)
}

/// Save the planning settings (validated; audited before/after; bad values save nothing)
/// and return them as stored; the next plan reads them.
pub fn save_settings(
    store: &mut Store,
    stamp: &AuditStamp,
    new: &PlanSettings,
) -> Result<PlanSettings> {
    settings::save_settings(store, new, &stamp.actor, stamp.at)?;
    Ok(settings::load_settings(&store.read())?)
}

/// Save the stored settings changed by `KEY=VALUE` pairs (the CLI's `--set`;
/// [`PlanSettings::with_changes`] checks the keys and values) and return them as stored.
pub fn set_settings(store: &mut Store, stamp: &AuditStamp, set: &[String]) -> Result<PlanSettings> {
    let pairs = set
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .ok_or_else(|| Error::Invalid(format!("--set {pair:?}: expected KEY=VALUE")))
        })
        .collect::<Result<Vec<_>>>()?;
    let current = settings::load_settings(&store.read())?;
    save_settings(store, stamp, &current.with_changes(&pairs)?)
}

/// The planning settings the app's Settings card edits; the rest of [`PlanSettings`] keeps its
/// stored value ([`save_settings_form`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanSettingsForm {
    /// Target cycle service level per ABC class (0.5–0.999).
    pub service_level_a: f64,
    pub service_level_b: f64,
    pub service_level_c: f64,
    /// Fill-rate floor for every line (0 = off, below 1): the order-up-to level is raised until
    /// the expected share of demand served from stock reaches it (slow movers).
    pub fill_rate_floor: f64,
    /// Stock allocation (0 = off): unit-days of stock a stockout day avoided is worth; when
    /// set it replaces the service-level quantile of every line.
    pub stockout_day_worth: f64,
    /// Days between reviews (orders).
    pub review_days: u32,
    /// Days of forecast a plan computes.
    pub horizon_days: u32,
    /// A line above this value (merchant currency) needs explicit approval.
    pub approval_value_threshold: f64,
    /// An override changing the recommendation by more than this percent needs approval.
    pub approval_change_pct: f64,
    /// Guardrail: automatic safety-stock changes are capped at this share per week.
    pub safety_stock_weekly_cap: f64,
    /// Stock beyond the order-up-to level plus this many days of demand counts as excess.
    pub excess_cover_days: f64,
    /// More than this many days of cover: a slow mover.
    pub slow_cover_days: f64,
    /// No sale for this many days with stock on hand: a dead mover.
    pub dead_after_days: u32,
    /// Forecast runs kept after each plan: the newest of each of this many as-of dates (1–1000).
    pub forecast_runs_kept: u32,
    /// Columns of the supplier PO CSV, `field[=Header],...` (checked by the library).
    pub po_csv_columns: String,
    /// Delimiter of the supplier PO CSV: `,` `;` `tab` or `|`.
    pub po_csv_delimiter: String,
}

impl From<&PlanSettings> for PlanSettingsForm {
    fn from(s: &PlanSettings) -> Self {
        PlanSettingsForm {
            service_level_a: s.service_level_a,
            service_level_b: s.service_level_b,
            service_level_c: s.service_level_c,
            fill_rate_floor: s.fill_rate_floor,
            stockout_day_worth: s.stockout_day_worth,
            review_days: s.review_days,
            horizon_days: s.horizon_days,
            approval_value_threshold: s.approval_value_threshold,
            approval_change_pct: s.approval_change_pct,
            safety_stock_weekly_cap: s.safety_stock_weekly_cap,
            excess_cover_days: s.excess_cover_days,
            slow_cover_days: s.slow_cover_days,
            dead_after_days: s.dead_after_days,
            forecast_runs_kept: s.forecast_runs_kept,
            po_csv_columns: s.po_csv_columns.clone(),
            po_csv_delimiter: s.po_csv_delimiter.clone(),
        }
    }
}

impl PlanSettingsForm {
    /// The stored settings with this form's fields replaced.
    fn apply_to(&self, mut s: PlanSettings) -> PlanSettings {
        s.service_level_a = self.service_level_a;
        s.service_level_b = self.service_level_b;
        s.service_level_c = self.service_level_c;
        s.fill_rate_floor = self.fill_rate_floor;
        s.stockout_day_worth = self.stockout_day_worth;
        s.review_days = self.review_days;
        s.horizon_days = self.horizon_days;
        s.approval_value_threshold = self.approval_value_threshold;
        s.approval_change_pct = self.approval_change_pct;
        s.safety_stock_weekly_cap = self.safety_stock_weekly_cap;
        s.excess_cover_days = self.excess_cover_days;
        s.slow_cover_days = self.slow_cover_days;
        s.dead_after_days = self.dead_after_days;
        s.forecast_runs_kept = self.forecast_runs_kept;
        s.po_csv_columns.clone_from(&self.po_csv_columns);
        s.po_csv_delimiter.clone_from(&self.po_csv_delimiter);
        s
    }
}

/// The planning settings as the Settings card shows them (defaults until first saved).
pub fn settings_form(store: &Store) -> Result<PlanSettingsForm> {
    Ok(PlanSettingsForm::from(&settings::load_settings(
        &store.read(),
    )?))
}

/// Save the Settings card: its fields replace the stored ones, the rest are kept; validated
/// and audited as [`save_settings`]; bad values save nothing.
pub fn save_settings_form(
    store: &mut Store,
    stamp: &AuditStamp,
    form: &PlanSettingsForm,
) -> Result<PlanSettingsForm> {
    let new = form.apply_to(settings::load_settings(&store.read())?);
    Ok(PlanSettingsForm::from(&save_settings(store, stamp, &new)?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use forestock_core::{AuditFilter, Classify, ErrorKind, FrontDoor};
    use forestock_plan::review::{recommendations, GridFilter};

    /// A small demo merchant (`skus` SKUs, `days` of history) in a folder kept with it.
    fn demo(skus: usize, days: u32) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.db");
        let cfg = forestock_demo::DemoConfig {
            skus,
            days,
            ..forestock_demo::DemoConfig::default()
        };
        crate::demo::create(&path, &cfg, &mut |_| {}).unwrap();
        (dir, Store::open(&path).unwrap())
    }

    /// The CLI's `--line SKU@LOCATION`, `--line SKU=QTY` and `--set KEY=VALUE`, read here:
    /// each resolved by code, a malformed one refused naming it (bad input), a valid change
    /// saved and a bad one saving nothing.
    #[test]
    fn typed_lines_and_settings_are_resolved_or_refused_by_name() {
        let (_dir, mut store) = demo(4, 90);
        let sku = store.read().skus().unwrap()[0].sku.clone();
        let loc = store.read().locations().unwrap()[0].code.clone();
        let keys = line_keys(&store, &[format!("{sku} @ {loc}")]).unwrap();
        assert_eq!(keys, [line_key(&store, &sku, &loc).unwrap()]);
        let e = line_keys(&store, std::slice::from_ref(&sku)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("expected SKU@LOCATION"), "{e}");
        let e = line_keys(&store, &[format!("NOPE@{loc}")]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);

        use crate::po::Receipt;
        let r = Receipt::parse_lines(&store, &[format!("{sku}=3")]).unwrap();
        assert_eq!(r, Receipt::Lines(vec![(keys[0].variant_id, 3)]));
        for (bad, says) in [
            (sku.clone(), "expected SKU=QTY"),
            (format!("{sku}=2.5"), "not a whole number"),
        ] {
            let e = Receipt::parse_lines(&store, &[bad]).unwrap_err();
            assert!(e.to_string().contains(says), "{e}");
        }

        let stamp = AuditStamp::now(FrontDoor::Cli);
        let saved = set_settings(&mut store, &stamp, &["service_level_a=0.97".into()]).unwrap();
        assert_eq!(saved.service_level_a, 0.97);
        for bad in ["service_level_a", "service_level_a=7", "no_such_key=1"] {
            let e = set_settings(
                &mut store,
                &stamp,
                &["service_level_b=0.9".into(), bad.into()],
            );
            assert_eq!(e.unwrap_err().kind(), ErrorKind::BadInput, "{bad}");
        }
        let kept = settings::load_settings(&store.read()).unwrap();
        assert_eq!(
            (kept.service_level_a, kept.service_level_b),
            (0.97, saved.service_level_b)
        );
    }

    /// Issue 15: a line locked in the grid can be unlocked from the app; the unlock is audited
    /// and the grid no longer flags it; a line that is not locked is refused by name.
    #[test]
    fn a_locked_line_is_unlocked_and_audited_and_an_unlocked_one_is_refused_by_name() {
        let (_dir, mut store) = demo(6, 120);
        let stamp = AuditStamp::at(
            FrontDoor::App,
            Some("ana"),
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
        );
        crate::plan::plan(&mut store, &stamp, None, &|_| {}).unwrap();
        let rows = recommendations(&store, &GridFilter::default()).unwrap();
        let (a, b) = (&rows[0].rec, &rows[1].rec);
        lock(
            &mut store,
            &stamp,
            a.variant_id,
            Some(a.location_id),
            "count pending",
        )
        .unwrap();
        let locked = |store: &Store| {
            recommendations(store, &GridFilter::default())
                .unwrap()
                .into_iter()
                .filter(|r| r.locked)
                .count()
        };
        assert_eq!(locked(&store), 1);
        let n = unlock_lines(&mut store, &stamp, &[(a.variant_id, a.location_id)]).unwrap();
        assert_eq!(n, 1);
        assert_eq!(locked(&store), 0);
        let e = unlock_lines(&mut store, &stamp, &[(b.variant_id, b.location_id)]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            format!("{} at {} is not locked", b.sku, b.location)
        );
        let log = store
            .read()
            .audit_entries(&AuditFilter {
                entity: Some("sku".into()),
                ..AuditFilter::default()
            })
            .unwrap();
        let actions: Vec<(&str, &str)> = log
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(
            actions,
            [("plan.unlock", "app:ana"), ("plan.lock", "app:ana")]
        );
    }

    /// The Settings card saves its fields (the fill-rate floor and the forecast runs kept
    /// among them) and keeps every other stored setting; a bad value saves nothing and names
    /// the field.
    #[test]
    fn the_settings_form_saves_its_fields_keeps_the_others_and_refuses_bad_values() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("m.db")).unwrap();
        let stamp = AuditStamp::now(FrontDoor::App);
        let mut custom = settings::load_settings(&store.read()).unwrap();
        custom.transfer_days = 5;
        save_settings(&mut store, &stamp, &custom).unwrap();

        let mut form = settings_form(&store).unwrap();
        assert_eq!((form.fill_rate_floor, form.forecast_runs_kept), (0.0, 14));
        form.fill_rate_floor = 0.9;
        form.stockout_day_worth = 750.0;
        form.forecast_runs_kept = 30;
        let saved = save_settings_form(&mut store, &stamp, &form).unwrap();
        assert_eq!(saved, form);
        let stored = settings::load_settings(&store.read()).unwrap();
        assert_eq!(
            (
                stored.fill_rate_floor,
                stored.stockout_day_worth,
                stored.forecast_runs_kept,
                stored.transfer_days
            ),
            (0.9, 750.0, 30, 5)
        );

        let mut bad = form.clone();
        bad.forecast_runs_kept = 0;
        bad.horizon_days = 30;
        let e = save_settings_form(&mut store, &stamp, &bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadInput);
        assert!(e.to_string().contains("forecast_runs_kept"), "{e}");
        assert_eq!(settings_form(&store).unwrap(), form, "nothing was saved");
    }
}
