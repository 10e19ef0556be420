//! Every SQL statement of this crate, named, against the forecast tables whose migrations live
//! in `forestock-core/migrations`. The test below prepares each one on a freshly migrated
//! database, so a renamed column fails a test, not a planner.

// lib.rs
pub const FORECAST_MERCHANT_INSERT_FORECAST_SERIES: &str =
    "INSERT INTO forecast_series (run_id, variant_id, location_id, history_start, history_end, \
     history_units, history_hash, frequency, first_date, model, class, season, dispersion, \
     level_cv, mase, wape, bias, origins, notes) \
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)";
pub const FORECAST_MERCHANT_INSERT_FORECAST_DAYS: &str =
    "INSERT INTO forecast_days (run_id, variant_id, location_id, day, date, mean, p10, p50, p90) \
     VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)";
pub const FORECAST_MERCHANT_INSERT_FORECAST_ISSUES: &str =
    "INSERT INTO forecast_issues (run_id, variant_id, location_id, message) VALUES (?1,?2,?3,?4)";
pub const LATEST_RUN_SELECT_RUNS: &str =
    "SELECT id, started_at FROM runs WHERE kind = 'forecast' AND status = 'ok' \
     ORDER BY id DESC LIMIT 1";
pub const LOAD_WHERE_SELECT_RUNS: &str = "SELECT summary FROM runs WHERE id = ?1";
pub const LOAD_WHERE_SELECT_FORECAST_DAYS: &str =
    "SELECT variant_id, location_id, mean FROM forecast_days WHERE run_id = ?1 \
     AND (?2 < 0 OR (variant_id = ?2 AND location_id = ?3)) \
     ORDER BY variant_id, location_id, day";
pub const LOAD_WHERE_SELECT_FORECAST_SERIES: &str =
    "SELECT f.variant_id, f.location_id, v.sku, loc.code, f.frequency, f.first_date, f.model, \
     f.class, f.season, f.dispersion, f.level_cv, f.mase, f.wape, f.bias, f.origins, f.notes \
     FROM forecast_series f JOIN variants v ON v.id = f.variant_id \
     JOIN locations loc ON loc.id = f.location_id \
     WHERE f.run_id = ?1 AND (?2 < 0 OR (f.variant_id = ?2 AND f.location_id = ?3)) \
     ORDER BY v.sku, loc.code";
pub const SERIES_DAYS_SELECT_FORECAST_DAYS: &str =
    "SELECT d.run_id, d.date, d.mean, d.p10, d.p50, d.p90 FROM forecast_days d \
     WHERE d.run_id IN (SELECT id FROM runs WHERE kind = 'forecast' AND status = 'ok') \
     AND d.variant_id = ?1 AND d.location_id = ?2 ORDER BY d.run_id, d.day";
pub const RECENT_RUNS_SELECT_RUNS: &str =
    "SELECT id, started_at, json_extract(params, '$.as_of') FROM runs \
     WHERE kind = 'forecast' AND status = 'ok' ORDER BY id DESC LIMIT ?1";
pub const RUN_DAYS_SELECT_FORECAST_SERIES: &str =
    "SELECT variant_id, location_id, history_end, season FROM forecast_series WHERE run_id = ?1";
pub const RUN_DAYS_SELECT_FORECAST_DAYS: &str =
    "SELECT variant_id, location_id, date, mean, p10, p90 FROM forecast_days WHERE run_id = ?1 \
     ORDER BY variant_id, location_id, day";
pub const PRUNE_RUNS_DELETE_RUNS: &str =
    "DELETE FROM runs WHERE kind = 'forecast' AND status <> 'running' \
     AND id NOT IN (SELECT max(id) FROM runs WHERE kind = 'forecast' AND status = 'ok' \
                    GROUP BY json_extract(params, '$.as_of') ORDER BY max(id) DESC LIMIT ?1) \
     AND id NOT IN (SELECT json_extract(params, '$.forecast_run_id') FROM runs \
                    WHERE kind = 'plan' AND status = 'ok' \
                    AND json_extract(params, '$.forecast_run_id') IS NOT NULL \
                    ORDER BY id DESC LIMIT 1)";

/// Every statement above, by name (checked by the test below).
#[cfg(test)]
pub const ALL: &[(&str, &str)] = &[
    (
        "FORECAST_MERCHANT_INSERT_FORECAST_SERIES",
        FORECAST_MERCHANT_INSERT_FORECAST_SERIES,
    ),
    (
        "FORECAST_MERCHANT_INSERT_FORECAST_DAYS",
        FORECAST_MERCHANT_INSERT_FORECAST_DAYS,
    ),
    (
        "FORECAST_MERCHANT_INSERT_FORECAST_ISSUES",
        FORECAST_MERCHANT_INSERT_FORECAST_ISSUES,
    ),
    ("LATEST_RUN_SELECT_RUNS", LATEST_RUN_SELECT_RUNS),
    ("LOAD_WHERE_SELECT_RUNS", LOAD_WHERE_SELECT_RUNS),
    (
        "LOAD_WHERE_SELECT_FORECAST_DAYS",
        LOAD_WHERE_SELECT_FORECAST_DAYS,
    ),
    (
        "LOAD_WHERE_SELECT_FORECAST_SERIES",
        LOAD_WHERE_SELECT_FORECAST_SERIES,
    ),
    (
        "SERIES_DAYS_SELECT_FORECAST_DAYS",
        SERIES_DAYS_SELECT_FORECAST_DAYS,
    ),
    ("RECENT_RUNS_SELECT_RUNS", RECENT_RUNS_SELECT_RUNS),
    (
        "RUN_DAYS_SELECT_FORECAST_SERIES",
        RUN_DAYS_SELECT_FORECAST_SERIES,
    ),
    (
        "RUN_DAYS_SELECT_FORECAST_DAYS",
        RUN_DAYS_SELECT_FORECAST_DAYS,
    ),
    ("PRUNE_RUNS_DELETE_RUNS", PRUNE_RUNS_DELETE_RUNS),
];

#[cfg(test)]
mod tests {
    forestock_core::sql_owner_tests!(super::ALL, &["sql.rs"]);
}
