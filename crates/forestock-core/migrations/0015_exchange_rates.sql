-- Exchange rates the planner enters (`forestock rates set`, the app's Settings screen): how many
-- units of the merchant's currency one unit of `currency` is worth. The plan converts a foreign
-- supplier's order value with them only to compare it with the approval threshold and to show
-- an approximate total beside the per-currency ones; every change is audited.
CREATE TABLE exchange_rates (
    currency    TEXT PRIMARY KEY CHECK (length(currency) = 3 AND currency = upper(currency)),
    rate        REAL NOT NULL CHECK (rate > 0),
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
