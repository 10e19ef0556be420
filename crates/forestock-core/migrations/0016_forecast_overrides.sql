-- Manual forecast overrides: the planner's own judgement applied on top of the statistical
-- forecast for a period ("+30% in March, influencer campaign"), for one SKU or one category,
-- optionally one location. Unlike a promotion (an event whose lift the forecaster estimates
-- from history) an override is applied as given, by the plan's forecast step
-- (`forestock-plan::forecast_overrides`). Planner's data: never rebuilt.
CREATE TABLE forecast_overrides (
    id           INTEGER PRIMARY KEY,
    variant_id   INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    category     TEXT,
    location_id  INTEGER REFERENCES locations(id) ON DELETE CASCADE,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    -- 'percent': the forecast mean times (1 + value/100); 'daily_qty': value units a day.
    kind         TEXT NOT NULL CHECK (kind IN ('percent', 'daily_qty')),
    value        REAL NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    CHECK (end_date >= start_date),
    -- Exactly one of a SKU or a category.
    CHECK ((variant_id IS NULL) <> (category IS NULL)),
    CHECK (kind <> 'percent' OR (value > -100 AND value <= 1000)),
    CHECK (kind <> 'daily_qty' OR (value >= 0 AND value <= 1000000))
);
CREATE INDEX forecast_overrides_variant ON forecast_overrides(variant_id);
