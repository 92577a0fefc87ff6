//! The subcommands, and what they share: choosing checks, regions and the account.

mod audit;
mod checks;
mod collect;

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::inventory::aws::AwsReader;
use crate::inventory::Inventory;
use crate::runner::{self, RunOptions};
use crate::settings::Settings;

/// Runs the command and returns the process exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Collect(args) => collect::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Checks(command) => checks::run(command),
    }
}

/// Connects to AWS with the credential chain and verifies the credentials.
async fn connect(settings: &Settings) -> Result<Inventory> {
    let connection = AwsReader::connect(&settings.connect).await?;
    for region in &connection.regions {
        crate::regions::validate(region)
            .map_err(|e| anyhow::anyhow!("{e} (from your AWS configuration)"))?;
    }
    Ok(Inventory::live(connection))
}

/// Runs the selected checks over the inventory; what they read stays in it.
async fn run_checks(
    settings: &Settings,
    inventory: Arc<Inventory>,
) -> Vec<crate::finding::Finding> {
    let options = RunOptions {
        check_timeout: settings.check_timeout,
        progress: true,
    };
    runner::run(
        &settings.checks,
        inventory,
        settings.rules.clone(),
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
