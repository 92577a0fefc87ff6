use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use chrono::Utc;

use super::{connect, print_stdout, run_checks};
use crate::audit::{Audit, Run, Source};
use crate::cli::{AuditArgs, OutputFormat};
use crate::config::Config;
use crate::inventory::{snapshot, Inventory};
use crate::report::{self, table};
use crate::settings::{RunFlags, Settings};

pub async fn run(config: Config, args: AuditArgs) -> Result<i32> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let flags = RunFlags {
        fail_on: args.fail_on,
        check_timeout_secs: args.check_timeout,
    };
    let settings = Settings::resolve(&args.scope, flags, config)?;
    let exports = report::plan_exports(&args.export)?;
    let fail_on = settings.fail_on;

    let (inventory, source) = match &args.snapshot {
        Some(path) => (offline(path, &args.scope.regions)?, Source::Snapshot),
        None => (connect(&settings).await?, Source::Aws),
    };
    let inventory = Arc::new(inventory);
    let findings = run_checks(&settings, inventory.clone()).await;

    let audit = Audit::new(
        Run {
            account_id: inventory.account_id().to_string(),
            regions: inventory.regions().to_vec(),
            source,
            as_of: inventory.as_of(),
            collected_by: inventory.collected_by().map(str::to_string),
            started_at,
            duration_ms: clock.elapsed().as_millis() as u64,
            fail_on,
            checks: settings.checks.iter().map(|c| c.entry.id.clone()).collect(),
        },
        findings,
    );
    for (path, format) in &exports {
        report::export(&audit, path, *format)?;
    }
    match args.output {
        OutputFormat::Table => {
            let color = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let options = table::TableOptions {
                all: args.all,
                color,
            };
            print_stdout(&table::render(&audit, &options))?;
        }
        OutputFormat::Json => print_stdout(&report::json::render(&audit)?)?,
        OutputFormat::None => {}
    }
    Ok(audit.exit_code)
}

/// A snapshot, narrowed to the regions asked for (each of which it must contain).
fn offline(path: &std::path::Path, regions: &[String]) -> Result<Inventory> {
    let mut data = snapshot::load(path)?;
    if !regions.is_empty() {
        let regions = crate::regions::dedup(regions.to_vec());
        for region in &regions {
            if !data.regions.contains(region) {
                bail!(
                    "region {region} is not in snapshot {} (it has: {})",
                    path.display(),
                    data.regions.join(", ")
                );
            }
        }
        data.regions = regions;
    }
    Ok(Inventory::offline(data))
}
