//! `orr report`: a saved JSON audit rendered again, in any format, with no AWS access.

use anyhow::Result;

use super::emit;
use crate::audit::Audit;
use crate::cli::ReportArgs;
use crate::report;
use crate::verdict::EXIT_UNABLE;

pub fn run(args: ReportArgs) -> Result<i32> {
    let exports = report::plan_exports(&args.render.export)?;
    let (audit, sha256) = Audit::load(&args.from)?;
    let written = emit(
        &audit,
        sha256,
        args.render.output(),
        &exports,
        args.render.table,
    )?;
    Ok(if written { 0 } else { EXIT_UNABLE })
}
