//! `orr report`: a saved JSON audit rendered again, in any format, with no AWS access.

use anyhow::{bail, Result};

use super::{emit, Exports};
use crate::audit::Audit;
use crate::cli::ReportArgs;
use crate::verdict::EXIT_UNABLE;

pub async fn run(args: ReportArgs) -> Result<i32> {
    let exports = Exports::plan(&args.render.export, None)?;
    if let Some((object, _)) = exports.objects.first() {
        bail!(
            "orr report makes no AWS call, so it cannot write {object}: write a file, or use `orr merge {} --export {object}`, which renders one audit too",
            args.from.display()
        );
    }
    let (audit, sha256) = Audit::load(&args.from)?;
    let written = emit(
        &audit,
        sha256,
        args.render.output(),
        &exports,
        None,
        args.render.table,
    )
    .await?;
    Ok(if written { 0 } else { EXIT_UNABLE })
}
