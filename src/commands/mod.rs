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
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::accounts::Shard;
use crate::audit::Audit;
use crate::cli::{Cli, Command, Output};
use crate::config::Config;
use crate::report::{Format, RenderOptions};
use crate::s3_evidence::{EvidenceStore, S3Location};
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
        Command::Report(args) => report::run(args).await,
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(args).await,
        Command::IamPolicy(args) => {
            let config = Config::load(cli.config.as_deref())?;
            let scope = crate::cli::ScopeArgs {
                selection: args.selection,
                ..Default::default()
            };
            let settings = Settings::resolve(&scope, Default::default(), config)?;
            let policy = crate::policy::render(&settings.checks);
            match &args.export_bucket {
                None => print_stdout(&policy)?,
                Some(bucket) => {
                    print_stdout(&with_evidence_bucket(&policy, bucket, &args.partition)?)?
                }
            }
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

/// The read-only policy with the evidence bucket's statements added after its own.
fn with_evidence_bucket(policy: &str, bucket: &str, partition: &str) -> Result<String> {
    let bucket = match S3Location::parse(&format!("s3://{bucket}")) {
        Some(Ok(location)) if location.key.is_empty() => location.bucket,
        _ => anyhow::bail!(
            "--export-bucket '{}' is not a bucket name: give the name alone (3 to 63 lowercase letters, digits, dots and hyphens), not an s3:// URL",
            crate::text::shorten(bucket, 80)
        ),
    };
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
        anyhow::bail!(
            "--partition '{}' is not an AWS partition: give aws, aws-cn or aws-us-gov",
            crate::text::shorten(partition, 40)
        );
    }
    let mut policy: serde_json::Value =
        serde_json::from_str(policy).context("the read-only policy is not JSON")?;
    policy["Statement"]
        .as_array_mut()
        .context("the read-only policy has no statements")?
        .extend(crate::s3_evidence::policy_statements(&bucket, partition));
    Ok(serde_json::to_string_pretty(&policy).context("cannot write the policy")? + "\n")
}

/// Where the exports go, checked before any work: local files (their folders take a
/// new file), and S3 objects (checked once connected, with `check_objects`).
#[derive(Default)]
struct Exports {
    files: Vec<(PathBuf, Format)>,
    objects: Vec<(S3Location, Format)>,
}

impl Exports {
    /// `--export` values with `{shard}` filled in, each's format from its extension.
    fn plan(paths: &[PathBuf], shard: Option<Shard>) -> Result<Exports> {
        let mut exports = Exports::default();
        for path in paths {
            // A path that is not UTF-8 names neither an S3 object nor `{shard}`.
            let Some(text) = path.to_str() else {
                exports
                    .files
                    .extend(crate::report::plan_exports(std::slice::from_ref(path))?);
                continue;
            };
            let text = Shard::expand(shard, text, "--export").map_err(anyhow::Error::msg)?;
            match S3Location::object(&text) {
                Some(object) => {
                    let object = object?;
                    let format = Format::for_path(Path::new(&object.key))?;
                    exports.objects.push((object, format));
                }
                None => exports
                    .files
                    .extend(crate::report::plan_exports(&[PathBuf::from(text)])?),
            }
        }
        Ok(exports)
    }

    /// Checks every S3 export can be written, before the work starts.
    async fn check_objects(&self, store: &mut EvidenceStore) -> Result<()> {
        for (object, _) in &self.objects {
            store.check_writable(object).await?;
        }
        Ok(())
    }

    /// Writes each S3 export: rendered as a local export is (into a private temporary
    /// folder, so the bytes are the same), then put whole in one PutObject.
    async fn put_objects(
        &self,
        audit: &Audit,
        options: &RenderOptions,
        store: Option<&mut EvidenceStore>,
    ) -> Vec<anyhow::Error> {
        let Some(store) = store else {
            // Every caller with S3 exports connects first; none is ever dropped quietly.
            return self
                .objects
                .iter()
                .map(|(object, _)| anyhow::anyhow!("cannot write {object}: not connected to S3"))
                .collect();
        };
        let folder = match tempfile::tempdir() {
            Ok(folder) => folder,
            Err(error) => {
                return vec![anyhow::Error::new(error)
                    .context("cannot render the S3 exports: no temporary folder")]
            }
        };
        let mut failures = Vec::new();
        for (n, (object, format)) in self.objects.iter().enumerate() {
            let rendered = folder.path().join(n.to_string());
            let written =
                match crate::report::export_all(audit, &[(rendered.clone(), *format)], options)
                    .pop()
                {
                    Some(error) => Err(error),
                    None => {
                        std::fs::read(&rendered).with_context(|| format!("cannot render {object}"))
                    }
                };
            let put = match written {
                Ok(bytes) => store.put(object, bytes, content_type(*format)).await,
                Err(error) => Err(error),
            };
            failures.extend(put.err());
        }
        failures
    }
}

/// What a browser or the S3 console makes of an exported object.
fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json | Format::Asff | Format::Ocsf => "application/json",
        Format::Sarif => "application/sarif+json",
        Format::Html => "text/html; charset=utf-8",
        Format::Junit => "application/xml",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Table => "text/plain; charset=utf-8",
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
async fn emit(
    audit: &Audit,
    audit_sha256: String,
    output: Output,
    exports: &Exports,
    store: Option<&mut EvidenceStore>,
    table: crate::cli::TableArgs,
) -> Result<bool> {
    let options = RenderOptions {
        color: false,
        all: table.all,
        width: crate::report::table::width(table.wide),
        audit_sha256,
    };
    let mut failures = crate::report::export_all(audit, &exports.files, &options);
    failures.extend(exports.put_objects(audit, &options, store).await);
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
