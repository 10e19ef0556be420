//! The Write-back section's types: `forestock-api`'s own (built with its `ts` feature).

#[cfg(test)]
pub fn declarations(cfg: &ts_rs::Config) -> Vec<String> {
    use forestock_connect::writeback::{
        Batch, Preview, PushReport, SkuError, SkuWrite, WriteField,
    };
    use ts_rs::TS;
    vec![
        WriteField::decl(cfg),
        SkuWrite::decl(cfg),
        Batch::decl(cfg),
        Preview::decl(cfg),
        SkuError::decl(cfg),
        PushReport::decl(cfg),
    ]
}
