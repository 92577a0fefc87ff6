//! `orr report`: a saved JSON audit rendered again, in any format, with no AWS access.

use anyhow::Result;

use super::emit;
use crate::audit::Audit;
use crate::cli::{Output, ReportArgs};
use crate::report::{self, Format};
use crate::verdict::EXIT_UNABLE;

pub fn run(args: ReportArgs) -> Result<i32> {
    let exports = report::plan_exports(&args.export)?;
    let (audit, sha256) = Audit::load(&args.from)?;
    let output = args.output.unwrap_or(if exports.is_empty() {
        Output::Print(Format::Table)
    } else {
        Output::Nothing
    });
    let written = emit(&audit, sha256, output, &exports, args.table)?;
    Ok(if written { 0 } else { EXIT_UNABLE })
}
