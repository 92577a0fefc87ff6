//! Which accounts an audit covers: the caller's own, one reached through `--role-arn`,
//! or an organization's (`--org`, `--accounts`), narrowed and split into shards; and
//! what an account that cannot be reached becomes (one ERROR finding, not a failed run).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalog::CatalogEntry;
use crate::finding::{Finding, Fingerprint, Status};

/// The role `--org` assumes in each member account unless told otherwise: the one AWS
/// Organizations creates in accounts it creates.
pub const DEFAULT_ORG_ROLE: &str = "OrganizationAccountAccessRole";
pub const DEFAULT_ACCOUNT_CONCURRENCY: usize = 4;

/// One account to audit, and how to reach it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    /// Its name in the organization, where known.
    pub name: Option<String>,
    /// The role to assume in it; `None` is the caller's own credentials.
    pub role_arn: Option<String>,
}

/// `--shard K/N`: the K-th of N disjoint parts of the selected accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl From<&crate::inventory::snapshot::Unreachable> for Target {
    fn from(gone: &crate::inventory::snapshot::Unreachable) -> Self {
        Target {
            id: gone.id.clone(),
            name: gone.name.clone(),
            role_arn: gone.role_arn.clone(),
        }
    }
}

/// The variables a job engine sets to a task's 0-based index, for `--shard env/N`:
/// Kubernetes Indexed Jobs and AWS Batch array jobs.
pub const SHARD_INDEX_VARIABLES: [&str; 2] = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

impl FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Shard::parse(s, |name| std::env::var(name).ok())
    }
}

impl Shard {
    /// `K/N` (1-based), or `env/N` with K taken from the job engine's 0-based index
    /// variable (`read` gives a variable's value), so manifests need no shell arithmetic.
    pub fn parse(s: &str, read: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let usage = || {
            format!(
                "'{s}' is not a shard: give K/N with 1 <= K <= N (e.g. 2/4), or env/N to take K from {}",
                SHARD_INDEX_VARIABLES.join(" or ")
            )
        };
        let (k, n) = s.split_once('/').ok_or_else(usage)?;
        let count: u32 = n.trim().parse().map_err(|_| usage())?;
        if count == 0 {
            return Err(usage());
        }
        if k.trim() != "env" {
            let index: u32 = k.trim().parse().map_err(|_| usage())?;
            if index == 0 || index > count {
                return Err(usage());
            }
            return Ok(Shard { index, count });
        }
        let set: Vec<(&str, String)> = SHARD_INDEX_VARIABLES
            .iter()
            .filter_map(|name| read(name).map(|value| (*name, value)))
            .collect();
        let (name, value) = match set.as_slice() {
            [] => {
                return Err(format!(
                    "--shard env/{count} takes the shard from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job), and neither is set: set one to a 0-based index below {count}, or give --shard K/N"
                ))
            }
            [(name, value)] => (*name, value),
            // Both set to one value (a Batch job run by a controller that sets both).
            [(name, a), (_, b)] if a.trim() == b.trim() => (*name, a),
            _ => {
                return Err(format!(
                    "--shard env/{count}: JOB_COMPLETION_INDEX and AWS_BATCH_JOB_ARRAY_INDEX are both set, to different values: unset the one your job engine does not own"
                ))
            }
        };
        let zero_based: u32 = value.trim().parse().map_err(|_| {
            format!(
                "--shard env/{count}: {name} is '{}', not a 0-based index: set it to a whole number below {count}",
                crate::text::shorten(value, 40)
            )
        })?;
        if zero_based >= count {
            return Err(format!(
                "--shard env/{count}: {name} is {zero_based}, out of range: a 0-based index must be below {count} (the N of env/N must be the job's completions or array size)"
            ));
        }
        Ok(Shard {
            index: zero_based + 1,
            count,
        })
    }

    /// A path with `{shard}` replaced by this shard as `K-of-N`, so each shard of a job
    /// writes its own file from the same command line.
    pub fn expand(shard: Option<Shard>, path: &str, flag: &str) -> Result<String, String> {
        if !path.contains("{shard}") {
            return Ok(path.to_string());
        }
        match shard {
            Some(shard) => Ok(path.replace("{shard}", &format!("{}-of-{}", shard.index, shard.count))),
            None => Err(format!(
                "{flag} {path} has {{shard}}, which only a sharded audit fills in: give --shard K/N or --shard env/N, or drop {{shard}}"
            )),
        }
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// This shard's accounts. Accounts are dealt out in the order of their ids, so the
    /// parts do not depend on the order AWS lists them in, differ in size by one at
    /// most, and together hold every account exactly once.
    pub fn pick(self, mut targets: Vec<Target>) -> Vec<Target> {
        targets.sort_by(|a, b| a.id.cmp(&b.id));
        targets
            .into_iter()
            .enumerate()
            .filter(|(n, _)| *n as u32 % self.count == self.index - 1)
            .map(|(_, target)| target)
            .collect()
    }
}

/// Which accounts, resolved from flags over orr.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountScope {
    /// One account through this role (`--role-arn`).
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    /// Every ACTIVE account of the organization (`--org`).
    pub org: bool,
    /// The role assumed in each account named by id (`--org`, `--accounts`).
    pub org_role: String,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// Accounts audited at once (each under the one bound on calls in flight).
    pub concurrency: usize,
    pub shard: Option<Shard>,
}

impl Default for AccountScope {
    fn default() -> Self {
        AccountScope {
            role_arn: None,
            external_id: None,
            org: false,
            org_role: DEFAULT_ORG_ROLE.to_string(),
            include: Vec::new(),
            exclude: Vec::new(),
            concurrency: DEFAULT_ACCOUNT_CONCURRENCY,
            shard: None,
        }
    }
}

impl AccountScope {
    /// Whether more than the caller's own account (or its one `--role-arn`) is meant.
    pub fn names_accounts(&self) -> bool {
        self.org || !self.include.is_empty()
    }

    /// The targets for the accounts named by id, reached through `org_role` (the
    /// caller's own account through its own credentials).
    pub fn by_id(&self, caller: &str, partition: &str) -> Vec<Target> {
        self.include
            .iter()
            .map(|id| Target {
                id: id.clone(),
                name: None,
                role_arn: (id != caller).then(|| role_arn(partition, id, &self.org_role)),
            })
            .collect()
    }

    /// `candidates` narrowed by `--accounts` (each of which must be among them) and
    /// `--exclude-accounts`: the accounts of the whole run, every shard's.
    pub fn chosen(&self, candidates: Vec<Target>, what: &str) -> Result<Vec<Target>, String> {
        for id in &self.include {
            if !candidates.iter().any(|t| &t.id == id) {
                return Err(format!("account {id} (from --accounts) is not in {what}"));
            }
        }
        Ok(candidates
            .into_iter()
            .filter(|t| self.include.is_empty() || self.include.contains(&t.id))
            .filter(|t| !self.exclude.contains(&t.id))
            .collect())
    }

    /// The accounts of the run that this shard (`--shard`) audits.
    pub fn this_shard(&self, chosen: Vec<Target>) -> Vec<Target> {
        match self.shard {
            Some(shard) => shard.pick(chosen),
            None => chosen,
        }
    }
}

/// An account id: twelve digits.
pub fn validate_account_id(id: &str) -> Result<(), String> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "'{id}' is not an AWS account id (twelve digits, e.g. 123456789012)"
        ))
    }
}

/// The account a role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`) belongs to.
pub fn account_of_role(arn: &str) -> Result<String, String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, "iam", "", account, resource]
            if !partition.is_empty()
                && validate_account_id(account).is_ok()
                && resource.len() > "role/".len()
                && resource.starts_with("role/") =>
        {
            Ok(account.to_string())
        }
        _ => Err(format!(
            "'{arn}' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)"
        )),
    }
}

/// The partition of the caller's ARN (`aws`, `aws-cn`, `aws-us-gov`), for the role ARNs
/// built from account ids.
pub fn partition_of(arn: &str) -> &str {
    crate::model::partition_of(arn).unwrap_or("aws")
}

pub fn role_arn(partition: &str, account: &str, role: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{role}")
}

/// The id of the finding an unreachable account becomes.
pub const ACCESS_CHECK: &str = "account.access";

/// The catalog entry for that finding: not a check one selects, but one every report
/// must be able to describe.
pub fn access_entry() -> CatalogEntry {
    toml::from_str(ACCESS_ENTRY).expect("the account access entry is valid")
}

const ACCESS_ENTRY: &str = r#"
id = "account.access"
title = "The account could be audited"
category = "security"
severity = "critical"
scope = "global"
passes_when = "orr could assume the audit role in the account and read it. An account it could not reach is one ERROR: nothing in it was verified."
risk = "An account nobody could read is an account nobody checked: it may hold any of the problems the other checks look for."
references = ["https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html"]
permissions = ["sts:AssumeRole"]

[remediation]
summary = "Create the role in the account with a trust policy for the auditing principal (and the external id, if one is used), or leave the account out with --exclude-accounts."
cli = "aws iam get-role --role-name OrganizationAccountAccessRole   # in the member account"
terraform = '''
resource "aws_iam_role" "orr_audit" {
  name               = "OrganizationAccountAccessRole"
  assume_role_policy = data.aws_iam_policy_document.trust_auditor.json
}
'''
"#;

/// An account that could not be reached: one ERROR finding naming the role and why.
pub fn unreachable_finding(target: &Target, error: &str) -> Finding {
    let entry = access_entry();
    let resource = target.role_arn.clone().unwrap_or_else(|| target.id.clone());
    let message = match &target.role_arn {
        Some(role) => format!("could not assume {role}: {error}"),
        None => format!("could not read the account: {error}"),
    };
    Finding {
        fingerprint: Fingerprint::of(ACCESS_CHECK, &target.id, None, &resource),
        check_id: entry.id.into(),
        title: entry.title.into(),
        status: Status::Error,
        severity: entry.severity,
        category: entry.category,
        account_id: target.id.as_str().into(),
        resource_id: resource,
        resource_type: "AWS::IAM::Role".into(),
        region: None,
        message,
        evidence: serde_json::json!({ "role_arn": target.role_arn, "error": error }).into(),
        waiver: None,
        baseline: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str) -> Target {
        Target {
            id: id.to_string(),
            name: None,
            role_arn: None,
        }
    }

    #[test]
    fn shards_cover_every_account_once_whatever_the_order() {
        let ids: Vec<String> = (0..23).map(|n| format!("{:012}", n * 7919)).collect();
        let forward: Vec<Target> = ids.iter().map(|id| target(id)).collect();
        let mut backward = forward.clone();
        backward.reverse();
        let mut seen = Vec::new();
        for index in 1..=4 {
            let shard = Shard { index, count: 4 };
            let part = shard.pick(forward.clone());
            assert_eq!(part, shard.pick(backward.clone()), "{shard}");
            assert!((5..=6).contains(&part.len()), "{shard}: {}", part.len());
            seen.extend(part.into_iter().map(|t| t.id));
        }
        seen.sort();
        assert_eq!(seen, ids);
    }

    fn env_shard(spec: &str, vars: &[(&str, &str)]) -> Result<Shard, String> {
        Shard::parse(spec, |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn env_shards_take_the_job_engines_zero_based_index() {
        let shard = |index, count| Ok(Shard { index, count });
        assert_eq!(
            env_shard("env/3", &[("JOB_COMPLETION_INDEX", "0")]),
            shard(1, 3)
        );
        assert_eq!(
            env_shard("env/3", &[("AWS_BATCH_JOB_ARRAY_INDEX", "2")]),
            shard(3, 3)
        );
        assert_eq!(
            env_shard(
                "env/3",
                &[
                    ("JOB_COMPLETION_INDEX", "1"),
                    ("AWS_BATCH_JOB_ARRAY_INDEX", "1")
                ]
            ),
            shard(2, 3)
        );
        // K/N keeps working whatever the environment says.
        assert_eq!(
            env_shard("2/4", &[("JOB_COMPLETION_INDEX", "0")]),
            shard(2, 4)
        );

        let error = |spec, vars: &[(&str, &str)]| env_shard(spec, vars).unwrap_err();
        let neither = error("env/3", &[]);
        assert!(
            neither.contains("neither is set") && neither.contains("JOB_COMPLETION_INDEX"),
            "{neither}"
        );
        let both = error(
            "env/3",
            &[
                ("JOB_COMPLETION_INDEX", "0"),
                ("AWS_BATCH_JOB_ARRAY_INDEX", "1"),
            ],
        );
        assert!(both.contains("different values"), "{both}");
        let not_a_number = error("env/3", &[("AWS_BATCH_JOB_ARRAY_INDEX", "one")]);
        assert!(
            not_a_number.contains("AWS_BATCH_JOB_ARRAY_INDEX is 'one'"),
            "{not_a_number}"
        );
        let out_of_range = error("env/3", &[("JOB_COMPLETION_INDEX", "3")]);
        assert!(
            out_of_range.contains("JOB_COMPLETION_INDEX is 3, out of range"),
            "{out_of_range}"
        );
        for bad in ["env/0", "env/x", "env", "ENV/3/"] {
            assert!(
                error(bad, &[("JOB_COMPLETION_INDEX", "0")]).contains("K/N"),
                "{bad}"
            );
        }
    }

    #[test]
    fn shard_placeholders_are_filled_in_or_refused() {
        let shard = Some(Shard { index: 2, count: 4 });
        assert_eq!(
            Shard::expand(shard, "s3://evidence/run-42/shard-{shard}.json", "--export"),
            Ok("s3://evidence/run-42/shard-2-of-4.json".to_string())
        );
        assert_eq!(
            Shard::expand(None, "audit.json", "--export"),
            Ok("audit.json".to_string())
        );
        let unsharded = Shard::expand(None, "shard-{shard}.json", "--export").unwrap_err();
        assert!(
            unsharded.starts_with("--export shard-{shard}.json has {shard}")
                && unsharded.contains("--shard"),
            "{unsharded}"
        );
    }

    #[test]
    fn shard_and_role_arn_syntax_is_checked() {
        assert_eq!(
            Shard::parse("2/4", |_| None),
            Ok(Shard { index: 2, count: 4 })
        );
        for bad in ["0/4", "5/4", "4", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().unwrap_err().contains("K/N"), "{bad}");
        }
        assert_eq!(
            account_of_role("arn:aws:iam::123456789012:role/audit").as_deref(),
            Ok("123456789012")
        );
        for bad in [
            "arn:aws:iam::12345:role/audit",
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:s3:::bucket",
            "role/audit",
        ] {
            assert!(account_of_role(bad).is_err(), "{bad}");
        }
        assert_eq!(partition_of("arn:aws-cn:sts::1:assumed-role/x"), "aws-cn");
        assert!(validate_account_id("12345678901a").is_err());
    }

    #[test]
    fn an_unreachable_account_is_one_critical_error_naming_the_role() {
        let mut t = target("111111111111");
        t.role_arn = Some(role_arn("aws", &t.id, DEFAULT_ORG_ROLE));
        let finding = unreachable_finding(&t, "AccessDenied: not authorized");
        assert_eq!(finding.status, Status::Error);
        assert_eq!(finding.severity, crate::finding::Severity::Critical);
        assert!(finding.message.contains("OrganizationAccountAccessRole"));
        assert!(finding.message.contains("AccessDenied"));
        assert_eq!(access_entry().id, ACCESS_CHECK);
    }
}
