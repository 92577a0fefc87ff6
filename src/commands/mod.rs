//! The subcommands, and what they share: choosing checks, regions and the account.

mod audit;
mod checks;
mod collect;

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::catalog::Catalog;
use crate::cli::{Cli, Command, ScopeArgs};
use crate::config::{Config, Selection};
use crate::inventory::aws::{AwsReader, ConnectOptions};
use crate::inventory::Inventory;
use crate::registry::{self, SelectedCheck};
use crate::runner::{self, RunOptions};

const DEFAULT_CONCURRENCY: usize = 16;
const DEFAULT_CHECK_TIMEOUT_SECS: u64 = 300;

/// Runs the command and returns the process exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit::run(&Config::load(cli.config.as_deref())?, args).await,
        Command::Collect(args) => collect::run(&Config::load(cli.config.as_deref())?, args).await,
        Command::Checks(command) => checks::run(command),
    }
}

/// Flags narrow what orr.toml selects: each flag given replaces that part of the
/// file's selection; the file's exclusions always apply.
fn select_checks(
    scope: &ScopeArgs,
    config: &Config,
    catalog: &Catalog,
) -> Result<Vec<SelectedCheck>> {
    let file = &config.selection;
    let selection = Selection {
        checks: flag_or_file(&scope.checks, &file.checks),
        categories: flag_or_file(&scope.categories, &file.categories),
        services: flag_or_file(&scope.services, &file.services),
        exclude: file.exclude.clone(),
    };
    let mut selected = registry::select(catalog, &selection)?;
    registry::apply_severity_overrides(&mut selected, catalog, &config.severity)?;
    Ok(selected)
}

fn flag_or_file<T: Clone>(flag: &[T], file: &[T]) -> Vec<T> {
    if flag.is_empty() { file } else { flag }.to_vec()
}

/// The regions asked for by flag, else by orr.toml; empty means the profile's region.
fn requested_regions(scope: &ScopeArgs, config: &Config) -> Result<Vec<String>> {
    let regions = flag_or_file(&scope.regions, &config.regions);
    for region in &regions {
        crate::regions::validate(region).map_err(anyhow::Error::msg)?;
    }
    Ok(crate::regions::dedup(regions))
}

/// Connects to AWS with the credential chain and verifies the credentials.
async fn connect(scope: &ScopeArgs, config: &Config) -> Result<Inventory> {
    let options = ConnectOptions {
        profile: scope.profile.clone().or_else(|| config.profile.clone()),
        endpoint_url: scope.endpoint_url.clone(),
        regions: requested_regions(scope, config)?,
        concurrency: scope
            .concurrency
            .map(usize::from)
            .or(config.concurrency)
            .unwrap_or(DEFAULT_CONCURRENCY),
    };
    let connection = AwsReader::connect(&options).await?;
    for region in &connection.regions {
        crate::regions::validate(region)
            .map_err(|e| anyhow::anyhow!("{e} (from your AWS configuration)"))?;
    }
    Ok(Inventory::live(connection))
}

/// Runs the selected checks over the inventory; what they read stays in it.
async fn run_checks(
    selected: &[SelectedCheck],
    inventory: Arc<Inventory>,
    config: &Config,
    check_timeout: Option<u64>,
) -> Vec<crate::finding::Finding> {
    let options = RunOptions {
        check_timeout: Duration::from_secs(
            check_timeout
                .or(config.check_timeout_secs)
                .unwrap_or(DEFAULT_CHECK_TIMEOUT_SECS),
        ),
        progress: true,
    };
    runner::run(
        selected,
        inventory,
        Arc::new(config.thresholds.clone()),
        &options,
    )
    .await
}

/// Prints to stdout; a closed pipe (`orr audit | head`) is not an error.
fn print_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
