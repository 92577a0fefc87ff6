//! The subcommands, and what they share: choosing checks, regions and the account.

mod audit;
mod checks;
mod collect;
mod diff;
mod fleet;
mod inventory;
mod merge;
mod policy;
mod report;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::audit::Audit;
use crate::cli::{Cli, Command, Output};
use crate::config::Config;
use crate::report::{Format, RenderOptions};
use crate::settings::Settings;

/// Exit code after Ctrl-C, as shells report a process ended by SIGINT.
const EXIT_INTERRUPTED: i32 = 130;

/// Runs the command and returns the process exit code. Ctrl-C stops it at once: the
/// files are written only at the end, whole, so an interrupted run leaves none.
pub async fn run(cli: Cli) -> Result<i32> {
    tokio::select! {
        code = dispatch(cli) => code,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("orr: interrupted: nothing was written");
            Ok(EXIT_INTERRUPTED)
        }
    }
}

async fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command {
        Command::Audit(args) => audit::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Collect(args) => collect::run(Config::load(cli.config.as_deref())?, args).await,
        Command::Report(args) => report::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(args),
        Command::IamPolicy(selection) => {
            let config = Config::load(cli.config.as_deref())?;
            let scope = crate::cli::ScopeArgs {
                selection,
                ..Default::default()
            };
            let settings = Settings::resolve(&scope, Default::default(), config)?;
            print_stdout(&crate::policy::render(&settings.checks))?;
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "orr", &mut script);
            print_stdout(&String::from_utf8_lossy(&script))?;
            Ok(0)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .context("cannot render the man page")?;
            print_stdout(&String::from_utf8_lossy(&page))?;
            Ok(0)
        }
        Command::Checks(command) => checks::run(command, &Config::load(cli.config.as_deref())?),
        Command::Policy(command) => policy::run(command, &Config::load(cli.config.as_deref())?),
        Command::Inventory(command) => {
            inventory::run(command, Config::load(cli.config.as_deref())?).await
        }
    }
}

/// Prints to stdout; a closed pipe (`orr audit | head`) is not an error.
fn print_stdout(text: &str) -> Result<()> {
    print_with(|out| Ok(out.write_all(text.as_bytes())?))
}

/// Prints what `fill` writes, as it writes it; a reader that stops early (`| head`)
/// ends the output, not the run.
fn print_with(fill: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match fill(&mut stdout).and_then(|()| Ok(stdout.flush()?)) {
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes the exports, then prints the chosen output. Warnings (stale waivers) are in
/// the table; with any other output they go to stderr, so they are never missed. An
/// export that cannot be written costs nothing else: the output is still printed, the
/// audit JSON is kept in the temporary folder, and the result is `false`.
fn emit(
    audit: &Audit,
    audit_sha256: String,
    output: Output,
    exports: &[(PathBuf, Format)],
    table: crate::cli::TableArgs,
) -> Result<bool> {
    let options = RenderOptions {
        color: false,
        all: table.all,
        width: crate::report::table::width(table.wide),
        audit_sha256,
    };
    let failures = crate::report::export_all(audit, exports, &options);
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
            print_stdout(&crate::report::table::render(audit, &options))?;
        }
        Output::Print(Format::Json) => print_with(|out| crate::report::json::write(audit, out))?,
        Output::Print(format) => print_stdout(&crate::report::render(audit, format, &options)?)?,
        Output::Nothing => {}
    }
    if failures.is_empty() {
        return Ok(true);
    }
    for failure in &failures {
        eprintln!(
            "orr: error: {}",
            crate::report::printable(&format!("{failure:#}"))
        );
    }
    // The account id comes from AWS or a snapshot: only its digits go into a file name.
    let account: String = audit
        .run
        .account_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let kept = std::env::temp_dir().join(format!(
        "orr-audit-{account}-{}.json",
        audit.run.started_at.format("%Y%m%dT%H%M%SZ")
    ));
    match crate::files::write_with(&kept, |out| crate::report::json::write(audit, out)) {
        Ok(()) => eprintln!(
            "orr: the audit is kept in {}: render it again with `orr report --from {} --export FILE`",
            kept.display(),
            kept.display()
        ),
        Err(error) => eprintln!("orr: error: the audit could not be kept either: {error:#}"),
    }
    Ok(false)
}
