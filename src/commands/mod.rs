//! The subcommands, and what they share: choosing checks, regions and the account.

mod audit;
mod checks;
mod collect;
mod diff;
mod report;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::audit::Audit;
use crate::cli::{Cli, Command, Output};
use crate::config::Config;
use crate::inventory::aws::AwsReader;
use crate::inventory::Inventory;
use crate::report::{Format, RenderOptions};
use crate::runner::{self, RunOptions};
use crate::settings::Settings;

/// Runs the command and returns the process exit code.
pub async fn run(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Collect(args) => collect::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
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

/// Writes the exports, then prints the chosen output. Warnings (stale waivers) are in
/// the table; with any other output they go to stderr, so they are never missed.
fn emit(
    audit: &Audit,
    audit_sha256: String,
    output: Output,
    exports: &[(PathBuf, Format)],
    all: bool,
) -> Result<()> {
    let options = RenderOptions {
        color: false,
        all,
        audit_sha256,
    };
    crate::report::export_all(audit, exports, &options)?;
    if output != Output::Print(Format::Table) {
        for warning in audit.warnings() {
            eprintln!("orr: warning: {}", crate::report::printable(&warning));
        }
    }
    match output {
        Output::Print(Format::Table) => {
            let color = std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let options = RenderOptions { color, ..options };
            print_stdout(&crate::report::table::render(audit, &options))
        }
        Output::Print(format) => print_stdout(&crate::report::render(audit, format, &options)?),
        Output::Nothing => Ok(()),
    }
}

/// Hex SHA-256 of what a report is rendered from.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::finding::hex(&sha2::Sha256::digest(bytes))
}
