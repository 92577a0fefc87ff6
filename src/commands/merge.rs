//! `orr merge`: shard audits combined into one audit, rendered like any other.

use anyhow::Result;

use super::emit;
use crate::audit::Audit;
use crate::cli::MergeArgs;
use crate::merge::{merge, MergeOptions, Part};
use crate::report;
use crate::verdict::EXIT_UNABLE;

pub fn run(args: MergeArgs) -> Result<i32> {
    let exports = report::plan_exports(&args.render.export)?;
    let parts = args
        .audits
        .iter()
        .map(|path| {
            Audit::load(path).map(|(audit, sha256)| Part {
                path: path.clone(),
                sha256,
                audit,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let merged = merge(
        parts,
        MergeOptions {
            allow_overlap: args.allow_overlap,
            allow_mixed: args.allow_mixed,
        },
    )?;
    let written = emit(
        &merged,
        report::json::sha256_hex(&merged)?,
        args.render.output(),
        &exports,
        args.render.table,
    )?;
    Ok(if written {
        merged.exit_code
    } else {
        EXIT_UNABLE
    })
}
