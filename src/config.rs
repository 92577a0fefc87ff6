//! `orr.toml`: regions, selection, severity overrides and check thresholds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::finding::{Category, Severity};

pub const DEFAULT_FILE: &str = "orr.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Regions to audit when `--region` is not given.
    pub regions: Vec<String>,
    /// AWS profile when `--profile` is not given.
    pub profile: Option<String>,
    /// Lowest severity whose FAIL or ERROR makes the run NO-GO.
    pub fail_on: Option<Severity>,
    /// Upper bound on AWS requests in flight.
    pub concurrency: Option<usize>,
    /// Seconds one check may take before it is reported as ERROR.
    pub check_timeout_secs: Option<u64>,
    /// Attempts per AWS call, the first included.
    pub max_attempts: Option<u32>,
    pub retry_mode: Option<crate::inventory::aws::RetryMode>,
    /// Seconds one AWS call may take, retries included.
    pub call_timeout_secs: Option<u64>,
    pub selection: Selection,
    /// Check id to the severity this team gives it.
    pub severity: BTreeMap<String, Severity>,
    pub thresholds: Thresholds,
    /// Manual criteria a person has attested.
    pub attestations: Vec<Attestation>,
    /// Accepted risks: FAIL or ERROR findings that become WAIVED until a date.
    pub waivers: Vec<WaiverEntry>,
    /// Who signs the report, by role.
    pub signoff: Vec<Signatory>,
    /// Which accounts (`--org`, `--accounts` and the rest when not given as flags).
    pub accounts: AccountsConfig,
    /// Users' own checks (Rego policies).
    pub policies: PoliciesConfig,
}

/// `[policies]`: where users' Rego policies are and how they run.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PoliciesConfig {
    /// Policy folders, relative to this file; `--policy DIR` adds to them.
    pub dirs: Vec<PathBuf>,
    /// Seconds one policy evaluation may take before it is that check's ERROR.
    pub timeout_secs: Option<u64>,
    /// Policy id to the thresholds this team sets for it (over the policy's own).
    pub thresholds: BTreeMap<String, toml::Table>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountsConfig {
    pub org: bool,
    pub org_role: Option<String>,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub concurrency: Option<usize>,
}

/// A `[[waivers]]` entry as written. Every field is optional here so that a missing one
/// is reported by its key (`waivers[2].expires`), not as a bare "missing field".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiverEntry {
    pub check: Option<String>,
    pub resource: Option<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    /// Any TOML value, so that a quoted or malformed date is reported by its key.
    pub expires: Option<toml::Value>,
}

/// A waiver after validation: every field present, the glob compiled, the date a date.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub index: usize,
    pub check: String,
    pub resource: String,
    pub matcher: globset::GlobMatcher,
    pub reason: String,
    pub approved_by: String,
    pub expires: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub role: String,
    /// Left empty, the report prints a blank line to write the name on.
    #[serde(default)]
    pub name: String,
}

/// A person's word that a manual criterion (`manual.*`) is met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub item: String,
    pub by: String,
    /// A TOML date (`2026-11-20`); checked to be a date alone when the config is loaded.
    pub date: toml::value::Datetime,
    /// A link to the evidence (a drill report, a test run).
    #[serde(default)]
    pub evidence: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Selection {
    pub checks: Vec<String>,
    pub categories: Vec<Category>,
    pub services: Vec<String>,
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub iam: IamThresholds,
    pub rds: RdsThresholds,
    pub ec2: Ec2Thresholds,
    pub ecs: EcsThresholds,
    pub logs: LogsThresholds,
    pub cloudwatch: CloudWatchThresholds,
    pub budgets: BudgetThresholds,
    pub lambda: LambdaThresholds,
    pub acm: AcmThresholds,
    pub secretsmanager: SecretsManagerThresholds,
    pub backup: BackupThresholds,
    pub manual: ManualThresholds,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IamThresholds {
    pub password_min_length: i32,
    pub password_reuse_prevention: i32,
    pub access_key_max_age_days: i64,
    pub credential_unused_days: i64,
    /// `iam.no_admin_policies` leaves out customer-managed policies used only as
    /// permissions boundaries (AWS Config's `excludePermissionBoundaryPolicy`).
    pub exclude_permission_boundary_policies: bool,
}

impl Default for IamThresholds {
    fn default() -> Self {
        IamThresholds {
            password_min_length: 14,
            password_reuse_prevention: 24,
            access_key_max_age_days: 90,
            credential_unused_days: 90,
            exclude_permission_boundary_policies: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RdsThresholds {
    pub backup_retention_days: i32,
    pub performance_insights_retention_days: i32,
    pub enhanced_monitoring_max_interval_secs: i32,
}

impl Default for RdsThresholds {
    fn default() -> Self {
        RdsThresholds {
            backup_retention_days: 7,
            performance_insights_retention_days: 7,
            enhanced_monitoring_max_interval_secs: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ec2Thresholds {
    /// Ports no security group may open to the whole internet.
    pub admin_ports: Vec<u16>,
}

impl Default for Ec2Thresholds {
    fn default() -> Self {
        Ec2Thresholds {
            admin_ports: vec![
                20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 1521, 3000, 3306, 3389, 4333,
                5000, 5432, 5500, 5601, 6379, 8080, 8088, 8888, 9200, 9300, 11211, 27017,
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EcsThresholds {
    /// The lowest acceptable minimum task count of a service's scalable target.
    pub min_capacity: u32,
    /// The highest acceptable maximum task count, a ceiling that bounds cost; none by
    /// default (what a service needs is the team's call, not a tool's).
    pub max_capacity: Option<u32>,
    /// A CPU target-tracking policy must aim at or below this utilisation.
    pub cpu_target_percent: f64,
    /// A memory target-tracking policy must aim at or below this utilisation.
    pub memory_target_percent: f64,
}

impl Default for EcsThresholds {
    fn default() -> Self {
        EcsThresholds {
            min_capacity: 1,
            max_capacity: None,
            cpu_target_percent: 70.0,
            memory_target_percent: 80.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogsThresholds {
    pub min_retention_days: u32,
    /// No maximum unless set: keeping logs longer is a cost choice, and audit rules ask
    /// for a year or more (PCI DSS 10.5.1, AWS Config's 365-day default minimum).
    pub max_retention_days: Option<u32>,
    /// Log groups (globs over the name, matched without case) allowed to keep logs
    /// longer than the maximum.
    pub long_retention_patterns: Vec<String>,
}

impl Default for LogsThresholds {
    fn default() -> Self {
        LogsThresholds {
            min_retention_days: 30,
            max_retention_days: None,
            long_retention_patterns: vec!["*audit*".into(), "*cloudtrail*".into()],
        }
    }
}

/// The metrics each kind of resource must have an alarm on, as `Namespace:MetricName`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CloudWatchThresholds {
    pub min_dashboards: u32,
    pub ecs_service_metrics: Vec<String>,
    pub rds_instance_metrics: Vec<String>,
    pub sqs_queue_metrics: Vec<String>,
    pub lambda_function_metrics: Vec<String>,
}

impl Default for CloudWatchThresholds {
    fn default() -> Self {
        let metrics = |list: &[&str]| list.iter().map(|m| m.to_string()).collect();
        CloudWatchThresholds {
            min_dashboards: 1,
            ecs_service_metrics: metrics(&[
                "AWS/ECS:CPUUtilization",
                "AWS/ECS:MemoryUtilization",
                "ECS/ContainerInsights:RunningTaskCount",
            ]),
            rds_instance_metrics: metrics(&[
                "AWS/RDS:CPUUtilization",
                "AWS/RDS:FreeableMemory",
                "AWS/RDS:DatabaseConnections",
                "AWS/RDS:ReadLatency",
                "AWS/RDS:WriteLatency",
            ]),
            sqs_queue_metrics: metrics(&[
                "AWS/SQS:ApproximateAgeOfOldestMessage",
                "AWS/SQS:ApproximateNumberOfMessagesVisible",
            ]),
            lambda_function_metrics: metrics(&[
                "AWS/Lambda:Errors",
                "AWS/Lambda:Throttles",
                "AWS/Lambda:Duration",
            ]),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetThresholds {
    /// The highest acceptable monthly limit, in the budget's currency; none by default
    /// (any limit is the account owner's decision; a budget must have one).
    pub max_monthly_limit: Option<f64>,
    /// Percentages of the limit at which a notification must alert.
    pub alert_percentages: Vec<f64>,
}

impl Default for BudgetThresholds {
    fn default() -> Self {
        BudgetThresholds {
            max_monthly_limit: None,
            alert_percentages: vec![80.0, 100.0],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LambdaThresholds {
    /// The share of the region's concurrency quota that reserved concurrency must leave
    /// to every other function. (AWS itself always keeps 100 unreserved, far too few for
    /// a busy account at the default quota of 1,000.)
    pub min_unreserved_percent: f64,
}

impl Default for LambdaThresholds {
    fn default() -> Self {
        LambdaThresholds {
            min_unreserved_percent: 20.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AcmThresholds {
    /// A certificate in use must stay valid at least this long. ACM starts renewing its
    /// own certificates 60 days before expiry, so one this close has not renewed.
    pub min_days_to_expiry: i64,
}

impl Default for AcmThresholds {
    fn default() -> Self {
        AcmThresholds {
            min_days_to_expiry: 30,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecretsManagerThresholds {
    /// How late a scheduled rotation may be before it counts as failing (the rotation
    /// window itself can be up to a day long).
    pub rotation_grace_days: i64,
}

impl Default for SecretsManagerThresholds {
    fn default() -> Self {
        SecretsManagerThresholds {
            rotation_grace_days: 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BackupThresholds {
    /// The newest completed backup of a resource a rule selects that runs at least daily
    /// may be at most this old (a day and two hours of slack); a slower rule adds the
    /// rest of its interval (weekly: 7 days, monthly: 31 days).
    pub max_backup_age_hours: i64,
}

impl Default for BackupThresholds {
    fn default() -> Self {
        BackupThresholds {
            max_backup_age_hours: 26,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ManualThresholds {
    /// A completed AWS FIS experiment this recent evidences `manual.chaos_experiment`.
    pub chaos_experiment_max_age_days: i64,
    /// A completed AWS Backup restore job this recent evidences
    /// `manual.backup_restore_tested`.
    pub restore_test_max_age_days: i64,
}

impl Default for ManualThresholds {
    fn default() -> Self {
        ManualThresholds {
            chaos_experiment_max_age_days: 90,
            restore_test_max_age_days: 90,
        }
    }
}

impl Config {
    /// The file named by `--config` (which must exist), else `./orr.toml` if present,
    /// else the defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let path: PathBuf = match explicit {
            Some(path) => path.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_FILE);
                if !default.exists() {
                    return Ok(Config::default());
                }
                default
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        let mut config =
            Self::parse(&text).with_context(|| format!("invalid config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        for dir in &mut config.policies.dirs {
            *dir = base.join(&*dir);
        }
        Ok(config)
    }

    pub fn parse(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!(one_line(&e)))?;
        config.validate()?;
        Ok(config)
    }

    /// The waivers, each checked: what the types alone cannot say, the error naming the
    /// key. (Whether `check` names a real check is the catalog's to say: `Settings`.)
    pub fn waivers(&self) -> Result<Vec<Waiver>> {
        self.waivers
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let key = format!("waivers[{index}]");
                let text = |value: &Option<String>, field: &str, hint: &str| match value {
                    Some(value) if !value.trim().is_empty() => Ok(value.clone()),
                    Some(_) => bail!("{key}.{field} is empty: {hint}"),
                    None => bail!("{key}.{field} is missing: {hint}"),
                };
                let check = text(&entry.check, "check", "the id of the check it waives")?;
                let resource = text(
                    &entry.resource,
                    "resource",
                    "a glob over the finding's resource id (\"*\" for every resource)",
                )?;
                let reason = text(&entry.reason, "reason", "why the risk is accepted")?;
                let approved_by = text(&entry.approved_by, "approved_by", "who accepted it")?;
                let expires = match &entry.expires {
                    None => bail!("{key}.expires is missing: every waiver needs an expiry date, like 2027-03-31"),
                    Some(toml::Value::Datetime(day)) => day_of(day),
                    Some(_) => None,
                };
                let Some(expires) = expires else {
                    bail!(
                        "{key}.expires is {}: give the day alone as a TOML date, like 2027-03-31 (no quotes)",
                        entry.expires.as_ref().map(|v| v.to_string()).unwrap_or_default()
                    );
                };
                let matcher = globset::Glob::new(&resource)
                    .map_err(|e| anyhow::anyhow!("{key}.resource '{resource}' is not a valid glob: {e}"))?
                    .compile_matcher();
                Ok(Waiver { index, check, resource, matcher, reason, approved_by, expires })
            })
            .collect()
    }

    /// What the types alone cannot say, each error naming the key.
    fn validate(&self) -> Result<()> {
        let in_range = |key: &str, value: Option<u64>, low: u64, high: u64| match value {
            Some(n) if n < low || n > high => {
                bail!("{key} = {n} is out of range: give {low} to {high}")
            }
            _ => Ok(()),
        };
        in_range("concurrency", self.concurrency.map(|n| n as u64), 1, 256)?;
        in_range("policies.timeout_secs", self.policies.timeout_secs, 1, 3600)?;
        in_range(
            "accounts.concurrency",
            self.accounts.concurrency.map(|n| n as u64),
            1,
            64,
        )?;
        in_range("check_timeout_secs", self.check_timeout_secs, 1, 86_400)?;
        in_range("max_attempts", self.max_attempts.map(u64::from), 1, 20)?;
        in_range("call_timeout_secs", self.call_timeout_secs, 1, 3600)?;
        let iam = &self.thresholds.iam;
        let rds = &self.thresholds.rds;
        for (key, value) in [
            (
                "thresholds.iam.password_min_length",
                i64::from(iam.password_min_length),
            ),
            (
                "thresholds.iam.password_reuse_prevention",
                i64::from(iam.password_reuse_prevention),
            ),
            (
                "thresholds.iam.access_key_max_age_days",
                iam.access_key_max_age_days,
            ),
            (
                "thresholds.iam.credential_unused_days",
                iam.credential_unused_days,
            ),
            (
                "thresholds.rds.backup_retention_days",
                i64::from(rds.backup_retention_days),
            ),
            (
                "thresholds.rds.performance_insights_retention_days",
                i64::from(rds.performance_insights_retention_days),
            ),
            (
                "thresholds.rds.enhanced_monitoring_max_interval_secs",
                i64::from(rds.enhanced_monitoring_max_interval_secs),
            ),
            (
                "thresholds.acm.min_days_to_expiry",
                self.thresholds.acm.min_days_to_expiry,
            ),
            (
                "thresholds.secretsmanager.rotation_grace_days",
                self.thresholds.secretsmanager.rotation_grace_days,
            ),
            (
                "thresholds.backup.max_backup_age_hours",
                self.thresholds.backup.max_backup_age_hours,
            ),
            (
                "thresholds.manual.chaos_experiment_max_age_days",
                self.thresholds.manual.chaos_experiment_max_age_days,
            ),
            (
                "thresholds.manual.restore_test_max_age_days",
                self.thresholds.manual.restore_test_max_age_days,
            ),
        ] {
            if value < 0 {
                bail!("{key} = {value} is negative: give 0 or more");
            }
        }
        let unreserved = self.thresholds.lambda.min_unreserved_percent;
        if !(0.0..=100.0).contains(&unreserved) {
            bail!("thresholds.lambda.min_unreserved_percent = {unreserved} is out of range: give 0 to 100");
        }
        let budgets = &self.thresholds.budgets;
        let ecs = &self.thresholds.ecs;
        for (key, value) in budgets
            .max_monthly_limit
            .map(|limit| ("thresholds.budgets.max_monthly_limit", limit))
            .into_iter()
            .chain([
                ("thresholds.ecs.cpu_target_percent", ecs.cpu_target_percent),
                (
                    "thresholds.ecs.memory_target_percent",
                    ecs.memory_target_percent,
                ),
            ])
            .chain(
                budgets
                    .alert_percentages
                    .iter()
                    .map(|p| ("thresholds.budgets.alert_percentages", *p)),
            )
        {
            if !value.is_finite() || value < 0.0 {
                bail!("{key} = {value} is not a number of 0 or more");
            }
        }
        for (n, attestation) in self.attestations.iter().enumerate() {
            let key = format!("attestations[{n}]");
            if attestation.by.trim().is_empty() {
                bail!("{key}.by is empty: name who attests {}", attestation.item);
            }
            if day_of(&attestation.date).is_none() {
                bail!(
                    "{key}.date is {}: give the day alone, like 2026-11-20",
                    attestation.date
                );
            }
        }
        self.waivers()?;
        for (n, signatory) in self.signoff.iter().enumerate() {
            if signatory.role.trim().is_empty() {
                bail!(
                    "signoff[{n}].role is empty: name the role that signs (e.g. \"Service owner\")"
                );
            }
        }
        let cloudwatch = &self.thresholds.cloudwatch;
        for (key, metrics) in [
            ("ecs_service_metrics", &cloudwatch.ecs_service_metrics),
            ("rds_instance_metrics", &cloudwatch.rds_instance_metrics),
            ("sqs_queue_metrics", &cloudwatch.sqs_queue_metrics),
            (
                "lambda_function_metrics",
                &cloudwatch.lambda_function_metrics,
            ),
        ] {
            if let Some(bad) = metrics
                .iter()
                .find(|m| crate::config::metric_spec(m).is_none())
            {
                bail!("thresholds.cloudwatch.{key}: '{bad}' is not Namespace:MetricName (e.g. AWS/RDS:CPUUtilization)");
            }
        }
        for pattern in &self.thresholds.logs.long_retention_patterns {
            globset::Glob::new(pattern).map_err(|e| {
                anyhow::anyhow!(
                    "thresholds.logs.long_retention_patterns: '{pattern}' is not a valid glob: {e}"
                )
            })?;
        }
        let logs = &self.thresholds.logs;
        if let Some(max) = logs
            .max_retention_days
            .filter(|max| logs.min_retention_days > *max)
        {
            bail!(
                "thresholds.logs: min_retention_days ({}) is above max_retention_days ({max})",
                logs.min_retention_days
            );
        }
        Ok(())
    }
}

/// `Namespace:MetricName` split in two; the namespace itself holds a `/`, never a `:`.
pub fn metric_spec(spec: &str) -> Option<(&str, &str)> {
    let (namespace, metric) = spec.split_once(':')?;
    (!namespace.is_empty() && !metric.is_empty() && !metric.contains(':'))
        .then_some((namespace, metric))
}

/// A TOML date with no time, as a calendar day.
pub fn day_of(value: &toml::value::Datetime) -> Option<chrono::NaiveDate> {
    match (value.date, value.time, value.offset) {
        (Some(date), None, None) => {
            chrono::NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())
        }
        _ => None,
    }
}

/// toml's messages span several lines (a source excerpt); the CLI prints one:
/// "TOML parse error at line L, column C: <what is wrong>".
/// A TOML error as one line: where, then what.
pub(crate) fn one_line(error: &toml::de::Error) -> String {
    let full = error.to_string();
    let location = full.lines().next().unwrap_or_default().trim();
    format!("{location}: {}", error.message().trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses_and_matches_the_defaults_it_documents() {
        let config = Config::parse(include_str!("../examples/orr.toml")).unwrap();
        assert_eq!(config.thresholds, Thresholds::default());
        assert_eq!(config.fail_on, Some(Severity::High));
    }

    #[test]
    fn errors_name_the_line_and_the_key() {
        let error = Config::parse("fail_on = \"high\"\n[thresholds.iam]\npasword_min_length = 8\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 3"), "{error}");
        assert!(error.contains("pasword_min_length"), "{error}");
        assert!(!error.contains('\n'), "one line: {error}");
    }

    #[test]
    fn attestations_need_who_and_a_day() {
        let ok =
            "[[attestations]]\nitem = \"manual.load_test\"\nby = \"jane\"\ndate = 2026-11-20\n";
        assert_eq!(Config::parse(ok).unwrap().attestations[0].by, "jane");
        let no_by =
            Config::parse("[[attestations]]\nitem = \"manual.load_test\"\ndate = 2026-11-20\n")
                .unwrap_err()
                .to_string();
        assert!(no_by.contains("by"), "{no_by}");
        let no_date =
            Config::parse("[[attestations]]\nitem = \"manual.load_test\"\nby = \"jane\"\n")
                .unwrap_err()
                .to_string();
        assert!(no_date.contains("date"), "{no_date}");
        let timestamp = Config::parse(
            "[[attestations]]\nitem = \"manual.load_test\"\nby = \"jane\"\ndate = 2026-11-20T10:00:00Z\n",
        )
        .unwrap_err()
        .to_string();
        assert!(timestamp.contains("attestations[0].date"), "{timestamp}");
    }

    #[test]
    fn policy_folders_are_relative_to_the_file_and_the_time_limit_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("orr.toml");
        std::fs::write(
            &path,
            "[policies]\ndirs = [\"policies\"]\ntimeout_secs = 5\n[policies.thresholds.\"org.x\"]\nmin_days = 3\n",
        )
        .unwrap();
        let config = Config::load(Some(&path)).unwrap();
        assert_eq!(config.policies.dirs, [dir.path().join("policies")]);
        assert_eq!(
            config.policies.thresholds["org.x"]["min_days"].as_integer(),
            Some(3)
        );
        let error = Config::parse("[policies]\ntimeout_secs = 0\n").unwrap_err();
        assert!(
            error.to_string().contains("policies.timeout_secs"),
            "{error}"
        );
    }

    #[test]
    fn waivers_need_every_key_and_a_day_to_expire() {
        let full = "[[waivers]]\ncheck = \"rds.storage_encrypted\"\nresource = \"*billing-mysql*\"\nreason = \"INC-4312\"\napproved_by = \"jane\"\nexpires = 2027-03-31\n";
        let waivers = Config::parse(full).unwrap().waivers().unwrap();
        assert_eq!(waivers[0].expires.to_string(), "2027-03-31");
        assert!(waivers[0]
            .matcher
            .is_match("arn:aws:rds:us-east-1:1:db:billing-mysql-1"));
        for (edit, key) in [
            (
                full.replace("expires = 2027-03-31\n", ""),
                "waivers[0].expires is missing",
            ),
            (
                full.replace("2027-03-31", "2027-03-31T00:00:00Z"),
                "waivers[0].expires is 2027-03-31T00:00:00Z",
            ),
            (
                full.replace("2027-03-31", "\"next spring\""),
                "waivers[0].expires is \"next spring\"",
            ),
            (full.replace("2027-03-31", "2027-02-30"), "line 6"),
            (
                full.replace("approved_by = \"jane\"\n", ""),
                "waivers[0].approved_by is missing",
            ),
            (
                full.replace("\"INC-4312\"", "\" \""),
                "waivers[0].reason is empty",
            ),
            (
                full.replace("*billing-mysql*", "billing-[mysql"),
                "waivers[0].resource",
            ),
        ] {
            let error = Config::parse(&edit).unwrap_err().to_string();
            assert!(error.contains(key), "{key}: {error}");
        }
        assert!(
            Config::parse("[[waivers]]\ncheck = \"x\"\nexpiry = 2027-01-01\n")
                .unwrap_err()
                .to_string()
                .contains("expiry")
        );
    }

    #[test]
    fn metric_lists_and_retention_bounds_are_checked() {
        let bad =
            Config::parse("[thresholds.cloudwatch]\nrds_instance_metrics = [\"CPUUtilization\"]\n")
                .unwrap_err()
                .to_string();
        assert!(bad.contains("rds_instance_metrics"), "{bad}");
        let inverted =
            Config::parse("[thresholds.logs]\nmin_retention_days = 400\nmax_retention_days = 90\n")
                .unwrap_err()
                .to_string();
        assert!(inverted.contains("min_retention_days"), "{inverted}");
        assert_eq!(
            metric_spec("AWS/ECS:CPUUtilization"),
            Some(("AWS/ECS", "CPUUtilization"))
        );
    }

    #[test]
    fn bad_values_are_rejected() {
        for (text, key) in [
            ("concurrency = 9223372036854775807", "concurrency"),
            ("concurrency = 0", "concurrency = 0"),
            ("check_timeout_secs = 0", "check_timeout_secs = 0"),
            ("max_attempts = 0", "max_attempts"),
            (
                "[thresholds.iam]\naccess_key_max_age_days = -1",
                "access_key_max_age_days = -1",
            ),
            (
                "[thresholds.budgets]\nmax_monthly_limit = -5.0",
                "max_monthly_limit",
            ),
            (
                "[thresholds.ecs]\ncpu_target_percent = nan",
                "cpu_target_percent",
            ),
        ] {
            let error = Config::parse(text).unwrap_err().to_string();
            assert!(error.contains(key), "{text}: {error}");
        }
        assert!(Config::parse("fail_on = \"severe\"").is_err());
        assert!(Config::parse("[selection]\ncategories = [\"speed\"]").is_err());
    }
}
