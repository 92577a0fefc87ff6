use anyhow::{Context, Result};

use super::fleet;
use crate::cli::CollectArgs;
use crate::config::Config;
use crate::finding::Status;
use crate::inventory::snapshot;
use crate::settings::{RunFlags, Settings};

/// Reads what the selected checks need (by running them) and writes it as a snapshot:
/// one account, or every account selected (with the ones that could not be read).
pub async fn run(config: Config, args: CollectArgs) -> Result<i32> {
    let settings = Settings::resolve(&args.scope, RunFlags::default(), config)?;
    crate::files::check_writable(&args.out)?;
    let fleet = fleet::live(&settings, fleet::Keep::Inventory).await?;
    let read: Vec<_> = fleet
        .accounts
        .iter()
        .filter_map(|a| a.inventory.clone())
        .collect();
    let data: Vec<_> = read.iter().map(|inventory| inventory.data()).collect();
    let unreachable: Vec<_> = fleet
        .accounts
        .iter()
        .filter_map(|a| a.unreachable.clone())
        .collect();
    snapshot::save(&fleet.caller, &data, &unreachable, &args.out)
        .with_context(|| format!("collecting account {}", fleet.caller.account_id))?;
    let unverified = fleet
        .accounts
        .iter()
        .flat_map(|a| &a.findings)
        .filter(|f| f.status == Status::Error)
        .count();
    let regions = crate::audit::regions_of(fleet.accounts.iter().map(|a| &a.record));
    eprintln!(
        "orr: wrote {} ({}, {}, {} check{}){}",
        args.out.display(),
        match fleet.accounts.as_slice() {
            [one] => format!("account {}", one.record.id),
            many => format!("{} accounts, {} unreachable", many.len(), unreachable.len()),
        },
        regions.join(", "),
        settings.checks.len(),
        crate::verdict::plural(settings.checks.len()),
        if unverified == 0 {
            String::new()
        } else {
            format!(
                "; {unverified} finding{} could not be verified and will audit as ERROR",
                crate::verdict::plural(unverified)
            )
        }
    );
    Ok(0)
}
