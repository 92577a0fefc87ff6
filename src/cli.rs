//! Command-line definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::finding::{Category, Severity};
use crate::inventory::aws::RetryMode;
use crate::report::Format;

const AFTER_HELP: &str = "\
Exit codes:
  0    GO: nothing failed or went unverified (waived findings aside)
  1    NO-GO: a FAIL or ERROR at or above --fail-on (default high)
  2    warnings only: FAIL or ERROR below the threshold, an unattested manual
       criterion, or an expired waiver
  3    the audit could not run (bad flags, config, snapshot or credentials), or an
       output could not be written
  130  interrupted (Ctrl-C): nothing was written

Examples:
  orr audit --snapshot examples/demo-account.json
  orr audit --profile prod --region us-east-1 --region eu-west-1
  orr audit --service rds --fail-on critical --export audit.json
  orr audit --export audit.json --export report.html --export results.sarif
  orr audit --baseline last-week.json
  orr audit --org --account-concurrency 8 --export org.json
  orr audit --org --shard 2/4 --export shard-2.json    # then: orr merge shard-*.json
  orr audit --org --shard env/4 --export 's3://evidence/run-42/shard-{shard}.json'
  orr merge s3://evidence/run-42/ --export s3://evidence/run-42/org.html
  orr audit --role-arn arn:aws:iam::123456789012:role/orr-audit --all-regions
  orr report --from audit.json --export report.html
  orr diff last-week.json audit.json
  orr collect --out snapshot.json
  orr checks show rds.force_ssl";

#[derive(Debug, Parser)]
#[command(
    name = "orr",
    version,
    about = "Operational readiness review: audit an AWS account before calling it production ready",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// Config file (default: ./orr.toml when present)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the checks against AWS (or a snapshot), print the findings, exit with the verdict
    #[command(after_help = AFTER_HELP)]
    Audit(AuditArgs),
    /// Read the account into a snapshot file for offline audits
    #[command(
        after_help = "Example:\n  orr collect --profile prod --region eu-west-1 --out prod.json"
    )]
    Collect(CollectArgs),
    /// Render a saved JSON audit again, in any format, with no AWS access
    #[command(
        after_help = "The same JSON gives the same file, byte for byte.\n\nExamples:\n  orr report --from audit.json --export report.html\n  orr report --from audit.json --output markdown >> \"$GITHUB_STEP_SUMMARY\""
    )]
    Report(ReportArgs),
    /// Combine shard audits (`orr audit --shard K/N --export ...json`) into one audit
    #[command(
        after_help = "The merged audit has the findings, summaries and verdict one run over all the accounts would give; the exit code is its verdict's (0, 1 or 2), 3 if the parts cannot be merged.\n\nExamples:\n  orr merge shard-*.json --export org.json --export org.html\n  orr merge shard-*.json --output markdown >> \"$GITHUB_STEP_SUMMARY\"\n  orr merge s3://evidence/run-42/ --export s3://evidence/run-42/org.json"
    )]
    Merge(MergeArgs),
    /// Compare two JSON audits: new failures, fixed, still failing, changed severity
    #[command(
        after_help = "Findings are matched by fingerprint (check, account, region, resource).\nExit 1 when a new FAIL or ERROR is at or above --fail-on, 0 otherwise, 3 if a file cannot be read.\n\nExample:\n  orr diff last-week.json audit.json --fail-on medium"
    )]
    Diff(DiffArgs),
    /// Browse the check catalog
    #[command(subcommand)]
    Checks(ChecksCommand),
    /// Print the least-privilege IAM policy (JSON) for the selected checks
    #[command(
        name = "iam-policy",
        after_help = "Every action is a read, but for --export-bucket's writes to the evidence bucket. Attach the policy to the role or user orr runs as.\n\nExamples:\n  orr iam-policy > orr-policy.json\n  orr iam-policy --service rds,s3\n  orr iam-policy --export-bucket orr-evidence"
    )]
    IamPolicy(IamPolicyArgs),
    /// Your own checks: test Rego policies
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// The inventory as policies see it
    #[command(subcommand)]
    Inventory(InventoryCommand),
    /// Print a shell completion script
    #[command(
        after_help = "Install, for example:\n  orr completions bash > ~/.local/share/bash-completion/completions/orr\n  orr completions zsh > \"${fpath[1]}/_orr\"\n  orr completions fish > ~/.config/fish/completions/orr.fish"
    )]
    Completions {
        /// bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Install, for example:\n  orr man > ~/.local/share/man/man1/orr.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The JSON audit to render (written by `orr audit --export FILE.json`)
    #[arg(long, value_name = "FILE")]
    pub from: PathBuf,

    #[command(flatten)]
    pub render: RenderArgs,
}

/// Where a saved or merged audit goes.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// What to print on stdout [default: table, or none when --export is given]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub output: Option<Output>,

    /// Write the audit to FILE or s3://BUCKET/KEY, format from its extension; repeatable
    #[arg(long, value_name = "FILE")]
    pub export: Vec<PathBuf>,

    #[command(flatten)]
    pub table: TableArgs,
}

impl RenderArgs {
    /// The output asked for, else the table when no file is written, else nothing.
    pub fn output(&self) -> Output {
        self.output.unwrap_or(if self.export.is_empty() {
            Output::Print(crate::report::Format::Table)
        } else {
            Output::Nothing
        })
    }
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard audits (JSON written by `orr audit --export FILE.json`), or
    /// s3://BUCKET/PREFIX/ for every .json object under that prefix
    #[arg(required = true, value_name = "AUDIT")]
    pub audits: Vec<PathBuf>,

    #[command(flatten)]
    pub aws: EvidenceAwsArgs,

    #[command(flatten)]
    pub render: RenderArgs,

    /// Accept an account in more than one audit (the later run's findings are kept)
    #[arg(long)]
    pub allow_overlap: bool,

    /// Accept audits of different orr versions, check selections, --fail-on or orr.toml
    #[arg(long)]
    pub allow_mixed: bool,
}

/// How `orr merge` reaches S3 when a part or an export is there: the caller's own
/// credential chain, as the audit's.
#[derive(Debug, Clone, Default, Args)]
pub struct EvidenceAwsArgs {
    /// AWS profile for s3:// paths (default: the credential chain)
    #[arg(long)]
    pub profile: Option<String>,

    /// Region of the requests for s3:// paths (default: the profile's region); a
    /// bucket elsewhere is found from its answer
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Send the S3 requests to this URL instead (an emulator such as moto);
    /// AWS_ENDPOINT_URL works too
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

/// `orr iam-policy`: the checks whose reads it allows, and where evidence is written.
#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Also allow writing evidence to this bucket (`--export s3://BUCKET/...`) and
    /// reading it back (`orr merge s3://BUCKET/...`): s3:PutObject, s3:GetObject on its
    /// objects and s3:ListBucket on it
    #[arg(long, value_name = "BUCKET")]
    pub export_bucket: Option<String>,

    /// The partition of the bucket's ARN: aws, aws-cn or aws-us-gov
    #[arg(
        long,
        value_name = "PARTITION",
        default_value = "aws",
        requires = "export_bucket"
    )]
    pub partition: String,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON audit
    pub old: PathBuf,
    /// The later JSON audit
    pub new: PathBuf,

    /// Lowest severity of a new failure that makes the exit code 1 [default: the later audit's]
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// table or json
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
}

/// How the table shows findings.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct TableArgs {
    /// List every finding in the table, passes included
    #[arg(long)]
    pub all: bool,

    /// Show resource ids and messages whole instead of fitting the table to the
    /// terminal (COLUMNS, else its width)
    #[arg(long)]
    pub wide: bool,
}

/// Which checks.
#[derive(Debug, Clone, Default, Args)]
pub struct SelectionArgs {
    /// Only these check ids (comma-separated)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub checks: Vec<String>,

    /// Only checks of this category (repeatable)
    #[arg(long = "category", value_name = "CATEGORY", value_delimiter = ',')]
    pub categories: Vec<Category>,

    /// Only checks of this service, e.g. rds (repeatable)
    #[arg(long = "service", value_name = "SERVICE", value_delimiter = ',')]
    pub services: Vec<String>,

    #[command(flatten)]
    pub policies: PolicyArgs,
}

/// Where users' own checks are.
#[derive(Debug, Clone, Default, Args)]
pub struct PolicyArgs {
    /// Also run your own checks: the Rego policies (NAME.rego + NAME.toml) in this
    /// folder; repeatable, added to orr.toml's [policies] dirs
    #[arg(long = "policy", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

/// Which account, regions and checks.
#[derive(Debug, Clone, Default, Args)]
pub struct ScopeArgs {
    /// AWS profile from your AWS config (default: the credential chain)
    #[arg(long)]
    pub profile: Option<String>,

    /// Region to audit; repeat or comma-separate for several (default: the profile's region)
    #[arg(long = "region", value_name = "REGION", value_delimiter = ',')]
    pub regions: Vec<String>,

    #[command(flatten)]
    pub selection: SelectionArgs,

    /// Send every AWS request to this URL instead (an emulator such as moto);
    /// AWS_ENDPOINT_URL works too
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Upper bound on AWS requests in flight [default: 16, or orr.toml]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,

    /// Attempts per AWS call, the first included [default: 8, or orr.toml]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub max_attempts: Option<u32>,

    /// How the SDK retries [default: standard, or orr.toml]
    #[arg(long, value_enum, value_name = "MODE")]
    pub retry_mode: Option<RetryMode>,

    /// Seconds one AWS call may take, retries included [default: 90, or orr.toml]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub call_timeout: Option<u64>,

    /// Audit every region enabled in the account (EC2 DescribeRegions) instead of --region
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,

    #[command(flatten)]
    pub accounts: AccountArgs,
}

/// Which accounts.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Accounts")]
pub struct AccountArgs {
    /// Audit the account of this IAM role, assumed from your credentials
    #[arg(long, value_name = "ARN", conflicts_with_all = ["org", "accounts"])]
    pub role_arn: Option<String>,

    /// External id the role's trust policy requires (with --role-arn, --org or --accounts)
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,

    /// Audit every ACTIVE account of the organization (run from its management or a
    /// delegated administrator account)
    #[arg(long)]
    pub org: bool,

    /// Role assumed in each account named by id [default: OrganizationAccountAccessRole]
    #[arg(long, value_name = "NAME")]
    pub org_role: Option<String>,

    /// Only these account ids (comma-separated); without --org, each is reached through --org-role
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub accounts: Vec<String>,

    /// Leave these account ids out (comma-separated)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub exclude_accounts: Vec<String>,

    /// Accounts audited at once [default: 4, or orr.toml]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub account_concurrency: Option<u16>,

    /// Audit only the K-th of N parts of the selected accounts, combined later with
    /// `orr merge`: K/N (1-based, e.g. 2/4, a CI matrix job), or env/N to take the
    /// 0-based index from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or
    /// AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job); `{shard}` in an --export path
    /// becomes K-of-N
    #[arg(long, value_name = "K/N|env/N")]
    pub shard: Option<crate::accounts::Shard>,
}

impl ScopeArgs {
    /// The flags that only mean something when orr talks to AWS, by name, if given.
    pub fn aws_only_flags(&self) -> Vec<&'static str> {
        [
            ("--profile", self.profile.is_some()),
            ("--endpoint-url", self.endpoint_url.is_some()),
            ("--concurrency", self.concurrency.is_some()),
            ("--max-attempts", self.max_attempts.is_some()),
            ("--retry-mode", self.retry_mode.is_some()),
            ("--call-timeout", self.call_timeout.is_some()),
            ("--all-regions", self.all_regions),
            ("--role-arn", self.accounts.role_arn.is_some()),
            ("--external-id", self.accounts.external_id.is_some()),
            ("--org", self.accounts.org),
            ("--org-role", self.accounts.org_role.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Audit this snapshot instead of AWS (no AWS calls at all)
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// Lowest severity whose FAIL or ERROR makes the run NO-GO [default: high, or orr.toml]
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,

    /// What to print on stdout
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "table")]
    pub output: Output,

    /// Also write the audit to FILE or s3://BUCKET/KEY, format from its extension
    /// (.json, .html, .sarif, .xml for JUnit, .md, .txt, .asff.json, .ocsf.json);
    /// `{shard}` becomes the shard's K-of-N; repeatable
    #[arg(long, value_name = "FILE")]
    pub export: Vec<PathBuf>,

    /// An earlier JSON audit: only FAIL and ERROR findings that are new since it count
    /// for the exit code (every finding is still shown, the new ones marked)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Exit 0 once the audit ran and its outputs are written, whatever the verdict (it is
    /// still in every output): for a shard of a fleet job, whose engine would take
    /// NO-GO for a failed task, the merge giving the verdict; 3 still when it cannot run
    #[arg(long)]
    pub exit_zero: bool,

    #[command(flatten)]
    pub table: TableArgs,

    /// Seconds one check may take before it is reported as ERROR [default: 300, or orr.toml]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub check_timeout: Option<u64>,
}

/// What `--output` prints: a format, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Print(Format),
    /// Nothing (use the exit code and --export)
    Nothing,
}

impl ValueEnum for Output {
    fn value_variants<'a>() -> &'a [Self] {
        use Format::*;
        &[
            Output::Print(Table),
            Output::Print(Json),
            Output::Print(Html),
            Output::Print(Sarif),
            Output::Print(Junit),
            Output::Print(Markdown),
            Output::Print(Asff),
            Output::Print(Ocsf),
            Output::Nothing,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self {
            Output::Print(format) => format.to_possible_value(),
            Output::Nothing => Some(
                clap::builder::PossibleValue::new("none")
                    .help("Nothing (use the exit code and --export)"),
            ),
        }
    }
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,

    /// Where to write the snapshot
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ChecksCommand {
    /// The catalog as a table, or grouped by a framework's pillars and practices
    #[command(
        after_help = "Examples:\n  orr checks list\n  orr checks list --framework well-architected\n  orr checks list --framework orr-lens --output json"
    )]
    List {
        /// table or json
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        output: ListFormat,
        #[command(flatten)]
        policies: PolicyArgs,
        /// Group by AWS Well-Architected pillar and best practice, or by the AWS ORR
        /// lens's pillars and questions (those no check answers are listed too)
        #[arg(long, value_enum)]
        framework: Option<crate::frameworks::Framework>,
    },
    /// One check in full: what passes, risk, remediation, references
    Show {
        /// Check id, e.g. rds.force_ssl
        id: String,
        /// text or json
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        output: ListFormat,
        #[command(flatten)]
        policies: PolicyArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the test_* rules of each folder's NAME_test.rego files (OPA style) and check
    /// its policies load; exit 0 when every test passes, 1 when one fails
    #[command(
        after_help = "Examples:\n  orr policy test examples/policies\n  orr policy test policies/ team-policies/"
    )]
    Test {
        /// Policy folders
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InventoryCommand {
    /// The names of the pieces a policy can declare as inputs
    #[command(after_help = "Example:\n  orr inventory list")]
    List,
    /// One piece as a policy reads it (input.SERVICE.FIELD), for each audited region
    #[command(
        after_help = "A piece is {\"ok\": VALUE} when it was read, {\"error\": {...}} when it was not.\n\nExamples:\n  orr inventory show rds.instances --snapshot examples/demo-account.json\n  orr inventory show tagging.resources --profile prod --region eu-west-1\n  orr inventory show --schema lambda.functions      # what each field is (JSON Schema)\n  orr inventory show --schema input                 # a regional policy's whole input"
    )]
    Show {
        /// Piece name, e.g. rds.instances (`orr inventory list` names them all); with
        /// --schema, `input` for a policy's whole input
        piece: String,
        /// Print the JSON Schema of what this prints (each field described), reading
        /// nothing
        #[arg(long, conflicts_with = "snapshot")]
        schema: bool,
        /// Read it from this snapshot instead of AWS
        #[arg(long, value_name = "FILE")]
        snapshot: Option<PathBuf>,
        #[command(flatten)]
        scope: Box<ScopeArgs>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Human-readable
    Table,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn regions_and_checks_accept_repeats_and_commas() {
        let cli = Cli::try_parse_from([
            "orr",
            "audit",
            "--region",
            "us-east-1,eu-west-1",
            "--region",
            "eu-central-1",
            "--checks",
            "iam.root_mfa,rds.multi_az",
            "--category",
            "security",
        ])
        .unwrap();
        let Command::Audit(args) = cli.command else {
            panic!("not audit")
        };
        assert_eq!(
            args.scope.regions,
            ["us-east-1", "eu-west-1", "eu-central-1"]
        );
        assert_eq!(
            args.scope.selection.checks,
            ["iam.root_mfa", "rds.multi_az"]
        );
        assert_eq!(args.scope.selection.categories, [Category::Security]);
    }

    #[test]
    fn bad_severity_is_a_usage_error() {
        let error = Cli::try_parse_from(["orr", "audit", "--fail-on", "severe"]).unwrap_err();
        assert!(error.to_string().contains("severe"));
    }
}
