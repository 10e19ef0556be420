//! `forestock plan`: compute recommendations for every active SKU×location.

/// Map a planning error to the CLI's exit codes (bad input → 2, database → 3).
pub fn plan_err(e: forestock_plan::Error) -> anyhow::Error {
    if e.is_bad_input() {
        crate::exit::usage(e.to_string())
    } else {
        match e {
            forestock_plan::Error::Store(e) => anyhow::Error::new(e),
            e => crate::exit::database(e.to_string()),
        }
    }
}
