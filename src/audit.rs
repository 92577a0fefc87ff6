//! The audit as one value: run metadata, findings, the verdict, and the catalog entries,
//! waivers, attestations and sign-off roles a report needs. Its JSON form is the
//! evidence: every renderer works from it alone (see README, "The JSON contract").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::CatalogEntry;
use crate::config::Signatory;
use crate::finding::{Category, Finding, Severity, Status};
use crate::verdict::Verdict;
use crate::waivers::{WaiverRecord, WaiverState};

pub const SCHEMA_VERSION: u32 = 3;

/// Schema 2 (one account a run) reads as a schema 3 audit of that one account.
const OLDEST_READ: u32 = 2;

/// Audits are a few MB even for large accounts; this bounds what a wrong path costs.
pub const MAX_AUDIT_BYTES: u64 = 512 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    pub schema_version: u32,
    pub tool: Tool,
    pub run: Run,
    pub verdict: Verdict,
    pub exit_code: i32,
    /// The verdict in one sentence: what decided it.
    pub verdict_reason: String,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    /// The catalog entries of the checks that ran (with this team's severities), so the
    /// audit renders as it was even after the catalog changes.
    pub catalog: BTreeMap<String, CatalogEntry>,
    pub waivers: Vec<WaiverRecord>,
    pub attestations: Vec<AttestationRecord>,
    /// The roles that sign the report (orr.toml `[[signoff]]`, or the default roles).
    pub signoff: Vec<Signatory>,
}

/// A person's word that a manual criterion is met, as the audit records it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationRecord {
    pub item: String,
    pub by: String,
    pub date: NaiveDate,
    pub evidence: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Aws,
    Snapshot,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// The account orr's own credentials belong to (the audited one, for one account).
    pub account_id: String,
    /// Every account audited, or that could not be, in the order of their ids.
    #[serde(default)]
    pub accounts: Vec<AccountRun>,
    /// The regions audited in any account.
    pub regions: Vec<String>,
    pub source: Source,
    /// When the account was read (for a snapshot, when it was collected).
    pub as_of: DateTime<Utc>,
    /// The AWS identity that read the account, where known.
    pub collected_by: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    pub fail_on: Severity,
    pub checks: Vec<String>,
    /// With `--baseline`: the audit whose FAIL and ERROR findings do not count again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// With `--shard K/N`: which part of the selected accounts this run covered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::accounts::Shard>,
    /// The shard audits `orr merge` combined into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<MergedShard>,
}

/// The order findings are kept in, whether the accounts were audited in one run or in
/// shards merged later: by account, check, region and resource.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.account_id, &a.check_id, &a.region, &a.resource_id).cmp(&(
            &b.account_id,
            &b.check_id,
            &b.region,
            &b.resource_id,
        ))
    });
}

/// The regions audited in any of `accounts`, in the order they first appear.
pub fn regions_of<'a>(accounts: impl IntoIterator<Item = &'a AccountRun>) -> Vec<String> {
    let mut regions: Vec<String> = Vec::new();
    for region in accounts.into_iter().flat_map(|a| &a.regions) {
        if !regions.contains(region) {
            regions.push(region.clone());
        }
    }
    regions
}

/// When the oldest data any finding of `accounts` rests on was read; `otherwise` when
/// none was read.
pub fn as_of_oldest(accounts: &[AccountRun], otherwise: DateTime<Utc>) -> DateTime<Utc> {
    accounts
        .iter()
        .filter_map(|a| a.as_of)
        .min()
        .unwrap_or(otherwise)
}

/// One audited account (or one that could not be audited) of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRun {
    pub id: String,
    pub name: Option<String>,
    /// The role assumed in it; none when orr's own credentials were used.
    pub role_arn: Option<String>,
    pub status: AccountStatus,
    pub regions: Vec<String>,
    /// Regions `--all-regions` left out, each with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_regions: Vec<String>,
    /// When it was read; none when it could not be.
    pub as_of: Option<DateTime<Utc>>,
    pub collected_by: Option<String>,
    /// Why it could not be audited.
    pub error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    Audited,
    Unreachable,
}

/// A shard audit that went into a merged one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergedShard {
    pub sha256: String,
    pub shard: Option<crate::accounts::Shard>,
    pub started_at: DateTime<Utc>,
    pub accounts: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// SHA-256 of the baseline file as read.
    pub sha256: String,
    pub started_at: DateTime<Utc>,
    /// FAIL and ERROR findings in the baseline: those found again are marked existing.
    pub problems: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub total: usize,
    pub by_status: BTreeMap<Status, usize>,
    pub by_category: BTreeMap<Category, BTreeMap<Status, usize>>,
    /// Findings by AWS Well-Architected pillar, through the best practices each check's
    /// catalog entry names (a check that speaks to two pillars counts in both).
    #[serde(default)]
    pub by_pillar: BTreeMap<String, BTreeMap<Status, usize>>,
    /// Each account's verdict and counts; the run's verdict is the worst of them (an
    /// expired waiver aside, which warns the whole run).
    #[serde(default)]
    pub by_account: BTreeMap<String, AccountSummary>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSummary {
    pub verdict: Verdict,
    pub by_status: BTreeMap<Status, usize>,
}

impl Summary {
    pub fn of(
        findings: &[Finding],
        fail_on: Severity,
        catalog: &BTreeMap<String, CatalogEntry>,
    ) -> Summary {
        let zeroes = || {
            Status::ALL
                .into_iter()
                .map(|s| (s, 0))
                .collect::<BTreeMap<_, _>>()
        };
        let mut by_status = zeroes();
        let mut by_category: BTreeMap<Category, BTreeMap<Status, usize>> =
            Category::ALL.into_iter().map(|c| (c, zeroes())).collect();
        for finding in findings {
            *by_status.entry(finding.status).or_default() += 1;
            *by_category
                .entry(finding.category)
                .or_insert_with(zeroes)
                .entry(finding.status)
                .or_default() += 1;
        }
        let mut by_pillar: BTreeMap<String, BTreeMap<Status, usize>> =
            crate::frameworks::well_architected_pillars()
                .iter()
                .map(|p| (p.name.clone(), zeroes()))
                .collect();
        for finding in findings {
            let Some(entry) = catalog.get(&*finding.check_id) else {
                continue;
            };
            let pillars: BTreeSet<&str> = entry
                .compliance
                .well_architected
                .iter()
                .filter_map(|bp| crate::frameworks::well_architected_pillar(bp))
                .map(|p| p.name.as_str())
                .collect();
            for pillar in pillars {
                *by_pillar
                    .entry(pillar.to_string())
                    .or_insert_with(zeroes)
                    .entry(finding.status)
                    .or_default() += 1;
            }
        }
        let mut of_account: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for finding in findings {
            of_account
                .entry(&finding.account_id)
                .or_default()
                .push(finding);
        }
        let by_account = of_account
            .into_iter()
            .map(|(account, own)| {
                let mut counts = zeroes();
                for finding in &own {
                    *counts.entry(finding.status).or_default() += 1;
                }
                let summary = AccountSummary {
                    verdict: Verdict::decide(own, fail_on, false),
                    by_status: counts,
                };
                (account.to_string(), summary)
            })
            .collect();
        Summary {
            total: findings.len(),
            by_status,
            by_category,
            by_pillar,
            by_account,
        }
    }
}

/// Hex SHA-256 of an audit's JSON: what a report names as the evidence it came from.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    crate::finding::hex(&sha2::Sha256::digest(bytes))
}

/// What an audit holds besides its run and findings.
pub struct Attachments {
    pub catalog: BTreeMap<String, CatalogEntry>,
    pub waivers: Vec<WaiverRecord>,
    pub attestations: Vec<AttestationRecord>,
    pub signoff: Vec<Signatory>,
}

/// Who signs when orr.toml names no one: the people an ORR usually needs.
pub fn default_signoff() -> Vec<Signatory> {
    ["Service owner", "Security", "Platform / SRE"]
        .into_iter()
        .map(|role| Signatory {
            role: role.to_string(),
            name: String::new(),
        })
        .collect()
}

impl Audit {
    pub fn new(run: Run, findings: Vec<Finding>, attachments: Attachments) -> Audit {
        let expired_waivers = attachments
            .waivers
            .iter()
            .filter(|w| w.state == WaiverState::Expired)
            .count();
        let verdict = Verdict::decide(&findings, run.fail_on, expired_waivers > 0);
        let summary = Summary::of(&findings, run.fail_on, &attachments.catalog);
        let verdict_reason = crate::verdict::explain(
            verdict,
            &findings,
            run.fail_on,
            expired_waivers,
            run.baseline.is_some(),
        );
        Audit {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            run,
            verdict,
            exit_code: verdict.exit_code(),
            verdict_reason,
            summary,
            findings,
            catalog: attachments.catalog,
            waivers: attachments.waivers,
            attestations: attachments.attestations,
            signoff: attachments.signoff,
        }
    }

    /// A saved audit (`--export audit.json`), with the SHA-256 of its bytes. Audits of
    /// another schema version are refused with what to do, not misread.
    pub fn load(path: &Path) -> Result<(Audit, String)> {
        let bytes = crate::files::read_bounded(path, MAX_AUDIT_BYTES, "audit")?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not JSON", path.display()))?;
        let version = value.get("schema_version").and_then(|v| v.as_u64());
        let (Some(version), Some(_)) = (version, value.get("findings")) else {
            bail!(
                "{} is not an orr audit: give a file written by `orr audit --export FILE.json`",
                path.display()
            );
        };
        if !(u64::from(OLDEST_READ)..=u64::from(SCHEMA_VERSION)).contains(&version) {
            bail!(
                "{} is an orr audit of schema {version}; this orr reads schemas {OLDEST_READ} to {SCHEMA_VERSION}: run the audit again with this orr",
                path.display()
            );
        }
        let mut audit: Audit = serde_json::from_value(value)
            .with_context(|| format!("{} is not a valid orr audit", path.display()))?;
        if audit.schema_version < SCHEMA_VERSION {
            audit.upgrade();
        }
        Ok((audit, sha256_hex(&bytes)))
    }

    /// A schema 2 audit (one account, no per-account parts) in the current shape.
    fn upgrade(&mut self) {
        let run = &self.run;
        if run.accounts.is_empty() {
            self.run.accounts = vec![AccountRun {
                id: run.account_id.clone(),
                name: None,
                role_arn: None,
                status: AccountStatus::Audited,
                regions: run.regions.clone(),
                skipped_regions: Vec::new(),
                as_of: Some(run.as_of),
                collected_by: run.collected_by.clone(),
                error: None,
            }];
        }
        self.summary = Summary::of(&self.findings, self.run.fail_on, &self.catalog);
        self.schema_version = SCHEMA_VERSION;
    }

    /// Whether the run covered more than one account (reports then group by account).
    pub fn is_multi_account(&self) -> bool {
        self.run.accounts.len() > 1
    }

    /// The warnings a person should act on that are not findings (stale waivers).
    pub fn warnings(&self) -> Vec<String> {
        self.waivers
            .iter()
            .filter_map(WaiverRecord::warning)
            .collect()
    }

    pub fn entry(&self, check_id: &str) -> Option<&CatalogEntry> {
        self.catalog.get(check_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_every_status_and_category_even_at_zero() {
        let summary = Summary::of(&[], Severity::High, &BTreeMap::new());
        let json = serde_json::to_value(&summary).unwrap();
        for status in ["PASS", "FAIL", "ERROR", "WAIVED", "MANUAL", "NA"] {
            assert_eq!(json["by_status"][status], 0, "{status}");
        }
        for category in ["security", "cost", "observability", "resilience"] {
            assert_eq!(json["by_category"][category]["FAIL"], 0, "{category}");
        }
        for pillar in [
            "Operational excellence",
            "Security",
            "Reliability",
            "Performance efficiency",
            "Cost optimization",
            "Sustainability",
        ] {
            assert_eq!(json["by_pillar"][pillar]["FAIL"], 0, "{pillar}");
        }
    }
}

#[cfg(test)]
pub mod testing {
    use super::*;

    /// An audit of one account holding `findings`, the rest plausible.
    pub fn audit(findings: Vec<Finding>) -> Audit {
        let now = chrono::Utc::now();
        Audit::new(
            Run {
                account_id: "123456789012".into(),
                regions: vec!["us-east-1".into()],
                source: Source::Snapshot,
                as_of: now,
                collected_by: None,
                started_at: now,
                duration_ms: 1,
                fail_on: crate::finding::Severity::High,
                checks: vec![],
                baseline: None,
                accounts: vec![],
                shard: None,
                merged_from: vec![],
            },
            findings,
            Attachments {
                catalog: Default::default(),
                waivers: vec![],
                attestations: vec![],
                signoff: vec![],
            },
        )
    }
}
