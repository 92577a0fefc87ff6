//! `orr merge`: shard audits into one, as a pure function of their JSON. The result has
//! the findings, summaries and verdict one run over all their accounts would give.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::{bail, Result};

use crate::audit::{Attachments, Audit, MergedShard, Run};
use crate::waivers::{WaiverRecord, WaiverState};

/// One shard audit as read, with where it came from.
pub struct Part {
    pub path: PathBuf,
    pub sha256: String,
    pub audit: Audit,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct MergeOptions {
    /// An account in more than one part is taken from the part that started last.
    pub allow_overlap: bool,
    /// Parts of different orr versions, check selections, thresholds or sources merge.
    pub allow_mixed: bool,
}

pub fn merge(mut parts: Vec<Part>, options: MergeOptions) -> Result<Audit> {
    if parts.is_empty() {
        bail!("nothing to merge: give the shard audits (JSON) to combine");
    }
    if !options.allow_mixed {
        same_everywhere(&parts)?;
    }
    // Later runs win an overlap; each account's findings come from one part alone.
    parts.sort_by_key(|p| p.audit.run.started_at);
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for (n, part) in parts.iter().enumerate() {
        for account in &part.audit.run.accounts {
            if let Some(earlier) = owner.insert(account.id.clone(), n) {
                if !options.allow_overlap {
                    bail!(
                        "account {} is in both {} and {}: shards must not overlap (check the --shard K/N of each job, or pass --allow-overlap to keep the later run's findings)",
                        account.id,
                        parts[earlier].path.display(),
                        part.path.display()
                    );
                }
            }
        }
    }

    let first = &parts[0].audit;
    let started_at = parts
        .iter()
        .map(|p| p.audit.run.started_at)
        .min()
        .unwrap_or(first.run.started_at);
    let ended_at = parts
        .iter()
        .map(|p| {
            p.audit.run.started_at + chrono::Duration::milliseconds(p.audit.run.duration_ms as i64)
        })
        .max()
        .unwrap_or(started_at);
    let mut accounts = Vec::new();
    let mut findings = Vec::new();
    for (n, part) in parts.iter().enumerate() {
        let own = |id: &str| owner.get(id) == Some(&n);
        accounts.extend(
            part.audit
                .run
                .accounts
                .iter()
                .filter(|a| own(&a.id))
                .cloned(),
        );
        findings.extend(
            part.audit
                .findings
                .iter()
                .filter(|f| own(&f.account_id))
                .cloned(),
        );
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    crate::audit::sort_findings(&mut findings);
    let checks: BTreeSet<String> = parts
        .iter()
        .flat_map(|p| p.audit.run.checks.clone())
        .collect();
    let run = Run {
        account_id: first.run.account_id.clone(),
        regions: crate::audit::regions_of(&accounts),
        source: first.run.source,
        as_of: crate::audit::as_of_oldest(&accounts, started_at),
        collected_by: first.run.collected_by.clone(),
        accounts,
        started_at,
        duration_ms: (ended_at - started_at).num_milliseconds().max(0) as u64,
        fail_on: first.run.fail_on,
        checks: checks.into_iter().collect(),
        baseline: first.run.baseline.clone(),
        shard: None,
        merged_from: parts
            .iter()
            .map(|p| MergedShard {
                sha256: p.sha256.clone(),
                shard: p.audit.run.shard,
                started_at: p.audit.run.started_at,
                accounts: p.audit.run.accounts.len(),
            })
            .collect(),
    };
    let attachments = Attachments {
        catalog: parts.iter().flat_map(|p| p.audit.catalog.clone()).collect(),
        waivers: merged_waivers(&parts),
        attestations: first.attestations.clone(),
        signoff: first.signoff.clone(),
    };
    Ok(Audit::new(run, findings, attachments))
}

/// What must agree for the merge to mean one run: the orr version, the checks and their
/// threshold, the source, the review's waivers, attestations and sign-off, the baseline.
fn same_everywhere(parts: &[Part]) -> Result<()> {
    let first = &parts[0];
    for part in &parts[1..] {
        let (a, b) = (&first.audit, &part.audit);
        let mut differ = Vec::new();
        if a.tool.version != b.tool.version {
            differ.push(format!(
                "orr version ({} vs {})",
                a.tool.version, b.tool.version
            ));
        }
        let set = |checks: &[String]| checks.iter().cloned().collect::<BTreeSet<_>>();
        if set(&a.run.checks) != set(&b.run.checks) {
            differ.push("check selection".to_string());
        }
        if a.run.fail_on != b.run.fail_on {
            differ.push(format!(
                "--fail-on ({} vs {})",
                a.run.fail_on, b.run.fail_on
            ));
        }
        if a.run.source != b.run.source {
            differ.push("source (AWS vs snapshot)".to_string());
        }
        let rules = |audit: &Audit| {
            serde_json::to_string(&(
                audit
                    .waivers
                    .iter()
                    .map(|w| (w.index, &w.check, &w.resource, &w.expires))
                    .collect::<Vec<_>>(),
                &audit.attestations,
                &audit.signoff,
                audit.run.baseline.as_ref().map(|b| &b.sha256),
            ))
            .unwrap_or_default()
        };
        if rules(a) != rules(b) {
            differ.push("waivers, attestations, sign-off or baseline (orr.toml)".to_string());
        }
        if !differ.is_empty() {
            bail!(
                "{} and {} differ in {}: merge shards of one run configuration, or pass --allow-mixed",
                first.path.display(),
                part.path.display(),
                differ.join(", ")
            );
        }
    }
    Ok(())
}

/// Each waiver once: its matches added up; applied where it matched anything, expired
/// if it was in any part, not run only if no part ran its check.
fn merged_waivers(parts: &[Part]) -> Vec<WaiverRecord> {
    let mut merged: BTreeMap<usize, WaiverRecord> = BTreeMap::new();
    for record in parts.iter().flat_map(|p| &p.audit.waivers) {
        match merged.get_mut(&record.index) {
            None => {
                merged.insert(record.index, record.clone());
            }
            Some(kept) => {
                kept.matched += record.matched;
                kept.state = match (kept.state, record.state) {
                    (WaiverState::Expired, _) | (_, WaiverState::Expired) => WaiverState::Expired,
                    (WaiverState::Applied, _) | (_, WaiverState::Applied) => WaiverState::Applied,
                    (WaiverState::Unmatched, _) | (_, WaiverState::Unmatched) => {
                        WaiverState::Unmatched
                    }
                    _ => WaiverState::NotRun,
                };
            }
        }
    }
    merged.into_values().collect()
}
