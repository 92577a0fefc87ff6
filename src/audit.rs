//! The audit as one value: run metadata, findings and the verdict. Its JSON form is
//! the contract other tools and reports read (see README, "The JSON contract").

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::finding::{Category, Finding, Severity, Status};
use crate::verdict::Verdict;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Audit {
    pub schema_version: u32,
    pub tool: Tool,
    pub run: Run,
    pub verdict: Verdict,
    pub exit_code: i32,
    pub summary: Summary,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Serialize, Deserialize)]
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
pub struct Run {
    pub account_id: String,
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
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub by_status: BTreeMap<Status, usize>,
    pub by_category: BTreeMap<Category, BTreeMap<Status, usize>>,
}

impl Summary {
    pub fn of(findings: &[Finding]) -> Summary {
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
        Summary {
            total: findings.len(),
            by_status,
            by_category,
        }
    }
}

impl Audit {
    pub fn new(run: Run, findings: Vec<Finding>) -> Audit {
        let verdict = Verdict::decide(&findings, run.fail_on);
        Audit {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: env!("CARGO_PKG_NAME").to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            run,
            verdict,
            exit_code: verdict.exit_code(),
            summary: Summary::of(&findings),
            findings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lists_every_status_and_category_even_at_zero() {
        let summary = Summary::of(&[]);
        let json = serde_json::to_value(&summary).unwrap();
        for status in ["PASS", "FAIL", "ERROR", "WAIVED", "MANUAL", "NA"] {
            assert_eq!(json["by_status"][status], 0, "{status}");
        }
        for category in ["security", "cost", "observability", "resilience"] {
            assert_eq!(json["by_category"][category]["FAIL"], 0, "{category}");
        }
    }
}
