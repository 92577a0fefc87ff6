use std::sync::Arc;

use anyhow::{Context, Result};

use super::{connect, run_checks};
use crate::cli::CollectArgs;
use crate::config::Config;
use crate::finding::Status;
use crate::inventory::snapshot;
use crate::settings::{RunFlags, Settings};

/// Reads what the selected checks need (by running them) and writes it as a snapshot.
pub async fn run(config: Config, args: CollectArgs) -> Result<i32> {
    let settings = Settings::resolve(&args.scope, RunFlags::default(), config)?;
    crate::files::check_writable(&args.out)?;
    let inventory = Arc::new(connect(&settings).await?);
    let findings = run_checks(&settings, inventory.clone()).await;
    snapshot::save(inventory.data(), &args.out)
        .with_context(|| format!("collecting account {}", inventory.account_id()))?;
    let unreadable = findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .count();
    eprintln!(
        "orr: wrote {} (account {}, {}, {} checks){}",
        args.out.display(),
        inventory.account_id(),
        inventory.regions().join(", "),
        settings.checks.len(),
        if unreadable == 0 {
            String::new()
        } else {
            format!("; {unreadable} finding(s) could not be verified and will audit as ERROR")
        }
    );
    Ok(0)
}
