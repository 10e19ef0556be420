-- Versioned forecast runs (written by forestock-demand). The run header is `runs` with
-- kind = 'forecast': `params` holds the engine configuration and the as-of date, `summary` the
-- counts and mean backtest accuracy. Derived data: a run can always be recomputed.

-- One row per SKU×location of a run: the inputs' snapshot (history range, total, checksum), the
-- model chosen, its calibrated uncertainty and its backtest accuracy.
CREATE TABLE forecast_series (
    run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant_id     INTEGER NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    location_id    INTEGER NOT NULL REFERENCES locations(id) ON DELETE CASCADE,
    history_start  TEXT NOT NULL,
    history_end    TEXT NOT NULL,
    history_units  REAL NOT NULL,
    history_hash   TEXT NOT NULL,
    frequency      TEXT NOT NULL,
    first_date     TEXT NOT NULL,
    model          TEXT NOT NULL,
    class          TEXT NOT NULL,
    season         INTEGER NOT NULL,
    dispersion     REAL NOT NULL CHECK (dispersion >= 0),
    level_cv       REAL NOT NULL CHECK (level_cv >= 0),
    mase           REAL,
    wape           REAL,
    bias           REAL,
    origins        INTEGER,
    notes          TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (run_id, variant_id, location_id)
) WITHOUT ROWID;

-- The forecast per day: mean and the p10/p50/p90 quantiles (any other quantile, and the
-- distribution over any window, follow from the means and the series' uncertainty).
CREATE TABLE forecast_days (
    run_id       INTEGER NOT NULL,
    variant_id   INTEGER NOT NULL,
    location_id  INTEGER NOT NULL,
    day          INTEGER NOT NULL CHECK (day >= 0),
    date         TEXT NOT NULL,
    mean         REAL NOT NULL CHECK (mean >= 0),
    p10          REAL NOT NULL CHECK (p10 >= 0),
    p50          REAL NOT NULL CHECK (p50 >= p10),
    p90          REAL NOT NULL CHECK (p90 >= p50),
    PRIMARY KEY (run_id, variant_id, location_id, day),
    FOREIGN KEY (run_id, variant_id, location_id)
        REFERENCES forecast_series(run_id, variant_id, location_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- Series a run could not forecast, with the reason (the run went on without them).
CREATE TABLE forecast_issues (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    variant_id   INTEGER NOT NULL,
    location_id  INTEGER NOT NULL,
    message      TEXT NOT NULL
);
CREATE INDEX forecast_issues_run ON forecast_issues(run_id);
